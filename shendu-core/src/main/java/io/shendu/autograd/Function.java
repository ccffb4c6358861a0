package io.shendu.autograd;

import io.shendu.tensor.Tensor;

import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * A differentiable operation: the forward computes the output from the inputs and keeps what the backward
 * needs; the backward multiplies the upstream gradient by the local gradient, one result per input.
 * Every primitive of Shendu is a {@code Function}, and a user adds an op the same way.
 *
 * <p>The lecture's multiply gate, {@code z = x·y}, whose local gradients are {@code ∂z/∂x = y} and
 * {@code ∂z/∂y = x}:
 * <pre>{@code
 * final class MultiplyGate extends Function {
 *     protected Tensor forward(Tensor... in) {
 *         saveForBackward(in[0], in[1]);          // keep x and y
 *         return in[0].mul(in[1]);                // z = x * y
 *     }
 *     protected Tensor[] backward(Tensor dz) {
 *         Tensor[] xy = savedTensors();
 *         return new Tensor[] {xy[1].mul(dz), xy[0].mul(dz)};   // [y * dz, x * dz]
 *     }
 * }
 * Tensor z = new MultiplyGate().apply(x, y);
 * }</pre>
 *
 * <p>Each application uses a fresh instance, which becomes the node of the graph. {@code forward} runs with
 * recording off; {@code backward} receives a gradient of the output's shape and returns one gradient per input
 * of that input's shape, or {@code null} for an input that needs none ({@link #needsInputGrad}).
 */
public abstract class Function {

    private Function[] parents;
    private Tensor[] leaves;
    private int[][] inputShapes;
    private Tensor[] saved;
    private int[] savedVersions;
    private boolean released;
    private boolean applied;
    private WeakReference<Tensor> output;

    /** Computes the output from the inputs; runs with graph recording off. */
    protected abstract Tensor forward(Tensor... inputs);

    /** Returns dL/d input_i = dL/d output × d output/d input_i for every input (null where not needed). */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /**
     * Whether every gradient {@link #backward} returns is a new tensor or a view of its upstream gradient, and backward
     * keeps a reference to neither. The engine then owns those gradients once backward returns: it stores a new one
     * as a leaf's {@code grad} instead of a copy, and sums gradients that meet at a node in place. Every built-in op
     * says so. The default is false, so the results of a custom op are never reused.
     */
    protected boolean returnsOwnedGradients() {
        return false;
    }

    /** The op's name in error messages and graph drawings. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Runs the forward and, when grad mode is on and an input requires grad, records this node. */
    public final Tensor apply(Tensor... inputs) {
        if (applied) {
            throw new IllegalStateException(name() + ": a Function instance can be applied once; create a new one per call");
        }
        applied = true;
        boolean record = false;
        if (GradMode.isEnabled()) {
            for (Tensor t : inputs) record |= t.requiresGrad();
        }
        if (record) link(inputs);
        Tensor out;
        boolean previous = GradMode.set(false);
        try {
            out = forward(inputs);
        } finally {
            GradMode.set(previous);
        }
        if (!record) {
            parents = null;
            leaves = null;
            saved = null;
            return out;
        }
        for (Tensor t : inputs) {
            if (out == t) {
                out = out.alias();
                break;
            }
        }
        if (out.gradFn() != null || out.requiresGrad()) out = out.alias();
        out.attachGradFn(this);
        output = new WeakReference<>(out);
        return out;
    }

    private void link(Tensor[] inputs) {
        parents = new Function[inputs.length];
        leaves = new Tensor[inputs.length];
        inputShapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            inputShapes[i] = t.shape();
            if (!t.requiresGrad()) continue;
            if (t.gradFn() != null) parents[i] = t.gradFn();
            else leaves[i] = t;
        }
    }

    /** Keeps tensors for the backward; modifying one in place before the backward makes the backward fail. */
    protected final void saveForBackward(Tensor... tensors) {
        saved = tensors.clone();
        savedVersions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) savedVersions[i] = tensors[i] == null ? 0 : tensors[i].version();
    }

    /** The tensors given to {@link #saveForBackward}, checked to be unmodified since. */
    protected final Tensor[] savedTensors() {
        if (released) {
            throw new IllegalStateException(name() + ": its saved tensors were freed by an earlier backward; "
                    + "call backward(gradient, true) to keep the graph for a second backward");
        }
        if (saved == null) return new Tensor[0];
        for (int i = 0; i < saved.length; i++) {
            if (saved[i] != null && saved[i].version() != savedVersions[i]) {
                throw new IllegalStateException(name() + ": saved tensor " + i + " " + Arrays.toString(saved[i].shape())
                        + " was modified in place after it was saved for backward (version " + savedVersions[i]
                        + " became " + saved[i].version() + "); use an out-of-place op or clone() it first");
            }
        }
        return saved;
    }

    /**
     * Inside {@link #forward}: whether this application is recorded for a backward (grad mode is on and an input
     * requires grad). A forward may skip what only its backward needs (a max pool's argmax) when it is not.
     */
    protected final boolean isRecorded() {
        return parents != null;
    }

    /** Whether input {@code i} needs a gradient (it, or something it was computed from, requires grad). */
    protected final boolean needsInputGrad(int i) {
        return parents == null || parents[i] != null || leaves[i] != null;
    }

    // ---- graph access for the engine and for drawing ----

    int inputCount() {
        return inputShapes.length;
    }

    Function parent(int i) {
        return parents[i];
    }

    Tensor leaf(int i) {
        return leaves[i];
    }

    int[] inputShape(int i) {
        return inputShapes[i];
    }

    /** The output tensor while it is still reachable (used for retained gradients and drawings). */
    Tensor output() {
        return output == null ? null : output.get();
    }

    Tensor[] runBackward(Tensor gradOutput) {
        return backward(gradOutput);
    }

    boolean ownsResults() {
        return returnsOwnedGradients();
    }

    void release() {
        saved = null;
        released = true;
    }
}
