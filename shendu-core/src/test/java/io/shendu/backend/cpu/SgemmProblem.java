package io.shendu.backend.cpu;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One random SGEMM call for the tests: offsets and padded leading dimensions, C starting as random data, and
 * the double-precision result with its float32 tolerance to check an output against.
 */
/** One random call with offsets and padded leading dimensions; C starts as random data. */
record SgemmProblem(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
        int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {

    static SgemmProblem random(Random rng, int m, int n, int k) {
        return random(rng, rng.nextBoolean(), rng.nextBoolean(), m, n, k);
    }

    static SgemmProblem random(Random rng, boolean transA, boolean transB, int m, int n, int k) {
        float alpha = new float[] {1f, -0.5f, 2.25f}[rng.nextInt(3)];
        float beta = new float[] {0f, 1f, 0.75f}[rng.nextInt(3)];
        int lda = (transA ? m : k) + rng.nextInt(4), ldb = (transB ? k : n) + rng.nextInt(4);
        int ldc = n + rng.nextInt(4), aOff = rng.nextInt(6), bOff = rng.nextInt(6), cOff = rng.nextInt(6);
        float[] a = randomArray(rng, aOff + (transA ? k : m) * lda + 3);
        float[] b = randomArray(rng, bOff + (transB ? n : k) * ldb + 3);
        float[] c = randomArray(rng, cOff + m * ldc + 3);
        return new SgemmProblem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    SgemmProblem withBeta(float newBeta) {
        return new SgemmProblem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, newBeta, c, cOff, ldc);
    }

    private static float[] randomArray(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rng.nextFloat() * 2f - 1f;
        return x;
    }

    float opA(int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    float opB(int p, int j) {
        return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    SgemmCall call() {
        return callInto(c.clone());
    }

    /** The call writing into {@code out} (a copy of C), validated. */
    SgemmCall callInto(float[] out) {
        var call = new SgemmCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
        call.validate();
        return call;
    }

    void check(Sgemm.Path path, double[][] expected) {
        float[] out = c.clone();
        var call = new SgemmCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff,
                ldc);
        call.validate();
        Sgemm.run(call, path);
        compare(out, expected, path.toString());
    }

    void checkPublic(double[][] expected) {
        float[] out = c.clone();
        Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
        compare(out, expected, "sgemm");
    }

    /**
     * The double-precision result per element of C ({@code [0][i*n+j]}) and its tolerance ({@code [1]}):
     * float32 rounding of k products, relative to |alpha|·Σ|a||b| + |beta·c|.
     */
    double[][] reference() {
        double[] value = new double[m * n], tol = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, mag = 0;
                for (int p = 0; p < k; p++) {
                    double prod = (double) opA(i, p) * opB(p, j);
                    sum += prod;
                    mag += Math.abs(prod);
                }
                double old = beta == 0f ? 0 : beta * (double) c[cOff + i * ldc + j];
                value[i * n + j] = alpha * sum + old;
                tol[i * n + j] = 4 * Math.ulp(1f) * (k + 2) * (Math.abs(alpha) * mag + Math.abs(old)) + 1e-30;
            }
        }
        return new double[][] {value, tol};
    }

    /** {@link #compare(float[], double[][], String)} against {@link #reference()}. */
    void compare(float[] out, String path) {
        compare(out, reference(), path);
    }

    /** Every element of C within tolerance; every element of the array outside C untouched. */
    void compare(float[] out, double[][] expected, String path) {
        boolean[] inside = new boolean[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                inside[ci] = true;
                double want = expected[0][i * n + j], tol = expected[1][i * n + j];
                if (!(Math.abs(out[ci] - want) <= tol)) {
                    fail(String.format("%s %s: C(%d,%d) = %s, expected %s (tol %.3g)", path, this, i, j,
                            out[ci], want, tol));
                }
            }
        }
        for (int x = 0; x < c.length; x++) {
            if (!inside[x]) {
                assertEquals(Float.floatToRawIntBits(c[x]), Float.floatToRawIntBits(out[x]),
                        path + " " + this + ": wrote outside C at index " + x);
            }
        }
    }

    @Override
    public String toString() {
        return String.format("[m=%d n=%d k=%d transA=%b transB=%b alpha=%s beta=%s lda=%d ldb=%d ldc=%d "
                + "offsets=%d,%d,%d threads=%d]", m, n, k, transA, transB, alpha, beta, lda, ldb, ldc, aOff, bOff,
                cOff, Parallel.threads());
    }
}
