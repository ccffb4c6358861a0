package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** x·Φ(x), exact, or with {@code approximateTanh} its tanh approximation; stateless. */
public final class GELU extends Module {

    private final boolean approximateTanh;

    public GELU() {
        this(false);
    }

    public GELU(boolean approximateTanh) {
        this.approximateTanh = approximateTanh;
    }

    @Override
    public Tensor forward(Tensor x) {
        return approximateTanh ? x.geluTanh() : x.gelu();
    }

    @Override
    public String describe() {
        return approximateTanh ? "GELU(approximate=tanh)" : "GELU()";
    }
}
