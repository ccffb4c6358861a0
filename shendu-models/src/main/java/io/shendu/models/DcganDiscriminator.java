package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Embedding;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The DCGAN discriminator (Radford, Metz and Chintala 2015) for 28 × 28 grey images: strided convolutions instead
 * of pooling, LeakyReLU(0.2), batch norm everywhere but the first layer; one logit per image, to be used with
 * {@code binaryCrossEntropyWithLogits}:
 * <pre>
 *   x [N, 1, 28, 28] (⧺ embed(label) as a second 28 × 28 channel when conditional)
 *   → Conv 4×4 s2 p1  → [N, f, 14, 14]   LeakyReLU
 *   → Conv 4×4 s2 p1  → [N, 2f, 7, 7]    BN, LeakyReLU
 *   → Conv 7×7        → [N, 1, 1, 1]     → logits [N]
 * </pre>
 * Children {@code label} (conditional only), {@code conv1..3}, {@code bn2}; weights N(0, 0.02).
 */
public final class DcganDiscriminator extends Module {

    private static final int SIDE = 28;
    private static final float SLOPE = 0.2f;

    private final int features, numClasses;
    private final Embedding label;
    private final Conv2d conv1, conv2, conv3;
    private final BatchNorm2d bn2;

    /**
     * @param features channels of the first layer; the second has twice as many
     * @param numClasses classes of the conditional variant, 0 for the plain DCGAN
     */
    public DcganDiscriminator(int features, int numClasses, Generator gen) {
        if (features <= 0 || numClasses < 0) {
            throw new IllegalArgumentException("DcganDiscriminator: features must be positive and numClasses >= 0, got "
                    + features + ", " + numClasses);
        }
        this.features = features;
        this.numClasses = numClasses;
        label = numClasses > 0 ? registerModule("label", new Embedding(numClasses, SIDE * SIDE, gen)) : null;
        int in = numClasses > 0 ? 2 : 1;
        conv1 = registerModule("conv1", new Conv2d(Conv2d.options(in, features, 4).withStride(2).withPadding(1), gen));
        conv2 = registerModule("conv2", new Conv2d(
                Conv2d.options(features, 2 * features, 4).withStride(2).withPadding(1).withBias(false), gen));
        bn2 = registerModule("bn2", new BatchNorm2d(2 * features));
        conv3 = registerModule("conv3", new Conv2d(Conv2d.options(2 * features, 1, 7), gen));
        DcganGenerator.initWeights(this, gen);
    }

    public int numClasses() {
        return numClasses;
    }

    /** Plain DCGAN: images {@code [N, 1, 28, 28]} to logits {@code [N]} (positive: "real"). */
    @Override
    public Tensor forward(Tensor x) {
        if (numClasses > 0) throw new IllegalArgumentException(describe() + ": conditional discriminator needs labels: forward(x, labels)");
        return score(checkImages(x));
    }

    /** Conditional: images {@code [N, 1, 28, 28]} and int32 labels {@code [N]} to logits {@code [N]}. */
    public Tensor forward(Tensor x, Tensor labels) {
        if (numClasses == 0) throw new IllegalArgumentException(describe() + ": unconditional discriminator takes no labels");
        checkImages(x);
        if (labels.rank() != 1 || labels.size(0) != x.size(0)) {
            throw new IllegalArgumentException(describe() + ": labels " + Arrays.toString(labels.shape()) + " must be [" + x.size(0) + "]");
        }
        Tensor labelPlane = label.call(labels).reshape(x.size(0), 1, SIDE, SIDE);
        return score(Tensor.cat(List.of(x, labelPlane), 1));
    }

    private Tensor score(Tensor x) {
        x = conv1.call(x).leakyRelu(SLOPE);
        x = bn2.call(conv2.call(x)).leakyRelu(SLOPE);
        return conv3.call(x).reshape(x.size(0));
    }

    private Tensor checkImages(Tensor x) {
        if (x.rank() != 4 || x.size(1) != 1 || x.size(2) != SIDE || x.size(3) != SIDE) {
            throw new IllegalArgumentException(describe() + ": expected images [N, 1, 28, 28], found " + Arrays.toString(x.shape()));
        }
        return x;
    }

    @Override
    public String describe() {
        return "DcganDiscriminator(features=" + features + (numClasses > 0 ? ", classes=" + numClasses : "") + ")";
    }
}
