package io.shendu.nn;

import io.shendu.backend.PoolKernels.Window;
import io.shendu.tensor.Tensor;

/**
 * 2-D average pooling: {@code y[n,c,i,j] = Σ_window x / divisor} over a {@code kH × kW} window with stride and
 * zero padding. The divisor is {@code divisorOverride} when set; else, with {@code countIncludePad} (the default),
 * the window size clipped to the padded input; without it, the number of real input elements in the window.
 * Input {@code [N, C, H, W]} or {@code [C, H, W]}; output sizes as {@link MaxPool2d} with dilation 1. Stateless.
 */
public final class AvgPool2d extends Module {

    /**
     * The window ({@code kernelSize}, {@code stride} defaulting to the kernel size, {@code padding} at most half
     * the kernel size; per dimension) and the divisor rule; {@code divisorOverride} 0 means none.
     */
    public record AvgPool2dOptions(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                                   boolean ceilMode, boolean countIncludePad, int divisorOverride) {
        public AvgPool2dOptions {
            Pooling.checkWindow("AvgPool2d", kernelH, strideH, padH, 1);
            Pooling.checkWindow("AvgPool2d", kernelW, strideW, padW, 1);
            if (divisorOverride < 0) {
                throw new IllegalArgumentException("AvgPool2d: divisorOverride must be positive (or 0 for none), got "
                        + divisorOverride);
            }
        }

        /** A square {@code kernelSize} window with stride {@code kernelSize}, no padding. */
        public static AvgPool2dOptions of(int kernelSize) {
            return of(kernelSize, kernelSize);
        }

        public static AvgPool2dOptions of(int kernelH, int kernelW) {
            return new AvgPool2dOptions(kernelH, kernelW, kernelH, kernelW, 0, 0, false, true, 0);
        }

        public AvgPool2dOptions withStride(int stride) {
            return withStride(stride, stride);
        }

        public AvgPool2dOptions withStride(int strideH, int strideW) {
            return new AvgPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, countIncludePad,
                    divisorOverride);
        }

        public AvgPool2dOptions withPadding(int padding) {
            return withPadding(padding, padding);
        }

        public AvgPool2dOptions withPadding(int padH, int padW) {
            return new AvgPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, countIncludePad,
                    divisorOverride);
        }

        public AvgPool2dOptions withCeilMode(boolean ceilMode) {
            return new AvgPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, countIncludePad,
                    divisorOverride);
        }

        public AvgPool2dOptions withCountIncludePad(boolean countIncludePad) {
            return new AvgPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, countIncludePad,
                    divisorOverride);
        }

        /** Divides every window by {@code divisor} instead (0 restores the default rule). */
        public AvgPool2dOptions withDivisorOverride(int divisor) {
            return new AvgPool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, countIncludePad,
                    divisor);
        }

        Window window() {
            return new Window(kernelH, kernelW, strideH, strideW, padH, padW, 1, 1);
        }
    }

    private final AvgPool2dOptions options;

    /** A square {@code kernelSize} window with stride {@code kernelSize}. */
    public AvgPool2d(int kernelSize) {
        this(AvgPool2dOptions.of(kernelSize));
    }

    public AvgPool2d(AvgPool2dOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "AvgPool2d: options");
    }

    public AvgPool2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor x) {
        AvgPool2dOptions o = options;
        return PoolFunctional.avgPool("AvgPool2d", x, 2, o.window(), o.ceilMode(), o.countIncludePad(),
                o.divisorOverride());
    }

    @Override
    public String describe() {
        AvgPool2dOptions o = options;
        return "AvgPool2d(kernelSize=[" + o.kernelH() + ", " + o.kernelW() + "], stride=[" + o.strideH() + ", "
                + o.strideW() + "], padding=[" + o.padH() + ", " + o.padW() + "], ceilMode=" + o.ceilMode()
                + ", countIncludePad=" + o.countIncludePad()
                + (o.divisorOverride() > 0 ? ", divisorOverride=" + o.divisorOverride() : "") + ")";
    }
}
