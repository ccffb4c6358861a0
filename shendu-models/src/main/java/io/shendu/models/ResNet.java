package io.shendu.models;

import io.shendu.nn.AdaptiveAvgPool2d;
import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Conv2d.Conv2dOptions;
import io.shendu.nn.Init;
import io.shendu.nn.Linear;
import io.shendu.nn.MaxPool2d;
import io.shendu.nn.MaxPool2d.MaxPool2dOptions;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet (He et al., "Deep Residual Learning for Image Recognition", 2016) with torchvision's module tree and
 * parameter names ({@code conv1, bn1, layer1.0.conv1.weight, layer2.0.downsample.0.weight, fc}), so PyTorch
 * weights load unchanged. Stem (7×7/2 conv, batch norm, ReLU, 3×3/2 max pool), four stages of residual blocks
 * with 64, 128, 256, 512 {@code planes} (stages 2–4 start with stride 2), global average pooling and a linear
 * classifier. Input {@code [N, C, H, W]}, output {@code [N, numClasses]}. Parameters at 1000 classes:
 * ResNet-18 11,689,512; -34 21,797,672; -50 25,557,032; -101 44,549,160; -152 60,192,808.
 *
 * <p>The small-input variant ({@link ResNetOptions#small}) for 28×28 and 32×32 images replaces the stem's 7×7
 * convolution by a 3×3 one (stride {@code firstStride}, padding 1) and drops the max pool, as the CIFAR
 * adaptations of torchvision's model do ({@code conv1 = Conv2d(C, 64, 3, 1, 1, bias=False); maxpool =
 * Identity()}); every other name and shape stays. ResNet-18 small at 10 classes: 11,173,962 parameters for
 * 3 input channels, 11,172,810 for 1.
 */
public final class ResNet extends Module {

    /** The residual block of a depth and its channel expansion. */
    public enum Block {
        BASIC(BasicBlock.EXPANSION), BOTTLENECK(Bottleneck.EXPANSION);

        final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }

        Module create(int inplanes, int planes, int stride, Sequential downsample, Generator gen) {
            return this == BASIC ? new BasicBlock(inplanes, planes, stride, downsample, gen)
                    : new Bottleneck(inplanes, planes, stride, downsample, gen);
        }
    }

    /** torchvision's depths: the block type and the number of blocks of each stage. */
    public enum Depth {
        RESNET18(Block.BASIC, 2, 2, 2, 2),
        RESNET34(Block.BASIC, 3, 4, 6, 3),
        RESNET50(Block.BOTTLENECK, 3, 4, 6, 3),
        RESNET101(Block.BOTTLENECK, 3, 4, 23, 3),
        RESNET152(Block.BOTTLENECK, 3, 8, 36, 3);

        final Block block;
        final int[] layers;

        Depth(Block block, int... layers) {
            this.block = block;
            this.layers = layers;
        }
    }

    /**
     * Input channels, classes, the stem ({@code smallInput}: 3×3 conv and no max pool), the stride of the first
     * convolution, and torchvision's {@code zero_init_residual} (each block's last batch-norm weight starts at 0).
     */
    public record ResNetOptions(int inChannels, int numClasses, boolean smallInput, int firstStride,
                                boolean zeroInitResidual) {
        public ResNetOptions {
            if (inChannels < 1 || numClasses < 1 || firstStride < 1) {
                throw new IllegalArgumentException("ResNet: inChannels, numClasses and firstStride must be positive, got "
                        + inChannels + ", " + numClasses + ", " + firstStride);
            }
        }

        /** torchvision's model: 3 input channels, the ImageNet stem. */
        public static ResNetOptions imagenet(int numClasses) {
            return new ResNetOptions(3, numClasses, false, 2, false);
        }

        /** The small-input stem (3×3 conv with stride {@code firstStride}, no max pool) for 28×28 or 32×32 images. */
        public static ResNetOptions small(int inChannels, int firstStride, int numClasses) {
            return new ResNetOptions(inChannels, numClasses, true, firstStride, false);
        }

        public ResNetOptions withInChannels(int c) {
            return new ResNetOptions(c, numClasses, smallInput, firstStride, zeroInitResidual);
        }

        public ResNetOptions withFirstStride(int s) {
            return new ResNetOptions(inChannels, numClasses, smallInput, s, zeroInitResidual);
        }

        public ResNetOptions withZeroInitResidual(boolean z) {
            return new ResNetOptions(inChannels, numClasses, smallInput, firstStride, z);
        }
    }

    private final Depth depth;
    private final ResNetOptions options;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final Sequential layer1, layer2, layer3, layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;

    public ResNet(Depth depth, ResNetOptions options, Generator gen) {
        this.depth = depth;
        this.options = options;
        Conv2dOptions stem = options.smallInput()
                ? Conv2d.options(options.inChannels(), 64, 3).withPadding(1)
                : Conv2d.options(options.inChannels(), 64, 7).withPadding(3);
        conv1 = registerModule("conv1", new Conv2d(stem.withStride(options.firstStride()).withBias(false), gen));
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        registerModule("relu", new ReLU());
        maxpool = options.smallInput() ? null
                : registerModule("maxpool", new MaxPool2d(MaxPool2dOptions.of(3).withStride(2).withPadding(1)));
        int[] inplanes = {64};
        layer1 = registerModule("layer1", makeLayer(depth.block, inplanes, 64, depth.layers[0], 1, gen));
        layer2 = registerModule("layer2", makeLayer(depth.block, inplanes, 128, depth.layers[1], 2, gen));
        layer3 = registerModule("layer3", makeLayer(depth.block, inplanes, 256, depth.layers[2], 2, gen));
        layer4 = registerModule("layer4", makeLayer(depth.block, inplanes, 512, depth.layers[3], 2, gen));
        avgpool = registerModule("avgpool", AdaptiveAvgPool2d.global());
        fc = registerModule("fc", new Linear(512 * depth.block.expansion, options.numClasses(), true, gen));
        initialise(gen);
    }

    /** One stage: {@code blocks} blocks, the first strided and with a projection shortcut if shapes change. */
    private static Sequential makeLayer(Block block, int[] inplanes, int planes, int blocks, int stride, Generator gen) {
        int out = planes * block.expansion;
        Sequential downsample = stride != 1 || inplanes[0] != out
                ? new Sequential(new Conv2d(conv1x1(inplanes[0], out, stride), gen), new BatchNorm2d(out))
                : null;
        List<Module> list = new ArrayList<>();
        list.add(block.create(inplanes[0], planes, stride, downsample, gen));
        inplanes[0] = out;
        for (int i = 1; i < blocks; i++) list.add(block.create(out, planes, 1, null, gen));
        return new Sequential(list.toArray(Module[]::new));
    }

    /** torchvision's initialisation: convolutions kaiming_normal(fan_out, relu); batch norm 1 and 0 (its default). */
    private void initialise(Generator gen) {
        apply(m -> {
            if (m instanceof Conv2d c) Init.kaimingNormal(c.weight(), 0, Init.Mode.FAN_OUT, Init.Nonlinearity.RELU, gen);
            if (options.zeroInitResidual() && m instanceof BasicBlock b) Init.zeros(b.lastNorm().weight());
            if (options.zeroInitResidual() && m instanceof Bottleneck b) Init.zeros(b.lastNorm().weight());
        });
    }

    static Conv2dOptions conv3x3(int in, int out, int stride) {
        return Conv2d.options(in, out, 3).withStride(stride).withPadding(1).withBias(false);
    }

    static Conv2dOptions conv1x1(int in, int out, int stride) {
        return Conv2d.options(in, out, 1).withStride(stride).withBias(false);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = bn1.call(conv1.call(x)).relu();
        if (maxpool != null) x = maxpool.call(x);
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        x = avgpool.call(x).flatten(1, -1);
        return fc.call(x);
    }

    public ResNetOptions options() {
        return options;
    }

    @Override
    public String describe() {
        return "ResNet(" + depth.name().toLowerCase(java.util.Locale.ROOT) + ", " + options + ")";
    }
}
