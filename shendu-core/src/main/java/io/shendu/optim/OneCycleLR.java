package io.shendu.optim;

import java.util.List;

/**
 * The 1cycle policy (Smith and Topin, 2018), as PyTorch's {@code OneCycleLR} (1.13). The lr rises from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then anneals to
 * {@code maxLr / divFactor / finalDivFactor}; the momentum (Adam's β₁) moves the opposite way between
 * {@code maxMomentum} and {@code baseMomentum}. With {@code threePhase} the lr comes back down to the start
 * symmetrically before the final annealing. Phases end at steps {@code pctStart·total − 1}
 * ({@code 2·pctStart·total − 2}) and {@code total − 1}; within one, {@code pct} runs from 0 to 1 and
 * <pre>
 *   cos:     v = end + (start − end)·(1 + cos(π·pct)) / 2
 *   linear:  v = start + (end − start)·pct
 * </pre>
 * The optimizer's own lr is replaced: step 0 is {@code maxLr / divFactor}.
 */
public final class OneCycleLR extends ChainableScheduler {

    public enum Anneal { COS, LINEAR }

    /** The policy's shape; PyTorch's defaults from {@link #defaults()}. */
    public record OneCycleOptions(double pctStart, Anneal anneal, boolean cycleMomentum, double baseMomentum,
                                  double maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {

        public OneCycleOptions {
            if (!(pctStart >= 0 && pctStart <= 1)) throw new IllegalArgumentException("OneCycleLR: pct_start must be in [0, 1], got " + pctStart);
            if (anneal == null) throw new IllegalArgumentException("OneCycleLR: anneal strategy is null");
            Checks.positive("OneCycleLR", "div_factor", divFactor);
            Checks.positive("OneCycleLR", "final_div_factor", finalDivFactor);
        }

        /** pct_start 0.3, cosine, momentum cycled between 0.85 and 0.95, div 25, final div 1e4, two phases. */
        public static OneCycleOptions defaults() {
            return new OneCycleOptions(0.3, Anneal.COS, true, 0.85, 0.95, 25, 1e4, false);
        }

        public OneCycleOptions withPctStart(double pctStart) {
            return new OneCycleOptions(pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public OneCycleOptions withAnneal(Anneal anneal) {
            return new OneCycleOptions(pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public OneCycleOptions withCycleMomentum(boolean cycleMomentum) {
            return new OneCycleOptions(pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public OneCycleOptions withMomentumRange(double baseMomentum, double maxMomentum) {
            return new OneCycleOptions(pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public OneCycleOptions withDivFactor(double divFactor) {
            return new OneCycleOptions(pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public OneCycleOptions withFinalDivFactor(double finalDivFactor) {
            return new OneCycleOptions(pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public OneCycleOptions withThreePhase(boolean threePhase) {
            return new OneCycleOptions(pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }
    }

    /** One stretch of the policy: lr and momentum move from start to end, ending at step {@code endStep}. */
    private record Phase(double endStep, double startLr, double endLr, double startMomentum, double endMomentum) {}

    private final int totalSteps;
    private final OneCycleOptions options;
    private final List<Phase> phases;

    public OneCycleLR(Optimizer<?> optimizer, double maxLr, int totalSteps, OneCycleOptions options) {
        this(optimizer, maxLr, totalSteps, options, -1);
    }

    public OneCycleLR(Optimizer<?> optimizer, double maxLr, int totalSteps, OneCycleOptions options, int lastEpoch) {
        if (totalSteps <= 0) throw new IllegalArgumentException("OneCycleLR: totalSteps must be > 0, got " + totalSteps);
        Checks.nonNegative("OneCycleLR", "max_lr", maxLr);
        double initial = maxLr / options.divFactor(), min = initial / options.finalDivFactor();
        double lo = options.baseMomentum(), hi = options.maxMomentum(), up = options.pctStart() * totalSteps;
        this.totalSteps = totalSteps;
        this.options = options;
        this.phases = options.threePhase()
                ? List.of(new Phase(up - 1, initial, maxLr, hi, lo), new Phase(2 * up - 2, maxLr, initial, lo, hi),
                          new Phase(totalSteps - 1, initial, min, hi, hi))
                : List.of(new Phase(up - 1, initial, maxLr, hi, lo), new Phase(totalSteps - 1, maxLr, min, lo, hi));
        for (ParamGroup<?> g : optimizer.paramGroups()) {
            if (options.cycleMomentum() && !g.hasMomentum()) {
                throw new IllegalArgumentException("OneCycleLR: " + g.rule().name() + " has no momentum to cycle; use withCycleMomentum(false)");
            }
            if (lastEpoch == -1) {
                g.setInitialLr(initial);
                if (options.cycleMomentum()) g.setMomentum(hi);
            }
        }
        super(optimizer, lastEpoch);
    }

    /** The lr for this step; also sets the group's momentum when it is cycled (as PyTorch does). */
    @Override
    protected double chainedLr(ParamGroup<?> group, int i) {
        int t = lastEpoch();
        if (t > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (t + 1) + " times; the schedule has " + totalSteps + " steps");
        }
        double start = 0;
        for (int k = 0; k < phases.size(); k++) {
            Phase phase = phases.get(k);
            if (t <= phase.endStep() || k == phases.size() - 1) {
                double pct = (t - start) / (phase.endStep() - start);
                if (options.cycleMomentum()) group.setMomentum(anneal(phase.startMomentum(), phase.endMomentum(), pct));
                return anneal(phase.startLr(), phase.endLr(), pct);
            }
            start = phase.endStep();
        }
        throw new AssertionError("unreachable: the last phase always matches");
    }

    private double anneal(double start, double end, double pct) {
        return switch (options.anneal()) {
            case COS -> end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
            case LINEAR -> (end - start) * pct + start;
        };
    }
}
