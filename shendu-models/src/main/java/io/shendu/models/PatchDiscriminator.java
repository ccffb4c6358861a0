package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The pix2pix "PatchGAN" discriminator (Isola et al. 2017), shortened for small images: it sees the condition
 * and an image side by side and gives one logit per overlapping patch rather than per image, so it judges local
 * texture and leaves global agreement to the L1 term:
 * <pre>
 *   [condition ⧺ image] [N, c, H, W] → conv4×4/2(f) lrelu → conv4×4/2(2f) bn lrelu → conv3×3(1)
 *   → logits [N, 1, H/4, W/4]   (each sees an 18 × 18 patch)
 * </pre>
 * Children {@code conv1..3}, {@code bn2}; weights N(0, 0.02).
 */
public final class PatchDiscriminator extends Module {

    private static final float SLOPE = 0.2f;

    private final int inChannels, features;
    private final Conv2d conv1, conv2, conv3;
    private final BatchNorm2d bn2;

    /** @param inChannels channels of condition and image together; @param features channels of the first layer */
    public PatchDiscriminator(int inChannels, int features, Generator gen) {
        if (inChannels <= 0 || features <= 0) {
            throw new IllegalArgumentException("PatchDiscriminator: channels and features must be positive, got "
                    + inChannels + ", " + features);
        }
        this.inChannels = inChannels;
        this.features = features;
        conv1 = registerModule("conv1", new Conv2d(Conv2d.options(inChannels, features, 4).withStride(2).withPadding(1), gen));
        conv2 = registerModule("conv2", new Conv2d(
                Conv2d.options(features, 2 * features, 4).withStride(2).withPadding(1).withBias(false), gen));
        bn2 = registerModule("bn2", new BatchNorm2d(2 * features));
        conv3 = registerModule("conv3", new Conv2d(Conv2d.options(2 * features, 1, 3).withPadding(1), gen));
        DcganGenerator.initWeights(this, gen);
    }

    /** Condition and image concatenated, {@code [N, c, H, W]}, to patch logits {@code [N, 1, H/4, W/4]}. */
    @Override
    public Tensor forward(Tensor pair) {
        if (pair.rank() != 4 || pair.size(1) != inChannels) {
            throw new IllegalArgumentException(describe() + ": expected [N, " + inChannels + ", H, W], found "
                    + Arrays.toString(pair.shape()));
        }
        Tensor x = conv1.call(pair).leakyRelu(SLOPE);
        x = bn2.call(conv2.call(x)).leakyRelu(SLOPE);
        return conv3.call(x);
    }

    /** The patch logits of {@code image} given {@code condition} (concatenated along the channels). */
    public Tensor forward(Tensor condition, Tensor image) {
        return forward(Tensor.cat(List.of(condition, image), 1));
    }

    @Override
    public String describe() {
        return "PatchDiscriminator(in=" + inChannels + ", features=" + features + ")";
    }
}
