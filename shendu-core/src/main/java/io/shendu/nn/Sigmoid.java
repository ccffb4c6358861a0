package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** 1/(1 + e^(−x)), elementwise; stateless. */
public final class Sigmoid extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }

    @Override
    public String describe() {
        return "Sigmoid()";
    }
}
