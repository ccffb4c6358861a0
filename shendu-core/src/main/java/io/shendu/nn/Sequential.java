package io.shendu.nn;

import io.shendu.tensor.Tensor;

import java.util.List;

/** Modules applied in order; children are named 0, 1, 2, ... as in PyTorch. */
public final class Sequential extends Module {

    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) registerModule(Integer.toString(i), layers[i]);
    }

    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }
}
