package io.shendu.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steps several schedules on the same optimizer together, as PyTorch's {@code ChainedScheduler}: each derives
 * its lr from the one the previous left, so their factors multiply (e.g. a warm-up {@link LinearLR} with an
 * {@link ExponentialLR} decay).
 */
public final class ChainedScheduler implements LRScheduler {

    private final List<LRScheduler> schedulers;
    private double[] lastLr;

    public ChainedScheduler(List<? extends LRScheduler> schedulers) {
        if (schedulers.isEmpty()) throw new IllegalArgumentException("ChainedScheduler: no schedulers");
        for (int i = 1; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != schedulers.getFirst().optimizer()) {
                throw new IllegalArgumentException("ChainedScheduler: scheduler " + i + " belongs to another optimizer than scheduler 0");
            }
        }
        this.schedulers = new ArrayList<>(schedulers);
        lastLr = currentLrs();
    }

    @Override
    public void step() {
        for (LRScheduler s : schedulers) s.step();
        lastLr = currentLrs();
    }

    private double[] currentLrs() {
        return optimizer().paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    @Override
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The last schedule's {@code last_epoch}. */
    @Override
    public int lastEpoch() {
        return schedulers.getLast().lastEpoch();
    }

    @Override
    public Optimizer<?> optimizer() {
        return schedulers.getFirst().optimizer();
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("last_lr", StateMaps.doubles(lastLr));
        List<Object> children = new ArrayList<>();
        for (LRScheduler c : schedulers) children.add(c.stateDict());
        s.put("schedulers", children);
        return s;
    }

    @Override
    public void loadStateDict(Map<String, Object> state) {
        List<Object> children = StateMaps.list(state.get("schedulers"), "schedulers");
        if (children.size() != schedulers.size()) {
            throw new IllegalArgumentException("ChainedScheduler.loadStateDict: saved " + children.size() + " schedulers, this has " + schedulers.size());
        }
        for (int i = 0; i < children.size(); i++) schedulers.get(i).loadStateDict(StateMaps.map(children.get(i), "schedulers[" + i + "]"));
        lastLr = StateMaps.numbers(state, "last_lr");
    }
}
