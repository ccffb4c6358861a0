package io.shendu.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * The optional OpenBLAS route: its results against a double-precision loop, the shape rule that sends calls
 * to it, and the ways it is refused. Each test asserts real values both where the library is installed and
 * where it is not; {@link #libraryExpected()} says which of the two this machine is.
 */
@ExtendWith(RestoreThreads.class)
class NativeBlasTest {


    /** Whether {@link NativeBlas#system()} should have bound OpenBLAS on this machine. */
    private static boolean libraryExpected() {
        String setting = System.getProperty("shendu.blas");
        boolean installed = setting != null && !setting.isBlank()
                ? !setting.trim().equalsIgnoreCase("off") && Files.isRegularFile(Path.of(setting.trim()))
                : NativeBlas.DEFAULT_PLACES.stream().anyMatch(p -> p.contains("/") && Files.isRegularFile(Path.of(p)));
        return installed && NativeBlas.class.getModule().isNativeAccessEnabled();
    }

    @Test
    void nativeAccessIsEnabledUnderTest() {
        // Surefire passes --enable-native-access=ALL-UNNAMED, so where OpenBLAS is installed it is under test.
        assertTrue(NativeBlas.class.getModule().isNativeAccessEnabled());
    }

    /** The library as {@link NativeBlas#system()} finds it, accepted whatever kernels it runs here. */
    private static NativeBlas anyCore() {
        return AnyCoreHolder.INSTANCE;
    }

    private static final class AnyCoreHolder {
        static final NativeBlas INSTANCE = NativeBlas.load(System.getProperty("shendu.blas"), core -> true);
    }

    @Test
    void systemBindingIsThereExactlyWhenTheLibraryIsAndItsKernelsWereMeasured() {
        NativeBlas any = anyCore();
        assertEquals(libraryExpected(), any.available(), any.status());
        NativeBlas blas = NativeBlas.system();
        assertEquals(any.available() && NativeBlas.measuredCore(any.core()), blas.available(), blas.status());
        if (any.available() && !blas.available()) {
            assertTrue(blas.status().startsWith("not used: OpenBLAS runs its " + any.core() + " kernels"),
                    blas.status());
        }
        if (any.available()) {
            assertTrue(any.status().startsWith("OpenBLAS"), any.status());
            assertTrue(any.status().contains("(" + any.core() + " kernels)"), any.status());
            List<String> copies = NativeBlas.mappedOpenBlas();
            assertNotNull(copies);
            assertEquals(1, copies.size(), copies.toString());
            assertTrue(any.status().contains(copies.getFirst()), any.status());
        } else {
            assertTrue(blas.status().startsWith("not used: "), blas.status());
            assertThrows(IllegalStateException.class, () -> any.sgemm(SgemmProblem.random(new Random(1), 2, 2, 2).call()));
        }
    }

    @Test
    void measuredKernelSets() {
        assertTrue(NativeBlas.measuredCore("SkylakeX"));
        assertTrue(NativeBlas.measuredCore("Cooperlake"));
        assertFalse(NativeBlas.measuredCore("Prescott"));
        assertFalse(NativeBlas.measuredCore("Haswell"));
    }

    @Test
    void refusedKernelsLeaveTheJavaPath() {
        NativeBlas none = NativeBlas.load(System.getProperty("shendu.blas"), core -> false);
        assertFalse(none.available());
        assertEquals(libraryExpected(), none.status().startsWith("not used: OpenBLAS runs its "), none.status());
        assertEquals(javaPath(), Sgemm.choose(SgemmProblem.random(new Random(2), 300, 300, 300).call(), true, none));
    }

    @Test
    void nativeMatchesReferenceOnRandomShapes() {
        NativeBlas blas = anyCore();
        Random rng = new Random(11);
        int checked = 0;
        for (int trial = 0; trial < 60; trial++) {
            int m = 1 + rng.nextInt(trial < 40 ? 40 : 300), n = 1 + rng.nextInt(trial < 40 ? 40 : 300);
            SgemmProblem pr = SgemmProblem.random(rng, m, n, 1 + rng.nextInt(trial < 40 ? 40 : 300));
            Parallel.setThreads(1 + trial % 2);
            if (blas.available()) {
                float[] out = pr.c().clone();
                blas.sgemm(pr.callInto(out));
                pr.compare(out, "native");
                checked++;
            }
            // Whatever path the dispatch takes on this machine, the public entry must give the same answer.
            float[] out = pr.c().clone();
            Sgemm.sgemm(pr.transA(), pr.transB(), pr.m(), pr.n(), pr.k(), pr.alpha(), pr.a(), pr.aOff(), pr.lda(), pr.b(), pr.bOff(),
                    pr.ldb(), pr.beta(), out, pr.cOff(), pr.ldc());
            pr.compare(out, "sgemm");
        }
        assertEquals(blas.available() ? 60 : 0, checked);
    }

    @Test
    void nativeOnDispatchedShapesWithAllTransposesAndNaNBeforeBetaZero() {
        Random rng = new Random(5);
        int[][] shapes = {{150, 160, 170}, {259, 273, 257}, {20, 30, 500}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                SgemmProblem pr = SgemmProblem.random(rng, t >= 2, t % 2 == 1, s[0], s[1], s[2]);
                var call = pr.call();
                assertEquals(NativeBlas.system().available() ? Sgemm.Path.NATIVE : javaPath(),
                        Sgemm.choose(call, true, NativeBlas.system()));
                assertEquals(anyCore().available() ? Sgemm.Path.NATIVE : javaPath(),
                        Sgemm.choose(call, true, anyCore()));
                SgemmProblem zeroBeta = pr.withBeta(0f);
                float[] out = zeroBeta.c().clone();
                for (int i = 0; i < zeroBeta.m(); i++) {
                    Arrays.fill(out, zeroBeta.cOff() + i * zeroBeta.ldc(), zeroBeta.cOff() + i * zeroBeta.ldc() + zeroBeta.n(),
                            Float.NaN);
                }
                float[] viaNative = out.clone();
                Sgemm.sgemm(pr.transA(), pr.transB(), pr.m(), pr.n(), pr.k(), pr.alpha(), pr.a(), pr.aOff(), pr.lda(), pr.b(), pr.bOff(),
                        pr.ldb(), 0f, out, pr.cOff(), pr.ldc());
                zeroBeta.compare(out, "sgemm beta=0");
                if (anyCore().available()) {
                    anyCore().sgemm(zeroBeta.callInto(viaNative));
                    zeroBeta.compare(viaNative, "native beta=0");
                }
            }
        }
    }

    @Test
    void openBlasThreadCountFollowsParallel() {
        NativeBlas blas = anyCore();
        for (int threads : new int[] {1, 2, 1}) {
            Parallel.setThreads(threads);
            SgemmProblem pr = SgemmProblem.random(new Random(threads), 20, 30, 40);
            if (blas.available()) {
                float[] out = pr.c().clone();
                blas.sgemm(pr.callInto(out));
                pr.compare(out, "native");
                assertEquals(threads, blas.nativeThreads(), blas.status());
                assertTrue(blas.status().endsWith(", " + threads + " threads"), blas.status());
            } else {
                assertEquals(0, blas.nativeThreads());
            }
        }
    }

    @Test
    void dispatchRuleAsDocumented() {
        // Squares: 64³ … 100³ native, 128³ Java (2.1M multiply-adds), 160³ and up native.
        int[][] nativeShapes = {{64, 64, 64}, {80, 80, 80}, {100, 100, 100}, {160, 160, 160}, {256, 256, 256},
            {2048, 2048, 2048},
            // MLP 784→256 at batch 64: forward X·Wᵀ, dX = dY·W, dW = dYᵀ·X; bncnn's fc 3136→128 likewise
            {64, 256, 784}, {64, 784, 256}, {256, 784, 64}, {64, 128, 3136}, {64, 3136, 128}, {128, 3136, 64},
            // LeNet conv2 per image as im2col, and a 3×3 64→64 convolution on 112×112×2
            {16, 100, 150}, {64, 25088, 576}};
        for (int[] s : nativeShapes) assertTrue(Sgemm.prefersNative(s[0], s[1], s[2]), Arrays.toString(s));
        // MLP 256→128 at batch 64 (all three 2.1M) and 128³.
        int[][] javaShapes = {{128, 128, 128}, {64, 128, 256}, {64, 256, 128}, {128, 256, 64}};
        for (int[] s : javaShapes) assertFalse(Sgemm.prefersNative(s[0], s[1], s[2]), Arrays.toString(s));
        // The band's edges, in multiply-adds: [2²⁰, 3·2²⁰) stays in Java.
        assertTrue(Sgemm.prefersNative(1023, 1024, 1));
        assertFalse(Sgemm.prefersNative(1024, 1024, 1));
        assertFalse(Sgemm.prefersNative(3 * 1024 - 1, 1024, 1));
        assertTrue(Sgemm.prefersNative(3 * 1024, 1024, 1));
    }

    @Test
    void switchedOffYieldsTheJavaPath() {
        NativeBlas off = NativeBlas.load("off");
        assertFalse(off.available());
        assertEquals("not used: switched off (shendu.blas=off)", off.status());
        assertEquals(0, off.nativeThreads());
        SgemmProblem pr = SgemmProblem.random(new Random(3), false, true, 300, 280, 260);
        assertEquals(javaPath(), Sgemm.choose(pr.call(), true, off));
        assertEquals(Sgemm.Path.PLAIN, Sgemm.choose(pr.call(), false, off));
        assertEquals(Sgemm.Path.DIRECT, Sgemm.choose(SgemmProblem.random(new Random(4), 8, 8, 8).call(), true, off));
    }

    @Test
    void missingLibraryIsExplainedAndGemmsStillWork() {
        String nowhere = "/nonexistent/shendu-test/libopenblas.so.0";
        NativeBlas missing = NativeBlas.load(nowhere);
        assertFalse(missing.available());
        assertEquals("not used: no OpenBLAS found (looked for " + nowhere + ")", missing.status());
        var e = assertThrows(IllegalStateException.class,
                () -> missing.sgemm(SgemmProblem.random(new Random(1), 3, 3, 3).call()));
        assertTrue(e.getMessage().contains("no OpenBLAS found"), e.getMessage());

        SgemmProblem pr = SgemmProblem.random(new Random(9), true, false, 270, 300, 290);
        Sgemm.Path path = Sgemm.choose(pr.call(), true, missing);
        assertEquals(javaPath(), path);
        float[] out = pr.c().clone();
        Sgemm.run(pr.callInto(out), path);
        pr.compare(out, path.toString());
    }

    @Test
    void aLibraryWithoutCblasIsRefused() {
        String libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so").toString();
        NativeBlas refused = NativeBlas.load(libjava, core -> true);
        assertFalse(refused.available());
        assertEquals("not used: " + libjava + " has no cblas_sgemm", refused.status());
    }

    private static Sgemm.Path javaPath() {
        return VectorSupport.available() ? Sgemm.Path.VECTOR : Sgemm.Path.PLAIN;
    }
}
