package io.shendu.models;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** k-nearest neighbours on toy sets with known answers, and IoU on known masks. */
class KNearestIouTest {

    @Test
    void knnVotesAmongTheNearest() {
        // Class 0 around (0, 0), class 1 around (10, 0); one class-1 outlier sits at (1, 0).
        Tensor points = Tensor.of(new float[] {0, 0, 0, 1, 1, 1, 0, -1, 10, 0, 10, 1, 11, 0, 1, 0}, 8, 2);
        Tensor labels = Tensor.ofInts(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, 8);
        Tensor queries = Tensor.of(new float[] {1.1f, 0, 9, 0, 0.4f, 0.2f}, 3, 2);
        assertArrayEquals(new int[] {1, 1, 0}, new KNearest(points, labels, 1).predict(queries), "1-NN follows the outlier");
        assertArrayEquals(new int[] {0, 1, 0}, new KNearest(points, labels, 3).predict(queries), "3-NN outvotes it");
        assertEquals(2 / 3.0, new KNearest(points, labels, 1).accuracy(queries, Tensor.ofInts(new int[] {0, 1, 0}, 3)), 1e-12);
    }

    @Test
    void knnBreaksTiesByDistance() {
        Tensor points = Tensor.of(new float[] {0, 0, 3, 0, -1, 0, 5, 0}, 4, 2);
        Tensor labels = Tensor.ofInts(new int[] {0, 1, 1, 0}, 4);
        // The 2 nearest to (1, 0) are (0, 0) [class 0, distance 1] and (3, 0) or (−1, 0) [class 1, distance 2].
        assertArrayEquals(new int[] {0}, new KNearest(points, labels, 2).predict(Tensor.of(new float[] {1, 0}, 1, 2)));
    }

    @Test
    void crossValidationOnSeparableAndOnRandomLabels() {
        Generator g = new Generator(5);
        int n = 400;
        float[] p = new float[2 * n];
        int[] y = new int[n], random = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            p[2 * i] = (float) (10 * y[i] + g.nextGaussian());
            p[2 * i + 1] = (float) g.nextGaussian();
            random[i] = g.nextInt(4);
        }
        Tensor points = Tensor.of(p, n, 2);
        assertEquals(1.0, KNearest.crossValidatedAccuracy(points, Tensor.ofInts(y, n), 5, 10, new Generator(1)), 1e-12);
        double chance = KNearest.crossValidatedAccuracy(points, Tensor.ofInts(random, n), 5, 10, new Generator(1));
        assertEquals(0.25, chance, 0.1, "labels unrelated to the points give chance accuracy");
        assertThrows(IllegalArgumentException.class, () -> KNearest.crossValidatedAccuracy(points, Tensor.ofInts(y, n), 5, 1, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new KNearest(points, Tensor.ofInts(y, n), 0));
    }

    @Test
    void iouOfKnownMasks() {
        boolean t = true, f = false;
        assertEquals(1.0, Iou.of(new boolean[] {t, f, t}, new boolean[] {t, f, t}));
        assertEquals(1 / 3.0, Iou.of(new boolean[] {t, t, f, f}, new boolean[] {f, t, t, f}), 1e-12, "|∩| 1, |∪| 3");
        assertEquals(0.0, Iou.of(new boolean[] {t, f}, new boolean[] {f, t}));
        assertEquals(1.0, Iou.of(new boolean[] {f, f}, new boolean[] {f, f}), "both empty: perfect");
        assertThrows(IllegalArgumentException.class, () -> Iou.of(new boolean[2], new boolean[3]));
    }

    @Test
    void iouPerImageThresholdsLogitsAtZero() {
        // Image 0: prediction 2 of 4 pixels, truth 1 of them → 1/2. Image 1: a perfect match → 1.
        Tensor logits = Tensor.of(new float[] {3, 0.5f, -1, -2, -1, 4, -3, 2}, 2, 1, 2, 2);
        Tensor truth = Tensor.of(new float[] {1, 0, 0, 0, 0, 1, 0, 1}, 2, 1, 2, 2);
        assertArrayEquals(new double[] {0.5, 1.0}, Iou.perImage(logits, truth), 1e-12);
        assertEquals(0.75, Iou.mean(logits, truth), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Iou.perImage(logits, truth.reshape(2, 4)));
    }
}
