package io.shendu.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015), as PyTorch's {@code torch.optim.Adam} (1.13):
 * <pre>
 *   d = g + λ·θ                         (g negated when maximizing; λ = weight_decay, an L2 penalty)
 *   m = β₁·m + (1 − β₁)·d               (exp_avg)
 *   v = β₂·v + (1 − β₂)·d²              (exp_avg_sq)
 *   v̂ = max(v̂, v) with amsgrad, else v  (max_exp_avg_sq)
 *   θ = θ − α/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * </pre>
 * {@link AdamW} decays the weights directly instead of adding λ·θ to the gradient.
 */
public record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                   boolean maximize) implements UpdateRule<Adam>, MomentumRule<Adam> {

    public Adam {
        validate("Adam", lr, beta1, beta2, eps, weightDecay);
    }

    static void validate(String owner, double lr, double beta1, double beta2, double eps, double weightDecay) {
        Checks.nonNegative(owner, "lr", lr);
        Checks.decayRate(owner, "betas[0]", beta1);
        Checks.decayRate(owner, "betas[1]", beta2);
        Checks.nonNegative(owner, "eps", eps);
        Checks.nonNegative(owner, "weight_decay", weightDecay);
    }

    /** PyTorch's defaults: betas (0.9, 0.999), ε = 1e-8, no weight decay, no amsgrad. */
    public static Adam of(double lr) {
        return new Adam(lr, 0.9, 0.999, 1e-8, 0, false, false);
    }

    @Override
    public String name() {
        return "Adam";
    }

    @Override
    public Adam withLr(double lr) {
        return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public Adam withBetas(double beta1, double beta2) {
        return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public Adam withEps(double eps) {
        return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    /** L2 penalty λ·θ added to the gradient (for decoupled decay use {@link AdamW}). */
    public Adam withWeightDecay(double weightDecay) {
        return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    /** AMSGrad (Reddi et al., 2018): the denominator uses the running maximum of v. */
    public Adam withAmsgrad(boolean amsgrad) {
        return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public Adam withMaximize(boolean maximize) {
        return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    /** β₁, the momentum {@link OneCycleLR} cycles. */
    @Override
    public double momentum() {
        return beta1;
    }

    @Override
    public Adam withMomentum(double momentum) {
        return withBetas(momentum, beta2);
    }

    @Override
    public List<String> stateNames() {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    public void update(ParamUpdate u, int start, int end) {
        update(u, start, end, 1f);
    }

    /** The update after the weights are scaled by {@code decay} ({@link AdamW}'s {@code 1 − α·λ}; 1 for Adam). */
    void update(ParamUpdate u, int start, int end, float decay) {
        float[] p = u.param(), g = u.grad(), m = u.state("exp_avg"), v = u.state("exp_avg_sq");
        float[] vMax = amsgrad ? u.state("max_exp_avg_sq") : null;
        int po = u.paramOffset(), go = u.gradOffset();
        long t = u.step();
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float b1 = (float) beta1, rest1 = (float) (1 - beta1), b2 = (float) beta2, rest2 = (float) (1 - beta2);
        float epsilon = (float) eps, lambda = (float) weightDecay, sign = maximize ? -1f : 1f;
        int first = start;
        if (vMax == null && io.shendu.backend.cpu.VectorSupport.available()) {
            first = AdamVectorLoop.run(p, po, g, go, m, v, start, end, decay, sign, lambda, b1, rest1, b2, rest2,
                    correction2, epsilon, stepSize);
        }
        for (int i = first; i < end; i++) {
            float theta = decay * p[po + i];
            float d = sign * g[go + i] + lambda * theta;
            m[i] = b1 * m[i] + rest1 * d;
            v[i] = b2 * v[i] + rest2 * d * d;
            float second = v[i];
            if (vMax != null) second = vMax[i] = Math.max(vMax[i], v[i]);
            float denominator = (float) Math.sqrt(second) / correction2 + epsilon;
            p[po + i] = theta - stepSize * (m[i] / denominator);
        }
    }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("betas", StateMaps.doubles(beta1, beta2));
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("amsgrad", amsgrad);
        h.put("maximize", maximize);
        return h;
    }

    @Override
    public Adam withHyperParameters(Map<String, Object> h) {
        double[] betas = StateMaps.numbers(h, "betas");
        if (betas.length != 2) throw new IllegalArgumentException("state dict: 'betas' must hold 2 numbers, got " + betas.length);
        return new Adam(StateMaps.number(h, "lr"), betas[0], betas[1], StateMaps.number(h, "eps"),
                StateMaps.number(h, "weight_decay"), StateMaps.bool(h, "amsgrad"), StateMaps.bool(h, "maximize"));
    }
}
