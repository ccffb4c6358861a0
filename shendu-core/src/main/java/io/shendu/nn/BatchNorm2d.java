package io.shendu.nn;

import io.shendu.nn.Normalization.BatchNormOptions;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015) of images {@code [N, C, H, W]}, per channel:
 * {@code y = (x − mean)/√(var + eps)·weight + bias}. In training the mean and (biased) variance are the batch's,
 * over N, H and W, and the buffers {@code running_mean}, {@code running_var} (with the unbiased variance) and
 * {@code num_batches_tracked} are updated; in evaluation the running estimates are used. State-dict names and
 * initialisation as PyTorch: weight 1, bias 0, running mean 0, running variance 1.
 */
public final class BatchNorm2d extends Module {

    private final int numFeatures;
    private final BatchNormOptions options;

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, BatchNormOptions.DEFAULTS);
    }

    public BatchNorm2d(int numFeatures, BatchNormOptions options) {
        this.numFeatures = numFeatures;
        this.options = options;
        Normalization.registerBatchNorm(this, numFeatures, options);
    }

    /** {@code [N, C, H, W]} to the same shape. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + numFeatures + ", H, W], found "
                    + Arrays.toString(x.shape()));
        }
        return Normalization.batchNormModule(this, x, options);
    }

    /** {@code relu(forward(x))} with the ReLU applied in the batch norm's own passes (forward and backward). */
    public Tensor forwardRelu(Tensor x) {
        if (x.rank() != 4 || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + numFeatures + ", H, W], found "
                    + Arrays.toString(x.shape()));
        }
        return Normalization.batchNormModule(this, x, options, Normalization.After.RELU);
    }

    /**
     * {@code maxPool2d(relu(forward(x)), 2)} with the ReLU and the 2×2 max pool in the batch norm's own passes: the
     * normalised values are never stored as a tensor. Bitwise the three layers' result.
     */
    public Tensor forwardReluMaxPool2(Tensor x) {
        if (x.rank() != 4 || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + numFeatures + ", H, W], found "
                    + Arrays.toString(x.shape()));
        }
        return Normalization.batchNormModule(this, x, options, Normalization.After.RELU_MAX_POOL2);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    public int numFeatures() {
        return numFeatures;
    }

    public BatchNormOptions options() {
        return options;
    }

    /** Whether forward normalises with the running statistics (eval mode with tracked statistics). */
    public boolean normalisesWithRunningStats() {
        return !isTraining() && options.trackRunningStats();
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    @Override
    public String describe() {
        return "BatchNorm2d(" + numFeatures + ", eps=" + options.eps() + ", momentum=" + options.momentum()
                + ", affine=" + options.affine() + ", trackRunningStats=" + options.trackRunningStats() + ")";
    }
}
