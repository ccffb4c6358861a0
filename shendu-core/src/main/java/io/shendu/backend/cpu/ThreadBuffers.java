package io.shendu.backend.cpu;

/**
 * Float arrays a kernel keeps per thread and reuses across calls, grown on demand: {@code slots} independent arrays
 * per thread (an unfolded block, an output block, ...), so the hot loop allocates nothing.
 */
final class ThreadBuffers {

    private final ThreadLocal<float[][]> arrays;

    ThreadBuffers(int slots) {
        arrays = ThreadLocal.withInitial(() -> new float[slots][0]);
    }

    /** This thread's array in {@code slot}, at least {@code size} floats, with undefined contents. */
    float[] get(int slot, int size) {
        float[][] held = arrays.get();
        if (held[slot].length < size) held[slot] = new float[size];
        return held[slot];
    }
}
