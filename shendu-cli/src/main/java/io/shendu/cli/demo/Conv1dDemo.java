package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.nn.Conv1d;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;

/**
 * Lecture: 1-D convolution. A kernel slides along the sequence and each output is the dot product of the kernel
 * with the window under it, {@code y[i] = Σ_k w[k]·x[i·stride + k − padding] + b} (cross-correlation, as every
 * framework computes it). Step by step by hand on a sequence of 8, then {@link Conv1d} with the same weights,
 * with padding and with stride.
 */
public final class Conv1dDemo implements Demo {

    static final float[] SEQUENCE = {1, 3, 2, 0, -1, 2, 4, 1};
    private static final float[] KERNEL = {1, 0, -1};

    @Override
    public String name() {
        return "conv1d";
    }

    @Override
    public String description() {
        return "1-D convolution on a small sequence, window by window, checked against Conv1d (padding, stride)";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        out.println("x = " + ints(SEQUENCE) + " (length 8),  kernel w = " + ints(KERNEL) + " (size 3),  bias 0");
        out.println("y[i] = Σ_k w[k]·x[i + k]   (stride 1, no padding: output length 8 − 3 + 1 = 6)");
        float[] byHand = new float[SEQUENCE.length - KERNEL.length + 1];
        for (int i = 0; i < byHand.length; i++) {
            StringBuilder terms = new StringBuilder();
            for (int k = 0; k < KERNEL.length; k++) {
                byHand[i] += KERNEL[k] * SEQUENCE[i + k];
                terms.append(k == 0 ? "" : " + ").append(n(KERNEL[k])).append("·").append(factor(SEQUENCE[i + k]));
            }
            out.println("  y[" + i + "] = " + terms + " = " + n(byHand[i]));
        }
        out.printf("%-28s y = %s%n", "by hand:", ints(byHand));
        layer(out, "Conv1d(1, 1, 3):", Conv1d.options(1, 1, 3));
        layer(out, "Conv1d, padding 1:", Conv1d.options(1, 1, 3).withPadding(1));
        layer(out, "Conv1d, stride 2:", Conv1d.options(1, 1, 3).withStride(2));
        layer(out, "Conv1d, padding 1, stride 2:", Conv1d.options(1, 1, 3).withPadding(1).withStride(2));
        out.println("output length = ⌊(L + 2·padding − kernel)/stride⌋ + 1;  the kernel [1, 0, -1] responds to rises and falls");
    }

    /** Runs a one-channel Conv1d holding the demo's kernel and prints its output. */
    private static void layer(PrintWriter out, String label, Conv1d.Conv1dOptions options) {
        Conv1d conv = new Conv1d(options);
        Tensor y;
        try (NoGrad ignored = NoGrad.enter()) {
            conv.weight().copyFrom(Tensor.of(KERNEL, 1, 1, KERNEL.length));
            conv.bias().fill(0f);
            y = conv.forward(Tensor.of(SEQUENCE, 1, 1, SEQUENCE.length));
        }
        out.printf("%-28s y = %s  (length %d)%n", label, ints(y.toFloatArray()), y.size(2));
    }

    static String ints(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(n(v[i]));
        return sb.append(']').toString();
    }

    /** A factor of a product: negative numbers in parentheses, {@code 0·(-1)}. */
    private static String factor(double v) {
        return v < 0 ? "(" + n(v) + ")" : n(v);
    }

    private static String n(double v) {
        return DemoOutput.shortNum(v);
    }
}
