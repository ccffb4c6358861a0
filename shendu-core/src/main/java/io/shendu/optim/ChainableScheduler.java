package io.shendu.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule written in PyTorch's chainable form: each step derives a group's new lr from its current lr
 * (and the base lr), so several such schedules can act on the same optimizer ({@link ChainedScheduler}).
 *
 * <p>As PyTorch's {@code _LRScheduler}: a schedule built with {@code lastEpoch = -1} records each group's current
 * lr as its {@code initialLr} (unless one is already set) and takes step 0; built with {@code lastEpoch = k ≥ 0}
 * (resuming) it needs the {@code initialLr} of a loaded optimizer state and takes step k + 1. The base lrs are
 * the groups' {@code initialLr}. Subclasses set their fields before calling the constructor, which takes the first
 * step.
 */
public abstract class ChainableScheduler implements LRScheduler {

    private final Optimizer<?> optimizer;
    /** The lr each group's schedule starts from. */
    private final double[] baseLrs;
    private int lastEpoch;
    /** Steps taken by this object, counting the one at construction (PyTorch's {@code _step_count}). */
    private int stepCount;
    private double[] lastLr;

    @SuppressWarnings("this-escape") // subclasses initialise their fields before calling this constructor
    protected ChainableScheduler(Optimizer<?> optimizer, int lastEpoch) {
        if (lastEpoch < -1) throw new IllegalArgumentException(getClass().getSimpleName() + ": lastEpoch must be >= -1, got " + lastEpoch);
        this.optimizer = optimizer;
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup<?> g = groups.get(i);
            if (lastEpoch == -1 && !g.hasInitialLr()) g.setInitialLr(g.lr());
            if (!g.hasInitialLr()) {
                throw new IllegalStateException(getClass().getSimpleName() + ": resuming at lastEpoch " + lastEpoch
                        + " but parameter group " + i + " has no initial lr; load the optimizer's state dict first");
            }
            baseLrs[i] = g.initialLr();
        }
        this.lastEpoch = lastEpoch;
        initialStep();
    }

    /** The lr group {@code i}'s schedule starts from (its {@code initialLr}). */
    protected final double baseLr(int i) {
        return baseLrs[i];
    }

    /** The lr of group {@code i} at {@link #lastEpoch()}, from its current lr {@code group.lr()}. */
    protected abstract double chainedLr(ParamGroup<?> group, int i);

    /** The lr of group {@code i} at {@link #lastEpoch()} from the base lr alone; defaults to the chained form. */
    protected double closedFormLr(ParamGroup<?> group, int i) {
        return chainedLr(group, i);
    }

    @Override
    public final void step() {
        stepCount++;
        lastEpoch++;
        apply(false);
    }

    /** Jumps to {@code epoch} with the closed form ({@link SequentialLR} restarts a schedule at 0 this way). */
    final void stepTo(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(true);
    }

    /** Resets the step count and takes the first step, as at construction. */
    final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Moves {@link #lastEpoch()} back by one without changing any lr ({@link SequentialLR} undoes the step taken at construction). */
    final void undoStep() {
        lastEpoch--;
    }

    private void apply(boolean closedForm) {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = closedForm ? closedFormLr(groups.get(i), i) : chainedLr(groups.get(i), i);
        for (int i = 0; i < lrs.length; i++) groups.get(i).setLr(lrs[i]);
        lastLr = lrs;
    }

    @Override
    public final double[] lastLr() {
        return lastLr.clone();
    }

    @Override
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** How many times this object has stepped, counting construction: 1 right after it. */
    protected final int stepCount() {
        return stepCount;
    }

    @Override
    public final Optimizer<?> optimizer() {
        return optimizer;
    }

    /** {@code last_epoch}, {@code step_count}, {@code base_lrs} and {@code last_lr}. */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("last_epoch", lastEpoch);
        s.put("step_count", stepCount);
        s.put("base_lrs", StateMaps.doubles(baseLrs));
        s.put("last_lr", StateMaps.doubles(lastLr));
        return s;
    }

    /** Restores the position saved by {@link #stateDict()}; the groups' lrs come from the optimizer's state. */
    @Override
    public void loadStateDict(Map<String, Object> state) {
        double[] base = StateMaps.numbers(state, "base_lrs");
        double[] last = StateMaps.numbers(state, "last_lr");
        if (base.length != baseLrs.length || last.length != baseLrs.length) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: saved for " + base.length
                    + " parameter groups, the optimizer has " + baseLrs.length);
        }
        lastEpoch = StateMaps.integerAsInt(state, "last_epoch");
        stepCount = StateMaps.integerAsInt(state, "step_count");
        System.arraycopy(base, 0, baseLrs, 0, base.length);
        lastLr = last;
    }
}
