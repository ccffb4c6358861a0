package io.shendu.nn;

import io.shendu.tensor.Tensor;

/** Merges dimensions {@code startDim..endDim} (default 1..−1: all but the batch). */
public final class Flatten extends Module {

    private final int startDim, endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    public String describe() {
        return "Flatten(" + startDim + ", " + endDim + ")";
    }
}
