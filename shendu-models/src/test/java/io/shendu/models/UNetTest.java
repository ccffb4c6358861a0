package io.shendu.models;

import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.nn.Losses;
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

/** U-Net's forward and backward on a tiny batch, its module tree, and the generated segmentation task. */
class UNetTest {

    @Test
    void forwardBackwardOnATinyBatch() {
        UNet net = new UNet(1, 2, 2, 4, new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 1, 16, 12);
        Tensor y = net.forward(x);
        assertArrayEquals(new int[] {2, 2, 16, 12}, y.shape());
        Losses.binaryCrossEntropyWithLogits(y, Tensor.rand(new Generator(3), 2, 2, 16, 12).gt(0.5f).toFloat(), null, null,
                Reduction.MEAN).backward();
        for (Map.Entry<String, Tensor> p : net.namedParameters().entrySet()) {
            assertNotNull(p.getValue().grad(), p.getKey());
            for (float g : p.getValue().grad().toFloatArray()) assertTrue(Float.isFinite(g), p.getKey());
        }
    }

    @Test
    void depthAndWidthShapeTheTree() {
        UNet net = new UNet(3, 1, 3, 8, new Generator(1));
        Map<String, Tensor> p = net.namedParameters();
        assertArrayEquals(new int[] {8, 3, 3, 3}, p.get("down.0.conv1.weight").shape());
        assertArrayEquals(new int[] {32, 16, 3, 3}, p.get("down.2.conv1.weight").shape());
        assertArrayEquals(new int[] {64, 32, 3, 3}, p.get("bottleneck.conv1.weight").shape());
        assertArrayEquals(new int[] {64, 32, 2, 2}, p.get("up.0.weight").shape(), "transposed conv: [in, out, k, k]");
        assertArrayEquals(new int[] {32, 64, 3, 3}, p.get("decode.0.conv1.weight").shape(), "skip + upsampled channels");
        assertArrayEquals(new int[] {8, 16, 3, 3}, p.get("decode.2.conv1.weight").shape());
        assertArrayEquals(new int[] {1, 8, 1, 1}, p.get("head.weight").shape());
        assertTrue(net.namedBuffers().containsKey("decode.2.bn2.running_mean"));
        assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 3, 20, 16)), "20 is not divisible by 8");
        assertThrows(IllegalArgumentException.class, () -> new UNet(1, 1, 0, 8, new Generator(1)));
    }

    @Test
    void generatedImagesHaveDigitMasks() {
        var digits = Mnist.embedded(Split.TEST).subset(0, 20);
        DigitSegmentation a = DigitSegmentation.generate(digits, 6, 32, 0.2, new Generator(9));
        DigitSegmentation b = DigitSegmentation.generate(digits, 6, 32, 0.2, new Generator(9));
        assertArrayEquals(a.images().toFloatArray(), b.images().toFloatArray(), "the same seed gives the same images");
        float[] m = a.masks().toFloatArray();
        int foreground = 0;
        for (float v : m) {
            assertTrue(v == 0 || v == 1);
            if (v == 1) foreground++;
        }
        double share = foreground / (double) m.length;
        assertTrue(share > 0.05 && share < 0.4, "digit strokes cover part of each image: " + share);
        var batch = a.batch(new int[] {5, 0});
        assertArrayEquals(new int[] {2, 1, 32, 32}, batch.inputs().shape());
        assertArrayEquals(a.masks().narrow(0, 5, 1).toFloatArray(), batch.labels().narrow(0, 0, 1).toFloatArray());
        assertEquals(1.0, Iou.mean(a.masks().sub(0.5f), a.masks()), "the true mask scores 1");
    }
}
