package io.shendu.models;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The symmetric eigen-solver on matrices with known spectra, and PCA on data with known variances. */
class PcaTest {

    @Test
    void eigenOfKnownMatrices() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        assertArrayEquals(new double[] {3, 1}, e.values(), 1e-12);
        assertEquals(1, Math.abs(e.vectors()[0][0] + e.vectors()[0][1]) / Math.sqrt(2), 1e-12, "(1, 1)/√2");
        // The second difference matrix tridiag(−1, 2, −1): λ_k = 2 − 2cos(kπ/(n+1)).
        int n = 7;
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            t[i][i] = 2;
            if (i > 0) t[i][i - 1] = t[i - 1][i] = -1;
        }
        double[] values = SymmetricEigen.of(t).values();
        for (int k = 1; k <= n; k++) assertEquals(2 - 2 * Math.cos((n + 1 - k) * Math.PI / (n + 1)), values[k - 1], 1e-12);
        assertArrayEquals(new double[] {5}, SymmetricEigen.of(new double[][] {{5}}).values());
        assertArrayEquals(new double[] {3, 3, 0}, SymmetricEigen.of(new double[][] {{3, 0, 0}, {0, 0, 0}, {0, 0, 3}}).values(), 1e-15);
    }

    @Test
    void eigenDecomposesRandomSymmetricMatrices() {
        Generator g = new Generator(3);
        for (int n : new int[] {2, 3, 10, 64}) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = g.nextGaussian();
            SymmetricEigen e = SymmetricEigen.of(a);
            for (int c = 0; c < n; c++) {
                double[] v = e.vectors()[c];
                for (int i = 0; i < n; i++) {
                    double av = 0;
                    for (int j = 0; j < n; j++) av += a[i][j] * v[j];
                    assertEquals(e.values()[c] * v[i], av, 1e-10, "A v = λ v, n=" + n);
                }
                for (int d = 0; d <= c; d++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += v[i] * e.vectors()[d][i];
                    assertEquals(c == d ? 1 : 0, dot, 1e-10, "orthonormal, n=" + n);
                }
                if (c > 0) assertEquals(true, e.values()[c] <= e.values()[c - 1], "descending");
            }
        }
    }

    @Test
    void eigenRejectsAsymmetricInput() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}));
    }

    @Test
    void pcaFindsTheAxesOfAnisotropicData() {
        // Independent coordinates with standard deviations 3, 2, 1, rotated by 45° in the first two: the
        // covariance's eigenvalues are 9, 4, 1 and the first component is (1, 1, 0)/√2.
        Generator g = new Generator(11);
        int n = 20_000;
        float[] x = new float[n * 3];
        double s = Math.sqrt(0.5);
        for (int i = 0; i < n; i++) {
            double a = 3 * g.nextGaussian(), b = 2 * g.nextGaussian(), c = g.nextGaussian();
            x[3 * i] = (float) (s * (a - b) + 10);
            x[3 * i + 1] = (float) (s * (a + b) - 5);
            x[3 * i + 2] = (float) c;
        }
        Pca pca = Pca.fit(Tensor.of(x, n, 3), 2);
        double[] variance = pca.explainedVariance();
        assertEquals(9, variance[0], 0.25);
        assertEquals(4, variance[1], 0.15);
        assertArrayEquals(new double[] {9 / 14.0, 4 / 14.0}, pca.explainedVarianceRatio(), 0.01);
        assertArrayEquals(new float[] {10, -5, 0}, pca.mean().toFloatArray(), 0.1f);
        float[] w = pca.components().toFloatArray();
        assertArrayEquals(new float[] {(float) s, (float) s, 0}, new float[] {w[0], w[1], w[2]}, 0.01f, "first axis, sign fixed");
        Tensor mean = pca.mean().reshape(1, 3), first = pca.components().narrow(0, 0, 1);
        Tensor z = pca.transform(Tensor.cat(java.util.List.of(mean, mean.add(first.mul(2f))), 0));
        assertArrayEquals(new float[] {0, 0, 2, 0}, z.toFloatArray(), 1e-4f, "centred, then projected");
        assertArrayEquals(mean.add(first.mul(2f)).toFloatArray(), pca.inverseTransform(z.narrow(0, 1, 1)).toFloatArray(), 1e-4f);
    }

    @Test
    void pcaValidatesItsArguments() {
        Tensor x = Tensor.zeros(5, 3);
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, 4));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(Tensor.zeros(1, 3), 1));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, 2).transform(Tensor.zeros(2, 4)));
    }
}
