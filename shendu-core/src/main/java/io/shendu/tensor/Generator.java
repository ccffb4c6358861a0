package io.shendu.tensor;

/**
 * A seeded random-number generator (xoshiro256**, seeded through SplitMix64). Every random op takes one
 * explicitly, so a run is reproducible from its seed; the state can be saved and restored for exact resumption.
 * Not thread-safe: give each thread its own, e.g. through {@link #split()}.
 */
public final class Generator {

    private static final Generator DEFAULT = new Generator(0);

    private long s0, s1, s2, s3;
    private double spareNormal;
    private boolean hasSpare;

    public Generator(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    /**
     * The documented default used where no generator is passed (layer initialisation in constructors without
     * one): seeded with 0 at start-up and re-seeded by {@link #manualSeed}, as PyTorch's {@code torch.manual_seed}.
     * Pass an explicit generator wherever reproducibility across threads matters.
     */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Re-seeds {@link #defaultGenerator()}. */
    public static void manualSeed(long seed) {
        synchronized (DEFAULT) {
            DEFAULT.setState(new Generator(seed).state());
        }
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) as a float. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        long r = nextLong() >>> 33;
        long m = r * bound;
        return (int) (m >>> 31);
    }

    /** Standard normal, by the Marsaglia polar method. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareNormal = v * f;
        hasSpare = true;
        return u * f;
    }

    /** A new generator seeded from this one, for a worker thread. */
    public Generator split() {
        return new Generator(nextLong());
    }

    /** The complete state, for checkpoints. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareNormal)};
    }

    /** Restores a state returned by {@link #state()}. */
    public void setState(long[] state) {
        if (state.length != 6) throw new IllegalArgumentException("Generator.setState: expected 6 longs, got " + state.length);
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        hasSpare = state[4] != 0;
        spareNormal = Double.longBitsToDouble(state[5]);
    }
}
