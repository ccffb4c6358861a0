package io.shendu.backend;

/**
 * The convolution kernels of a backend (see {@link Backend#conv()}): the forward of a 2-D convolution and its two
 * gradients, over contiguous NCHW arrays. The geometry is PyTorch's (cross-correlation, zero padding, dilation,
 * groups):
 * <pre>
 *   y[n, o, i, j] = b[o] + Σ_{c, p, q} w[o, c, p, q] · x[n, g·C/G + c, i·sH − padH + p·dH, j·sW − padW + q·dW]
 * </pre>
 * with x {@code [N, C, H, W]}, w {@code [O, C/G, kH, kW]}, y {@code [N, O, outH, outW]}, g = o / (O/G) the group
 * of output channel o, and x read as 0 outside its bounds.
 *
 * <p>The kernels are the products of a convolution layer — forward, input gradient, weight gradient, bias
 * gradient — the split cuDNN makes (forward, backward data, backward filter, backward bias), so a GPU backend can
 * implement the SPI call for call. A 1-D convolution is the 2-D one with {@code H = kH = 1}. A transposed
 * convolution runs the same kernels in another order: its forward is {@link #backwardInput}, its input gradient
 * is {@link #forward}, and its weight gradient is {@link #backwardWeight} with {@code x} and {@code dy} exchanged
 * (the transposed layer's weight {@code [in, out/G, kH, kW]} is the weight of the convolution it transposes).
 *
 * <p>Every kernel overwrites its output. Arrays are addressed from an offset; all of them are dense row-major.
 */
public interface ConvKernels {

    /**
     * One spatial axis of a convolution: input size, output size, kernel size, stride, padding (before the first
     * element) and dilation. The output size is normally {@link #of}'s
     * {@code ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1}; it is explicit so that asymmetric padding ('same' with an even kernel: the extra
     * zero after the input) and a transposed convolution's output padding need no special case. Windows that lie
     * past the input read zeros.
     */
    record ConvAxis(int in, int out, int kernel, int stride, int padding, int dilation) {

        public ConvAxis {
            if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
                throw new IllegalArgumentException("conv: invalid axis " + this
                        + " (sizes, kernel, stride and dilation must be >= 1, padding >= 0)");
            }
        }

        /** The axis with symmetric padding and the output size that implies. */
        public static ConvAxis of(int in, int kernel, int stride, int padding, int dilation) {
            return new ConvAxis(in, outSize(in, kernel, stride, padding, padding, dilation), kernel, stride, padding,
                    dilation);
        }

        /** {@code ⌊(in + before + after − dilation·(kernel − 1) − 1) / stride⌋ + 1}; may be 0 or less. */
        public static int outSize(int in, int kernel, int stride, int before, int after, int dilation) {
            return Math.floorDiv(in + before + after - dilation * (kernel - 1) - 1, stride) + 1;
        }

        /** The input index that output {@code o} reads with kernel tap {@code k} (may be out of bounds). */
        public int inputIndex(int o, int k) {
            return o * stride - padding + k * dilation;
        }
    }

    /**
     * The shape of one convolution: batch, input and output channels, groups, and the two spatial axes.
     * Validated on construction: channels divisible by groups.
     */
    record ConvGeometry(int batch, int inChannels, int outChannels, int groups, ConvAxis height, ConvAxis width) {

        public ConvGeometry {
            if (batch < 0 || inChannels < 1 || outChannels < 1 || groups < 1
                    || inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("conv: invalid geometry batch=" + batch + ", inChannels="
                        + inChannels + ", outChannels=" + outChannels + ", groups=" + groups
                        + " (channels must be positive multiples of groups)");
            }
        }

        /** Input channels per group. */
        public int groupInChannels() {
            return inChannels / groups;
        }

        /** Output channels per group. */
        public int groupOutChannels() {
            return outChannels / groups;
        }

        /** Rows of the unfolded input (im2col) of one group: {@code C/G · kH · kW}. */
        public int patchSize() {
            return groupInChannels() * height.kernel() * width.kernel();
        }

        /** Elements of one input image, {@code C·H·W}. */
        public int inputImageSize() {
            return inChannels * height.in() * width.in();
        }

        /** Elements of one output image, {@code O·outH·outW}. */
        public int outputImageSize() {
            return outChannels * outputPlaneSize();
        }

        /** Positions of one output plane, {@code outH·outW}. */
        public int outputPlaneSize() {
            return height.out() * width.out();
        }

        /** Positions of one input plane, {@code H·W}. */
        public int inputPlaneSize() {
            return height.in() * width.in();
        }

        /** Elements of the weight, {@code O · C/G · kH · kW}. */
        public int weightSize() {
            return outChannels * patchSize();
        }

        /** Multiply-adds of one forward pass (each gradient costs the same). */
        public long multiplyAdds() {
            return (long) batch * outputImageSize() * patchSize();
        }
    }

    /**
     * {@code y = conv(x, w) + b}: x {@code [N, C, H, W]}, w {@code [O, C/G, kH, kW]}, {@code bias} {@code [O]} or
     * null, y {@code [N, O, outH, outW]}.
     */
    void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                 float[] y, int yOff);

    /**
     * {@link #forward} followed by a ReLU, {@code y = max(y, 0)} (NaN stays NaN). Fast backends apply it as each
     * output is stored instead of in a second pass over y.
     */
    default void forwardRelu(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                             float[] y, int yOff) {
        forward(g, x, xOff, w, wOff, bias, biasOff, y, yOff);
        for (int i = yOff, end = yOff + g.batch() * g.outputImageSize(); i < end; i++) y[i] = Math.max(y[i], 0f);
    }

    /** {@code dx = ∂L/∂x} from {@code dy = ∂L/∂y} {@code [N, O, outH, outW]}: the forward's adjoint in x. */
    void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff);

    /**
     * {@code dw = ∂L/∂w = Σ_n dy[n] ⋆ x[n]}, summed over the batch. Fast backends must give the same bits at any
     * thread count.
     */
    void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff);

    /**
     * {@code db[o] = Σ_{n, i, j} dy[n, o, i, j]}, the bias gradient (cuDNN's backward bias). Fast backends must
     * give the same bits at any thread count.
     */
    void backwardBias(ConvGeometry g, float[] dy, int dyOff, float[] db, int dbOff);
}
