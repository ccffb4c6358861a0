package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The initialisation schemes give PyTorch's bounds and spreads, and orthogonal really is orthogonal. */
class InitTest {

    private static double std(float[] v) {
        double mean = 0, sq = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        for (float x : v) sq += (x - mean) * (x - mean);
        return Math.sqrt(sq / v.length);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Test
    void fansOfLinearAndConvWeights() {
        assertEquals(784, Init.fanIn(Tensor.zeros(10, 784)));
        assertEquals(10, Init.fanOut(Tensor.zeros(10, 784)));
        assertEquals(3 * 5 * 5, Init.fanIn(Tensor.zeros(16, 3, 5, 5)));
        assertEquals(16 * 5 * 5, Init.fanOut(Tensor.zeros(16, 3, 5, 5)));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Tensor.zeros(7)));
    }

    @Test
    void gainsAreTheRecommendedOnes() {
        assertEquals(Math.sqrt(2), Init.gain(Init.Nonlinearity.RELU, 0), 1e-12);
        assertEquals(5.0 / 3, Init.gain(Init.Nonlinearity.TANH, 0), 1e-12);
        assertEquals(Math.sqrt(2 / (1 + 0.2 * 0.2)), Init.gain(Init.Nonlinearity.LEAKY_RELU, 0.2), 1e-12);
    }

    @Test
    void uniformSchemesStayInsideTheirBoundsAndFillThem() {
        Generator g = new Generator(1);
        Tensor w = Tensor.zeros(200, 300);
        float[] x = Init.xavierUniform(w, 1.0, g).toFloatArray();
        double a = Math.sqrt(6.0 / 500);
        assertTrue(maxAbs(x) <= a && maxAbs(x) > 0.99 * a);
        assertEquals(a / Math.sqrt(3), std(x), 0.01 * a);

        float[] k = Init.kaimingUniform(w, 0, Init.Mode.FAN_IN, Init.Nonlinearity.RELU, g).toFloatArray();
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / 300);
        assertTrue(maxAbs(k) <= bound && maxAbs(k) > 0.99 * bound);
    }

    @Test
    void normalSchemesHaveTheirStandardDeviation() {
        Generator g = new Generator(2);
        Tensor w = Tensor.zeros(256, 128, 3, 3);
        assertEquals(Math.sqrt(2.0 / (128 * 9)), std(Init.kaimingNormal(w, 0, Init.Mode.FAN_IN, Init.Nonlinearity.RELU, g).toFloatArray()), 0.002);
        assertEquals(Math.sqrt(2.0 / (128 * 9 + 256 * 9)), std(Init.xavierNormal(w, 1.0, g).toFloatArray()), 0.002);
        assertEquals(0.02, std(Init.normal(Tensor.zeros(100_000), 0, 0.02, g).toFloatArray()), 0.0005);
    }

    @Test
    void linearDefaultIsPytorchsBound() {
        Linear l = new Linear(400, 120, true, new Generator(3));
        double bound = 1 / Math.sqrt(400);
        assertTrue(maxAbs(l.weight().toFloatArray()) <= bound && maxAbs(l.weight().toFloatArray()) > 0.98 * bound);
        assertTrue(maxAbs(l.bias().toFloatArray()) <= bound);
    }

    @Test
    void orthogonalGivesOrthonormalRowsOrColumns() {
        Generator g = new Generator(4);
        for (int[] shape : new int[][] {{6, 4}, {4, 6}, {5, 5}}) {
            Tensor q = Init.orthogonal(Tensor.zeros(shape), 1.0, g);
            boolean tall = shape[0] >= shape[1];
            Tensor gram = tall ? q.t().matmul(q) : q.matmul(q.t());
            float[] v = gram.toFloatArray();
            int n = Math.min(shape[0], shape[1]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) assertEquals(i == j ? 1f : 0f, v[i * n + j], 1e-5, "gram " + i + "," + j);
            }
        }
        Tensor scaled = Init.orthogonal(Tensor.zeros(3, 3), 2.0, g);
        assertEquals(4f, scaled.matmul(scaled.t()).get(1, 1), 1e-5);
    }

    @Test
    void sameSeedSameWeights() {
        float[] a = Init.kaimingUniform(Tensor.zeros(8, 8), Math.sqrt(5), Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, new Generator(9)).toFloatArray();
        float[] b = Init.kaimingUniform(Tensor.zeros(8, 8), Math.sqrt(5), Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, new Generator(9)).toFloatArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    }
}
