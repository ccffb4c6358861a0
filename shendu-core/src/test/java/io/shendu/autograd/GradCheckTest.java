package io.shendu.autograd;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient check itself: it must pass a correct derivative and catch and locate a wrong one. */
class GradCheckTest {

    private static final double EPS = 1e-2, TOL = 2e-4;

    /** z = x·y, whose backward is right or wrong as chosen. */
    static final class ProductGate extends Function {
        private final float xFactor, yFactor;
        private final Tensor xOffset;

        /** Gradient to x is {@code xFactor·y·dz + xOffset}, to y {@code yFactor·x·dz}: (1, 1, zeros) is correct. */
        ProductGate(float xFactor, float yFactor, Tensor xOffset) {
            this.xFactor = xFactor;
            this.yFactor = yFactor;
            this.xOffset = xOffset;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor dz) {
            Tensor[] xy = savedTensors();
            return new Tensor[] {xy[1].mul(dz).mul(xFactor).add(xOffset), xy[0].mul(dz).mul(yFactor)};
        }
    }

    private static Tensor[] inputs() {
        Generator g = new Generator(11);
        return new Tensor[] {Tensor.randn(g, 3, 4), Tensor.randn(g, 3, 4)};
    }

    private static GradCheck.Report check(float xFactor, float yFactor, Tensor xOffset) {
        return GradCheck.check(x -> new ProductGate(xFactor, yFactor, xOffset).apply(x[0], x[1]), inputs(), EPS, TOL, TOL);
    }

    @Test
    void correctDerivativePasses() {
        GradCheck.Report report = check(1, 1, Tensor.zeros(3, 4));
        assertTrue(report.passed(), report::toString);
        assertTrue(report.ratio() <= 1);
    }

    @Test
    void doubledDerivativeFails() {
        GradCheck.Report report = check(2, 1, Tensor.zeros(3, 4));   // returns 2·y·dz for x
        assertFalse(report.passed(), report::toString);
        assertEquals(0, report.input());
        assertEquals(2, report.index().length);
        assertEquals(2 * report.numeric(), report.analytic(), 1e-3 * Math.abs(report.numeric()) + 1e-4, report::toString);
        assertTrue(report.toString().startsWith("FAILED"), report::toString);
    }

    @Test
    void wrongSignOnTheSecondInputIsReportedThere() {
        GradCheck.Report report = check(1, -1, Tensor.zeros(3, 4));
        assertFalse(report.passed(), report::toString);
        assertEquals(1, report.input());
        assertEquals(-report.numeric(), report.analytic(), 1e-3 * Math.abs(report.numeric()) + 1e-4, report::toString);
    }

    @Test
    void worstElementIsLocated() {
        Tensor offset = Tensor.zeros(3, 4);
        offset.floatStorage()[2 * 4 + 1] = 0.5f;   // the derivative is wrong at [2, 1] only
        GradCheck.Report report = check(1, 1, offset);
        assertFalse(report.passed(), report::toString);
        assertEquals(0, report.input());
        assertArrayEquals(new int[] {2, 1}, report.index(), report::toString);
        assertEquals(0.5, report.analytic() - report.numeric(), 1e-3, report::toString);
    }

    @Test
    void callersInputsAreLeftUntouched() {
        Tensor[] in = inputs();
        float[] before = in[0].toFloatArray();
        GradCheck.check(x -> x[0].mul(x[1]), in, EPS, TOL, TOL);
        assertArrayEquals(before, in[0].toFloatArray());
        assertFalse(in[0].requiresGrad());
        assertEquals(null, in[0].grad());
    }
}
