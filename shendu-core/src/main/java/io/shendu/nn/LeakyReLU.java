package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** x if x > 0 else negativeSlope·x, elementwise; stateless. */
public final class LeakyReLU extends Module {

    private final float negativeSlope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(negativeSlope);
    }

    @Override
    public String describe() {
        return "LeakyReLU(negativeSlope=" + negativeSlope + ")";
    }
}
