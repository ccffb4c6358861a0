package io.shendu.optim;

/** Decays the lr by γ every {@code stepSize} steps: {@code lr_t = base·γ^⌊t / stepSize⌋}. */
public final class StepLR extends ChainableScheduler {

    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma, int lastEpoch) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: stepSize must be > 0, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double chainedLr(ParamGroup<?> group, int i) {
        int t = lastEpoch();
        return t == 0 || t % stepSize != 0 ? group.lr() : group.lr() * gamma;
    }

    @Override
    protected double closedFormLr(ParamGroup<?> group, int i) {
        return baseLr(i) * Math.pow(gamma, Math.floorDiv(lastEpoch(), stepSize));
    }
}
