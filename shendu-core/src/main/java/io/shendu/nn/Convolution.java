package io.shendu.nn;

import io.shendu.autograd.Function;
import io.shendu.backend.Backends;
import io.shendu.backend.BinaryOp;
import io.shendu.backend.ConvKernels;
import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * The two convolution primitives, each a fused kernel with its gradient next to it, and the checks that turn
 * tensors and hyper-parameters into a {@link ConvGeometry}. Conv1d is Conv2d with a height of 1; a transposed
 * convolution is the adjoint of a convolution, so it runs the same three kernels in another order.
 *
 * <p>The layers ({@link Conv1d}, {@link Conv2d}, {@link ConvTranspose2d}) and {@link ConvFunctional} validate
 * their arguments here, naming themselves in the error.
 */
public final class Convolution {

    private Convolution() {}

    /** A hyper-parameter per spatial dimension (kernel size, stride, padding, dilation), as PyTorch's pairs. */
    public record Size2(int height, int width) {

        /** The same value for both dimensions, as PyTorch's single int. */
        public static Size2 of(int both) {
            return new Size2(both, both);
        }

        @Override
        public String toString() {
            return "(" + height + ", " + width + ")";
        }
    }

    /**
     * {@code y = x ⋆ w + b}: x {@code [N, C, H, W]}, w {@code [O, C/G, kH, kW]}, b {@code [O]} or null. With
     * {@code same}, the padding is chosen so that the output has the input's size ({@code padding} is ignored;
     * stride must be 1); an odd total padding puts the extra zero after the input, as PyTorch does.
     */
    static Tensor conv2d(String who, Tensor x, Tensor w, Tensor b, Size2 stride, Size2 padding, boolean same,
                         Size2 dilation, int groups) {
        return conv2d(who, x, w, b, stride, padding, same, dilation, groups, false);
    }

    /** {@link #conv2d}, followed by a ReLU fused into the kernel's store when {@code relu}. */
    static Tensor conv2d(String who, Tensor x, Tensor w, Tensor b, Size2 stride, Size2 padding, boolean same,
                         Size2 dilation, int groups, boolean relu) {
        if (x.rank() == 3) {
            return conv2d(who, x.unsqueeze(0), w, b, stride, padding, same, dilation, groups, relu).squeeze(0);
        }
        var geometry = geometry(who, x, w, b, stride, padding, same, dilation, groups);
        return b == null ? new Conv(geometry, relu).apply(x, w) : new Conv(geometry, relu).apply(x, w, b);
    }

    /**
     * {@code maxPool2d(relu(conv2d(...)), 2)} as one op ({@link ConvReluMaxPool}); a 2×2 stride-2 pool that drops
     * an odd last row or column, as the unfused pool does.
     */
    static Tensor conv2dReluMaxPool2(String who, Tensor x, Tensor w, Tensor b, Size2 stride, Size2 padding,
                                     boolean same, Size2 dilation, int groups) {
        if (x.rank() == 3) {
            return conv2dReluMaxPool2(who, x.unsqueeze(0), w, b, stride, padding, same, dilation, groups).squeeze(0);
        }
        var geometry = geometry(who, x, w, b, stride, padding, same, dilation, groups);
        if (geometry.height().out() < 2 || geometry.width().out() < 2) {
            throw new IllegalArgumentException(who + ": the convolution output of input " + Arrays.toString(x.shape())
                    + " is " + geometry.height().out() + "x" + geometry.width().out()
                    + ", too small for a 2x2 max pool (at least 2x2)");
        }
        var fn = new ConvReluMaxPool(geometry);
        return b == null ? fn.apply(x, w) : fn.apply(x, w, b);
    }

    /** Checks a batched convolution's arguments and returns its geometry. */
    private static ConvGeometry geometry(String who, Tensor x, Tensor w, Tensor b, Size2 stride, Size2 padding,
                                         boolean same, Size2 dilation, int groups) {
        requireRank(who, "input", x, 4, "[N, C, H, W] (or unbatched [C, H, W])");
        requireRank(who, "weight", w, 4, "[out, in/groups, kH, kW]");
        checkHyperParameters(who, stride, padding, dilation, groups);
        checkSamePadding(who, same, stride);
        int out = w.size(0), in = x.size(1);
        if (out % groups != 0 || w.size(1) * groups != in) {
            throw new IllegalArgumentException(who + ": input " + Arrays.toString(x.shape()) + " and weight "
                    + Arrays.toString(w.shape()) + " with groups=" + groups + ": expected " + w.size(1) * groups
                    + " input channels (weight.size(1)·groups) and out channels divisible by groups, found "
                    + in + " input channels and " + out + " out channels");
        }
        checkBias(who, b, out);
        ConvAxis height = axis(who, x, 2, w.size(2), stride.height(), padding.height(), same, dilation.height());
        ConvAxis width = axis(who, x, 3, w.size(3), stride.width(), padding.width(), same, dilation.width());
        return new ConvGeometry(x.size(0), in, out, groups, height, width);
    }

    /**
     * The transposed convolution: x {@code [N, in, H, W]}, w {@code [in, out/G, kH, kW]}, output
     * {@code [N, out, (H−1)·s − 2p + d·(k−1) + outputPadding + 1, ...]}: the gradient of {@link #conv2d} with
     * respect to its input, for the convolution from the output's size to x's.
     */
    static Tensor convTranspose2d(String who, Tensor x, Tensor w, Tensor b, Size2 stride, Size2 padding,
                                  Size2 outputPadding, int groups, Size2 dilation) {
        if (x.rank() == 3) {
            Tensor y = convTranspose2d(who, x.unsqueeze(0), w, b, stride, padding, outputPadding, groups, dilation);
            return y.squeeze(0);
        }
        requireRank(who, "input", x, 4, "[N, C, H, W] (or unbatched [C, H, W])");
        requireRank(who, "weight", w, 4, "[in, out/groups, kH, kW]");
        checkHyperParameters(who, stride, padding, dilation, groups);
        checkOutputPadding(who, outputPadding, stride, dilation);
        int in = x.size(1), out = w.size(1) * groups;
        if (w.size(0) != in || in % groups != 0) {
            throw new IllegalArgumentException(who + ": input " + Arrays.toString(x.shape()) + " and weight "
                    + Arrays.toString(w.shape()) + " with groups=" + groups + ": expected weight.size(0) = " + in
                    + " input channels, divisible by groups, found " + w.size(0));
        }
        checkBias(who, b, out);
        ConvAxis height = transposedAxis(who, x, 2, w.size(2), stride.height(), padding.height(),
                outputPadding.height(), dilation.height());
        ConvAxis width = transposedAxis(who, x, 3, w.size(3), stride.width(), padding.width(),
                outputPadding.width(), dilation.width());
        var geometry = new ConvGeometry(x.size(0), out, in, groups, height, width);
        Tensor y = new ConvTranspose(geometry).apply(x, w);
        return b == null ? y : y.add(b.reshape(1, out, 1, 1));
    }

    /**
     * Convolution forward and backward. The local derivatives of {@code y = x ⋆ w + b} are the two adjoint
     * products: {@code dx = dy ⋆ᵀ w} (backward input), {@code dw = Σ_n dy[n] ⋆ x[n]} (backward weight), and
     * {@code db = Σ_{n,i,j} dy}.
     */
    static final class Conv extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final ConvGeometry geometry;
        /** Whether a ReLU follows in the same kernel: y = max(x ⋆ w + b, 0), and dy is masked by y > 0. */
        private final boolean relu;
        private boolean hasBias;

        Conv(ConvGeometry geometry) {
            this(geometry, false);
        }

        Conv(ConvGeometry geometry, boolean relu) {
            this.geometry = geometry;
            this.relu = relu;
        }

        @Override
        public String name() {
            return relu ? "Conv+ReLU" : "Conv";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            hasBias = in.length > 2;
            Tensor x = in[0].contiguous(), w = in[1].contiguous(), b = in.length > 2 ? in[2].contiguous() : null;
            Tensor y = Tensor.zeros(geometry.batch(), geometry.outChannels(), geometry.height().out(),
                    geometry.width().out());
            if (relu) {
                kernels().forwardRelu(geometry, x.floatStorage(), x.offset(), w.floatStorage(), w.offset(),
                        b == null ? null : b.floatStorage(), b == null ? 0 : b.offset(), y.floatStorage(), 0);
                saveForBackward(in[0], in[1], y);
            } else {
                kernels().forward(geometry, x.floatStorage(), x.offset(), w.floatStorage(), w.offset(),
                        b == null ? null : b.floatStorage(), b == null ? 0 : b.offset(), y.floatStorage(), 0);
                saveForBackward(in[0], in[1]);
            }
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor gy) {
            Tensor[] s = savedTensors();
            Tensor dy = relu ? reluMask(gy, s[2]) : gy.contiguous();
            return gradients(geometry, dy.floatStorage(), dy.offset(), s[0], s[1], hasBias, needsInputGrad(0),
                    needsInputGrad(1), hasBias && needsInputGrad(2));
        }
    }

    /**
     * The gradients of a convolution {@code y = x ⋆ w (+ b)} from dL/dy (contiguous, at {@code dyOff}): dx, dw
     * and, with a bias, db, each computed only where asked (null otherwise).
     */
    static Tensor[] gradients(ConvGeometry geometry, float[] dy, int dyOff, Tensor input, Tensor weight,
                              boolean hasBias, boolean needX, boolean needW, boolean needB) {
        Tensor x = input.contiguous(), w = weight.contiguous();
        Tensor dx = null, dw = null, db = null;
        if (needX) {
            dx = Tensor.zeros(x.shape());
            kernels().backwardInput(geometry, dy, dyOff, w.floatStorage(), w.offset(), dx.floatStorage(), 0);
        }
        if (needW) {
            dw = Tensor.zeros(w.shape());
            kernels().backwardWeight(geometry, x.floatStorage(), x.offset(), dy, dyOff, dw.floatStorage(), 0);
        }
        if (!hasBias) return new Tensor[] {dx, dw};
        if (needB) {
            db = Tensor.zeros(geometry.outChannels());
            kernels().backwardBias(geometry, dy, dyOff, db.floatStorage(), 0);
        }
        return new Tensor[] {dx, dw, db};
    }

    /** {@code g · 1[y > 0]}: the ReLU's backward, from its output (y > 0 exactly where its input was). */
    private static Tensor reluMask(Tensor g, Tensor y) {
        float[] out = new float[g.numel()];
        Backends.current().binary(BinaryOp.RELU_BACKWARD, 0f, 0f, y.stridedView(), g.stridedView(), out);
        return Tensor.adopt(out, g.shape());
    }

    /**
     * Transposed convolution forward and backward, for the convolution {@code geometry} from this op's output
     * to its input: the forward is that convolution's input gradient, and the gradients are its forward
     * ({@code dx = dy ⋆ w}) and its weight gradient with the roles of image and gradient exchanged
     * ({@code dw = Σ_n x[n] ⋆ dy[n]}).
     */
    static final class ConvTranspose extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final ConvGeometry geometry;

        ConvTranspose(ConvGeometry geometry) {
            this.geometry = geometry;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            Tensor x = in[0].contiguous(), w = in[1].contiguous();
            Tensor y = Tensor.zeros(geometry.batch(), geometry.inChannels(), geometry.height().in(),
                    geometry.width().in());
            kernels().backwardInput(geometry, x.floatStorage(), x.offset(), w.floatStorage(), w.offset(),
                    y.floatStorage(), 0);
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor gy) {
            Tensor[] s = savedTensors();
            Tensor dy = gy.contiguous(), x = s[0].contiguous(), w = s[1].contiguous();
            Tensor dx = null, dw = null;
            if (needsInputGrad(0)) {
                dx = Tensor.zeros(x.shape());
                kernels().forward(geometry, dy.floatStorage(), dy.offset(), w.floatStorage(), w.offset(), null, 0,
                        dx.floatStorage(), 0);
            }
            if (needsInputGrad(1)) {
                dw = Tensor.zeros(w.shape());
                kernels().backwardWeight(geometry, dy.floatStorage(), dy.offset(), x.floatStorage(), x.offset(),
                        dw.floatStorage(), 0);
            }
            return new Tensor[] {dx, dw};
        }
    }

    static ConvKernels kernels() {
        return Backends.current().conv();
    }

    // ------------------------------------------------------------------ layers

    /**
     * PyTorch's default initialisation of a convolution layer: W by kaiming_uniform(a = √5), that is U(±1/√fanIn),
     * then b (when not null) U(±1/√fanIn), with fanIn = weight.size(1)·kH·kW.
     */
    static void initialise(Tensor weight, Tensor bias, Generator gen) {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        if (bias != null) {
            double bound = 1 / Math.sqrt(Init.fanIn(weight));
            Init.uniform(bias, -bound, bound, gen);
        }
    }

    static void checkChannels(String layer, int inChannels, int outChannels, int groups) {
        if (inChannels < 1 || outChannels < 1 || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(layer + ": inChannels " + inChannels + " and outChannels " + outChannels
                    + " must be positive multiples of groups " + groups);
        }
    }

    static void checkWindow(String layer, Size2 kernelSize, Size2 stride, Size2 padding, Size2 dilation) {
        if (kernelSize.height() < 1 || kernelSize.width() < 1) {
            throw new IllegalArgumentException(layer + ": kernelSize " + kernelSize + " must be >= 1");
        }
        checkHyperParameters(layer, stride, padding, dilation, 1);
    }

    static void checkSamePadding(String layer, boolean same, Size2 stride) {
        if (same && (stride.height() != 1 || stride.width() != 1)) {
            throw new IllegalArgumentException(layer + ": padding 'same' needs stride 1, got stride " + stride);
        }
    }

    /** PyTorch's rule: output padding smaller than either the stride or the dilation, per dimension. */
    static void checkOutputPadding(String who, Size2 outputPadding, Size2 stride, Size2 dilation) {
        if (outputPadding.height() < 0 || outputPadding.width() < 0
                || (outputPadding.height() >= stride.height() && outputPadding.height() >= dilation.height())
                || (outputPadding.width() >= stride.width() && outputPadding.width() >= dilation.width())) {
            throw new IllegalArgumentException(who + ": output padding " + outputPadding
                    + " must be >= 0 and smaller than either stride " + stride + " or dilation " + dilation);
        }
    }

    // ------------------------------------------------------------------ checks

    private static void requireRank(String who, String what, Tensor t, int rank, String layout) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(who + ": expected " + rank + "-D " + what + " " + layout + ", found "
                    + Arrays.toString(t.shape()));
        }
    }

    private static void checkHyperParameters(String who, Size2 stride, Size2 padding, Size2 dilation, int groups) {
        if (stride.height() < 1 || stride.width() < 1 || dilation.height() < 1 || dilation.width() < 1
                || padding.height() < 0 || padding.width() < 0 || groups < 1) {
            throw new IllegalArgumentException(who + ": stride " + stride + ", dilation " + dilation + " and groups "
                    + groups + " must be >= 1 and padding " + padding + " >= 0");
        }
    }

    private static void checkBias(String who, Tensor b, int out) {
        if (b != null && (b.rank() != 1 || b.size(0) != out)) {
            throw new IllegalArgumentException(who + ": expected bias [" + out + "], found "
                    + Arrays.toString(b.shape()));
        }
    }

    private static ConvAxis axis(String who, Tensor x, int dim, int kernel, int stride, int padding, boolean same,
                                 int dilation) {
        int in = x.size(dim), before = padding, after = padding;
        if (same) {
            int total = dilation * (kernel - 1);
            before = total / 2;
            after = total - before;
        }
        int out = ConvAxis.outSize(in, kernel, stride, before, after, dilation);
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(who + ": input " + Arrays.toString(x.shape()) + " is too small: size "
                    + in + " of dimension " + dim + " with padding " + before + "+" + after + " is smaller than "
                    + "the dilated kernel " + (dilation * (kernel - 1) + 1));
        }
        return new ConvAxis(in, out, kernel, stride, before, dilation);
    }

    private static ConvAxis transposedAxis(String who, Tensor x, int dim, int kernel, int stride, int padding,
                                           int outputPadding, int dilation) {
        int in = x.size(dim);
        int out = (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(who + ": input " + Arrays.toString(x.shape()) + " gives an empty "
                    + "output: size " + out + " along dimension " + dim);
        }
        return new ConvAxis(out, in, kernel, stride, padding, dilation);   // the convolution from output to input
    }
}
