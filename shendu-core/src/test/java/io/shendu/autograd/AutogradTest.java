package io.shendu.autograd;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backward engine: accumulation, fan-out, grad mode, functional gradients, deep graphs, in-place checks, DOT. */
class AutogradTest {

    private static Tensor leaf(float... values) {
        return Tensor.vector(values).requiresGrad(true);
    }

    private static void assertGrad(Tensor t, float... expected) {
        assertNotNull(t.grad(), "gradient of " + t);
        assertArrayEquals(expected, t.grad().toFloatArray(), 1e-5f);
    }

    // ------------------------------------------------------------------ gradient ownership

    /** Doubles its input; its backward returns a new tensor and also keeps it, as a custom op may. */
    private static final class KeepsItsGradient extends Function {
        private final boolean declaresOwned;
        Tensor kept;

        KeepsItsGradient(boolean declaresOwned) {
            this.declaresOwned = declaresOwned;
        }

        @Override
        protected boolean returnsOwnedGradients() {
            return declaresOwned;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].mul(2f);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            kept = g.mul(2f);
            return new Tensor[] {kept};
        }
    }

    @Test
    void aCustomOpsGradientIsCopiedIntoTheLeaf() {
        Tensor x = leaf(1f, 2f);
        KeepsItsGradient op = new KeepsItsGradient(false);
        op.apply(x).sum().backward();
        assertNotSame(op.kept, x.grad(), "by default the engine copies");
        op = new KeepsItsGradient(false);
        op.apply(x).sum().backward();   // accumulates into x.grad in place
        assertGrad(x, 4f, 4f);
        assertArrayEquals(new float[] {2f, 2f}, op.kept.toFloatArray(), "what the op kept is untouched");
    }

    @Test
    void anOwnedNewGradientBecomesTheLeafsGradWithoutACopy() {
        Tensor x = leaf(1f, 2f);
        KeepsItsGradient op = new KeepsItsGradient(true);
        op.apply(x).sum().backward();
        assertSame(op.kept, x.grad(), "an op that declares its gradients owned hands them over");
        assertGrad(x, 2f, 2f);
    }

    @Test
    void theCallersGradientAndItsViewsAreNeverTakenOver() {
        Tensor x = leaf(1f, 2f, 3f);
        Tensor up = Tensor.vector(1f, 1f, 1f);
        x.reshape(3).backward(up);   // Reshape passes the caller's tensor (or a view of it) straight to the leaf
        x.reshape(3).backward(up);   // the second backward adds into x.grad in place
        assertGrad(x, 2f, 2f, 2f);
        assertArrayEquals(new float[] {1f, 1f, 1f}, up.toFloatArray(), "the caller's gradient is unchanged");
    }

    /**
     * Three gradients meet at m: a broadcast one (stride 0, from the mean), a transposed one and a dense one. Whichever
     * arrives first is the pending sum the others are added to, so every order of the terms is tried: adding in place
     * into a broadcast view would add one element four times.
     */
    @Test
    void gradientsMeetingAtANodeAreSummedCorrectlyInAnyOrder() {
        List<java.util.function.Function<Tensor, Tensor>> terms = List.of(
                m -> m.mean(), m -> m.t().mul(Tensor.vector(1f, 2f)).sum(),
                m -> m.mul(Tensor.vector(1f, 2f, 3f, 4f).reshape(2, 2)).sum());
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] order : orders) {
            Tensor x = leaf(1f, 2f, 3f, 4f);
            for (int round = 1; round <= 2; round++) {
                Tensor m = x.reshape(2, 2);
                terms.get(order[0]).apply(m).add(terms.get(order[1]).apply(m)).add(terms.get(order[2]).apply(m)).backward();
                // d/dm: 1/4 from the mean; from Σ m[j][i]·v[j], v[j] on row j: [[1, 1], [2, 2]]; c from Σ m·c
                float r = round;
                assertGrad(x, r * 2.25f, r * 3.25f, r * 5.25f, r * 6.25f);
            }
        }
    }

    /** An add passes one gradient to both operands: each leaf must get a tensor of its own. */
    @Test
    void oneGradientPassedToTwoLeavesIsNotShared() {
        Tensor a = leaf(1f, 2f), b = leaf(3f, 4f);
        a.add(b).mul(2f).sum().backward();
        assertNotSame(a.grad(), b.grad());
        a.add(b).mul(2f).sum().backward();
        assertGrad(a, 4f, 4f);
        assertGrad(b, 4f, 4f);
    }

    // ------------------------------------------------------------------ accumulation

    @Test
    void backwardAccumulatesAcrossCalls() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        assertGrad(x, 2, 4, 6);
        x.mul(x).sum().backward();
        assertGrad(x, 4, 8, 12);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void fanOutSumsTheGradientsOfEveryUse() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).add(x).sum().backward(); // d(x² + x)/dx = 2x + 1
        assertGrad(x, 3, 5, 7);
        Tensor y = leaf(2);
        Tensor a = y.mul(3f);
        a.add(a).mul(a).sum().backward(); // (2a)·a = 2a², d/dy = 4a·3 = 72 at a = 6
        assertGrad(y, 72);
    }

    @Test
    void broadcastOperandsReceiveSummedGradients() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor b = leaf(1, 1, 1);
        Tensor s = Tensor.scalar(2).requiresGrad(true);
        w.add(b).mul(s).sum().backward();
        assertGrad(w, 2, 2, 2, 2, 2, 2);
        assertGrad(b, 4, 4, 4);
        assertGrad(s, 27);
        assertArrayEquals(new int[] {}, s.grad().shape());
    }

    /** d mean(x + b)/db = 1 for a scalar bias broadcast over a million elements, to float precision. */
    @Test
    void gradientOfABiasBroadcastOverAMillionElements() {
        Tensor x = Tensor.randn(new Generator(5), 1000, 1000);
        Tensor b = Tensor.scalar(0.5f).requiresGrad(true);
        x.add(b).mean().backward();
        assertEquals(1f, b.grad().item(), 1e-5f);
    }

    // ------------------------------------------------------------------ errors and explicit gradients

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = Tensor.ones(2, 3).requiresGrad(true);
        Tensor y = x.mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("backward: called without a gradient on a tensor of shape [2, 3]"), e.getMessage());
        y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertGrad(x, 2, 4, 6, 8, 10, 12);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> x.mul(2f).backward(Tensor.ones(3)));
        assertEquals("backward: gradient of shape [3] for a tensor of shape [2, 3]", shape.getMessage());
    }

    @Test
    void requiresGradAndDetach() {
        Tensor plain = Tensor.vector(1, 2);
        assertFalse(plain.requiresGrad());
        assertNull(plain.mul(2f).gradFn(), "no input requires grad: nothing recorded");
        assertThrows(IllegalStateException.class, () -> plain.mul(2f).backward(Tensor.ones(2)));

        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3f);
        assertTrue(y.requiresGrad());
        assertNotNull(y.gradFn());
        assertNull(x.gradFn(), "a leaf has no creator");
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));

        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        assertSame(y.floatStorage(), d.floatStorage(), "detach shares storage");
        Tensor z = d.mul(x).sum();
        z.backward();
        assertGrad(x, 3, 6); // only through the direct use of x: d(d·x)/dx = d = 3x
    }

    // ------------------------------------------------------------------ grad mode

    @Test
    void noGradScopesNestAndRestore() {
        Tensor x = leaf(1);
        assertTrue(GradMode.isEnabled());
        try (NoGrad outer = NoGrad.enter()) {
            assertFalse(GradMode.isEnabled());
            Tensor y = x.mul(2f);
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing the inner scope keeps the outer one");
            try (NoGrad enabled = NoGrad.enableGrad()) {
                assertTrue(GradMode.isEnabled());
                assertNotNull(x.mul(2f).gradFn(), "enableGrad records inside a no-grad scope");
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertNotNull(x.mul(2f).gradFn());
    }

    @Test
    void noGradIsPerThread() throws Exception {
        Tensor x = leaf(1);
        AtomicReference<Tensor> fromOtherThread = new AtomicReference<>();
        try (NoGrad ignored = NoGrad.enter()) {
            Thread t = new Thread(() -> fromOtherThread.set(x.mul(2f)));
            t.start();
            t.join();
        }
        assertNotNull(fromOtherThread.get().gradFn(), "another thread still records while this one is in NoGrad");

        CountDownLatch entered = new CountDownLatch(1), done = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (NoGrad ignored = NoGrad.enter()) {
                entered.countDown();
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        try {
            assertTrue(GradMode.isEnabled(), "another thread's NoGrad does not reach this one");
            assertNotNull(x.mul(2f).gradFn());
        } finally {
            done.countDown();
            other.join();
        }
    }

    @Test
    void noGradMustBeClosedOnItsOwnThread() throws Exception {
        NoGrad scope = NoGrad.enter();
        try {
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    scope.close();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            t.start();
            t.join();
            assertTrue(error.get() instanceof IllegalStateException, "closing on another thread: " + error.get());
        } finally {
            scope.close();
        }
        assertTrue(GradMode.isEnabled());
    }

    // ------------------------------------------------------------------ functional gradients

    @Test
    void gradReturnsGradientsWithoutTouchingGrad() {
        Tensor x = leaf(1, 2, 3), w = leaf(4, 5, 6), unused = leaf(7);
        Tensor h = x.mul(w).retainGrad();
        Tensor out = h.sum();
        Tensor[] g = Autograd.grad(new Tensor[] {out}, x, w, unused);
        assertArrayEquals(new float[] {4, 5, 6}, g[0].toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3}, g[1].toFloatArray());
        assertArrayEquals(new float[] {0}, g[2].toFloatArray(), "no path: a zero gradient");
        assertNull(x.grad());
        assertNull(w.grad());
        assertNull(unused.grad());
        assertNull(h.grad(), "retained gradients are not filled either");
    }

    @Test
    void gradWithRespectToAnIntermediate() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3f);
        Tensor out = h.mul(h).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {out}, h, x);
        assertArrayEquals(new float[] {6, 12}, g[0].toFloatArray()); // 2h
        assertArrayEquals(new float[] {18, 36}, g[1].toFloatArray()); // 2h·3
        assertNull(x.grad());
    }

    // ------------------------------------------------------------------ deep graphs

    /** 20,000 recorded ops; run on a thread with a small stack, so any recursion over the graph would overflow. */
    @Test
    void aChainOfTwentyThousandOpsBackpropagates() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = Tensor.scalar(0.5f).requiresGrad(true);
                Tensor y = x;
                float value = 0.5f, grad = 1;
                for (int i = 0; i < 10_000; i++) {
                    y = y.mul(1.0001f).add(0.0001f);
                    value = 1.0001f * value + 0.0001f; // the same float32 arithmetic as the kernels
                    grad *= 1.0001f;
                }
                y.backward();
                assertEquals(value, y.item(), 1e-6f * value);
                assertEquals(grad, x.grad().item(), 1e-6f * grad);
                // and the exact answers: y + 1 grows by 1.0001 per step, dy/dx = 1.0001^10000 ≈ e
                assertEquals(1.5 * Math.pow(1.0001, 10_000) - 1, y.item(), 1e-3);
                assertEquals(Math.pow(1.0001, 10_000), x.grad().item(), 1e-3);
            } catch (Throwable e) {
                error.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (error.get() != null) throw new AssertionError("deep chain failed: " + error.get(), error.get());
    }

    @Test
    void aChainOfTenThousandTanhBackpropagates() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = Tensor.scalar(0.8f).requiresGrad(true);
                Tensor y = x;
                float[] values = new float[10_000];
                float value = 0.8f;
                for (int i = 0; i < values.length; i++) {
                    y = y.tanh();
                    values[i] = value = (float) Math.tanh(value);
                }
                y.backward();
                float grad = 1; // Π (1 − yᵢ²), multiplied from the output back, as the engine does
                for (int i = values.length - 1; i >= 0; i--) grad = grad * (1 - values[i] * values[i]);
                assertEquals(value, y.item(), 1e-6f * value);
                assertEquals(grad, x.grad().item(), 1e-6f * grad);
                assertTrue(grad > 0 && value > 0.01f && value < 0.02f, "tanh^10000(0.8) ≈ sqrt(3/20000)");
            } catch (Throwable e) {
                error.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (error.get() != null) throw new AssertionError("deep tanh chain failed: " + error.get(), error.get());
    }

    // ------------------------------------------------------------------ saved tensors

    private static void assertModifiedInPlace(Runnable backward) {
        IllegalStateException e = assertThrows(IllegalStateException.class, backward::run);
        assertTrue(e.getMessage().contains("was modified in place"), e.getMessage());
    }

    @Test
    void modifyingASavedLeafInPlaceUnderNoGradFailsBackward() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        try (NoGrad ignored = NoGrad.enter()) {
            w.mulInPlace(2f);
        }
        assertModifiedInPlace(y::backward);
    }

    @Test
    void modifyingASavedTensorThroughADetachedAliasFailsBackward() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        w.detach().fill(0f);
        assertModifiedInPlace(y::backward);
    }

    @Test
    void modifyingASavedNonLeafFailsBackward() {
        Tensor x = leaf(1, 2);
        Tensor h = x.exp(); // exp saves its output
        Tensor y = h.sum();
        h.addInPlace(Tensor.ones(2));
        assertModifiedInPlace(y::backward);
    }

    @Test
    void modifyingATensorThatWasNotSavedIsFine() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor y = x.add(w).sum(); // add saves nothing
        w.detach().fill(0f);
        y.backward();
        assertGrad(w, 1, 1);
    }

    @Test
    void inPlaceChangesToALeafThatRequiresGradNeedNoGrad() {
        Tensor w = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.addInPlace(Tensor.ones(2)));
        assertTrue(e.getMessage().contains("NoGrad"), e.getMessage());
        try (NoGrad ignored = NoGrad.enter()) {
            w.addInPlace(Tensor.ones(2));
        }
        assertArrayEquals(new float[] {2, 3}, w.toFloatArray());
    }

    // ------------------------------------------------------------------ graph lifetime

    @Test
    void secondBackwardThroughAFreedGraphFailsClearly() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("freed") && e.getMessage().contains("backward(gradient, true)"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        y.backward(Tensor.scalar(1), true);
        y.backward(Tensor.scalar(1), true);
        assertGrad(x, 6, 8);
        assertGrad(w, 2, 4);
        y.backward(Tensor.scalar(1), false);
        assertGrad(x, 9, 12);
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void retainGradKeepsAnIntermediateGradient() {
        Tensor x = Tensor.scalar(-2).requiresGrad(true);
        Tensor y = Tensor.scalar(5).requiresGrad(true);
        Tensor z = Tensor.scalar(-4).requiresGrad(true);
        Tensor q = x.add(y).retainGrad();
        Tensor notRetained = q.mul(1f);
        Tensor f = notRetained.mul(z);
        f.backward();
        assertEquals(-4f, q.grad().item());
        assertNull(notRetained.grad(), "an intermediate keeps its gradient only when asked");
        assertEquals(-4f, x.grad().item());
        assertEquals(3f, z.grad().item());
    }

    // ------------------------------------------------------------------ DOT export

    /** The lecture's f = (x + y)·z at x = −2, y = 5, z = −4: f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = x + y = 3. */
    @Test
    void dotOfTheChainRuleExampleShowsValuesAndGradients() {
        Tensor x = Tensor.scalar(-2).requiresGrad(true).setName("x");
        Tensor y = Tensor.scalar(5).requiresGrad(true).setName("y");
        Tensor z = Tensor.scalar(-4).requiresGrad(true).setName("z");
        Tensor q = x.add(y).retainGrad().setName("q");
        Tensor f = q.mul(z).retainGrad().setName("f");
        f.backward();
        String dot = Graph.toDot(f);
        assertTrue(dot.startsWith("digraph"), dot);

        Map<String, String> ids = new HashMap<>(), labels = new HashMap<>();
        Matcher node = Pattern.compile("(\\w+) \\[[^\\]]*label=\"([^\"]*)\"\\]").matcher(dot);
        while (node.find()) {
            String label = node.group(2);
            String key = label.split("\\\\n")[0];
            ids.put(key, node.group(1));
            labels.put(key, label);
        }
        assertNumber(-12, labels.get("f"), "value");
        assertNumber(-2, labels.get("x"), "value");
        assertNumber(-4, labels.get("x"), "grad");
        assertNumber(5, labels.get("y"), "value");
        assertNumber(-4, labels.get("y"), "grad");
        assertNumber(-4, labels.get("z"), "value");
        assertNumber(3, labels.get("z"), "grad");
        assertNumber(3, labels.get("q"), "value");
        assertNumber(-4, labels.get("q"), "grad");

        Set<String> edges = new HashSet<>();
        Matcher edge = Pattern.compile("(\\w+) -> (\\w+);").matcher(dot);
        while (edge.find()) edges.add(edge.group(1) + "->" + edge.group(2));
        String add = ids.get("add"), mul = ids.get("mul");
        assertNotNull(add, "an op node labelled add:\n" + dot);
        assertNotNull(mul, "an op node labelled mul:\n" + dot);
        for (String e : new String[] {ids.get("x") + "->" + add, ids.get("y") + "->" + add, add + "->" + ids.get("q"),
                ids.get("q") + "->" + mul, ids.get("z") + "->" + mul, mul + "->" + ids.get("f")}) {
            assertTrue(edges.contains(e), "edge " + e + " in\n" + dot);
        }
    }

    /** Asserts that {@code label} has a line "{@code field} number" with the given number. */
    private static void assertNumber(double expected, String label, String field) {
        assertNotNull(label, "node missing");
        Matcher m = Pattern.compile("(?:^|\\\\n)" + field + " ([^\\\\]+)").matcher(label);
        assertTrue(m.find(), "no " + field + " in label " + label);
        assertEquals(expected, Double.parseDouble(m.group(1)), 1e-9, field + " in label " + label);
    }
}
