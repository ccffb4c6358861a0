package io.shendu.nn;

import io.shendu.nn.Convolution.Size2;
import io.shendu.tensor.Tensor;

/**
 * Stateless convolutions, as {@code torch.nn.functional.conv1d/conv2d/conv_transpose2d}: the weights are
 * arguments, the hyper-parameters are PyTorch's (stride, padding, dilation, groups; output padding for the
 * transposed form), and a missing batch dimension is allowed. A bias of null means none.
 */
public final class ConvFunctional {

    private ConvFunctional() {}

    /** {@code y = x ⋆ w + b}; x {@code [N, C, L]}, w {@code [O, C/groups, k]}, y {@code [N, O, L']}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                int groups) {
        return conv1d("conv1d", input, weight, bias, stride, padding, false, dilation, groups);
    }

    /** {@link #conv1d} with stride 1, padding 0, dilation 1 and one group. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return conv1d(input, weight, bias, 1, 0, 1, 1);
    }

    /** {@link #conv1d} with PyTorch's {@code padding='same'}: the output is as long as the input (stride 1). */
    public static Tensor conv1dSame(Tensor input, Tensor weight, Tensor bias, int dilation, int groups) {
        return conv1d("conv1d", input, weight, bias, 1, 0, true, dilation, groups);
    }

    /**
     * {@code y = x ⋆ w + b}; x {@code [N, C, H, W]}, w {@code [O, C/groups, kH, kW]}, b {@code [O]}, y
     * {@code [N, O, H', W']} with {@code H' = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1}.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Size2 stride, Size2 padding,
                                Size2 dilation, int groups) {
        return Convolution.conv2d("conv2d", input, weight, bias, stride, padding, false, dilation, groups);
    }

    /** {@code relu(conv2d(...))} as one primitive: the ReLU is applied as the convolution stores its outputs. */
    public static Tensor conv2dRelu(Tensor input, Tensor weight, Tensor bias, Size2 stride, Size2 padding,
                                    Size2 dilation, int groups) {
        return Convolution.conv2d("conv2d", input, weight, bias, stride, padding, false, dilation, groups, true);
    }

    /**
     * {@code maxPool2d(relu(conv2d(...)), 2)} as one primitive: the convolution output is pooled as it is computed
     * and never stored as a tensor. An odd last row or column of the convolution output is dropped, as by the pool.
     */
    public static Tensor conv2dReluMaxPool2(Tensor input, Tensor weight, Tensor bias, Size2 stride, Size2 padding,
                                            Size2 dilation, int groups) {
        return Convolution.conv2dReluMaxPool2("conv2d", input, weight, bias, stride, padding, false, dilation, groups);
    }

    /** {@link #conv2d} with stride 1, padding 0, dilation 1 and one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, Size2.of(1), Size2.of(0), Size2.of(1), 1);
    }

    /** {@link #conv2d} with PyTorch's {@code padding='same'}: the output has the input's size (stride 1). */
    public static Tensor conv2dSame(Tensor input, Tensor weight, Tensor bias, Size2 dilation, int groups) {
        return Convolution.conv2d("conv2d", input, weight, bias, Size2.of(1), Size2.of(0), true, dilation, groups);
    }

    /**
     * The transposed convolution (the gradient of {@link #conv2d} with respect to its input); x
     * {@code [N, in, H, W]}, w {@code [in, out/groups, kH, kW]}, y {@code [N, out, H', W']} with
     * {@code H' = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, Size2 stride, Size2 padding,
                                         Size2 outputPadding, int groups, Size2 dilation) {
        return Convolution.convTranspose2d("conv_transpose2d", input, weight, bias, stride, padding, outputPadding,
                groups, dilation);
    }

    /** {@link #convTranspose2d} with stride 1, no padding, dilation 1 and one group. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias) {
        return convTranspose2d(input, weight, bias, Size2.of(1), Size2.of(0), Size2.of(0), 1, Size2.of(1));
    }

    /** The 1-D convolution as a 2-D one of height 1: x {@code [.., C, L]} → {@code [.., C, 1, L]}. */
    static Tensor conv1d(String who, Tensor input, Tensor weight, Tensor bias, int stride, int padding,
                         boolean same, int dilation, int groups) {
        if (input.rank() != 2 && input.rank() != 3) {
            throw new IllegalArgumentException(who + ": expected 3-D input [N, C, L] (or unbatched [C, L]), found "
                    + java.util.Arrays.toString(input.shape()));
        }
        if (weight.rank() != 3) {
            throw new IllegalArgumentException(who + ": expected 3-D weight [out, in/groups, k], found "
                    + java.util.Arrays.toString(weight.shape()));
        }
        Tensor y = Convolution.conv2d(who, input.unsqueeze(-2), weight.unsqueeze(2), bias, new Size2(1, stride),
                new Size2(0, padding), same, new Size2(1, dilation), groups);
        return y.squeeze(-2);
    }
}
