package io.shendu.backend;

/**
 * Elementwise maps {@code y = f(x; p, q)} with up to two scalar parameters. The formulas live in
 * {@link ScalarMath}; backends may vectorise them but must agree with it.
 */
public enum UnaryOp {
    /** y = p·x + q (scale and shift; also negation and scalar add/mul). */
    AFFINE,
    EXP, LOG, SQRT, ABS,
    /** y = x^p. */
    POW,
    /** y = min(max(x, p), q); use ±infinity for a missing bound. */
    CLAMP,
    /** y = sign(x) in {-1, 0, 1}. */
    SIGN,
    RELU,
    /** y = x if x > 0 else p·x. */
    LEAKY_RELU,
    /** y = x if x > 0 else p·(e^x − 1). */
    ELU,
    SIGMOID, TANH,
    /** y = x·Φ(x), Φ the standard normal CDF. */
    GELU,
    /** y = 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    GELU_TANH,
    /** y = log(1 + e^(p·x))/p, or x where p·x > q. */
    SOFTPLUS,
    /** y = 1/x. */
    RECIPROCAL,
    /** y = x == p ? 1 : 0 … comparisons against a scalar produce 0/1. */
    EQ_SCALAR, GT_SCALAR, LT_SCALAR, GE_SCALAR, LE_SCALAR,
}
