package io.shendu.models;

import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Bicubic resizing of images, as PyTorch's {@code interpolate(x, size, mode="bicubic", align_corners=False)}:
 * output pixel {@code o} samples the input at {@code s = (o + ½)·in/out − ½} with Keys' cubic convolution
 * (a = −0.75) over the four nearest pixels, indices clamped at the border. Separable (rows, then columns), in
 * double precision. No antialiasing when shrinking, and values are not clamped: bicubic may overshoot [0, 1]
 * at sharp edges. The weights sum to 1, so constants are kept; with a = −0.75 (not −0.5) a linear ramp is kept only
 * where the taps are symmetric (the same size, or halving). The classic baseline of super-resolution, and how its
 * low-resolution inputs are made.
 * Not differentiable (a data transform, not a layer).
 */
public final class Resize {

    /** Keys' parameter, PyTorch's and OpenCV's choice. */
    static final double A = -0.75;

    private Resize() {}

    /** {@code [N, C, H, W] → [N, C, outH, outW]}. */
    public static Tensor bicubic(Tensor x, int outH, int outW) {
        if (x.rank() != 4 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("bicubic: expected [N, C, H, W] and a positive size, got "
                    + Arrays.toString(x.shape()) + " to " + outH + " × " + outW);
        }
        int planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
        float[] in = x.contiguous().toFloatArray();
        float[] out = new float[planes * outH * outW];
        Taps rows = Taps.of(h, outH), cols = Taps.of(w, outW);
        double[] plane = new double[h * w], tmp = new double[h * outW];
        for (int p = 0; p < planes; p++) {
            for (int k = 0; k < h * w; k++) plane[k] = in[p * h * w + k];
            for (int y = 0; y < h; y++) {
                for (int ox = 0; ox < outW; ox++) tmp[y * outW + ox] = cols.apply(ox, plane, y * w, 1);
            }
            int dst = p * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) out[dst + oy * outW + ox] = (float) rows.apply(oy, tmp, ox, outW);
            }
        }
        return Tensor.adopt(out, x.size(0), x.size(1), outH, outW);
    }

    /** For each output index along one axis, the four input indices (clamped) and their weights. */
    private record Taps(int[] index, double[] weight) {

        static Taps of(int in, int out) {
            int[] index = new int[4 * out];
            double[] weight = new double[4 * out];
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                double s = (o + 0.5) * scale - 0.5;
                int i0 = (int) Math.floor(s);
                double t = s - i0;
                double[] wk = {far(t + 1), near(t), near(1 - t), far(2 - t)};
                for (int k = 0; k < 4; k++) {
                    index[4 * o + k] = Math.clamp(i0 - 1 + k, 0, in - 1);
                    weight[4 * o + k] = wk[k];
                }
            }
            return new Taps(index, weight);
        }

        /** Σₖ weightₖ · data[base + indexₖ·stride] for output index {@code o}. */
        double apply(int o, double[] data, int base, int stride) {
            double sum = 0;
            for (int k = 0; k < 4; k++) sum += weight[4 * o + k] * data[base + index[4 * o + k] * stride];
            return sum;
        }

        /** The cubic-convolution kernel for |d| ≤ 1: (a + 2)|d|³ − (a + 3)|d|² + 1. */
        private static double near(double d) {
            return ((A + 2) * d - (A + 3)) * d * d + 1;
        }

        /** For 1 < |d| < 2: a|d|³ − 5a|d|² + 8a|d| − 4a. */
        private static double far(double d) {
            return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A;
        }
    }
}
