package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** max(x, 0), elementwise; stateless. */
public final class ReLU extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }

    @Override
    public String describe() {
        return "ReLU()";
    }
}
