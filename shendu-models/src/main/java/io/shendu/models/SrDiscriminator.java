package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * The SRGAN discriminator (Ledig et al. 2017), shortened to two resolution steps for small grey images: 3 × 3
 * convolutions with LeakyReLU(0.2), batch norm after the first, every second one with stride 2 and the channels
 * doubling, then two dense layers to one logit per image:
 * <pre>
 *   x [N, 1, S, S] → conv(f) → conv/2(f) → conv(2f) → conv/2(2f) → [N, 2f, S/4, S/4]
 *   → flatten → dense(8f) → LeakyReLU → dense(1) → logits [N]
 * </pre>
 * Children {@code conv1..4}, {@code bn2..4}, {@code fc1, fc2}.
 */
public final class SrDiscriminator extends Module {

    private static final float SLOPE = 0.2f;

    private final int imageSize, features;
    private final Conv2d conv1, conv2, conv3, conv4;
    private final BatchNorm2d bn2, bn3, bn4;
    private final Linear fc1, fc2;

    /** @param imageSize side S of the (high-resolution) images it judges; @param features channels f of the first layer */
    public SrDiscriminator(int imageSize, int features, Generator gen) {
        if (imageSize < 4 || features <= 0) {
            throw new IllegalArgumentException("SrDiscriminator: imageSize must be >= 4 and features positive, got "
                    + imageSize + ", " + features);
        }
        this.imageSize = imageSize;
        this.features = features;
        conv1 = registerModule("conv1", conv(1, features, 1, true, gen));
        conv2 = registerModule("conv2", conv(features, features, 2, false, gen));
        bn2 = registerModule("bn2", new BatchNorm2d(features));
        conv3 = registerModule("conv3", conv(features, 2 * features, 1, false, gen));
        bn3 = registerModule("bn3", new BatchNorm2d(2 * features));
        conv4 = registerModule("conv4", conv(2 * features, 2 * features, 2, false, gen));
        bn4 = registerModule("bn4", new BatchNorm2d(2 * features));
        int side = halve(halve(imageSize));
        fc1 = registerModule("fc1", new Linear(2 * features * side * side, 8 * features, true, gen));
        fc2 = registerModule("fc2", new Linear(8 * features, 1, true, gen));
    }

    private static Conv2d conv(int in, int out, int stride, boolean bias, Generator gen) {
        return new Conv2d(Conv2d.options(in, out, 3).withStride(stride).withPadding(1).withBias(bias), gen);
    }

    /** The output side of a 3 × 3 convolution with stride 2 and padding 1. */
    private static int halve(int side) {
        return (side - 1) / 2 + 1;
    }

    /** Images {@code [N, 1, S, S]} to logits {@code [N]} (positive: "a real high-resolution image"). */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.size(1) != 1 || x.size(2) != imageSize || x.size(3) != imageSize) {
            throw new IllegalArgumentException(describe() + ": expected images [N, 1, " + imageSize + ", " + imageSize
                    + "], found " + Arrays.toString(x.shape()));
        }
        x = conv1.call(x).leakyRelu(SLOPE);
        x = bn2.call(conv2.call(x)).leakyRelu(SLOPE);
        x = bn3.call(conv3.call(x)).leakyRelu(SLOPE);
        x = bn4.call(conv4.call(x)).leakyRelu(SLOPE);
        x = fc1.call(x.flatten(1, -1)).leakyRelu(SLOPE);
        return fc2.call(x).reshape(x.size(0));
    }

    @Override
    public String describe() {
        return "SrDiscriminator(imageSize=" + imageSize + ", features=" + features + ")";
    }
}
