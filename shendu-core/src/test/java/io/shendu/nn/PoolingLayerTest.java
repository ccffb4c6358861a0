package io.shendu.nn;

import io.shendu.nn.AvgPool1d.AvgPool1dOptions;
import io.shendu.nn.AvgPool2d.AvgPool2dOptions;
import io.shendu.nn.MaxPool1d.MaxPool1dOptions;
import io.shendu.nn.MaxPool2d.MaxPool2dOptions;
import io.shendu.nn.Upsample.Interpolation;
import io.shendu.nn.Upsample.UpsampleOptions;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pooling, dropout, embedding and upsampling layers: output shapes (with PyTorch's ceil-mode rule), small
 * hand-computed values, dropout's statistics and reproducibility, the embedding's padding row, and error
 * messages that name the layer. Values against PyTorch are in the fixtures, gradients in the gradient table.
 */
class PoolingLayerTest {

    private static Tensor arange(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return Tensor.arange(n).reshape(shape);
    }

    // ------------------------------------------------------------------ shapes

    @Test
    void maxPoolShapes() {
        assertArrayEquals(new int[] {2, 3, 14, 14}, new MaxPool2d(2).forward(Tensor.zeros(2, 3, 28, 28)).shape());
        assertArrayEquals(new int[] {1, 1, 2, 3}, new MaxPool2d(2).forward(Tensor.zeros(1, 1, 5, 7)).shape());
        assertArrayEquals(new int[] {1, 1, 3, 4},
                new MaxPool2d(MaxPool2dOptions.of(2).withCeilMode(true)).forward(Tensor.zeros(1, 1, 5, 7)).shape());
        assertArrayEquals(new int[] {3, 2, 2}, new MaxPool2d(2).forward(Tensor.zeros(3, 4, 4)).shape());   // unbatched
        assertArrayEquals(new int[] {2, 3, 4}, new MaxPool1d(2).forward(Tensor.zeros(2, 3, 9)).shape());
        assertArrayEquals(new int[] {3, 4}, new MaxPool1d(2).forward(Tensor.zeros(3, 8)).shape());
        assertArrayEquals(new int[] {1, 1, 4}, new MaxPool1d(MaxPool1dOptions.of(2).withStride(1).withDilation(3))
                .forward(Tensor.zeros(1, 1, 7)).shape());
    }

    /** Ceil mode rounds up, unless the last window would start in the right padding. */
    @Test
    void ceilModeLastWindowMustStartInsideInputOrLeftPadding() {
        // L = 5, kernel 3, stride 3, padding 1: ceil((5 + 2 − 3)/3) + 1 = 3, but window 2 would start at 6 − 1 = 5,
        // past the input, so PyTorch drops it
        var max = MaxPool1dOptions.of(3).withStride(3).withPadding(1).withCeilMode(true);
        assertArrayEquals(new int[] {1, 1, 2}, new MaxPool1d(max).forward(Tensor.zeros(1, 1, 5)).shape());
        var avg = AvgPool1dOptions.of(3).withStride(3).withPadding(1).withCeilMode(true);
        assertArrayEquals(new int[] {1, 1, 2}, new AvgPool1d(avg).forward(Tensor.zeros(1, 1, 5)).shape());
        // L = 7, kernel 2, stride 3, padding 1: ceil gives 4, the rule 3
        var max2d = MaxPool2dOptions.of(2).withStride(3).withPadding(1).withCeilMode(true);
        assertArrayEquals(new int[] {1, 1, 3, 3}, new MaxPool2d(max2d).forward(Tensor.zeros(1, 1, 7, 7)).shape());
        // a partial last window that starts inside the input is kept: L = 6, kernel 3, stride 2
        var partial = MaxPool2dOptions.of(3).withStride(2).withCeilMode(true);
        assertArrayEquals(new int[] {1, 1, 3, 3}, new MaxPool2d(partial).forward(Tensor.zeros(1, 1, 6, 6)).shape());
    }

    // ------------------------------------------------------------------ values

    @Test
    void maxPoolValuesAndIndices() {
        Tensor x = arange(1, 1, 4, 4);
        assertArrayEquals(new float[] {5, 7, 13, 15}, new MaxPool2d(2).forward(x).toFloatArray());
        Tensor.MaxResult r = PoolFunctional.maxPool2dWithIndices(x.neg(), MaxPool2dOptions.of(2));
        assertArrayEquals(new float[] {0, -2, -8, -10}, r.values().toFloatArray());
        assertArrayEquals(new int[] {0, 2, 8, 10}, r.indices().toIntArray());   // flat h·W + w, as PyTorch
        Tensor.MaxResult unbatched = PoolFunctional.maxPool2dWithIndices(arange(1, 4, 4), MaxPool2dOptions.of(2));
        assertArrayEquals(new int[] {1, 2, 2}, unbatched.indices().shape());
        assertArrayEquals(new int[] {5, 7, 13, 15}, unbatched.indices().toIntArray());
    }

    @Test
    void avgPoolDivisors() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 1, 3);
        // ceil mode: the last window [2, 4) holds one element; count_include_pad divides by the window clipped to
        // input + padding, which is 1 here
        var ceil = AvgPool1dOptions.of(2).withCeilMode(true);
        assertArrayEquals(new float[] {1.5f, 3f}, new AvgPool1d(ceil).forward(x).toFloatArray());
        // padding 1, kernel 3, stride 2: [pad, 1, 2] / 3 and [2, 3, pad] / 3 with the pad, / 2 without
        var pad = AvgPool1dOptions.of(3).withStride(2).withPadding(1);
        assertArrayEquals(new float[] {1f, 5f / 3}, new AvgPool1d(pad).forward(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1.5f, 2.5f},
                new AvgPool1d(pad.withCountIncludePad(false)).forward(x).toFloatArray(), 1e-6f);
        var override = AvgPool2dOptions.of(2).withDivisorOverride(1);
        assertArrayEquals(new float[] {4, 4}, new AvgPool2d(override).forward(Tensor.ones(1, 2, 2, 2)).toFloatArray());
    }

    @Test
    void adaptiveAndGlobalAveragePooling() {
        Tensor x = Tensor.randn(new Generator(1), 2, 3, 4, 5);
        Tensor global = AdaptiveAvgPool2d.global().forward(x);
        assertArrayEquals(new int[] {2, 3, 1, 1}, global.shape());
        assertArrayEquals(x.mean(new int[] {2, 3}, true).toFloatArray(), global.toFloatArray(), 1e-6f);
        assertArrayEquals(global.toFloatArray(), PoolFunctional.globalAvgPool2d(x).toFloatArray());
        // 5 rows into 2 windows: [0, 3) and [2, 5), overlapping at row 2
        Tensor col = Tensor.of(new float[] {0, 1, 2, 3, 4}, 1, 1, 5, 1);
        assertArrayEquals(new float[] {1, 3}, new AdaptiveAvgPool2d(2, 1).forward(col).toFloatArray());
    }

    @Test
    void upsampleNearestAndBilinear() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                new Upsample(2, Interpolation.NEAREST).forward(x).toFloatArray());
        // align corners: the corners stay, the centre is the mean
        Tensor aligned = new Upsample(UpsampleOptions.size(3, 3).withMode(Interpolation.BILINEAR).withAlignCorners(true))
                .forward(x);
        assertArrayEquals(new float[] {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}, aligned.toFloatArray(), 1e-6f);
        // without: output pixel 0 of a 2× upsample reads source −0.25, clamped to 0; pixel 1 reads 0.25
        Tensor half = new Upsample(2, Interpolation.BILINEAR).forward(x);
        assertEquals(1f, half.get(0, 0, 0, 0));
        assertEquals(1.25f, half.get(0, 0, 0, 1), 1e-6f);
    }

    // ------------------------------------------------------------------ dropout

    @Test
    void dropoutIsIdentityInEvalAndLeavesTheGeneratorAlone() {
        Generator gen = new Generator(5);
        Dropout d = new Dropout(0.5, gen);
        d.eval();
        long[] before = gen.state();
        Tensor x = Tensor.randn(new Generator(1), 4, 5);
        assertSame(x, d.forward(x));
        assertArrayEquals(before, gen.state());
        Dropout2d d2 = new Dropout2d(0.5, gen);
        d2.eval();
        Tensor img = Tensor.randn(new Generator(1), 2, 3, 4, 4);
        assertSame(img, d2.forward(img));
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRest() {
        double p = 0.3;
        Tensor x = Tensor.ones(200_000);
        float[] y = new Dropout(p, new Generator(3)).forward(x).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / (1 - p), v, 1e-6);
        }
        // σ of the zero fraction is √(p(1−p)/n) ≈ 0.001; 0.006 is six of them
        assertEquals(p, zeros / (double) y.length, 0.006);
        double mean = 0;
        for (float v : y) mean += v;
        assertEquals(1, mean / y.length, 0.01);   // inverted dropout keeps the expectation
    }

    @Test
    void dropoutIsReproduciblePerSeed() {
        Tensor x = Tensor.randn(new Generator(1), 8, 16);
        Tensor a = new Dropout(0.5, new Generator(42)).forward(x);
        Tensor b = new Dropout(0.5, new Generator(42)).forward(x);
        Tensor c = new Dropout(0.5, new Generator(43)).forward(x);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertNotEquals(java.util.Arrays.toString(a.toFloatArray()), java.util.Arrays.toString(c.toFloatArray()));
        // a per-call generator overrides the module's
        Dropout d = new Dropout(0.5, new Generator(7));
        assertArrayEquals(a.toFloatArray(), d.forward(x, new Generator(42)).toFloatArray());
        // p = 0 and p = 1
        assertSame(x, new Dropout(0).forward(x));
        assertArrayEquals(new float[x.numel()], new Dropout(1).forward(x).toFloatArray());
    }

    @Test
    void dropout2dZeroesWholeChannels() {
        Tensor x = Tensor.ones(50, 40, 3, 2);
        Tensor y = new Dropout2d(0.25, new Generator(9)).forward(x);
        int dropped = 0;
        for (int n = 0; n < 50; n++) {
            for (int c = 0; c < 40; c++) {
                float[] plane = y.select(0, n).select(0, c).toFloatArray();
                for (float v : plane) assertEquals(plane[0], v);   // all or nothing per channel
                if (plane[0] == 0) dropped++;
                else assertEquals(1 / 0.75, plane[0], 1e-6);
            }
        }
        assertEquals(0.25, dropped / 2000.0, 0.06);   // σ ≈ 0.01
    }

    // ------------------------------------------------------------------ embedding

    @Test
    void embeddingLooksUpRowsAndAccumulatesRepeatedIndices() {
        Embedding e = new Embedding(10, 4, new Generator(2));
        Tensor idx = Tensor.ofInts(new int[] {1, 3, 3, 9, 0, 1}, 2, 3);
        Tensor y = e.forward(idx);
        assertArrayEquals(new int[] {2, 3, 4}, y.shape());
        assertArrayEquals(e.weight().select(0, 3).toFloatArray(), y.select(0, 0).select(0, 1).toFloatArray());
        y.sum().backward();
        float[] g = e.weight().grad().toFloatArray();
        assertEquals(2f, g[4 * 3]);   // row 3 appears twice
        assertEquals(0f, g[4 * 2]);   // row 2 never
    }

    @Test
    void embeddingPaddingRowStartsAtZeroAndGetsNoGradient() {
        Embedding e = new Embedding(6, 3, 0, new Generator(2));
        assertArrayEquals(new float[3], e.weight().select(0, 0).toFloatArray());
        Tensor idx = Tensor.ofInts(new int[] {0, 2, 0, 5}, 4);
        e.forward(idx).sum().backward();
        float[] g = e.weight().grad().toFloatArray();
        assertArrayEquals(new float[3], java.util.Arrays.copyOfRange(g, 0, 3));
        assertArrayEquals(new float[] {1, 1, 1}, java.util.Arrays.copyOfRange(g, 6, 9));
        assertEquals(5, new Embedding(6, 3, -1).paddingIdx());   // negative counts from the end
    }

    @Test
    void embeddingInitIsStandardNormal() {
        float[] w = new Embedding(1000, 16, new Generator(4)).weight().toFloatArray();
        double mean = 0, sq = 0;
        for (float v : w) {
            mean += v;
            sq += v * v;
        }
        mean /= w.length;
        assertEquals(0, mean, 0.03);
        assertEquals(1, Math.sqrt(sq / w.length - mean * mean), 0.03);
    }

    // ------------------------------------------------------------------ errors and threads

    @Test
    void errorsNameTheLayer() {
        assertMessage("MaxPool2d:", () -> new MaxPool2d(2).forward(Tensor.zeros(4, 4)));
        assertMessage("MaxPool2d:", () -> new MaxPool2d(3).forward(Tensor.zeros(1, 1, 2, 2)));
        assertMessage("MaxPool2d: padding 2", () -> MaxPool2dOptions.of(2).withPadding(2));
        assertMessage("MaxPool1d:", () -> MaxPool1dOptions.of(2).withStride(0));
        assertMessage("AvgPool2d:", () -> AvgPool2dOptions.of(2).withDivisorOverride(-1));
        assertMessage("AvgPool1d:", () -> new AvgPool1d(2).forward(Tensor.zeros(1, 1, 1, 4)));
        assertMessage("AdaptiveAvgPool2d:", () -> new AdaptiveAvgPool2d(0));
        assertMessage("AdaptiveAvgPool2d:", () -> new AdaptiveAvgPool2d(2).forward(Tensor.zeros(5)));
        assertMessage("Upsample:", () -> UpsampleOptions.size(4, 4).withAlignCorners(true));
        assertMessage("Upsample:", () -> new Upsample(2, Interpolation.NEAREST).forward(Tensor.zeros(1, 4, 4)));
        assertMessage("Dropout:", () -> new Dropout(1.5));
        assertMessage("Dropout2d:", () -> new Dropout2d(0.5).forward(Tensor.zeros(4, 4)));
        assertMessage("Embedding:", () -> new Embedding(4, 2).forward(Tensor.ofInts(new int[] {4}, 1)));
        assertMessage("Embedding:", () -> new Embedding(4, 2, 4));
        assertMessage("Embedding:", () -> new Embedding(4, 2).forward(Tensor.zeros(3)));
    }

    private static void assertMessage(String prefix, Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected '" + prefix + "...', got: " + e.getMessage());
    }

    /** Modules keep no per-call state: one instance serves several threads at once. */
    @Test
    void modulesServeConcurrentCalls() throws Exception {
        Module net = new Sequential(new MaxPool2d(2), new AvgPool2d(AvgPool2dOptions.of(3).withStride(1).withPadding(1)),
                new Upsample(2, Interpolation.BILINEAR), new Dropout(0.5), AdaptiveAvgPool2d.global());
        net.eval();
        Tensor x = Tensor.randn(new Generator(8), 2, 3, 16, 16);
        float[] expected = net.forward(x).toFloatArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) results.add(pool.submit(() -> net.forward(x).toFloatArray()));
            for (Future<float[]> r : results) assertArrayEquals(expected, r.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void describeShowsTheOptions() {
        assertEquals("MaxPool2d(kernelSize=[2, 2], stride=[2, 2], padding=[0, 0], dilation=[1, 1], ceilMode=false)",
                new MaxPool2d(2).describe());
        assertEquals("Embedding(10, 4, paddingIdx=0)", new Embedding(10, 4, 0).describe());
        assertEquals("Upsample(scaleFactor=[2.0, 2.0], mode=BILINEAR)", new Upsample(2, Interpolation.BILINEAR).describe());
    }
}
