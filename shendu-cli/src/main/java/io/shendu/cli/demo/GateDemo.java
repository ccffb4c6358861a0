package io.shendu.cli.demo;

import io.shendu.autograd.Function;
import io.shendu.autograd.GradCheck;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;

/**
 * Lecture: a node of the graph is a gate with a forward, which keeps what it needs, and a backward, which
 * multiplies the upstream gradient by its local gradient. The lecture's {@code MultiplyGate} and a sigmoid gate,
 * written with the public {@link Function} API exactly as a user would add an op, used on the lecture's
 * two-input neuron {@code f = σ(w0·x0 + w1·x1 + w2)}, and gradient-checked against finite differences.
 */
public final class GateDemo implements Demo {

    /** The lecture's multiply gate: {@code z = x·y}; local gradients {@code ∂z/∂x = y}, {@code ∂z/∂y = x}. */
    static final class MultiplyGate extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);          // keep x and y
            return in[0].mul(in[1]);                // z = x * y
        }

        @Override
        protected Tensor[] backward(Tensor dz) {
            Tensor[] xy = savedTensors();
            return new Tensor[] {xy[1].mul(dz), xy[0].mul(dz)};   // [y * dz, x * dz]
        }
    }

    /** A sigmoid gate: {@code s = 1/(1 + e^−x)}; local gradient {@code ∂s/∂x = s·(1 − s)}, so it keeps its output. */
    static final class SigmoidGate extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            Tensor s = in[0].neg().exp().add(1f).reciprocal();
            saveForBackward(s);
            return s;
        }

        @Override
        protected Tensor[] backward(Tensor ds) {
            Tensor s = savedTensors()[0];
            return new Tensor[] {s.mul(s.neg().add(1f)).mul(ds)};
        }
    }

    @Override
    public String name() {
        return "gate";
    }

    @Override
    public String description() {
        return "the lecture's MultiplyGate (and a sigmoid gate) written with the public custom-op API, gradient-checked";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        Tensor x = Tensor.scalar(3).requiresGrad(true), y = Tensor.scalar(-4).requiresGrad(true);
        Tensor z = new MultiplyGate().apply(x, y);
        z.backward(Tensor.scalar(2));
        out.println("MultiplyGate at x = 3, y = -4: forward z = x·y = " + n(z.item()));
        out.println("  backward with upstream dz = 2: dx = y·dz = " + n(x.grad().item()) + ", dy = x·dz = " + n(y.grad().item()));

        out.println("the lecture's neuron f = σ(w0·x0 + w1·x1 + w2) at w = (2, -3, -3), x = (-1, -2), built from the gates:");
        Tensor w0 = param(2), x0 = param(-1), w1 = param(-3), x1 = param(-2), w2 = param(-3);
        Tensor f = new SigmoidGate().apply(new MultiplyGate().apply(w0, x0).add(new MultiplyGate().apply(w1, x1)).add(w2));
        f.backward();
        out.println("  f = " + num(f.item()));
        out.println("  ∂f/∂w = [" + num(w0.grad().item()) + ", " + num(w1.grad().item()) + ", " + num(w2.grad().item())
                + "],  ∂f/∂x = [" + num(x0.grad().item()) + ", " + num(x1.grad().item()) + "]");

        Generator gen = new Generator(ctx.seed());
        Tensor[] pair = {Tensor.randn(gen, 3, 4), Tensor.randn(gen, 3, 4)};
        GradCheck.Report mul = GradCheck.check(in -> new MultiplyGate().apply(in[0], in[1]), pair, 1e-2, 1e-3, 1e-2);
        GradCheck.Report sig = GradCheck.check(in -> new SigmoidGate().apply(in[0]), new Tensor[] {Tensor.randn(gen, 3, 4).mul(3f)},
                1e-2, 1e-3, 1e-2);
        out.println("gradient check (central differences, random [3, 4] inputs):");
        out.println("  MultiplyGate " + mul);
        out.println("  SigmoidGate  " + sig);
    }

    private static Tensor param(float v) {
        return Tensor.scalar(v).requiresGrad(true);
    }

    private static String n(double v) {
        return DemoOutput.shortNum(v);
    }

    private static String num(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
