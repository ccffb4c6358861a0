package io.shendu.tensor;

import java.util.Arrays;
import java.util.Locale;

/** {@link Tensor#toString()}: nested brackets like PyTorch's, abridged with "..." beyond six entries a dimension. */
final class TensorFormat {

    private static final int EDGE = 3;
    private static final int FULL_LIMIT = 6;

    private TensorFormat() {}

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        float[] values = t.toFloatArray();
        boolean ints = t.dtype() == DType.INT32;
        int width = 0;
        for (float v : values) width = Math.max(width, cell(v, ints).length());
        appendDim(sb, t.shape(), 0, 0, values, ints, width, "tensor(".length() + 1);
        sb.append(", shape=").append(Arrays.toString(t.shape()));
        if (ints) sb.append(", dtype=int32");
        if (t.gradFn() != null) sb.append(", gradFn=").append(t.gradFn().name());
        else if (t.requiresGrad()) sb.append(", requiresGrad=true");
        return sb.append(')').toString();
    }

    private static void appendDim(StringBuilder sb, int[] shape, int dim, int base, float[] v, boolean ints, int width, int indent) {
        if (dim == shape.length) {
            sb.append(pad(cell(v[base], ints), width));
            return;
        }
        int n = shape[dim];
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (n > FULL_LIMIT && i == EDGE) {
                sb.append(dim == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + dim));
                i = n - EDGE - 1;
                continue;
            }
            appendDim(sb, shape, dim + 1, base + i * stride, v, ints, width, indent);
            if (i < n - 1) sb.append(dim == shape.length - 1 ? ", " : ",\n" + " ".repeat(indent + dim));
        }
        sb.append(']');
    }

    private static String cell(float v, boolean ints) {
        if (ints) return Integer.toString((int) v);
        if (Float.isNaN(v)) return "nan";
        if (Float.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        float a = Math.abs(v);
        if (a != 0 && (a >= 1e5f || a < 1e-4f)) return String.format(Locale.ROOT, "%.4e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
