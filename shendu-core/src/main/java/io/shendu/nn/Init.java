package io.shendu.nn;

import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Weight initialisation, in place, as {@code torch.nn.init}. Fan-in and fan-out of a weight
 * {@code [out, in, k...]} are {@code in·∏k} and {@code out·∏k}.
 */
public final class Init {

    /** Which fan the Kaiming schemes preserve. */
    public enum Mode { FAN_IN, FAN_OUT }

    /** Non-linearities with a recommended gain. */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    private Init() {}

    /** The recommended gain: 1, 1, 5/3, √2, √(2/(1+slope²)), 3/4. */
    public static double gain(Nonlinearity nonlinearity, double negativeSlope) {
        return switch (nonlinearity) {
            case LINEAR, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
            case SELU -> 0.75;
        };
    }

    public static int fanIn(Tensor w) {
        requireMatrix("fanIn", w);
        return w.size(1) * receptiveField(w);
    }

    public static int fanOut(Tensor w) {
        requireMatrix("fanOut", w);
        return w.size(0) * receptiveField(w);
    }

    private static int receptiveField(Tensor w) {
        int r = 1;
        for (int d = 2; d < w.rank(); d++) r *= w.size(d);
        return r;
    }

    private static void requireMatrix(String op, Tensor w) {
        if (w.rank() < 2) {
            throw new IllegalArgumentException(op + ": needs a tensor of at least 2 dimensions, got " + Arrays.toString(w.shape()));
        }
    }

    /** U(a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator gen) {
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (a + (b - a) * gen.nextDouble());
        return set(t, v);
    }

    /** N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * gen.nextGaussian());
        return set(t, v);
    }

    public static Tensor constant(Tensor t, float value) {
        try (var ignored = NoGrad.enter()) {
            return t.fill(value);
        }
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0f);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1f);
    }

    /** Glorot: U(−a, a) with a = gain·√(6/(fanIn + fanOut)). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        double a = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -a, a, gen);
    }

    /** Glorot: N(0, std²) with std = gain·√(2/(fanIn + fanOut)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), gen);
    }

    /** He: U(−b, b) with b = gain·√(3/fan), gain from the non-linearity (slope {@code a} for leaky ReLU). */
    public static Tensor kaimingUniform(Tensor t, double a, Mode mode, Nonlinearity nonlinearity, Generator gen) {
        double std = gain(nonlinearity, a) / Math.sqrt(mode == Mode.FAN_IN ? fanIn(t) : fanOut(t));
        double bound = Math.sqrt(3) * std;
        return uniform(t, -bound, bound, gen);
    }

    /** He: N(0, std²) with std = gain/√fan. */
    public static Tensor kaimingNormal(Tensor t, double a, Mode mode, Nonlinearity nonlinearity, Generator gen) {
        double std = gain(nonlinearity, a) / Math.sqrt(mode == Mode.FAN_IN ? fanIn(t) : fanOut(t));
        return normal(t, 0, std, gen);
    }

    /**
     * A (semi-)orthogonal matrix, scaled by {@code gain}: the Q of a QR decomposition (Householder, with the
     * signs of R's diagonal folded in, as PyTorch does) of a Gaussian matrix {@code [rows, ∏ other dims]}.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator gen) {
        requireMatrix("orthogonal", t);
        int rows = t.size(0), cols = t.numel() / rows;
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols; // m >= n
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[i][j] = gen.nextGaussian();
        double[][] q = householderQ(a, m, n);
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) v[i * cols + j] = (float) (gain * (transpose ? q[j][i] : q[i][j]));
        }
        return set(t, v);
    }

    /** The m×n Q of A = QR (m ≥ n), with columns signed so that R has a positive diagonal. */
    private static double[][] householderQ(double[][] a, int m, int n) {
        double[][] r = new double[m][];
        for (int i = 0; i < m; i++) r[i] = a[i].clone();
        double[][] vs = new double[n][];
        double[] sign = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i][k] * r[i][k];
            norm = Math.sqrt(norm);
            double alpha = r[k][k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) v[i] = r[i][k];
            v[k] -= alpha;
            double vnorm = 0;
            for (int i = k; i < m; i++) vnorm += v[i] * v[i];
            if (vnorm > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i] * r[i][j];
                    double f = 2 * dot / vnorm;
                    for (int i = k; i < m; i++) r[i][j] -= f * v[i];
                }
            }
            vs[k] = v;
            sign[k] = r[k][k] < 0 ? -1 : 1;
        }
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) q[j][j] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            double vnorm = 0;
            for (int i = k; i < m; i++) vnorm += v[i] * v[i];
            if (vnorm == 0) continue;
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * q[i][j];
                double f = 2 * dot / vnorm;
                for (int i = k; i < m; i++) q[i][j] -= f * v[i];
            }
        }
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) q[i][j] *= sign[j];
        return q;
    }

    private static Tensor set(Tensor t, float[] values) {
        try (var ignored = NoGrad.enter()) {
            return t.copyFrom(Tensor.of(values, t.shape()));
        }
    }
}
