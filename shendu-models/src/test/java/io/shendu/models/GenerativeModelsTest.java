package io.shendu.models;

import io.shendu.nn.Losses;
import io.shendu.nn.Module;
import io.shendu.nn.Reduction;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GAN, super-resolution and pix2pix networks: output shapes, and a gradient for every parameter, on tiny batches. */
class GenerativeModelsTest {

    private static final Generator GEN = new Generator(7);

    @Test
    void dcganForwardAndBackward() {
        var g = new DcganGenerator(8, 4, 0, GEN);
        var d = new DcganDiscriminator(4, 0, GEN);
        Tensor images = g.forward(g.noise(3, GEN));
        assertArrayEquals(new int[] {3, 1, 28, 28}, images.shape());
        for (float v : images.toFloatArray()) assertTrue(v >= -1 && v <= 1, "tanh output in [-1, 1]: " + v);
        Tensor logits = d.forward(images);
        assertArrayEquals(new int[] {3}, logits.shape());
        bce(logits, 1f).backward();
        assertEveryParameterHasAGradient(g);
        assertEveryParameterHasAGradient(d);
    }

    @Test
    void conditionalDcganForwardAndBackward() {
        var g = new DcganGenerator(8, 4, 10, GEN);
        var d = new DcganDiscriminator(4, 10, GEN);
        Tensor labels = Tensor.ofInts(new int[] {3, 7}, 2);
        Tensor images = g.forward(g.noise(2, GEN), labels);
        assertArrayEquals(new int[] {2, 1, 28, 28}, images.shape());
        Tensor logits = d.forward(images, labels);
        assertArrayEquals(new int[] {2}, logits.shape());
        bce(logits, 1f).backward();
        assertEveryParameterHasAGradient(g);
        assertEveryParameterHasAGradient(d);
        float[] rows = g.namedParameters().get("label.weight").grad().toFloatArray();
        assertEquals(0, absSum(rows, 0, 10), "an embedding row of an unused label gets no gradient");
        assertTrue(absSum(rows, 30, 40) > 0, "the row of label 3 does");

        assertThrows(IllegalArgumentException.class, () -> g.forward(g.noise(2, GEN)), "a conditional generator needs labels");
        assertThrows(IllegalArgumentException.class, () -> d.forward(images, Tensor.ofInts(new int[] {1}, 1)));
        var plain = new DcganGenerator(8, 4, 0, GEN);
        assertThrows(IllegalArgumentException.class, () -> plain.forward(plain.noise(2, GEN), labels));
        assertThrows(IllegalArgumentException.class, () -> plain.forward(Tensor.zeros(2, 9)));
    }

    @Test
    void dcganInitialisationFollowsThePaper() {
        var g = new DcganGenerator(16, 8, 0, new Generator(1));
        Map<String, Tensor> p = g.namedParameters();
        assertEquals(0.02, std(p.get("conv2.weight").toFloatArray()), 0.002);
        assertEquals(1.0, mean(p.get("bn1.weight").toFloatArray()), 0.01);
        assertEquals(0.0, absSum(p.get("conv3.bias").toFloatArray(), 0, 1));
    }

    @Test
    void srResNetUpscalesTwoAndFourTimes() {
        var sr2 = new SrResNet(2, 4, 2, GEN);
        Tensor y2 = sr2.forward(Tensor.rand(GEN, 2, 1, 7, 7));
        assertArrayEquals(new int[] {2, 1, 14, 14}, y2.shape());
        Losses.mse(y2, Tensor.rand(GEN, 2, 1, 14, 14), Reduction.MEAN).backward();
        assertEveryParameterHasAGradient(sr2);

        var sr4 = new SrResNet(4, 4, 1, GEN);
        assertArrayEquals(new int[] {2, 1, 28, 28}, sr4.forward(Tensor.rand(GEN, 2, 1, 7, 7)).shape());
        assertEquals(2, sr4.namedChildren().get("up").children().size(), "two ×2 sub-pixel steps for ×4");
        assertThrows(IllegalArgumentException.class, () -> new SrResNet(3, 4, 1, GEN));
    }

    @Test
    void srDiscriminatorForwardAndBackward() {
        var d = new SrDiscriminator(28, 4, GEN);
        Tensor logits = d.forward(Tensor.rand(GEN, 3, 1, 28, 28));
        assertArrayEquals(new int[] {3}, logits.shape());
        bce(logits, 0f).backward();
        assertEveryParameterHasAGradient(d);
        assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.rand(GEN, 3, 1, 14, 14)));
    }

    @Test
    void pixelShuffleMovesChannelsIntoSpace() {
        // [1, 4, 1, 2] → [1, 1, 2, 4]: out[h·2 + i, w·2 + j] = in[i·2 + j, h, w].
        Tensor x = Tensor.arange(8).reshape(1, 4, 1, 2);
        Tensor y = SrResNet.pixelShuffle(x, 2);
        assertArrayEquals(new int[] {1, 1, 2, 4}, y.shape());
        assertArrayEquals(new float[] {0, 2, 1, 3, 4, 6, 5, 7}, y.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> SrResNet.pixelShuffle(Tensor.zeros(1, 3, 2, 2), 2));
    }

    @Test
    void pix2PixForwardAndBackward() {
        var g = new Pix2PixGenerator(1, 1, 4, GEN);
        var d = new PatchDiscriminator(2, 4, GEN);
        Tensor edges = Tensor.rand(GEN, 2, 1, 28, 28);
        Tensor fake = g.forward(edges);
        assertArrayEquals(new int[] {2, 1, 28, 28}, fake.shape());
        Tensor patches = d.forward(edges, fake);
        assertArrayEquals(new int[] {2, 1, 7, 7}, patches.shape());
        bce(patches, 1f).add(Losses.l1(fake, Tensor.zerosLike(fake), Reduction.MEAN)).backward();
        assertEveryParameterHasAGradient(g);
        assertEveryParameterHasAGradient(d);
        assertArrayEquals(new int[] {1, 3, 16, 12}, new Pix2PixGenerator(2, 3, 4, GEN).forward(Tensor.rand(GEN, 1, 2, 16, 12)).shape());
        assertThrows(IllegalArgumentException.class, () -> g.forward(Tensor.rand(GEN, 1, 1, 30, 30)));
    }

    private static Tensor bce(Tensor logits, float target) {
        return Losses.binaryCrossEntropyWithLogits(logits, Tensor.full(target, logits.shape()), null, null, Reduction.MEAN);
    }

    private static void assertEveryParameterHasAGradient(Module m) {
        for (var p : m.namedParameters().entrySet()) {
            Tensor grad = p.getValue().grad();
            assertNotNull(grad, p.getKey() + " has a gradient");
            assertArrayEquals(p.getValue().shape(), grad.shape(), p.getKey());
            float[] v = grad.toFloatArray();
            assertTrue(absSum(v, 0, v.length) > 0, p.getKey() + " has a non-zero gradient");
        }
    }

    private static double absSum(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += Math.abs(v[i]);
        return s;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v), s = 0;
        for (float x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / v.length);
    }
}
