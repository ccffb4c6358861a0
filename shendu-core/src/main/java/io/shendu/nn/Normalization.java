package io.shendu.nn;

import io.shendu.autograd.Function;
import io.shendu.autograd.NoGrad;
import io.shendu.backend.Backends;
import io.shendu.backend.NormKernels;
import io.shendu.backend.NormKernels.Stats;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Batch norm and layer norm: the functional forms (as {@code F.batch_norm} and {@code F.layer_norm}) and their
 * two primitives, {@link BatchNormalization} and {@link LayerNormalization}, whose forward and backward run in
 * the backend's {@link NormKernels}. The formulas are on {@link NormKernels}.
 */
public final class Normalization {

    private Normalization() {}

    /**
     * Hyper-parameters of {@link BatchNorm1d} and {@link BatchNorm2d}, as PyTorch's constructor arguments:
     * {@code eps} added to the variance, {@code momentum} of the running estimates
     * ({@code running = (1 − momentum)·running + momentum·batch}), a learnable {@code affine} weight and bias,
     * and whether to {@code trackRunningStats} (without, evaluation normalises with the batch's statistics too).
     */
    public record BatchNormOptions(double eps, double momentum, boolean affine, boolean trackRunningStats) {

        public static final BatchNormOptions DEFAULTS = new BatchNormOptions(1e-5, 0.1, true, true);

        public BatchNormOptions {
            if (!(eps > 0)) throw new IllegalArgumentException("BatchNormOptions: eps must be > 0, got " + eps);
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("BatchNormOptions: momentum must be in [0, 1], got " + momentum);
            }
        }

        public BatchNormOptions withEps(double eps) {
            return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
        }

        public BatchNormOptions withMomentum(double momentum) {
            return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
        }

        public BatchNormOptions withAffine(boolean affine) {
            return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
        }

        public BatchNormOptions withTrackRunningStats(boolean trackRunningStats) {
            return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
        }
    }

    // ---------------------------------------------------------------- for BatchNorm1d and BatchNorm2d

    /**
     * Registers a batch-norm module's state under PyTorch's names: parameters {@code weight} (ones) and
     * {@code bias} (zeros) when affine; buffers {@code running_mean} (zeros), {@code running_var} (ones) and the
     * int counter {@code num_batches_tracked} when tracking running statistics.
     */
    static void registerBatchNorm(Module m, int numFeatures, BatchNormOptions options) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + ": numFeatures must be positive, got " + numFeatures);
        }
        if (options.affine()) {
            m.registerParameter("weight", Tensor.ones(numFeatures));
            m.registerParameter("bias", Tensor.zeros(numFeatures));
        }
        if (options.trackRunningStats()) {
            m.registerBuffer("running_mean", Tensor.zeros(numFeatures));
            m.registerBuffer("running_var", Tensor.ones(numFeatures));
            m.registerBuffer("num_batches_tracked", Tensor.ofInts(new int[] {0}));
        }
    }

    /**
     * A batch-norm module's forward: the batch's statistics in training (counting the batch and updating the
     * running estimates) or when not tracking them, the running estimates in evaluation.
     */
    static Tensor batchNormModule(Module m, Tensor x, BatchNormOptions options) {
        return batchNormModule(m, x, options, After.NOTHING);
    }

    /** What a batch norm computes after normalising, in its own passes. */
    enum After {
        NOTHING,
        /** max(·, 0), applied in the normalising pass; the backward masks the gradient as it reads it. */
        RELU,
        /**
         * The ReLU, then a 2×2 stride-2 max pool of a 4-D input: the normalised values live only in a per-thread
         * {@link Scratch} array, and the pool keeps a byte per output ({@link ScratchMaxPool2}).
         */
        RELU_MAX_POOL2
    }

    /** {@link #batchNormModule}, followed by {@code after} in the same kernels. */
    static Tensor batchNormModule(Module m, Tensor x, BatchNormOptions options, After after) {
        boolean track = options.trackRunningStats(), training = m.isTraining();
        Tensor out = batchNorm(x, m.buffer("running_mean"), m.buffer("running_var"), m.parameter("weight"),
                m.parameter("bias"), training || !track, options.momentum(), options.eps(), after);
        if (training && track) {
            int tracked = m.buffer("num_batches_tracked").toIntArray()[0];
            m.setBuffer("num_batches_tracked", Tensor.ofInts(new int[] {tracked + 1}));
        }
        return out;
    }

    // ---------------------------------------------------------------- functional forms

    /**
     * Batch norm over channel dimension 1 of {@code x} ({@code [N, C]}, {@code [N, C, L]}, {@code [N, C, H, W]}, ...).
     * In {@code training} it normalises with the batch's mean and biased variance and, when given, updates
     * {@code runningMean} and {@code runningVar} in place (the latter with the unbiased variance); otherwise it
     * normalises with the running estimates. {@code weight} and {@code bias} ({@code [C]}) may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps, After.NOTHING);
    }

    /**
     * {@code relu(batchNorm(...))} as one primitive: the ReLU is applied in the normalising pass, and its backward
     * masks the gradient as the batch-norm backward reads it.
     */
    public static Tensor batchNormRelu(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                       boolean training, double momentum, double eps) {
        return batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps, After.RELU);
    }

    /**
     * {@code maxPool2d(relu(batchNorm(...)), 2)} of a 4-D input as one primitive: the normalised values are pooled
     * as they are computed and never stored as a tensor; an odd last row or column is dropped, as by the pool.
     */
    public static Tensor batchNormReluMaxPool2(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight,
                                               Tensor bias, boolean training, double momentum, double eps) {
        return batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps, After.RELU_MAX_POOL2);
    }

    private static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                    boolean training, double momentum, double eps, After after) {
        if (after == After.RELU_MAX_POOL2 && (x.rank() != 4 || x.size(2) < 2 || x.size(3) < 2)) {
            throw new IllegalArgumentException("batch_norm + max_pool2d: expected an input [N, C, H, W] with H, W >= 2, "
                    + "found " + Arrays.toString(x.shape()));
        }
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input [N, C, ...] of at least 2 dimensions, found "
                    + Arrays.toString(x.shape()));
        }
        int c = x.size(1);
        checkVector("batch_norm", "weight", weight, c);
        checkVector("batch_norm", "bias", bias, c);
        checkVector("batch_norm", "running_mean", runningMean, c);
        checkVector("batch_norm", "running_var", runningVar, c);
        if (!training) {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batch_norm: evaluation needs running_mean and running_var");
            }
            return new BatchNormalization(Stats.RUNNING, weight != null, bias != null, (float) eps,
                    runningMean.toFloatArray(), runningVar.toFloatArray(), after).apply(inputs(x, weight, bias));
        }
        if (c > 0 && x.numel() / c <= 1) {
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, found input "
                    + Arrays.toString(x.shape()));
        }
        BatchNormalization fn = new BatchNormalization(Stats.BATCH, weight != null, bias != null, (float) eps, null, null,
                after);
        Tensor out = fn.apply(inputs(x, weight, bias));
        try (var ignored = NoGrad.enter()) {
            float m = (float) momentum;
            if (runningMean != null) runningMean.mulInPlace(1 - m).addInPlace(Tensor.vector(fn.mean), m);
            if (runningVar != null) runningVar.mulInPlace(1 - m).addInPlace(Tensor.vector(fn.varUnbiased), m);
        }
        return out;
    }

    /**
     * Layer norm over the trailing dimensions {@code normalizedShape} of {@code x}, with the biased variance;
     * {@code weight} and {@code bias} (of shape {@code normalizedShape}) may be null.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length, rank = x.rank();
        int[] trailing = Arrays.copyOfRange(x.shape(), Math.max(rank - k, 0), rank);
        if (k == 0 || rank < k || !Arrays.equals(trailing, normalizedShape)) {
            throw new IllegalArgumentException("layer_norm: input " + Arrays.toString(x.shape())
                    + " does not end with normalized_shape " + Arrays.toString(normalizedShape));
        }
        checkShape("weight", weight, normalizedShape);
        checkShape("bias", bias, normalizedShape);
        return new LayerNormalization(normalizedShape, weight != null, bias != null, (float) eps)
                .apply(inputs(x, weight, bias));
    }

    private static void checkShape(String name, Tensor t, int[] normalizedShape) {
        if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
            throw new IllegalArgumentException("layer_norm: " + name + " " + Arrays.toString(t.shape())
                    + " does not match normalized_shape " + Arrays.toString(normalizedShape));
        }
    }

    private static void checkVector(String op, String name, Tensor t, int c) {
        if (t != null && (t.rank() != 1 || t.size(0) != c)) {
            throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(t.shape())
                    + " does not match the input's " + c + " channels; expected [" + c + "]");
        }
    }

    private static Tensor[] inputs(Tensor x, Tensor weight, Tensor bias) {
        return Arrays.stream(new Tensor[] {x, weight, bias}).filter(Objects::nonNull).toArray(Tensor[]::new);
    }

    /** The contiguous values of {@code t}: its own storage when that is exactly its elements, else a copy. */
    static float[] dense(Tensor t) {
        return t == null ? null : t.isView() ? t.contiguousCopy().floatStorage() : t.floatStorage();
    }

    /** The gradients in input order, leaving out an absent weight or bias (a null entry: not needed). */
    private static Tensor[] grads(Tensor dx, boolean hasWeight, Tensor dweight, boolean hasBias, Tensor dbias) {
        Tensor[] out = new Tensor[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        out[0] = dx;
        if (hasWeight) out[1] = dweight;
        if (hasBias) out[out.length - 1] = dbias;
        return out;
    }

    // ---------------------------------------------------------------- primitives

    /**
     * {@code y = (x − mean)·invStd·weight + bias} per channel of {@code x} viewed as {@code [N, C, L]}; inputs
     * x, then weight and bias where present. With {@link Stats#BATCH} the statistics are the batch's (and depend
     * on x); with {@link Stats#RUNNING} they are constants. Backward: see {@link NormKernels#batchNormBackward}.
     */
    static final class BatchNormalization extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final Stats stats;
        private final boolean hasWeight, hasBias;
        private final float eps;
        /** What follows in the same kernels: nothing, y = max(bn(x), 0), or that pooled 2×2. */
        private final After after;
        private float[] mean, invStd, varUnbiased;
        private int n, c, l;
        /** With {@link After#RELU_MAX_POOL2}: the pool of the normalised values. */
        private ScratchMaxPool2 pool;

        BatchNormalization(Stats stats, boolean hasWeight, boolean hasBias, float eps, float[] runningMean,
                           float[] runningVar, After after) {
            this.stats = stats;
            this.after = after;
            this.hasWeight = hasWeight;
            this.hasBias = hasBias;
            this.eps = eps;
            if (stats == Stats.RUNNING) {
                mean = runningMean;
                invStd = new float[runningVar.length];
                for (int j = 0; j < invStd.length; j++) invStd[j] = (float) (1 / Math.sqrt((double) runningVar[j] + eps));
            }
        }

        @Override
        public String name() {
            return after == After.RELU_MAX_POOL2 ? "BatchNorm+ReLU+MaxPool2x2" : "BatchNormalization";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0].isView() ? in[0].contiguousCopy() : in[0];
            Tensor weight = hasWeight ? in[1] : null, bias = hasBias ? in[in.length - 1] : null;
            n = x.size(0);
            c = x.size(1);
            l = n * c == 0 ? 0 : x.numel() / (n * c);
            NormKernels kernels = Backends.current().norm();
            if (stats == Stats.BATCH) {
                mean = new float[c];
                invStd = new float[c];
                varUnbiased = new float[c];
            }
            if (after == After.RELU_MAX_POOL2) {
                pool = new ScratchMaxPool2(n, c, x.size(2), x.size(3));
                float[] y = Scratch.floats(pool.inputSize());
                kernels.batchNormRelu(stats, x.floatStorage(), n, c, l, dense(weight), dense(bias), eps, y, mean, invStd,
                        varUnbiased);
                saveForBackward(x, weight);
                return pool.pool(y, isRecorded());
            }
            Tensor out = Tensor.zeros(x.shape());
            if (after == After.RELU) {
                kernels.batchNormRelu(stats, x.floatStorage(), n, c, l, dense(weight), dense(bias), eps,
                        out.floatStorage(), mean, invStd, varUnbiased);
                saveForBackward(x, weight, out);
            } else {
                if (stats == Stats.BATCH) {
                    kernels.batchNormTrain(x.floatStorage(), n, c, l, dense(weight), dense(bias), eps,
                            out.floatStorage(), mean, invStd, varUnbiased);
                } else {
                    kernels.batchNormEval(x.floatStorage(), n, c, l, mean, invStd, dense(weight), dense(bias),
                            out.floatStorage());
                }
                saveForBackward(x, weight);
            }
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] saved = savedTensors();
            Tensor x = saved[0];
            Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
            Tensor dweight = hasWeight && needsInputGrad(1) ? Tensor.zeros(c) : null;
            Tensor dbias = hasBias && needsInputGrad(hasWeight ? 2 : 1) ? Tensor.zeros(c) : null;
            float[] dxa = dx == null ? null : dx.floatStorage(), dwa = dweight == null ? null : dweight.floatStorage();
            float[] dba = dbias == null ? null : dbias.floatStorage();
            NormKernels kernels = Backends.current().norm();
            switch (after) {
                case RELU -> kernels.batchNormReluBackward(stats, x.floatStorage(), dense(g), saved[2].floatStorage(), n, c,
                        l, mean, invStd, dense(saved[1]), dxa, dwa, dba);
                case RELU_MAX_POOL2 -> {
                    // the pool's backward gives the gradient of the ReLU's input directly: -1 positions get none
                    kernels.batchNormBackward(stats, x.floatStorage(), pool.scatter(g), n, c, l, mean, invStd,
                            dense(saved[1]), dxa, dwa, dba);
                }
                case NOTHING -> kernels.batchNormBackward(stats, x.floatStorage(), dense(g), n, c, l, mean, invStd,
                        dense(saved[1]), dxa, dwa, dba);
            }
            return grads(dx, hasWeight, dweight, hasBias, dbias);
        }
    }

    /**
     * {@code y = (x − mean)·invStd·weight + bias} over the last {@code d} elements of each row of {@code x}; inputs
     * x, then weight and bias where present. Backward: see {@link NormKernels#layerNormBackward}.
     */
    static final class LayerNormalization extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int[] normalizedShape;
        private final int d;
        private final boolean hasWeight, hasBias;
        private final float eps;
        private float[] mean, invStd;

        LayerNormalization(int[] normalizedShape, boolean hasWeight, boolean hasBias, float eps) {
            this.normalizedShape = normalizedShape.clone();
            this.d = Arrays.stream(normalizedShape).reduce(1, (a, b) -> a * b);
            this.hasWeight = hasWeight;
            this.hasBias = hasBias;
            this.eps = eps;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0].isView() ? in[0].contiguousCopy() : in[0];
            Tensor weight = hasWeight ? in[1] : null, bias = hasBias ? in[in.length - 1] : null;
            int rows = d == 0 ? 0 : x.numel() / d;
            mean = new float[rows];
            invStd = new float[rows];
            Tensor out = Tensor.zeros(x.shape());
            Backends.current().norm().layerNorm(x.floatStorage(), rows, d, dense(weight), dense(bias), eps,
                    out.floatStorage(), mean, invStd);
            saveForBackward(x, weight);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] saved = savedTensors();
            Tensor x = saved[0];
            Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
            Tensor dweight = hasWeight && needsInputGrad(1) ? Tensor.zeros(normalizedShape) : null;
            Tensor dbias = hasBias && needsInputGrad(hasWeight ? 2 : 1) ? Tensor.zeros(normalizedShape) : null;
            Backends.current().norm().layerNormBackward(x.floatStorage(), dense(g), mean.length, d, mean, invStd,
                    dense(saved[1]), dx == null ? null : dx.floatStorage(),
                    dweight == null ? null : dweight.floatStorage(), dbias == null ? null : dbias.floatStorage());
            return grads(dx, hasWeight, dweight, hasBias, dbias);
        }
    }
}
