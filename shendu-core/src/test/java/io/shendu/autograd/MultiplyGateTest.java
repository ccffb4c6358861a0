package io.shendu.autograd;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lecture's multiply gate, written with the public custom-op API exactly as {@link Function}'s Javadoc shows. */
class MultiplyGateTest {

    /** z = x·y with ∂z/∂x = y and ∂z/∂y = x; the body is the Javadoc example, verbatim. */
    static final class MultiplyGate extends Function {
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);          // keep x and y
            return in[0].mul(in[1]);                // z = x * y
        }
        protected Tensor[] backward(Tensor dz) {
            Tensor[] xy = savedTensors();
            return new Tensor[] {xy[1].mul(dz), xy[0].mul(dz)};   // [y * dz, x * dz]
        }
    }

    /** A broken op: its backward sums the gradient to a scalar instead of returning one of the input's shape. */
    static final class ScalarGradientGate extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].mul(2f);
        }

        @Override
        protected Tensor[] backward(Tensor dz) {
            return new Tensor[] {dz.sum()};
        }
    }

    /** A broken op: two inputs, one gradient. */
    static final class MissingGradientGate extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].add(in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor dz) {
            return new Tensor[] {dz};
        }
    }

    @Test
    void valuesAndGradientsByHand() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor y = Tensor.vector(4, -5, 6).requiresGrad(true);
        Tensor z = new MultiplyGate().apply(x, y);
        assertArrayEquals(new float[] {4, -10, 18}, z.toFloatArray());
        assertEquals("MultiplyGate", z.gradFn().name());

        z.backward(Tensor.vector(1, 2, -1));
        assertArrayEquals(new float[] {4, -10, -6}, x.grad().toFloatArray());   // y · dz
        assertArrayEquals(new float[] {1, 4, -3}, y.grad().toFloatArray());     // x · dz
    }

    /** The lecture's circuit f = (x + y)·z at x = −2, y = 5, z = −4, with the gate as the multiplication. */
    @Test
    void lectureCircuit() {
        Tensor x = Tensor.scalar(-2).requiresGrad(true);
        Tensor y = Tensor.scalar(5).requiresGrad(true);
        Tensor z = Tensor.scalar(-4).requiresGrad(true);
        Tensor f = new MultiplyGate().apply(x.add(y), z);
        f.backward();
        assertEquals(-12f, f.item());
        assertEquals(-4f, x.grad().item());   // ∂f/∂q · ∂q/∂x = z · 1
        assertEquals(-4f, y.grad().item());
        assertEquals(3f, z.grad().item());    // ∂f/∂z = q = x + y
    }

    @Test
    void passesTheGradientCheck() {
        Generator g = new Generator(7);
        Tensor[] inputs = {Tensor.randn(g, 3, 5), Tensor.randn(g, 3, 5)};
        // Bilinear, so central differences are exact up to float32 rounding (see GradientRows.LINEAR).
        GradCheck.Report report = GradCheck.check(x -> new MultiplyGate().apply(x[0], x[1]), inputs, 1e-2, 2e-4, 2e-4);
        assertTrue(report.passed(), report::toString);
    }

    @Test
    void anInstanceCanBeAppliedOnlyOnce() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor y = Tensor.vector(3, 4);
        MultiplyGate gate = new MultiplyGate();
        gate.apply(x, y);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gate.apply(x, y));
        assertTrue(e.getMessage().contains("MultiplyGate") && e.getMessage().contains("once"), e.getMessage());
    }

    @Test
    void withoutGradNothingIsRecorded() {
        Tensor z = new MultiplyGate().apply(Tensor.vector(1, 2), Tensor.vector(3, 4));
        assertArrayEquals(new float[] {3, 8}, z.toFloatArray());
        assertNull(z.gradFn());
    }

    @Test
    void wrongShapedGradientNamesTheOp() {
        Tensor x = Tensor.ones(3, 5).requiresGrad(true);
        Tensor z = new ScalarGradientGate().apply(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        String m = e.getMessage();
        assertTrue(m.contains("ScalarGradientGate") && m.contains("[]") && m.contains("[3, 5]"), m);
    }

    @Test
    void wrongNumberOfGradientsNamesTheOp() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Tensor z = new MissingGradientGate().apply(x, Tensor.ones(2).requiresGrad(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(e.getMessage().contains("MissingGradientGate") && e.getMessage().contains("2 inputs"), e.getMessage());
    }

    @Test
    void savedInputModifiedInPlaceIsCaught() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor y = Tensor.vector(3, 4).requiresGrad(true);
        Tensor z = new MultiplyGate().apply(x, y);
        try (NoGrad ignored = NoGrad.enter()) {
            y.addInPlace(Tensor.ones(2));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(e.getMessage().contains("MultiplyGate") && e.getMessage().contains("modified in place"), e.getMessage());
    }
}
