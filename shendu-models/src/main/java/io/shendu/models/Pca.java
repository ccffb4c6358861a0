package io.shendu.models;

import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Principal component analysis (Pearson 1901; Hotelling 1933): the directions of largest variance of data
 * {@code X [N, D]}. Fitting centres the data, forms the covariance {@code C = (X − μ)ᵀ(X − μ) / (N − 1)}
 * {@code [D, D]} and decomposes it with {@link SymmetricEigen}; the first {@code k} eigenvectors are the
 * components, their eigenvalues the variance each explains. {@link #transform} projects onto them:
 * {@code Z = (X − μ) Wᵀ}, {@code [N, D] → [N, k]}. The sign of each component is fixed so that its largest
 * coordinate is positive, as scikit-learn does, so fits are reproducible.
 */
public final class Pca {

    private final float[] mean;
    private final float[][] components;
    private final double[] variances;
    private final double totalVariance;

    private Pca(float[] mean, float[][] components, double[] variances, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /** Fits {@code numComponents} components to {@code x [N, D]} (any further dimensions are flattened). */
    public static Pca fit(Tensor x, int numComponents) {
        Tensor rows = rows("Pca.fit", x);
        int n = rows.size(0), d = rows.size(1);
        if (n < 2) throw new IllegalArgumentException("Pca.fit: need at least 2 samples, got " + n);
        if (numComponents < 1 || numComponents > d) {
            throw new IllegalArgumentException("Pca.fit: numComponents must be in 1.." + d + ", got " + numComponents);
        }
        double[][] covariance;
        Tensor mu;
        try (var ignored = NoGrad.enter()) {
            mu = rows.mean(0);
            Tensor centred = rows.sub(mu);
            covariance = toDoubles(centred.t().matmul(centred).div(n - 1f), d);
        }
        symmetrize(covariance);
        SymmetricEigen eigen = SymmetricEigen.of(covariance);
        float[][] w = new float[numComponents][d];
        for (int c = 0; c < numComponents; c++) w[c] = signFixed(eigen.vectors()[c]);
        double total = 0;
        for (int i = 0; i < d; i++) total += covariance[i][i];
        double[] variances = new double[numComponents];
        for (int c = 0; c < numComponents; c++) variances[c] = Math.max(0, eigen.values()[c]);
        return new Pca(mu.toFloatArray(), w, variances, total);
    }

    /** {@code Z = (X − μ) Wᵀ}: {@code [N, D] → [N, k]}. */
    public Tensor transform(Tensor x) {
        Tensor rows = rows("Pca.transform", x);
        if (rows.size(1) != mean.length) {
            throw new IllegalArgumentException("Pca.transform: fitted on " + mean.length + " features, got "
                    + Arrays.toString(x.shape()));
        }
        try (var ignored = NoGrad.enter()) {
            return rows.sub(mean()).matmul(components().t());
        }
    }

    /** The reconstruction {@code X̂ = Z W + μ}: {@code [N, k] → [N, D]}. */
    public Tensor inverseTransform(Tensor z) {
        try (var ignored = NoGrad.enter()) {
            return z.matmul(components()).add(mean());
        }
    }

    /** The components W {@code [k, D]}, one unit vector per row, by decreasing variance. */
    public Tensor components() {
        float[] flat = new float[components.length * mean.length];
        for (int c = 0; c < components.length; c++) System.arraycopy(components[c], 0, flat, c * mean.length, mean.length);
        return Tensor.of(flat, components.length, mean.length);
    }

    /** The mean μ {@code [D]}. */
    public Tensor mean() {
        return Tensor.of(mean.clone(), mean.length);
    }

    /** The variance along each component (the covariance's eigenvalues), largest first. */
    public double[] explainedVariance() {
        return variances.clone();
    }

    /** Each component's share of the total variance (the covariance's trace). */
    public double[] explainedVarianceRatio() {
        double[] r = new double[variances.length];
        for (int c = 0; c < r.length; c++) r[c] = totalVariance == 0 ? 0 : variances[c] / totalVariance;
        return r;
    }

    public int numComponents() {
        return components.length;
    }

    private static Tensor rows(String op, Tensor x) {
        if (x.rank() < 2) throw new IllegalArgumentException(op + ": expected [N, D] (or [N, ...]), got " + Arrays.toString(x.shape()));
        return x.rank() == 2 ? x : x.flatten(1, -1);
    }

    private static double[][] toDoubles(Tensor m, int d) {
        float[] f = m.toFloatArray();
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) out[i][j] = f[i * d + j];
        }
        return out;
    }

    /** The float GEMM may round the two triangles differently; average them. */
    private static void symmetrize(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < i; j++) a[i][j] = a[j][i] = (a[i][j] + a[j][i]) / 2;
        }
    }

    private static float[] signFixed(double[] v) {
        int largest = 0;
        for (int i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[largest])) largest = i;
        double sign = v[largest] < 0 ? -1 : 1;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (sign * v[i]);
        return out;
    }
}
