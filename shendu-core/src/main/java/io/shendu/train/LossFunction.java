package io.shendu.train;

import io.shendu.tensor.Tensor;

/** A training objective: the model's output and the batch's labels to a scalar loss, e.g. {@code CrossEntropyLoss::forward}. */
@FunctionalInterface
public interface LossFunction {
    Tensor apply(Tensor output, Tensor target);
}
