package io.shendu.optim;

import io.shendu.tensor.Tensor;

import java.util.List;

/**
 * Parameters that share hyper-parameters: PyTorch's {@code param_groups} entry. The group holds its rule (an
 * immutable record of hyper-parameters); schedulers replace it through {@link #setLr} and {@link #setMomentum}.
 *
 * <p>{@code initialLr} is PyTorch's {@code initial_lr}: the lr a scheduler's schedule starts from, set by the
 * first scheduler built on the group and kept in the optimizer's state dict, so that a resumed scheduler finds it.
 */
public final class ParamGroup<R extends UpdateRule<R>> {

    private final List<Tensor> params;
    private R rule;
    private double initialLr = Double.NaN;

    public ParamGroup(List<Tensor> params, R rule) {
        if (rule == null) throw new IllegalArgumentException("ParamGroup: rule is null");
        this.params = List.copyOf(params);
        this.rule = rule;
    }

    /** The group's parameters, in order (read-only). */
    public List<Tensor> params() {
        return params;
    }

    public R rule() {
        return rule;
    }

    /** Replaces all hyper-parameters of the group. */
    public void setRule(R rule) {
        if (rule == null) throw new IllegalArgumentException("ParamGroup: rule is null");
        this.rule = rule;
    }

    public double lr() {
        return rule.lr();
    }

    public void setLr(double lr) {
        rule = rule.withLr(lr);
    }

    /** Whether the rule has a momentum {@link OneCycleLR} can cycle. */
    public boolean hasMomentum() {
        return rule instanceof MomentumRule<?>;
    }

    /** The rule's momentum (Adam's β₁). */
    public double momentum() {
        return momentumRule().momentum();
    }

    @SuppressWarnings("unchecked")
    public void setMomentum(double momentum) {
        rule = (R) momentumRule().withMomentum(momentum);
    }

    private MomentumRule<?> momentumRule() {
        if (rule instanceof MomentumRule<?> m) return m;
        throw new IllegalArgumentException(rule.name() + " has no momentum");
    }

    /** True once a scheduler (or a loaded state dict) has set {@link #initialLr()}. */
    public boolean hasInitialLr() {
        return !Double.isNaN(initialLr);
    }

    /** The lr schedules start from; NaN until set. */
    public double initialLr() {
        return initialLr;
    }

    public void setInitialLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("initial lr must be >= 0, got " + lr);
        initialLr = lr;
    }
}
