package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** Binary cross-entropy of probabilities in (0, 1); see {@link Losses#binaryCrossEntropy}. */
public final class BCELoss {

    private final Tensor weight;
    private final Reduction reduction;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        this.weight = weight;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }
}
