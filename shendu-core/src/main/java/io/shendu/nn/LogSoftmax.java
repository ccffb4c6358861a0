package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** x − log Σ e^x along dim; stateless. */
public final class LogSoftmax extends Module {

    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.logSoftmax(dim);
    }

    @Override
    public String describe() {
        return "LogSoftmax(dim=" + dim + ")";
    }
}
