package io.shendu.bench;

import io.shendu.backend.cpu.Sgemm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code C = A·B} in single precision through {@link Sgemm#sgemm}: square n×n×n products and the shape of a
 * 3×3 convolution lowered to a matrix product, [64×576]·[576×25088] (64 output channels, 64·3·3 inputs,
 * a 112×112 image batch of two). JMH reports milliseconds per product; GFLOP/s = 2·m·n·k / time, which
 * {@link SgemmReport} prints.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark extends GemmOperands {

    /** "n" for an n×n×n product, or "conv" for m=64, k=576, n=25088. */
    @Param({"128", "256", "512", "1024", "2048", "conv"})
    public String shape;

    @Param({"1", "2"})
    public int threads;


    /** {m, n, k} of a shape parameter. */
    static int[] dims(String shape) {
        if (shape.equals("conv")) return new int[] {64, 25088, 576};
        int size = Integer.parseInt(shape);
        return new int[] {size, size, size};
    }

    @Setup(Level.Trial)
    public void setUp() {
        allocate(threads, dims(shape));
    }

    @Benchmark
    public float[] sgemm() {
        Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
