package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.nn.BatchNorm1d;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;

/**
 * Lecture: batch normalization's four formulas on a mini-batch of m = 4 examples with 3 features, by hand and
 * from {@link BatchNorm1d}: the batch mean, the batch variance, the normalized x̂ and the scaled and shifted
 * {@code y = γx̂ + β}. Then what differs between training and evaluation: the running estimates, and an
 * example's output depending on its batch only in training.
 */
public final class BatchNormDemo implements Demo {

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public String description() {
        return "batch normalization's four formulas checked on a mini-batch; training vs evaluation behaviour";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        Generator gen = new Generator(ctx.seed());
        Tensor x = Tensor.randn(gen, 4, 3).mul(Tensor.vector(1f, 5f, 0.5f)).add(Tensor.vector(2f, -10f, 0.5f));
        Tensor gamma = Tensor.vector(1.5f, 1f, 0.5f), beta = Tensor.vector(0f, 1f, -1f);
        double eps = 1e-5;
        out.println("mini-batch x, m = 4 examples (rows) of 3 features: " + DemoOutput.values(x));

        Tensor mu = x.mean(0);
        Tensor var = x.sub(mu).square().mean(0);
        Tensor xHat = x.sub(mu).div(var.add((float) eps).sqrt());
        Tensor y = xHat.mul(gamma).add(beta);
        out.println("1. μ_B  = (1/m) Σ x_i             = " + DemoOutput.values(mu));
        out.println("2. σ²_B = (1/m) Σ (x_i − μ_B)²    = " + DemoOutput.values(var));
        out.println("3. x̂_i  = (x_i − μ_B)/√(σ²_B + ε)  = " + DemoOutput.values(xHat));
        out.println("4. y_i  = γ x̂_i + β,  γ = " + DemoOutput.values(gamma) + ", β = " + DemoOutput.values(beta));
        out.println("                                  = " + DemoOutput.values(y));

        BatchNorm1d bn = new BatchNorm1d(3);
        try (NoGrad ignored = NoGrad.enter()) {
            bn.weight().copyFrom(gamma);
            bn.bias().copyFrom(beta);
        }
        bn.train();
        Tensor layer = bn.forward(x);
        double diff = layer.sub(y).abs().max().item();
        out.println("BatchNorm1d(3), training mode: max |layer − formulas| = " + DemoOutput.shortNum(diff)
                + "  →  equal: " + (diff < 1e-5));
        out.println("per feature, y has mean β = " + DemoOutput.values(layer.mean(0)) + " and std γ = "
                + DemoOutput.values(layer.std(new int[] {0}, false, false)));
        out.println("running estimates (momentum 0.1): running_mean = 0.9·0 + 0.1·μ_B = " + DemoOutput.values(bn.runningMean())
                + ", running_var = 0.9·1 + 0.1·σ²_B·m/(m−1) = " + DemoOutput.values(bn.runningVar()));

        // The first example, normalized within two different batches in training, and on its own in evaluation.
        Tensor other = Tensor.cat(java.util.List.of(x.narrow(0, 0, 1), Tensor.randn(gen, 3, 3)), 0);
        out.println("training: example 1 in this batch → " + DemoOutput.values(layer.select(0, 0))
                + ", in another batch → " + DemoOutput.values(bn.forward(other).select(0, 0)) + " (depends on the batch)");
        bn.eval();
        out.println("evaluation: example 1 → " + DemoOutput.values(bn.forward(x).select(0, 0)) + " in any batch, from the running estimates");
    }
}
