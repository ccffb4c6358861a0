package io.shendu.models;

import java.util.Arrays;

/**
 * The eigen-decomposition {@code A = V diag(λ) Vᵀ} of a real symmetric matrix: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm with Wilkinson-type shifts (the EISPACK routines
 * {@code tred2} and {@code tql2}, as in JAMA and Golub and Van Loan §8.3). O(n³), to double precision; the
 * eigenvalues come out in descending order, each eigenvector of unit length.
 *
 * @param values the eigenvalues λ, largest first
 * @param vectors {@code vectors[i]} is the eigenvector of {@code values[i]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    /** Decomposes the symmetric {@code a} ({@code n × n}; only symmetry within 1e-9 relative is checked). */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] v = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("SymmetricEigen: row " + i + " has " + a[i].length + " entries, expected " + n);
            }
            v[i] = a[i].clone();
            for (double x : a[i]) scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (!(Math.abs(a[i][j] - a[j][i]) <= 1e-9 * scale)) {
                    throw new IllegalArgumentException("SymmetricEigen: not symmetric at (" + i + ", " + j + "): "
                            + a[i][j] + " vs " + a[j][i]);
                }
            }
        }
        double[] d = new double[n], e = new double[n];
        if (n == 0) return new SymmetricEigen(d, v);
        tridiagonalize(v, d, e); // v becomes Qᵀ: rows are vectors, so all inner loops walk contiguous memory
        diagonalize(v, d, e);
        return sorted(d, v);
    }

    /**
     * Householder reduction {@code A = Q T Qᵀ} (tred2) of the symmetric {@code u}: on return {@code u} holds
     * {@code Qᵀ}, {@code d} the diagonal of T and {@code e[1..]} its sub-diagonal. EISPACK works on columns of a
     * row-major array; this is the same algorithm on the transpose, so the inner loops run along rows.
     */
    private static void tridiagonalize(double[][] u, double[] d, double[] e) {
        int n = d.length;
        for (int j = 0; j < n; j++) d[j] = u[j][n - 1];
        for (int i = n - 1; i > 0; i--) {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = u[j][i - 1];
                    u[j][i] = 0;
                    u[i][j] = 0;
                }
            } else {
                h = householderStep(u, d, e, i, scale);
            }
            d[i] = h;
        }
        accumulate(u, d, e);
    }

    /** One Householder reflection annihilating row {@code i} left of its sub-diagonal; returns its {@code h}. */
    private static double householderStep(double[][] u, double[] d, double[] e, int i, double scale) {
        double h = 0;
        for (int k = 0; k < i; k++) {
            d[k] /= scale;
            h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        Arrays.fill(e, 0, i, 0);
        for (int j = 0; j < i; j++) { // e = A v over the leading i × i block (one triangle stored)
            f = d[j];
            u[i][j] = f;
            double[] row = u[j];
            g = e[j] + row[j] * f;
            for (int k = j + 1; k < i; k++) {
                g += row[k] * d[k];
                e[k] += row[k] * f;
            }
            e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
            e[j] /= h;
            f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) e[j] -= hh * d[j];
        for (int j = 0; j < i; j++) { // A ← A − v pᵀ − p vᵀ
            f = d[j];
            g = e[j];
            double[] row = u[j];
            for (int k = j; k < i; k++) row[k] -= f * e[k] + g * d[k];
            d[j] = row[i - 1];
            row[i] = 0;
        }
        return h;
    }

    /** Forms {@code Qᵀ} from the stored Householder vectors. */
    private static void accumulate(double[][] u, double[] d, double[] e) {
        int n = d.length;
        for (int i = 0; i < n - 1; i++) {
            u[i][n - 1] = u[i][i];
            u[i][i] = 1;
            double h = d[i + 1];
            double[] vector = u[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) d[k] = vector[k] / h;
                for (int j = 0; j <= i; j++) {
                    double[] row = u[j];
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += vector[k] * row[k];
                    for (int k = 0; k <= i; k++) row[k] -= g * d[k];
                }
            }
            Arrays.fill(vector, 0, i + 1, 0);
        }
        for (int j = 0; j < n; j++) {
            d[j] = u[j][n - 1];
            u[j][n - 1] = 0;
        }
        u[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /**
     * Implicit QL on the tridiagonal (d, e) (tql2), applying each Givens rotation to the rows of {@code vt};
     * on return {@code d} holds the eigenvalues and row i of {@code vt} the eigenvector of {@code d[i]}.
     */
    private static void diagonalize(double[][] vt, double[] d, double[] e) {
        int n = d.length;
        System.arraycopy(e, 1, e, 0, n - 1);
        e[n - 1] = 0;
        double f = 0, tst1 = 0, eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > 60) throw new ArithmeticException("SymmetricEigen: QL did not converge at " + l);
                    f += qlSweep(vt, d, e, l, m);
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /** One shifted QL sweep over the block l..m; returns the shift it subtracted from the diagonal. */
    private static double qlSweep(double[][] vt, double[] d, double[] e, int l, int m) {
        int n = d.length;
        double g = d[l];
        double p = (d[l + 1] - g) / (2 * e[l]);
        double r = Math.copySign(Math.hypot(p, 1), p);
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        double dl1 = d[l + 1];
        double h = g - d[l];
        for (int i = l + 2; i < n; i++) d[i] -= h;
        p = d[m];
        double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
        for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            double hp = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = hp + s * (c * g + s * d[i]);
            rotate(vt[i], vt[i + 1], c, s);
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
        return h;
    }

    /** (a, b) ← (c·a − s·b, s·a + c·b), element-wise. */
    private static void rotate(double[] a, double[] b, double c, double s) {
        for (int k = 0; k < a.length; k++) {
            double x = a[k], y = b[k];
            a[k] = c * x - s * y;
            b[k] = s * x + c * y;
        }
    }

    private static SymmetricEigen sorted(double[] d, double[][] vt) {
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[d.length];
        double[][] vectors = new double[d.length][];
        for (int i = 0; i < order.length; i++) {
            values[i] = d[order[i]];
            vectors[i] = vt[order[i]];
        }
        return new SymmetricEigen(values, vectors);
    }
}
