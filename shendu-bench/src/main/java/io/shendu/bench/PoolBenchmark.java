package io.shendu.bench;

import io.shendu.backend.PoolKernels;
import io.shendu.backend.PoolKernels.Planes;
import io.shendu.backend.PoolKernels.Window;
import io.shendu.backend.cpu.CpuBackend;
import io.shendu.backend.cpu.Parallel;
import io.shendu.backend.reference.ReferenceBackend;
import io.shendu.nn.PoolFunctional;
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
 * 2×2 stride-2 max pooling of a LeNet/AlexNet-sized activation {@code [64, 32, 28, 28]}: the forward through the
 * public API (output allocation included, as in real use), the backward kernel on saved argmax indices, the
 * kernels of the pool fused after a ReLU (a byte per output instead of an int index), and the reference
 * kernel's forward as the baseline the fast path is measured against.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PoolBenchmark {

    @Param({"1", "2"})
    public int threads;

    private static final Planes PLANES = new Planes(64 * 32, 28, 28, 14, 14);
    private static final Window TWO_BY_TWO = new Window(2, 2, 2, 2, 0, 0, 1, 1);

    private Tensor x;
    private float[] in, out, grad, gradIn;
    private int[] argmax;
    private byte[] which;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Generator gen = new Generator(1);
        x = Tensor.randn(gen, 64, 32, 28, 28);
        in = x.toFloatArray();
        out = new float[PLANES.count() * PLANES.outSize()];
        argmax = new int[out.length];
        CpuBackend.INSTANCE.pool().maxPool2d(PLANES, TWO_BY_TWO, in, 0, out, argmax);
        grad = Tensor.randn(gen, out.length).toFloatArray();
        gradIn = new float[in.length];
        which = new byte[out.length];
        CpuBackend.INSTANCE.pool().maxPool2x2Relu(PLANES, in, 0, out, which);
    }

    @Benchmark
    public Tensor forward() {
        return PoolFunctional.maxPool2d(x, 2);
    }

    @Benchmark
    public float[] backward() {
        CpuBackend.INSTANCE.pool().maxPool2dBackward(PLANES, grad, 0, argmax, gradIn);
        return gradIn;
    }

    /** The pool of a fused conv + ReLU + pool: values and a byte per output. */
    @Benchmark
    public float[] forwardRelu() {
        CpuBackend.INSTANCE.pool().maxPool2x2Relu(PLANES, in, 0, out, which);
        return out;
    }

    /** Its backward: the upstream gradient scattered to the recorded window positions. */
    @Benchmark
    public float[] backwardRelu() {
        CpuBackend.INSTANCE.pool().maxPool2x2ReluBackward(PLANES, grad, 0, which, gradIn);
        return gradIn;
    }

    @Benchmark
    public float[] forwardReference() {
        PoolKernels reference = ReferenceBackend.INSTANCE.pool();
        reference.maxPool2d(PLANES, TWO_BY_TWO, in, 0, out, argmax);
        return out;
    }
}
