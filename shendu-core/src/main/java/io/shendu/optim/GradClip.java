package io.shendu.optim;

import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: call it
 * between {@code backward()} and {@code optimizer.step()}. Parameters without a gradient are skipped.
 */
public final class GradClip {

    private GradClip() {}

    /** {@link #clipGradNorm(List, double, double)} with the Euclidean norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2);
    }

    /**
     * Scales all gradients together so that their total norm is at most {@code maxNorm}:
     * <pre>
     *   N = (Σ over all gradient elements |g|ᵖ)^(1/p)    (p = normType; for p = ∞, N = max |g|)
     *   g = g · min(1, maxNorm / (N + 1e-6))
     * </pre>
     * Returns N, the norm before clipping (infinite or NaN if a gradient is).
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be >= 0, got " + maxNorm);
        if (!(normType > 0)) throw new IllegalArgumentException("clipGradNorm: normType must be > 0 (or infinity), got " + normType);
        List<Tensor> grads = grads(params);
        double total = totalNorm(grads, normType);
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1 || Double.isNaN(coefficient)) {
            try (var _ = NoGrad.enter()) {
                for (Tensor g : grads) g.mulInPlace((float) coefficient);
            }
        }
        return total;
    }

    /** Clamps every gradient element to {@code [−clip, clip]}. */
    public static void clipGradValue(List<Tensor> params, double clip) {
        if (!(clip >= 0)) throw new IllegalArgumentException("clipGradValue: clip must be >= 0, got " + clip);
        try (var _ = NoGrad.enter()) {
            for (Tensor g : grads(params)) g.copyFrom(g.clamp((float) -clip, (float) clip));
        }
    }

    private static List<Tensor> grads(List<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) if (p.grad() != null) grads.add(p.grad());
        return grads;
    }

    /** The p-norm of all elements together, summed in double. */
    private static double totalNorm(List<Tensor> grads, double p) {
        boolean inf = Double.isInfinite(p);
        double acc = 0;
        for (Tensor grad : grads) {
            Tensor g = grad.contiguous();
            float[] data = g.floatStorage();
            for (int i = g.offset(), end = g.offset() + g.numel(); i < end; i++) {
                double a = Math.abs(data[i]);
                if (Double.isNaN(a)) return Double.NaN;
                acc = inf ? Math.max(acc, a) : p == 2 ? acc + a * a : p == 1 ? acc + a : acc + Math.pow(a, p);
            }
        }
        return inf ? acc : p == 2 ? Math.sqrt(acc) : p == 1 ? acc : Math.pow(acc, 1 / p);
    }
}
