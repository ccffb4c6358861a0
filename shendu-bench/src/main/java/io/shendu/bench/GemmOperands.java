package io.shendu.bench;

import io.shendu.backend.cpu.Parallel;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Random;

/**
 * The operands of a GEMM benchmark trial: A ({@code m·k}) and B ({@code k·n}) uniform in [−0.5, 0.5) from seed 1,
 * C ({@code m·n}), with the kernel threads set for the trial and restored after it.
 */
public abstract class GemmOperands {

    protected int m, n, k;
    protected float[] a, b, c;
    private int savedThreads;

    /** Sets the kernel threads and allocates the operands of an {@code mnk[0]×mnk[1]×mnk[2]} product. */
    protected final void allocate(int threads, int[] mnk) {
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads);
        m = mnk[0];
        n = mnk[1];
        k = mnk[2];
        Random rng = new Random(1);
        a = BenchArrays.uniform(rng, m * k);
        b = BenchArrays.uniform(rng, k * n);
        c = new float[m * n];
    }

    @TearDown(Level.Trial)
    public void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }
}
