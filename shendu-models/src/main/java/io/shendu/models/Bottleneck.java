package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Module;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * ResNet's bottleneck block, as torchvision's {@code Bottleneck} (ResNet v1.5: the stride sits on the 3×3
 * convolution): 1×1 conv to {@code planes} channels, 3×3 strided conv, 1×1 conv to {@code 4·planes}, each
 * followed by batch norm, with ReLU after the first two and after the residual sum
 * {@code y = relu(bn3(conv3(...)) + shortcut(x))}. The shortcut is the identity or {@code downsample}.
 * Input {@code [N, inplanes, H, W]}, output {@code [N, 4·planes, H/stride, W/stride]}. Expansion 4.
 */
public final class Bottleneck extends Module {

    /** Output channels per {@code planes}. */
    public static final int EXPANSION = 4;

    private final Conv2d conv1, conv2, conv3;
    private final BatchNorm2d bn1, bn2, bn3;
    private final Sequential downsample;

    /** @param downsample the shortcut projection, or null for the identity */
    public Bottleneck(int inplanes, int planes, int stride, Sequential downsample, Generator gen) {
        conv1 = registerModule("conv1", new Conv2d(ResNet.conv1x1(inplanes, planes, 1), gen));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        conv2 = registerModule("conv2", new Conv2d(ResNet.conv3x3(planes, planes, stride), gen));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        conv3 = registerModule("conv3", new Conv2d(ResNet.conv1x1(planes, planes * EXPANSION, 1), gen));
        bn3 = registerModule("bn3", new BatchNorm2d(planes * EXPANSION));
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor identity = downsample == null ? x : downsample.call(x);
        Tensor out = bn1.call(conv1.call(x)).relu();
        out = bn2.call(conv2.call(out)).relu();
        out = bn3.call(conv3.call(out));
        return out.add(identity).relu();
    }

    /** The last batch norm, which {@code zeroInitResidual} sets to zero so the block starts as the identity. */
    BatchNorm2d lastNorm() {
        return bn3;
    }
}
