package io.shendu.nn;

/** How a loss combines its per-element values. */
public enum Reduction {
    /** Keep one value per element. */
    NONE,
    /** Average (for weighted losses, divided by the total weight). */
    MEAN,
    /** Add up. */
    SUM
}
