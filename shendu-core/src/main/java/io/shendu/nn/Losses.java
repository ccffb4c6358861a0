package io.shendu.nn;

import io.shendu.tensor.DType;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * The loss functions in functional form, with PyTorch's semantics. All are composed from differentiable
 * tensor ops; cross-entropy goes through the fused log-softmax, so logits of ±1e4 give a finite loss.
 */
public final class Losses {

    private Losses() {}

    /** (input − target)², reduced. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("mse_loss", input, target);
        return reduce(input.sub(target).square(), reduction);
    }

    /** |input − target|, reduced. */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("l1_loss", input, target);
        return reduce(input.sub(target).abs(), reduction);
    }

    /**
     * Negative log-likelihood of log-probabilities {@code [N, C]} (or {@code [N, C, d...]}) at int32 class
     * indices {@code [N]} (or {@code [N, d...]}): {@code −w[y]·input[i, y]}; ignored targets add nothing and the
     * mean divides by the total weight of the others.
     */
    public static Tensor nll(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        Tensor lp = classesLast("nll_loss", logProbs, target);
        int c = lp.size(1);
        int[] t = target.toIntArray();
        float[] w = new float[t.length];
        int[] safe = new int[t.length];
        float[] classWeight = weight == null ? null : weight.toFloatArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= c) {
                throw new IndexOutOfBoundsException("nll_loss: target " + t[i] + " at position " + i + " outside [0, " + c + ")");
            }
            safe[i] = t[i];
            w[i] = classWeight == null ? 1f : classWeight[t[i]];
        }
        Tensor picked = lp.gather(1, Tensor.ofInts(safe, t.length, 1)).reshape(t.length);
        Tensor weights = Tensor.of(w, t.length);
        Tensor losses = picked.mul(weights).neg();
        return switch (reduction) {
            case NONE -> losses.reshape(target.shape());
            case SUM -> losses.sum();
            case MEAN -> losses.sum().div(sum(w));
        };
    }

    /** Options of {@link #crossEntropy}. */
    public record CrossEntropyOptions(Tensor weight, int ignoreIndex, Reduction reduction, float labelSmoothing) {
        public static CrossEntropyOptions defaults() {
            return new CrossEntropyOptions(null, -100, Reduction.MEAN, 0f);
        }

        public CrossEntropyOptions withWeight(Tensor w) {
            return new CrossEntropyOptions(w, ignoreIndex, reduction, labelSmoothing);
        }

        public CrossEntropyOptions withIgnoreIndex(int i) {
            return new CrossEntropyOptions(weight, i, reduction, labelSmoothing);
        }

        public CrossEntropyOptions withReduction(Reduction r) {
            return new CrossEntropyOptions(weight, ignoreIndex, r, labelSmoothing);
        }

        public CrossEntropyOptions withLabelSmoothing(float ls) {
            if (ls < 0 || ls > 1) throw new IllegalArgumentException("cross_entropy: label smoothing must be in [0, 1], got " + ls);
            return new CrossEntropyOptions(weight, ignoreIndex, reduction, ls);
        }
    }

    /**
     * Cross-entropy of logits {@code [N, C]} (or {@code [N, C, d...]}) against int32 class indices or float
     * class probabilities of the input's shape. Label smoothing mixes the target with the uniform distribution:
     * {@code (1 − ls)·target + ls/C}.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions o) {
        if (logits.rank() < 2) {
            throw new IllegalArgumentException("cross_entropy: logits must be [N, C] or [N, C, d...], got " + Arrays.toString(logits.shape()));
        }
        if (logits.rank() == 2 && logits.dtype() == DType.FLOAT32 && target.dtype() == DType.INT32
                && target.rank() == 1 && target.size(0) == logits.size(0) && o.weight() == null
                && o.labelSmoothing() == 0 && o.reduction() != Reduction.NONE) {
            // The common case in one fused pass: loss and gradient (softmax − onehot)/N together.
            return new SoftmaxCrossEntropy(target.toIntArray(), o.ignoreIndex(), o.reduction() == Reduction.MEAN)
                    .apply(logits);
        }
        Tensor logp = logits.logSoftmax(1);
        int c = logits.size(1);
        if (target.dtype() == DType.FLOAT32) return softCrossEntropy(logp, target, o, c);
        Tensor loss = nll(logp, target, o.weight(), o.ignoreIndex(), o.reduction());
        if (o.labelSmoothing() == 0) return loss;
        // Smoothing term: −Σ_c w_c·log p_c per sample, zero for ignored samples.
        Tensor lp = classesLast("cross_entropy", logp, target);
        Tensor weighted = o.weight() == null ? lp : lp.mul(o.weight());
        int[] t = target.toIntArray();
        float[] keep = new float[t.length];
        float[] classWeight = o.weight() == null ? null : o.weight().toFloatArray();
        float denominator = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == o.ignoreIndex()) continue;
            keep[i] = 1f;
            denominator += classWeight == null ? 1f : classWeight[t[i]];
        }
        Tensor smooth = weighted.sum(1).mul(Tensor.of(keep, t.length)).neg();
        Tensor smoothReduced = switch (o.reduction()) {
            case NONE -> smooth.reshape(target.shape());
            case SUM -> smooth.sum();
            case MEAN -> smooth.sum().div(denominator);
        };
        return loss.mul(1 - o.labelSmoothing()).add(smoothReduced.mul(o.labelSmoothing() / c));
    }

    private static Tensor softCrossEntropy(Tensor logp, Tensor target, CrossEntropyOptions o, int c) {
        checkSameShape("cross_entropy", logp, target);
        Tensor t = o.labelSmoothing() == 0 ? target : target.mul(1 - o.labelSmoothing()).add(o.labelSmoothing() / c);
        Tensor terms = logp.mul(t);
        if (o.weight() != null) {
            int[] wShape = new int[logp.rank()];
            Arrays.fill(wShape, 1);
            wShape[1] = c;
            terms = terms.mul(o.weight().reshape(wShape));
        }
        Tensor perSample = terms.sum(1).neg();
        return switch (o.reduction()) {
            case NONE -> perSample;
            case SUM -> perSample.sum();
            case MEAN -> perSample.sum().div(perSample.numel());
        };
    }

    /** −w·(t·log x + (1 − t)·log(1 − x)) for probabilities x; logs are clamped at −100 as in PyTorch. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        checkSameShape("binary_cross_entropy", input, target);
        Tensor logX = input.log().clampMin(-100f);
        Tensor log1mX = input.neg().add(1f).log().clampMin(-100f);
        Tensor loss = target.mul(logX).add(target.neg().add(1f).mul(log1mX)).neg();
        if (weight != null) loss = loss.mul(weight);
        return reduce(loss, reduction);
    }

    /**
     * Binary cross-entropy of logits, stably: {@code (1 − t)·x + (1 + (pw − 1)·t)·softplus(−x)}, with
     * {@code pw} the positive-class weight over the last dimension (null: 1).
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        checkSameShape("binary_cross_entropy_with_logits", input, target);
        Tensor softplusNeg = input.neg().softplus(1f, 20f);
        Tensor logWeight = posWeight == null ? null : posWeight.sub(1f).mul(target).add(1f);
        Tensor loss = target.neg().add(1f).mul(input).add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
        if (weight != null) loss = loss.mul(weight);
        return reduce(loss, reduction);
    }

    static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
        };
    }

    private static float sum(float[] w) {
        double s = 0;
        for (float v : w) s += v;
        return (float) s;
    }

    /** [N, C, d...] → [N·d..., C], and checks the target's shape [N, d...]. */
    private static Tensor classesLast(String op, Tensor x, Tensor target) {
        int[] expected = new int[x.rank() - 1];
        expected[0] = x.size(0);
        for (int d = 2; d < x.rank(); d++) expected[d - 1] = x.size(d);
        if (target.dtype() == DType.INT32 && !Arrays.equals(target.shape(), expected)) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(x.shape()) + " needs target of shape "
                    + Arrays.toString(expected) + " but found " + Arrays.toString(target.shape()));
        }
        if (x.rank() == 2) return x;
        int[] perm = new int[x.rank()];
        perm[0] = 0;
        for (int d = 2; d < x.rank(); d++) perm[d - 1] = d;
        perm[x.rank() - 1] = 1;
        return x.permute(perm).reshape(-1, x.size(1));
    }

    private static void checkSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(input.shape()) + " and target "
                    + Arrays.toString(target.shape()) + " differ in shape");
        }
    }
}
