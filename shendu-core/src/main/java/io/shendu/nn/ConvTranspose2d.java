package io.shendu.nn;

import io.shendu.nn.Convolution.Size2;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-D transposed convolution (the gradient of {@link Conv2d} with respect to its input; "deconvolution"):
 * input {@code [N, in, H, W]} (or unbatched {@code [in, H, W]}), weight {@code [in, out/groups, kH, kW]}, bias
 * {@code [out]}, output {@code [N, out, H', W']} with
 * {@code H' = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1}. Initialised as PyTorch
 * does: kaiming_uniform(a = √5) and bias U(±1/√fanIn), where fanIn = weight.size(1)·kH·kW = out/groups·kH·kW.
 */
public final class ConvTranspose2d extends Module {

    /** The layer's hyper-parameters under PyTorch's names (PyTorch's argument order). */
    public record ConvTranspose2dOptions(int inChannels, int outChannels, Size2 kernelSize, Size2 stride,
                                         Size2 padding, Size2 outputPadding, int groups, boolean bias,
                                         Size2 dilation) {

        public ConvTranspose2dOptions {
            Convolution.checkChannels("ConvTranspose2d", inChannels, outChannels, groups);
            Convolution.checkWindow("ConvTranspose2d", kernelSize, stride, padding, dilation);
            Convolution.checkOutputPadding("ConvTranspose2d", outputPadding, stride, dilation);
        }

        public ConvTranspose2dOptions withStride(int stride) {
            return withStride(stride, stride);
        }

        public ConvTranspose2dOptions withStride(int height, int width) {
            return new ConvTranspose2dOptions(inChannels, outChannels, kernelSize, new Size2(height, width), padding,
                    outputPadding, groups, bias, dilation);
        }

        public ConvTranspose2dOptions withPadding(int padding) {
            return withPadding(padding, padding);
        }

        public ConvTranspose2dOptions withPadding(int height, int width) {
            return new ConvTranspose2dOptions(inChannels, outChannels, kernelSize, stride, new Size2(height, width),
                    outputPadding, groups, bias, dilation);
        }

        /** Extra rows and columns on one side of the output; smaller than the stride or the dilation. */
        public ConvTranspose2dOptions withOutputPadding(int outputPadding) {
            return withOutputPadding(outputPadding, outputPadding);
        }

        public ConvTranspose2dOptions withOutputPadding(int height, int width) {
            return new ConvTranspose2dOptions(inChannels, outChannels, kernelSize, stride, padding,
                    new Size2(height, width), groups, bias, dilation);
        }

        public ConvTranspose2dOptions withGroups(int groups) {
            return new ConvTranspose2dOptions(inChannels, outChannels, kernelSize, stride, padding, outputPadding,
                    groups, bias, dilation);
        }

        public ConvTranspose2dOptions withBias(boolean bias) {
            return new ConvTranspose2dOptions(inChannels, outChannels, kernelSize, stride, padding, outputPadding,
                    groups, bias, dilation);
        }

        public ConvTranspose2dOptions withDilation(int dilation) {
            return withDilation(dilation, dilation);
        }

        public ConvTranspose2dOptions withDilation(int height, int width) {
            return new ConvTranspose2dOptions(inChannels, outChannels, kernelSize, stride, padding, outputPadding,
                    groups, bias, new Size2(height, width));
        }
    }

    /** Options with a square kernel, stride 1, no padding or output padding, one group, a bias, dilation 1. */
    public static ConvTranspose2dOptions options(int inChannels, int outChannels, int kernelSize) {
        return new ConvTranspose2dOptions(inChannels, outChannels, Size2.of(kernelSize), Size2.of(1), Size2.of(0),
                Size2.of(0), 1, true, Size2.of(1));
    }

    private final ConvTranspose2dOptions options;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(options(inChannels, outChannels, kernelSize));
    }

    public ConvTranspose2d(ConvTranspose2dOptions options) {
        this(options, Generator.defaultGenerator());
    }

    public ConvTranspose2d(ConvTranspose2dOptions options, Generator gen) {
        this.options = options;
        Size2 k = options.kernelSize();
        Tensor w = registerParameter("weight",
                Tensor.zeros(options.inChannels(), options.outChannels() / options.groups(), k.height(), k.width()));
        Tensor b = options.bias() ? registerParameter("bias", Tensor.zeros(options.outChannels())) : null;
        Convolution.initialise(w, b, gen);
    }

    public ConvTranspose2dOptions options() {
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
        if ((x.rank() != 4 && x.rank() != 3) || x.size(-3) != options.inChannels()) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + options.inChannels()
                    + ", H, W] or [" + options.inChannels() + ", H, W], found " + Arrays.toString(x.shape()));
        }
        return Convolution.convTranspose2d(describe(), x, weight(), bias(), options.stride(), options.padding(),
                options.outputPadding(), options.groups(), options.dilation());
    }

    /** PyTorch's repr, e.g. {@code ConvTranspose2d(64, 32, kernel_size=(2, 2), stride=(2, 2))}. */
    @Override
    public String describe() {
        ConvTranspose2dOptions o = options;
        return "ConvTranspose2d(" + o.inChannels() + ", " + o.outChannels() + ", kernel_size=" + o.kernelSize()
                + ", stride=" + o.stride()
                + (o.padding().equals(Size2.of(0)) ? "" : ", padding=" + o.padding())
                + (o.outputPadding().equals(Size2.of(0)) ? "" : ", output_padding=" + o.outputPadding())
                + (o.dilation().equals(Size2.of(1)) ? "" : ", dilation=" + o.dilation())
                + (o.groups() == 1 ? "" : ", groups=" + o.groups())
                + (o.bias() ? "" : ", bias=False") + ")";
    }
}
