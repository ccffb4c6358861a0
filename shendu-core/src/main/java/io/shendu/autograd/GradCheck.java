package io.shendu.autograd;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Compares the analytic gradients of a function with central finite differences.
 *
 * <p>For a random upstream gradient u (fixed seed), the scalar {@code L = Σ f(x)·u} is accumulated in double,
 * and every input element is perturbed by ±eps: {@code numeric = (L(x+eps) − L(x−eps)) / (x⁺ − x⁻)}, where
 * x⁺ and x⁻ are the perturbed values as actually stored (float32 rounds them). The analytic gradient comes from
 * {@link Autograd#grad}. An element passes when {@code |analytic − numeric| ≤ atol + rtol·|numeric|}; the report
 * names the worst element.
 *
 * <p>Shendu's tensors are float32, so each forward evaluation carries float32 rounding; the differences and
 * sums are taken in double, and eps and the tolerances must allow for the float32 forward (eps ≈ 1e-2 to 1e-3,
 * tolerances ≈ 1e-2). A wrong derivative formula is off by orders of magnitude more.
 */
public final class GradCheck {

    private GradCheck() {}

    /** The outcome: the worst element over all inputs, by error relative to its tolerance. */
    public record Report(boolean passed, int input, int[] index, double analytic, double numeric, double ratio) {
        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + ": worst element is input " + input + " at " + Arrays.toString(index)
                    + ": analytic " + analytic + ", numeric " + numeric + " (error/tolerance " + String.format("%.3g", ratio) + ")";
        }
    }

    /** Runs the check; {@code inputs} are copied, so the caller's tensors are untouched. */
    public static Report check(Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, double atol, double rtol) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) x[i] = inputs[i].contiguousCopy().requiresGrad(true);
        Tensor out = f.apply(x);
        Tensor u = Tensor.randn(new Generator(1234), out.shape());
        Tensor[] analytic = Autograd.grad(new Tensor[] {out}, x, new Tensor[] {u}, false);
        float[] ud = u.toFloatArray();

        Report worst = null;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < x.length; i++) {
                float[] data = x[i].floatStorage();
                float[] grad = analytic[i].toFloatArray();
                for (int j = 0; j < data.length; j++) {
                    float original = data[j];
                    float plus = (float) (original + eps), minus = (float) (original - eps);
                    data[j] = plus;
                    double lPlus = dot(f.apply(x), ud);
                    data[j] = minus;
                    double lMinus = dot(f.apply(x), ud);
                    data[j] = original;
                    double numeric = (lPlus - lMinus) / ((double) plus - minus);
                    double error = Math.abs(grad[j] - numeric);
                    double ratio = error / (atol + rtol * Math.abs(numeric));
                    if (Double.isNaN(ratio)) ratio = Double.POSITIVE_INFINITY;
                    if (worst == null || ratio > worst.ratio) {
                        worst = new Report(ratio <= 1, i, unravel(j, x[i].shape()), grad[j], numeric, ratio);
                    }
                }
            }
        }
        return worst == null ? new Report(true, -1, new int[0], 0, 0, 0) : worst;
    }

    private static double dot(Tensor out, float[] u) {
        float[] o = out.toFloatArray();
        double s = 0;
        for (int k = 0; k < o.length; k++) s += (double) o[k] * u[k];
        return s;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
