package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** The mean squared error (input − target)². */
public final class MSELoss {

    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mse(input, target, reduction);
    }
}
