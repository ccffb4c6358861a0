package io.shendu.nn;

import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The layer table of {@link Module#summary} (the Keras / torchinfo table): one forward pass is traced, and every
 * module call ({@link Module#call}) gets a row in execution order, indented by nesting, with its dotted name
 * ({@code layer1.0.conv1}), type, output shape and parameters; then the totals. A module called twice has two rows;
 * one never called (an auxiliary classifier in eval mode) has none, but its parameters count in the totals. A leaf
 * shows its parameter count; a module with children shows its whole subtree's in parentheses (its children have
 * rows of their own). A model whose children are not run through {@code call} is one row, {@code (model)}.
 */
final class Summary {

    private record Row(String name, String type, String shape, String params) {}

    private Summary() {}

    /** The calls recorded on one thread while its summary runs; other threads never see it. */
    static final class Trace {
        private static final ThreadLocal<Trace> ACTIVE = new ThreadLocal<>();

        private final List<Call> calls = new ArrayList<>();
        private final Deque<Call> open = new ArrayDeque<>();

        static Trace current() {
            return ACTIVE.get();
        }

        Tensor record(Module module, Tensor input, UnaryOperator<Tensor> forward) {
            Call call = new Call(module, open.peek(), open.size());
            calls.add(call);
            open.push(call);
            try {
                Tensor output = forward.apply(input);
                call.shape = output.shape();
                return output;
            } finally {
                open.pop();
            }
        }
    }

    /** One traced call; {@code caller} is null for the ones the model's own forward makes. */
    private static final class Call {
        final Module module;
        final Call caller;
        final int depth;
        int[] shape;
        String name;

        Call(Module module, Call caller, int depth) {
            this.module = module;
            this.caller = caller;
            this.depth = depth;
        }
    }

    static String of(Module model, int[] inputShape) {
        Trace trace = new Trace();
        Tensor out;
        boolean training = model.isTraining();
        model.eval();
        Trace outer = Trace.ACTIVE.get();   // a summary taken inside a traced forward (unusual) restores the outer one
        Trace.ACTIVE.set(trace);
        try (NoGrad ignored = NoGrad.enter()) {
            out = model.forward(Tensor.zeros(inputShape));
        } finally {
            if (outer == null) Trace.ACTIVE.remove();
            else Trace.ACTIVE.set(outer);
            if (training) model.train();
        }
        return table(model, inputShape, rows(model, trace, out), out);
    }

    private static List<Row> rows(Module model, Trace trace, Tensor out) {
        List<Row> rows = new ArrayList<>();
        for (Call c : trace.calls) {
            c.name = name(c, model);
            long params = c.module.parameterCount();
            rows.add(new Row("  ".repeat(c.depth) + c.name, c.module.getClass().getSimpleName(),
                    c.shape == null ? "" : Arrays.toString(c.shape),
                    c.module.namedChildren().isEmpty() ? count(params) : "(" + count(params) + ")"));
        }
        if (rows.isEmpty()) {
            rows.add(new Row("(model)", model.getClass().getSimpleName(), Arrays.toString(out.shape()), count(model.parameterCount())));
        }
        return rows;
    }

    /** The dotted name of a call: the module's path under its caller, else under the model, else "(unregistered)". */
    private static String name(Call c, Module model) {
        String path = c.caller == null ? null : path(c.caller.module, c.module);
        if (path != null) return c.caller.name + "." + path;
        path = path(model, c.module);
        return path != null ? path : "(unregistered)";
    }

    /** The dotted path of {@code target} among the descendants of {@code from}, or null. */
    private static String path(Module from, Module target) {
        for (Map.Entry<String, Module> e : from.namedChildren().entrySet()) {
            if (e.getValue() == target) return e.getKey();
        }
        for (Map.Entry<String, Module> e : from.namedChildren().entrySet()) {
            String below = path(e.getValue(), target);
            if (below != null) return e.getKey() + "." + below;
        }
        return null;
    }

    private static String table(Module model, int[] inputShape, List<Row> rows, Tensor out) {
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
            sb.append(pad(r.name, nameWidth)).append(pad(r.type, typeWidth)).append(pad(r.shape, 22)).append(padLeft(r.params, 14)).append('\n');
        }
        sb.append(line);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n", total, trainable, total - trainable));
        sb.append("Output shape: ").append(Arrays.toString(out.shape())).append('\n');
        return sb.toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
