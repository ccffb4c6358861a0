package io.shendu.models;

import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PSNR and SSIM against values worked out by hand. */
class ImageMetricsTest {

    @Test
    void psnrOfKnownErrors() {
        // MSE 0.01 → 10·log10(1 / 0.01) = 20 dB; MSE 0.0001 → 40 dB.
        Tensor target = Tensor.zeros(2, 1, 2, 2);
        Tensor prediction = Tensor.of(new float[] {0, 0.2f, 0, 0, 0.01f, 0.01f, 0.01f, 0.01f}, 2, 1, 2, 2);
        assertArrayEquals(new double[] {20, 40}, ImageMetrics.psnrPerImage(prediction, target, 1), 1e-4);
        assertEquals(30, ImageMetrics.psnr(prediction, target, 1), 1e-4, "the mean of the per-image values");
        // The same error in pixels of 0..255: 10·log10(255² / (0.01·255²)) is still 20 dB.
        assertEquals(20, ImageMetrics.psnr(prediction.narrow(0, 0, 1).mul(255f), target.narrow(0, 0, 1), 255), 1e-4);
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(target, target, 1));
    }

    @Test
    void ssimOfIdenticalImagesIsOne() {
        Tensor x = Tensor.rand(new io.shendu.tensor.Generator(1), 2, 1, 13, 12);
        assertEquals(1, ImageMetrics.ssim(x, x, 1), 1e-9);
    }

    @Test
    void ssimOfConstantImagesIsTheLuminanceTerm() {
        // No variance: SSIM = (2ab + C1)(C2) / ((a² + b² + C1)(C2)) with C1 = 0.01² = 1e-4.
        Tensor a = Tensor.full(0.5f, 1, 1, 11, 11), b = Tensor.full(0.25f, 1, 1, 11, 11);
        assertEquals((2 * 0.5 * 0.25 + 1e-4) / (0.25 + 0.0625 + 1e-4), ImageMetrics.ssim(a, b, 1), 1e-6);
    }

    @Test
    void ssimOfAnImageAndItsNegative() {
        // One 11 × 11 window; x = 1 on the five left columns, 0 elsewhere, y = 1 − x. With p the Gaussian weight on
        // those columns, p = (1 − g₅)/2 by symmetry (g₅ the centre weight of the normalised 1-D Gaussian, σ = 1.5):
        // μx = p, μy = 1 − p, σx² = σy² = p(1 − p), σxy = −p(1 − p).
        float[] v = new float[121];
        for (int r = 0; r < 11; r++) for (int q = 0; q < 5; q++) v[r * 11 + q] = 1;
        Tensor x = Tensor.of(v, 1, 1, 11, 11), y = x.neg().add(1f);
        double norm = 0;
        for (int i = -5; i <= 5; i++) norm += Math.exp(-i * i / 4.5);
        double p = (1 - 1 / norm) / 2, var = p * (1 - p), c1 = 1e-4, c2 = 9e-4;
        double expected = (2 * p * (1 - p) + c1) * (-2 * var + c2) / ((p * p + (1 - p) * (1 - p) + c1) * (2 * var + c2));
        assertEquals(expected, ImageMetrics.ssim(x, y, 1), 1e-6);
        assertEquals(-0.8645, expected, 1e-4, "strongly negative: the structure is inverted, the means differ");
    }

    @Test
    void ssimAveragesChannelsAndImages() {
        Tensor a = Tensor.full(0.5f, 2, 2, 11, 11), b = Tensor.full(0.5f, 2, 2, 11, 11);
        b.narrow(0, 1, 1).narrow(1, 1, 1).fill(0.25f); // one channel of the second image differs
        double lum = (2 * 0.5 * 0.25 + 1e-4) / (0.25 + 0.0625 + 1e-4);
        assertArrayEquals(new double[] {1, (1 + lum) / 2}, ImageMetrics.ssimPerImage(a, b, 1), 1e-6);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.ssim(Tensor.zeros(1, 1, 10, 11), Tensor.zeros(1, 1, 10, 11), 1));
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.psnr(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(1, 1, 4, 5), 1));
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.psnr(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(1, 1, 4, 4), 0));
    }
}
