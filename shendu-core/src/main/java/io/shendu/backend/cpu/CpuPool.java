package io.shendu.backend.cpu;

import io.shendu.backend.PoolKernels;

import java.util.Arrays;

import static io.shendu.backend.PoolKernels.adaptiveEnd;
import static io.shendu.backend.PoolKernels.adaptiveStart;
import static io.shendu.backend.PoolKernels.avgDivisor;
import static io.shendu.backend.PoolKernels.bilinearSource;
import static io.shendu.backend.PoolKernels.nearestSource;

/**
 * The fast pool kernels. Planes ({@code N·C} of them) are independent, so every kernel splits them across
 * {@link Parallel}'s threads and runs each plane exactly as a single thread would: results do not depend on the
 * thread count. Window bounds are clipped once per output row and column (or per column tap) instead of tested
 * per element; the common 2×2 stride-2 max pool has its own unrolled loop; resampling precomputes its source
 * indices and weights once per call. Nothing is allocated per element.
 */
final class CpuPool implements PoolKernels {

    static final CpuPool INSTANCE = new CpuPool(VectorSupport.available());
    /** The kernels without the Vector API (for {@code CpuBackend.plain()} and tests). */
    static final CpuPool PLAIN = new CpuPool(false);

    /** Elements read below which a kernel stays on the calling thread. */
    private static final int GRAIN = 1 << 15;

    private final boolean vector;

    private CpuPool(boolean vector) {
        this.vector = vector;
    }

    /** Runs {@code body} for every plane, split across threads once the work justifies it. */
    private static void forPlanes(Planes p, long workPerPlane, Parallel.RangeBody body) {
        int grain = (int) Math.max(1, GRAIN / Math.max(1, workPerPlane));
        Parallel.forRange(p.count(), grain, body);
    }

    // ------------------------------------------------------------------ max pool

    @Override
    public void maxPool2d(Planes p, Window w, float[] x, int xOff, float[] out, int[] argmax) {
        boolean twoByTwo = w.kernelH() == 2 && w.kernelW() == 2 && w.strideH() == 2 && w.strideW() == 2
                && w.padH() == 0 && w.padW() == 0 && w.dilationH() == 1 && w.dilationW() == 1
                && 2 * p.outH() <= p.inH() && 2 * p.outW() <= p.inW();   // no partial (ceil-mode) window
        forPlanes(p, (long) p.outSize() * w.kernelH() * w.kernelW(), (start, end) -> {
            if (twoByTwo && vector) {
                MaxPool2x2Vector.planes(p, x, xOff, out, argmax, null, start, end);
                return;
            }
            for (int c = start; c < end; c++) {
                if (twoByTwo) maxPool2x2(p, x, xOff + c * p.inSize(), out, argmax, null, c * p.outSize());
                else maxPoolPlane(p, w, x, xOff + c * p.inSize(), out, argmax, c * p.outSize());
            }
        });
    }

    /**
     * One plane of the 2×2 stride-2 pool; reads in the reference's order so ties and NaNs resolve alike. Writes the
     * argmax and the window position ({@link #maxPool2x2Relu}'s {@code which}) where asked.
     */
    private static void maxPool2x2(Planes p, float[] x, int in, float[] out, int[] argmax, byte[] which, int o) {
        int width = p.inW();
        for (int oh = 0; oh < p.outH(); oh++) {
            int row = 2 * oh * width;
            for (int ow = 0; ow < p.outW(); ow++, o++) {
                int a = in + row + 2 * ow, k = windowMax(x, a, width);
                float best = x[a + (k >> 1) * width + (k & 1)];
                out[o] = best;
                if (argmax != null) argmax[o] = row + 2 * ow + (k >> 1) * width + (k & 1);
                if (which != null) which[o] = best > 0 ? (byte) k : -1;
            }
        }
    }

    /**
     * Where the maximum of the 2×2 window at {@code a} (rows {@code width} apart) lies: 0 top left, 1 top right, 2
     * bottom left, 3 bottom right. Read in the reference's order: a later value wins when greater or NaN, so ties
     * keep the first.
     */
    static int windowMax(float[] x, int a, int width) {
        int k = 0;
        float best = x[a];
        float v = x[a + 1];
        if (v > best || v != v) { best = v; k = 1; }
        v = x[a + width];
        if (v > best || v != v) { best = v; k = 2; }
        v = x[a + width + 1];
        if (v > best || v != v) k = 3;
        return k;
    }

    /** One plane of the general pool; window bounds are clipped once per output row and column. */
    private static void maxPoolPlane(Planes p, Window w, float[] x, int in, float[] out, int[] argmax, int o) {
        for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = oh * w.strideH() - w.padH();
            int r0 = firstTap(h0, w.dilationH()), r1 = endTap(h0, w.dilationH(), w.kernelH(), p.inH());
            for (int ow = 0; ow < p.outW(); ow++, o++) {
                int c0 = ow * w.strideW() - w.padW();
                int s0 = firstTap(c0, w.dilationW()), s1 = endTap(c0, w.dilationW(), w.kernelW(), p.inW());
                float best = Float.NEGATIVE_INFINITY;
                int bestAt = -1;
                for (int r = r0; r < r1; r++) {
                    int rowAt = (h0 + r * w.dilationH()) * p.inW() + c0;
                    for (int s = s0; s < s1; s++) {
                        int at = rowAt + s * w.dilationW();
                        float v = x[in + at];
                        if (bestAt < 0 || v > best || v != v) {   // first tap, a larger value, or NaN
                            best = v;
                            bestAt = at;
                        }
                    }
                }
                out[o] = best;
                if (argmax != null) argmax[o] = bestAt;
            }
        }
    }

    /** The first tap {@code r} of a window starting at {@code start} with {@code start + r·dilation >= 0}. */
    private static int firstTap(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last tap {@code r < kernel} with {@code start + r·dilation < size}. */
    private static int endTap(int start, int dilation, int kernel, int size) {
        if (start >= size) return 0;
        return Math.min(kernel, (size - start + dilation - 1) / dilation);
    }

    @Override
    public void maxPool2dBackward(Planes p, float[] gradOut, int gOff, int[] argmax, float[] gradIn) {
        forPlanes(p, p.inSize() + p.outSize(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = c * p.inSize(), o = c * p.outSize();
                Arrays.fill(gradIn, in, in + p.inSize(), 0f);
                for (int i = 0; i < p.outSize(); i++) {
                    int at = argmax[o + i];
                    if (at >= 0) gradIn[in + at] += gradOut[gOff + o + i];
                }
            }
        });
    }

    @Override
    public void maxPool2x2Relu(Planes p, float[] x, int xOff, float[] out, byte[] which) {
        requireWholeWindows(p);
        forPlanes(p, 4L * p.outSize(), (start, end) -> {
            if (vector) {
                MaxPool2x2Vector.planes(p, x, xOff, out, null, which, start, end);
                return;
            }
            for (int c = start; c < end; c++) maxPool2x2(p, x, xOff + c * p.inSize(), out, null, which, c * p.outSize());
        });
    }

    /**
     * Every window writes its four gradients (three of them 0) with bit masks instead of branches, which would
     * mispredict on every other window; only the rows and columns no window covers (an odd size) are cleared first.
     */
    @Override
    public void maxPool2x2ReluBackward(Planes p, float[] gradOut, int gOff, byte[] which, float[] gradIn) {
        requireWholeWindows(p);
        boolean uncovered = 2 * p.outH() < p.inH() || 2 * p.outW() < p.inW();
        forPlanes(p, p.inSize() + p.outSize(), (start, end) -> {
            if (vector && MaxPool2x2Vector.suitsReluBackward(p)) {
                if (uncovered) Arrays.fill(gradIn, start * p.inSize(), end * p.inSize(), 0f);
                MaxPool2x2Vector.reluBackward(p, gradOut, gOff, which, gradIn, start, end);
                return;
            }
            for (int c = start; c < end; c++) {
                int in = c * p.inSize(), o = c * p.outSize();
                if (uncovered) Arrays.fill(gradIn, in, in + p.inSize(), 0f);
                for (int oh = 0; oh < p.outH(); oh++) {
                    int top = in + 2 * oh * p.inW(), bottom = top + p.inW();
                    for (int ow = 0; ow < p.outW(); ow++, o++) {
                        int k = which[o] & 0xFF, a = 2 * ow;   // 0..3, or 255 for none
                        // the gradient's bits (−0 made +0, as when it is added onto a zero), kept where k names the slot
                        int g = Float.floatToRawIntBits(gradOut[gOff + o] + 0f);
                        gradIn[top + a] = Float.intBitsToFloat(g & (((k ^ 0) - 1) >> 31));
                        gradIn[top + a + 1] = Float.intBitsToFloat(g & (((k ^ 1) - 1) >> 31));
                        gradIn[bottom + a] = Float.intBitsToFloat(g & (((k ^ 2) - 1) >> 31));
                        gradIn[bottom + a + 1] = Float.intBitsToFloat(g & (((k ^ 3) - 1) >> 31));
                    }
                }
            }
        });
    }

    private static void requireWholeWindows(Planes p) {
        if (2 * p.outH() > p.inH() || 2 * p.outW() > p.inW()) {
            throw new IllegalArgumentException("maxPool2x2Relu: " + p.outH() + "x" + p.outW() + " outputs need at least "
                    + 2 * p.outH() + "x" + 2 * p.outW() + " inputs, found " + p.inH() + "x" + p.inW());
        }
    }

    // ------------------------------------------------------------------ average pools

    /**
     * For each column tap {@code s} of an average-pool window: the outputs {@code [from, to)} whose tap lands
     * inside the input, and the input column {@code ow·stride + shift} it reads.
     */
    private record ColumnTaps(int[] from, int[] to, int[] shift) {
        static ColumnTaps of(Planes p, Window w) {
            ColumnTaps t = new ColumnTaps(new int[w.kernelW()], new int[w.kernelW()], new int[w.kernelW()]);
            for (int s = 0; s < w.kernelW(); s++) {
                int shift = s * w.dilationW() - w.padW();   // ow·stride + shift must lie in [0, inW)
                t.shift[s] = shift;
                t.from[s] = Math.min(p.outW(), shift >= 0 ? 0 : (-shift + w.strideW() - 1) / w.strideW());
                t.to[s] = Math.max(t.from[s], Math.min(p.outW(), Math.ceilDiv(p.inW() - shift, w.strideW())));
            }
            return t;
        }
    }

    /**
     * Average pooling, tap by tap: for each window row and column tap, one branch-free pass along the output row
     * over the outputs whose tap is inside the input (padding adds nothing). Each output still sums its taps in
     * the reference's order.
     */
    @Override
    public void avgPool2d(Planes p, Window w, boolean countIncludePad, int divisorOverride, float[] x, int xOff,
                          float[] out) {
        ColumnTaps cols = ColumnTaps.of(p, w);
        forPlanes(p, (long) p.outSize() * w.kernelH() * w.kernelW(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = xOff + c * p.inSize();
                for (int oh = 0, o = c * p.outSize(); oh < p.outH(); oh++, o += p.outW()) {
                    Arrays.fill(out, o, o + p.outW(), 0f);
                    int h0 = oh * w.strideH() - w.padH();
                    for (int h = Math.max(h0, 0); h < Math.min(h0 + w.kernelH(), p.inH()); h++) {
                        for (int s = 0; s < w.kernelW(); s++) {
                            int shift = in + h * p.inW() + cols.shift[s];
                            for (int ow = cols.from[s]; ow < cols.to[s]; ow++) {
                                out[o + ow] += x[shift + ow * w.strideW()];
                            }
                        }
                    }
                    for (int ow = 0; ow < p.outW(); ow++) {
                        int divisor = avgDivisor(p, w, countIncludePad, divisorOverride, oh, ow);
                        out[o + ow] = divisor == 0 ? 0f : out[o + ow] / divisor;
                    }
                }
            }
        });
    }

    @Override
    public void avgPool2dBackward(Planes p, Window w, boolean countIncludePad, int divisorOverride, float[] gradOut,
                                  int gOff, float[] gradIn) {
        ColumnTaps cols = ColumnTaps.of(p, w);
        forPlanes(p, (long) p.outSize() * w.kernelH() * w.kernelW() + p.inSize(), (start, end) -> {
            float[] share = new float[p.outW()];   // one output row's gradient ÷ divisor
            for (int c = start; c < end; c++) {
                int in = c * p.inSize();
                Arrays.fill(gradIn, in, in + p.inSize(), 0f);
                for (int oh = 0, o = gOff + c * p.outSize(); oh < p.outH(); oh++, o += p.outW()) {
                    for (int ow = 0; ow < p.outW(); ow++) {
                        int divisor = avgDivisor(p, w, countIncludePad, divisorOverride, oh, ow);
                        share[ow] = divisor == 0 ? 0f : gradOut[o + ow] / divisor;
                    }
                    int h0 = oh * w.strideH() - w.padH();
                    for (int h = Math.max(h0, 0); h < Math.min(h0 + w.kernelH(), p.inH()); h++) {
                        for (int s = 0; s < w.kernelW(); s++) {
                            int shift = in + h * p.inW() + cols.shift[s];
                            for (int ow = cols.from[s]; ow < cols.to[s]; ow++) {
                                gradIn[shift + ow * w.strideW()] += share[ow];
                            }
                        }
                    }
                }
            }
        });
    }

    @Override
    public void adaptiveAvgPool2d(Planes p, float[] x, int xOff, float[] out) {
        forPlanes(p, p.inSize() + p.outSize(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = xOff + c * p.inSize(), o = c * p.outSize();
                for (int oh = 0; oh < p.outH(); oh++) {
                    int ha = adaptiveStart(oh, p.inH(), p.outH()), hb = adaptiveEnd(oh, p.inH(), p.outH());
                    for (int ow = 0; ow < p.outW(); ow++, o++) {
                        int wa = adaptiveStart(ow, p.inW(), p.outW()), wb = adaptiveEnd(ow, p.inW(), p.outW());
                        float sum = 0f;
                        for (int h = ha; h < hb; h++) {
                            for (int col = wa; col < wb; col++) sum += x[in + h * p.inW() + col];
                        }
                        out[o] = sum / ((hb - ha) * (wb - wa));
                    }
                }
            }
        });
    }

    @Override
    public void adaptiveAvgPool2dBackward(Planes p, float[] gradOut, int gOff, float[] gradIn) {
        forPlanes(p, 2L * p.inSize() + p.outSize(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = c * p.inSize(), o = c * p.outSize();
                Arrays.fill(gradIn, in, in + p.inSize(), 0f);
                for (int oh = 0; oh < p.outH(); oh++) {
                    int ha = adaptiveStart(oh, p.inH(), p.outH()), hb = adaptiveEnd(oh, p.inH(), p.outH());
                    for (int ow = 0; ow < p.outW(); ow++, o++) {
                        int wa = adaptiveStart(ow, p.inW(), p.outW()), wb = adaptiveEnd(ow, p.inW(), p.outW());
                        float share = gradOut[gOff + o] / ((hb - ha) * (wb - wa));
                        for (int h = ha; h < hb; h++) {
                            for (int col = wa; col < wb; col++) gradIn[in + h * p.inW() + col] += share;
                        }
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------ resampling

    @Override
    public void upsampleNearest2d(Planes p, double ratioH, double ratioW, float[] x, int xOff, float[] out) {
        int[] rows = nearestSources(p.inH(), p.outH(), ratioH), cols = nearestSources(p.inW(), p.outW(), ratioW);
        forPlanes(p, p.outSize(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = xOff + c * p.inSize(), o = c * p.outSize();
                for (int oh = 0; oh < p.outH(); oh++) {
                    int row = in + rows[oh] * p.inW();
                    for (int ow = 0; ow < p.outW(); ow++) out[o++] = x[row + cols[ow]];
                }
            }
        });
    }

    @Override
    public void upsampleNearest2dBackward(Planes p, double ratioH, double ratioW, float[] gradOut, int gOff,
                                          float[] gradIn) {
        int[] rows = nearestSources(p.inH(), p.outH(), ratioH), cols = nearestSources(p.inW(), p.outW(), ratioW);
        forPlanes(p, p.inSize() + p.outSize(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = c * p.inSize(), o = gOff + c * p.outSize();
                Arrays.fill(gradIn, in, in + p.inSize(), 0f);
                for (int oh = 0; oh < p.outH(); oh++) {
                    int row = in + rows[oh] * p.inW();
                    for (int ow = 0; ow < p.outW(); ow++) gradIn[row + cols[ow]] += gradOut[o++];
                }
            }
        });
    }

    private static int[] nearestSources(int in, int out, double ratio) {
        int[] src = new int[out];
        for (int i = 0; i < out; i++) src[i] = nearestSource(i, in, out, ratio);
        return src;
    }

    /** Per output index: the two source indices and the weight of the second. */
    private record Taps(int[] lo, int[] hi, float[] frac) {
        static Taps of(int in, int out, boolean alignCorners, double ratio) {
            Taps t = new Taps(new int[out], new int[out], new float[out]);
            for (int i = 0; i < out; i++) {
                double src = bilinearSource(i, alignCorners, ratio);
                t.lo[i] = (int) src;
                t.hi[i] = Math.min(t.lo[i] + 1, in - 1);
                t.frac[i] = (float) (src - t.lo[i]);
            }
            return t;
        }
    }

    @Override
    public void upsampleBilinear2d(Planes p, boolean alignCorners, double ratioH, double ratioW, float[] x, int xOff,
                                   float[] out) {
        Taps rows = Taps.of(p.inH(), p.outH(), alignCorners, ratioH);
        Taps cols = Taps.of(p.inW(), p.outW(), alignCorners, ratioW);
        forPlanes(p, 4L * p.outSize(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = xOff + c * p.inSize(), o = c * p.outSize();
                for (int oh = 0; oh < p.outH(); oh++) {
                    int top = in + rows.lo[oh] * p.inW(), bottom = in + rows.hi[oh] * p.inW();
                    float dh = rows.frac[oh];
                    for (int ow = 0; ow < p.outW(); ow++) {
                        int w0 = cols.lo[ow], w1 = cols.hi[ow];
                        float dw = cols.frac[ow];
                        float t = x[top + w0] + dw * (x[top + w1] - x[top + w0]);
                        float b = x[bottom + w0] + dw * (x[bottom + w1] - x[bottom + w0]);
                        out[o++] = t + dh * (b - t);
                    }
                }
            }
        });
    }

    @Override
    public void upsampleBilinear2dBackward(Planes p, boolean alignCorners, double ratioH, double ratioW,
                                           float[] gradOut, int gOff, float[] gradIn) {
        Taps rows = Taps.of(p.inH(), p.outH(), alignCorners, ratioH);
        Taps cols = Taps.of(p.inW(), p.outW(), alignCorners, ratioW);
        forPlanes(p, p.inSize() + 4L * p.outSize(), (start, end) -> {
            for (int c = start; c < end; c++) {
                int in = c * p.inSize(), o = gOff + c * p.outSize();
                Arrays.fill(gradIn, in, in + p.inSize(), 0f);
                for (int oh = 0; oh < p.outH(); oh++) {
                    int top = in + rows.lo[oh] * p.inW(), bottom = in + rows.hi[oh] * p.inW();
                    float dh = rows.frac[oh];
                    for (int ow = 0; ow < p.outW(); ow++) {
                        int w0 = cols.lo[ow], w1 = cols.hi[ow];
                        float dw = cols.frac[ow], g = gradOut[o++];
                        float gt = (1 - dh) * g, gb = dh * g;
                        gradIn[top + w0] += (1 - dw) * gt;
                        gradIn[top + w1] += dw * gt;
                        gradIn[bottom + w0] += (1 - dw) * gb;
                        gradIn[bottom + w1] += dw * gb;
                    }
                }
            }
        });
    }
}
