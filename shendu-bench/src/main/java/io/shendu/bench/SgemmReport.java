package io.shendu.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SgemmBenchmark} once per JVM flag set and prints GFLOP/s (2·m·n·k / time) as a Markdown table:
 * the JVM's default, {@code -XX:UseAVX=3} (AVX-512) and {@code -XX:UseAVX=2} (256-bit vectors at most).
 * Each cell is "mean / best": from the mean time of the measured iterations, and from the fastest one, which
 * is the steadier figure on a machine shared with other work.
 *
 * <p>Usage: {@code java -cp shendu-benchmarks.jar io.shendu.bench.SgemmReport [flag set ...]}, where a flag
 * set is one argument such as {@code "-XX:UseAVX=2"}, or {@code default} for none.
 */
public final class SgemmReport {

    private SgemmReport() {}

    public static void main(String[] args) throws RunnerException {
        List<String> flagSets = args.length > 0 ? List.of(args) : List.of("default", "-XX:UseAVX=3", "-XX:UseAVX=2");
        Map<String, Map<String, String>> table = new LinkedHashMap<>(); // "shape | threads" -> flags -> cell
        for (String flags : flagSets) {
            OptionsBuilder options = new OptionsBuilder();
            options.include(SgemmBenchmark.class.getName() + ".sgemm");
            if (!flags.equals("default")) options.jvmArgsAppend(flags.split(" "));
            Options built = options.build();
            Collection<RunResult> results = new Runner(built).run();
            for (RunResult r : results) {
                String shape = r.getParams().getParam("shape"), threads = r.getParams().getParam("threads");
                int[] d = SgemmBenchmark.dims(shape);
                double flop = 2.0 * d[0] * d[1] * d[2];
                double meanMs = r.getPrimaryResult().getScore();
                double bestMs = r.getPrimaryResult().getStatistics().getMin();
                table.computeIfAbsent(label(shape, d) + " | " + threads, key -> new LinkedHashMap<>())
                        .put(flags, String.format("%.1f / %.1f", flop / (meanMs * 1e6), flop / (bestMs * 1e6)));
            }
        }
        System.out.println();
        System.out.println("| m×n×k | threads | " + String.join(" | ", headers(flagSets)) + " |");
        System.out.println("|---|---:|" + "---:|".repeat(flagSets.size()));
        table.forEach((row, byFlags) -> {
            List<String> cells = new ArrayList<>();
            for (String flags : flagSets) cells.add(byFlags.getOrDefault(flags, "—"));
            System.out.println("| " + row + " | " + String.join(" | ", cells) + " |");
        });
    }

    private static String label(String shape, int[] d) {
        return d[0] + "×" + d[1] + "×" + d[2] + (shape.equals("conv") ? " (conv)" : "");
    }

    private static List<String> headers(List<String> flagSets) {
        return flagSets.stream().map(f -> "GFLOP/s mean / best, " + (f.equals("default") ? "default flags" : f)).toList();
    }
}
