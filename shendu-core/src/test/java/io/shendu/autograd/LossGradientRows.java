package io.shendu.autograd;

import io.shendu.nn.Losses;
import io.shendu.nn.Losses.CrossEntropyOptions;
import io.shendu.nn.Reduction;
import io.shendu.tensor.Tensor;

import java.util.List;

import static io.shendu.autograd.GradientRows.COMPOSITE;
import static io.shendu.autograd.GradientRows.normal;
import static io.shendu.autograd.GradientRows.of;
import static io.shendu.autograd.GradientRows.row;
import static io.shendu.autograd.GradientRows.uniform;

/**
 * Gradient rows for every loss of {@code io.shendu.nn.Losses}, in each of its modes. The losses are composed of
 * primitives, so these rows check the compositions (weights, ignored targets, smoothing, reductions) end to end;
 * targets that are class indices are constants of the row, float targets are checked as inputs too.
 */
final class LossGradientRows {

    private LossGradientRows() {}

    private static final Tensor LABELS = Tensor.ofInts(new int[] {2, 0, 4, 1, 3, 2}, 6);
    private static final Tensor LABELS_IGNORED = Tensor.ofInts(new int[] {2, -100, 4, 1, -100, 2}, 6);
    private static final Tensor CLASS_WEIGHT = Tensor.vector(0.5f, 2f, 1f, 1.5f, 0.25f);
    private static final Tensor LABELS_2D = Tensor.ofInts(new int[] {0, 2, 1, 1, 0, 2, 2, 0}, 2, 4);

    static final List<GradientRows.Row> ALL = List.of(
            row("loss.mse.mean", COMPOSITE, x -> Losses.mse(x[0], x[1], Reduction.MEAN),
                    g -> of(normal(g, 4, 3), normal(g, 4, 3)), "Zip:SUB", "Map:POW", "Sum"),
            row("loss.mse.none", COMPOSITE, x -> Losses.mse(x[0], x[1], Reduction.NONE),
                    g -> of(normal(g, 4, 3), normal(g, 4, 3)), "Zip:SUB", "Map:POW"),
            row("loss.l1.sum", COMPOSITE, x -> Losses.l1(x[0], x[1], Reduction.SUM),
                    g -> of(normal(g, 5), normal(g, 5).add(3f)), "Zip:SUB", "Map:ABS", "Sum"),
            row("loss.cross_entropy.indices", COMPOSITE,
                    x -> Losses.crossEntropy(x[0], LABELS, CrossEntropyOptions.defaults()),
                    g -> of(normal(g, 6, 5)), "SoftmaxCrossEntropy"),
            row("loss.cross_entropy.ignore_sum", COMPOSITE,
                    x -> Losses.crossEntropy(x[0], LABELS_IGNORED, CrossEntropyOptions.defaults().withReduction(Reduction.SUM)),
                    g -> of(normal(g, 6, 5)), "SoftmaxCrossEntropy"),
            row("loss.cross_entropy.weight_ignore_smoothing", COMPOSITE,
                    x -> Losses.crossEntropy(x[0], LABELS_IGNORED, CrossEntropyOptions.defaults()
                            .withWeight(CLASS_WEIGHT).withLabelSmoothing(0.2f)),
                    g -> of(normal(g, 6, 5)), "Softmax", "Gather"),
            row("loss.cross_entropy.sum_spatial", COMPOSITE,
                    x -> Losses.crossEntropy(x[0], LABELS_2D, CrossEntropyOptions.defaults().withReduction(Reduction.SUM)),
                    g -> of(normal(g, 2, 3, 4)), "Softmax", "Gather", "Permute"),
            row("loss.cross_entropy.probabilities", COMPOSITE,
                    x -> Losses.crossEntropy(x[0], x[1].softmax(1), CrossEntropyOptions.defaults().withLabelSmoothing(0.1f)),
                    g -> of(normal(g, 4, 5), normal(g, 4, 5)), "Softmax"),
            row("loss.nll.weighted", COMPOSITE,
                    x -> Losses.nll(x[0], LABELS, CLASS_WEIGHT, -100, Reduction.MEAN),
                    g -> of(normal(g, 6, 5)), "Gather"),
            row("loss.bce.weighted", COMPOSITE,
                    x -> Losses.binaryCrossEntropy(x[0], x[1], Tensor.vector(1f, 2f, 0.5f), Reduction.MEAN),
                    g -> of(uniform(g, 0.1f, 0.9f, 4, 3), uniform(g, 0f, 1f, 4, 3)), "Map:LOG", "Map:CLAMP"),
            row("loss.bce_with_logits.pos_weight", COMPOSITE,
                    x -> Losses.binaryCrossEntropyWithLogits(x[0], x[1], null, Tensor.vector(3f, 0.5f, 1f), Reduction.SUM),
                    g -> of(normal(g, 4, 3), uniform(g, 0f, 1f, 4, 3)), "Map:SOFTPLUS"));
}
