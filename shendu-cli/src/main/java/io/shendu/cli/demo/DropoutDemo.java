package io.shendu.cli.demo;

import io.shendu.nn.Dropout;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Lecture: dropout. In training each activation is zeroed with probability {@code p} and the survivors are
 * scaled by {@code 1/(1 − p)} (inverted dropout), so the expected activation is unchanged; at test time the
 * layer is the identity. Shown on a small tensor of ones, then measured on a large one.
 */
public final class DropoutDemo implements Demo {

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public String description() {
        return "dropout in training (random zeros, survivors scaled by 1/(1-p)) vs evaluation (identity)";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        double p = 0.5;
        Dropout dropout = new Dropout(p, new Generator(ctx.seed()));
        Tensor x = Tensor.ones(2, 8);
        out.println("Dropout(p = 0.5) on x = ones [2, 8]; survivors are scaled by 1/(1 − p) = " + DemoOutput.shortNum(1 / (1 - p)));

        dropout.train();
        Tensor a = dropout.forward(x), b = dropout.forward(x);
        out.println("training mode, pass 1: " + DemoOutput.values(a) + "  (" + zeros(a) + " of 16 zeroed)");
        out.println("training mode, pass 2: " + DemoOutput.values(b) + "  (" + zeros(b) + " of 16 zeroed, a new mask)");
        dropout.eval();
        Tensor c = dropout.forward(x);
        out.println("evaluation mode:       " + DemoOutput.values(c) + "  (the identity: y == x is " + isSame(c, x) + ")");

        int n = ctx.quick() ? 100_000 : 1_000_000;
        dropout.train();
        Tensor big = dropout.forward(Tensor.ones(n));
        out.printf(Locale.ROOT, "training mode on %,d ones: fraction zeroed = %.4f (p = %.1f), mean = %.4f (E[y] = x = 1)%n",
                n, zeros(big) / (double) n, p, big.mean().item());
        out.println("so the next layer sees activations of the same size in training and at test time.");
    }

    private static long zeros(Tensor t) {
        return Math.round(t.eq(0f).sum().item());
    }

    private static boolean isSame(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item() == 0;
    }
}
