package io.shendu.backend;

/**
 * Normalisation kernels of a backend (see {@link Backend#norm()}): batch norm and layer norm, forward and backward.
 * Every array is contiguous and allocated by the caller; {@code weight} and {@code bias} may be null (no affine
 * transform), and so may a gradient output that is not needed.
 *
 * <p>Batch norm (Ioffe and Szegedy, 2015) works on {@code x} viewed as {@code [n, c, l]}: channel {@code j} is
 * normalised over the {@code m = n·l} values {@code x[·, j, ·]} ({@code l = H·W} for images, 1 for {@code [N, C]}):
 * <pre>
 *   x̂ = (x − mean)·invStd,   invStd = 1/√(var + eps),   y = x̂·weight + bias
 * </pre>
 * Layer norm (Ba, Kiros and Hinton, 2016) does the same over the last {@code d} elements of each of {@code rows}
 * rows, with per-element {@code weight} and {@code bias} of length {@code d}. Variances are biased (divide by m).
 */
public interface NormKernels {

    /** Which statistics a batch norm used: the batch's own (training) or the running estimates (evaluation). */
    enum Stats { BATCH, RUNNING }

    /**
     * Batch norm forward with the batch's statistics. Writes per channel {@code mean[c]}, {@code invStd[c]} (both
     * kept for the backward) and the unbiased variance {@code varUnbiased[c]} = Σ(x − mean)²/(m − 1), which the
     * running estimate uses (NaN when m = 1); then {@code out[n·c·l]}.
     */
    void batchNormTrain(float[] x, int n, int c, int l, float[] weight, float[] bias, float eps,
                        float[] out, float[] mean, float[] invStd, float[] varUnbiased);

    /** Batch norm forward with given per-channel {@code mean} and {@code invStd} (evaluation: the running ones). */
    void batchNormEval(float[] x, int n, int c, int l, float[] mean, float[] invStd, float[] weight, float[] bias,
                       float[] out);

    /**
     * Batch norm backward given the upstream gradient {@code g} and the {@code mean}, {@code invStd} the forward
     * used. Per channel {@code dbias = Σ g} and {@code dweight = Σ g·x̂}; then, with the batch's statistics
     * (which depend on x),
     * <pre>  dx = weight·invStd·(g − dbias/m − x̂·dweight/m)</pre>
     * and with running statistics (constants) {@code dx = weight·invStd·g}. Null outputs are skipped.
     */
    void batchNormBackward(Stats stats, float[] x, float[] g, int n, int c, int l, float[] mean, float[] invStd,
                           float[] weight, float[] dx, float[] dweight, float[] dbias);

    /**
     * {@link #batchNormTrain} (with {@link Stats#BATCH}) or {@link #batchNormEval} (with the given {@code mean} and
     * {@code invStd}) followed by a ReLU, {@code out = max(y, 0)}. Fast backends apply the ReLU in the normalising
     * pass instead of a second pass over {@code out}.
     */
    default void batchNormRelu(Stats stats, float[] x, int n, int c, int l, float[] weight, float[] bias, float eps,
                               float[] out, float[] mean, float[] invStd, float[] varUnbiased) {
        if (stats == Stats.BATCH) batchNormTrain(x, n, c, l, weight, bias, eps, out, mean, invStd, varUnbiased);
        else batchNormEval(x, n, c, l, mean, invStd, weight, bias, out);
        for (int i = 0; i < n * c * l; i++) out[i] = Math.max(out[i], 0f);
    }

    /**
     * The backward of {@link #batchNormRelu}: {@link #batchNormBackward} of the upstream gradient masked by the
     * forward's output, {@code g·1[y > 0]}. Fast backends mask as they read instead of writing a masked copy.
     */
    default void batchNormReluBackward(Stats stats, float[] x, float[] g, float[] y, int n, int c, int l, float[] mean,
                                       float[] invStd, float[] weight, float[] dx, float[] dweight, float[] dbias) {
        float[] masked = new float[n * c * l];
        for (int i = 0; i < masked.length; i++) masked[i] = y[i] > 0 ? g[i] : 0f;
        batchNormBackward(stats, x, masked, n, c, l, mean, invStd, weight, dx, dweight, dbias);
    }

    /** Layer norm forward over rows of {@code d}: writes {@code mean[rows]}, {@code invStd[rows]} and {@code out}. */
    void layerNorm(float[] x, int rows, int d, float[] weight, float[] bias, float eps,
                   float[] out, float[] mean, float[] invStd);

    /**
     * Layer norm backward: with {@code ĝ = g·weight}, per row {@code dx = invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))};
     * over rows {@code dweight = Σ g·x̂} and {@code dbias = Σ g}. Null outputs are skipped.
     */
    void layerNormBackward(float[] x, float[] g, int rows, int d, float[] mean, float[] invStd, float[] weight,
                           float[] dx, float[] dweight, float[] dbias);
}
