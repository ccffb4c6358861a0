package io.shendu.nn;

import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The layer table of {@link Module#summary}: one row per layer with its output shape and parameter count, then
 * the totals (the Keras / torchinfo table). Children of a {@link Sequential} get a row each, nested Sequentials
 * are opened; any other module is run as a whole and shown as one row with its subtree's parameters, indented
 * under its name with its children's parameter counts.
 */
final class Summary {

    private record Row(String name, String type, String shape, long params) {}

    private Summary() {}

    static String of(Module model, int[] inputShape) {
        List<Row> rows = new ArrayList<>();
        Tensor out;
        boolean training = model.isTraining();
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            out = walk(model, "", Tensor.zeros(inputShape), rows, 0);
        } finally {
            if (training) model.train();
        }
        long total = model.parameterCount();
        long trainable = model.parameters().stream().filter(Tensor::requiresGrad).mapToLong(Tensor::numel).sum();
        int nameWidth = Math.max(24, rows.stream().mapToInt(r -> r.name.length()).max().orElse(0) + 2);
        int typeWidth = Math.max(16, rows.stream().mapToInt(r -> r.type.length()).max().orElse(0) + 2);
        String line = "-".repeat(nameWidth + typeWidth + 36) + "\n";
        StringBuilder sb = new StringBuilder();
        sb.append(model.getClass().getSimpleName()).append(" with input ").append(Arrays.toString(inputShape)).append('\n').append(line);
        sb.append(pad("Layer", nameWidth)).append(pad("Type", typeWidth)).append(pad("Output shape", 22)).append(padLeft("Params", 14)).append('\n');
        sb.append(line.replace('-', '='));
        for (Row r : rows) {
            sb.append(pad(r.name, nameWidth)).append(pad(r.type, typeWidth)).append(pad(r.shape, 22))
                    .append(padLeft(r.params < 0 ? "" : String.format(Locale.ROOT, "%,d", r.params), 14)).append('\n');
        }
        sb.append(line);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n", total, trainable, total - trainable));
        sb.append("Output shape: ").append(Arrays.toString(out.shape())).append('\n');
        return sb.toString();
    }

    private static Tensor walk(Module m, String name, Tensor x, List<Row> rows, int depth) {
        if (m instanceof Sequential seq) {
            int i = 0;
            for (Module child : seq.children()) {
                x = walk(child, name.isEmpty() ? Integer.toString(i) : name + "." + i, x, rows, depth);
                i++;
            }
            return x;
        }
        Tensor y = m.forward(x);
        rows.add(new Row("  ".repeat(depth) + (name.isEmpty() ? "(model)" : name), m.getClass().getSimpleName(),
                Arrays.toString(y.shape()), m.parameterCount()));
        if (depth == 0 && name.isEmpty() && !m.namedChildren().isEmpty()) {
            rows.remove(rows.size() - 1);
            return walkChildren(m, y, rows);
        }
        return y;
    }

    /** A non-sequential top-level model: one row per direct child (parameters only), then the output. */
    private static Tensor walkChildren(Module m, Tensor y, List<Row> rows) {
        for (var e : m.namedChildren().entrySet()) {
            Module child = e.getValue();
            if (child instanceof Sequential seq && !seq.children().isEmpty()) {
                rows.add(new Row(e.getKey(), "Sequential", "", child.parameterCount()));
                int i = 0;
                for (Module c : seq.children()) {
                    rows.add(new Row("  " + e.getKey() + "." + i++, c.getClass().getSimpleName(), "", c.parameterCount()));
                }
            } else {
                rows.add(new Row(e.getKey(), child.getClass().getSimpleName(), "", child.parameterCount()));
            }
        }
        rows.add(new Row("(model output)", m.getClass().getSimpleName(), Arrays.toString(y.shape()), -1));
        return y;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
