package io.shendu.nn;

import io.shendu.nn.Convolution.Size2;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolution layers as a user meets them: output shapes, 'same' padding, parameter names and shapes as
 * PyTorch's state dict has them, PyTorch's initialisation bounds, options validation, and errors that name the
 * layer with the expected and the found shape. Values are checked by the fixtures and the kernel tests.
 */
class ConvLayerTest {

    private static final Generator GEN = new Generator(42);

    // ------------------------------------------------------------------ shapes

    @Test
    void conv2dOutputShapes() {
        assertShape(new int[] {2, 8, 6, 6}, new Conv2d(Conv2d.options(3, 8, 3), GEN), 2, 3, 8, 8);
        assertShape(new int[] {2, 8, 4, 4}, new Conv2d(Conv2d.options(3, 8, 3).withStride(2).withPadding(1), GEN), 2, 3, 8, 8);
        assertShape(new int[] {1, 4, 5, 3}, new Conv2d(Conv2d.options(2, 4, 3, 1).withStride(2, 3).withPadding(1, 0), GEN),
                1, 2, 9, 9);
        assertShape(new int[] {2, 6, 4, 4}, new Conv2d(Conv2d.options(4, 6, 3).withDilation(2).withGroups(2), GEN), 2, 4, 8, 8);
        assertShape(new int[] {6, 7, 7}, new Conv2d(Conv2d.options(3, 6, 3).withPadding(1), GEN), 3, 7, 7); // unbatched
    }

    @Test
    void conv1dAndTransposedOutputShapes() {
        assertShape(new int[] {2, 5, 5}, new Conv1d(Conv1d.options(3, 5, 3).withStride(2).withPadding(1), GEN), 2, 3, 10);
        assertShape(new int[] {5, 8}, new Conv1d(Conv1d.options(3, 5, 3), GEN), 3, 10);                                      // unbatched
        // (4 − 1)·2 − 2·1 + (3 − 1) + 1 + 1 = 8
        assertShape(new int[] {2, 6, 8, 8}, new ConvTranspose2d(ConvTranspose2d.options(4, 6, 3).withStride(2)
                .withPadding(1).withOutputPadding(1), GEN), 2, 4, 4, 4);
        assertShape(new int[] {1, 4, 7, 7}, new ConvTranspose2d(ConvTranspose2d.options(2, 4, 3).withDilation(2)
                .withGroups(2), GEN), 1, 2, 3, 3);
    }

    @Test
    void samePaddingKeepsTheSizeForOddAndEvenKernels() {
        for (int k : new int[] {1, 2, 3, 4, 5}) {
            for (int dilation : new int[] {1, 2}) {
                var conv = new Conv2d(Conv2d.options(2, 3, k, k + 1).withSamePadding().withDilation(dilation), GEN);
                assertShape(new int[] {2, 3, 9, 10}, conv, 2, 2, 9, 10);
                assertShape(new int[] {2, 3, 11}, new Conv1d(Conv1d.options(2, 3, k).withSamePadding()
                        .withDilation(dilation), GEN), 2, 2, 11);
            }
        }
    }

    @Test
    void samePaddingWithAnOddKernelEqualsExplicitPadding() {
        Tensor x = Tensor.randn(GEN, 2, 3, 6, 7);
        var same = new Conv2d(Conv2d.options(3, 4, 5).withSamePadding().withDilation(2), new Generator(1));
        var explicit = new Conv2d(Conv2d.options(3, 4, 5).withPadding(4).withDilation(2), new Generator(1));
        assertArrayEquals(explicit.forward(x).toFloatArray(), same.forward(x).toFloatArray());
    }

    /** PyTorch pads the extra zero of an even kernel after the input: the first output sees one zero before. */
    @Test
    void samePaddingWithAnEvenKernelPadsTheExtraZeroAfter() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 4);
        Tensor w = Tensor.of(new float[] {1, 10, 100, 1000}, 1, 1, 4);   // total padding 3: one before, two after
        Tensor y = ConvFunctional.conv1dSame(x, w, null, 1, 1);
        assertArrayEquals(new float[] {3210, 4321, 432, 43}, y.toFloatArray());
    }

    // ------------------------------------------------------------------ parameters

    @Test
    void parameterNamesAndShapesFollowPyTorch() {
        assertParameters(new Conv2d(Conv2d.options(4, 6, 3, 5).withGroups(2), GEN), Map.of("weight", new int[] {6, 2, 3, 5},
                "bias", new int[] {6}));
        assertParameters(new Conv1d(Conv1d.options(3, 8, 4), GEN), Map.of("weight", new int[] {8, 3, 4}, "bias", new int[] {8}));
        assertParameters(new ConvTranspose2d(ConvTranspose2d.options(4, 6, 3).withGroups(2), GEN),
                Map.of("weight", new int[] {4, 3, 3, 3}, "bias", new int[] {6}));
        var noBias = new Conv2d(Conv2d.options(3, 8, 3).withBias(false), GEN);
        assertEquals(List.of("weight"), List.copyOf(noBias.stateDict().keySet()));
        assertNull(noBias.bias());
    }

    /** kaiming_uniform(a = √5) is U(±1/√fanIn), the same bound as the bias's; fanIn = weight.size(1)·kH·kW. */
    @Test
    void initialisationStaysWithinPyTorchBounds() {
        assertInitBounds(new Conv2d(Conv2d.options(8, 16, 3).withGroups(2), GEN), 4 * 9);
        assertInitBounds(new Conv1d(Conv1d.options(6, 16, 5), GEN), 6 * 5);
        assertInitBounds(new ConvTranspose2d(ConvTranspose2d.options(8, 12, 4).withGroups(4), GEN), 3 * 16);
    }

    @Test
    void sameSeedGivesSameWeights() {
        var a = new Conv2d(Conv2d.options(3, 4, 3), new Generator(5));
        var b = new Conv2d(Conv2d.options(3, 4, 3), new Generator(5));
        assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
        assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
    }

    @Test
    void backwardReachesWeightAndBias() {
        var conv = new Conv2d(Conv2d.options(3, 4, 3).withPadding(1), GEN);
        Tensor x = Tensor.randn(GEN, 2, 3, 5, 5).requiresGrad(true);
        conv.forward(x).sum().backward();
        assertArrayEquals(new int[] {4, 3, 3, 3}, conv.weight().grad().shape());
        assertArrayEquals(new int[] {2, 3, 5, 5}, x.grad().shape());
        assertArrayEquals(new float[] {50, 50, 50, 50}, conv.bias().grad().toFloatArray());   // N·H·W
    }

    /** A transposed convolution is the adjoint of the convolution with the same weight: ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩. */
    @Test
    void transposedConvolutionIsTheAdjoint() {
        Tensor w = Tensor.randn(GEN, 6, 2, 3, 3), x = Tensor.randn(GEN, 2, 4, 9, 8), y = Tensor.randn(GEN, 2, 6, 5, 4);
        Tensor conv = ConvFunctional.conv2d(x, w, null, Size2.of(2), Size2.of(1), Size2.of(1), 2);
        Tensor transposed = ConvFunctional.convTranspose2d(y, w, null, Size2.of(2), Size2.of(1), new Size2(0, 1), 2, Size2.of(1));
        assertArrayEquals(x.shape(), transposed.shape());
        assertEquals(conv.mul(y).sum().item(), x.mul(transposed).sum().item(), 1e-3);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void wrongRankNamesTheLayerAndBothShapes() {
        var conv = new Conv2d(Conv2d.options(3, 8, 3), GEN);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(3, 8)));
        assertMessage(e, "Conv2d(3, 8, kernel_size=(3, 3)", "[N, 3, H, W]", "found [3, 8]");
        var e1 = assertThrows(IllegalArgumentException.class, () -> new Conv1d(Conv1d.options(3, 8, 3), GEN).forward(Tensor.zeros(1, 3, 4, 4)));
        assertMessage(e1, "Conv1d(3, 8", "[N, 3, L]", "found [1, 3, 4, 4]");
    }

    @Test
    void wrongChannelsNamesTheLayerAndBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(Conv2d.options(3, 8, 3), GEN).forward(Tensor.zeros(2, 4, 8, 8)));
        assertMessage(e, "Conv2d(3, 8", "expected input [N, 3, H, W]", "found [2, 4, 8, 8]");
        var t = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2d(ConvTranspose2d.options(4, 2, 3), GEN).forward(Tensor.zeros(1, 2, 5, 5)));
        assertMessage(t, "ConvTranspose2d(4, 2", "[N, 4, H, W]", "found [1, 2, 5, 5]");
    }

    @Test
    void inputSmallerThanTheKernelIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(Conv2d.options(1, 1, 5), GEN).forward(Tensor.zeros(1, 1, 3, 9)));
        assertMessage(e, "Conv2d(1, 1", "too small", "[1, 1, 3, 9]");
    }

    @Test
    void functionalChecksWeightAndBias() {
        Tensor x = Tensor.zeros(1, 4, 5, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> ConvFunctional.conv2d(x, Tensor.zeros(6, 3, 3, 3), null));
        assertMessage(e, "conv2d", "[1, 4, 5, 5]", "[6, 3, 3, 3]");
        var b = assertThrows(IllegalArgumentException.class,
                () -> ConvFunctional.conv2d(x, Tensor.zeros(6, 4, 3, 3), Tensor.zeros(5)));
        assertMessage(b, "conv2d", "expected bias [6]", "found [5]");
    }

    @Test
    void invalidOptionsAreRejected() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Conv2d.options(3, 8, 3).withGroups(2)),
                "Conv2d", "groups 2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Conv2d.options(3, 8, 3).withSamePadding().withStride(2)),
                "Conv2d", "'same'", "stride");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Conv1d.options(3, 8, 0)), "Conv1d", "kernelSize");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Conv2d.options(3, 8, 3).withPadding(-1)),
                "Conv2d", "padding");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> ConvTranspose2d.options(3, 8, 3).withStride(2).withOutputPadding(2)), "ConvTranspose2d", "output padding");
    }

    @Test
    void describeReadsLikePyTorch() {
        assertEquals("Conv2d(3, 64, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)",
                new Conv2d(Conv2d.options(3, 64, 3).withStride(2).withPadding(1).withBias(false), GEN).describe());
        assertEquals("Conv1d(16, 32, kernel_size=(3,), stride=(1,), padding=same)",
                new Conv1d(Conv1d.options(16, 32, 3).withSamePadding(), GEN).describe());
        assertEquals("ConvTranspose2d(64, 32, kernel_size=(2, 2), stride=(2, 2))",
                new ConvTranspose2d(ConvTranspose2d.options(64, 32, 2).withStride(2), GEN).describe());
    }

    // ------------------------------------------------------------------ helpers

    private static void assertShape(int[] expected, Module layer, int... inputShape) {
        assertArrayEquals(expected, layer.forward(Tensor.randn(GEN, inputShape)).shape(), layer::describe);
    }

    private static void assertParameters(Module layer, Map<String, int[]> expected) {
        Map<String, Tensor> state = layer.stateDict();
        assertEquals(List.of("weight", "bias"), List.copyOf(state.keySet()));
        expected.forEach((name, shape) -> assertArrayEquals(shape, state.get(name).shape(), name));
    }

    private static void assertInitBounds(Module layer, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        for (var e : layer.namedParameters().entrySet()) {
            float max = 0;
            for (float v : e.getValue().toFloatArray()) max = Math.max(max, Math.abs(v));
            float m = max;
            assertTrue(m <= bound, () -> layer.describe() + " " + e.getKey() + ": |value| " + m + " > bound " + bound);
            assertTrue(m > 0.5 * bound, () -> layer.describe() + " " + e.getKey() + ": values use only " + m + " of ±" + bound);
        }
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }
}
