package io.shendu.backend.reference;

import io.shendu.backend.NormKernels;

/** The reference norm kernels: direct loops over the formulas of {@link NormKernels}, double accumulation. */
final class ReferenceNorm implements NormKernels {

    static final ReferenceNorm INSTANCE = new ReferenceNorm();

    private ReferenceNorm() {}

    private static int at(int i, int j, int k, int c, int l) {
        return (i * c + j) * l + k;
    }

    @Override
    public void batchNormTrain(float[] x, int n, int c, int l, float[] weight, float[] bias, float eps,
                               float[] out, float[] mean, float[] invStd, float[] varUnbiased) {
        int m = n * l;
        for (int j = 0; j < c; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < l; k++) sum += x[at(i, j, k, c, l)];
            double mu = sum / m;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < l; k++) {
                    double dev = x[at(i, j, k, c, l)] - mu;
                    sq += dev * dev;
                }
            }
            mean[j] = (float) mu;
            invStd[j] = (float) (1 / Math.sqrt(sq / m + eps));
            varUnbiased[j] = m > 1 ? (float) (sq / (m - 1)) : Float.NaN;
        }
        batchNormEval(x, n, c, l, mean, invStd, weight, bias, out);
    }

    @Override
    public void batchNormEval(float[] x, int n, int c, int l, float[] mean, float[] invStd, float[] weight,
                              float[] bias, float[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                for (int k = 0; k < l; k++) {
                    int p = at(i, j, k, c, l);
                    double y = ((double) x[p] - mean[j]) * invStd[j];
                    if (weight != null) y *= weight[j];
                    if (bias != null) y += bias[j];
                    out[p] = (float) y;
                }
            }
        }
    }

    @Override
    public void batchNormBackward(Stats stats, float[] x, float[] g, int n, int c, int l, float[] mean,
                                  float[] invStd, float[] weight, float[] dx, float[] dweight, float[] dbias) {
        int m = n * l;
        for (int j = 0; j < c; j++) {
            double sumG = 0, sumGx = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < l; k++) {
                    int p = at(i, j, k, c, l);
                    sumG += g[p];
                    sumGx += g[p] * (((double) x[p] - mean[j]) * invStd[j]);
                }
            }
            if (dweight != null) dweight[j] = (float) sumGx;
            if (dbias != null) dbias[j] = (float) sumG;
            if (dx == null) continue;
            double scale = (weight == null ? 1.0 : weight[j]) * (double) invStd[j];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < l; k++) {
                    int p = at(i, j, k, c, l);
                    double xhat = ((double) x[p] - mean[j]) * invStd[j];
                    dx[p] = (float) (stats == Stats.BATCH ? scale * (g[p] - sumG / m - xhat * sumGx / m) : scale * g[p]);
                }
            }
        }
    }

    @Override
    public void layerNorm(float[] x, int rows, int d, float[] weight, float[] bias, float eps,
                          float[] out, float[] mean, float[] invStd) {
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            double sum = 0;
            for (int k = 0; k < d; k++) sum += x[base + k];
            double mu = sum / d;
            double sq = 0;
            for (int k = 0; k < d; k++) sq += (x[base + k] - mu) * (x[base + k] - mu);
            double inv = 1 / Math.sqrt(sq / d + eps);
            mean[r] = (float) mu;
            invStd[r] = (float) inv;
            for (int k = 0; k < d; k++) {
                double y = ((double) x[base + k] - mean[r]) * invStd[r];
                if (weight != null) y *= weight[k];
                if (bias != null) y += bias[k];
                out[base + k] = (float) y;
            }
        }
    }

    @Override
    public void layerNormBackward(float[] x, float[] g, int rows, int d, float[] mean, float[] invStd,
                                  float[] weight, float[] dx, float[] dweight, float[] dbias) {
        double[] dw = new double[d], db = new double[d];
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            double sumG = 0, sumGx = 0;
            for (int k = 0; k < d; k++) {
                double xhat = ((double) x[base + k] - mean[r]) * invStd[r];
                double gh = g[base + k] * (weight == null ? 1.0 : weight[k]);
                sumG += gh;
                sumGx += gh * xhat;
                dw[k] += g[base + k] * xhat;
                db[k] += g[base + k];
            }
            if (dx == null) continue;
            for (int k = 0; k < d; k++) {
                double xhat = ((double) x[base + k] - mean[r]) * invStd[r];
                double gh = g[base + k] * (weight == null ? 1.0 : weight[k]);
                dx[base + k] = (float) (invStd[r] * (gh - sumG / d - xhat * sumGx / d));
            }
        }
        for (int k = 0; k < d; k++) {
            if (dweight != null) dweight[k] = (float) dw[k];
            if (dbias != null) dbias[k] = (float) db[k];
        }
    }
}
