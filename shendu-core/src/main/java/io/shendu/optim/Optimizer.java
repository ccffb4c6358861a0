package io.shendu.optim;

import io.shendu.autograd.NoGrad;
import io.shendu.backend.cpu.Parallel;
import io.shendu.tensor.DType;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one optimizer: parameter groups, each with its {@link UpdateRule} (algorithm and hyper-parameters),
 * per-parameter {@link ParamState}, and the step count.
 * <pre>{@code
 * var opt = new Optimizer<>(model.parameters(), Adam.of(1e-3));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 * {@link #step()} updates every parameter that has a gradient in place, under no-grad, with the rule's fused loop
 * over its storage (split across threads for big parameters), and bumps the parameter's version counter.
 * {@link #stateDict()} and {@link #loadStateDict} resume training exactly.
 */
public final class Optimizer<R extends UpdateRule<R>> {

    /** Parameters with fewer elements are updated on the calling thread. */
    private static final int GRAIN = 1 << 15;

    private final List<ParamGroup<R>> groups = new ArrayList<>();
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();
    private long stepCount;

    /** One group of {@code params} with the hyper-parameters of {@code rule}. */
    public Optimizer(List<Tensor> params, R rule) {
        this(List.of(new ParamGroup<>(params, rule)));
    }

    /** Several groups, each with its own hyper-parameters. */
    public Optimizer(List<ParamGroup<R>> groups) {
        if (groups.isEmpty()) throw new IllegalArgumentException("Optimizer: no parameter groups");
        groups.forEach(this::addParamGroup);
    }

    /**
     * Adds a group (e.g. layers unfrozen during fine-tuning). Parameters must be contiguous float leaf tensors,
     * each in one group only.
     */
    public void addParamGroup(ParamGroup<R> group) {
        if (group.params().isEmpty()) throw new IllegalArgumentException("Optimizer: parameter group " + groups.size() + " is empty");
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (ParamGroup<R> g : groups) g.params().forEach(p -> seen.put(p, true));
        for (Tensor p : group.params()) {
            String where = "Optimizer: parameter " + Arrays.toString(p.shape()) + " of group " + groups.size();
            if (p.dtype() != DType.FLOAT32) throw new IllegalArgumentException(where + " is not a float tensor");
            if (p.gradFn() != null) throw new IllegalArgumentException(where + " is not a leaf (computed by " + p.gradFn().name() + ")");
            if (!p.isContiguous()) throw new IllegalArgumentException(where + " is not contiguous");
            if (seen.put(p, true) != null) throw new IllegalArgumentException(where + " appears in more than one place");
        }
        groups.add(group);
    }

    public List<ParamGroup<R>> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The number of {@link #step()} calls so far. */
    public long stepCount() {
        return stepCount;
    }

    /** The state of {@code param}, or null before its first update. */
    public ParamState state(Tensor param) {
        return state.get(param);
    }

    /** Sets every parameter's gradient to null, so the next backward starts from nothing. */
    public void zeroGrad() {
        for (ParamGroup<R> g : groups) g.params().forEach(Tensor::zeroGrad);
    }

    /** One update of every parameter that has a gradient; parameters without one are left as they are. */
    public void step() {
        try (var _ = NoGrad.enter()) {
            for (ParamGroup<R> group : groups) {
                R rule = group.rule();
                for (Tensor p : group.params()) {
                    if (p.grad() != null) update(p, rule);
                }
            }
        }
        stepCount++;
    }

    private void update(Tensor p, R rule) {
        Tensor g = p.grad().contiguous(); // a gradient may be a view (e.g. of an expanded tensor)
        ParamState s = state.computeIfAbsent(p, t -> new ParamState(t.numel()));
        boolean created = false;
        for (String name : rule.stateNames()) created |= s.ensure(name, rule.initialState(name));
        s.setStep(s.step() + 1);
        ParamUpdate u = new ParamUpdate(p.floatStorage(), p.offset(), g.floatStorage(), g.offset(), s, created);
        Parallel.forRange(p.numel(), GRAIN, (start, end) -> rule.update(u, start, end));
        p.markModified();
    }

    // ---------------------------------------------------------------- state dict

    /**
     * PyTorch's layout, JSON-friendly: {@code state} maps a parameter's index (a string, counting through the
     * groups in order) to {@code {"step": long, "<name>": Tensor, ...}}; {@code param_groups} lists each group's
     * {@code rule}, hyper-parameters, {@code initial_lr} (when set) and {@code params} (indices);
     * {@code step_count} is the optimizer's. Tensors are copies; everything else is numbers, booleans, strings,
     * lists and maps.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> states = new LinkedHashMap<>();
        List<Object> groupList = new ArrayList<>();
        int index = 0;
        for (ParamGroup<R> group : groups) {
            List<Object> ids = new ArrayList<>();
            for (Tensor p : group.params()) {
                ParamState s = state.get(p);
                if (s != null) states.put(Integer.toString(index), paramStateDict(p, s));
                ids.add(index++);
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("rule", group.rule().name());
            g.putAll(group.rule().hyperParameters());
            if (group.hasInitialLr()) g.put("initial_lr", group.initialLr());
            g.put("params", ids);
            groupList.add(g);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", states);
        out.put("param_groups", groupList);
        out.put("step_count", stepCount);
        return out;
    }

    private static Map<String, Object> paramStateDict(Tensor p, ParamState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s.step());
        s.buffers().forEach((name, values) -> m.put(name, Tensor.of(values, p.shape())));
        return m;
    }

    /**
     * Restores a {@link #stateDict()} taken from an optimizer with the same groups and parameter shapes: the
     * hyper-parameters of every group, the per-parameter state and the step count. Nothing changes if it fails.
     */
    public void loadStateDict(Map<String, Object> dict) {
        List<Object> saved = StateMaps.list(dict.get("param_groups"), "param_groups");
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException("loadStateDict: the state dict has " + saved.size()
                    + " parameter groups, this optimizer " + groups.size());
        }
        List<R> rules = new ArrayList<>();
        double[] initialLrs = new double[groups.size()];
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup<R> group = groups.get(i);
            Map<String, Object> g = StateMaps.map(saved.get(i), "param_groups[" + i + "]");
            String name = StateMaps.string(g, "rule");
            if (!name.equals(group.rule().name())) {
                throw new IllegalArgumentException("loadStateDict: group " + i + " was saved by " + name + ", this optimizer runs " + group.rule().name());
            }
            int count = StateMaps.list(g.get("params"), "param_groups[" + i + "].params").size();
            if (count != group.params().size()) {
                throw new IllegalArgumentException("loadStateDict: group " + i + " has " + count + " saved parameters, this optimizer " + group.params().size());
            }
            rules.add(group.rule().withHyperParameters(g));
            initialLrs[i] = g.containsKey("initial_lr") ? StateMaps.number(g, "initial_lr") : Double.NaN;
            params.addAll(group.params());
        }
        Map<Tensor, ParamState> restored = restoreStates(StateMaps.map(dict.get("state"), "state"), params);
        long steps = StateMaps.integer(dict, "step_count");
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setRule(rules.get(i));
            if (!Double.isNaN(initialLrs[i])) groups.get(i).setInitialLr(initialLrs[i]);
        }
        state.clear();
        state.putAll(restored);
        stepCount = steps;
    }

    private static Map<Tensor, ParamState> restoreStates(Map<String, Object> states, List<Tensor> params) {
        Map<Tensor, ParamState> restored = new IdentityHashMap<>();
        states.forEach((key, value) -> {
            int index;
            try {
                index = Integer.parseInt(key);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("loadStateDict: state key '" + key + "' is not a parameter index");
            }
            if (index < 0 || index >= params.size()) {
                throw new IllegalArgumentException("loadStateDict: state for parameter " + index + " but there are " + params.size());
            }
            Tensor p = params.get(index);
            Map<String, Object> saved = StateMaps.map(value, "state." + key);
            ParamState s = new ParamState(p.numel());
            s.setStep(StateMaps.integer(saved, "step"));
            saved.forEach((name, v) -> {
                if (!name.equals("step")) s.put(name, StateMaps.floats(v, "state." + key + "." + name));
            });
            restored.put(p, s);
        });
        return restored;
    }
}
