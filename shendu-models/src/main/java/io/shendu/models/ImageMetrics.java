package io.shendu.models;

import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Full-reference image quality, the two numbers of the super-resolution tables. Both take batches
 * {@code [N, C, H, W]} and the data range R of the pixels (1 for [0, 1]), score each image, and average over the
 * batch, as the papers do.
 * <ul>
 * <li>PSNR (dB) = 10·log₁₀(R² / MSE); +∞ for identical images.
 * <li>SSIM (Wang, Bovik, Sheikh and Simoncelli 2004) = mean over local windows of
 *     {@code (2μₓμᵧ + C₁)(2σₓᵧ + C₂) / ((μₓ² + μᵧ² + C₁)(σₓ² + σᵧ² + C₂))}, with C₁ = (0.01R)², C₂ = (0.03R)²,
 *     and the statistics weighted by the paper's 11 × 11 Gaussian window (σ = 1.5) at every position where it
 *     fits (no padding), as the authors' {@code ssim_index.m}; channels are averaged.
 * </ul>
 */
public final class ImageMetrics {

    static final int WINDOW = 11;
    static final double SIGMA = 1.5, K1 = 0.01, K2 = 0.03;

    private ImageMetrics() {}

    /** Mean PSNR over the batch, in dB. */
    public static double psnr(Tensor prediction, Tensor target, double dataRange) {
        return Arrays.stream(psnrPerImage(prediction, target, dataRange)).average().orElseThrow();
    }

    /** PSNR of each image, in dB. */
    public static double[] psnrPerImage(Tensor prediction, Tensor target, double dataRange) {
        check("psnr", prediction, target, dataRange);
        float[] p = prediction.contiguous().toFloatArray(), t = target.contiguous().toFloatArray();
        int n = prediction.size(0), size = p.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double se = 0;
            for (int k = i * size; k < (i + 1) * size; k++) se += (p[k] - (double) t[k]) * (p[k] - (double) t[k]);
            out[i] = 10 * Math.log10(dataRange * dataRange / (se / size));
        }
        return out;
    }

    /** Mean SSIM over the batch, in [−1, 1] (1: identical). */
    public static double ssim(Tensor prediction, Tensor target, double dataRange) {
        return Arrays.stream(ssimPerImage(prediction, target, dataRange)).average().orElseThrow();
    }

    /** SSIM of each image (the mean of its channels'). Images must be at least 11 × 11. */
    public static double[] ssimPerImage(Tensor prediction, Tensor target, double dataRange) {
        check("ssim", prediction, target, dataRange);
        int n = prediction.size(0), c = prediction.size(1), h = prediction.size(2), w = prediction.size(3);
        if (h < WINDOW || w < WINDOW) {
            throw new IllegalArgumentException("ssim: images of " + h + " × " + w + " are smaller than the " + WINDOW + " × "
                    + WINDOW + " window");
        }
        float[] p = prediction.contiguous().toFloatArray(), t = target.contiguous().toFloatArray();
        double[] g = gaussian();
        double c1 = Math.pow(K1 * dataRange, 2), c2 = Math.pow(K2 * dataRange, 2);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int ch = 0; ch < c; ch++) sum += ssimPlane(p, t, (i * c + ch) * h * w, h, w, g, c1, c2);
            out[i] = sum / c;
        }
        return out;
    }

    /** Mean of the SSIM map of one plane starting at {@code offset}. */
    private static double ssimPlane(float[] x, float[] y, int offset, int h, int w, double[] g, double c1, double c2) {
        double total = 0;
        int positions = 0;
        for (int top = 0; top + WINDOW <= h; top++) {
            for (int left = 0; left + WINDOW <= w; left++) {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (int r = 0; r < WINDOW; r++) {
                    for (int q = 0; q < WINDOW; q++) {
                        double weight = g[r] * g[q];
                        int k = offset + (top + r) * w + left + q;
                        mx += weight * x[k];
                        my += weight * y[k];
                        xx += weight * x[k] * x[k];
                        yy += weight * y[k] * y[k];
                        xy += weight * x[k] * y[k];
                    }
                }
                double vx = xx - mx * mx, vy = yy - my * my, cov = xy - mx * my;
                total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                positions++;
            }
        }
        return total / positions;
    }

    /** The normalised 1-D Gaussian; the 2-D window is its outer product. */
    static double[] gaussian() {
        double[] g = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - (WINDOW - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        for (int i = 0; i < WINDOW; i++) g[i] /= sum;
        return g;
    }

    private static void check(String op, Tensor prediction, Tensor target, double dataRange) {
        if (prediction.rank() != 4 || !Arrays.equals(prediction.shape(), target.shape()) || prediction.size(0) == 0) {
            throw new IllegalArgumentException(op + ": expected two non-empty batches [N, C, H, W] of the same shape, got "
                    + Arrays.toString(prediction.shape()) + " and " + Arrays.toString(target.shape()));
        }
        if (!(dataRange > 0)) throw new IllegalArgumentException(op + ": dataRange must be positive, got " + dataRange);
    }
}
