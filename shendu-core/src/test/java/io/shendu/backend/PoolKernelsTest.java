package io.shendu.backend;

import io.shendu.backend.PoolKernels.Planes;
import io.shendu.backend.PoolKernels.Window;
import io.shendu.backend.cpu.CpuBackend;
import io.shendu.backend.cpu.Parallel;
import io.shendu.backend.reference.ReferenceBackend;
import io.shendu.tensor.Generator;
import io.shendu.backend.cpu.RestoreThreads;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every pool kernel of the fast CPU backend against the reference, on random
 * windows (odd and tiny sizes, padding, ceil mode, stride ≠ kernel, dilation) and resizes, with inputs at an
 * offset and a garbage-filled gradient buffer (backward kernels must overwrite it). The fast results are computed
 * at 1 and 2 threads and must be bitwise equal; the large cases are split across the threads.
 */
@ExtendWith(RestoreThreads.class)
class PoolKernelsTest {

    private static final PoolKernels REFERENCE = ReferenceBackend.INSTANCE.pool();
    /** The fast pool kernels with the Vector API (when present) and without. */
    private static final List<PoolKernels> FAST = List.of(CpuBackend.INSTANCE.pool(), CpuBackend.plain().pool());
    private static final int OFFSET = 3;


    /** A pooling problem: planes, window, and (for average pooling) the divisor rule. */
    record PoolCase(Planes p, Window w, boolean ceilMode, boolean countIncludePad, int divisorOverride, boolean ties) {
        @Override
        public String toString() {
            return p.count() + "x" + p.inH() + "x" + p.inW() + " k" + w.kernelH() + "x" + w.kernelW() + " s"
                    + w.strideH() + "x" + w.strideW() + " p" + w.padH() + "x" + w.padW() + " d" + w.dilationH() + "x"
                    + w.dilationW() + (ceilMode ? " ceil" : "") + (countIncludePad ? "" : " exclude-pad")
                    + (divisorOverride > 0 ? " div" + divisorOverride : "") + (ties ? " ties" : "");
        }
    }

    /** A resize problem; a scale of 0 means the ratio comes from the sizes. */
    record ResizeCase(Planes p, boolean alignCorners, double scaleH, double scaleW) {
        double ratioH() {
            return ratio(p.inH(), p.outH(), scaleH);
        }

        double ratioW() {
            return ratio(p.inW(), p.outW(), scaleW);
        }

        private double ratio(int in, int out, double scale) {
            if (alignCorners) return out > 1 ? (in - 1.0) / (out - 1) : 0;
            return scale > 0 ? 1 / scale : (double) in / out;
        }

        @Override
        public String toString() {
            return p.count() + "x" + p.inH() + "x" + p.inW() + " -> " + p.outH() + "x" + p.outW()
                    + (scaleH > 0 ? " scale " + scaleH + "x" + scaleW : "") + (alignCorners ? " align" : "");
        }
    }

    // ------------------------------------------------------------------ cases

    /** PyTorch's pooling output size, written out independently of the layer code. */
    static int outSize(int in, int k, int s, int pad, int d, boolean ceil) {
        int span = in + 2 * pad - d * (k - 1) - 1;
        if (span < 0) return 0;
        int out = Math.floorDiv(span + (ceil ? s - 1 : 0), s) + 1;
        if (ceil && (out - 1) * s >= in + pad) out--;
        return out;
    }

    static List<PoolCase> poolCases(boolean dilated) {
        List<PoolCase> cases = new ArrayList<>();
        int[][] fixed = {   // count, inH, inW, kH, kW, sH, sW, pH, pW, ceil
            {3, 6, 6, 2, 2, 2, 2, 0, 0, 0}, {2, 5, 7, 2, 2, 2, 2, 0, 0, 0}, {2, 5, 7, 2, 2, 2, 2, 0, 0, 1},
            {1, 1, 9, 1, 3, 1, 2, 0, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, {2, 7, 7, 3, 3, 2, 2, 1, 1, 0},
            {2, 6, 6, 3, 3, 2, 2, 0, 0, 1}, {1, 2, 2, 3, 3, 1, 1, 1, 1, 0},
            {128, 28, 28, 2, 2, 2, 2, 0, 0, 0}, {96, 17, 15, 3, 3, 2, 2, 1, 1, 1},   // split across threads
        };
        for (int[] f : fixed) {
            Window w = new Window(f[3], f[4], f[5], f[6], f[7], f[8], 1, 1);
            cases.add(poolCase(f[0], f[1], f[2], w, f[9] == 1, true, 0, false));
        }
        cases.add(poolCase(4, 6, 8, new Window(2, 2, 2, 2, 0, 0, 1, 1), false, true, 0, true));
        cases.add(poolCase(3, 7, 5, new Window(3, 2, 1, 2, 1, 1, 1, 1), true, true, 0, true));
        Generator g = new Generator(dilated ? 11 : 12);
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 11, 13};
        while (cases.size() < 60) {
            int kH = 1 + g.nextInt(4), kW = 1 + g.nextInt(4);
            int dH = dilated ? 1 + g.nextInt(2) : 1, dW = dilated ? 1 + g.nextInt(3) : 1;
            Window w = new Window(kH, kW, 1 + g.nextInt(3), 1 + g.nextInt(3), g.nextInt(kH / 2 + 1), g.nextInt(kW / 2 + 1),
                    dH, dW);
            PoolCase c = poolCase(1 + g.nextInt(5), sizes[g.nextInt(sizes.length)], sizes[g.nextInt(sizes.length)], w,
                    g.nextInt(2) == 0, g.nextInt(2) == 0, g.nextInt(4) == 0 ? 1 + g.nextInt(9) : 0, g.nextInt(4) == 0);
            if (c != null) cases.add(c);
        }
        return cases;
    }

    private static PoolCase poolCase(int count, int inH, int inW, Window w, boolean ceil, boolean includePad,
                                     int divisor, boolean ties) {
        int outH = outSize(inH, w.kernelH(), w.strideH(), w.padH(), w.dilationH(), ceil);
        int outW = outSize(inW, w.kernelW(), w.strideW(), w.padW(), w.dilationW(), ceil);
        if (outH < 1 || outW < 1) return null;
        return new PoolCase(new Planes(count, inH, inW, outH, outW), w, ceil, includePad, divisor, ties);
    }

    static Stream<PoolCase> maxCases() {
        return poolCases(true).stream();
    }

    static Stream<PoolCase> avgCases() {
        return poolCases(false).stream();
    }

    static Stream<ResizeCase> resizeCases() {
        List<ResizeCase> cases = new ArrayList<>(List.of(
                new ResizeCase(new Planes(3, 4, 5, 8, 10), false, 2, 2),
                new ResizeCase(new Planes(2, 4, 5, 8, 10), true, 0, 0),
                new ResizeCase(new Planes(2, 1, 1, 3, 2), false, 0, 0),
                new ResizeCase(new Planes(2, 5, 5, 1, 1), true, 0, 0),
                new ResizeCase(new Planes(1, 7, 9, 3, 4), false, 0, 0),
                new ResizeCase(new Planes(64, 32, 32, 64, 64), false, 2, 2)));   // split across threads
        Generator g = new Generator(13);
        for (int i = 0; i < 30; i++) {
            int inH = 1 + g.nextInt(9), inW = 1 + g.nextInt(9);
            boolean byScale = g.nextInt(2) == 0;
            double sH = byScale ? 0.5 + g.nextInt(8) * 0.25 : 0, sW = byScale ? 0.5 + g.nextInt(8) * 0.25 : 0;
            int outH = byScale ? (int) Math.floor(inH * sH) : 1 + g.nextInt(13);
            int outW = byScale ? (int) Math.floor(inW * sW) : 1 + g.nextInt(13);
            if (outH < 1 || outW < 1) continue;
            boolean align = !byScale && g.nextInt(2) == 0;
            cases.add(new ResizeCase(new Planes(1 + g.nextInt(4), inH, inW, outH, outW), align, sH, sW));
        }
        return cases.stream();
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxCases")
    void maxPoolMatchesReference(PoolCase c) {
        Planes p = c.p();
        float[] x = input(p.count() * p.inSize(), c.ties(), 1);
        float[] out = new float[p.count() * p.outSize()];
        int[] argmax = new int[out.length];
        REFERENCE.maxPool2d(p, c.w(), x, OFFSET, out, argmax);
        float[] g = input(out.length, false, 2);
        float[] grad = garbage(p.count() * p.inSize());
        REFERENCE.maxPool2dBackward(p, g, OFFSET, argmax, grad);
        for (PoolKernels fast : FAST) {
            onThreads(fast, k -> {
                float[] o = new float[out.length];
                int[] a = new int[out.length];
                k.maxPool2d(p, c.w(), x, OFFSET, o, a);
                assertArrayEquals(out, o, "max values");   // a selection: bitwise equal
                assertArrayEquals(argmax, a, "argmax");
                float[] dx = garbage(grad.length);
                k.maxPool2dBackward(p, g, OFFSET, a, dx);
                assertClose(grad, dx, "max backward");
                return concat(o, dx);
            });
        }
    }

    /**
     * The 2×2 stride-2 pool on the shapes of LeNet-5 and the BN CNN (and odd ones: a 7×7 input, 5×5 outputs) with
     * NaNs, ±0 and ties in every window position: values and argmax bitwise as the reference, and the same values
     * when no argmax is asked for (inference).
     */
    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("twoByTwoShapes")
    void maxPool2x2WithNaNsAndSignedZeros(int count, int inH, int inW) {
        Planes p = new Planes(count, inH, inW, inH / 2, inW / 2);
        Window w = new Window(2, 2, 2, 2, 0, 0, 1, 1);
        Generator gen = new Generator(31L * count + inH);
        float[] specials = {Float.NaN, 0f, -0f, 1f, -1f, Float.NEGATIVE_INFINITY};
        float[] x = new float[OFFSET + p.count() * p.inSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = gen.nextInt(3) == 0 ? specials[gen.nextInt(specials.length)] : (float) gen.nextGaussian();
        }
        float[] out = new float[p.count() * p.outSize()];
        int[] argmax = new int[out.length];
        REFERENCE.maxPool2d(p, w, x, OFFSET, out, argmax);
        for (PoolKernels fast : FAST) {
            onThreads(fast, k -> {
                float[] o = new float[out.length], bare = new float[out.length];
                int[] a = new int[out.length];
                k.maxPool2d(p, w, x, OFFSET, o, a);
                k.maxPool2d(p, w, x, OFFSET, bare, null);
                for (int i = 0; i < out.length; i++) {
                    assertEquals(Float.floatToIntBits(out[i]), Float.floatToIntBits(o[i]), "bits of value " + i);
                    assertEquals(Float.floatToIntBits(out[i]), Float.floatToIntBits(bare[i]), "value without argmax " + i);
                }
                assertArrayEquals(argmax, a, "argmax");
                return concat(o, bare);
            });
        }
    }

    /**
     * The pool fused after a ReLU: values bitwise the general 2×2 pool's, window positions (−1 where the maximum is
     * not positive) and the backward exactly the reference's, with NaN, ±0 and ties in the input and NaN and −0 in
     * the upstream gradient, and the input gradient written over garbage. Odd sizes leave a row or column no window
     * covers; its gradient must be 0.
     */
    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("twoByTwoShapes")
    void maxPool2x2ReluMatchesTheReference(int count, int inH, int inW) {
        Planes p = new Planes(count, inH, inW, inH / 2, inW / 2);
        Generator gen = new Generator(17L * count + inW);
        float[] specials = {Float.NaN, 0f, -0f, 1f, -1f, Float.NEGATIVE_INFINITY};
        float[] x = new float[OFFSET + p.count() * p.inSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = gen.nextInt(3) == 0 ? specials[gen.nextInt(specials.length)] : (float) gen.nextGaussian();
        }
        float[] out = new float[p.count() * p.outSize()], general = new float[out.length];
        byte[] which = new byte[out.length];
        REFERENCE.maxPool2x2Relu(p, x, OFFSET, out, which);
        REFERENCE.maxPool2d(p, new Window(2, 2, 2, 2, 0, 0, 1, 1), x, OFFSET, general, new int[out.length]);
        assertArrayEquals(general, out, "the reference's values are its general pool's");
        for (int i = 0; i < out.length; i++) {
            assertEquals(out[i] > 0, which[i] >= 0, "position " + i + " is -1 exactly where the maximum is not positive");
        }
        float[] g = input(out.length, false, 5);
        for (int i = OFFSET; i < g.length; i += 7) g[i] = i % 2 == 0 ? -0f : Float.NaN;
        float[] grad = garbage(p.count() * p.inSize());
        REFERENCE.maxPool2x2ReluBackward(p, g, OFFSET, which, grad);
        for (PoolKernels fast : FAST) {
            onThreads(fast, k -> {
                float[] o = new float[out.length], bare = new float[out.length], dx = garbage(grad.length);
                byte[] w = new byte[out.length];
                k.maxPool2x2Relu(p, x, OFFSET, o, w);
                k.maxPool2x2Relu(p, x, OFFSET, bare, null);
                for (int i = 0; i < out.length; i++) {
                    assertEquals(Float.floatToIntBits(out[i]), Float.floatToIntBits(o[i]), "bits of value " + i);
                    assertEquals(Float.floatToIntBits(out[i]), Float.floatToIntBits(bare[i]), "value without positions " + i);
                }
                assertArrayEquals(which, w, "window positions");
                k.maxPool2x2ReluBackward(p, g, OFFSET, w, dx);
                for (int i = 0; i < grad.length; i++) {
                    assertEquals(Float.floatToIntBits(grad[i]), Float.floatToIntBits(dx[i]), "bits of gradient " + i);
                }
                return concat(o, dx);
            });
        }
    }

    @Test
    void maxPool2x2ReluRefusesPartialWindows() {
        Planes p = new Planes(1, 3, 4, 2, 2);
        for (PoolKernels k : FAST) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> k.maxPool2x2Relu(p, new float[12], 0, new float[4], new byte[4]));
            assertEquals("maxPool2x2Relu: 2x2 outputs need at least 4x4 inputs, found 3x4", e.getMessage());
        }
    }

    static Stream<Arguments> twoByTwoShapes() {
        return Stream.of(new int[][] {{64 * 6, 28, 28}, {64 * 16, 10, 10}, {64 * 32, 28, 28}, {5, 14, 14}, {3, 7, 7},
                {2, 2, 2}, {1, 4, 6}, {17, 10, 10}}).map(a -> Arguments.of(a[0], a[1], a[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avgCases")
    void avgPoolMatchesReference(PoolCase c) {
        Planes p = c.p();
        float[] x = input(p.count() * p.inSize(), false, 3);
        float[] out = new float[p.count() * p.outSize()];
        REFERENCE.avgPool2d(p, c.w(), c.countIncludePad(), c.divisorOverride(), x, OFFSET, out);
        float[] g = input(out.length, false, 4);
        float[] grad = garbage(p.count() * p.inSize());
        REFERENCE.avgPool2dBackward(p, c.w(), c.countIncludePad(), c.divisorOverride(), g, OFFSET, grad);
        for (PoolKernels fast : FAST) {
            onThreads(fast, k -> {
                float[] o = new float[out.length], dx = garbage(grad.length);
                k.avgPool2d(p, c.w(), c.countIncludePad(), c.divisorOverride(), x, OFFSET, o);
                k.avgPool2dBackward(p, c.w(), c.countIncludePad(), c.divisorOverride(), g, OFFSET, dx);
                assertClose(out, o, "avg forward");
                assertClose(grad, dx, "avg backward");
                return concat(o, dx);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void adaptiveAvgPoolMatchesReference(ResizeCase c) {
        Planes p = c.p();
        float[] x = input(p.count() * p.inSize(), false, 5), g = input(p.count() * p.outSize(), false, 6);
        float[] out = new float[p.count() * p.outSize()], grad = garbage(p.count() * p.inSize());
        REFERENCE.adaptiveAvgPool2d(p, x, OFFSET, out);
        REFERENCE.adaptiveAvgPool2dBackward(p, g, OFFSET, grad);
        for (PoolKernels fast : FAST) {
            onThreads(fast, k -> {
                float[] o = new float[out.length], dx = garbage(grad.length);
                k.adaptiveAvgPool2d(p, x, OFFSET, o);
                k.adaptiveAvgPool2dBackward(p, g, OFFSET, dx);
                assertClose(out, o, "adaptive forward");
                assertClose(grad, dx, "adaptive backward");
                return concat(o, dx);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void nearestMatchesReference(ResizeCase c) {
        Planes p = c.p();
        float[] x = input(p.count() * p.inSize(), false, 7), g = input(p.count() * p.outSize(), false, 8);
        float[] out = new float[p.count() * p.outSize()], grad = garbage(p.count() * p.inSize());
        REFERENCE.upsampleNearest2d(p, c.ratioH(), c.ratioW(), x, OFFSET, out);
        REFERENCE.upsampleNearest2dBackward(p, c.ratioH(), c.ratioW(), g, OFFSET, grad);
        for (PoolKernels fast : FAST) {
            onThreads(fast, k -> {
                float[] o = new float[out.length], dx = garbage(grad.length);
                k.upsampleNearest2d(p, c.ratioH(), c.ratioW(), x, OFFSET, o);
                k.upsampleNearest2dBackward(p, c.ratioH(), c.ratioW(), g, OFFSET, dx);
                assertArrayEquals(out, o, "nearest forward");
                assertClose(grad, dx, "nearest backward");
                return concat(o, dx);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void bilinearMatchesReference(ResizeCase c) {
        Planes p = c.p();
        float[] x = input(p.count() * p.inSize(), false, 9), g = input(p.count() * p.outSize(), false, 10);
        float[] out = new float[p.count() * p.outSize()], grad = garbage(p.count() * p.inSize());
        REFERENCE.upsampleBilinear2d(p, c.alignCorners(), c.ratioH(), c.ratioW(), x, OFFSET, out);
        REFERENCE.upsampleBilinear2dBackward(p, c.alignCorners(), c.ratioH(), c.ratioW(), g, OFFSET, grad);
        for (PoolKernels fast : FAST) {
            onThreads(fast, k -> {
                float[] o = new float[out.length], dx = garbage(grad.length);
                k.upsampleBilinear2d(p, c.alignCorners(), c.ratioH(), c.ratioW(), x, OFFSET, o);
                k.upsampleBilinear2dBackward(p, c.alignCorners(), c.ratioH(), c.ratioW(), g, OFFSET, dx);
                assertClose(out, o, "bilinear forward");
                assertClose(grad, dx, "bilinear backward");
                return concat(o, dx);
            });
        }
    }

    /** NaN wins a window and infinities compare as numbers, on the fast path and the general one alike. */
    @Test
    void maxPoolSpecialValuesMatchReference() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        float[] x = {9, 9, 9,   // OFFSET
            0, 0, 1, nan, 2, -inf, -inf, 5, nan, 3, 7, -inf, -inf, inf, 1, 2, nan, 4, 4, 9, -1, -2, -3, 8};
        Planes p = new Planes(1, 4, 6, 2, 3);
        for (Window w : List.of(new Window(2, 2, 2, 2, 0, 0, 1, 1), new Window(3, 2, 2, 2, 1, 0, 1, 1))) {
            float[] out = new float[6];
            int[] argmax = new int[6];
            REFERENCE.maxPool2d(p, w, x, OFFSET, out, argmax);
            for (PoolKernels fast : FAST) {
                float[] o = new float[6];
                int[] a = new int[6];
                fast.maxPool2d(p, w, x, OFFSET, o, a);
                assertArrayEquals(out, o, fast + " " + w);
                assertArrayEquals(argmax, a, fast + " " + w);
            }
        }
    }

    @Test
    void indexRulesFollowPyTorch() {
        assertEquals(0, PoolKernels.adaptiveStart(0, 5, 2));
        assertEquals(3, PoolKernels.adaptiveEnd(0, 5, 2));   // windows [0, 3) and [2, 5) overlap
        assertEquals(2, PoolKernels.adaptiveStart(1, 5, 2));
        assertEquals(1, PoolKernels.nearestSource(3, 4, 8, 0.5));
        assertEquals(2, PoolKernels.nearestSource(2, 3, 3, 0.9));   // same size: the identity, whatever the scale
        assertEquals(0.0, PoolKernels.bilinearSource(0, false, 0.5));   // −0.25 clamps to 0
        assertEquals(1.25, PoolKernels.bilinearSource(3, false, 0.5));
    }

    // ------------------------------------------------------------------ helpers

    private interface Run {
        float[] on(PoolKernels k);
    }

    /** Runs at 1 and 2 threads; both runs must give the same bits. */
    private static void onThreads(PoolKernels k, Run run) {
        Parallel.setThreads(1);
        float[] one = run.on(k);
        Parallel.setThreads(2);
        float[] two = run.on(k);
        if (!Arrays.equals(one, two)) fail(k + ": results differ between 1 and 2 threads");
    }

    /** Values at {@code OFFSET} onward, after a prefix of garbage; with {@code ties}, many equal values. */
    private static float[] input(int n, boolean ties, long seed) {
        Generator g = new Generator(seed * 7919 + n);
        float[] x = new float[OFFSET + n];
        for (int i = 0; i < x.length; i++) {
            x[i] = i < OFFSET ? 1e6f : ties ? g.nextInt(3) - 1 : (float) g.nextGaussian();
        }
        return x;
    }

    private static float[] garbage(int n) {
        float[] g = new float[n];
        Arrays.fill(g, Float.NaN);
        return g;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Float against double accumulation: within 1e-5 relative to the magnitude. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.abs(expected[i])))) {
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
