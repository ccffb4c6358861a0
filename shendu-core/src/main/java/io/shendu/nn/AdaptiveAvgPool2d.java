package io.shendu.nn;

import io.shendu.tensor.Tensor;

/**
 * Adaptive average pooling to a fixed output size: output cell {@code (i, j)} is the mean of input rows
 * {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} and the columns likewise, whatever the input size. Input
 * {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, outH, outW]}. {@link #global()} is global
 * average pooling ({@code outH = outW = 1}), the head of ResNet and GoogLeNet. Stateless.
 */
public final class AdaptiveAvgPool2d extends Module {

    private final int outH, outW;

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got [" + outH + ", "
                    + outW + "]");
        }
        this.outH = outH;
        this.outW = outW;
    }

    /** Global average pooling: {@code [N, C, H, W] → [N, C, 1, 1]}. */
    public static AdaptiveAvgPool2d global() {
        return new AdaptiveAvgPool2d(1, 1);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolFunctional.adaptiveAvgPool("AdaptiveAvgPool2d", x, outH, outW);
    }

    @Override
    public String describe() {
        return "AdaptiveAvgPool2d(outputSize=[" + outH + ", " + outW + "])";
    }
}
