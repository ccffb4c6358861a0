package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Module;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * ResNet's basic block (He et al. 2016), as torchvision's {@code BasicBlock}:
 * {@code y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))} with two 3×3 convolutions without bias,
 * the first one strided. The shortcut is the identity, or {@code downsample} (1×1 strided conv + batch norm,
 * named {@code downsample.0}, {@code downsample.1}) when the stride or the channel count changes.
 * Input {@code [N, inplanes, H, W]}, output {@code [N, planes, H/stride, W/stride]}. Expansion 1.
 */
public final class BasicBlock extends Module {

    /** Output channels per {@code planes}. */
    public static final int EXPANSION = 1;

    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final Sequential downsample;

    /** @param downsample the shortcut projection, or null for the identity */
    public BasicBlock(int inplanes, int planes, int stride, Sequential downsample, Generator gen) {
        conv1 = registerModule("conv1", new Conv2d(ResNet.conv3x3(inplanes, planes, stride), gen));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        conv2 = registerModule("conv2", new Conv2d(ResNet.conv3x3(planes, planes, 1), gen));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor identity = downsample == null ? x : downsample.call(x);
        Tensor out = bn1.call(conv1.call(x)).relu();
        out = bn2.call(conv2.call(out));
        return out.add(identity).relu();
    }

    /** The last batch norm, which {@code zeroInitResidual} sets to zero so the block starts as the identity. */
    BatchNorm2d lastNorm() {
        return bn2;
    }
}
