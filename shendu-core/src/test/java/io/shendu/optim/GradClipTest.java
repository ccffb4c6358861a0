package io.shendu.optim;

import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradClipTest {

    private static List<Tensor> withGrads(float[]... grads) {
        return java.util.Arrays.stream(grads).map(g -> {
            Tensor p = Tensor.zeros(g.length);
            p.setGrad(Tensor.of(g, g.length));
            return p;
        }).toList();
    }

    @Test
    void scalesAllGradientsToTheMaximumNorm() {
        List<Tensor> params = withGrads(new float[] {3, 0}, new float[] {0, 4});
        double norm = GradClip.clipGradNorm(params, 1.0);
        assertEquals(5.0, norm, 1e-12);
        double scale = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * scale), 0}, params.get(0).grad().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0, (float) (4 * scale)}, params.get(1).grad().toFloatArray(), 1e-7f);
    }

    @Test
    void leavesSmallGradientsAlone() {
        List<Tensor> params = withGrads(new float[] {0.3f, -0.4f});
        assertEquals(0.5, GradClip.clipGradNorm(params, 1.0), 1e-7);
        assertArrayEquals(new float[] {0.3f, -0.4f}, params.getFirst().grad().toFloatArray());
    }

    @Test
    void otherNorms() {
        List<Tensor> inf = withGrads(new float[] {1, -6}, new float[] {2});
        assertEquals(6.0, GradClip.clipGradNorm(inf, 3.0, Double.POSITIVE_INFINITY));
        assertEquals(-3.0, inf.getFirst().grad().toFloatArray()[1], 1e-5);
        List<Tensor> one = withGrads(new float[] {1, -6}, new float[] {2});
        assertEquals(9.0, GradClip.clipGradNorm(one, 100, 1), 1e-12);
        List<Tensor> three = withGrads(new float[] {1, -2});
        assertEquals(Math.cbrt(9), GradClip.clipGradNorm(three, 100, 3), 1e-12);
    }

    @Test
    void skipsParametersWithoutGradientAndReturnsZeroForNone() {
        Tensor none = Tensor.zeros(3);
        assertEquals(0.0, GradClip.clipGradNorm(List.of(none), 1.0));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(none), -1));
    }

    @Test
    void clipsByValue() {
        List<Tensor> params = withGrads(new float[] {-3, 0.5f, 2});
        GradClip.clipGradValue(params, 1.0);
        assertArrayEquals(new float[] {-1, 0.5f, 1}, params.getFirst().grad().toFloatArray());
    }

    @Test
    void aNonFiniteNormIsReported() {
        List<Tensor> params = withGrads(new float[] {Float.NaN, 1});
        assertTrue(Double.isNaN(GradClip.clipGradNorm(params, 1.0)));
    }
}
