package io.shendu.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, as PyTorch's {@code torch.optim.SGD} (1.13):
 * <pre>
 *   d  = g + λ·θ                          (g negated when maximizing; λ = weight_decay)
 *   b₁ = d,   b_t = μ·b_{t−1} + (1 − τ)·d  (only when momentum μ ≠ 0; τ = dampening)
 *   d  = d + μ·b_t   (nesterov)   or   d = b_t
 *   θ  = θ − α·d
 * </pre>
 * The lecture's Momentum, the moving average {@code m_t = γ·m_{t−1} + (1 − γ)·g_t, Δθ = −α·m_t}, is
 * {@link #emaMomentum}: dampening = momentum = γ.
 */
public record SGD(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize)
        implements UpdateRule<SGD>, MomentumRule<SGD> {

    public SGD {
        Checks.nonNegative("SGD", "lr", lr);
        Checks.nonNegative("SGD", "momentum", momentum);
        Checks.nonNegative("SGD", "weight_decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: nesterov needs momentum > 0 and dampening 0, got momentum "
                    + momentum + ", dampening " + dampening);
        }
    }

    /** Plain SGD, {@code θ = θ − α·g}. */
    public static SGD of(double lr) {
        return new SGD(lr, 0, 0, 0, false, false);
    }

    /**
     * The lecture's Momentum: {@code m_t = γ·m_{t−1} + (1 − γ)·g_t, θ = θ − α·m_t}. As in PyTorch the average
     * starts at the first gradient ({@code m₁ = g₁}, i.e. {@code m₀ = g₁}), so the first step is not shrunk by
     * {@code 1 − γ}.
     */
    public static SGD emaMomentum(double lr, double gamma) {
        if (!(gamma >= 0 && gamma < 1)) throw new IllegalArgumentException("SGD.emaMomentum: gamma must be in [0, 1), got " + gamma);
        return new SGD(lr, gamma, gamma, 0, false, false);
    }

    @Override
    public String name() {
        return "SGD";
    }

    @Override
    public SGD withLr(double lr) {
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    @Override
    public SGD withMomentum(double momentum) {
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    public SGD withDampening(double dampening) {
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    public SGD withWeightDecay(double weightDecay) {
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    public SGD withNesterov(boolean nesterov) {
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    /** Gradient ascent: {@code θ = θ + α·g}. */
    public SGD withMaximize(boolean maximize) {
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    @Override
    public List<String> stateNames() {
        return momentum != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    public void update(ParamUpdate u, int start, int end) {
        float[] p = u.param(), g = u.grad();
        int po = u.paramOffset(), go = u.gradOffset();
        float alpha = (float) lr, lambda = (float) weightDecay, mu = (float) momentum, keep = (float) (1 - dampening);
        float sign = maximize ? -1f : 1f;
        if (momentum == 0) {
            for (int i = start; i < end; i++) {
                float d = sign * g[go + i] + lambda * p[po + i];
                p[po + i] -= alpha * d;
            }
            return;
        }
        float[] b = u.state("momentum_buffer");
        boolean first = u.newState();
        for (int i = start; i < end; i++) {
            float d = sign * g[go + i] + lambda * p[po + i];
            float bt = first ? d : mu * b[i] + keep * d;
            b[i] = bt;
            p[po + i] -= alpha * (nesterov ? d + mu * bt : bt);
        }
    }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("momentum", momentum);
        h.put("dampening", dampening);
        h.put("weight_decay", weightDecay);
        h.put("nesterov", nesterov);
        h.put("maximize", maximize);
        return h;
    }

    @Override
    public SGD withHyperParameters(Map<String, Object> h) {
        return new SGD(StateMaps.number(h, "lr"), StateMaps.number(h, "momentum"), StateMaps.number(h, "dampening"),
                StateMaps.number(h, "weight_decay"), StateMaps.bool(h, "nesterov"), StateMaps.bool(h, "maximize"));
    }
}
