package io.shendu.backend;

import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fast conv kernels (with and without the Vector API) against the reference ones, on hand-picked geometries
 * (1×1, strides 2 and 3, dilation, groups, depthwise, odd and non-square sizes, asymmetric padding, batch 1, 1-D,
 * blocks of columns) and on random ones. Operands sit at non-zero offsets inside larger arrays, and each fast
 * result is computed at 1, 2 and 3 threads and must be bitwise the same at each.
 */
@ExtendWith(RestoreThreads.class)
class ConvKernelsTest {

    private static final ConvKernels REFERENCE = ReferenceBackend.INSTANCE.conv();
    private static final ConvKernels FAST = CpuBackend.INSTANCE.conv();
    /** The fast backend with and without the Vector API paths. */
    private static final List<ConvKernels> FAST_PATHS = List.of(FAST, CpuBackend.plain().conv());
    private static final int[] THREADS = {1, 2, 3};
    /** Float32 sums of up to a few hundred unit-size products against double sums. */
    private static final double ATOL = 2e-4, RTOL = 2e-4;


    /** A named geometry; {@code toString} is the test's display name. */
    record Case(String name, ConvGeometry g) {
        @Override
        public String toString() {
            return name + " " + g;
        }
    }

    private static Case conv(String name, int n, int c, int o, int groups, int h, int w, int kh, int kw,
                             int sh, int sw, int ph, int pw, int dh, int dw) {
        return new Case(name, new ConvGeometry(n, c, o, groups, ConvAxis.of(h, kh, sh, ph, dh), ConvAxis.of(w, kw, sw, pw, dw)));
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                conv("pointwise", 2, 4, 3, 1, 5, 7, 1, 1, 1, 1, 0, 0, 1, 1),
                conv("pointwise_groups", 2, 6, 4, 2, 3, 5, 1, 1, 1, 1, 0, 0, 1, 1),
                conv("1x1_stride2", 2, 4, 3, 1, 7, 7, 1, 1, 2, 2, 0, 0, 1, 1),
                conv("1x1_padding", 1, 3, 2, 1, 4, 5, 1, 1, 1, 1, 1, 1, 1, 1),
                conv("3x3", 3, 3, 5, 1, 9, 11, 3, 3, 1, 1, 1, 1, 1, 1),
                conv("3x3_no_padding_tiny", 1, 1, 1, 1, 3, 3, 3, 3, 1, 1, 0, 0, 1, 1),
                conv("stride2_odd", 2, 5, 7, 1, 13, 9, 3, 3, 2, 2, 1, 0, 1, 1),
                conv("stride3_kernel5x2", 1, 2, 3, 1, 17, 10, 5, 2, 3, 3, 2, 1, 1, 1),
                conv("dilation2", 2, 3, 4, 1, 12, 12, 3, 3, 1, 1, 2, 2, 2, 2),
                conv("dilation_stride_groups", 2, 4, 4, 2, 9, 9, 3, 3, 2, 2, 1, 1, 2, 2),
                conv("groups2", 2, 6, 4, 2, 8, 9, 3, 3, 1, 1, 1, 1, 1, 1),
                conv("depthwise", 3, 8, 8, 8, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1),
                conv("depthwise_multiplier_stride2", 2, 4, 8, 4, 9, 9, 3, 3, 2, 2, 1, 1, 1, 1),
                conv("batch1", 1, 16, 16, 1, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1),
                conv("1d", 4, 3, 5, 1, 1, 33, 1, 5, 1, 2, 0, 2, 1, 1),
                conv("padding_wider_than_input", 2, 2, 3, 1, 2, 3, 3, 3, 1, 1, 2, 2, 1, 1),
                conv("lenet_first", 4, 1, 6, 1, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1),
                conv("lenet_second", 3, 6, 16, 1, 14, 14, 5, 5, 1, 1, 0, 0, 1, 1),
                conv("bncnn_first", 3, 1, 32, 1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1),
                // direct kernels: rows in groups of three plus a remainder of one, of two; few taps, many rows
                conv("direct_rows7", 2, 3, 7, 1, 12, 13, 3, 3, 1, 1, 1, 1, 1, 1),
                conv("direct_rows5_dilated", 2, 2, 5, 1, 11, 9, 3, 2, 1, 1, 1, 0, 2, 1),
                conv("few_taps_20_rows", 2, 1, 20, 1, 9, 10, 2, 2, 1, 1, 1, 0, 1, 1),
                conv("blocked_columns", 5, 32, 24, 1, 30, 31, 3, 3, 1, 1, 1, 1, 1, 1),
                conv("blocked_columns_stride2", 9, 40, 16, 1, 45, 40, 3, 3, 2, 2, 1, 1, 1, 1),
                // small output maps with more than 8 outputs: GEMMs over chunks of images (CpuConvBatched)
                conv("batched_2x2_stage", 5, 24, 12, 1, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1),
                conv("batched_4x4_stride1", 3, 16, 20, 1, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1),
                conv("batched_1x1_stride2", 4, 8, 16, 1, 7, 7, 1, 1, 2, 2, 0, 0, 1, 1),
                conv("batched_dilated_nonsquare", 3, 4, 10, 1, 8, 7, 3, 2, 1, 2, 2, 0, 2, 1),
                conv("batched_two_chunks", 20, 512, 9, 1, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1),
                // 'same' with an even kernel: one zero before, two after; the output keeps the input's size
                new Case("asymmetric_same", new ConvGeometry(2, 3, 4, 1, new ConvAxis(6, 6, 4, 1, 1, 1),
                        new ConvAxis(7, 7, 2, 1, 0, 1))),
                // a transposed convolution's axis: fewer outputs than the input would give
                new Case("cropped_output", new ConvGeometry(2, 3, 2, 1, new ConvAxis(9, 3, 3, 2, 1, 1),
                        new ConvAxis(8, 4, 2, 2, 0, 1)))));
        Generator gen = new Generator(20240611);
        for (int i = 0; i < 40; i++) cases.add(random(gen, i));
        return cases;
    }

    private static Case random(Generator gen, int i) {
        int groups = 1 + gen.nextInt(3);
        int c = groups * (1 + gen.nextInt(4)), o = groups * (1 + gen.nextInt(4));
        int kh = 1 + gen.nextInt(4), kw = 1 + gen.nextInt(4), sh = 1 + gen.nextInt(3), sw = 1 + gen.nextInt(3);
        int dh = 1 + gen.nextInt(2), dw = 1 + gen.nextInt(2), ph = gen.nextInt(3), pw = gen.nextInt(3);
        int h = Math.max(1, dh * (kh - 1) + 1 - 2 * ph) + gen.nextInt(9);
        int w = Math.max(1, dw * (kw - 1) + 1 - 2 * pw) + gen.nextInt(9);
        return conv("random" + i, 1 + gen.nextInt(4), c, o, groups, h, w, kh, kw, sh, sw, ph, pw, dh, dw);
    }

    // ------------------------------------------------------------------ the three kernels

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatchesReference(Case k) {
        ConvGeometry g = k.g();
        Generator gen = new Generator(k.name().hashCode());
        Operand x = Operand.random(gen, g.batch() * g.inputImageSize()), w = Operand.random(gen, g.weightSize());
        Operand b = Operand.random(gen, g.outChannels());
        int size = g.batch() * g.outputImageSize();
        for (Operand bias : Arrays.asList(b, null)) {
            float[] expected = run(size, (kern, out, off) -> kern.forward(g, x.data, x.off, w.data, w.off,
                    bias == null ? null : bias.data, bias == null ? 0 : bias.off, out, off), REFERENCE);
            float[] actual = runAtEveryThreadCount(k, size, (kern, out, off) -> kern.forward(g, x.data, x.off,
                    w.data, w.off, bias == null ? null : bias.data, bias == null ? 0 : bias.off, out, off));
            assertClose(k + " forward" + (bias == null ? " without bias" : ""), expected, actual);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardInputMatchesReference(Case k) {
        ConvGeometry g = k.g();
        Generator gen = new Generator(k.name().hashCode() + 1);
        Operand dy = Operand.random(gen, g.batch() * g.outputImageSize()), w = Operand.random(gen, g.weightSize());
        int size = g.batch() * g.inputImageSize();
        Body body = (kern, out, off) -> kern.backwardInput(g, dy.data, dy.off, w.data, w.off, out, off);
        assertClose(k + " backwardInput", run(size, body, REFERENCE), runAtEveryThreadCount(k, size, body));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardWeightMatchesReference(Case k) {
        ConvGeometry g = k.g();
        Generator gen = new Generator(k.name().hashCode() + 2);
        Operand x = Operand.random(gen, g.batch() * g.inputImageSize());
        Operand dy = Operand.random(gen, g.batch() * g.outputImageSize());
        Body body = (kern, out, off) -> kern.backwardWeight(g, x.data, x.off, dy.data, dy.off, out, off);
        assertClose(k + " backwardWeight", run(g.weightSize(), body, REFERENCE),
                runAtEveryThreadCount(k, g.weightSize(), body));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardBiasMatchesReference(Case k) {
        ConvGeometry g = k.g();
        Operand dy = Operand.random(new Generator(k.name().hashCode() + 3), g.batch() * g.outputImageSize());
        Body body = (kern, out, off) -> kern.backwardBias(g, dy.data, dy.off, out, off);
        assertClose(k + " backwardBias", run(g.outChannels(), body, REFERENCE),
                runAtEveryThreadCount(k, g.outChannels(), body));
    }

    /** The three kernels are adjoint: ⟨conv(x, w), dy⟩ = ⟨x, backwardInput(dy, w)⟩ = ⟨w, backwardWeight(x, dy)⟩. */
    @Test
    void kernelsAreAdjoint() {
        ConvGeometry g = conv("adjoint", 3, 4, 6, 2, 11, 10, 3, 2, 2, 1, 1, 1, 2, 1).g();
        Generator gen = new Generator(7);
        Operand x = Operand.random(gen, g.batch() * g.inputImageSize()), w = Operand.random(gen, g.weightSize());
        Operand dy = Operand.random(gen, g.batch() * g.outputImageSize());
        float[] y = new float[g.batch() * g.outputImageSize()], dx = new float[x.size], dw = new float[w.size];
        FAST.forward(g, x.data, x.off, w.data, w.off, null, 0, y, 0);
        FAST.backwardInput(g, dy.data, dy.off, w.data, w.off, dx, 0);
        FAST.backwardWeight(g, x.data, x.off, dy.data, dy.off, dw, 0);
        double yDy = dot(y, 0, dy.data, dy.off, y.length), xDx = dot(dx, 0, x.data, x.off, dx.length);
        double wDw = dot(dw, 0, w.data, w.off, dw.length);
        assertEquals(yDy, xDx, 1e-3 * Math.abs(yDy) + 1e-3);
        assertEquals(yDy, wDw, 1e-3 * Math.abs(yDy) + 1e-3);
    }

    @Test
    void emptyBatchGivesAZeroWeightGradient() {
        ConvGeometry g = conv("empty", 0, 2, 3, 1, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1).g();
        float[] w = new float[g.weightSize()];
        FAST.forward(g, new float[0], 0, w, 0, null, 0, new float[0], 0);
        FAST.backwardInput(g, new float[0], 0, w, 0, new float[0], 0);
        float[] dwFull = new float[g.weightSize()];
        Arrays.fill(dwFull, 3f);
        FAST.backwardWeight(g, new float[0], 0, new float[0], 0, dwFull, 0);
        assertArrayEquals(new float[g.weightSize()], dwFull, "an empty batch has a zero weight gradient");
    }

    @Test
    void geometryRejectsChannelsThatGroupsDoNotDivide() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 3, 4, 2, ConvAxis.of(5, 3, 1, 0, 1), ConvAxis.of(5, 3, 1, 0, 1)));
        assertEquals(true, e.getMessage().contains("inChannels=3") && e.getMessage().contains("groups=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvAxis.of(2, 5, 1, 0, 1));   // kernel wider than input
    }

    // ------------------------------------------------------------------ helpers

    /** An operand at a random offset inside a larger array, so kernels must honour offsets. */
    record Operand(float[] data, int off, int size) {
        static Operand random(Generator gen, int size) {
            int off = 1 + gen.nextInt(7);
            float[] data = new float[off + size + 3];
            for (int i = 0; i < data.length; i++) data[i] = (float) gen.nextGaussian();
            return new Operand(data, off, size);
        }
    }

    @FunctionalInterface
    interface Body {
        void run(ConvKernels kernels, float[] out, int outOff);
    }

    /** Runs into a NaN-filled array at offset 2 (so an unwritten element shows) and returns the result. */
    private static float[] run(int size, Body body, ConvKernels kernels) {
        float[] out = new float[size + 4];
        Arrays.fill(out, Float.NaN);
        body.run(kernels, out, 2);
        assertEquals(Float.NaN, out[0], "wrote before the output");
        assertEquals(Float.NaN, out[size + 3], "wrote past the output");
        return Arrays.copyOfRange(out, 2, 2 + size);
    }

    /** The vector path's result; every path at every thread count must agree with it bit for bit, or be close. */
    private float[] runAtEveryThreadCount(Case k, int size, Body body) {
        float[] first = null;
        for (ConvKernels kernels : FAST_PATHS) {
            float[] path = null;
            for (int t : THREADS) {
                Parallel.setThreads(t);
                float[] result = run(size, body, kernels);
                if (path == null) path = result;
                else if (!Arrays.equals(path, result)) fail(k + ": result at " + t + " threads differs from 1 thread");
            }
            if (first == null) first = path;
            else assertClose(k + " plain path against vector path", first, path);
        }
        return first;
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) {
                fail(what + ": element " + i + " is " + a + ", reference " + e);
            }
        }
    }

    private static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
        return s;
    }
}
