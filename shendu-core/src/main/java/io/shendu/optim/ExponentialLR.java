package io.shendu.optim;

/** Decays the lr by γ every step: {@code lr_t = base·γ^t}. */
public final class ExponentialLR extends ChainableScheduler {

    private final double gamma;

    public ExponentialLR(Optimizer<?> optimizer, double gamma) {
        this(optimizer, gamma, -1);
    }

    public ExponentialLR(Optimizer<?> optimizer, double gamma, int lastEpoch) {
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double chainedLr(ParamGroup<?> group, int i) {
        return lastEpoch() == 0 ? group.lr() : group.lr() * gamma;
    }

    @Override
    protected double closedFormLr(ParamGroup<?> group, int i) {
        return baseLr(i) * Math.pow(gamma, lastEpoch());
    }
}
