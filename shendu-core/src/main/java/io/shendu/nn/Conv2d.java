package io.shendu.nn;

import io.shendu.nn.Convolution.Size2;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-D convolution {@code y = x ⋆ W + b}: input {@code [N, in, H, W]} (or unbatched {@code [in, H, W]}), weight
 * {@code [out, in/groups, kH, kW]}, bias {@code [out]}, output {@code [N, out, H', W']} with
 * {@code H' = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1}. PyTorch's initialisation: W by
 * kaiming_uniform(a = √5), b uniform in ±1/√fanIn, fanIn = in/groups·kH·kW.
 * <pre>{@code
 * var conv = new Conv2d(Conv2d.options(3, 64, 3).withPadding(1).withBias(false));
 * }</pre>
 */
public final class Conv2d extends Module {

    /**
     * The layer's hyper-parameters under PyTorch's names; {@code samePadding} is PyTorch's {@code padding='same'}
     * (output size = input size; {@code padding} is then unused). Validated on construction.
     */
    public record Conv2dOptions(int inChannels, int outChannels, Size2 kernelSize, Size2 stride, Size2 padding,
                                boolean samePadding, Size2 dilation, int groups, boolean bias) {

        public Conv2dOptions {
            Convolution.checkChannels("Conv2d", inChannels, outChannels, groups);
            Convolution.checkWindow("Conv2d", kernelSize, stride, padding, dilation);
            Convolution.checkSamePadding("Conv2d", samePadding, stride);
        }

        public Conv2dOptions withStride(int stride) {
            return withStride(stride, stride);
        }

        public Conv2dOptions withStride(int height, int width) {
            return new Conv2dOptions(inChannels, outChannels, kernelSize, new Size2(height, width), padding,
                    samePadding, dilation, groups, bias);
        }

        public Conv2dOptions withPadding(int padding) {
            return withPadding(padding, padding);
        }

        public Conv2dOptions withPadding(int height, int width) {
            return new Conv2dOptions(inChannels, outChannels, kernelSize, stride, new Size2(height, width), false,
                    dilation, groups, bias);
        }

        /** PyTorch's {@code padding='same'}. */
        public Conv2dOptions withSamePadding() {
            return new Conv2dOptions(inChannels, outChannels, kernelSize, stride, Size2.of(0), true, dilation,
                    groups, bias);
        }

        public Conv2dOptions withDilation(int dilation) {
            return withDilation(dilation, dilation);
        }

        public Conv2dOptions withDilation(int height, int width) {
            return new Conv2dOptions(inChannels, outChannels, kernelSize, stride, padding, samePadding,
                    new Size2(height, width), groups, bias);
        }

        public Conv2dOptions withGroups(int groups) {
            return new Conv2dOptions(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation,
                    groups, bias);
        }

        public Conv2dOptions withBias(boolean bias) {
            return new Conv2dOptions(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation,
                    groups, bias);
        }
    }

    /** Options with a square kernel, stride 1, no padding, dilation 1, one group and a bias. */
    public static Conv2dOptions options(int inChannels, int outChannels, int kernelSize) {
        return options(inChannels, outChannels, kernelSize, kernelSize);
    }

    public static Conv2dOptions options(int inChannels, int outChannels, int kernelHeight, int kernelWidth) {
        return new Conv2dOptions(inChannels, outChannels, new Size2(kernelHeight, kernelWidth), Size2.of(1),
                Size2.of(0), false, Size2.of(1), 1, true);
    }

    private final Conv2dOptions options;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(options(inChannels, outChannels, kernelSize));
    }

    public Conv2d(Conv2dOptions options) {
        this(options, Generator.defaultGenerator());
    }

    public Conv2d(Conv2dOptions options, Generator gen) {
        this.options = options;
        Size2 k = options.kernelSize();
        Tensor w = registerParameter("weight",
                Tensor.zeros(options.outChannels(), options.inChannels() / options.groups(), k.height(), k.width()));
        Tensor b = options.bias() ? registerParameter("bias", Tensor.zeros(options.outChannels())) : null;
        Convolution.initialise(w, b, gen);
    }

    public Conv2dOptions options() {
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
        return forward(x, weight(), bias(), false);
    }

    /** {@code relu(forward(x))} in one kernel: the ReLU is applied as the outputs are stored. */
    public Tensor forwardRelu(Tensor x) {
        return forward(x, weight(), bias(), true);
    }

    /**
     * {@code bn(forward(x))}, then a ReLU when {@code relu}, with the batch norm folded into this layer's weight and
     * bias: {@code w' = w·s}, {@code b' = (b − mean)·s + β} with {@code s = γ / √(var + ε)} per output channel. Only
     * for a batch norm that normalises with its running statistics ({@link BatchNorm2d#normalisesWithRunningStats()});
     * the folding is made of differentiable ops, so gradients still reach w, b, γ and β.
     */
    public Tensor forwardFolded(Tensor x, BatchNorm2d bn, boolean relu) {
        Tensor[] folded = fold(bn);
        return forward(x, folded[0], folded[1], relu);
    }

    /**
     * {@code maxPool2d(relu(bn(forward(x))), 2)} as one op: the batch norm folded as in {@link #forwardFolded}, the
     * convolution output pooled as it is computed ({@link #forwardReluMaxPool2}).
     */
    public Tensor forwardFoldedReluMaxPool2(Tensor x, BatchNorm2d bn) {
        Tensor[] folded = fold(bn);
        checkInput(x);
        return Convolution.conv2dReluMaxPool2(describe(), x, folded[0], folded[1], options.stride(), options.padding(),
                options.samePadding(), options.dilation(), options.groups());
    }

    /** The weight and bias with {@code bn} (eval mode) folded in: {@code w·s} and {@code (b − mean)·s + β}. */
    private Tensor[] fold(BatchNorm2d bn) {
        if (!bn.normalisesWithRunningStats() || bn.numFeatures() != options.outChannels()) {
            throw new IllegalArgumentException(describe() + ": cannot fold " + bn.describe() + " (it must have "
                    + options.outChannels() + " features and normalise with running statistics, i.e. be in eval mode)");
        }
        Tensor invStd = bn.runningVar().add((float) bn.options().eps()).sqrt().reciprocal();
        Tensor scale = bn.weight() == null ? invStd : invStd.mul(bn.weight());
        Tensor shift = bias() == null ? bn.runningMean().neg() : bias().sub(bn.runningMean());
        shift = shift.mul(scale);
        if (bn.bias() != null) shift = shift.add(bn.bias());
        return new Tensor[] {weight().mul(scale.reshape(options.outChannels(), 1, 1, 1)), shift};
    }

    /**
     * {@code maxPool2d(relu(forward(x)), 2)} as one op: the conv → ReLU → 2×2 max pool block without its
     * intermediate tensors ({@link ConvFunctional#conv2dReluMaxPool2}), bitwise the three layers' result. While a
     * {@link Module#summary} traces the thread it runs as the layers, this one recorded with the ReLU's output.
     */
    public Tensor forwardReluMaxPool2(Tensor x) {
        if (tracing()) return PoolFunctional.maxPool2d(call(x, this::forwardRelu), 2);
        checkInput(x);
        return Convolution.conv2dReluMaxPool2(describe(), x, weight(), bias(), options.stride(), options.padding(),
                options.samePadding(), options.dilation(), options.groups());
    }

    private Tensor forward(Tensor x, Tensor w, Tensor b, boolean relu) {
        checkInput(x);
        return Convolution.conv2d(describe(), x, w, b, options.stride(), options.padding(),
                options.samePadding(), options.dilation(), options.groups(), relu);
    }

    private void checkInput(Tensor x) {
        if ((x.rank() != 4 && x.rank() != 3) || x.size(-3) != options.inChannels()) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + options.inChannels()
                    + ", H, W] or [" + options.inChannels() + ", H, W], found " + Arrays.toString(x.shape()));
        }
    }

    /** PyTorch's repr, e.g. {@code Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)}. */
    @Override
    public String describe() {
        Conv2dOptions o = options;
        return "Conv2d(" + o.inChannels() + ", " + o.outChannels() + ", kernel_size=" + o.kernelSize()
                + ", stride=" + o.stride()
                + (o.samePadding() ? ", padding=same"
                        : o.padding().equals(Size2.of(0)) ? "" : ", padding=" + o.padding())
                + (o.dilation().equals(Size2.of(1)) ? "" : ", dilation=" + o.dilation())
                + (o.groups() == 1 ? "" : ", groups=" + o.groups())
                + (o.bias() ? "" : ", bias=False") + ")";
    }
}
