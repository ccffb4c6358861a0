package io.shendu.backend.cpu;

import io.shendu.backend.BinaryOp;
import io.shendu.backend.NormKernels;

/**
 * The fast norm kernels. Batch norm splits the {@code n·c} contiguous segments of length {@code l} across threads
 * and combines each channel's per-segment partial sums in segment order; layer norm splits over rows, and its
 * weight and bias gradients over columns. No sum depends on how the work is split, so the results are the same
 * at every thread count. Sums run in double with four independent accumulators (accurate, and not bound by
 * the latency of one add chain), or, for batch norm with the Vector API, in float lanes per block and double
 * across blocks ({@link NormVectorSums}); the per-element passes are plain float loops the JIT vectorises.
 */
final class CpuNorm implements NormKernels {

    static final CpuNorm INSTANCE = new CpuNorm(VectorSupport.available());
    /** The kernels without the Vector API (for {@code CpuBackend.plain()} and tests). */
    static final CpuNorm PLAIN = new CpuNorm(false);

    /** Roughly this many elements per task. */
    private static final int GRAIN = 1 << 14;

    /** Whether batch norm's sums run in vector lanes ({@link NormVectorSums}). */
    private final boolean vector;

    private CpuNorm(boolean vector) {
        this.vector = vector;
    }

    /** Runs {@code body} over the {@code n·c} segments (segment s starts at s·l and belongs to channel s % c). */
    private static void forSegments(int n, int c, int l, Parallel.RangeBody body) {
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), body);
    }

    /** Σ_i partial[i·c + j] in segment order, for every channel j. */
    private static double[] perChannel(double[] partial, int n, int c) {
        double[] total = new double[c];
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) total[j] += partial[i * c + j];
        return total;
    }

    /**
     * One pass per channel: Σ(x − K) and Σ(x − K)² in double, shifted by K = the channel's first value. The
     * shift keeps the variance Σ(x − K)² − (Σ(x − K))²/m free of cancellation when the mean is far from 0.
     */
    @Override
    public void batchNormTrain(float[] x, int n, int c, int l, float[] weight, float[] bias, float eps,
                               float[] out, float[] mean, float[] invStd, float[] varUnbiased) {
        train(x, n, c, l, weight, bias, eps, out, mean, invStd, varUnbiased, false);
    }

    @Override
    public void batchNormRelu(Stats stats, float[] x, int n, int c, int l, float[] weight, float[] bias, float eps,
                              float[] out, float[] mean, float[] invStd, float[] varUnbiased) {
        if (stats == Stats.BATCH) train(x, n, c, l, weight, bias, eps, out, mean, invStd, varUnbiased, true);
        else normalise(x, n, c, l, mean, invStd, weight, bias, out, true);
    }

    private void train(float[] x, int n, int c, int l, float[] weight, float[] bias, float eps,
                       float[] out, float[] mean, float[] invStd, float[] varUnbiased, boolean relu) {
        int m = n * l;
        float[] shift = new float[c];
        for (int j = 0; j < c && l > 0; j++) shift[j] = x[j * l];
        double[] partialSum = new double[n * c], partialSquares = new double[n * c];
        forSegments(n, c, l, (s, e) -> {
            double[] sums = new double[2];
            for (int seg = s; seg < e; seg++) {
                if (vector) NormVectorSums.shiftedSums(x, seg * l, l, shift[seg % c], sums);
                else shiftedSums(x, seg * l, l, shift[seg % c], sums);
                partialSum[seg] = sums[0];
                partialSquares[seg] = sums[1];
            }
        });
        double[] sum = perChannel(partialSum, n, c), squares = perChannel(partialSquares, n, c);
        for (int j = 0; j < c; j++) {
            double sq = Math.max(squares[j] - sum[j] * sum[j] / m, 0);
            mean[j] = (float) (shift[j] + sum[j] / m);
            invStd[j] = (float) (1 / Math.sqrt(sq / m + eps));
            varUnbiased[j] = m > 1 ? (float) (sq / (m - 1)) : Float.NaN;
        }
        normalise(x, n, c, l, mean, invStd, weight, bias, out, relu);
    }

    @Override
    public void batchNormEval(float[] x, int n, int c, int l, float[] mean, float[] invStd, float[] weight,
                              float[] bias, float[] out) {
        normalise(x, n, c, l, mean, invStd, weight, bias, out, false);
    }

    /** out = (x − mean)·invStd·weight + bias per channel, then max(out, 0) when {@code relu}, in one pass. */
    private static void normalise(float[] x, int n, int c, int l, float[] mean, float[] invStd, float[] weight,
                                  float[] bias, float[] out, boolean relu) {
        forSegments(n, c, l, (s, e) -> {
            for (int seg = s; seg < e; seg++) {
                int j = seg % c, off = seg * l;
                float mu = mean[j], scale = invStd[j] * (weight == null ? 1f : weight[j]);
                float shift = bias == null ? 0f : bias[j];
                if (relu) {
                    for (int k = off; k < off + l; k++) out[k] = Math.max((x[k] - mu) * scale + shift, 0f);
                } else {
                    for (int k = off; k < off + l; k++) out[k] = (x[k] - mu) * scale + shift;
                }
            }
        });
    }

    @Override
    public void batchNormBackward(Stats stats, float[] x, float[] g, int n, int c, int l, float[] mean,
                                  float[] invStd, float[] weight, float[] dx, float[] dweight, float[] dbias) {
        backward(stats, x, g, null, n, c, l, mean, invStd, weight, dx, dweight, dbias);
    }

    @Override
    public void batchNormReluBackward(Stats stats, float[] x, float[] g, float[] y, int n, int c, int l, float[] mean,
                                      float[] invStd, float[] weight, float[] dx, float[] dweight, float[] dbias) {
        backward(stats, x, g, y, n, c, l, mean, invStd, weight, dx, dweight, dbias);
    }

    /**
     * The batch-norm backward; with {@code y} (a fused ReLU's output), each segment of g is first masked by
     * {@code y > 0} into a scratch segment that stays in cache, and the sums and dx read that.
     */
    private void backward(Stats stats, float[] x, float[] g, float[] y, int n, int c, int l, float[] mean,
                          float[] invStd, float[] weight, float[] dx, float[] dweight, float[] dbias) {
        int m = n * l;
        double[] partialG = new double[n * c], partialGx = new double[n * c];
        forSegments(n, c, l, (s, e) -> {
            double[] sums = new double[2];
            float[] scratch = y == null ? null : new float[l];
            for (int seg = s; seg < e; seg++) {
                float[] gs = g;
                int at = seg * l;
                if (y != null) {
                    mask(g, y, at, l, scratch, vector);
                    gs = scratch;
                    at = 0;
                }
                if (vector) {
                    NormVectorSums.sumAndDotCentered(gs, at, x, seg * l, l, mean[seg % c], sums);
                    partialG[seg] = sums[0];
                    partialGx[seg] = sums[1];
                } else {
                    partialG[seg] = sum(gs, at, l);
                    partialGx[seg] = dotCentered(gs, at, x, seg * l, l, mean[seg % c]);
                }
            }
        });
        double[] sumG = perChannel(partialG, n, c), sumGx = perChannel(partialGx, n, c);
        for (int j = 0; j < c; j++) {
            sumGx[j] *= invStd[j];                      // Σ g·x̂
            if (dweight != null) dweight[j] = (float) sumGx[j];
            if (dbias != null) dbias[j] = (float) sumG[j];
        }
        if (dx == null) return;
        boolean batch = stats == Stats.BATCH;
        forSegments(n, c, l, (s, e) -> {
            float[] scratch = y == null ? null : new float[l];
            for (int seg = s; seg < e; seg++) {
                int j = seg % c, off = seg * l;
                double scale = (weight == null ? 1.0 : weight[j]) * (double) invStd[j];
                // dx = scale·g + shift − slope·(x − mean)
                float a = (float) scale, mu = mean[j];
                float shift = batch ? (float) (-scale * sumG[j] / m) : 0f;
                float slope = batch ? (float) (scale * invStd[j] * sumGx[j] / m) : 0f;
                if (y == null) {
                    for (int k = off; k < off + l; k++) dx[k] = a * g[k] + shift - slope * (x[k] - mu);
                } else {
                    mask(g, y, off, l, scratch, vector);
                    for (int k = 0; k < l; k++) dx[off + k] = a * scratch[k] + shift - slope * (x[off + k] - mu);
                }
            }
        });
    }

    @Override
    public void layerNorm(float[] x, int rows, int d, float[] weight, float[] bias, float eps,
                          float[] out, float[] mean, float[] invStd) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(d, 1)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int off = r * d;
                double mu = sum(x, off, d) / d;
                float inv = (float) (1 / Math.sqrt(squaredDeviations(x, off, d, mu) / d + eps));
                float m = (float) mu;
                mean[r] = m;
                invStd[r] = inv;
                if (weight == null && bias == null) {
                    for (int k = 0; k < d; k++) out[off + k] = (x[off + k] - m) * inv;
                } else if (bias == null) {
                    for (int k = 0; k < d; k++) out[off + k] = (x[off + k] - m) * inv * weight[k];
                } else if (weight == null) {
                    for (int k = 0; k < d; k++) out[off + k] = (x[off + k] - m) * inv + bias[k];
                } else {
                    for (int k = 0; k < d; k++) out[off + k] = (x[off + k] - m) * inv * weight[k] + bias[k];
                }
            }
        });
    }

    @Override
    public void layerNormBackward(float[] x, float[] g, int rows, int d, float[] mean, float[] invStd,
                                  float[] weight, float[] dx, float[] dweight, float[] dbias) {
        if (dx != null) {
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(d, 1)), (s, e) -> {
                float[] gw = new float[d];
                for (int r = s; r < e; r++) layerNormRow(x, g, r * d, d, mean[r], invStd[r], weight, gw, dx);
            });
        }
        if (dweight == null && dbias == null) return;
        // Column blocks: each column sums over the rows in row order, whichever thread runs it.
        Parallel.forRange(d, Math.max(16, GRAIN / Math.max(rows, 1)), (s, e) -> {
            double[] dw = new double[e - s], db = new double[e - s];
            for (int r = 0; r < rows; r++) {
                int off = r * d;
                float m = mean[r], inv = invStd[r];
                for (int k = s; k < e; k++) {
                    float gk = g[off + k];
                    db[k - s] += gk;
                    dw[k - s] += gk * ((x[off + k] - m) * inv);
                }
            }
            for (int k = s; k < e; k++) {
                if (dweight != null) dweight[k] = (float) dw[k - s];
                if (dbias != null) dbias[k] = (float) db[k - s];
            }
        });
    }

    /** dx of one row: invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = g·weight (written to scratch {@code gw}). */
    private static void layerNormRow(float[] x, float[] g, int off, int d, float mean, float invStd, float[] weight,
                                     float[] gw, float[] dx) {
        for (int k = 0; k < d; k++) gw[k] = weight == null ? g[off + k] : g[off + k] * weight[k];
        double sumG = sum(gw, 0, d);
        double sumGx = 0;
        for (int k = 0; k < d; k++) sumGx += (double) gw[k] * (x[off + k] - mean);
        sumGx *= invStd;
        float shift = (float) (-sumG / d), slope = (float) (sumGx * invStd / d);
        for (int k = 0; k < d; k++) dx[off + k] = invStd * (gw[k] + shift - slope * (x[off + k] - mean));
    }

    /** Σ a[off..off+len) in double, four accumulators. */
    private static double sum(float[] a, int off, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = off, end = off + len;
        for (; k + 3 < end; k += 4) {
            s0 += a[k];
            s1 += a[k + 1];
            s2 += a[k + 2];
            s3 += a[k + 3];
        }
        for (; k < end; k++) s0 += a[k];
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ (a − mean)² over a segment, in double. */
    private static double squaredDeviations(float[] a, int off, int len, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = off, end = off + len;
        for (; k + 3 < end; k += 4) {
            double d0 = a[k] - mean, d1 = a[k + 1] - mean, d2 = a[k + 2] - mean, d3 = a[k + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; k < end; k++) {
            double dv = a[k] - mean;
            s0 += dv * dv;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Writes Σ(a − k) and Σ(a − k)² over a segment into {@code out[0]}, {@code out[1]}, in double. */
    private static void shiftedSums(float[] a, int off, int len, float k, double[] out) {
        double s0 = 0, s1 = 0, q0 = 0, q1 = 0;
        int i = off, end = off + len;
        for (; i + 1 < end; i += 2) {
            double d0 = a[i] - k, d1 = a[i + 1] - k;
            s0 += d0;
            s1 += d1;
            q0 += d0 * d0;
            q1 += d1 * d1;
        }
        for (; i < end; i++) {
            double d = a[i] - k;
            s0 += d;
            q0 += d * d;
        }
        out[0] = s0 + s1;
        out[1] = q0 + q1;
    }

    /** Σ g[gOff + i]·(x[xOff + i] − mean) for i < len, in double. */
    private static double dotCentered(float[] g, int gOff, float[] x, int xOff, int len, float mean) {
        double s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s0 += (double) g[gOff + i] * (x[xOff + i] - mean);
            s1 += (double) g[gOff + i + 1] * (x[xOff + i + 1] - mean);
        }
        for (; i < len; i++) s0 += (double) g[gOff + i] * (x[xOff + i] - mean);
        return s0 + s1;
    }

    /** scratch[k] = g[off + k] where y[off + k] > 0, else 0: a ReLU's backward for one segment, by the element loops. */
    private static void mask(float[] g, float[] y, int off, int len, float[] scratch, boolean vector) {
        if (!vector || !VectorLoops.binary(BinaryOp.RELU_BACKWARD, 0f, y, off, 1, g, off, 1, scratch, 0, len)) {
            PlainLoops.binary(BinaryOp.RELU_BACKWARD, 0f, 0f, y, off, 1, g, off, 1, scratch, 0, len);
        }
    }
}
