package io.shendu.backend;

/**
 * Pooling and resampling kernels of a backend (see {@link Backend#pool()}).
 *
 * <p>Every kernel works on {@link Planes#count()} independent planes of an NCHW tensor ({@code count = N·C}): the
 * input is contiguous {@code float[]} starting at an offset, {@code [count, inH, inW]}; the output is a
 * caller-allocated contiguous array {@code [count, outH, outW]}. 1-D ops are the case {@code inH = outH = 1}
 * with a window of height 1. Backward kernels take a contiguous upstream gradient of the output's shape (at an
 * offset) and <em>overwrite</em> the caller-allocated input gradient {@code [count, inH, inW]}.
 *
 * <p>The index rules are PyTorch's. Those that both backends must apply identically (which input pixel an
 * output pixel reads) are the static methods at the end, so a backend cannot drift from them.
 */
public interface PoolKernels {

    /** {@code count} planes of {@code inH × inW} mapped to {@code outH × outW}. */
    record Planes(int count, int inH, int inW, int outH, int outW) {
        public Planes {
            if (count < 0 || inH < 1 || inW < 1 || outH < 1 || outW < 1) {
                throw new IllegalArgumentException("Planes: sizes must be positive, got count=" + count + " in="
                        + inH + "x" + inW + " out=" + outH + "x" + outW);
            }
        }

        public int inSize() {
            return inH * inW;
        }

        public int outSize() {
            return outH * outW;
        }
    }

    /**
     * A pooling window: output cell {@code (i, j)} covers rows {@code i·strideH − padH + r·dilationH} for
     * {@code r < kernelH}, and likewise for columns. Padding is never read.
     */
    record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH,
                  int dilationW) {
        public Window {
            if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1
                    || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("Window: kernel, stride and dilation must be positive and "
                        + "padding non-negative, got kernel=" + kernelH + "x" + kernelW + " stride=" + strideH + "x"
                        + strideW + " padding=" + padH + "x" + padW + " dilation=" + dilationH + "x" + dilationW);
            }
        }
    }

    /**
     * Max over each window: {@code out} gets the maximum (NaN wins, as in PyTorch; the first of equal maxima
     * wins), {@code argmax} its flat index {@code h·inW + w} within the input plane. {@code argmax} may be null
     * when no backward will follow (inference).
     */
    void maxPool2d(Planes p, Window w, float[] x, int xOff, float[] out, int[] argmax);

    /** dL/dx: each upstream element is added to the input element its {@code argmax} names; all else is 0. */
    void maxPool2dBackward(Planes p, float[] gradOut, int gOff, int[] argmax, float[] gradIn);

    /**
     * The 2×2 stride-2 max pool of a ReLU's output, for a fused convolution + ReLU + pool
     * ({@code 2·outH <= inH}, {@code 2·outW <= inW}): {@code out} exactly as {@link #maxPool2d} with that window.
     * {@code which} (null when no backward will follow) gets, per output, where its maximum lies in the window
     * ({@code 0} top left, {@code 1} top right, {@code 2} bottom left, {@code 3} bottom right), or {@code -1} where
     * the maximum is not positive: there the ReLU's gradient, {@code 1[y > 0]}, is 0. One byte per output instead
     * of an int index, and the ReLU mask comes with it.
     */
    void maxPool2x2Relu(Planes p, float[] x, int xOff, float[] out, byte[] which);

    /**
     * dL/dx of {@link #maxPool2x2Relu} and the ReLU before it: each upstream element goes to the window position
     * {@code which} names (nowhere for {@code -1}); every other input element gets 0.
     */
    void maxPool2x2ReluBackward(Planes p, float[] gradOut, int gOff, byte[] which, float[] gradIn);

    /**
     * Average over each window (dilation must be 1), divided by {@link #avgDivisor}.
     */
    void avgPool2d(Planes p, Window w, boolean countIncludePad, int divisorOverride, float[] x, int xOff, float[] out);

    /** dL/dx of {@link #avgPool2d}: each upstream element spread evenly (÷ the same divisor) over its window. */
    void avgPool2dBackward(Planes p, Window w, boolean countIncludePad, int divisorOverride, float[] gradOut, int gOff,
                           float[] gradIn);

    /** Output cell {@code i} averages input rows {@code [⌊i·inH/outH⌋, ⌈(i+1)·inH/outH⌉)}, and likewise columns. */
    void adaptiveAvgPool2d(Planes p, float[] x, int xOff, float[] out);

    void adaptiveAvgPool2dBackward(Planes p, float[] gradOut, int gOff, float[] gradIn);

    /**
     * Nearest-neighbour resize: {@code out[i][j] = x[min(⌊i·ratioH⌋, inH−1)][min(⌊j·ratioW⌋, inW−1)]}, where a
     * ratio is input pixels per output pixel ({@code 1/scale_factor}, or {@code in/out} for a given size).
     */
    void upsampleNearest2d(Planes p, double ratioH, double ratioW, float[] x, int xOff, float[] out);

    void upsampleNearest2dBackward(Planes p, double ratioH, double ratioW, float[] gradOut, int gOff, float[] gradIn);

    /**
     * Bilinear resize. The source coordinate of output row {@code i} is {@code i·ratioH} with
     * {@code alignCorners} (ratio {@code (in−1)/(out−1)}), else {@code max((i + ½)·ratioH − ½, 0)}; the output
     * interpolates the two rows (and columns) around it, the second clamped to the last row.
     */
    void upsampleBilinear2d(Planes p, boolean alignCorners, double ratioH, double ratioW, float[] x, int xOff,
                            float[] out);

    void upsampleBilinear2dBackward(Planes p, boolean alignCorners, double ratioH, double ratioW, float[] gradOut,
                                    int gOff, float[] gradIn);

    // ------------------------------------------------------------------ index rules shared by every backend

    /**
     * The divisor of average-pool cell {@code (oh, ow)}: {@code divisorOverride} when positive; else, with
     * {@code countIncludePad}, the window clipped to the padded input (a ceil-mode window hanging past the
     * padding counts only up to it); without it, the number of real input elements. 0 for a window that holds
     * no input element (its output is 0).
     */
    static int avgDivisor(Planes p, Window w, boolean countIncludePad, int divisorOverride, int oh, int ow) {
        int h0 = oh * w.strideH() - w.padH(), w0 = ow * w.strideW() - w.padW();
        int h1 = Math.min(h0 + w.kernelH(), p.inH() + w.padH()), w1 = Math.min(w0 + w.kernelW(), p.inW() + w.padW());
        int rows = Math.min(h1, p.inH()) - Math.max(h0, 0), cols = Math.min(w1, p.inW()) - Math.max(w0, 0);
        if (rows <= 0 || cols <= 0) return 0;
        if (divisorOverride > 0) return divisorOverride;
        return countIncludePad ? (h1 - h0) * (w1 - w0) : rows * cols;
    }

    /** First input index of adaptive window {@code i}: {@code ⌊i·in/out⌋}. */
    static int adaptiveStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** One past the last input index of adaptive window {@code i}: {@code ⌈(i+1)·in/out⌉}. */
    static int adaptiveEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /**
     * The input index nearest-neighbour resizing reads for output index {@code dst}. As PyTorch, in float
     * arithmetic, and the identity when the size does not change.
     */
    static int nearestSource(int dst, int in, int out, double ratio) {
        if (in == out) return dst;
        return Math.min((int) Math.floor(dst * (float) ratio), in - 1);
    }

    /** The (fractional) input coordinate bilinear resizing reads for output index {@code dst}. */
    static double bilinearSource(int dst, boolean alignCorners, double ratio) {
        if (alignCorners) return dst * ratio;
        return Math.max((dst + 0.5) * ratio - 0.5, 0);
    }
}
