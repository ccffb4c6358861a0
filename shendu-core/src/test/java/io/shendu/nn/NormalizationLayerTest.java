package io.shendu.nn;

import io.shendu.autograd.Autograd;
import io.shendu.autograd.NoGrad;
import io.shendu.backend.Backends;
import io.shendu.backend.reference.ReferenceBackend;
import io.shendu.nn.Normalization.BatchNormOptions;
import io.shendu.tensor.DType;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BatchNorm1d, BatchNorm2d and LayerNorm: state, training against evaluation, running statistics, errors. */
class NormalizationLayerTest {

    private static final float EPS = 1e-5f;

    @Test
    void batchNormStateDictHasPyTorchNamesAndInitialValues() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Map<String, Tensor> state = bn.stateDict();
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(state.keySet()));
        assertArrayEquals(new float[] {1, 1, 1}, state.get("weight").toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, state.get("bias").toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, state.get("running_mean").toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, state.get("running_var").toFloatArray());
        Tensor tracked = state.get("num_batches_tracked");
        assertEquals(DType.INT32, tracked.dtype());
        assertArrayEquals(new int[0], tracked.shape());
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
    }

    @Test
    void withoutAffineOrTrackingTheStateIsSmaller() {
        BatchNorm1d plain = new BatchNorm1d(4, BatchNormOptions.DEFAULTS.withAffine(false));
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(plain.stateDict().keySet()));
        BatchNorm1d untracked = new BatchNorm1d(4, BatchNormOptions.DEFAULTS.withTrackRunningStats(false));
        assertEquals(List.of("weight", "bias"), List.copyOf(untracked.stateDict().keySet()));
    }

    @Test
    void trainingNormalisesWithBatchStatisticsAndUpdatesRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(2, BatchNormOptions.DEFAULTS.withMomentum(0.25));
        Tensor x = Tensor.of(new float[][] {{1, 10}, {2, 20}, {3, 60}, {6, 30}});
        Tensor y = bn.forward(x);
        // channel 0: mean 3, biased var 3.5, unbiased var 14/3; channel 1: mean 30, biased var 350, unbiased 1400/3
        float[] mean = {3, 30}, biased = {3.5f, 350}, unbiased = {14f / 3, 1400f / 3};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                double expected = (x.get(i, j) - mean[j]) / Math.sqrt(biased[j] + EPS);
                assertEquals(expected, y.get(i, j), 1e-5);
            }
        }
        assertArrayEquals(new float[] {0.75f * 0 + 0.25f * 3, 0.25f * 30}, bn.runningMean().toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {0.75f + 0.25f * unbiased[0], 0.75f + 0.25f * unbiased[1]},
                bn.runningVar().toFloatArray(), 1e-3f);
        bn.forward(x);
        assertEquals(2, bn.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void evaluationUsesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm1d bn = new BatchNorm1d(3);
        setState(bn, new float[] {0.5f, -1, 2}, new float[] {4, 0.25f, 1});
        try (var ignored = NoGrad.enter()) {
            bn.weight().copyFrom(Tensor.vector(2, 1, -1));
            bn.bias().copyFrom(Tensor.vector(0, 1, 0.5f));
        }
        bn.eval();
        Tensor x = Tensor.randn(new Generator(1), 5, 3, 4);
        Tensor y = bn.forward(x);
        float[] rm = {0.5f, -1, 2}, rv = {4, 0.25f, 1}, w = {2, 1, -1}, b = {0, 1, 0.5f};
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    double expected = (x.get(i, j, k) - rm[j]) / Math.sqrt(rv[j] + EPS) * w[j] + b[j];
                    assertEquals(expected, y.get(i, j, k), 1e-5);
                }
            }
        }
        assertArrayEquals(rm, bn.runningMean().toFloatArray());
        assertArrayEquals(rv, bn.runningVar().toFloatArray());
        assertEquals(0, bn.stateDict().get("num_batches_tracked").item());
        bn.train();
        assertFalse(close(y, bn.forward(x)), "training mode must use the batch's statistics");
    }

    @Test
    void withoutRunningStatisticsEvaluationUsesTheBatch() {
        BatchNorm2d bn = new BatchNorm2d(2, BatchNormOptions.DEFAULTS.withTrackRunningStats(false));
        Tensor x = Tensor.randn(new Generator(2), 3, 2, 4, 4);
        Tensor train = bn.forward(x);
        bn.eval();
        assertTrue(close(train, bn.forward(x)));
    }

    @Test
    void batchNorm2dGivesEachChannelZeroMeanAndUnitVariance() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor x = Tensor.randn(new Generator(3), 4, 3, 5, 6).mul(3).add(7);
        Tensor y = bn.forward(x);
        Tensor perChannel = y.transpose(0, 1).reshape(3, -1);
        assertArrayEquals(new float[3], perChannel.mean(1, false).toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {1, 1, 1}, perChannel.var(new int[] {1}, false, false).toFloatArray(), 1e-4f);
    }

    @Test
    void gradientsReachWeightBiasAndInput() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = Tensor.randn(new Generator(4), 3, 2, 2, 2).requiresGrad(true);
        bn.forward(x).mul(Tensor.randn(new Generator(5), 3, 2, 2, 2)).sum().backward();
        assertArrayEquals(new int[] {2}, bn.weight().grad().shape());
        assertArrayEquals(new int[] {2}, bn.bias().grad().shape());
        assertArrayEquals(x.shape(), x.grad().shape());
    }

    @Test
    void fastAndReferenceBackendsAgree() {
        Tensor x = Tensor.randn(new Generator(6), 4, 3, 7), u = Tensor.randn(new Generator(7), 4, 3, 7);
        Tensor w = Tensor.rand(new Generator(8), 3).add(0.5f), b = Tensor.randn(new Generator(9), 3);
        Tensor[] fast = batchNormAndGrads(x, w, b, u);
        Tensor[] reference;
        try (var ignored = Backends.use(ReferenceBackend.INSTANCE)) {
            reference = batchNormAndGrads(x, w, b, u);
        }
        for (int i = 0; i < fast.length; i++) assertArrayEquals(reference[i].toFloatArray(), fast[i].toFloatArray(), 2e-5f);
    }

    private static Tensor[] batchNormAndGrads(Tensor x0, Tensor w0, Tensor b0, Tensor u) {
        Tensor x = x0.copy().requiresGrad(true), w = w0.copy().requiresGrad(true), b = b0.copy().requiresGrad(true);
        Tensor bnOut = Normalization.batchNorm(x, null, null, w, b, true, 0.1, EPS);
        Tensor lnOut = Normalization.layerNorm(x, new int[] {7}, null, null, EPS);
        Tensor[] g = Autograd.grad(new Tensor[] {bnOut, lnOut}, new Tensor[] {x, w, b}, new Tensor[] {u, u}, false);
        return new Tensor[] {bnOut, lnOut, g[0], g[1], g[2]};
    }

    @Test
    void evaluationIsSafeToRunFromManyThreads() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.forward(Tensor.randn(new Generator(10), 4, 3, 3, 3));
        bn.eval();
        Tensor x = Tensor.randn(new Generator(11), 2, 3, 3, 3);
        float[] expected = bn.forward(x).toFloatArray();
        assertTrue(IntStream.range(0, 64).parallel().allMatch(i -> java.util.Arrays.equals(expected, bn.forward(x).toFloatArray())));
    }

    @Test
    void errorsNameTheLayerWithExpectedAndFoundShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(4, 5, 5)));
        assertTrue(e.getMessage().startsWith("BatchNorm2d(3") && e.getMessage().contains("expected input [N, 3, H, W], found [4, 5, 5]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(4).forward(Tensor.zeros(8, 5)));
        assertTrue(e.getMessage().contains("BatchNorm1d(4") && e.getMessage().contains("found [8, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(4).forward(Tensor.zeros(1, 4)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4, 6).forward(Tensor.zeros(3, 6, 4)));
        assertTrue(e.getMessage().startsWith("LayerNorm([4, 6]") && e.getMessage().contains("expected input [..., 4, 6], found [3, 6, 4]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchNormOptions.DEFAULTS.withMomentum(1.5));
        assertThrows(IllegalArgumentException.class, () -> BatchNormOptions.DEFAULTS.withEps(0));
        assertThrows(IllegalArgumentException.class, () -> LayerNorm.Options.DEFAULTS.withEps(-1));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(0));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm());
    }

    @Test
    void stateDictRoundTripsIncludingTheCounter() {
        BatchNorm1d trained = new BatchNorm1d(3);
        for (int i = 0; i < 3; i++) trained.forward(Tensor.randn(new Generator(12 + i), 6, 3));
        BatchNorm1d fresh = new BatchNorm1d(3);
        fresh.loadStateDict(trained.stateDict(), true);
        assertEquals(3, fresh.stateDict().get("num_batches_tracked").item());
        assertArrayEquals(trained.runningVar().toFloatArray(), fresh.runningVar().toFloatArray());
        trained.eval();
        fresh.eval();
        Tensor x = Tensor.randn(new Generator(20), 2, 3);
        assertArrayEquals(trained.forward(x).toFloatArray(), fresh.forward(x).toFloatArray());
    }

    @Test
    void layerNormNormalisesEachSampleOverTheTrailingDimensions() {
        LayerNorm ln = new LayerNorm(4, 5);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        assertArrayEquals(new int[] {4, 5}, ln.weight().shape());
        Tensor x = Tensor.randn(new Generator(21), 3, 4, 5).mul(2).add(-4);
        Tensor rows = ln.forward(x).reshape(3, 20);
        assertArrayEquals(new float[3], rows.mean(1, false).toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {1, 1, 1}, rows.var(new int[] {1}, false, false).toFloatArray(), 1e-4f);
        ln.eval();
        assertArrayEquals(rows.toFloatArray(), ln.forward(x).reshape(3, 20).toFloatArray());
        assertTrue(new LayerNorm(new int[] {5}, LayerNorm.Options.DEFAULTS.withElementwiseAffine(false)).stateDict().isEmpty());
        assertEquals(List.of("weight"),
                List.copyOf(new LayerNorm(new int[] {5}, LayerNorm.Options.DEFAULTS.withBias(false)).stateDict().keySet()));
        assertNull(new LayerNorm(new int[] {5}, LayerNorm.Options.DEFAULTS.withBias(false)).bias());
    }

    private static void setState(BatchNorm1d bn, float[] mean, float[] var) {
        try (var ignored = NoGrad.enter()) {
            bn.runningMean().copyFrom(Tensor.vector(mean));
            bn.runningVar().copyFrom(Tensor.vector(var));
        }
    }

    private static boolean close(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i] - y[i]) > 1e-4f) return false;
        return true;
    }
}
