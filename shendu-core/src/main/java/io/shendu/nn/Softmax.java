package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** e^x / Σ e^x along dim; stateless. */
public final class Softmax extends Module {

    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(dim);
    }

    @Override
    public String describe() {
        return "Softmax(dim=" + dim + ")";
    }
}
