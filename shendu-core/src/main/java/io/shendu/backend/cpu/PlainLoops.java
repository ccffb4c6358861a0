package io.shendu.backend.cpu;

import io.shendu.backend.BinaryOp;
import io.shendu.backend.ScalarMath;
import io.shendu.backend.UnaryOp;

/**
 * Scalar inner loops of the elementwise kernels, one loop per common op so the JIT compiles each on its own
 * (the switch is outside the loop); rare ops go through {@link ScalarMath} element by element.
 */
final class PlainLoops {

    private PlainLoops() {}

    static void unary(UnaryOp op, float p, float q, float[] x, int xo, int xs, float[] out, int oo, int len) {
        switch (op) {
            case AFFINE -> { for (int i = 0; i < len; i++) out[oo + i] = p * x[xo + i * xs] + q; }
            case RELU -> { for (int i = 0; i < len; i++) out[oo + i] = Math.max(x[xo + i * xs], 0f); }
            case EXP -> { for (int i = 0; i < len; i++) out[oo + i] = (float) Math.exp(x[xo + i * xs]); }
            case LOG -> { for (int i = 0; i < len; i++) out[oo + i] = (float) Math.log(x[xo + i * xs]); }
            case SQRT -> { for (int i = 0; i < len; i++) out[oo + i] = (float) Math.sqrt(x[xo + i * xs]); }
            case ABS -> { for (int i = 0; i < len; i++) out[oo + i] = Math.abs(x[xo + i * xs]); }
            case TANH -> { for (int i = 0; i < len; i++) out[oo + i] = (float) Math.tanh(x[xo + i * xs]); }
            case SIGMOID -> { for (int i = 0; i < len; i++) out[oo + i] = ScalarMath.sigmoid(x[xo + i * xs]); }
            default -> { for (int i = 0; i < len; i++) out[oo + i] = ScalarMath.unary(op, x[xo + i * xs], p, q); }
        }
    }

    static void binary(BinaryOp op, float p, float q, float[] a, int ao, int as, float[] b, int bo, int bs,
                       float[] out, int oo, int len) {
        switch (op) {
            case ADD -> { for (int i = 0; i < len; i++) out[oo + i] = a[ao + i * as] + p * b[bo + i * bs]; }
            case SUB -> { for (int i = 0; i < len; i++) out[oo + i] = a[ao + i * as] - p * b[bo + i * bs]; }
            case MUL -> { for (int i = 0; i < len; i++) out[oo + i] = a[ao + i * as] * b[bo + i * bs]; }
            case DIV -> { for (int i = 0; i < len; i++) out[oo + i] = a[ao + i * as] / b[bo + i * bs]; }
            case RELU_BACKWARD -> {
                for (int i = 0; i < len; i++) out[oo + i] = a[ao + i * as] > 0 ? b[bo + i * bs] : 0f;
            }
            case SIGMOID_BACKWARD -> {
                for (int i = 0; i < len; i++) {
                    float y = a[ao + i * as];
                    out[oo + i] = b[bo + i * bs] * y * (1 - y);
                }
            }
            case TANH_BACKWARD -> {
                for (int i = 0; i < len; i++) {
                    float y = a[ao + i * as];
                    out[oo + i] = b[bo + i * bs] * (1 - y * y);
                }
            }
            default -> {
                for (int i = 0; i < len; i++) out[oo + i] = ScalarMath.binary(op, a[ao + i * as], b[bo + i * bs], p, q);
            }
        }
    }
}
