package io.shendu.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adadelta (Zeiler, 2012), as PyTorch's {@code torch.optim.Adadelta} (1.13):
 * <pre>
 *   d  = g + λ·θ                        (g negated when maximizing; λ = weight_decay)
 *   v  = ρ·v + (1 − ρ)·d²               (square_avg)
 *   Δ  = √(u + ε) / √(v + ε) · d
 *   u  = ρ·u + (1 − ρ)·Δ²               (acc_delta)
 *   θ  = θ − α·Δ
 * </pre>
 * With α = 1 this is Zeiler's rule; the lecture's α is {@code lr}.
 */
public record Adadelta(double lr, double rho, double eps, double weightDecay, boolean maximize)
        implements UpdateRule<Adadelta> {

    public Adadelta {
        Checks.nonNegative("Adadelta", "lr", lr);
        Checks.fraction("Adadelta", "rho", rho);
        Checks.nonNegative("Adadelta", "eps", eps);
        Checks.nonNegative("Adadelta", "weight_decay", weightDecay);
    }

    /** PyTorch's defaults: ρ = 0.9, ε = 1e-6, no weight decay. */
    public static Adadelta of(double lr) {
        return new Adadelta(lr, 0.9, 1e-6, 0, false);
    }

    @Override
    public String name() {
        return "Adadelta";
    }

    @Override
    public Adadelta withLr(double lr) {
        return new Adadelta(lr, rho, eps, weightDecay, maximize);
    }

    public Adadelta withRho(double rho) {
        return new Adadelta(lr, rho, eps, weightDecay, maximize);
    }

    public Adadelta withEps(double eps) {
        return new Adadelta(lr, rho, eps, weightDecay, maximize);
    }

    public Adadelta withWeightDecay(double weightDecay) {
        return new Adadelta(lr, rho, eps, weightDecay, maximize);
    }

    public Adadelta withMaximize(boolean maximize) {
        return new Adadelta(lr, rho, eps, weightDecay, maximize);
    }

    @Override
    public List<String> stateNames() {
        return List.of("square_avg", "acc_delta");
    }

    @Override
    public void update(ParamUpdate u, int start, int end) {
        float[] p = u.param(), g = u.grad(), v = u.state("square_avg"), acc = u.state("acc_delta");
        int po = u.paramOffset(), go = u.gradOffset();
        float alpha = (float) lr, r = (float) rho, rest = (float) (1 - rho), epsilon = (float) eps;
        float lambda = (float) weightDecay, sign = maximize ? -1f : 1f;
        for (int i = start; i < end; i++) {
            float d = sign * g[go + i] + lambda * p[po + i];
            v[i] = r * v[i] + rest * d * d;
            float delta = (float) Math.sqrt(acc[i] + epsilon) / (float) Math.sqrt(v[i] + epsilon) * d;
            acc[i] = r * acc[i] + rest * delta * delta;
            p[po + i] -= alpha * delta;
        }
    }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("rho", rho);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("maximize", maximize);
        return h;
    }

    @Override
    public Adadelta withHyperParameters(Map<String, Object> h) {
        return new Adadelta(StateMaps.number(h, "lr"), StateMaps.number(h, "rho"), StateMaps.number(h, "eps"),
                StateMaps.number(h, "weight_decay"), StateMaps.bool(h, "maximize"));
    }
}
