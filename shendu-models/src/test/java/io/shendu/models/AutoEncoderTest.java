package io.shendu.models;

import io.shendu.nn.Losses;
import io.shendu.nn.Reduction;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward and backward of the autoencoders on tiny batches, their shapes, names and denoising mode. */
class AutoEncoderTest {

    private static Tensor images(int n, long seed) {
        return Tensor.rand(new Generator(seed), n, 1, 28, 28);
    }

    /** One MSE reconstruction step: every parameter gets a finite, non-zero gradient. */
    private static void assertTrainsEveryParameter(io.shendu.nn.Module model, Tensor x) {
        Tensor y = model.forward(x);
        assertArrayEquals(x.shape(), y.shape());
        for (float v : y.toFloatArray()) assertTrue(v > 0 && v < 1, "sigmoid output in (0, 1): " + v);
        Losses.mse(y, x, Reduction.MEAN).backward();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            assertNotNull(p.getValue().grad(), p.getKey());
            float[] g = p.getValue().grad().toFloatArray();
            double norm = 0;
            for (float v : g) {
                assertTrue(Float.isFinite(v), p.getKey());
                norm += v * v;
            }
            assertTrue(norm > 0, "gradient of " + p.getKey() + " is zero");
        }
    }

    @Test
    void fullyConnectedForwardBackward() {
        AutoEncoder ae = new AutoEncoder(AutoEncoder.options(784, 32, 16, 2).withBatchNorm(true), new Generator(1));
        assertTrainsEveryParameter(ae, images(4, 2));
        assertArrayEquals(new int[] {4, 2}, ae.encode(images(4, 2)).shape());
        assertArrayEquals(new int[] {3, 784}, ae.decode(Tensor.zeros(3, 2)).shape());
        assertArrayEquals(new int[] {5, 784}, ae.forward(Tensor.zeros(5, 784)).shape(), "flat inputs too");
        assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias",
                        "encoder.3.weight", "encoder.3.bias", "encoder.4.weight", "encoder.4.bias",
                        "encoder.6.weight", "encoder.6.bias"),
                ae.namedParameters().keySet().stream().filter(k -> k.startsWith("encoder")).toList());
        assertArrayEquals(new int[] {784, 32}, ae.namedParameters().get("decoder.6.weight").shape(), "mirror image");
    }

    @Test
    void thePapersConfigurationBuilds() {
        AutoEncoder ae = new AutoEncoder(AutoEncoder.options(784, 1000, 500, 250, 2), new Generator(1));
        // 784·1000 + 1000·500 + 500·250 + 250·2 weights each way, plus biases.
        long weights = 2L * (784 * 1000 + 1000 * 500 + 500 * 250 + 250 * 2);
        long biases = (1000 + 500 + 250 + 2) + (250 + 500 + 1000 + 784);
        assertEquals(weights + biases, ae.parameterCount());
        assertArrayEquals(new int[] {2, 2}, ae.encode(images(2, 3)).shape());
    }

    @Test
    void convolutionalForwardBackward() {
        ConvAutoEncoder ae = new ConvAutoEncoder(ConvAutoEncoder.options(1, 28, 8, 4, 8).withBatchNorm(true), new Generator(4));
        assertTrainsEveryParameter(ae, images(3, 5));
        assertArrayEquals(new int[] {3, 8}, ae.encode(images(3, 5)).shape());
        assertArrayEquals(new int[] {8, 4, 3, 3}, ae.namedParameters().get("encoder.3.weight").shape(), "second level 4 → 8");
        assertThrows(IllegalArgumentException.class, () -> ConvAutoEncoder.options(1, 28, 8, 4, 8, 16), "28 is not divisible by 8");
        assertThrows(IllegalArgumentException.class, () -> ae.forward(Tensor.zeros(1, 1, 32, 32)));
    }

    @Test
    void denoisingCorruptsOnlyInTraining() {
        AutoEncoder ae = new AutoEncoder(AutoEncoder.options(784, 16, 2).withNoise(0.5), new Generator(6));
        Tensor x = images(2, 7);
        assertFalse(java.util.Arrays.equals(ae.forward(x).toFloatArray(), ae.forward(x).toFloatArray()), "fresh noise per call");
        ae.eval();
        assertArrayEquals(ae.forward(x).toFloatArray(), ae.forward(x).toFloatArray(), "no noise in eval mode");
        assertTrue(ae.namedGenerators().containsKey("noise.generator"), "its generator is checkpointed");
        ae.train();
        assertTrainsEveryParameter(ae, x);

        Tensor noisy = InputNoise.corrupt(Tensor.zeros(100_000), 0.5, new Generator(8));
        float[] v = noisy.toFloatArray();
        double sum = 0, squares = 0;
        for (float f : v) {
            sum += f;
            squares += f * f;
        }
        assertEquals(0, sum / v.length, 0.01);
        assertEquals(0.25, squares / v.length, 0.01, "variance std²");
    }

    @Test
    void reconstructionBatchesUseTheImagesAsTargets() {
        var digits = io.shendu.data.Mnist.embedded(io.shendu.data.Split.TEST).subset(0, 10);
        var batch = new ReconstructionDataset(digits).batch(new int[] {3, 1});
        assertArrayEquals(new int[] {2, 1, 28, 28}, batch.labels().shape());
        assertArrayEquals(digits.get(3).input().toFloatArray(), batch.labels().narrow(0, 0, 1).reshape(1, 28, 28).toFloatArray());
        assertArrayEquals(batch.inputs().toFloatArray(), batch.labels().toFloatArray());
    }
}
