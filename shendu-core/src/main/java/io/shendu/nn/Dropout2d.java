package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * Channel dropout (Tompson et al., 2015): in training mode each whole feature map {@code x[n, c]} of an input
 * {@code [N, C, H, W]} (or {@code [C, H, W]}) is zeroed with probability {@code p} and the others scaled by
 * {@code 1/(1−p)}; in eval mode {@code y = x}. Neighbouring pixels of a conv feature map are correlated, so
 * dropping single pixels would hardly regularise. Randomness as in {@link Dropout}.
 */
public final class Dropout2d extends Module {

    private final double p;
    private final Generator generator;

    /** p = 0.5. */
    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        this(p, Generator.defaultGenerator());
    }

    public Dropout2d(double p, Generator generator) {
        PoolFunctional.checkProbability("Dropout2d", p);
        this.p = p;
        this.generator = java.util.Objects.requireNonNull(generator, "Dropout2d: generator");
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, generator);
    }

    /** The forward drawing its mask from {@code gen}. */
    public Tensor forward(Tensor x, Generator gen) {
        return PoolFunctional.dropout2d("Dropout2d", x, p, isTraining(), gen);
    }

    @Override
    public String describe() {
        return "Dropout2d(p=" + p + ")";
    }
}
