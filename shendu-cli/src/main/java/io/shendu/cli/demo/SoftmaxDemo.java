package io.shendu.cli.demo;

import io.shendu.autograd.Autograd;
import io.shendu.nn.Losses;
import io.shendu.nn.Reduction;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;

/**
 * Lecture: softmax {@code p_k = e^{s_k} / Σ_j e^{s_j}} turns any real scores into a distribution; cross-entropy
 * {@code −log p_y} is the loss that goes with it. On one example, cross-entropy and mean squared error of the
 * probabilities against the one-hot target, with their gradients with respect to the scores: for a confidently
 * wrong prediction MSE's gradient almost vanishes while cross-entropy's stays near −1.
 */
public final class SoftmaxDemo implements Demo {

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public String description() {
        return "softmax turns arbitrary reals into a distribution; cross-entropy vs MSE on one example";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        out.println("softmax p_k = exp(s_k) / Σ_j exp(s_j)");
        distribution(out, "scores (cat, car, frog)", Tensor.vector(3.2f, 5.1f, -1.7f));
        distribution(out, "arbitrary reals", Tensor.vector(-1000f, 0f, 1000f, 999f, 2.5f));
        distribution(out, "the same scores + 100", Tensor.vector(103.2f, 105.1f, 98.3f));

        out.println();
        out.println("one example whose true class is cat (class 0):");
        compare(out, "scores [3.2, 5.1, -1.7]", Tensor.vector(3.2f, 5.1f, -1.7f));
        compare(out, "confidently wrong [-5, 5, 0]", Tensor.vector(-5f, 5f, 0f));
        out.println("cross-entropy's gradient is p − y: it stays large while the answer is wrong;");
        out.println("MSE's passes through softmax's saturation and nearly vanishes, so learning stalls.");
    }

    private static void distribution(PrintWriter out, String what, Tensor s) {
        Tensor p = s.softmax(0);
        out.println(what + ": s = " + DemoOutput.values(s));
        out.printf(java.util.Locale.ROOT, "  p = %s, all in [0, 1], sum = %.6f%n", DemoOutput.values(p), p.sum().item());
    }

    /** Cross-entropy and MSE of one example of class 0, and their gradients with respect to the scores. */
    private static void compare(PrintWriter out, String what, Tensor scores) {
        int classes = scores.numel();
        Tensor s = scores.reshape(1, classes).requiresGrad(true);
        Tensor target = Tensor.ofInts(new int[] {0}, 1);
        Tensor ce = Losses.crossEntropy(s, target, Losses.CrossEntropyOptions.defaults());
        Tensor mse = Losses.mse(s.softmax(1), target.oneHot(classes).toFloat(), Reduction.MEAN);
        Tensor ceGrad = Autograd.grad(new Tensor[] {ce}, s)[0];
        Tensor mseGrad = Autograd.grad(new Tensor[] {mse}, s)[0];
        out.println("  " + what + ": p = " + DemoOutput.values(s.softmax(1).detach().reshape(classes)));
        out.println("    cross-entropy −log p_cat = " + DemoOutput.num(ce.item()) + ", ∂/∂s = " + DemoOutput.values(ceGrad.reshape(classes)));
        out.println("    MSE mean (p − y)²       = " + DemoOutput.num(mse.item()) + ", ∂/∂s = " + DemoOutput.values(mseGrad.reshape(classes)));
    }
}
