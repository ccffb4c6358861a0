package io.shendu.optim;

import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as PyTorch's {@code torch.optim.AdamW} (1.13):
 * <pre>
 *   θ = (1 − α·λ)·θ                     (λ = weight_decay, applied to the weights, not the gradient)
 *   then {@link Adam}'s update with d = g
 * </pre>
 */
public record AdamW(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                    boolean maximize) implements UpdateRule<AdamW>, MomentumRule<AdamW> {

    public AdamW {
        Adam.validate("AdamW", lr, beta1, beta2, eps, weightDecay);
    }

    /** PyTorch's defaults: betas (0.9, 0.999), ε = 1e-8, weight decay 0.01, no amsgrad. */
    public static AdamW of(double lr) {
        return new AdamW(lr, 0.9, 0.999, 1e-8, 1e-2, false, false);
    }

    @Override
    public String name() {
        return "AdamW";
    }

    @Override
    public AdamW withLr(double lr) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamW withBetas(double beta1, double beta2) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamW withEps(double eps) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamW withWeightDecay(double weightDecay) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamW withAmsgrad(boolean amsgrad) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamW withMaximize(boolean maximize) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    /** β₁, the momentum {@link OneCycleLR} cycles. */
    @Override
    public double momentum() {
        return beta1;
    }

    @Override
    public AdamW withMomentum(double momentum) {
        return withBetas(momentum, beta2);
    }

    @Override
    public List<String> stateNames() {
        return asAdam(0).stateNames();
    }

    @Override
    public void update(ParamUpdate u, int start, int end) {
        asAdam(0).update(u, start, end, (float) (1 - lr * weightDecay));
    }

    /** Adam with these hyper-parameters and the given L2 weight decay. */
    private Adam asAdam(double l2) {
        return new Adam(lr, beta1, beta2, eps, l2, amsgrad, maximize);
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return asAdam(weightDecay).hyperParameters();
    }

    @Override
    public AdamW withHyperParameters(Map<String, Object> h) {
        Adam a = asAdam(weightDecay).withHyperParameters(h);
        return new AdamW(a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.amsgrad(), a.maximize());
    }
}
