package io.shendu.cli.demo;

import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.nn.Sequential;
import io.shendu.nn.Sigmoid;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Lecture: a neural network is a composed function. Three hidden layers {@code h_i = f(W_iᵀ h_{i−1} + b_i)} and
 * a linear output, applied to a batch of two inputs, printing each layer's weight and output shapes; then the
 * same network as one {@link Sequential} gives the same numbers.
 */
public final class ForwardDemo implements Demo {

    /** Input, three hidden widths, output. */
    private static final int[] WIDTHS = {3, 4, 5, 4, 2};

    @Override
    public String name() {
        return "forward";
    }

    @Override
    public String description() {
        return "a 3-hidden-layer network as the composed function y = f(Wᵀx + b), layer by layer, with shapes";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        Generator gen = new Generator(ctx.seed());
        Linear[] layers = new Linear[WIDTHS.length - 1];
        for (int i = 0; i < layers.length; i++) layers[i] = new Linear(WIDTHS[i], WIDTHS[i + 1], true, gen);
        Tensor x = Tensor.randn(gen, 2, WIDTHS[0]);

        out.println("y = W4ᵀ f(W3ᵀ f(W2ᵀ f(W1ᵀx + b1) + b2) + b3) + b4,  f = sigmoid, a batch of 2 inputs (one per row)");
        out.printf("%-8s %-12s %-6s %-24s %s%n", "layer", "W (in×out)", "b", "computes", "output shape");
        out.printf("%-8s %-12s %-6s %-24s %s%n", "input", "", "", "x", Arrays.toString(x.shape()));
        Tensor h = x;
        for (int i = 0; i < layers.length; i++) {
            Tensor w = layers[i].weight().t();   // Linear keeps Wᵀ ([out, in]); the lecture's W is [in, out]
            Tensor b = layers[i].bias();
            Tensor z = h.matmul(w).add(b);        // rows are examples, so Wᵀx is x·W
            boolean last = i == layers.length - 1;
            h = last ? z : z.sigmoid();
            String prev = i == 0 ? "x" : "h" + i;
            String formula = last ? "y = W" + (i + 1) + "ᵀ" + prev + " + b" + (i + 1)
                    : "h" + (i + 1) + " = f(W" + (i + 1) + "ᵀ" + prev + " + b" + (i + 1) + ")";
            out.printf("%-8s %-12s %-6s %-24s %s%n", last ? "output" : "hidden " + (i + 1),
                    Arrays.toString(w.shape()), Arrays.toString(b.shape()), formula, Arrays.toString(h.shape()));
        }
        out.println("y = " + DemoOutput.values(h));

        Module net = new Sequential(layers[0], new Sigmoid(), layers[1], new Sigmoid(), layers[2], new Sigmoid(), layers[3]);
        Tensor y = net.forward(x);
        out.println("the same layers as one nn.Sequential: max |difference| = " + DemoOutput.shortNum(y.sub(h).abs().max().item()));
        out.println("parameters: " + net.parameterCount() + " (Σ in·out + out over the four layers)");
    }
}
