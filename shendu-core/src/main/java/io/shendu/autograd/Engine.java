package io.shendu.autograd;

import io.shendu.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        // Pending gradients nothing outside the engine references (see Function.returnsOwnedGradients); none while
        // capturing, where gradients are handed to the caller.
        Set<Tensor> owned = capture == null ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
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
                    deliverToLeaf(root, g, false, capture, captured);
                } else {
                    send(pending, owned, root.gradFn(), g, false);   // the caller's tensor: never owned
                }
            }
            for (Function fn : topologicalOrder(roots)) {
                Tensor g = pending.remove(fn);
                if (g == null) continue;
                boolean gOwned = owned != null && owned.remove(g);
                Tensor out = fn.output();
                if (out != null && out.retainsGrad() && capture == null) accumulate(out, g, false);
                List<Tensor> wanted = capturedByFn.get(fn);
                if (wanted != null) for (Tensor t : wanted) captured.merge(t, g, Tensor::add);
                Tensor[] grads = fn.runBackward(g);
                check(fn, grads);
                for (int i = 0; i < fn.inputCount(); i++) {
                    if (grads[i] == null) continue;
                    boolean own = owned != null && fn.ownsResults() && soleHolder(grads, i)
                            && (gOwned || !sameStorage(grads[i], g));
                    Function parent = fn.parent(i);
                    if (parent != null) send(pending, owned, parent, grads[i], own);
                    else if (fn.leaf(i) != null) deliverToLeaf(fn.leaf(i), grads[i], own, capture, captured);
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

    /**
     * Adds {@code grad} to what is pending for {@code fn}: the first one is kept as it is, later ones are summed, in
     * place when the pending sum is the engine's own and dense.
     */
    private static void send(Map<Function, Tensor> pending, Set<Tensor> owned, Function fn, Tensor grad, boolean own) {
        Tensor previous = pending.get(fn);
        if (previous == null) {
            pending.put(fn, grad);
            if (own) owned.add(grad);
        } else if (owned != null && owned.contains(previous) && !previous.isView()) {
            previous.addInPlace(grad);   // dense: a broadcast view (stride 0) would add one element many times
        } else {
            Tensor sum = previous.add(grad);
            pending.put(fn, sum);
            if (owned != null) owned.add(sum);
        }
    }

    /** Whether no other gradient in {@code grads} shares grads[i]'s storage (an add passes one tensor to both). */
    private static boolean soleHolder(Tensor[] grads, int i) {
        for (int j = 0; j < grads.length; j++) {
            if (j != i && grads[j] != null && sameStorage(grads[j], grads[i])) return false;
        }
        return true;
    }

    private static boolean sameStorage(Tensor a, Tensor b) {
        return a.floatStorage() == b.floatStorage();
    }

    private static void deliverToLeaf(Tensor leaf, Tensor g, boolean owned, Tensor[] capture, Map<Tensor, Tensor> captured) {
        if (capture == null) {
            if (leaf.requiresGrad()) accumulate(leaf, g, owned);
        } else {
            for (Tensor t : capture) if (t == leaf) captured.merge(leaf, g, Tensor::add);
        }
    }

    /**
     * grad += g. The first time, the gradient itself when the engine owns it and it spans its storage densely,
     * else a private copy, so no two tensors share a gradient's storage.
     */
    private static void accumulate(Tensor t, Tensor g, boolean owned) {
        Tensor existing = t.grad();
        if (existing == null) t.setGrad(owned && !g.isView() ? g : g.contiguousCopy());
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
