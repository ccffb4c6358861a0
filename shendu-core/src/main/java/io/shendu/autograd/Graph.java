package io.shendu.autograd;

import io.shendu.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the computational graph behind a tensor as Graphviz DOT: a box per tensor (its name, shape and, for
 * tensors of up to {@value #SMALL} elements, its value and gradient) and an ellipse per op, edges following
 * the forward pass. Call it after {@code backward()} to see the gradients (intermediate tensors show theirs
 * when {@link Tensor#retainGrad()} was called). Render with {@code dot -Tpng graph.dot -o graph.png}.
 */
public final class Graph {

    static final int SMALL = 4;

    private Graph() {}

    public static String toDot(Tensor root) {
        StringBuilder sb = new StringBuilder("digraph G {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        Map<Object, String> ids = new IdentityHashMap<>();
        Map<Object, String> opIds = new IdentityHashMap<>();
        if (root.gradFn() == null) {
            sb.append("  ").append(tensorNode(ids, root, root)).append('\n');
            return sb.append("}\n").toString();
        }
        ArrayDeque<Function> queue = new ArrayDeque<>();
        queue.add(root.gradFn());
        Map<Function, Boolean> seen = new IdentityHashMap<>();
        seen.put(root.gradFn(), true);
        while (!queue.isEmpty()) {
            Function fn = queue.poll();
            String op = "op" + id(opIds, fn);
            sb.append("  ").append(op).append(" [shape=ellipse, style=filled, fillcolor=\"#dde8f7\", label=\"")
                    .append(escape(fn.name())).append("\"];\n");
            Tensor out = fn.output();
            String outId = id(ids, out != null ? out : fn);
            sb.append("  ").append(outNode(outId, out, fn)).append('\n');
            sb.append("  ").append(op).append(" -> ").append(outId).append(";\n");
            for (int i = 0; i < fn.inputCount(); i++) {
                Function parent = fn.parent(i);
                String in;
                if (parent != null) {
                    Tensor parentOut = parent.output();
                    in = id(ids, parentOut != null ? parentOut : parent);
                    if (!seen.containsKey(parent)) {
                        seen.put(parent, true);
                        queue.add(parent);
                    }
                } else if (fn.leaf(i) != null) {
                    Tensor leaf = fn.leaf(i);
                    boolean fresh = !ids.containsKey(leaf);
                    in = id(ids, leaf);
                    if (fresh) sb.append("  ").append(tensorNode(ids, leaf, leaf)).append('\n');
                } else {
                    in = id(ids, new Object());
                    sb.append("  ").append(in).append(" [shape=box, style=dashed, label=\"constant\\n")
                            .append(shapeText(fn.inputShape(i))).append("\"];\n");
                }
                sb.append("  ").append(in).append(" -> ").append(op).append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static String outNode(String id, Tensor out, Function fn) {
        if (out == null) return id + " [shape=box, label=\"(freed)\"];";
        return tensorLine(id, out);
    }

    private static String tensorNode(Map<Object, String> ids, Tensor t, Object key) {
        return tensorLine(id(ids, key), t);
    }

    private static String tensorLine(String id, Tensor t) {
        StringBuilder label = new StringBuilder();
        if (t.name() != null) label.append(escape(t.name())).append('\n');
        label.append(shapeText(t.shape()));
        if (t.numel() <= SMALL) {
            label.append("\nvalue ").append(values(t));
            if (t.grad() != null) label.append("\ngrad ").append(values(t.grad()));
        }
        String fill = t.gradFn() == null ? "#f7f1dd" : "#ffffff";
        return id + " [shape=box, style=filled, fillcolor=\"" + fill + "\", label=\"" + label.toString().replace("\n", "\\n") + "\"];";
    }

    private static String values(Tensor t) {
        float[] v = t.toFloatArray();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return v.length == 1 ? sb.toString() : "[" + sb + "]";
    }

    private static String shapeText(int[] shape) {
        return shape.length == 0 ? "scalar" : java.util.Arrays.toString(shape);
    }

    private static String id(Map<Object, String> ids, Object key) {
        return ids.computeIfAbsent(key, k -> "n" + ids.size());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
