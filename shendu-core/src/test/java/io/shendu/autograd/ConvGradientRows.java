package io.shendu.autograd;

import io.shendu.nn.ConvFunctional;
import io.shendu.nn.Convolution.Size2;

import java.util.List;

import static io.shendu.autograd.GradientRows.COMPOSITE;
import static io.shendu.autograd.GradientRows.LINEAR;
import static io.shendu.autograd.GradientRows.normal;
import static io.shendu.autograd.GradientRows.of;
import static io.shendu.autograd.GradientRows.row;

/**
 * Gradient rows for the convolution primitives ({@code Conv}, {@code ConvTranspose}), one per hyper-parameter
 * that changes which terms meet in the sum: stride, padding (explicit, and 'same' with an even kernel, which pads
 * one side more), dilation, groups (and depthwise), 1×1, bias or none, 1-D, unbatched and strided inputs, and
 * the transposed form with output padding. Convolutions are bilinear in input and weight, hence the LINEAR tier.
 */
final class ConvGradientRows {

    private ConvGradientRows() {}

    private static final Size2 ONE = Size2.of(1), ZERO = Size2.of(0);

    static final List<GradientRows.Row> ALL = List.of(
            row("conv2d", LINEAR, x -> ConvFunctional.conv2d(x[0], x[1], x[2]),
                    g -> of(normal(g, 2, 3, 5, 5), normal(g, 4, 3, 3, 3), normal(g, 4)), "Conv"),
            // the fused ReLU; with this fixed seed no output lies within a difference step of the kink at 0
            row("conv2d.relu_fused", COMPOSITE,
                    x -> ConvFunctional.conv2dRelu(x[0], x[1], x[2], ONE, ONE, ONE, 1),
                    g -> of(normal(g, 2, 2, 5, 5), normal(g, 3, 2, 3, 3), normal(g, 3)), "Conv"),
            // conv + ReLU + 2×2 max pool as one op, on an odd output (its last row and column dropped by the pool)
            row("conv2d.relu_maxpool2_fused", COMPOSITE,
                    x -> ConvFunctional.conv2dReluMaxPool2(x[0], x[1], x[2], ONE, ONE, ONE, 1),
                    g -> of(normal(g, 2, 2, 5, 5), normal(g, 3, 2, 3, 3), normal(g, 3)), "ConvReluMaxPool"),
            row("conv2d.stride2_padding", LINEAR,
                    x -> ConvFunctional.conv2d(x[0], x[1], x[2], Size2.of(2), Size2.of(1), ONE, 1),
                    g -> of(normal(g, 2, 2, 7, 6), normal(g, 3, 2, 3, 3), normal(g, 3)), "Conv"),
            row("conv2d.stride3_nonsquare", LINEAR,
                    x -> ConvFunctional.conv2d(x[0], x[1], x[2], new Size2(3, 2), new Size2(0, 1), ONE, 1),
                    g -> of(normal(g, 1, 2, 8, 7), normal(g, 3, 2, 2, 3), normal(g, 3)), "Conv"),
            row("conv2d.dilation2", LINEAR,
                    x -> ConvFunctional.conv2d(x[0], x[1], x[2], ONE, Size2.of(2), Size2.of(2), 1),
                    g -> of(normal(g, 2, 2, 6, 6), normal(g, 2, 2, 3, 3), normal(g, 2)), "Conv"),
            row("conv2d.groups2", LINEAR,
                    x -> ConvFunctional.conv2d(x[0], x[1], x[2], ONE, ONE, ONE, 2),
                    g -> of(normal(g, 2, 4, 5, 5), normal(g, 6, 2, 3, 3), normal(g, 6)), "Conv"),
            row("conv2d.depthwise_multiplier", LINEAR,
                    x -> ConvFunctional.conv2d(x[0], x[1], x[2], ONE, ONE, ONE, 3),
                    g -> of(normal(g, 2, 3, 5, 4), normal(g, 6, 1, 3, 3), normal(g, 6)), "Conv"),
            row("conv2d.no_bias", LINEAR, x -> ConvFunctional.conv2d(x[0], x[1], null, ONE, ONE, ONE, 1),
                    g -> of(normal(g, 2, 3, 4, 5), normal(g, 2, 3, 3, 3)), "Conv"),
            row("conv2d.pointwise", LINEAR, x -> ConvFunctional.conv2d(x[0], x[1], x[2]),
                    g -> of(normal(g, 2, 4, 3, 5), normal(g, 3, 4, 1, 1), normal(g, 3)), "Conv"),
            row("conv2d.same_even_kernel", LINEAR, x -> ConvFunctional.conv2dSame(x[0], x[1], x[2], ONE, 1),
                    g -> of(normal(g, 1, 2, 5, 6), normal(g, 3, 2, 4, 2), normal(g, 3)), "Conv"),
            row("conv2d.unbatched", LINEAR, x -> ConvFunctional.conv2d(x[0], x[1], x[2], Size2.of(2), ONE, ONE, 1),
                    g -> of(normal(g, 2, 5, 5), normal(g, 3, 2, 3, 3), normal(g, 3)), "Conv", "Reshape"),
            row("conv2d.transposed_input", LINEAR, x -> ConvFunctional.conv2d(x[0].transpose(2, 3), x[1], null),
                    g -> of(normal(g, 2, 2, 6, 5), normal(g, 2, 2, 2, 3)), "Conv", "Permute"),
            row("conv1d.stride2_padding", LINEAR, x -> ConvFunctional.conv1d(x[0], x[1], x[2], 2, 1, 1, 1),
                    g -> of(normal(g, 2, 3, 9), normal(g, 4, 3, 3), normal(g, 4)), "Conv", "Reshape"),
            row("conv1d.dilation_groups", LINEAR, x -> ConvFunctional.conv1d(x[0], x[1], null, 1, 2, 2, 2),
                    g -> of(normal(g, 2, 4, 8), normal(g, 2, 2, 3)), "Conv", "Reshape"),
            row("conv1d.same", LINEAR, x -> ConvFunctional.conv1dSame(x[0], x[1], x[2], 1, 1),
                    g -> of(normal(g, 2, 2, 7), normal(g, 3, 2, 4), normal(g, 3)), "Conv", "Reshape"),
            row("conv_transpose2d", LINEAR, x -> ConvFunctional.convTranspose2d(x[0], x[1], x[2]),
                    g -> of(normal(g, 2, 3, 4, 4), normal(g, 3, 2, 3, 3), normal(g, 2)),
                    "ConvTranspose", "Zip:ADD", "Expand"),
            row("conv_transpose2d.stride2_output_padding", LINEAR,
                    x -> ConvFunctional.convTranspose2d(x[0], x[1], x[2], Size2.of(2), ONE, ONE, 1, ONE),
                    g -> of(normal(g, 2, 3, 3, 4), normal(g, 3, 2, 3, 3), normal(g, 2)), "ConvTranspose"),
            row("conv_transpose2d.groups_dilation", LINEAR,
                    x -> ConvFunctional.convTranspose2d(x[0], x[1], null, ONE, ONE, ZERO, 2, Size2.of(2)),
                    g -> of(normal(g, 1, 4, 3, 3), normal(g, 4, 2, 3, 3)), "ConvTranspose"),
            row("conv_transpose2d.stride3_nonsquare", LINEAR,
                    x -> ConvFunctional.convTranspose2d(x[0], x[1], null, new Size2(3, 2), new Size2(1, 0),
                            new Size2(2, 1), 1, ONE),
                    g -> of(normal(g, 2, 2, 3, 3), normal(g, 2, 3, 3, 2)), "ConvTranspose"),
            row("chain.conv_tanh_conv_transpose", COMPOSITE,
                    x -> ConvFunctional.convTranspose2d(
                            ConvFunctional.conv2d(x[0], x[1], null, Size2.of(2), ONE, ONE, 1).tanh(), x[2], null,
                            Size2.of(2), ONE, ONE, 1, ONE),
                    g -> of(normal(g, 1, 2, 6, 6), normal(g, 3, 2, 3, 3).mul(0.3f), normal(g, 3, 2, 3, 3)),
                    "Conv", "Map:TANH", "ConvTranspose"));
}
