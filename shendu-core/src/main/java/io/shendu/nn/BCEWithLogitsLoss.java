package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** Binary cross-entropy of logits, numerically stable; see {@link Losses#binaryCrossEntropyWithLogits}. */
public final class BCEWithLogitsLoss {

    private final Tensor weight;
    private final Tensor posWeight;
    private final Reduction reduction;

    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        this.weight = weight;
        this.posWeight = posWeight;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }
}
