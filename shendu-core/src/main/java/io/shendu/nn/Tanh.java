package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** tanh(x), elementwise; stateless. */
public final class Tanh extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }

    @Override
    public String describe() {
        return "Tanh()";
    }
}
