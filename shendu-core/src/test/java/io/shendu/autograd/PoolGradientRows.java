package io.shendu.autograd;

import io.shendu.nn.AvgPool1d.AvgPool1dOptions;
import io.shendu.nn.AvgPool2d.AvgPool2dOptions;
import io.shendu.nn.MaxPool1d.MaxPool1dOptions;
import io.shendu.nn.MaxPool2d.MaxPool2dOptions;
import io.shendu.nn.PoolFunctional;
import io.shendu.nn.Upsample.Interpolation;
import io.shendu.nn.Upsample.UpsampleOptions;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.List;

import static io.shendu.autograd.GradientRows.EXACT;
import static io.shendu.autograd.GradientRows.LINEAR;
import static io.shendu.autograd.GradientRows.distinct;
import static io.shendu.autograd.GradientRows.normal;
import static io.shendu.autograd.GradientRows.of;
import static io.shendu.autograd.GradientRows.row;

/**
 * Gradient rows for the pooling and resampling primitives ({@code MaxPool}, {@code AvgPool},
 * {@code AdaptiveAvgPool}, {@code Interpolate}) and the layers composed of other primitives (embedding,
 * dropout). One row per hyper-parameter that changes which inputs a window reads or how it divides: the 2×2
 * fast path, padding, stride ≠ kernel, overlapping windows, dilation, ceil mode, count_include_pad, a divisor
 * override, non-divisible adaptive windows, 1-D and unbatched inputs, strided inputs, and each interpolation.
 * Max-pool inputs are {@code distinct} (no ties, so x ± eps keeps every argmax); everything else here is linear
 * in its input (EXACT for selection, LINEAR for averages).
 */
final class PoolGradientRows {

    private PoolGradientRows() {}

    private static final Tensor EMBED_INDICES = Tensor.ofInts(new int[] {3, 0, 5, 3, 1, 0, 2, 5}, 2, 4);
    private static final Tensor PADDING_ROW = Tensor.of(new float[] {0.7f, -1.2f, 0.4f}, 1, 3);

    static final List<GradientRows.Row> ALL = List.of(
            // ---- max pooling
            row("max_pool2d.2x2", EXACT, x -> PoolFunctional.maxPool2d(x[0], 2), g -> distinct(g, new int[] {2, 3, 4, 6}),
                    "MaxPool"),
            row("max_pool2d.odd_size_floor", EXACT, x -> PoolFunctional.maxPool2d(x[0], 2),
                    g -> distinct(g, new int[] {1, 2, 5, 7}), "MaxPool"),
            row("max_pool2d.pad_stride2", EXACT,
                    x -> PoolFunctional.maxPool2d(x[0], MaxPool2dOptions.of(3).withStride(2).withPadding(1)),
                    g -> distinct(g, new int[] {2, 2, 5, 6}), "MaxPool"),
            row("max_pool2d.overlap_nonsquare", EXACT,
                    x -> PoolFunctional.maxPool2d(x[0], MaxPool2dOptions.of(2, 3).withStride(1, 2).withPadding(0, 1)),
                    g -> distinct(g, new int[] {1, 3, 4, 5}), "MaxPool"),
            row("max_pool2d.dilation", EXACT,
                    x -> PoolFunctional.maxPool2d(x[0], MaxPool2dOptions.of(2).withStride(1).withDilation(2)),
                    g -> distinct(g, new int[] {1, 2, 5, 5}), "MaxPool"),
            row("max_pool2d.ceil_mode", EXACT,
                    x -> PoolFunctional.maxPool2d(x[0], MaxPool2dOptions.of(3).withStride(2).withCeilMode(true)),
                    g -> distinct(g, new int[] {1, 2, 6, 6}), "MaxPool"),
            row("max_pool2d.unbatched", EXACT, x -> PoolFunctional.maxPool2d(x[0], 2),
                    g -> distinct(g, new int[] {3, 4, 4}), "MaxPool", "Reshape"),
            row("max_pool2d.transposed_input", EXACT, x -> PoolFunctional.maxPool2d(x[0].transpose(2, 3), 2),
                    g -> distinct(g, new int[] {1, 2, 6, 4}), "MaxPool", "Permute"),
            row("max_pool1d.pad_ceil", EXACT,
                    x -> PoolFunctional.maxPool1d(x[0], MaxPool1dOptions.of(3).withStride(2).withPadding(1).withCeilMode(true)),
                    g -> distinct(g, new int[] {2, 3, 10}), "MaxPool", "Reshape"),
            row("max_pool1d.dilation", EXACT,
                    x -> PoolFunctional.maxPool1d(x[0], MaxPool1dOptions.of(2).withStride(1).withDilation(3)),
                    g -> distinct(g, new int[] {1, 2, 9}), "MaxPool", "Reshape"),

            // ---- average pooling
            row("avg_pool2d", LINEAR, x -> PoolFunctional.avgPool2d(x[0], AvgPool2dOptions.of(2)),
                    g -> of(normal(g, 2, 3, 4, 6)), "AvgPool"),
            row("avg_pool2d.pad_include", LINEAR,
                    x -> PoolFunctional.avgPool2d(x[0], AvgPool2dOptions.of(3).withStride(2).withPadding(1)),
                    g -> of(normal(g, 2, 2, 5, 6)), "AvgPool"),
            row("avg_pool2d.pad_exclude", LINEAR,
                    x -> PoolFunctional.avgPool2d(x[0], AvgPool2dOptions.of(3).withStride(2).withPadding(1)
                            .withCountIncludePad(false)),
                    g -> of(normal(g, 2, 2, 5, 6)), "AvgPool"),
            row("avg_pool2d.ceil_mode_pad", LINEAR,
                    x -> PoolFunctional.avgPool2d(x[0], AvgPool2dOptions.of(3, 2).withStride(2, 3).withPadding(1, 1)
                            .withCeilMode(true)),
                    g -> of(normal(g, 1, 2, 6, 7)), "AvgPool"),
            row("avg_pool2d.divisor_override", LINEAR,
                    x -> PoolFunctional.avgPool2d(x[0], AvgPool2dOptions.of(3).withStride(1).withPadding(1)
                            .withDivisorOverride(5)),
                    g -> of(normal(g, 1, 2, 4, 5)), "AvgPool"),
            row("avg_pool1d.pad_exclude_ceil", LINEAR,
                    x -> PoolFunctional.avgPool1d(x[0], AvgPool1dOptions.of(3).withStride(2).withPadding(1)
                            .withCountIncludePad(false).withCeilMode(true)),
                    g -> of(normal(g, 2, 3, 10)), "AvgPool", "Reshape"),
            row("avg_pool1d.unbatched", LINEAR, x -> PoolFunctional.avgPool1d(x[0], AvgPool1dOptions.of(2)),
                    g -> of(normal(g, 3, 7)), "AvgPool", "Reshape"),

            // ---- adaptive average pooling
            row("adaptive_avg_pool2d.nondivisible", LINEAR, x -> PoolFunctional.adaptiveAvgPool2d(x[0], 2, 3),
                    g -> of(normal(g, 2, 2, 5, 7)), "AdaptiveAvgPool"),
            row("adaptive_avg_pool2d.larger_output", LINEAR, x -> PoolFunctional.adaptiveAvgPool2d(x[0], 5, 4),
                    g -> of(normal(g, 1, 2, 3, 3)), "AdaptiveAvgPool"),
            row("adaptive_avg_pool2d.global_strided", LINEAR,
                    x -> PoolFunctional.globalAvgPool2d(x[0].slice(3, 0, 8, 2)),
                    g -> of(normal(g, 2, 3, 4, 8)), "AdaptiveAvgPool", "Slice"),

            // ---- interpolation
            row("interpolate.nearest_scale2", LINEAR,
                    x -> PoolFunctional.interpolate(x[0], 2.0, Interpolation.NEAREST, false),
                    g -> of(normal(g, 2, 2, 3, 4)), "Interpolate"),
            row("interpolate.nearest_size", LINEAR,
                    x -> PoolFunctional.interpolate(x[0], 5, 3, Interpolation.NEAREST, false),
                    g -> of(normal(g, 1, 2, 3, 4)), "Interpolate"),
            row("interpolate.bilinear", LINEAR,
                    x -> PoolFunctional.interpolate(x[0], UpsampleOptions.scaleFactor(2, 1.5)
                            .withMode(Interpolation.BILINEAR)),
                    g -> of(normal(g, 2, 2, 3, 4)), "Interpolate"),
            row("interpolate.bilinear_align_corners", LINEAR,
                    x -> PoolFunctional.interpolate(x[0], 7, 5, Interpolation.BILINEAR, true),
                    g -> of(normal(g, 1, 2, 3, 4)), "Interpolate"),
            row("interpolate.bilinear_downsample", LINEAR,
                    x -> PoolFunctional.interpolate(x[0], 3, 2, Interpolation.BILINEAR, false),
                    g -> of(normal(g, 1, 2, 7, 5)), "Interpolate"),

            // ---- composed layers
            row("embedding", EXACT, x -> PoolFunctional.embedding(EMBED_INDICES, x[0]), g -> of(normal(g, 6, 3)),
                    "IndexSelect", "Reshape"),
            // The padding row is read by the forward but gets no gradient by design, so it is a constant here
            // (PoolingLayerTest checks its zero gradient); the rows around it must still get theirs.
            row("embedding.padding_idx", EXACT,
                    x -> PoolFunctional.embedding(EMBED_INDICES, Tensor.cat(List.of(PADDING_ROW, x[0]), 0), 0),
                    g -> of(normal(g, 5, 3)), "IndexSelect", "Where", "Reshape"),
            row("dropout.seeded", LINEAR, x -> PoolFunctional.dropout(x[0], 0.3, true, new Generator(7)),
                    g -> of(normal(g, 4, 5)), "Zip:MUL"),
            row("dropout2d.seeded", LINEAR, x -> PoolFunctional.dropout2d(x[0], 0.5, true, new Generator(7)),
                    g -> of(normal(g, 2, 3, 2, 2)), "Zip:MUL"));
}
