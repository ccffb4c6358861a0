package io.shendu.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (Hinton's lecture 6e), as PyTorch's {@code torch.optim.RMSprop} (1.13):
 * <pre>
 *   d = g + λ·θ                         (g negated when maximizing; λ = weight_decay)
 *   v = a·v + (1 − a)·d²                (square_avg; a = alpha)
 *   centered:  ḡ = a·ḡ + (1 − a)·d,  D = √(v − ḡ²) + ε      otherwise  D = √v + ε
 *   momentum μ > 0:  b = μ·b + d / D,  θ = θ − α·b            otherwise  θ = θ − α·d / D
 * </pre>
 */
public record RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                      boolean maximize) implements UpdateRule<RMSprop>, MomentumRule<RMSprop> {

    public RMSprop {
        Checks.nonNegative("RMSprop", "lr", lr);
        Checks.fraction("RMSprop", "alpha", alpha);
        Checks.nonNegative("RMSprop", "eps", eps);
        Checks.nonNegative("RMSprop", "weight_decay", weightDecay);
        Checks.nonNegative("RMSprop", "momentum", momentum);
    }

    /** PyTorch's defaults: alpha 0.99, ε = 1e-8, no weight decay, no momentum, not centered. */
    public static RMSprop of(double lr) {
        return new RMSprop(lr, 0.99, 1e-8, 0, 0, false, false);
    }

    @Override
    public String name() {
        return "RMSprop";
    }

    @Override
    public RMSprop withLr(double lr) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    public RMSprop withAlpha(double alpha) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    public RMSprop withEps(double eps) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    public RMSprop withWeightDecay(double weightDecay) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    @Override
    public RMSprop withMomentum(double momentum) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    /** Normalises by the estimated variance of the gradient instead of its raw second moment. */
    public RMSprop withCentered(boolean centered) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    public RMSprop withMaximize(boolean maximize) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    @Override
    public List<String> stateNames() {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (momentum > 0) names.add("momentum_buffer");
        if (centered) names.add("grad_avg");
        return names;
    }

    @Override
    public void update(ParamUpdate u, int start, int end) {
        float[] p = u.param(), g = u.grad(), v = u.state("square_avg");
        float[] avg = centered ? u.state("grad_avg") : null, b = momentum > 0 ? u.state("momentum_buffer") : null;
        int po = u.paramOffset(), go = u.gradOffset();
        float a = (float) alpha, rest = (float) (1 - alpha), epsilon = (float) eps, lrate = (float) lr;
        float mu = (float) momentum, lambda = (float) weightDecay, sign = maximize ? -1f : 1f;
        for (int i = start; i < end; i++) {
            float d = sign * g[go + i] + lambda * p[po + i];
            v[i] = a * v[i] + rest * d * d;
            float denominator;
            if (avg != null) {
                avg[i] = a * avg[i] + rest * d;
                denominator = (float) Math.sqrt(v[i] - avg[i] * avg[i]) + epsilon;
            } else {
                denominator = (float) Math.sqrt(v[i]) + epsilon;
            }
            if (b != null) {
                b[i] = mu * b[i] + d / denominator;
                p[po + i] -= lrate * b[i];
            } else {
                p[po + i] -= lrate * (d / denominator);
            }
        }
    }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("alpha", alpha);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("momentum", momentum);
        h.put("centered", centered);
        h.put("maximize", maximize);
        return h;
    }

    @Override
    public RMSprop withHyperParameters(Map<String, Object> h) {
        return new RMSprop(StateMaps.number(h, "lr"), StateMaps.number(h, "alpha"), StateMaps.number(h, "eps"),
                StateMaps.number(h, "weight_decay"), StateMaps.number(h, "momentum"), StateMaps.bool(h, "centered"),
                StateMaps.bool(h, "maximize"));
    }
}
