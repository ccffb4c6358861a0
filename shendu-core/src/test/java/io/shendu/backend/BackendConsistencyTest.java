package io.shendu.backend;

import io.shendu.backend.cpu.CpuBackend;
import io.shendu.backend.cpu.Parallel;
import io.shendu.backend.reference.ReferenceBackend;
import io.shendu.tensor.Generator;
import io.shendu.backend.cpu.RestoreThreads;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every kernel of the {@link Backend} SPI on the fast CPU backend (with and without the Vector API loops)
 * against the reference backend, on random shapes and memory layouts: scalar, empty, tiny, odd, and large
 * enough to be split across threads. Large problems are computed at 1 and 2 threads and must give the same
 * bits at both. The original thread count is restored after each test.
 */
@ExtendWith(RestoreThreads.class)
class BackendConsistencyTest {

    private static final Backend REFERENCE = ReferenceBackend.INSTANCE;
    private static final List<Backend> FAST = List.of(CpuBackend.INSTANCE, CpuBackend.plain());
    /** Problems at least this large are run at 1 and 2 threads; smaller ones, which no kernel splits, at 2. */
    private static final int LARGE = 1 << 15;

    /** Elementwise shapes; the last exceeds twice the elementwise grain (2^15), so it is split across threads. */
    private static final int[][] SHAPES = {
        {}, {1}, {0}, {3, 0, 2}, {7}, {13}, {33}, {1023}, {2, 3}, {7, 1, 13}, {1, 33, 1}, {2, 3, 1, 5},
        {3, 5, 7, 2}, {2, 67, 513},
    };

    /** Special values: every fast kernel must treat them exactly as the reference does. */
    private static final float[] SPECIAL = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 1f, -1f, 0.5f, -2f, 1e-40f,
        -1e-40f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, 3.25f, -7.5f, 88f, -88f, 100f,
    };


    // ------------------------------------------------------------------ inputs

    /** Where test inputs are drawn from. */
    enum Domain {
        NORMAL, POSITIVE, UNIT, SYMMETRIC_UNIT, NONZERO, HALVES, WIDE, CONDITION, SPECIAL_NO_MAX;

        float sample(Generator g) {
            return switch (this) {
                case NORMAL -> (float) (3 * g.nextGaussian());
                case POSITIVE -> (float) Math.exp(2 * g.nextGaussian());
                case UNIT -> 0.001f + 0.998f * g.nextFloat();
                case SYMMETRIC_UNIT -> 2 * g.nextFloat() - 1;
                case NONZERO -> (g.nextInt(2) == 0 ? -1 : 1) * (0.1f + 3 * g.nextFloat());
                case HALVES -> (g.nextInt(9) - 4) / 2f; // many ties and exact zeros
                case WIDE -> 40 * g.nextFloat() - 20;
                case CONDITION -> new float[] {0f, -0f, 1f, -2.5f, Float.NaN}[g.nextInt(5)];
                // In a float sum, MAX_VALUE + MAX_VALUE − MAX_VALUE overflows where the double reference does not.
                case SPECIAL_NO_MAX -> g.nextInt(3) == 0 ? SPECIAL[g.nextInt(11)] : (float) g.nextGaussian();
            };
        }
    }

    /** How an operand is laid out in its storage array. */
    enum Layout {
        /** Dense row-major from offset 0. */
        CONTIGUOUS,
        /** Dense row-major from a non-zero offset. */
        OFFSET,
        /** Dimensions stored in reverse order (a transpose / reversed permute). */
        TRANSPOSED,
        /** One dimension sliced with step 2 or 3, from an offset. */
        STEPPED,
        /** Some dimensions of size > 1 broadcast with stride 0. */
        EXPANDED,
        /** A random permutation, a step, an offset and one broadcast dimension. */
        MIXED;

        /** Layouts whose elements occupy distinct slots, so a kernel may write to them. */
        static final List<Layout> WRITABLE = List.of(CONTIGUOUS, OFFSET, TRANSPOSED, STEPPED);

        /** All layouts for small shapes; for large ones (slow on the reference) the two extremes. */
        static List<Layout> forShape(int[] shape) {
            return Shapes.numel(shape) >= LARGE ? List.of(CONTIGUOUS, MIXED) : List.of(values());
        }

        StridedView make(Generator g, int[] shape, Domain domain) {
            int rank = shape.length;
            int[] order = new int[rank]; // storage order, outermost first
            for (int i = 0; i < rank; i++) order[i] = this == TRANSPOSED ? rank - 1 - i : i;
            if (this == MIXED) {
                for (int i = rank - 1; i > 0; i--) swap(order, i, g.nextInt(i + 1));
            }
            int[] step = new int[rank];
            Arrays.fill(step, 1);
            if ((this == STEPPED || this == MIXED) && rank > 0) step[g.nextInt(rank)] = 2 + g.nextInt(2);
            boolean[] broadcast = new boolean[rank];
            if (this == EXPANDED || this == MIXED) {
                List<Integer> candidates = new ArrayList<>();
                for (int d = 0; d < rank; d++) if (shape[d] > 1) candidates.add(d);
                for (int d : candidates) broadcast[d] = this == EXPANDED && g.nextInt(2) == 0;
                if (!candidates.isEmpty()) broadcast[candidates.get(g.nextInt(candidates.size()))] = true;
            }
            int offset = this == CONTIGUOUS || this == TRANSPOSED || this == EXPANDED ? 0 : 1 + g.nextInt(5);
            int[] strides = new int[rank];
            int span = 1;
            for (int i = rank - 1; i >= 0; i--) {
                int d = order[i];
                if (broadcast[d]) continue;
                strides[d] = span * step[d];
                span *= Math.max(1, shape[d] * step[d]);
            }
            float[] data = new float[offset + span + 2];
            for (int i = 0; i < data.length; i++) data[i] = domain.sample(g);
            return new StridedView(data, offset, shape.clone(), strides);
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** |actual − expected| ≤ atol + rtol·max(|expected|, scale); EXACT demands the same bits (NaN equals NaN). */
    record Tol(double atol, double rtol) {
        static final Tol EXACT = new Tol(0, 0);
        static final Tol TIGHT = new Tol(1e-6, 1e-6);

        boolean allows(float expected, float actual, double scale) {
            if (Float.floatToIntBits(expected) == Float.floatToIntBits(actual)) return true;
            if (equals(EXACT) || !Float.isFinite(expected) || !Float.isFinite(actual)) return false;
            return Math.abs((double) actual - expected) <= atol + rtol * Math.max(Math.abs(expected), scale);
        }
    }

    // ------------------------------------------------------------------ the comparison

    /**
     * Runs {@code kernel} on the reference backend, then on each fast backend, comparing each fast result to the
     * reference within {@code tol} ({@code scale}, if given, is the per-element magnitude of the summed terms).
     * A problem of {@code size} ≥ {@link #LARGE} runs at 1 and 2 threads and must give the same bits at both.
     */
    private static void check(String what, long size, Tol tol, double[] scale, Function<Backend, float[]> kernel) {
        float[] expected = kernel.apply(REFERENCE);
        int[] threadCounts = size >= LARGE ? new int[] {1, 2} : new int[] {2};
        for (Backend fast : FAST) {
            float[] oneThread = null;
            for (int threads : threadCounts) {
                Parallel.setThreads(threads);
                float[] actual = kernel.apply(fast);
                String where = what + " on " + fast.name() + " with " + threads + " thread(s)";
                assertClose(where, expected, actual, tol, scale);
                if (oneThread == null) oneThread = actual;
                else assertClose(where + " vs 1 thread", oneThread, actual, Tol.EXACT, null);
            }
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual, Tol tol, double[] scale) {
        assertEquals(expected.length, actual.length, what + ": output length");
        int bad = 0, first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (!tol.allows(expected[i], actual[i], scale == null ? 0 : scale[i])) {
                if (first < 0) first = i;
                bad++;
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " elements differ; first at index " + first
                    + ": expected " + expected[first] + ", got " + actual[first] + " (" + tol + ")");
        }
    }

    private static String describe(StridedView v, Layout layout) {
        return Arrays.toString(v.shape()) + " " + layout + " (strides " + Arrays.toString(v.strides()) + " @"
                + v.offset() + ")";
    }

    /** The same view over |data|, for the magnitude of a sum's terms. */
    private static StridedView abs(StridedView v) {
        float[] a = new float[v.data().length];
        for (int i = 0; i < a.length; i++) a[i] = Math.abs(v.data()[i]);
        return new StridedView(a, v.offset(), v.shape(), v.strides());
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static StridedView cycled(float[] values, int n, int phase) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = values[(i * 7 + phase) % values.length];
        return StridedView.contiguous(out, n);
    }

    // ------------------------------------------------------------------ unary

    /** One row per tested setting of a unary op: its parameters, the input domain and the tolerance. */
    record UnaryCase(UnaryOp op, float p, float q, Domain domain, Tol tol) {}

    static List<UnaryCase> unaryCases() {
        var inf = Float.POSITIVE_INFINITY;
        return List.of(
                new UnaryCase(UnaryOp.AFFINE, 1.5f, -0.25f, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.AFFINE, -1f, 0f, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.EXP, 0, 0, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.LOG, 0, 0, Domain.POSITIVE, Tol.TIGHT),
                new UnaryCase(UnaryOp.SQRT, 0, 0, Domain.POSITIVE, Tol.TIGHT),
                new UnaryCase(UnaryOp.ABS, 0, 0, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.POW, 2f, 0, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.POW, 3f, 0, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.POW, 0.5f, 0, Domain.POSITIVE, Tol.TIGHT),
                new UnaryCase(UnaryOp.POW, -1.5f, 0, Domain.POSITIVE, Tol.TIGHT),
                new UnaryCase(UnaryOp.CLAMP, -0.5f, 0.5f, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.CLAMP, -inf, 1f, Domain.NORMAL, Tol.EXACT),
                new UnaryCase(UnaryOp.SIGN, 0, 0, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.RELU, 0, 0, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.RELU, 0, 0, Domain.NORMAL, Tol.EXACT),
                new UnaryCase(UnaryOp.LEAKY_RELU, 0.01f, 0, Domain.NORMAL, Tol.EXACT),
                new UnaryCase(UnaryOp.ELU, 1f, 0, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.SIGMOID, 0, 0, Domain.WIDE, Tol.TIGHT),
                new UnaryCase(UnaryOp.TANH, 0, 0, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.GELU, 0, 0, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.GELU_TANH, 0, 0, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.SOFTPLUS, 1f, 20f, Domain.WIDE, Tol.TIGHT),
                new UnaryCase(UnaryOp.SOFTPLUS, 2f, 5f, Domain.NORMAL, Tol.TIGHT),
                new UnaryCase(UnaryOp.RECIPROCAL, 0, 0, Domain.NONZERO, Tol.TIGHT),
                new UnaryCase(UnaryOp.EQ_SCALAR, 0.5f, 0, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.GT_SCALAR, 0.5f, 0, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.LT_SCALAR, 0.5f, 0, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.GE_SCALAR, 0.5f, 0, Domain.HALVES, Tol.EXACT),
                new UnaryCase(UnaryOp.LE_SCALAR, 0.5f, 0, Domain.HALVES, Tol.EXACT));
    }

    @Test
    void everyUnaryOpHasARow() {
        EnumSet<UnaryOp> covered = EnumSet.noneOf(UnaryOp.class);
        unaryCases().forEach(c -> covered.add(c.op()));
        assertEquals(EnumSet.allOf(UnaryOp.class), covered, "UnaryOps without a row in unaryCases()");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryCases")
    void unaryMatchesReference(UnaryCase c) {
        Generator gen = new Generator(c.toString().hashCode());
        for (int[] shape : SHAPES) {
            for (Layout layout : Layout.forShape(shape)) {
                StridedView x = layout.make(gen, shape, c.domain());
                check(c + " " + describe(x, layout), x.numel(), c.tol(), null, unary(c, x));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryCases")
    void unaryTreatsSpecialValuesLikeReference(UnaryCase c) {
        StridedView x = cycled(SPECIAL, 67, 0);
        check(c + " on special values", x.numel(), c.tol(), null, unary(c, x));
    }

    private static Function<Backend, float[]> unary(UnaryCase c, StridedView x) {
        return b -> {
            float[] out = new float[x.numel()];
            b.unary(c.op(), c.p(), c.q(), x, out);
            return out;
        };
    }

    // ------------------------------------------------------------------ binary

    /** One row per tested setting of a binary op: its parameters, both input domains and the tolerance. */
    record BinaryCase(BinaryOp op, float p, float q, Domain a, Domain b, Tol tol) {}

    static List<BinaryCase> binaryCases() {
        return List.of(
                new BinaryCase(BinaryOp.ADD, 1f, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.ADD, -0.7f, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.SUB, 1f, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.SUB, 2.5f, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.MUL, 1f, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.DIV, 1f, 0, Domain.NORMAL, Domain.NONZERO, Tol.TIGHT),
                new BinaryCase(BinaryOp.MAXIMUM, 1f, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.MINIMUM, 1f, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.POW, 0, 0, Domain.POSITIVE, Domain.SYMMETRIC_UNIT, Tol.TIGHT),
                new BinaryCase(BinaryOp.EQ, 0, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.NE, 0, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.LT, 0, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.LE, 0, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.GT, 0, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.GE, 0, 0, Domain.HALVES, Domain.HALVES, Tol.EXACT),
                new BinaryCase(BinaryOp.RELU_BACKWARD, 0, 0, Domain.HALVES, Domain.NORMAL, Tol.EXACT),
                new BinaryCase(BinaryOp.LEAKY_RELU_BACKWARD, 0.01f, 0, Domain.HALVES, Domain.NORMAL, Tol.EXACT),
                new BinaryCase(BinaryOp.ELU_BACKWARD, 1f, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.SIGMOID_BACKWARD, 0, 0, Domain.UNIT, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.TANH_BACKWARD, 0, 0, Domain.SYMMETRIC_UNIT, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.GELU_BACKWARD, 0, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.GELU_TANH_BACKWARD, 0, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.SOFTPLUS_BACKWARD, 1f, 20f, Domain.WIDE, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.POW_BACKWARD, 3f, 0, Domain.NORMAL, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.POW_BACKWARD, 0.5f, 0, Domain.POSITIVE, Domain.NORMAL, Tol.TIGHT),
                new BinaryCase(BinaryOp.CLAMP_BACKWARD, -0.5f, 0.5f, Domain.HALVES, Domain.NORMAL, Tol.EXACT),
                new BinaryCase(BinaryOp.ABS_BACKWARD, 0, 0, Domain.HALVES, Domain.NORMAL, Tol.EXACT));
    }

    @Test
    void everyBinaryOpHasARow() {
        EnumSet<BinaryOp> covered = EnumSet.noneOf(BinaryOp.class);
        binaryCases().forEach(c -> covered.add(c.op()));
        assertEquals(EnumSet.allOf(BinaryOp.class), covered, "BinaryOps without a row in binaryCases()");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryCases")
    void binaryMatchesReference(BinaryCase c) {
        Generator gen = new Generator(c.toString().hashCode());
        Layout[] layouts = Layout.values();
        for (int[] shape : SHAPES) {
            for (Layout la : Layout.forShape(shape)) {
                Layout lb = layouts[gen.nextInt(layouts.length)];
                StridedView a = la.make(gen, shape, c.a()), b = lb.make(gen, shape, c.b());
                check(c + " a " + describe(a, la) + ", b " + describe(b, lb), a.numel(), c.tol(), null,
                        binary(c, a, b));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryCases")
    void binaryTreatsSpecialValuesLikeReference(BinaryCase c) {
        int n = SPECIAL.length * SPECIAL.length; // every pair, as 7 is coprime to the count
        StridedView a = cycled(SPECIAL, n, 0);
        float[] bData = new float[n];
        for (int i = 0; i < n; i++) bData[i] = SPECIAL[i / SPECIAL.length];
        StridedView b = StridedView.contiguous(bData, n);
        check(c + " on special values", n, c.tol(), null, binary(c, a, b));
        // b broadcast with stride 0 takes the vector loops' scalar-operand path
        for (float v : SPECIAL) {
            StridedView scalar = new StridedView(new float[] {v}, 0, new int[] {n}, new int[] {0});
            check(c + " on special values, b = " + v + " broadcast", n, c.tol(), null, binary(c, a, scalar));
        }
    }

    private static Function<Backend, float[]> binary(BinaryCase c, StridedView a, StridedView b) {
        return be -> {
            float[] out = new float[a.numel()];
            be.binary(c.op(), c.p(), c.q(), a, b, out);
            return out;
        };
    }

    /**
     * Inputs on which one rounding (a fused multiply-add) and two (p·x, then + q) differ in every element:
     * (1/3)·3 − 1 is 0 in float32 but 2.98e-8 fused. Where a thread's chunk ends must not change which of the
     * two formulas an element gets.
     */
    @Test
    void elementwiseResultsDoNotDependOnTheThreadCount() {
        int n = 68_742;
        float third = 1f / 3;
        float[] threes = new float[n], minusOnes = new float[n];
        Arrays.fill(threes, 3f);
        Arrays.fill(minusOnes, -1f);
        StridedView x = StridedView.contiguous(threes, n), m = StridedView.contiguous(minusOnes, n);
        assertAll(
                () -> check("AFFINE (1/3)·x − 1 at x = 3", n, Tol.TIGHT, null, b -> {
                    float[] out = new float[n];
                    b.unary(UnaryOp.AFFINE, third, -1f, x, out);
                    return out;
                }),
                () -> check("ADD −1 + (1/3)·3", n, Tol.TIGHT, null, b -> {
                    float[] out = new float[n];
                    b.binary(BinaryOp.ADD, third, 0f, m, x, out);
                    return out;
                }),
                () -> check("SUB −1 − (−1/3)·3", n, Tol.TIGHT, null, b -> {
                    float[] out = new float[n];
                    b.binary(BinaryOp.SUB, -third, 0f, m, x, out);
                    return out;
                }));
    }

    // ------------------------------------------------------------------ where and copy

    @Test
    void whereMatchesReferenceExactly() {
        Generator gen = new Generator(11);
        Layout[] layouts = Layout.values();
        for (int[] shape : SHAPES) {
            for (Layout lc : Layout.forShape(shape)) {
                Layout la = layouts[gen.nextInt(layouts.length)], lb = layouts[gen.nextInt(layouts.length)];
                StridedView cond = lc.make(gen, shape, Domain.CONDITION);
                StridedView a = la.make(gen, shape, Domain.NORMAL), b = lb.make(gen, shape, Domain.NORMAL);
                check("where cond " + describe(cond, lc) + ", a " + describe(a, la) + ", b " + describe(b, lb),
                        a.numel(), Tol.EXACT, null, be -> {
                            float[] out = new float[a.numel()];
                            be.where(cond, a, b, out);
                            return out;
                        });
            }
        }
    }

    /** The whole destination array is compared, so writes outside the view's elements are caught too. */
    @Test
    void copyIntoStridedDestinationMatchesReferenceExactly() {
        Generator gen = new Generator(12);
        for (int[] shape : SHAPES) {
            for (Layout ls : Layout.forShape(shape)) {
                for (Layout ld : Layout.WRITABLE) {
                    StridedView src = ls.make(gen, shape, Domain.NORMAL);
                    StridedView dst = ld.make(gen, shape, Domain.HALVES);
                    check("copy " + describe(src, ls) + " into " + describe(dst, ld), src.numel(), Tol.EXACT, null, be -> {
                        float[] d = dst.data().clone();
                        be.copy(src, new StridedView(d, dst.offset(), dst.shape(), dst.strides()));
                        return d;
                    });
                }
            }
        }
    }

    // ------------------------------------------------------------------ reductions

    /**
     * Shapes for reductions: fixed edge cases, random rank 1-4 shapes with size-1 dimensions, and three large
     * ones that reach the chunked-row, column and general loops on several threads.
     */
    private static List<int[]> reductionShapes(Generator gen, boolean large) {
        List<int[]> shapes = new ArrayList<>(List.of(new int[] {}, new int[] {0}, new int[] {1}, new int[] {7},
                new int[] {1023}, new int[] {3, 0, 2}, new int[] {1, 1, 1}, new int[] {13, 1, 7},
                new int[] {2, 3, 1, 5}, new int[] {33, 7}));
        int[] sizes = {1, 2, 3, 5, 7};
        for (int i = 0; i < 10; i++) {
            int[] s = new int[1 + gen.nextInt(4)];
            for (int d = 0; d < s.length; d++) s[d] = sizes[gen.nextInt(sizes.length)];
            shapes.add(s);
        }
        if (large) shapes.addAll(List.of(new int[] {150_001}, new int[] {64, 2048}, new int[] {32, 64, 64}));
        return shapes;
    }

    @Test
    void reduceMatchesReferenceOverEverySubsetOfDimensions() {
        Generator gen = new Generator(13);
        for (int[] shape : reductionShapes(gen, true)) {
            for (Layout layout : Layout.forShape(shape)) {
                StridedView x = layout.make(gen, shape, Domain.NORMAL);
                checkReductions(describe(x, layout), x);
            }
        }
    }

    @Test
    void reduceTreatsSpecialValuesLikeReference() {
        Generator gen = new Generator(14);
        for (int[] shape : List.of(new int[] {97}, new int[] {7, 13}, new int[] {3, 5, 4}, new int[] {150_001})) {
            for (Layout layout : Layout.forShape(shape)) {
                StridedView x = layout.make(gen, shape, Domain.SPECIAL_NO_MAX);
                checkReductions("special values " + describe(x, layout), x);
            }
        }
    }

    /** SUM, MAX and MIN over every subset of x's dimensions. */
    private static void checkReductions(String what, StridedView x) {
        int rank = x.rank();
        StridedView magnitude = abs(x);
        for (int mask = 0; mask < 1 << rank; mask++) {
            boolean[] reduced = new boolean[rank];
            int outSize = 1;
            for (int d = 0; d < rank; d++) {
                reduced[d] = (mask & 1 << d) != 0;
                if (!reduced[d]) outSize *= x.shape()[d];
            }
            float[] sumOfMagnitudes = new float[outSize];
            REFERENCE.reduce(ReduceOp.SUM, magnitude, reduced, sumOfMagnitudes);
            int n = outSize;
            for (ReduceOp op : List.of(ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN)) {
                Tol tol = op == ReduceOp.SUM ? new Tol(1e-6, 1e-5) : Tol.EXACT;
                String name = op + " over " + Arrays.toString(reduced) + " of " + what;
                check(name, x.numel(), tol, toDouble(sumOfMagnitudes), b -> {
                    float[] out = new float[n];
                    b.reduce(op, x, reduced, out);
                    return out;
                });
            }
        }
    }

    @Test
    void argReduceMatchesReferenceAlongEveryDimension() {
        Generator gen = new Generator(15);
        List<int[]> shapes = reductionShapes(gen, false);
        shapes.addAll(List.of(new int[] {64, 2048}, new int[] {32, 64, 64}));
        for (int[] shape : shapes) {
            for (Layout layout : Layout.forShape(shape)) {
                for (Domain domain : List.of(Domain.HALVES, Domain.SPECIAL_NO_MAX)) {
                    StridedView x = layout.make(gen, shape, domain);
                    for (int dim = 0; dim < shape.length; dim++) {
                        if (shape[dim] == 0) continue; // no index to return
                        int d = dim, n = Shapes.numel(shape) / shape[dim];
                        for (ReduceOp op : List.of(ReduceOp.ARGMAX, ReduceOp.ARGMIN)) {
                            check(op + " along " + d + " of " + domain + " " + describe(x, layout), x.numel(), Tol.EXACT, null,
                                    b -> {
                                        int[] out = new int[n];
                                        b.argReduce(op, x, d, out);
                                        float[] f = new float[n];
                                        for (int i = 0; i < n; i++) f[i] = out[i];
                                        return f;
                                    });
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ softmax

    /** {outer, n, inner}; the last two are split across threads. */
    private static final int[][] SOFTMAX_SHAPES = {
        {1, 1, 1}, {0, 5, 3}, {2, 0, 3}, {1, 7, 1}, {3, 13, 1}, {2, 33, 5}, {5, 1023, 1}, {1, 7, 13}, {4, 3, 7},
        {3, 1, 4}, {1024, 8, 17}, {130, 1025, 1},
    };

    @Test
    void softmaxMatchesReference() {
        Generator gen = new Generator(16);
        for (int[] s : SOFTMAX_SHAPES) {
            int size = s[0] * s[1] * s[2];
            var domains = size >= LARGE ? List.of(Domain.NORMAL) : List.of(Domain.NORMAL, Domain.WIDE, Domain.SPECIAL_NO_MAX);
            for (Domain domain : domains) {
                float[] x = new float[size];
                for (int i = 0; i < x.length; i++) x[i] = 4 * domain.sample(gen);
                for (boolean log : new boolean[] {false, true}) {
                    check((log ? "logSoftmax " : "softmax ") + Arrays.toString(s) + " of " + domain, x.length,
                            new Tol(1e-30, 2e-6), softmaxScale(log, x, s), b -> {
                                float[] out = new float[x.length];
                                b.softmax(log, x, out, s[0], s[1], s[2]);
                                return out;
                            });
                }
            }
        }
    }

    /**
     * Per element, the magnitude a float32 kernel's rounding scales with: for log-softmax |x| + |max| (the output
     * is x − max − log Σ), for softmax y·(1 + |x − max|) (the exponent x − max is rounded to float).
     */
    private static double[] softmaxScale(boolean log, float[] x, int[] s) {
        float[] y = new float[x.length];
        REFERENCE.softmax(false, x, y, s[0], s[1], s[2]);
        int n = s[1], inner = s[2];
        double[] scale = new double[x.length];
        for (int o = 0; o < s[0]; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, x[base + j * inner]);
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    scale[k] = log ? Math.abs(x[k]) + Math.abs(max) : y[k] * (1 + Math.abs(x[k] - max));
                }
            }
        }
        return scale;
    }

    @Test
    void softmaxBackwardMatchesReference() {
        Generator gen = new Generator(17);
        for (int[] s : SOFTMAX_SHAPES) {
            int size = s[0] * s[1] * s[2];
            float[] x = new float[size], g = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = Domain.NORMAL.sample(gen);
                g[i] = Domain.NORMAL.sample(gen);
            }
            for (boolean log : new boolean[] {false, true}) {
                float[] y = new float[size];
                REFERENCE.softmax(log, x, y, s[0], s[1], s[2]);
                check((log ? "logSoftmax" : "softmax") + " backward " + Arrays.toString(s), size, new Tol(1e-7, 1e-5),
                        softmaxBackwardScale(log, y, g, s), b -> {
                            float[] out = new float[size];
                            b.softmaxBackward(log, y, g, out, s[0], s[1], s[2]);
                            return out;
                        });
            }
        }
    }

    /** Per element, the magnitude of the terms of its gradient: y·(|g| + Σ|g·y|) or |g| + e^y·Σ|g|. */
    private static double[] softmaxBackwardScale(boolean log, float[] y, float[] g, int[] s) {
        int n = s[1], inner = s[2];
        double[] scale = new double[y.length];
        for (int o = 0; o < s[0]; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double dot = 0;
                for (int j = 0; j < n; j++) dot += Math.abs(log ? g[base + j * inner] : g[base + j * inner] * y[base + j * inner]);
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    scale[k] = log ? Math.abs(g[k]) + Math.exp(y[k]) * dot : Math.abs(y[k]) * (Math.abs(g[k]) + dot);
                }
            }
        }
        return scale;
    }

    // ------------------------------------------------------------------ gemm

    /** {m, n, k}: empty, tiny, odd, past the direct-loop threshold, wider than NC, deeper than KC, multi-threaded. */
    private static final int[][] GEMM_SHAPES = {
        {1, 1, 1}, {0, 3, 2}, {3, 0, 2}, {4, 5, 0}, {7, 13, 33}, {13, 7, 1}, {1, 1023, 7}, {33, 33, 33},
        {5, 1030, 9}, {129, 131, 300}, {600, 37, 100},
    };

    /** {alpha, beta}; beta = 0 runs with NaN in C, which must be overwritten, not multiplied. */
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {-1.5f, 0.5f}, {0f, 2f}};

    @Test
    void gemmMatchesReferenceForAllTransposes() {
        Generator gen = new Generator(18);
        for (int[] s : GEMM_SHAPES) {
            for (int t = 0; t < 4; t++) {
                // large products take one {alpha, beta} per transpose pair: alpha = 0 never reaches the driver
                var pairs = (long) s[0] * s[1] * s[2] >= LARGE ? List.of(ALPHA_BETA[t % 2]) : List.of(ALPHA_BETA);
                for (float[] ab : pairs) checkGemm(gen, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1]);
            }
        }
    }

    private static void checkGemm(Generator gen, int m, int n, int k, boolean transA, boolean transB, float alpha,
                                  float beta) {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = Math.max(1, aCols + gen.nextInt(3)), ldb = Math.max(1, bCols + gen.nextInt(3)), ldc = Math.max(1, n + gen.nextInt(3));
        int aOff = gen.nextInt(5), bOff = gen.nextInt(5), cOff = gen.nextInt(5);
        float[] a = matrix(gen, aOff + aRows * lda + 2), b = matrix(gen, bOff + bRows * ldb + 2);
        float[] c = matrix(gen, cOff + m * ldc + 2);
        if (beta == 0) Arrays.fill(c, Float.NaN);
        // scale: |alpha|·|A|·|B| + |beta·C| per element of C; zero (exact) outside the m×n block
        float[] aAbs = absCopy(a), bAbs = absCopy(b), cAbs = absCopy(c);
        float[] magnitude = beta == 0 ? new float[c.length] : cAbs.clone();
        REFERENCE.gemm(transA, transB, m, n, k, Math.abs(alpha), aAbs, aOff, lda, bAbs, bOff, ldb, Math.abs(beta),
                magnitude, cOff, ldc);
        double[] scale = new double[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) scale[cOff + i * ldc + j] = magnitude[cOff + i * ldc + j];
        }
        String what = String.format("gemm m=%d n=%d k=%d transA=%b transB=%b alpha=%s beta=%s lda=%d ldb=%d ldc=%d "
                + "offsets=%d,%d,%d", m, n, k, transA, transB, alpha, beta, lda, ldb, ldc, aOff, bOff, cOff);
        check(what, (long) m * n * k, new Tol(1e-6, 1e-5), scale, be -> {
            float[] out = c.clone();
            be.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        });
    }

    private static float[] matrix(Generator gen, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) gen.nextGaussian();
        return x;
    }

    private static float[] absCopy(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
        return out;
    }
}
