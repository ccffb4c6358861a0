package io.shendu.cli.demo;

import io.shendu.nn.AvgPool1d;
import io.shendu.nn.MaxPool1d;
import io.shendu.nn.Module;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;

/**
 * Lecture: pooling. Max pooling keeps the largest value of each window, average pooling the mean; with window
 * 2 and stride 2 the sequence halves. Window by window by hand on the sequence of {@link Conv1dDemo}, then
 * {@link MaxPool1d} and {@link AvgPool1d}, and where the gradient goes: max pooling routes it to each window's
 * maximum (the max gate), average pooling spreads it evenly.
 */
public final class PoolingDemo implements Demo {

    @Override
    public String name() {
        return "pooling";
    }

    @Override
    public String description() {
        return "max and average pooling on a small sequence, window by window, and where their gradients go";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        float[] x = Conv1dDemo.SEQUENCE;
        int k = 2;
        out.println("x = " + Conv1dDemo.ints(x) + ",  window 2, stride 2: output length 8/2 = 4");
        float[] max = new float[x.length / k], avg = new float[x.length / k];
        for (int i = 0; i < max.length; i++) {
            float a = x[i * k], b = x[i * k + 1];
            max[i] = Math.max(a, b);
            avg[i] = (a + b) / 2;
            out.println("  window " + i + ": [" + n(a) + ", " + n(b) + "]  max = " + n(max[i]) + ",  average = " + n(avg[i]));
        }
        out.println("by hand: max " + Conv1dDemo.ints(max) + ",  average " + Conv1dDemo.ints(avg));
        run(out, "MaxPool1d(2):", new MaxPool1d(2), x);
        run(out, "AvgPool1d(2):", new AvgPool1d(2), x);
        run(out, "MaxPool1d(3, stride 1):", new MaxPool1d(MaxPool1d.MaxPool1dOptions.of(3).withStride(1)), x);
    }

    /** The layer's output, and the gradient of the sum of its outputs with respect to x. */
    private static void run(PrintWriter out, String label, Module pool, float[] values) {
        Tensor x = Tensor.of(values, 1, 1, values.length).requiresGrad(true);
        Tensor y = pool.forward(x);
        y.sum().backward();
        out.printf("%-24s y = %-18s ∂Σy/∂x = %s%n", label, Conv1dDemo.ints(y.detach().toFloatArray()),
                Conv1dDemo.ints(x.grad().toFloatArray()));
    }

    private static String n(double v) {
        return DemoOutput.shortNum(v);
    }
}
