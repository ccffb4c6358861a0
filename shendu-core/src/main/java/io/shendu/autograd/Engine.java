package io.shendu.autograd;

import io.shendu.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse sweep: sorts the graph above the roots topologically (iteratively, so a chain of any depth
 * works) and visits each node once, summing the gradients that reach a node along several paths before
 * calling its backward.
 */
final class Engine {

    private Engine() {}

    /**
     * Backpropagates {@code rootGrads} from {@code roots}. With {@code capture} null, gradients of leaves are
     * accumulated into their {@code grad()}; otherwise nothing is accumulated and the gradients of the tensors
     * in {@code capture} are returned (null where no path leads to one).
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, Tensor[] capture, boolean retainGraph) {
        Map<Function, Tensor> pending = new IdentityHashMap<>();
        Map<Tensor, Tensor> captured = new IdentityHashMap<>();
        Map<Function, List<Tensor>> capturedByFn = new IdentityHashMap<>();
        if (capture != null) {
            for (Tensor t : capture) {
                if (!t.requiresGrad()) {
                    throw new IllegalArgumentException("Autograd.grad: an input " + Arrays.toString(t.shape())
                            + " does not require grad");
                }
                if (t.gradFn() != null) capturedByFn.computeIfAbsent(t.gradFn(), f -> new ArrayList<>()).add(t);
            }
        }
        boolean previous = GradMode.set(false);
        try {
            for (int i = 0; i < roots.length; i++) {
                Tensor root = roots[i], g = rootGrads[i];
                if (root.gradFn() == null) {
                    deliverToLeaf(root, g, capture, captured);
                } else {
                    pending.merge(root.gradFn(), g, Tensor::add);
                }
            }
            for (Function fn : topologicalOrder(roots)) {
                Tensor g = pending.remove(fn);
                if (g == null) continue;
                Tensor out = fn.output();
                if (out != null && out.retainsGrad() && capture == null) accumulate(out, g);
                List<Tensor> wanted = capturedByFn.get(fn);
                if (wanted != null) for (Tensor t : wanted) captured.merge(t, g, Tensor::add);
                Tensor[] grads = fn.runBackward(g);
                check(fn, grads);
                for (int i = 0; i < fn.inputCount(); i++) {
                    if (grads[i] == null) continue;
                    Function parent = fn.parent(i);
                    if (parent != null) pending.merge(parent, grads[i], Tensor::add);
                    else if (fn.leaf(i) != null) deliverToLeaf(fn.leaf(i), grads[i], capture, captured);
                }
                if (!retainGraph) fn.release();
            }
        } finally {
            GradMode.set(previous);
        }
        if (capture == null) return null;
        Tensor[] result = new Tensor[capture.length];
        for (int i = 0; i < capture.length; i++) result[i] = captured.get(capture[i]);
        return result;
    }

    private static void deliverToLeaf(Tensor leaf, Tensor g, Tensor[] capture, Map<Tensor, Tensor> captured) {
        if (capture == null) {
            if (leaf.requiresGrad()) accumulate(leaf, g);
        } else {
            for (Tensor t : capture) if (t == leaf) captured.merge(leaf, g, Tensor::add);
        }
    }

    /** grad += g, storing a private copy the first time so no two tensors share a gradient's storage. */
    private static void accumulate(Tensor t, Tensor g) {
        Tensor existing = t.grad();
        if (existing == null) t.setGrad(g.contiguousCopy());
        else existing.addInPlace(g);
    }

    private static void check(Function fn, Tensor[] grads) {
        if (grads == null || grads.length != fn.inputCount()) {
            throw new IllegalStateException(fn.name() + ".backward returned " + (grads == null ? "null" : grads.length
                    + " gradients") + " for " + fn.inputCount() + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null && !Arrays.equals(grads[i].shape(), fn.inputShape(i))) {
                throw new IllegalStateException(fn.name() + ".backward returned a gradient of shape "
                        + Arrays.toString(grads[i].shape()) + " for input " + i + " of shape "
                        + Arrays.toString(fn.inputShape(i)));
            }
        }
    }

    /** Nodes reachable from the roots, each after every node that consumes its output. */
    static List<Function> topologicalOrder(Tensor[] roots) {
        List<Function> postOrder = new ArrayList<>();
        Map<Function, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Function> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Tensor root : roots) {
            Function start = root.gradFn();
            if (start == null || visited.containsKey(start)) continue;
            visited.put(start, Boolean.TRUE);
            stack.push(start);
            next.push(0);
            while (!stack.isEmpty()) {
                Function fn = stack.peek();
                int i = next.pop();
                if (i < fn.inputCount()) {
                    next.push(i + 1);
                    Function parent = fn.parent(i);
                    if (parent != null && !visited.containsKey(parent)) {
                        visited.put(parent, Boolean.TRUE);
                        stack.push(parent);
                        next.push(0);
                    }
                } else {
                    stack.pop();
                    postOrder.add(fn);
                }
            }
        }
        java.util.Collections.reverse(postOrder);
        return postOrder;
    }
}
