package io.shendu.nn;

import io.shendu.nn.Normalization.BatchNormOptions;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015) of {@code [N, C]} or {@code [N, C, L]} inputs, per channel:
 * {@code y = (x − mean)/√(var + eps)·weight + bias}. In training the mean and (biased) variance are the batch's,
 * over N (and L), and the buffers {@code running_mean}, {@code running_var} (with the unbiased variance) and
 * {@code num_batches_tracked} are updated; in evaluation the running estimates are used. State-dict names and
 * initialisation as PyTorch: weight 1, bias 0, running mean 0, running variance 1.
 */
public final class BatchNorm1d extends Module {

    private final int numFeatures;
    private final BatchNormOptions options;

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, BatchNormOptions.DEFAULTS);
    }

    public BatchNorm1d(int numFeatures, BatchNormOptions options) {
        this.numFeatures = numFeatures;
        this.options = options;
        Normalization.registerBatchNorm(this, numFeatures, options);
    }

    /** {@code [N, C]} or {@code [N, C, L]} to the same shape. */
    @Override
    public Tensor forward(Tensor x) {
        if ((x.rank() != 2 && x.rank() != 3) || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + numFeatures + "] or [N, "
                    + numFeatures + ", L], found " + Arrays.toString(x.shape()));
        }
        return Normalization.batchNormModule(this, x, options);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    @Override
    public String describe() {
        return "BatchNorm1d(" + numFeatures + ", eps=" + options.eps() + ", momentum=" + options.momentum()
                + ", affine=" + options.affine() + ", trackRunningStats=" + options.trackRunningStats() + ")";
    }
}
