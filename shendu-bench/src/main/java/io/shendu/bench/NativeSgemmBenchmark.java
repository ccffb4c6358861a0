package io.shendu.bench;

import io.shendu.backend.cpu.NativeBlas;
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
 * The Java SGEMM kernel against a system OpenBLAS ({@link NativeBlas}) on the same call: square n×n×n products
 * and the GEMMs of the bench models' layers — each Linear's forward {@code Y = X·Wᵀ}, input gradient
 * {@code dX = dY·W} and weight gradient {@code dW = dYᵀ·X} at batch 64 (MLP 784→256 and 256→128, bncnn's
 * 3136→128), LeNet's conv2 as an im2col product per image, and a 3×3 64→64 convolution on 112×112×2.
 * {@code java} runs {@link Sgemm#sgemm} with {@code -Dshendu.blas=off}; {@code openblas} calls
 * {@code cblas_sgemm} directly. GFLOP/s = 2·m·n·k / time. Needs OpenBLAS ({@code libopenblas0-pthread}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class NativeSgemmBenchmark extends GemmOperands {

    private static final String ADD_VECTOR = "--add-modules=jdk.incubator.vector";
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** "m×n×k" and the transposes as "NN", "NT" (B stored n×k) or "TN" (A stored k×m). */
    @Param({"64x64x64:NN", "128x128x128:NN", "256x256x256:NN", "512x512x512:NN", "1024x1024x1024:NN",
        "2048x2048x2048:NN",
        "64x256x784:NT", "64x784x256:NN", "256x784x64:TN",
        "64x128x256:NT", "64x256x128:NN", "128x256x64:TN",
        "64x128x3136:NT", "64x3136x128:NN", "128x3136x64:TN",
        "16x100x150:NN", "64x25088x576:NN"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private boolean transA, transB;

    /** {m, n, k} of a shape parameter. */
    static int[] dims(String shape) {
        String[] mnk = shape.substring(0, shape.indexOf(':')).split("x");
        return new int[] {Integer.parseInt(mnk[0]), Integer.parseInt(mnk[1]), Integer.parseInt(mnk[2])};
    }

    @Setup(Level.Trial)
    public void setUp() {
        allocate(threads, dims(shape));
        transA = shape.endsWith(":TN");
        transB = shape.endsWith(":NT");
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ADD_VECTOR, NATIVE_ACCESS, "-Dshendu.blas=off"})
    public float[] java() {
        Sgemm.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ADD_VECTOR, NATIVE_ACCESS})
    public float[] openblas() {
        NativeBlas blas = NativeBlas.system();
        if (!blas.available()) throw new IllegalStateException("OpenBLAS " + blas.status());
        blas.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        return c;
    }
}
