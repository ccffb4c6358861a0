package io.shendu.backend;

import io.shendu.backend.NormKernels.Stats;
import io.shendu.backend.cpu.CpuBackend;
import io.shendu.backend.cpu.Parallel;
import io.shendu.backend.reference.ReferenceBackend;
import io.shendu.tensor.Generator;
import io.shendu.backend.cpu.RestoreThreads;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast norm kernels against the reference ones, on random shapes from tiny and odd to large enough to be split
 * across threads, with and without weight and bias, on data far from zero mean (which a one-pass variance would
 * get wrong). Each fast result is computed at 1 and 2 threads and must be bitwise the same at both.
 */
@ExtendWith(RestoreThreads.class)
class NormKernelsTest {

    private static final NormKernels REFERENCE = ReferenceBackend.INSTANCE.norm();
    /** The fast norm kernels with the Vector API (when present) and without. */
    private static final List<NormKernels> FAST = List.of(CpuBackend.INSTANCE.norm(), CpuBackend.plain().norm());

    /** Batch-norm problems {n, c, l}: a single value per channel, [N, C], odd sizes, and large ones. */
    private static final int[][] BATCH = {
        {1, 1, 1}, {2, 1, 1}, {1, 3, 2}, {3, 4, 1}, {5, 3, 7}, {2, 7, 13}, {64, 9, 1}, {8, 5, 1025}, {32, 3, 600}, {4, 3, 3136},
    };
    /** Layer-norm problems {rows, d}. */
    private static final int[][] LAYER = {{1, 1}, {1, 2}, {3, 5}, {7, 33}, {2, 1000}, {600, 64}, {40, 700}};


    /** A problem: its shape, whether it has weight and bias, and the offset of the data (0 or far away). */
    record Problem(int[] shape, boolean weight, boolean bias, float offset) {
        @Override
        public String toString() {
            return Arrays.toString(shape) + (weight ? " weight" : "") + (bias ? " bias" : "") + " offset " + offset;
        }

        float[] data(Generator g, int n, float scale, float shift) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) (shift + scale * g.nextGaussian());
            return v;
        }
    }

    static Stream<Problem> batchProblems() {
        return problems(BATCH);
    }

    static Stream<Problem> layerProblems() {
        return problems(LAYER);
    }

    private static Stream<Problem> problems(int[][] shapes) {
        List<Problem> out = new ArrayList<>();
        for (int[] s : shapes) {
            out.add(new Problem(s, true, true, 0f));
            out.add(new Problem(s, false, false, 0f));
            out.add(new Problem(s, true, false, 100f));
            out.add(new Problem(s, false, true, -3f));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchProblems")
    void batchNormMatchesReference(Problem p) {
        int n = p.shape[0], c = p.shape[1], l = p.shape[2], size = n * c * l;
        Generator g = new Generator(Arrays.hashCode(p.shape) + (p.weight ? 1 : 0) + (p.bias ? 2 : 0));
        float[] x = p.data(g, size, 2f, p.offset), grad = p.data(g, size, 1f, 0.3f);
        float[] w = p.weight ? p.data(g, c, 0.5f, 1f) : null, b = p.bias ? p.data(g, c, 1f, 0f) : null;
        float[] runMean = p.data(g, c, 1f, p.offset), runInvStd = p.data(g, c, 0.1f, 0.7f);
        compare(p + " train", 1, kernels -> {
            float[] out = new float[size], mean = new float[c], invStd = new float[c], var = new float[c];
            kernels.batchNormTrain(x, n, c, l, w, b, 1e-5f, out, mean, invStd, var);
            return named("out", out, "mean", mean, "invStd", invStd, "varUnbiased", var);
        });
        compare(p + " eval", 1, kernels -> {
            float[] out = new float[size];
            kernels.batchNormEval(x, n, c, l, runMean, runInvStd, w, b, out);
            return named("out", out);
        });
        float[] mean = new float[c], invStd = new float[c];
        REFERENCE.batchNormTrain(x, n, c, l, w, b, 1e-5f, new float[size], mean, invStd, new float[c]);
        for (Stats stats : Stats.values()) {
            compare(p + " backward " + stats, terms(grad, w, invStd), kernels -> {
                float[] dx = new float[size], dw = new float[c], db = new float[c];
                kernels.batchNormBackward(stats, x, grad, n, c, l, mean, invStd, w, dx, dw, db);
                float[] dxOnly = new float[size];    // null gradient outputs are skipped, the rest unchanged
                kernels.batchNormBackward(stats, x, grad, n, c, l, mean, invStd, w, dxOnly, null, null);
                assertArrayEquals(dx, dxOnly, "dx without dweight and dbias");
                return named("dx", dx, "dweight", dw, "dbias", db);
            });
        }
    }

    /**
     * The fused batch norm + ReLU against the reference's unfused default (normalise, then ReLU; mask g by the
     * output, then the backward): forward and backward, both statistics.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batchProblems")
    void batchNormReluMatchesReference(Problem p) {
        int n = p.shape[0], c = p.shape[1], l = p.shape[2], size = n * c * l;
        Generator g = new Generator(Arrays.hashCode(p.shape) + 17);
        float[] x = p.data(g, size, 2f, p.offset), grad = p.data(g, size, 1f, 0.3f);
        float[] w = p.weight ? p.data(g, c, 0.5f, 1f) : null, b = p.bias ? p.data(g, c, 1f, 0f) : null;
        for (Stats stats : Stats.values()) {
            float[] runMean = p.data(g, c, 1f, p.offset), runInvStd = p.data(g, c, 0.1f, 0.7f);
            float[] y = new float[size], mean = stats == Stats.BATCH ? new float[c] : runMean;
            float[] invStd = stats == Stats.BATCH ? new float[c] : runInvStd;
            REFERENCE.batchNormRelu(stats, x, n, c, l, w, b, 1e-5f, y, mean, invStd, new float[c]);
            int clipped = 0;
            for (float v : y) if (v == 0f) clipped++;
            assertTrue(size < 4 || clipped > 0, p + ": the ReLU clips something");
            compare(p + " relu forward " + stats, 1, kernels -> {
                float[] out = new float[size], mu = stats == Stats.BATCH ? new float[c] : runMean;
                float[] inv = stats == Stats.BATCH ? new float[c] : runInvStd;
                kernels.batchNormRelu(stats, x, n, c, l, w, b, 1e-5f, out, mu, inv, new float[c]);
                return named("out", out);
            });
            compare(p + " relu backward " + stats, terms(grad, w, invStd), kernels -> {
                float[] dx = new float[size], dw = new float[c], db = new float[c];
                kernels.batchNormReluBackward(stats, x, grad, y, n, c, l, mean, invStd, w, dx, dw, db);
                return named("dx", dx, "dweight", dw, "dbias", db);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerProblems")
    void layerNormMatchesReference(Problem p) {
        int rows = p.shape[0], d = p.shape[1], size = rows * d;
        Generator g = new Generator(Arrays.hashCode(p.shape) * 31 + (p.weight ? 1 : 0) + (p.bias ? 2 : 0));
        float[] x = p.data(g, size, 2f, p.offset), grad = p.data(g, size, 1f, 0.3f);
        float[] w = p.weight ? p.data(g, d, 0.5f, 1f) : null, b = p.bias ? p.data(g, d, 1f, 0f) : null;
        compare(p + " forward", 1, kernels -> {
            float[] out = new float[size], mean = new float[rows], invStd = new float[rows];
            kernels.layerNorm(x, rows, d, w, b, 1e-5f, out, mean, invStd);
            return named("out", out, "mean", mean, "invStd", invStd);
        });
        float[] mean = new float[rows], invStd = new float[rows];
        REFERENCE.layerNorm(x, rows, d, w, b, 1e-5f, new float[size], mean, invStd);
        compare(p + " backward", terms(grad, w, invStd), kernels -> {
            float[] dx = new float[size], dw = new float[d], db = new float[d];
            kernels.layerNormBackward(x, grad, rows, d, mean, invStd, w, dx, dw, db);
            float[] dwOnly = new float[d];
            kernels.layerNormBackward(x, grad, rows, d, mean, invStd, w, null, dwOnly, null);
            assertArrayEquals(dw, dwOnly, "dweight without dx and dbias");
            return named("dx", dx, "dweight", dw, "dbias", db);
        });
    }

    /**
     * Runs {@code kernel} on the reference and on the fast backend at 1 and 2 threads, and compares; {@code scale}
     * is the size of the terms that make up the results (a gradient that cancels to nearly 0 carries their
     * rounding errors, not its own size's).
     */
    private static void compare(String what, double scale, Function<NormKernels, Map<String, float[]>> kernel) {
        Map<String, float[]> expected = kernel.apply(REFERENCE);
        for (NormKernels fast : FAST) {
            Parallel.setThreads(1);
            Map<String, float[]> one = kernel.apply(fast);
            Parallel.setThreads(2);
            Map<String, float[]> two = kernel.apply(fast);
            expected.forEach((name, want) -> {
                assertArrayEquals(one.get(name), two.get(name), () -> what + ": " + name + " differs between 1 and 2 threads");
                assertClose(what + ": " + name + " (" + fast + ")", want, one.get(name), scale);
            });
        }
    }

    /** |actual − expected| ≤ 1e-5·(max(scale, max |expected|) + |expected|): float against double arithmetic. */
    private static void assertClose(String what, float[] expected, float[] actual, double scale) {
        for (float v : expected) if (Float.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual[i]), () -> what + "[" + at + "]: expected NaN, got " + actual[at]);
                continue;
            }
            double allowed = 1e-5 * (scale + Math.abs(expected[i])) + 1e-30;
            assertTrue(Math.abs(actual[i] - expected[i]) <= allowed,
                    () -> what + "[" + at + "]: fast " + actual[at] + ", reference " + expected[at]);
        }
    }

    /** The size of the terms of a backward: max |g| · max |weight| · max invStd. */
    private static double terms(float[] g, float[] weight, float[] invStd) {
        return maxAbs(g) * (weight == null ? 1 : maxAbs(weight)) * maxAbs(invStd);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        return m;
    }

    private static Map<String, float[]> named(Object... pairs) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) out.put((String) pairs[i], (float[]) pairs[i + 1]);
        return out;
    }
}
