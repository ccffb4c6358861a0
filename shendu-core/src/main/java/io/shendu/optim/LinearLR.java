package io.shendu.optim;

/**
 * Linear warm-up (or decay) of the lr's factor from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} steps, then constant:
 * <pre>
 *   lr_t = base·(start + (end − start)·min(t, totalIters) / totalIters)
 * </pre>
 */
public final class LinearLR extends ChainableScheduler {

    private final double startFactor, endFactor;
    private final int totalIters;

    public LinearLR(Optimizer<?> optimizer, double startFactor, double endFactor, int totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1);
    }

    public LinearLR(Optimizer<?> optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
        if (!(startFactor > 0 && startFactor <= 1)) throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1], got " + startFactor);
        if (!(endFactor >= 0 && endFactor <= 1)) throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
        if (totalIters <= 0) throw new IllegalArgumentException("LinearLR: totalIters must be > 0, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double chainedLr(ParamGroup<?> group, int i) {
        int t = lastEpoch();
        if (t == 0) return group.lr() * startFactor;
        if (t > totalIters) return group.lr();
        // Ratio of this step's factor to the previous one.
        double change = endFactor - startFactor;
        return group.lr() * (1 + change / (totalIters * startFactor + (t - 1) * change));
    }

    @Override
    protected double closedFormLr(ParamGroup<?> group, int i) {
        return baseLr(i) * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch()) / totalIters);
    }
}
