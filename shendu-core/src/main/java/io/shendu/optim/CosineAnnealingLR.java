package io.shendu.optim;

/**
 * Cosine annealing (Loshchilov and Hutter, SGDR, 2017, without restarts):
 * <pre>
 *   lr_t = η_min + (base − η_min)·(1 + cos(π·t / T_max)) / 2
 * </pre>
 * computed, as PyTorch 1.13 does, in chainable form from the previous lr; past {@code T_max} it rises again
 * along the same cosine.
 */
public final class CosineAnnealingLR extends ChainableScheduler {

    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin, int lastEpoch) {
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be > 0, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double chainedLr(ParamGroup<?> group, int i) {
        int t = lastEpoch();
        double base = baseLr(i);
        if (t == 0) return group.lr();
        if (stepCount() == 1 && t > 0) return closedFormLr(group, i); // resumed: nothing to chain from
        if (Math.floorMod(t - 1 - tMax, 2 * tMax) == 0) {
            // The previous lr was η_min, where the ratio below is 0/0: add the first step of the rise.
            return group.lr() + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) * (group.lr() - etaMin) + etaMin;
    }

    @Override
    protected double closedFormLr(ParamGroup<?> group, int i) {
        return etaMin + (baseLr(i) - etaMin) * (1 + Math.cos(Math.PI * lastEpoch() / tMax)) / 2;
    }
}
