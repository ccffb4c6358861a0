package io.shendu.optim;

/** Validation of hyper-parameters, with PyTorch's names in the messages. */
final class Checks {

    private Checks() {}

    static void nonNegative(String owner, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a finite number >= 0, got " + value);
        }
    }

    /** {@code 0 ≤ value < 1}, as a decay rate (β, ρ, α of a moving average). */
    static void decayRate(String owner, String name, double value) {
        if (!(value >= 0 && value < 1)) throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1), got " + value);
    }

    /** {@code 0 ≤ value ≤ 1}. */
    static void fraction(String owner, String name, double value) {
        if (!(value >= 0 && value <= 1)) throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1], got " + value);
    }

    static void positive(String owner, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a finite number > 0, got " + value);
        }
    }
}
