package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** The mean absolute error |input − target|. */
public final class L1Loss {

    private final Reduction reduction;

    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1(input, target, reduction);
    }
}
