package io.shendu.models;

import io.shendu.autograd.NoGrad;
import io.shendu.nn.BatchNorm1d;
import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.ConvTranspose2d;
import io.shendu.nn.Embedding;
import io.shendu.nn.Init;
import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The DCGAN generator (Radford, Metz and Chintala 2015) sized for 28 × 28 grey images: transposed convolutions,
 * batch norm and ReLU, tanh at the end, so samples lie in [−1, 1]:
 * <pre>
 *   z [N, latent] (⧺ embed(label) [N, classes] when conditional)
 *   → Linear, reshape      → [N, 2f, 7, 7]   BN, ReLU       (the paper's "project and reshape")
 *   → ConvT 4×4 s2 p1      → [N, f, 14, 14]  BN, ReLU
 *   → ConvT 4×4 s2 p1      → [N, 1, 28, 28]  tanh
 * </pre>
 * With {@code numClasses > 0} it is the conditional variant (Mirza and Osindero 2014): a learnt embedding of the
 * class label is appended to the noise, so {@link #forward(Tensor, Tensor)} draws the requested digit. Children
 * {@code label} (conditional only), {@code project}, {@code bn1}, {@code conv2}, {@code bn2}, {@code conv3};
 * weights as the paper: N(0, 0.02).
 */
public final class DcganGenerator extends Module {

    private final int latentDim, features, numClasses;
    private final Embedding label;
    private final Linear project;
    private final ConvTranspose2d conv2, conv3;
    private final BatchNorm2d bn1, bn2;

    /**
     * @param latentDim length of the noise vector z (the paper: 100)
     * @param features channels of the 14 × 14 layer; the 7 × 7 layer has twice as many
     * @param numClasses classes of the conditional variant, 0 for the plain DCGAN
     */
    public DcganGenerator(int latentDim, int features, int numClasses, Generator gen) {
        if (latentDim <= 0 || features <= 0 || numClasses < 0) {
            throw new IllegalArgumentException("DcganGenerator: latentDim and features must be positive and numClasses >= 0, got "
                    + latentDim + ", " + features + ", " + numClasses);
        }
        this.latentDim = latentDim;
        this.features = features;
        this.numClasses = numClasses;
        label = numClasses > 0 ? registerModule("label", new Embedding(numClasses, numClasses, gen)) : null;
        project = registerModule("project", new Linear(latentDim + numClasses, 2 * features * 7 * 7, false, gen));
        bn1 = registerModule("bn1", new BatchNorm2d(2 * features));
        conv2 = registerModule("conv2", new ConvTranspose2d(
                ConvTranspose2d.options(2 * features, features, 4).withStride(2).withPadding(1).withBias(false), gen));
        bn2 = registerModule("bn2", new BatchNorm2d(features));
        conv3 = registerModule("conv3", new ConvTranspose2d(
                ConvTranspose2d.options(features, 1, 4).withStride(2).withPadding(1), gen));
        initWeights(this, gen);
    }

    public int latentDim() {
        return latentDim;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Standard-normal noise {@code [n, latentDim]}. */
    public Tensor noise(int n, Generator gen) {
        return Tensor.randn(gen, n, latentDim);
    }

    /** Plain DCGAN: noise {@code [N, latentDim]} to images {@code [N, 1, 28, 28]} in [−1, 1]. */
    @Override
    public Tensor forward(Tensor z) {
        if (numClasses > 0) throw new IllegalArgumentException(describe() + ": conditional generator needs labels: forward(z, labels)");
        return decode(checkNoise(z));
    }

    /** Conditional: noise {@code [N, latentDim]} and int32 labels {@code [N]} to images {@code [N, 1, 28, 28]}. */
    public Tensor forward(Tensor z, Tensor labels) {
        if (numClasses == 0) throw new IllegalArgumentException(describe() + ": unconditional generator takes no labels");
        checkNoise(z);
        if (labels.rank() != 1 || labels.size(0) != z.size(0)) {
            throw new IllegalArgumentException(describe() + ": labels " + Arrays.toString(labels.shape()) + " must be [" + z.size(0) + "]");
        }
        return decode(Tensor.cat(List.of(z, label.call(labels)), 1));
    }

    private Tensor decode(Tensor code) {
        Tensor x = project.call(code).reshape(code.size(0), 2 * features, 7, 7);
        x = bn1.call(x).relu();
        x = bn2.call(conv2.call(x)).relu();
        return conv3.call(x).tanh();
    }

    private Tensor checkNoise(Tensor z) {
        if (z.rank() != 2 || z.size(1) != latentDim) {
            throw new IllegalArgumentException(describe() + ": expected noise [N, " + latentDim + "], found " + Arrays.toString(z.shape()));
        }
        return z;
    }

    /**
     * The DCGAN initialisation, for any network built of these layers: convolution and linear weights N(0, 0.02),
     * batch-norm scales N(1, 0.02), biases 0. Embeddings keep their N(0, 1).
     */
    public static void initWeights(Module model, Generator gen) {
        try (var ignored = NoGrad.enter()) {
            model.apply(m -> {
                switch (m) {
                    case Conv2d c -> normalAndZero(c.weight(), c.bias(), 0, gen);
                    case ConvTranspose2d c -> normalAndZero(c.weight(), c.bias(), 0, gen);
                    case Linear l -> normalAndZero(l.weight(), l.bias(), 0, gen);
                    case BatchNorm2d b -> normalAndZero(b.weight(), b.bias(), 1, gen);
                    case BatchNorm1d b -> normalAndZero(b.weight(), b.bias(), 1, gen);
                    default -> { }
                }
            });
        }
    }

    private static void normalAndZero(Tensor weight, Tensor bias, double mean, Generator gen) {
        if (weight != null) Init.normal(weight, mean, 0.02, gen);
        if (bias != null) Init.zeros(bias);
    }

    @Override
    public String describe() {
        return "DcganGenerator(latent=" + latentDim + ", features=" + features
                + (numClasses > 0 ? ", classes=" + numClasses : "") + ")";
    }
}
