package io.shendu.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/** Checks every SGEMM path against a double-accumulating triple loop. */
@ExtendWith(RestoreThreads.class)
class SgemmTest {


    /** The paths this JVM can run: the vector one only where jdk.incubator.vector is present. */
    private static List<Sgemm.Path> paths() {
        List<Sgemm.Path> paths = new ArrayList<>(List.of(Sgemm.Path.DIRECT, Sgemm.Path.PLAIN));
        if (VectorSupport.available()) paths.add(Sgemm.Path.VECTOR);
        return paths;
    }

    @Test
    void vectorPathIsCoveredWhereTheModuleIsPresent() {
        // Surefire adds --add-modules jdk.incubator.vector, so the fast path must be under test here.
        assertTrue(VectorSupport.available() || "false".equals(System.getProperty("shendu.vector")));
    }

    @Test
    void randomSmallShapes() {
        Random rng = new Random(42);
        for (int trial = 0; trial < 120; trial++) {
            SgemmProblem pr = SgemmProblem.random(rng, 1 + rng.nextInt(70), 1 + rng.nextInt(70), 1 + rng.nextInt(70));
            Parallel.setThreads(1 + trial % 2);
            double[][] expected = pr.reference();
            for (Sgemm.Path path : paths()) pr.check(path, expected);
            pr.checkPublic(expected);
        }
    }

    @Test
    void namedShapes() {
        int[][] shapes = {{1, 1, 1}, {1, 1000, 3}, {257, 129, 65}, {13, 37, 600}, {1000, 1, 3}, {7, 1, 300},
            {40, 1100, 280}, {1100, 20, 280}, {1600, 24, 8}, {64, 700, 70}};
        Random rng = new Random(7);
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                SgemmProblem pr = SgemmProblem.random(rng, t >= 2, t % 2 == 1, s[0], s[1], s[2]);
                double[][] expected = pr.reference();
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    for (Sgemm.Path path : paths()) pr.check(path, expected);
                    pr.checkPublic(expected);
                }
            }
        }
    }

    @Test
    void betaZeroOverwritesNaN() {
        Random rng = new Random(3);
        for (int[] s : new int[][] {{5, 7, 3}, {70, 90, 40}, {130, 33, 300}}) {
            SgemmProblem pr = SgemmProblem.random(rng, s[0], s[1], s[2]).withBeta(0f);
            Arrays.fill(pr.c(), Float.NaN);
            double[][] expected = pr.reference();
            for (Sgemm.Path path : paths()) pr.check(path, expected);
            pr.checkPublic(expected);
        }
    }

    @Test
    void emptyDimensions() {
        float[] c = {1f, 2f, 3f, 4f, 5f, 6f};
        // k == 0: C = beta · C
        Sgemm.sgemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 0.5f, c, 0, 3);
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f, 2.5f, 3f}, c);
        Sgemm.sgemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 0f, c, 0, 3);
        assertArrayEquals(new float[6], c);
        // m == 0 or n == 0: nothing to do, nothing touched
        float[] d = {Float.NaN};
        Sgemm.sgemm(false, false, 0, 5, 4, 1f, new float[0], 0, 4, new float[20], 0, 5, 0f, d, 0, 5);
        Sgemm.sgemm(true, true, 3, 0, 4, 1f, new float[12], 0, 3, new float[0], 0, 4, 0f, d, 0, 1);
        assertTrue(Float.isNaN(d[0]));
    }

    @Test
    void rejectsBadArguments() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        assertRejected(() -> Sgemm.sgemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2), "m=-1");
        assertRejected(() -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2), "lda 2 < 3");
        assertRejected(() -> Sgemm.sgemm(false, true, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2), "ldb 2 < 3");
        assertRejected(() -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 1), "ldc 1 < 2");
        assertRejected(() -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2), "array a");
        assertRejected(() -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 1, 2), "array c");
    }

    private static void assertRejected(Runnable call, String fragment) {
        var e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith("sgemm: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void assertArrayEquals(float[] expected, float[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
