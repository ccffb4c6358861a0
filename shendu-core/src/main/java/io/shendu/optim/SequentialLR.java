package io.shendu.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedules one after another, switching at the milestones, as PyTorch's {@code SequentialLR} (1.13):
 * schedule k runs from milestone k − 1, restarted from its base lr there. A warm-up then cosine decay:
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * var cosine = new CosineAnnealingLR(opt, 95, 0.0);
 * LRScheduler schedule = new SequentialLR(opt, List.of(warmup, cosine), new int[] {5});
 * }</pre>
 * Building it puts the groups back at their initial lr and undoes the step each schedule took when it was built,
 * then starts the first one.
 */
public final class SequentialLR implements LRScheduler {

    private final Optimizer<?> optimizer;
    private final List<ChainableScheduler> schedulers;
    private final int[] milestones;
    private int lastEpoch;
    private double[] lastLr;

    public SequentialLR(Optimizer<?> optimizer, List<? extends ChainableScheduler> schedulers, int[] milestones) {
        if (schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR: no schedulers");
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + i + " belongs to another optimizer");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: " + schedulers.size() + " schedulers need "
                    + (schedulers.size() - 1) + " milestones, got " + milestones.length);
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) throw new IllegalArgumentException("SequentialLR: milestones must increase: " + Arrays.toString(milestones));
        }
        this.optimizer = optimizer;
        this.schedulers = new ArrayList<>(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = 0;
        for (ParamGroup<?> g : optimizer.paramGroups()) g.setLr(g.initialLr());
        for (ChainableScheduler s : this.schedulers) s.undoStep();
        this.schedulers.getFirst().initialStep();
        lastLr = this.schedulers.getFirst().lastLr();
    }

    @Override
    public void step() {
        lastEpoch++;
        int index = 0;
        while (index < milestones.length && milestones[index] <= lastEpoch) index++;
        ChainableScheduler current = schedulers.get(index);
        if (index > 0 && milestones[index - 1] == lastEpoch) current.stepTo(0);
        else current.step();
        lastLr = current.lastLr();
    }

    @Override
    public double[] lastLr() {
        return lastLr.clone();
    }

    @Override
    public int lastEpoch() {
        return lastEpoch;
    }

    @Override
    public Optimizer<?> optimizer() {
        return optimizer;
    }

    /** {@code last_epoch}, {@code last_lr} and each schedule's own state under {@code schedulers}. */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("last_epoch", lastEpoch);
        s.put("last_lr", StateMaps.doubles(lastLr));
        List<Object> children = new ArrayList<>();
        for (ChainableScheduler c : schedulers) children.add(c.stateDict());
        s.put("schedulers", children);
        return s;
    }

    @Override
    public void loadStateDict(Map<String, Object> state) {
        List<Object> children = StateMaps.list(state.get("schedulers"), "schedulers");
        if (children.size() != schedulers.size()) {
            throw new IllegalArgumentException("SequentialLR.loadStateDict: saved " + children.size() + " schedulers, this has " + schedulers.size());
        }
        for (int i = 0; i < children.size(); i++) schedulers.get(i).loadStateDict(StateMaps.map(children.get(i), "schedulers[" + i + "]"));
        lastEpoch = StateMaps.integerAsInt(state, "last_epoch");
        lastLr = StateMaps.numbers(state, "last_lr");
    }
}
