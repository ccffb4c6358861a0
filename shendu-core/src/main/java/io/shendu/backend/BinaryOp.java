package io.shendu.backend;

/**
 * Elementwise functions of two same-shaped operands {@code z = f(a, b; p, q)}. The {@code *_BACKWARD} entries
 * are the local derivatives of the {@link UnaryOp}s fused with the upstream gradient: {@code a} is the saved
 * input (or output, as noted) and {@code b} the upstream gradient. Formulas in {@link ScalarMath}.
 */
public enum BinaryOp {
    /** z = a + p·b. */
    ADD,
    /** z = a − p·b. */
    SUB,
    MUL, DIV, MAXIMUM, MINIMUM,
    /** z = a^b. */
    POW,
    /** Comparisons give 1 where true, 0 where false. */
    EQ, NE, LT, LE, GT, GE,
    /** b·1[a > 0], a = input. */
    RELU_BACKWARD,
    /** b·(a > 0 ? 1 : p), a = input. */
    LEAKY_RELU_BACKWARD,
    /** b·(a > 0 ? 1 : p·e^a), a = input. */
    ELU_BACKWARD,
    /** b·y(1 − y), a = output y. */
    SIGMOID_BACKWARD,
    /** b·(1 − y²), a = output y. */
    TANH_BACKWARD,
    /** b·(Φ(a) + a·φ(a)), a = input. */
    GELU_BACKWARD,
    /** derivative of the tanh approximation, a = input. */
    GELU_TANH_BACKWARD,
    /** b·σ(p·a), or b where p·a > q, a = input. */
    SOFTPLUS_BACKWARD,
    /** b·p·a^(p−1), a = input. */
    POW_BACKWARD,
    /** b where p ≤ a ≤ q, else 0, a = input. */
    CLAMP_BACKWARD,
    /** b·sign(a), a = input. */
    ABS_BACKWARD,
}
