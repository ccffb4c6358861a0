package io.shendu.cli.demo;

import io.shendu.autograd.Graph;
import io.shendu.models.Models;
import io.shendu.nn.Module;
import io.shendu.tensor.Tensor;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lecture: the classic ImageNet architectures, AlexNet, VGG16/19, GoogLeNet and ResNet: for each registered
 * model of these families, its depth (weight layers on the longest path from input to output, the number in
 * the papers' titles), its parameter count, and the parameters an evaluation actually uses (GoogLeNet's
 * auxiliary classifiers only train). Depth and used parameters are read off the graph autograd records for one
 * forward pass. The full run also prints the lecture models' layer tables at 224×224; every other model of the zoo
 * is named at the end.
 */
public final class ArchitecturesDemo implements Demo {

    /** The lecture's list, shown whenever registered. */
    static final List<String> LECTURE = List.of("alexnet", "vgg16", "vgg19", "googlenet", "resnet18");
    /** Besides the lecture's list, every registered ResNet depth gets a row (from 18 to 152 layers). */
    private static final Pattern FAMILY = Pattern.compile("resnet\\d+");
    /** Models the quick run leaves out: initialising their 138M and 144M parameters alone takes seconds. */
    private static final List<String> QUICK_SKIPS = List.of("vgg16", "vgg19");
    private static final Map<String, String> IDEAS = Map.of(
            "alexnet", "2012: ReLU, dropout, two GPUs; 8 layers",
            "vgg", "2014: only 3×3 convolutions, stacked deep",
            "googlenet", "2014: Inception modules, 1×1 bottlenecks, no big FC",
            "resnet", "2015: residual connections y = F(x) + x");

    /** Weight layers on the longest path, and the parameters the forward pass reached. */
    record GraphStats(int depth, long parametersUsed) {}

    @Override
    public String name() {
        return "architectures";
    }

    @Override
    public String description() {
        return "AlexNet, VGG16/19, GoogLeNet, ResNet from the zoo: layer summary, parameter counts, depth";
    }

    @Override
    public void run(DemoContext ctx) {
        PrintWriter out = ctx.out();
        List<String> names = new ArrayList<>();
        for (String name : Models.entries().keySet()) {
            boolean wanted = LECTURE.contains(name) || FAMILY.matcher(name).matches();
            if (ctx.quick() ? LECTURE.contains(name) && !QUICK_SKIPS.contains(name) : wanted) names.add(name);
        }
        List<String> missing = LECTURE.stream().filter(n -> !Models.entries().containsKey(n)).toList();
        if (!missing.isEmpty()) out.println("not registered in the zoo (yet): " + String.join(", ", missing));
        if (ctx.quick()) out.println("quick run: " + String.join(", ", QUICK_SKIPS) + " skipped (over 100M parameters to initialise)");
        Models.Options imagenet = new Models.Options(3, 224, 1000, ctx.seed());
        List<String> rows = new ArrayList<>();
        for (String name : names) {
            Module model = Models.create(name, imagenet);
            if (!ctx.quick() && LECTURE.contains(name)) out.println("== " + name + "\n" + model.summary(1, 3, 224, 224));
            GraphStats stats = graphStats(model);
            String family = IDEAS.keySet().stream().filter(name::startsWith).findFirst().orElse("");
            rows.add(String.format(Locale.ROOT, "%-12s %6d %,14d %,18d   %s", name, stats.depth(), model.parameterCount(),
                    stats.parametersUsed(), IDEAS.getOrDefault(family, "")));
        }
        out.println("ImageNet models (3×224×224 input, 1000 classes); depth = weight layers on the longest input-to-output path");
        out.printf("%-12s %6s %14s %18s   %s%n", "model", "depth", "parameters", "used in eval", "idea");
        rows.forEach(out::println);
        List<String> others = Models.entries().keySet().stream().filter(n -> !names.contains(n)).toList();
        out.println("also in the zoo: " + String.join(", ", others));
    }

    /** Records one forward pass in evaluation mode and measures its graph. */
    static GraphStats graphStats(Module model) {
        model.eval();
        Tensor y = model.forward(Tensor.zeros(1, 3, 64, 64));   // depth does not depend on the image size
        return graphStats(Graph.toDot(y));
    }

    private static final Pattern EDGE = Pattern.compile("(\\w+) -> (\\w+);");
    private static final Pattern NODE = Pattern.compile("(\\w+) \\[(.*)\\];");
    private static final Pattern SHAPE = Pattern.compile("\\[([0-9, ]+)]");

    /**
     * Reads the graph from its DOT drawing (the graph's one public view): ops are ellipses, parameters are the leaf
     * boxes (filled as leaves are). A node is weight-only when it is a parameter of two or more dimensions (a
     * convolution kernel or a linear weight, not a bias or a norm's scale) or is computed from weight-only nodes
     * alone (a transposed weight); an op that combines a weight-only input with anything else is a weight layer.
     */
    static GraphStats graphStats(String dot) {
        Map<String, List<String>> inputs = new HashMap<>();
        Map<String, Long> parameterSize = new HashMap<>();
        Set<String> weights = new HashSet<>(), ops = new HashSet<>();
        for (String line : dot.split("\n")) {
            Matcher e = EDGE.matcher(line.strip());
            if (e.matches()) {
                inputs.computeIfAbsent(e.group(2), k -> new ArrayList<>()).add(e.group(1));
                continue;
            }
            Matcher n = NODE.matcher(line.strip());
            if (!n.matches()) continue;
            if (n.group(2).contains("shape=ellipse")) ops.add(n.group(1));
            Matcher shape = SHAPE.matcher(n.group(2));
            if (n.group(2).contains("#f7f1dd") && shape.find()) {
                String[] dims = shape.group(1).split(", ");
                long size = 1;
                for (String d : dims) size *= Long.parseLong(d);
                parameterSize.put(n.group(1), size);
                if (dims.length >= 2) weights.add(n.group(1));
            }
        }
        Map<String, Integer> depth = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>(inputs.keySet());
        while (!stack.isEmpty()) {   // longest path, inputs first; iterative because a ResNet-152 graph is deep
            String id = stack.peek();
            if (depth.containsKey(id)) {
                stack.pop();
                continue;
            }
            List<String> in = inputs.getOrDefault(id, List.of());
            List<String> pending = in.stream().filter(i -> !depth.containsKey(i)).toList();
            if (!pending.isEmpty()) {
                pending.forEach(stack::push);
                continue;
            }
            stack.pop();
            boolean weightOnly = !in.isEmpty() && in.stream().allMatch(weights::contains);
            if (weightOnly) weights.add(id);
            boolean layer = ops.contains(id) && !weightOnly && in.stream().anyMatch(weights::contains);
            depth.put(id, in.stream().mapToInt(depth::get).max().orElse(0) + (layer ? 1 : 0));
        }
        int longest = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new GraphStats(longest, parameterSize.values().stream().mapToLong(Long::longValue).sum());
    }
}
