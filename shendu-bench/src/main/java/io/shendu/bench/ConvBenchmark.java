package io.shendu.bench;

import io.shendu.autograd.NoGrad;
import io.shendu.backend.cpu.Parallel;
import io.shendu.nn.Conv2d;
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
import java.util.function.UnaryOperator;

/**
 * {@link Conv2d} through autograd, as training runs it: LeNet-5's first layer (batch 64, 1→6, 5×5, 28×28,
 * padding 2) and a ResNet stage-1 layer (batch 32, 64→64, 3×3, 56×56, padding 1).
 *
 * <p>{@code forward} runs under no-grad; {@code forwardBackward} is the forward with the input and the
 * parameters requiring grad, then {@code backward} of a fixed upstream gradient: input, weight and bias
 * gradients. One pass costs {@code 2·N·out·outH·outW·in/groups·kH·kW} FLOPs (the bias is not counted), the
 * forward and backward three: 15.1 MFLOP / 45.2 MFLOP for LeNet, 7.40 GFLOP / 22.2 GFLOP for ResNet.
 * {@code blockAsLayers} and {@code blockFused} train the layer followed by a ReLU and a 2×2 max pool, as separate
 * ops and as one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {

    /** The two layers: batch, in and out channels, kernel, image size, padding. */
    public enum Layer {
        LENET(64, 1, 6, 5, 28, 2),
        RESNET(32, 64, 64, 3, 56, 1);

        final int batch, in, out, kernel, size, padding;

        Layer(int batch, int in, int out, int kernel, int size, int padding) {
            this.batch = batch;
            this.in = in;
            this.out = out;
            this.kernel = kernel;
            this.size = size;
            this.padding = padding;
        }
    }

    @Param({"LENET", "RESNET"})
    public Layer layer;

    @Param({"1", "2"})
    public int threads;

    private Conv2d conv;
    private Tensor input, trainInput, upstream, pooledUpstream;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Generator gen = new Generator(1);
        conv = new Conv2d(Conv2d.options(layer.in, layer.out, layer.kernel).withPadding(layer.padding), gen);
        input = Tensor.randn(gen, layer.batch, layer.in, layer.size, layer.size);
        trainInput = input.detach().requiresGrad(true);
        upstream = Tensor.randn(gen, layer.batch, layer.out, layer.size, layer.size);
        pooledUpstream = Tensor.randn(gen, layer.batch, layer.out, layer.size / 2, layer.size / 2);
    }

    @Benchmark
    public Tensor forward() {
        try (var ignored = NoGrad.enter()) {
            return conv.forward(input);
        }
    }

    @Benchmark
    public Tensor forwardBackward() {
        return train(conv::forward, upstream);
    }

    /** The conv → ReLU → 2×2 max-pool block as three ops (conv with its fused ReLU, then the pool), trained. */
    @Benchmark
    public Tensor blockAsLayers() {
        return train(x -> PoolFunctional.maxPool2d(conv.forwardRelu(x), 2), pooledUpstream);
    }

    /** The same block as one op ({@link Conv2d#forwardReluMaxPool2}), trained. */
    @Benchmark
    public Tensor blockFused() {
        return train(conv::forwardReluMaxPool2, pooledUpstream);
    }

    /** Clears the gradients, runs {@code block} on the input and backpropagates {@code up}; returns dL/dx. */
    private Tensor train(UnaryOperator<Tensor> block, Tensor up) {
        conv.zeroGrad();
        trainInput.zeroGrad();
        block.apply(trainInput).backward(up);
        return trainInput.grad();
    }
}
