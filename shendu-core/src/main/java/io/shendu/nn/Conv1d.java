package io.shendu.nn;

import io.shendu.nn.Convolution.Size2;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * 1-D convolution {@code y = x ⋆ W + b}: input {@code [N, in, L]} (or unbatched {@code [in, L]}), weight
 * {@code [out, in/groups, k]}, bias {@code [out]}, output {@code [N, out, L']} with
 * {@code L' = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1}. Initialised as PyTorch does (see
 * {@link Conv2d}). It runs as a 2-D convolution of height 1.
 */
public final class Conv1d extends Module {

    /** The layer's hyper-parameters under PyTorch's names; {@code samePadding} is {@code padding='same'}. */
    public record Conv1dOptions(int inChannels, int outChannels, int kernelSize, int stride, int padding,
                                boolean samePadding, int dilation, int groups, boolean bias) {

        public Conv1dOptions {
            Convolution.checkChannels("Conv1d", inChannels, outChannels, groups);
            Convolution.checkWindow("Conv1d", Size2.of(kernelSize), Size2.of(stride), Size2.of(padding),
                    Size2.of(dilation));
            Convolution.checkSamePadding("Conv1d", samePadding, Size2.of(stride));
        }

        public Conv1dOptions withStride(int stride) {
            return new Conv1dOptions(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation,
                    groups, bias);
        }

        public Conv1dOptions withPadding(int padding) {
            return new Conv1dOptions(inChannels, outChannels, kernelSize, stride, padding, false, dilation, groups,
                    bias);
        }

        /** PyTorch's {@code padding='same'}. */
        public Conv1dOptions withSamePadding() {
            return new Conv1dOptions(inChannels, outChannels, kernelSize, stride, 0, true, dilation, groups, bias);
        }

        public Conv1dOptions withDilation(int dilation) {
            return new Conv1dOptions(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation,
                    groups, bias);
        }

        public Conv1dOptions withGroups(int groups) {
            return new Conv1dOptions(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation,
                    groups, bias);
        }

        public Conv1dOptions withBias(boolean bias) {
            return new Conv1dOptions(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation,
                    groups, bias);
        }
    }

    /** Options with stride 1, no padding, dilation 1, one group and a bias. */
    public static Conv1dOptions options(int inChannels, int outChannels, int kernelSize) {
        return new Conv1dOptions(inChannels, outChannels, kernelSize, 1, 0, false, 1, 1, true);
    }

    private final Conv1dOptions options;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(options(inChannels, outChannels, kernelSize));
    }

    public Conv1d(Conv1dOptions options) {
        this(options, Generator.defaultGenerator());
    }

    public Conv1d(Conv1dOptions options, Generator gen) {
        this.options = options;
        Tensor w = registerParameter("weight",
                Tensor.zeros(options.outChannels(), options.inChannels() / options.groups(), options.kernelSize()));
        Tensor b = options.bias() ? registerParameter("bias", Tensor.zeros(options.outChannels())) : null;
        Convolution.initialise(w, b, gen);
    }

    public Conv1dOptions options() {
        return options;
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
        if ((x.rank() != 3 && x.rank() != 2) || x.size(-2) != options.inChannels()) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + options.inChannels()
                    + ", L] or [" + options.inChannels() + ", L], found " + Arrays.toString(x.shape()));
        }
        return ConvFunctional.conv1d(describe(), x, weight(), bias(), options.stride(), options.padding(),
                options.samePadding(), options.dilation(), options.groups());
    }

    /** PyTorch's repr, e.g. {@code Conv1d(16, 32, kernel_size=(3,), stride=(1,), padding=(1,))}. */
    @Override
    public String describe() {
        Conv1dOptions o = options;
        return "Conv1d(" + o.inChannels() + ", " + o.outChannels() + ", kernel_size=(" + o.kernelSize()
                + ",), stride=(" + o.stride() + ",)"
                + (o.samePadding() ? ", padding=same" : o.padding() == 0 ? "" : ", padding=(" + o.padding() + ",)")
                + (o.dilation() == 1 ? "" : ", dilation=(" + o.dilation() + ",)")
                + (o.groups() == 1 ? "" : ", groups=" + o.groups())
                + (o.bias() ? "" : ", bias=False") + ")";
    }
}
