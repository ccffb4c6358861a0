package io.shendu.models;

import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bicubic resizing: constants stay constant, ramps where the taps are symmetric, and small cases by hand. */
class ResizeTest {

    @Test
    void aConstantImageStaysConstant() {
        Tensor x = Tensor.full(0.37f, 2, 3, 5, 7);
        for (int[] size : new int[][] {{10, 14}, {3, 4}, {5, 7}, {11, 2}}) {
            Tensor y = Resize.bicubic(x, size[0], size[1]);
            assertArrayEquals(new int[] {2, 3, size[0], size[1]}, y.shape());
            for (float v : y.toFloatArray()) assertEquals(0.37f, v, 1e-6f);
        }
    }

    @Test
    void aLinearRampIsKeptWhereTheTapsAreSymmetric() {
        // f(y, x) = 0.1·x + 0.05·y at pixel centres. Output o samples s = (o + ½)·in/out − ½. Keys' kernel with
        // a = −0.75 reproduces constants everywhere but linear functions only where the taps sit symmetrically
        // around s (t = 0 or ½): the same size (t = 0) and halving (s = 2o + ½), away from the clamped border.
        int h = 8, w = 8;
        float[] v = new float[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) v[y * w + x] = 0.1f * x + 0.05f * y;
        Tensor ramp = Tensor.of(v, 1, 1, h, w);
        assertArrayEquals(v, Resize.bicubic(ramp, h, w).toFloatArray(), 1e-6f);
        float[] half = Resize.bicubic(ramp, 4, 4).toFloatArray();
        for (int oy = 1; oy <= 2; oy++) {
            for (int ox = 1; ox <= 2; ox++) {
                assertEquals(0.1 * (2 * ox + 0.5) + 0.05 * (2 * oy + 0.5), half[oy * 4 + ox], 1e-6, "at (" + oy + ", " + ox + ")");
            }
        }
        // Upscaling 2× (t = ¼ and ¾) bends a ramp slightly: a ramp of slope 1 comes out shifted by ±(Σ wₖ·k − t) =
        // ±0.046875 at t = ¼ (weights −0.10546875, 0.87890625, 0.26171875, −0.03515625 at k = −1, 0, 1, 2).
        float[] up = Resize.bicubic(Tensor.arange(8).reshape(1, 1, 1, 8), 1, 16).toFloatArray();
        assertEquals(3.25 + 0.046875, up[7], 1e-5, "o = 7: s = 3.25");
        assertEquals(3.75 - 0.046875, up[8], 1e-5, "o = 8: s = 3.75");
    }

    @Test
    void upscalingTwoPixelsByHand() {
        // [0, 1] → 4 samples at s = −0.25, 0.25, 0.75, 1.25. At s = 0.25 (t = ¼) the taps are pixels −1, 0, 1, 2,
        // clamped to 0, 0, 1, 1, so the value is w(1 − t) + w(2 − t) = W(0.75) + W(1.75), with Keys' kernel (a = −0.75)
        // W(d) = (a + 2)d³ − (a + 3)d² + 1 for d ≤ 1 and a·d³ − 5a·d² + 8a·d − 4a for 1 < d < 2:
        // W(0.75) = 0.26171875, W(1.75) = −0.03515625 → 0.2265625. At s = −0.25 only pixel 1 is 1: W(1.25) = −0.10546875.
        Tensor y = Resize.bicubic(Tensor.of(new float[] {0, 1}, 1, 1, 1, 2), 1, 4);
        assertArrayEquals(new float[] {-0.10546875f, 0.2265625f, 0.7734375f, 1.10546875f}, y.toFloatArray(), 1e-6f);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Resize.bicubic(Tensor.zeros(4, 4), 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Resize.bicubic(Tensor.zeros(1, 1, 4, 4), 0, 2));
    }
}
