package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** Negative log-likelihood of log-probabilities at class indices; see {@link Losses#nll}. */
public final class NLLLoss {

    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;

    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor logProbs, Tensor target) {
        return Losses.nll(logProbs, target, weight, ignoreIndex, reduction);
    }
}
