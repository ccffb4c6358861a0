package io.shendu.nn;

import io.shendu.tensor.Tensor;

/**
 * Softmax cross-entropy from logits: {@code −Σ_c t_c·log softmax(x)_c}, with class indices or probabilities
 * as target, optional class weights, ignore index and label smoothing ({@link Losses.CrossEntropyOptions}).
 */
public final class CrossEntropyLoss {

    private final Losses.CrossEntropyOptions options;

    public CrossEntropyLoss() {
        this(Losses.CrossEntropyOptions.defaults());
    }

    public CrossEntropyLoss(Losses.CrossEntropyOptions options) {
        this.options = options;
    }

    public Tensor forward(Tensor logits, Tensor target) {
        return Losses.crossEntropy(logits, target, options);
    }
}
