package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * Fully connected layer {@code y = x Wᵀ + b}: input {@code [..., in]}, weight {@code [out, in]}, bias
 * {@code [out]}, output {@code [..., out]}. PyTorch's initialisation: W and b uniform in ±1/√in.
 */
public final class Linear extends Module {

    private final int inFeatures, outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.defaultGenerator());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Tensor w = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        Init.kaimingUniform(w, Math.sqrt(5), Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        if (bias) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform(registerParameter("bias", Tensor.zeros(outFeatures)), -bound, bound, gen);
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when constructed without one. */
    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight(), bias());
    }

    @Override
    public String describe() {
        return "Linear(in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (bias() != null) + ")";
    }
}
