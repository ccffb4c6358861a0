package io.shendu.nn;

import io.shendu.autograd.Function;
import io.shendu.backend.Backends;
import io.shendu.backend.PoolKernels;
import io.shendu.backend.PoolKernels.Planes;
import io.shendu.backend.PoolKernels.Window;
import io.shendu.tensor.Tensor;

/**
 * The pooling and resampling primitives, each a fused kernel of the backend with its backward beside it. They
 * take a 4-D {@code [N, C, H, W]} input; {@link PoolFunctional} validates arguments, computes output sizes and
 * maps 1-D and unbatched inputs onto this form.
 */
final class Pooling {

    private Pooling() {}

    /** The planes of a 4-D input {@code [N, C, H, W]} resized to {@code outH × outW}. */
    static Planes planes(Tensor x, int outH, int outW) {
        return new Planes(x.size(0) * x.size(1), x.size(2), x.size(3), outH, outW);
    }

    /**
     * PyTorch's checks of a pooling window along one dimension: positive kernel size, stride and dilation
     * (1 for average pooling), and padding at most half the kernel size. {@code layer} names the caller.
     */
    static void checkWindow(String layer, int kernel, int stride, int pad, int dilation) {
        if (kernel < 1 || stride < 1 || dilation < 1 || pad < 0) {
            throw new IllegalArgumentException(layer + ": kernelSize, stride and dilation must be positive and padding "
                    + "non-negative, got kernelSize=" + kernel + " stride=" + stride + " padding=" + pad
                    + " dilation=" + dilation);
        }
        if (pad > kernel / 2) {
            throw new IllegalArgumentException(layer + ": padding " + pad + " exceeds half the kernel size " + kernel);
        }
    }

    /**
     * PyTorch's pooling output size: {@code ⌊(in + 2·pad − dilation·(kernel − 1) − 1)/stride⌋ + 1}, rounded up
     * instead in ceil mode, except that the last window must start inside the input or the left padding.
     */
    static int outputSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
        int span = in + 2 * pad - dilation * (kernel - 1) - 1;
        if (span < 0) return 0;
        int out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    /**
     * A primitive over the planes of {@code [N, C, H, W]}: the forward runs a kernel from the contiguous input
     * into a new {@code [N, C, outH, outW]}, the backward runs its gradient kernel into a new {@code [N, C, H, W]}.
     * Each subclass names the two kernels, side by side.
     */
    abstract static class PlaneOp extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        final Planes planes;

        PlaneOp(Planes planes) {
            this.planes = planes;
        }

        abstract void forwardKernel(PoolKernels k, float[] x, int xOff, float[] y);

        abstract void backwardKernel(PoolKernels k, float[] gradOut, int gOff, float[] gradIn);

        @Override
        protected final Tensor forward(Tensor... in) {
            Tensor x = in[0].contiguous();
            Tensor y = Tensor.zeros(x.size(0), x.size(1), planes.outH(), planes.outW());
            forwardKernel(Backends.current().pool(), x.floatStorage(), x.offset(), y.floatStorage());
            return y;
        }

        @Override
        protected final Tensor[] backward(Tensor g) {
            Tensor gc = g.contiguous();
            Tensor dx = Tensor.zeros(g.size(0), g.size(1), planes.inH(), planes.inW());
            backwardKernel(Backends.current().pool(), gc.floatStorage(), gc.offset(), dx.floatStorage());
            return new Tensor[] {dx};
        }
    }

    /** Max over each window. ∂y/∂x is 1 at the argmax of each window and 0 elsewhere. */
    static final class MaxPool extends PlaneOp {
        private final Window window;
        private int[] argmax;   // of this one application (a Function instance is applied once)

        private final boolean withIndices;

        MaxPool(Planes planes, Window window) {
            this(planes, window, false);
        }

        /** {@code withIndices}: keep the argmax even when no backward follows (for {@code return_indices}). */
        MaxPool(Planes planes, Window window, boolean withIndices) {
            super(planes);
            this.window = window;
            this.withIndices = withIndices;
        }

        /** The flat index within its input plane of every output's maximum, once applied. */
        int[] argmax() {
            return argmax;
        }

        @Override
        void forwardKernel(PoolKernels k, float[] x, int xOff, float[] y) {
            argmax = withIndices || isRecorded() ? new int[y.length] : null;
            k.maxPool2d(planes, window, x, xOff, y, argmax);
        }

        @Override
        void backwardKernel(PoolKernels k, float[] gradOut, int gOff, float[] gradIn) {
            k.maxPool2dBackward(planes, gradOut, gOff, argmax, gradIn);
        }
    }

    /** Mean over each window with PyTorch's divisor rule. ∂y/∂x = 1/divisor for each x in the window. */
    static final class AvgPool extends PlaneOp {
        private final Window window;
        private final boolean countIncludePad;
        private final int divisorOverride;

        AvgPool(Planes planes, Window window, boolean countIncludePad, int divisorOverride) {
            super(planes);
            this.window = window;
            this.countIncludePad = countIncludePad;
            this.divisorOverride = divisorOverride;
        }

        @Override
        void forwardKernel(PoolKernels k, float[] x, int xOff, float[] y) {
            k.avgPool2d(planes, window, countIncludePad, divisorOverride, x, xOff, y);
        }

        @Override
        void backwardKernel(PoolKernels k, float[] gradOut, int gOff, float[] gradIn) {
            k.avgPool2dBackward(planes, window, countIncludePad, divisorOverride, gradOut, gOff, gradIn);
        }
    }

    /**
     * Mean over the adaptive windows {@code [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)}. ∂y/∂x = 1/(window area) for each x in
     * the window.
     */
    static final class AdaptiveAvgPool extends PlaneOp {
        AdaptiveAvgPool(Planes planes) {
            super(planes);
        }

        @Override
        void forwardKernel(PoolKernels k, float[] x, int xOff, float[] y) {
            k.adaptiveAvgPool2d(planes, x, xOff, y);
        }

        @Override
        void backwardKernel(PoolKernels k, float[] gradOut, int gOff, float[] gradIn) {
            k.adaptiveAvgPool2dBackward(planes, gradOut, gOff, gradIn);
        }
    }

    /**
     * Nearest or bilinear resize ({@code F.interpolate}); ratios are input pixels per output pixel. Nearest:
     * ∂y/∂x is 1 from each output to the pixel it copied. Bilinear: each output's gradient goes to its four
     * source pixels with the interpolation weights {@code (1−dh)(1−dw), (1−dh)dw, dh(1−dw), dh·dw}.
     */
    static final class Interpolate extends PlaneOp {
        private final Upsample.Interpolation mode;
        private final boolean alignCorners;
        private final double ratioH, ratioW;

        Interpolate(Planes planes, Upsample.Interpolation mode, boolean alignCorners, double ratioH, double ratioW) {
            super(planes);
            this.mode = mode;
            this.alignCorners = alignCorners;
            this.ratioH = ratioH;
            this.ratioW = ratioW;
        }

        @Override
        public String name() {
            return "Interpolate(" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }

        @Override
        void forwardKernel(PoolKernels k, float[] x, int xOff, float[] y) {
            switch (mode) {
                case NEAREST -> k.upsampleNearest2d(planes, ratioH, ratioW, x, xOff, y);
                case BILINEAR -> k.upsampleBilinear2d(planes, alignCorners, ratioH, ratioW, x, xOff, y);
            }
        }

        @Override
        void backwardKernel(PoolKernels k, float[] gradOut, int gOff, float[] gradIn) {
            switch (mode) {
                case NEAREST -> k.upsampleNearest2dBackward(planes, ratioH, ratioW, gradOut, gOff, gradIn);
                case BILINEAR -> k.upsampleBilinear2dBackward(planes, alignCorners, ratioH, ratioW, gradOut, gOff, gradIn);
            }
        }
    }
}
