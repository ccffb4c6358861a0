package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Module;
import io.shendu.nn.Normalization.BatchNormOptions;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * GoogLeNet's convolution unit, as torchvision's {@code BasicConv2d}: {@code y = relu(bn(conv(x)))} with a
 * convolution without bias (named {@code conv}) and batch norm with eps 0.001 (named {@code bn}).
 */
public final class BasicConv2d extends Module {

    private final Conv2d conv;
    private final BatchNorm2d bn;

    /** @param options the convolution's; its bias setting is ignored (there is none) */
    public BasicConv2d(Conv2d.Conv2dOptions options, Generator gen) {
        conv = registerModule("conv", new Conv2d(options.withBias(false), gen));
        bn = registerModule("bn", new BatchNorm2d(options.outChannels(), BatchNormOptions.DEFAULTS.withEps(1e-3)));
    }

    /** A {@code kernelSize} square convolution with stride 1 and {@code padding}. */
    public BasicConv2d(int inChannels, int outChannels, int kernelSize, int padding, Generator gen) {
        this(Conv2d.options(inChannels, outChannels, kernelSize).withPadding(padding), gen);
    }

    @Override
    public Tensor forward(Tensor x) {
        return bn.call(conv.call(x)).relu();
    }

    Conv2d conv() {
        return conv;
    }
}
