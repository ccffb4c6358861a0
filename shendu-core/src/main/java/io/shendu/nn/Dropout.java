package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al., 2014): in training mode each element is zeroed with probability
 * {@code p} and the survivors scaled by {@code 1/(1−p)}, so {@code E[y] = x}; in eval mode {@code y = x}.
 * The mask is drawn from the generator given at construction ({@link Generator#defaultGenerator()} if none) or
 * to {@link #forward(Tensor, Generator)}; the same seed gives the same masks. The module keeps no per-call
 * state, and in eval mode it never touches its generator.
 */
public final class Dropout extends Module {

    private final double p;
    private final Generator generator;

    /** p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, Generator.defaultGenerator());
    }

    public Dropout(double p, Generator generator) {
        PoolFunctional.checkProbability("Dropout", p);
        this.p = p;
        this.generator = java.util.Objects.requireNonNull(generator, "Dropout: generator");
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, generator);
    }

    /** The forward drawing its mask from {@code gen} (e.g. one generator per worker thread). */
    public Tensor forward(Tensor x, Generator gen) {
        return PoolFunctional.dropout("Dropout", x, p, isTraining(), gen, x.shape());
    }

    @Override
    public String describe() {
        return "Dropout(p=" + p + ")";
    }
}
