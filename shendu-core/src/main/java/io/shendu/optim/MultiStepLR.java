package io.shendu.optim;

import java.util.Arrays;

/**
 * Decays the lr by γ at each milestone: {@code lr_t = base·γ^(number of milestones ≤ t)}. A milestone listed
 * twice decays twice.
 */
public final class MultiStepLR extends ChainableScheduler {

    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer<?> optimizer, int[] milestones, double gamma) {
        this(optimizer, milestones, gamma, -1);
    }

    public MultiStepLR(Optimizer<?> optimizer, int[] milestones, double gamma, int lastEpoch) {
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        this.milestones = sorted;
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double chainedLr(ParamGroup<?> group, int i) {
        int hits = 0;
        for (int m : milestones) if (m == lastEpoch()) hits++;
        return hits == 0 ? group.lr() : group.lr() * Math.pow(gamma, hits);
    }

    @Override
    protected double closedFormLr(ParamGroup<?> group, int i) {
        int passed = 0;
        for (int m : milestones) if (m <= lastEpoch()) passed++;
        return baseLr(i) * Math.pow(gamma, passed);
    }
}
