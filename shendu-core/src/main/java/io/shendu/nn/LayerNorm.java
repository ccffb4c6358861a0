package io.shendu.nn;

import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation (Ba, Kiros and Hinton, 2016) over the trailing dimensions {@code normalizedShape}:
 * {@code y = (x − mean)/√(var + eps)·weight + bias}, with the mean and biased variance of each sample's last
 * {@code ∏ normalizedShape} elements. Input {@code [..., *normalizedShape]}, output the same shape. The same in
 * training and evaluation. Parameters as PyTorch: {@code weight} (ones) and {@code bias} (zeros), of shape
 * {@code normalizedShape}.
 */
public final class LayerNorm extends Module {

    /** {@code eps} added to the variance; learnable {@code elementwiseAffine} weight, and {@code bias} with it. */
    public record Options(double eps, boolean elementwiseAffine, boolean bias) {

        public static final Options DEFAULTS = new Options(1e-5, true, true);

        public Options {
            if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm.Options: eps must be > 0, got " + eps);
        }

        public Options withEps(double eps) {
            return new Options(eps, elementwiseAffine, bias);
        }

        public Options withElementwiseAffine(boolean elementwiseAffine) {
            return new Options(eps, elementwiseAffine, bias);
        }

        public Options withBias(boolean bias) {
            return new Options(eps, elementwiseAffine, bias);
        }
    }

    private final int[] normalizedShape;
    private final Options options;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, Options.DEFAULTS);
    }

    public LayerNorm(int[] normalizedShape, Options options) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must be non-empty and positive, got "
                    + Arrays.toString(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.options = options;
        if (options.elementwiseAffine()) {
            registerParameter("weight", Tensor.ones(normalizedShape));
            if (options.bias()) registerParameter("bias", Tensor.zeros(normalizedShape));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        if (x.rank() < k || !Arrays.equals(Arrays.copyOfRange(x.shape(), x.rank() - k, x.rank()), normalizedShape)) {
            throw new IllegalArgumentException(describe() + ": expected input [..., "
                    + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + "], found " + Arrays.toString(x.shape()));
        }
        return Normalization.layerNorm(x, normalizedShape, parameter("weight"), parameter("bias"), options.eps());
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    public String describe() {
        return "LayerNorm(" + Arrays.toString(normalizedShape) + ", eps=" + options.eps() + ", elementwiseAffine="
                + options.elementwiseAffine() + ")";
    }
}
