package io.shendu.data;

/**
 * Derives independent seeds from a base seed and counters (epoch, example index) by SplitMix64 hashing, so a
 * random choice depends on what it is for and never on which thread makes it or when.
 */
final class Seeds {

    private Seeds() {}

    static long derive(long seed, long... keys) {
        long h = mix(seed);
        for (long key : keys) h = mix(h ^ mix(key));
        return h;
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014), applied after its golden-ratio increment. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
