package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** x if x > 0 else alpha·(e^x − 1), elementwise; stateless. */
public final class ELU extends Module {

    private final float alpha;

    public ELU() {
        this(1f);
    }

    public ELU(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.elu(alpha);
    }

    @Override
    public String describe() {
        return "ELU(alpha=" + alpha + ")";
    }
}
