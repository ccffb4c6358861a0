package io.shendu.models;

import io.shendu.nn.Dropout;
import io.shendu.nn.Flatten;
import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A multi-layer perceptron: flatten, then {@code Linear → activation (→ dropout)} for each hidden width, then
 * a final {@code Linear}. Children are a single {@link Sequential} named {@code layers}.
 */
public final class MLP extends Module {

    private final Sequential layers;
    private final int[] widths;

    /**
     * @param widths input size, hidden sizes..., output size (e.g. 784, 256, 128, 10)
     * @param activation a fresh activation module per hidden layer (e.g. {@code ReLU::new})
     * @param dropout drop probability after each hidden activation (0: none)
     */
    public MLP(int[] widths, Supplier<Module> activation, double dropout, Generator gen) {
        if (widths.length < 2) throw new IllegalArgumentException("MLP: need at least input and output sizes, got " + widths.length);
        this.widths = widths.clone();
        List<Module> list = new ArrayList<>();
        list.add(new Flatten());
        for (int i = 0; i + 1 < widths.length; i++) {
            list.add(new Linear(widths[i], widths[i + 1], true, gen));
            if (i + 2 < widths.length) {
                list.add(activation.get());
                if (dropout > 0) list.add(new Dropout(dropout, gen.split()));
            }
        }
        layers = registerModule("layers", new Sequential(list.toArray(Module[]::new)));
    }

    public MLP(int... widths) {
        this(widths, ReLU::new, 0, Generator.defaultGenerator());
    }

    @Override
    public Tensor forward(Tensor x) {
        return layers.call(x);
    }

    @Override
    public String describe() {
        return "MLP" + java.util.Arrays.toString(widths);
    }
}
