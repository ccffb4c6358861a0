package io.shendu.nn;

/**
 * One reusable float array per platform thread, for an intermediate that lives only within one call of a fused
 * op: a convolution output that is pooled as soon as it is computed, or the gradient that goes straight into the
 * convolution's backward kernels. Reusing it spares the training step a fresh array per call (which the JVM must
 * zero, and which arrives cold in the cache).
 *
 * <p>A caller must be done with the array before anything else on its thread asks for one; the fused ops hold it
 * only across kernel calls. Arrays longer than {@link #MAX_KEPT}, and all arrays of virtual threads (there may be
 * millions of them), are allocated per call and not kept.
 */
final class Scratch {

    /** The longest array kept per thread: 4 Mi floats, 16 MiB. */
    static final int MAX_KEPT = 1 << 22;

    private static final ThreadLocal<float[]> KEPT = new ThreadLocal<>();

    private Scratch() {}

    /** An array of at least {@code n} floats with undefined contents. */
    static float[] floats(int n) {
        if (n > MAX_KEPT || Thread.currentThread().isVirtual()) return new float[n];
        float[] a = KEPT.get();
        if (a == null || a.length < n) {
            a = new float[n];
            KEPT.set(a);
        }
        return a;
    }
}
