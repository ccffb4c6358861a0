package io.shendu.backend;

/**
 * The scalar formula of every {@link UnaryOp} and {@link BinaryOp}: the single definition that the reference
 * backend applies element by element and that the fast backend's loops must reproduce.
 */
public final class ScalarMath {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private ScalarMath() {}

    public static float unary(UnaryOp op, float x, float p, float q) {
        return switch (op) {
            case AFFINE -> p * x + q;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case POW -> pow(x, p);
            case CLAMP -> Math.min(Math.max(x, p), q);
            case SIGN -> Math.signum(x);
            case RELU -> Math.max(x, 0f); // NaN stays NaN, as in PyTorch
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case ELU -> x > 0 ? x : (float) (p * Math.expm1(x));
            case SIGMOID -> sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case GELU -> (float) (x * normalCdf(x));
            case GELU_TANH -> (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
            case SOFTPLUS -> p * x > q ? x : (float) (Math.log1p(Math.exp(p * (double) x)) / p);
            case RECIPROCAL -> 1f / x;
            case EQ_SCALAR -> x == p ? 1f : 0f;
            case GT_SCALAR -> x > p ? 1f : 0f;
            case LT_SCALAR -> x < p ? 1f : 0f;
            case GE_SCALAR -> x >= p ? 1f : 0f;
            case LE_SCALAR -> x <= p ? 1f : 0f;
        };
    }

    public static float binary(BinaryOp op, float a, float b, float p, float q) {
        return switch (op) {
            case ADD -> a + p * b;
            case SUB -> a - p * b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> (float) Math.pow(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case RELU_BACKWARD -> a > 0 ? b : 0f;
            case LEAKY_RELU_BACKWARD -> a > 0 ? b : p * b;
            case ELU_BACKWARD -> a > 0 ? b : (float) (b * p * Math.exp(a));
            case SIGMOID_BACKWARD -> b * a * (1 - a);
            case TANH_BACKWARD -> b * (1 - a * a);
            case GELU_BACKWARD -> (float) (b * (normalCdf(a) + a * INV_SQRT_2PI * Math.exp(-0.5 * a * a)));
            case GELU_TANH_BACKWARD -> (float) (b * geluTanhDerivative(a));
            case SOFTPLUS_BACKWARD -> p * a > q ? b : b * sigmoid(p * a);
            case POW_BACKWARD -> p == 0 ? 0f : b * p * pow(a, p - 1);
            case CLAMP_BACKWARD -> a >= p && a <= q ? b : 0f;
            case ABS_BACKWARD -> b * Math.signum(a);
        };
    }

    public static float sigmoid(float x) {
        // Two branches so that e^(-x) never overflows for very negative x.
        if (x >= 0) return (float) (1 / (1 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    /** x^p with the integer-exponent cases exact (x² of a negative x is positive, not NaN). */
    public static float pow(float x, float p) {
        if (p == 2f) return x * x;
        if (p == 1f) return x;
        if (p == 0f) return 1f;
        return (float) Math.pow(x, p);
    }

    /** Φ(x) = (1 + erf(x/√2))/2. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT_2);
    }

    /**
     * The complementary error function, by the Chebyshev fit of Numerical Recipes (3rd ed., §6.2.2):
     * relative error below 1.2e-16 for all x, far below float precision.
     */
    public static double erfc(double x) {
        if (x >= 0) return erfcPositive(x);
        return 2 - erfcPositive(-x);
    }

    private static final double[] ERFC_COEF = {
        -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3,
        -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5,
        -1.624290004647e-6, 1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9,
        5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12,
        8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17
    };

    private static double erfcPositive(double z) {
        double t = 2 / (2 + z);
        double ty = 4 * t - 2;
        double d = 0, dd = 0;
        for (int j = ERFC_COEF.length - 1; j > 0; j--) {
            double tmp = d;
            d = ty * d - dd + ERFC_COEF[j];
            dd = tmp;
        }
        return t * Math.exp(-z * z + 0.5 * (ERFC_COEF[0] + ty * d) - dd);
    }

    private static double geluTanhDerivative(double x) {
        double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        double t = Math.tanh(inner);
        double dInner = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dInner;
    }
}
