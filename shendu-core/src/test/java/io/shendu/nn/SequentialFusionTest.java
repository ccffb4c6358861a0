package io.shendu.nn;

import io.shendu.autograd.NoGrad;
import io.shendu.backend.ConvKernels;
import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;
import io.shendu.backend.cpu.CpuBackend;
import io.shendu.backend.reference.ReferenceBackend;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequential's fused convolutions: Conv2d → ReLU and Conv2d → BatchNorm2d (eval) → ReLU must compute what the
 * layers compute one by one, in the forward and in the gradients, and a training-mode batch norm is not folded.
 */
class SequentialFusionTest {

    /** The layers of {@code seq} applied one at a time, without Sequential's fusion. */
    private static Tensor unfused(Sequential seq, Tensor x) {
        for (int i = 0; i < seq.size(); i++) x = seq.get(i).forward(x);
        return x;
    }

    private static Sequential convBnRelu(Generator g) {
        Sequential seq = new Sequential(new Conv2d(Conv2d.options(3, 5, 3).withPadding(1), g), new BatchNorm2d(5),
                new ReLU(), new MaxPool2d(2), new Conv2d(Conv2d.options(5, 4, 3), g), new ReLU());
        randomise((BatchNorm2d) seq.get(1), g);
        return seq;
    }

    /** Running statistics far from the defaults, and a non-trivial affine transform. */
    private static void randomise(BatchNorm2d bn, Generator g) {
        int c = bn.numFeatures();
        bn.runningMean().copyFrom(Tensor.randn(g, c));
        bn.runningVar().copyFrom(Tensor.rand(g, c).add(0.5f));
        bn.weight().detach().copyFrom(Tensor.randn(g, c));
        bn.bias().detach().copyFrom(Tensor.randn(g, c));
    }

    @Test
    void foldedBatchNormAndReluMatchTheLayersInEval() {
        Generator g = new Generator(7);
        Sequential seq = convBnRelu(g);
        seq.eval();
        Tensor x = Tensor.randn(g, 4, 3, 10, 10);
        Tensor want, got;
        try (var ignored = NoGrad.enter()) {
            want = unfused(seq, x);
            got = seq.forward(x);
        }
        assertArrayEquals(want.shape(), got.shape());
        float[] a = want.toFloatArray(), b = got.toFloatArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5f * (1 + Math.abs(a[i])), "output " + i);
        int zeros = 0;
        for (float v : b) if (v == 0f) zeros++;
        assertTrue(zeros > 0 && zeros < b.length, "the ReLU clips some outputs and not others: " + zeros + " zeros");
    }

    @Test
    void gradientsThroughTheFoldedLayersMatchTheUnfusedOnes() {
        Generator g = new Generator(8);
        Sequential seq = convBnRelu(g);
        seq.eval();   // batch norm with running statistics: folded, and still differentiable in w, b, γ, β
        Tensor x = Tensor.randn(g, 2, 3, 8, 8).requiresGrad(true);
        List<Tensor> params = seq.parameters();
        Tensor up = Tensor.randn(g, 2, 4, 2, 2);

        seq.forward(x).backward(up);
        float[][] fused = grads(x, params);
        seq.zeroGrad();
        x.zeroGrad();
        unfused(seq, x).backward(up);
        float[][] plain = grads(x, params);
        for (int t = 0; t < fused.length; t++) {
            for (int i = 0; i < fused[t].length; i++) {
                assertEquals(plain[t][i], fused[t][i], 1e-4f * (1 + Math.abs(plain[t][i])), "gradient " + t + "[" + i + "]");
            }
        }
    }

    private static float[][] grads(Tensor x, List<Tensor> params) {
        float[][] out = new float[params.size() + 1][];
        out[0] = x.grad().toFloatArray();
        for (int i = 0; i < params.size(); i++) out[i + 1] = params.get(i).grad().toFloatArray();
        return out;
    }

    @Test
    void convReluIsBitwiseTheLayersInTraining() {
        Generator g = new Generator(9);
        Sequential seq = convBnRelu(g);
        seq.train();   // batch norm in training mode: not folded; the last conv + ReLU still fused
        Tensor x = Tensor.randn(g, 3, 3, 10, 10);
        Sequential twin = convBnRelu(new Generator(9));
        twin.train();
        assertArrayEquals(unfused(twin, x).toFloatArray(), seq.forward(x).toFloatArray());
    }

    @Test
    void batchNormReluInTrainingIsBitwiseTheLayersForwardAndBackward() {
        Generator g = new Generator(10);
        Sequential seq = new Sequential(new Conv2d(Conv2d.options(2, 4, 3).withPadding(1), g), new BatchNorm2d(4),
                new ReLU());
        Sequential twin = new Sequential(new Conv2d(Conv2d.options(2, 4, 3).withPadding(1), new Generator(10)),
                new BatchNorm2d(4), new ReLU());
        Tensor x = Tensor.randn(g, 5, 2, 9, 9), up = Tensor.randn(g, 5, 4, 9, 9);
        Tensor y = seq.forward(x), want = unfused(twin, x);
        assertArrayEquals(want.toFloatArray(), y.toFloatArray(), "forward");
        y.backward(up);
        want.backward(up);
        for (int i = 0; i < seq.parameters().size(); i++) {
            assertArrayEquals(twin.parameters().get(i).grad().toFloatArray(), seq.parameters().get(i).grad().toFloatArray(),
                    "gradient of parameter " + i);
        }
        BatchNorm2d bn = (BatchNorm2d) seq.get(1), bnTwin = (BatchNorm2d) twin.get(1);
        assertArrayEquals(bnTwin.runningVar().toFloatArray(), bn.runningVar().toFloatArray(), "running variance");
    }

    /**
     * Conv2d → ReLU → MaxPool2d(2) runs as one op that never stores the convolution output: the output, the input
     * gradient and every parameter gradient are bitwise those of the three layers, for an even and an odd (the
     * last row and column dropped) convolution output, and with and without a bias.
     */
    @Test
    void convReluMaxPoolIsBitwiseTheLayersForwardAndBackward() {
        checkConvReluPool(10, true);
        checkConvReluPool(9, false);
    }

    private static void checkConvReluPool(int size, boolean bias) {
        Sequential seq = convReluPool(new Generator(12), bias), twin = convReluPool(new Generator(12), bias);
        Generator g = new Generator(13);
        Tensor x = Tensor.randn(g, 3, 2, size, size).requiresGrad(true), xTwin = x.detach().requiresGrad(true);
        Tensor y = seq.forward(x), want = unfused(twin, xTwin);
        assertArrayEquals(want.shape(), y.shape());
        assertArrayEquals(want.toFloatArray(), y.toFloatArray(), "forward");
        assertEquals("Conv+ReLU+MaxPool2x2", y.gradFn().name(), "the block ran fused");
        Tensor up = Tensor.randn(g, y.shape());
        y.backward(up);
        want.backward(up);
        assertArrayEquals(xTwin.grad().toFloatArray(), x.grad().toFloatArray(), "input gradient");
        for (int i = 0; i < seq.parameters().size(); i++) {
            assertArrayEquals(twin.parameters().get(i).grad().toFloatArray(), seq.parameters().get(i).grad().toFloatArray(),
                    "gradient of parameter " + i);
        }
        int zeros = 0;
        for (float v : x.grad().toFloatArray()) if (v == 0f) zeros++;
        assertTrue(zeros < x.numel(), "some gradient reaches the input");
    }

    private static Sequential convReluPool(Generator g, boolean bias) {
        return new Sequential(new Conv2d(Conv2d.options(2, 4, 3).withPadding(1).withBias(bias), g), new ReLU(),
                new MaxPool2d(2));
    }

    /**
     * BatchNorm2d → ReLU → MaxPool2d(2) in training runs as one batch norm whose normalised values are pooled in
     * scratch: the output, the input gradient, γ's and β's gradients and the running statistics are bitwise those of
     * the layers; in eval mode too.
     */
    @Test
    void batchNormReluMaxPoolIsBitwiseTheLayers() {
        for (boolean training : new boolean[] {true, false}) {
            for (int size : new int[] {8, 7}) {
                Sequential seq = bnReluPool(), twin = bnReluPool();
                if (!training) {
                    seq.eval();
                    twin.eval();
                }
                Generator g = new Generator(15 + size);
                Tensor x = Tensor.randn(g, 4, 3, size, size).requiresGrad(true), xTwin = x.detach().requiresGrad(true);
                Tensor y = seq.forward(x), want = unfused(twin, xTwin);
                String what = (training ? "training" : "eval") + " " + size + "x" + size;
                assertEquals("BatchNorm+ReLU+MaxPool2x2", y.gradFn().name(), what + ": the block ran fused");
                assertArrayEquals(want.toFloatArray(), y.toFloatArray(), what + ": forward");
                Tensor up = Tensor.randn(g, y.shape());
                y.backward(up);
                want.backward(up);
                assertArrayEquals(xTwin.grad().toFloatArray(), x.grad().toFloatArray(), what + ": input gradient");
                for (int i = 0; i < seq.parameters().size(); i++) {
                    assertArrayEquals(twin.parameters().get(i).grad().toFloatArray(),
                            seq.parameters().get(i).grad().toFloatArray(), what + ": gradient of parameter " + i);
                }
                BatchNorm2d bn = (BatchNorm2d) seq.get(0), bnTwin = (BatchNorm2d) twin.get(0);
                assertArrayEquals(bnTwin.runningMean().toFloatArray(), bn.runningMean().toFloatArray(), what + ": running mean");
                assertArrayEquals(bnTwin.runningVar().toFloatArray(), bn.runningVar().toFloatArray(), what + ": running variance");
            }
        }
    }

    private static Sequential bnReluPool() {
        Generator g = new Generator(16);
        Sequential seq = new Sequential(new BatchNorm2d(3), new ReLU(), new MaxPool2d(2));
        randomise((BatchNorm2d) seq.get(0), g);
        return seq;
    }

    /** In eval, Conv2d → BatchNorm2d → ReLU → MaxPool2d(2) is one op: the folded convolution, pooled as computed. */
    @Test
    void anEvalConvBatchNormReluPoolBlockRunsAsOneOp() {
        Generator g = new Generator(17);
        Sequential seq = new Sequential(new Conv2d(Conv2d.options(2, 4, 3).withPadding(1), g), new BatchNorm2d(4),
                new ReLU(), new MaxPool2d(2));
        seq.eval();
        Tensor x = Tensor.randn(g, 2, 2, 6, 6).requiresGrad(true);
        Tensor y = seq.forward(x);
        assertEquals("Conv+ReLU+MaxPool2x2", y.gradFn().name());
        Tensor want = unfused(seq, x.detach());
        float[] a = want.toFloatArray(), b = y.toFloatArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5f * (1 + Math.abs(a[i])), "output " + i);
    }

    @Test
    void onlyAHalvingPoolIsFused() {
        Generator g = new Generator(14);
        Sequential seq = new Sequential(new Conv2d(Conv2d.options(2, 4, 3), g), new ReLU(),
                new MaxPool2d(MaxPool2d.MaxPool2dOptions.of(2).withStride(1)));
        Tensor x = Tensor.randn(g, 2, 2, 8, 8).requiresGrad(true);
        assertEquals("MaxPool", seq.forward(x).gradFn().name());
    }

    @Test
    void foldingATrainingModeBatchNormIsRefused() {
        Conv2d conv = new Conv2d(Conv2d.options(2, 3, 3), new Generator(1));
        BatchNorm2d bn = new BatchNorm2d(3);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.forwardFolded(Tensor.zeros(1, 2, 5, 5), bn, true));
        assertTrue(e.getMessage().contains("running statistics"), e.getMessage());
    }

    /** Seven outputs (the direct kernels), twenty (the GEMM tiles), and a strided one. */
    @Test
    void fastForwardReluIsBitwiseForwardThenRelu() {
        checkForwardRelu(7, 1);
        checkForwardRelu(20, 1);
        checkForwardRelu(20, 2);
    }

    private static void checkForwardRelu(int out, int stride) {
        ConvGeometry geo = new ConvGeometry(3, 4, out, 1, ConvAxis.of(9, 3, stride, 1, 1), ConvAxis.of(11, 3, stride, 1, 1));
        Generator g = new Generator(3);
        float[] x = Tensor.randn(g, 3 * 4 * 9 * 11).toFloatArray(), w = Tensor.randn(g, out * 4 * 9).toFloatArray();
        float[] b = Tensor.randn(g, out).toFloatArray();
        int n = 3 * geo.outputImageSize();
        for (ConvKernels k : List.of(CpuBackend.INSTANCE.conv(), CpuBackend.plain().conv(), ReferenceBackend.INSTANCE.conv())) {
            float[] plain = new float[n], fused = new float[n];
            k.forward(geo, x, 0, w, 0, b, 0, plain, 0);
            for (int i = 0; i < n; i++) plain[i] = Math.max(plain[i], 0f);
            k.forwardRelu(geo, x, 0, w, 0, b, 0, fused, 0);
            assertArrayEquals(plain, fused, k.toString());
        }
    }
}
