package io.shendu.nn;

import io.shendu.backend.PoolKernels.Window;
import io.shendu.tensor.Tensor;

/**
 * 2-D max pooling: {@code y[n,c,i,j] = max_{r,s} x[n,c, i·sH − pH + r·dH, j·sW − pW + s·dW]} over a
 * {@code kH × kW} window, padding counting as −∞. Input {@code [N, C, H, W]} or {@code [C, H, W]}; output
 * {@code H_out = ⌊(H + 2pH − dH(kH − 1) − 1)/sH⌋ + 1} (rounded up in ceil mode, as long as the last window
 * starts inside the input or the left padding), and likewise {@code W_out}. Stateless.
 */
public final class MaxPool2d extends Module {

    /**
     * The window: {@code kernelSize}, {@code stride} (default: the kernel size), {@code padding} (at most half
     * the kernel size), {@code dilation} and {@code ceilMode}, each per dimension (height, width).
     */
    public record MaxPool2dOptions(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                                   int dilationH, int dilationW, boolean ceilMode) {
        public MaxPool2dOptions {
            Pooling.checkWindow("MaxPool2d", kernelH, strideH, padH, dilationH);
            Pooling.checkWindow("MaxPool2d", kernelW, strideW, padW, dilationW);
        }

        /** A square {@code kernelSize} window with stride {@code kernelSize}, no padding. */
        public static MaxPool2dOptions of(int kernelSize) {
            return of(kernelSize, kernelSize);
        }

        public static MaxPool2dOptions of(int kernelH, int kernelW) {
            return new MaxPool2dOptions(kernelH, kernelW, kernelH, kernelW, 0, 0, 1, 1, false);
        }

        public MaxPool2dOptions withStride(int stride) {
            return withStride(stride, stride);
        }

        public MaxPool2dOptions withStride(int strideH, int strideW) {
            return new MaxPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode);
        }

        public MaxPool2dOptions withPadding(int padding) {
            return withPadding(padding, padding);
        }

        public MaxPool2dOptions withPadding(int padH, int padW) {
            return new MaxPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode);
        }

        public MaxPool2dOptions withDilation(int dilation) {
            return withDilation(dilation, dilation);
        }

        public MaxPool2dOptions withDilation(int dilationH, int dilationW) {
            return new MaxPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode);
        }

        public MaxPool2dOptions withCeilMode(boolean ceilMode) {
            return new MaxPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode);
        }

        Window window() {
            return new Window(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW);
        }
    }

    private final MaxPool2dOptions options;

    /** A square {@code kernelSize} window with stride {@code kernelSize} (2 halves each spatial size). */
    public MaxPool2d(int kernelSize) {
        this(MaxPool2dOptions.of(kernelSize));
    }

    public MaxPool2d(MaxPool2dOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "MaxPool2d: options");
    }

    public MaxPool2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolFunctional.maxPool("MaxPool2d", x, 2, options.window(), options.ceilMode());
    }

    @Override
    public String describe() {
        MaxPool2dOptions o = options;
        return "MaxPool2d(kernelSize=[" + o.kernelH() + ", " + o.kernelW() + "], stride=[" + o.strideH() + ", "
                + o.strideW() + "], padding=[" + o.padH() + ", " + o.padW() + "], dilation=[" + o.dilationH() + ", "
                + o.dilationW() + "], ceilMode=" + o.ceilMode() + ")";
    }
}
