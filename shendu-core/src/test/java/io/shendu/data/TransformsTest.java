package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformsTest {

    /** A [c, h, w] image whose pixels are 1, 2, 3, ... */
    private static Tensor ramp(int c, int h, int w) {
        float[] v = new float[c * h * w];
        for (int i = 0; i < v.length; i++) v[i] = i + 1;
        return Tensor.of(v, c, h, w);
    }

    @Test
    void normalizePerChannelAndForAll() {
        Tensor x = ramp(2, 1, 2); // channel 0: 1, 2; channel 1: 3, 4
        Tensor y = new Normalize(new float[] {1, 3}, new float[] {2, 0.5f}).apply(x, null);
        assertArrayEquals(new float[] {0, 0.5f, 0, 2}, y.toFloatArray());
        assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f}, new Normalize(3, 2).apply(x, null).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1}).apply(x, null));
        assertEquals("Normalize: 3 means for an image of 2 channels [2, 1, 2]", e.getMessage());
        assertArrayEquals(new float[] {1, 2, 3, 4}, x.toFloatArray(), "the input is not modified");
    }

    @Test
    void flipMirrorsEachRow() {
        Tensor x = ramp(2, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10},
                new RandomHorizontalFlip(1).apply(x, new Generator(0)).toFloatArray());
        assertSame(x, new RandomHorizontalFlip(0).apply(x, new Generator(0)));
        int flipped = 0;
        Generator gen = new Generator(3);
        for (int i = 0; i < 1000; i++) if (new RandomHorizontalFlip(0.3).apply(x, gen) != x) flipped++;
        assertTrue(flipped > 250 && flipped < 350, "flipped " + flipped);
    }

    @Test
    void cropWithPaddingIsAShiftedWindow() {
        Tensor x = ramp(1, 4, 4);
        assertArrayEquals(x.toFloatArray(), new RandomCrop(4, 0).apply(x, new Generator(1)).toFloatArray());
        Generator gen = new Generator(11);
        boolean[][] seen = new boolean[4][4];
        for (int trial = 0; trial < 200; trial++) {
            float[] y = new RandomCrop(3, 1).apply(x, gen).toFloatArray();
            int[] shift = findShift(x.toFloatArray(), 4, y, 3, 1);
            seen[shift[0] + 1][shift[1] + 1] = true;
        }
        int distinct = 0;
        for (boolean[] row : seen) for (boolean s : row) if (s) distinct++;
        assertEquals(16, distinct, "all 4 × 4 positions of a 3 × 3 window in the padded 6 × 6 image occur");
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(7, 1).apply(x, new Generator(0)));
        assertEquals("RandomCrop: a 7 × 7 crop does not fit an image [1, 4, 4] padded by 1", e.getMessage());
    }

    /** The (top, left) at which window y (side s) of image x (side n, zero-padded by p) starts; fails if none. */
    private static int[] findShift(float[] x, int n, float[] y, int s, int p) {
        for (int top = -p; top <= n + p - s; top++) {
            for (int left = -p; left <= n + p - s; left++) {
                boolean match = true;
                for (int r = 0; r < s && match; r++) {
                    for (int c = 0; c < s && match; c++) {
                        int sy = top + r, sx = left + c;
                        float expected = sy < 0 || sx < 0 || sy >= n || sx >= n ? 0 : x[sy * n + sx];
                        match = y[r * s + c] == expected;
                    }
                }
                if (match) return new int[] {top, left};
            }
        }
        throw new AssertionError("not a window of the padded image");
    }

    @Test
    void affineRotatesCounterClockwiseAndShifts() {
        // A dot right of the centre of a 3 × 3 image goes to the top under a 90° counter-clockwise turn.
        float[] dot = new float[9];
        dot[1 * 3 + 2] = 1;
        Tensor x = Tensor.of(dot, 1, 3, 3);
        for (var interpolation : RandomAffine.Interpolation.values()) {
            float[] y = RandomAffine.rotateTranslate(x, 90, 0, 0, interpolation).toFloatArray();
            float[] expected = new float[9];
            expected[1] = 1;
            assertArrayEquals(expected, y, 1e-6f, interpolation.name());
        }
        float[] shifted = RandomAffine.rotateTranslate(ramp(1, 3, 3), 0, 1, -1, RandomAffine.Interpolation.NEAREST).toFloatArray();
        assertArrayEquals(new float[] {0, 4, 5, 0, 7, 8, 0, 0, 0}, shifted);
        // Half a pixel between two values: bilinear averages, nearest picks one.
        float[] half = RandomAffine.rotateTranslate(ramp(1, 1, 2), 0, 0.5, 0, RandomAffine.Interpolation.BILINEAR).toFloatArray();
        assertArrayEquals(new float[] {0.5f, 1.5f}, half, 1e-6f);
    }

    @Test
    void randomAffineWithinItsRangesKeepsAnImageNearlyTheSame() {
        Tensor digit = Mnist.embedded(Split.TEST).get(0).input();
        assertArrayEquals(digit.toFloatArray(), new RandomAffine(0, 0).apply(digit, new Generator(5)).toFloatArray(), 1e-6f);
        Tensor moved = new RandomAffine(10, 0.1).apply(digit, new Generator(5));
        assertArrayEquals(new int[] {1, 28, 28}, moved.shape());
        float before = digit.sum().item(), after = moved.sum().item();
        assertTrue(Math.abs(after - before) < 0.1 * before, before + " vs " + after);
    }

    @Test
    void gaussianNoiseHasTheRequestedSpread() {
        Tensor noisy = new GaussianNoise(0.1).apply(Tensor.full(0.5f, 1, 100, 100), new Generator(9));
        assertEquals(0.5, noisy.mean().item(), 0.005);
        assertEquals(0.1, noisy.std().item(), 0.005);
        assertArrayEquals(noisy.toFloatArray(), new GaussianNoise(0.1).apply(Tensor.full(0.5f, 1, 100, 100), new Generator(9)).toFloatArray());
    }

    @Test
    void composeAppliesInOrder() {
        Tensor x = ramp(1, 1, 3);
        Transform t = new Compose(new RandomHorizontalFlip(1), new Normalize(1, 2));
        assertArrayEquals(new float[] {1, 0.5f, 0}, t.apply(x, new Generator(0)).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> t.apply(Tensor.zeros(3, 3), new Generator(0)));
        assertEquals("RandomHorizontalFlip: expected a float32 image [C, H, W], got float32 [3, 3]", e.getMessage());
    }
}
