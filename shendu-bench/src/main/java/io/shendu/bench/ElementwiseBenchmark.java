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
 * Elementwise kernels through the public tensor API (so the numbers include allocation of the output, as in
 * real use): a same-shape add, a bias broadcast add {@code [N, C] + [C]}, ReLU and its backward, and exp.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {

    /** Elements per tensor: 64×4096 (an MLP activation) and 64×32×28×28 (a conv activation). */
    @Param({"262144", "1605632"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private Tensor a, b, bias;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Generator gen = new Generator(1);
        a = Tensor.randn(gen, size / 64, 64);
        b = Tensor.randn(gen, size / 64, 64);
        bias = Tensor.randn(gen, 64);
    }

    @Benchmark
    public Tensor add() {
        return a.add(b);
    }

    @Benchmark
    public Tensor addBroadcast() {
        return a.add(bias);
    }

    @Benchmark
    public Tensor relu() {
        return a.relu();
    }

    @Benchmark
    public Tensor exp() {
        return a.exp();
    }
}
