package io.shendu.nn;

import io.shendu.backend.PoolKernels.Window;
import io.shendu.tensor.Tensor;

/**
 * 1-D average pooling: {@code y[n,c,i] = Σ_k x[n,c, i·stride − padding + k] / divisor} with zero padding; the
 * divisor is the window clipped to the padded input with {@code countIncludePad} (the default), else the number
 * of real elements in the window. Input {@code [N, C, L]} or {@code [C, L]}; output length as {@link MaxPool1d}
 * with dilation 1. Stateless.
 */
public final class AvgPool1d extends Module {

    /** The window ({@code kernelSize}, {@code stride} defaulting to it, {@code padding}), ceil mode, divisor rule. */
    public record AvgPool1dOptions(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        public AvgPool1dOptions {
            Pooling.checkWindow("AvgPool1d", kernelSize, stride, padding, 1);
        }

        /** A {@code kernelSize} window with stride {@code kernelSize}, no padding, counting padding. */
        public static AvgPool1dOptions of(int kernelSize) {
            return new AvgPool1dOptions(kernelSize, kernelSize, 0, false, true);
        }

        public AvgPool1dOptions withStride(int stride) {
            return new AvgPool1dOptions(kernelSize, stride, padding, ceilMode, countIncludePad);
        }

        public AvgPool1dOptions withPadding(int padding) {
            return new AvgPool1dOptions(kernelSize, stride, padding, ceilMode, countIncludePad);
        }

        public AvgPool1dOptions withCeilMode(boolean ceilMode) {
            return new AvgPool1dOptions(kernelSize, stride, padding, ceilMode, countIncludePad);
        }

        public AvgPool1dOptions withCountIncludePad(boolean countIncludePad) {
            return new AvgPool1dOptions(kernelSize, stride, padding, ceilMode, countIncludePad);
        }

        /** The window of the equivalent 2-D pool over {@code [N, C, 1, L]}. */
        Window window() {
            return new Window(1, kernelSize, 1, stride, 0, padding, 1, 1);
        }
    }

    private final AvgPool1dOptions options;

    public AvgPool1d(int kernelSize) {
        this(AvgPool1dOptions.of(kernelSize));
    }

    public AvgPool1d(AvgPool1dOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "AvgPool1d: options");
    }

    public AvgPool1dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolFunctional.avgPool("AvgPool1d", x, 1, options.window(), options.ceilMode(),
                options.countIncludePad(), 0);
    }

    @Override
    public String describe() {
        return "AvgPool1d(kernelSize=" + options.kernelSize() + ", stride=" + options.stride() + ", padding="
                + options.padding() + ", ceilMode=" + options.ceilMode() + ", countIncludePad="
                + options.countIncludePad() + ")";
    }
}
