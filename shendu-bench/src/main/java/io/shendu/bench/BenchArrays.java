package io.shendu.bench;

import java.util.Random;

/** Benchmark operands. */
final class BenchArrays {

    private BenchArrays() {}

    /** {@code size} values uniform in [−0.5, 0.5). */
    static float[] uniform(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rng.nextFloat() - 0.5f;
        return x;
    }
}
