package io.shendu.nn;

import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A building block of a network: parameters, buffers and child modules, each registered by name in the
 * constructor, and a {@link #forward}. Names compose with dots, so a state dict reads like PyTorch's
 * ({@code layer1.0.conv1.weight}, {@code bn.running_mean}) and PyTorch weights load without renaming.
 *
 * <p>{@code forward} must keep no per-call state on the module, so one trained model serves many threads.
 *
 * <p>A module invokes its children with {@link #call}, not {@code forward}, as PyTorch's {@code module(x)}: the
 * result is the same, and tools that watch the calls ({@link #summary}, later hooks) see the child. A child run
 * through {@code forward} still works; it is just not seen (PyTorch's rule for hooks).
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Generator> generators = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the output for one input. A parent module runs its children through {@link #call}. */
    public abstract Tensor forward(Tensor input);

    /**
     * Runs {@link #forward}. While {@link #summary} traces the current thread, also records this call: the module,
     * its nesting and its output shape. Otherwise the cost is one {@code ThreadLocal} read, and calls on other
     * threads are never recorded, so a summary does not disturb concurrent inference.
     */
    public final Tensor call(Tensor input) {
        Summary.Trace trace = Summary.Trace.current();
        return trace == null ? forward(input) : trace.record(this, input, this::forward);
    }

    /**
     * Runs {@code variant}, a fused form of this module's forward (e.g. {@code conv.call(x, conv::forwardRelu)}),
     * recorded as a call of this module with the variant's output.
     */
    public final Tensor call(Tensor input, UnaryOperator<Tensor> variant) {
        Summary.Trace trace = Summary.Trace.current();
        return trace == null ? variant.apply(input) : trace.record(this, input, variant);
    }

    /** Whether a summary traces the current thread (fused paths then run layer by layer, each with its row). */
    static boolean tracing() {
        return Summary.Trace.current() != null;
    }

    /** Registers a learnable tensor; it is marked {@code requiresGrad}. Returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        if (value != null) value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers a persistent non-learnable tensor (e.g. batch norm's running mean). Returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a random generator the module draws from while it runs (dropout's mask), so checkpoints can save
     * and restore its state and a resumed run draws the same numbers. Returns it.
     */
    protected final Generator registerGenerator(String name, Generator generator) {
        if (generators.containsKey(name)) throw new IllegalArgumentException(getClass().getSimpleName() + ": generator '" + name + "' already registered");
        generators.put(name, generator);
        return generator;
    }

    /** The generators of this module and its descendants, by dotted name. */
    public final Map<String, Generator> namedGenerators() {
        Map<String, Generator> out = new LinkedHashMap<>();
        collectGenerators("", out);
        return out;
    }

    private void collectGenerators(String prefix, Map<String, Generator> out) {
        generators.forEach((n, g) -> out.put(prefix + n, g));
        children.forEach((n, m) -> m.collectGenerators(prefix + n + ".", out));
    }

    /** Registers a child module. Returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid name '" + name + "' (non-empty, no dots)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    /** The parameter registered directly on this module under {@code name}. */
    protected final Tensor parameter(String name) {
        return parameters.get(name);
    }

    /** Replaces the tensor of a registered buffer (buffers are updated by assignment, e.g. running stats). */
    protected final void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException("no buffer '" + name + "'");
        buffers.put(name, value);
    }

    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    // ---------------------------------------------------------------- traversal

    /** Every parameter of this module and its descendants, in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name, in registration order (own first, then each child's). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, false);
        return out;
    }

    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false, true);
        return out;
    }

    public final List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params, boolean bufs) {
        if (params) parameters.forEach((n, t) -> { if (t != null) out.put(prefix + n, t); });
        if (bufs) buffers.forEach((n, t) -> { if (t != null) out.put(prefix + n, t); });
        children.forEach((n, m) -> m.collect(prefix + n + ".", out, params, bufs));
    }

    /** Direct children by name. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    public final List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** Calls {@code fn} on every descendant, children first, then on this module (as PyTorch's apply). */
    public final Module apply(Consumer<Module> fn) {
        for (Module child : children.values()) child.apply(fn);
        fn.accept(this);
        return this;
    }

    // ---------------------------------------------------------------- mode

    /** Training mode (dropout active, batch norm uses batch statistics); the default. */
    public final Module train() {
        return setTraining(true);
    }

    /** Evaluation mode. */
    public final Module eval() {
        return setTraining(false);
    }

    private Module setTraining(boolean on) {
        apply(m -> m.training = on);
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- state

    /** Parameters and buffers by dotted name: own parameters, own buffers, then each child's. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateInto("", out);
        return out;
    }

    private void stateInto(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, t) -> { if (t != null) out.put(prefix + n, t); });
        buffers.forEach((n, t) -> { if (t != null) out.put(prefix + n, t); });
        children.forEach((n, m) -> m.stateInto(prefix + n + ".", out));
    }

    /**
     * Copies values into this module's parameters and buffers by name. With {@code strict}, missing or
     * unexpected names are an error listing them; shapes must always match.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: " + getClass().getSimpleName() + ": missing keys " + missing
                    + ", unexpected keys " + unexpected);
        }
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) continue;
            Tensor dst = e.getValue();
            if (!Arrays.equals(src.shape(), dst.shape())) {
                throw new IllegalArgumentException("loadStateDict: " + e.getKey() + ": expected shape "
                        + Arrays.toString(dst.shape()) + " but found " + Arrays.toString(src.shape()));
            }
            try (var ignored = NoGrad.enter()) {
                if (dst.dtype() == src.dtype() && dst.dtype() == io.shendu.tensor.DType.FLOAT32) {
                    dst.copyFrom(src);
                } else {
                    replaceIntBuffer(e.getKey(), src);
                }
            }
        }
    }

    private void replaceIntBuffer(String dotted, Tensor src) {
        int dot = dotted.lastIndexOf('.');
        Module owner = this;
        if (dot >= 0) {
            for (String part : dotted.substring(0, dot).split("\\.")) owner = owner.children.get(part);
        }
        String name = dotted.substring(dot + 1);
        if (owner.buffers.containsKey(name)) owner.buffers.put(name, src.contiguousCopy());
        else throw new IllegalArgumentException("loadStateDict: " + dotted + ": dtype " + src.dtype() + " does not match");
    }

    /** Sets every parameter's gradient to null. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    /** Total number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    /**
     * The layer table for an input of {@code inputShape} (batch dimension included): a row per module call (children
     * invoked with {@link #call}), with its output shape and parameter count, and the totals. Runs one forward pass
     * on zeros in eval mode, without a graph.
     */
    public final String summary(int... inputShape) {
        return Summary.of(this, inputShape);
    }

    /** A one-line description of this module's configuration, e.g. {@code Linear(in=784, out=10)}. */
    public String describe() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        if (children.isEmpty()) return describe();
        StringBuilder sb = new StringBuilder(describe()).append("(\n");
        children.forEach((n, m) -> sb.append("  (").append(n).append("): ")
                .append(m.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }
}
