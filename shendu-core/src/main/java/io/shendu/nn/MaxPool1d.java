package io.shendu.nn;

import io.shendu.backend.PoolKernels.Window;
import io.shendu.tensor.Tensor;

/**
 * 1-D max pooling: {@code y[n,c,i] = max_k x[n,c, i·stride − padding + k·dilation]} for {@code k < kernelSize},
 * padding counting as −∞. Input {@code [N, C, L]} or {@code [C, L]}; output length
 * {@code ⌊(L + 2·padding − dilation·(kernelSize − 1) − 1)/stride⌋ + 1} (rounded up in ceil mode, as long as the
 * last window starts inside the input or the left padding). Stateless.
 */
public final class MaxPool1d extends Module {

    /** The window: {@code kernelSize}, {@code stride} (default: the kernel size), padding, dilation, ceil mode. */
    public record MaxPool1dOptions(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        public MaxPool1dOptions {
            Pooling.checkWindow("MaxPool1d", kernelSize, stride, padding, dilation);
        }

        /** A {@code kernelSize} window with stride {@code kernelSize}, no padding. */
        public static MaxPool1dOptions of(int kernelSize) {
            return new MaxPool1dOptions(kernelSize, kernelSize, 0, 1, false);
        }

        public MaxPool1dOptions withStride(int stride) {
            return new MaxPool1dOptions(kernelSize, stride, padding, dilation, ceilMode);
        }

        public MaxPool1dOptions withPadding(int padding) {
            return new MaxPool1dOptions(kernelSize, stride, padding, dilation, ceilMode);
        }

        public MaxPool1dOptions withDilation(int dilation) {
            return new MaxPool1dOptions(kernelSize, stride, padding, dilation, ceilMode);
        }

        public MaxPool1dOptions withCeilMode(boolean ceilMode) {
            return new MaxPool1dOptions(kernelSize, stride, padding, dilation, ceilMode);
        }

        /** The window of the equivalent 2-D pool over {@code [N, C, 1, L]}. */
        Window window() {
            return new Window(1, kernelSize, 1, stride, 0, padding, 1, dilation);
        }
    }

    private final MaxPool1dOptions options;

    public MaxPool1d(int kernelSize) {
        this(MaxPool1dOptions.of(kernelSize));
    }

    public MaxPool1d(MaxPool1dOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "MaxPool1d: options");
    }

    public MaxPool1dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolFunctional.maxPool("MaxPool1d", x, 1, options.window(), options.ceilMode());
    }

    @Override
    public String describe() {
        return "MaxPool1d(kernelSize=" + options.kernelSize() + ", stride=" + options.stride() + ", padding="
                + options.padding() + ", dilation=" + options.dilation() + ", ceilMode=" + options.ceilMode() + ")";
    }
}
