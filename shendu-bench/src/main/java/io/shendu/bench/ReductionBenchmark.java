package io.shendu.bench;

import io.shendu.backend.cpu.Parallel;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Reductions as training uses them: a full sum, a row sum (last dimension), a column sum (a bias gradient,
 * over the batch), the per-channel sum of batch norm ({@code [N, C, H, W]} over N, H, W), and softmax.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReductionBenchmark {

    @Param({"1", "2"})
    public int threads;

    private Tensor matrix, images, logits;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Generator gen = new Generator(1);
        matrix = Tensor.randn(gen, 1024, 1024);
        images = Tensor.randn(gen, 64, 32, 28, 28);
        logits = Tensor.randn(gen, 4096, 10);
    }

    @Benchmark
    public Tensor sumAll() {
        return matrix.sum();
    }

    @Benchmark
    public Tensor sumRows() {
        return matrix.sum(1);
    }

    @Benchmark
    public Tensor sumColumns() {
        return matrix.sum(0);
    }

    @Benchmark
    public Tensor sumPerChannel() {
        return images.sum(new int[] {0, 2, 3}, false);
    }

    @Benchmark
    public Tensor softmax() {
        return logits.softmax(1);
    }
}
