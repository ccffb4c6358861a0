package io.shendu.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi, Hazan and Singer, 2011), as PyTorch's {@code torch.optim.Adagrad} (1.13):
 * <pre>
 *   d = g + λ·θ                         (g negated when maximizing; λ = weight_decay)
 *   η = α / (1 + (t − 1)·lr_decay)
 *   s = s + d²                          (s starts at initial_accumulator_value)
 *   θ = θ − η·d / (√s + ε)
 * </pre>
 */
public record Adagrad(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps,
                      boolean maximize) implements UpdateRule<Adagrad> {

    public Adagrad {
        Checks.nonNegative("Adagrad", "lr", lr);
        Checks.nonNegative("Adagrad", "lr_decay", lrDecay);
        Checks.nonNegative("Adagrad", "weight_decay", weightDecay);
        Checks.nonNegative("Adagrad", "initial_accumulator_value", initialAccumulatorValue);
        Checks.nonNegative("Adagrad", "eps", eps);
    }

    /** PyTorch's defaults: no lr decay, no weight decay, accumulator from 0, ε = 1e-10. */
    public static Adagrad of(double lr) {
        return new Adagrad(lr, 0, 0, 0, 1e-10, false);
    }

    @Override
    public String name() {
        return "Adagrad";
    }

    @Override
    public Adagrad withLr(double lr) {
        return new Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
    }

    public Adagrad withLrDecay(double lrDecay) {
        return new Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
    }

    public Adagrad withWeightDecay(double weightDecay) {
        return new Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
    }

    public Adagrad withInitialAccumulatorValue(double value) {
        return new Adagrad(lr, lrDecay, weightDecay, value, eps, maximize);
    }

    public Adagrad withEps(double eps) {
        return new Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
    }

    public Adagrad withMaximize(boolean maximize) {
        return new Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
    }

    @Override
    public List<String> stateNames() {
        return List.of("sum");
    }

    @Override
    public float initialState(String stateName) {
        return (float) initialAccumulatorValue;
    }

    @Override
    public void update(ParamUpdate u, int start, int end) {
        float[] p = u.param(), g = u.grad(), s = u.state("sum");
        int po = u.paramOffset(), go = u.gradOffset();
        float eta = (float) (lr / (1 + (u.step() - 1) * lrDecay));
        float lambda = (float) weightDecay, epsilon = (float) eps, sign = maximize ? -1f : 1f;
        for (int i = start; i < end; i++) {
            float d = sign * g[go + i] + lambda * p[po + i];
            s[i] += d * d;
            p[po + i] -= eta * (d / ((float) Math.sqrt(s[i]) + epsilon));
        }
    }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("lr_decay", lrDecay);
        h.put("weight_decay", weightDecay);
        h.put("initial_accumulator_value", initialAccumulatorValue);
        h.put("eps", eps);
        h.put("maximize", maximize);
        return h;
    }

    @Override
    public Adagrad withHyperParameters(Map<String, Object> h) {
        return new Adagrad(StateMaps.number(h, "lr"), StateMaps.number(h, "lr_decay"), StateMaps.number(h, "weight_decay"),
                StateMaps.number(h, "initial_accumulator_value"), StateMaps.number(h, "eps"), StateMaps.bool(h, "maximize"));
    }
}
