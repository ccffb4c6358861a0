package io.shendu.bench;

import io.shendu.backend.cpu.Parallel;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What a parallel loop costs beyond its work: two chunks of {@code work} float additions each, through
 * {@link Parallel#forChunks}. With one thread both chunks run on the caller; with two, the difference from half
 * the one-thread time is the hand-off (waking a worker, and waiting for it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParallelBenchmark {

    @Param({"1", "2"})
    public int threads;

    /** Float additions per chunk. */
    @Param({"1000", "32768"})
    public int work;

    private float[] data;
    private final float[] sums = new float[2];

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        data = BenchArrays.uniform(new Random(1), 2 * work);
    }

    @Benchmark
    public float[] twoChunks() {
        Parallel.forChunks(2, 2, (start, end) -> {
            for (int c = start; c < end; c++) {
                float s = 0;
                for (int i = c * work; i < (c + 1) * work; i++) s += data[i];
                sums[c] = s;
            }
        });
        return sums;
    }
}
