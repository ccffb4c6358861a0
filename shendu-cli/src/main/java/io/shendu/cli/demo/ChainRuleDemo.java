package io.shendu.cli.demo;

import io.shendu.autograd.Graph;
import io.shendu.tensor.Tensor;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lecture: backpropagation is the chain rule applied node by node. On {@code f = (x + y)·z} at
 * {@code x = −2, y = 5, z = −4}: the forward values, each node's local gradients, the backward sweep by hand
 * ({@code −4, −4, 3}), the same from autograd, and the computational graph drawn with its values and gradients.
 * Then the three "gates" of the lecture: add distributes the upstream gradient, multiply swaps its inputs, max
 * routes it to the larger input.
 */
public final class ChainRuleDemo implements Demo {

    @Override
    public String name() {
        return "chain-rule";
    }

    @Override
    public String description() {
        return "f = (x + y)·z at (-2, 5, -4): forward, local gradients, backward (-4, -4, 3), the graph; add/mul/max gates";
    }

    @Override
    public void run(DemoContext ctx) throws IOException, InterruptedException {
        PrintWriter out = ctx.out();
        double xv = -2, yv = 5, zv = -4;
        out.println("f(x, y, z) = (x + y)·z  at x = -2, y = 5, z = -4;  q = x + y, f = q·z");

        // By hand: the forward values, then each node's local gradient times the gradient flowing into it.
        double qv = xv + yv, fv = qv * zv;
        out.println("forward:  q = x + y = " + n(qv) + ",  f = q·z = " + n(fv));
        out.println("local gradients:  ∂q/∂x = 1,  ∂q/∂y = 1,  ∂f/∂q = z = " + n(zv) + ",  ∂f/∂z = q = " + n(qv));
        double df = 1, dz = qv * df, dq = zv * df, dx = 1 * dq, dy = 1 * dq;
        out.println("backward: ∂f/∂f = " + n(df));
        out.println("          ∂f/∂z = q·1 = " + n(dz) + ",  ∂f/∂q = z·1 = " + n(dq));
        out.println("          ∂f/∂x = ∂f/∂q·∂q/∂x = " + n(dq) + "·1 = " + n(dx) + ",  ∂f/∂y = ∂f/∂q·∂q/∂y = " + n(dq) + "·1 = " + n(dy));

        // The same with autograd; q keeps its gradient so the drawing shows it.
        Tensor x = Tensor.scalar((float) xv).requiresGrad(true).setName("x");
        Tensor y = Tensor.scalar((float) yv).requiresGrad(true).setName("y");
        Tensor z = Tensor.scalar((float) zv).requiresGrad(true).setName("z");
        Tensor q = x.add(y).setName("q").retainGrad();
        Tensor f = q.mul(z).setName("f");
        f.backward();
        out.println("autograd: f = " + n(f.item()) + ",  x.grad = " + n(x.grad().item()) + ",  y.grad = " + n(y.grad().item())
                + ",  z.grad = " + n(z.grad().item()) + ",  q.grad = " + n(q.grad().item()));
        drawGraph(ctx, Graph.toDot(f));

        out.println();
        out.println("gates, at a = 3, b = -1 with upstream gradient 2:");
        gate(out, "add  a + b    ", "distributes it", (a, b) -> a.add(b));
        gate(out, "mul  a·b      ", "swaps the inputs: ∂a = b·2, ∂b = a·2", (a, b) -> a.mul(b));
        gate(out, "max  max(a, b)", "routes it to the larger input", (a, b) -> a.maximum(b));
    }

    private static void gate(PrintWriter out, String label, String rule, java.util.function.BinaryOperator<Tensor> op) {
        Tensor a = Tensor.scalar(3).requiresGrad(true), b = Tensor.scalar(-1).requiresGrad(true);
        Tensor c = op.apply(a, b);
        c.backward(Tensor.scalar(2));
        out.printf("  %s = %-3s  ∂a = %s, ∂b = %s   (%s)%n", label, n(c.item()), n(a.grad().item()), n(b.grad().item()), rule);
    }

    /** Writes the DOT file and, when Graphviz is installed, the PNG. */
    private static void drawGraph(DemoContext ctx, String dot) throws IOException, InterruptedException {
        Path dotFile = ctx.file("chain-rule.dot"), png = ctx.file("chain-rule.png");
        Files.writeString(dotFile, dot);
        try {
            Process p = new ProcessBuilder("dot", "-Tpng", "-Gdpi=80", dotFile.toString(), "-o", png.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                ctx.out().println("graph: " + dotFile + ", drawn by Graphviz as " + png);
                return;
            }
            p.destroy();
        } catch (IOException notInstalled) {
            // no Graphviz: say how to draw it
        }
        ctx.out().println("graph: " + dotFile + " (install Graphviz and run: dot -Tpng " + dotFile + " -o " + png + ")");
    }

    private static String n(double v) {
        return DemoOutput.shortNum(v);
    }
}
