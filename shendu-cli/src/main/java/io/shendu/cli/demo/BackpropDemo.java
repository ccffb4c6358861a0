package io.shendu.cli.demo;

import io.shendu.autograd.Autograd;
import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;

/**
 * Lecture: backpropagation through one layer by hand. For {@code z = Wᵀx + b}, {@code h = max(z, 0)},
 * {@code J = ‖h − t‖²}, the slide's formulas
 * <pre>
 *   ∂J/∂h = 2(h − t)      ∂J/∂z = ∂J/∂h ⊙ 1[z > 0]
 *   ∂J/∂b = ∂J/∂z         ∂J/∂W = x (∂J/∂z)ᵀ         ∂J/∂x = W ∂J/∂z
 * </pre>
 * give the same gradients as autograd. Column vectors: x {@code [4, 1]}, W {@code [4, 3]}, b and t {@code [3, 1]}.
 */
public final class BackpropDemo implements Demo {

    @Override
    public String name() {
        return "backprop";
    }

    @Override
    public String description() {
        return "J = ‖max(Wᵀx + b, 0) − t‖²: the slide's gradient formulas by hand vs autograd";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        Generator gen = new Generator(ctx.seed());
        Tensor x = Tensor.randn(gen, 4, 1).requiresGrad(true);
        Tensor w = Tensor.randn(gen, 4, 3).requiresGrad(true);
        Tensor b = Tensor.randn(gen, 3, 1).requiresGrad(true);
        Tensor t = Tensor.randn(gen, 3, 1);

        Tensor z = w.t().matmul(x).add(b);
        Tensor h = z.relu();
        Tensor j = h.sub(t).square().sum();
        out.println("z = Wᵀx + b = " + DemoOutput.values(z.reshape(3)) + ",  h = max(z, 0) = " + DemoOutput.values(h.reshape(3)));
        out.println("t = " + DemoOutput.values(t.reshape(3)) + ",  J = ‖h − t‖² = " + DemoOutput.num(j.item()));

        Tensor dJdh, dJdz, dJdb, dJdW, dJdx;
        try (NoGrad ignored = NoGrad.enter()) {
            dJdh = h.sub(t).mul(2f);
            dJdz = dJdh.mul(z.gt(0f));
            dJdb = dJdz;
            dJdW = x.matmul(dJdz.t());
            dJdx = w.matmul(dJdz);
        }
        Tensor[] auto = Autograd.grad(new Tensor[] {j}, w, b, x);
        out.println("the slide's formulas, by hand, and autograd's gradients:");
        row(out, "∂J/∂h = 2(h − t)        ", dJdh, null);
        row(out, "∂J/∂z = ∂J/∂h ⊙ 1[z > 0]", dJdz, null);
        row(out, "∂J/∂b = ∂J/∂z           ", dJdb, auto[1]);
        row(out, "∂J/∂x = W ∂J/∂z         ", dJdx, auto[2]);
        out.println("∂J/∂W = x (∂J/∂z)ᵀ        " + DemoOutput.values(dJdW));
        out.println("                  autograd " + DemoOutput.values(auto[0]));
        double diff = Math.max(maxDiff(dJdW, auto[0]), Math.max(maxDiff(dJdb, auto[1]), maxDiff(dJdx, auto[2])));
        out.println("max |hand − autograd| = " + DemoOutput.shortNum(diff) + "  →  hand == autograd: " + (diff <= 1e-6));
    }

    private static void row(PrintWriter out, String formula, Tensor hand, Tensor auto) {
        out.println(formula + " " + DemoOutput.values(hand.reshape(-1)) + (auto == null ? "" : "   autograd " + DemoOutput.values(auto.reshape(-1))));
    }

    private static double maxDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item();
    }
}
