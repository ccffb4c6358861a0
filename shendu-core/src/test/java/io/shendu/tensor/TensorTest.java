package io.shendu.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public tensor API: creation, views, broadcasting, errors, reductions, indexing, formatting, int tensors. */
class TensorTest {

    /** 0, 1, ..., 11 as a contiguous 3×4 matrix. */
    private static Tensor matrix() {
        return Tensor.arange(12).reshape(3, 4);
    }

    private static void assertValues(Tensor t, int[] shape, float... values) {
        assertArrayEquals(shape, t.shape(), "shape");
        assertArrayEquals(values, t.toFloatArray(), 1e-6f, "values of " + t);
    }

    /** Writes {@code value} at {@code index} through a one-element {@link Tensor#narrow} view. */
    private static void set(Tensor t, float value, int... index) {
        Tensor e = t;
        for (int d = 0; d < index.length; d++) e = e.narrow(d, index[d], 1);
        e.fill(value);
    }

    /** Asserts that {@code view} shares {@code base}'s storage and that a write through it shows in base. */
    private static void assertWritesThrough(Tensor base, int[] baseIndex, Tensor view, int... viewIndex) {
        assertSame(base.floatStorage(), view.floatStorage(), "view shares the storage");
        set(view, -99f, viewIndex);
        assertEquals(-99f, base.get(baseIndex), "a write through the view is seen in the base tensor");
    }

    private static void assertMessage(Class<? extends Throwable> type, String message, Executable call) {
        assertEquals(message, assertThrows(type, call).getMessage());
    }

    // ------------------------------------------------------------------ creation

    @Test
    void constantTensors() {
        assertValues(Tensor.zeros(2, 3), new int[] {2, 3}, 0, 0, 0, 0, 0, 0);
        assertValues(Tensor.ones(2), new int[] {2}, 1, 1);
        assertValues(Tensor.full(2.5f, 1, 2), new int[] {1, 2}, 2.5f, 2.5f);
        assertValues(Tensor.zeros(), new int[] {}, 0);
        assertValues(Tensor.zeros(3, 0), new int[] {3, 0});
        assertValues(Tensor.eye(3), new int[] {3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertEquals(DType.FLOAT32, Tensor.zeros(2).dtype());
        assertMessage(IllegalArgumentException.class, "zeros: negative size in shape [2, -1]", () -> Tensor.zeros(2, -1));
    }

    @Test
    void arangeAndLinspace() {
        assertValues(Tensor.arange(5), new int[] {5}, 0, 1, 2, 3, 4);
        assertValues(Tensor.arange(1, 2, 0.25f), new int[] {4}, 1, 1.25f, 1.5f, 1.75f);
        assertValues(Tensor.arange(5, 0, -2), new int[] {3}, 5, 3, 1);
        assertValues(Tensor.arange(0), new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
        assertValues(Tensor.linspace(0, 1, 5), new int[] {5}, 0, 0.25f, 0.5f, 0.75f, 1);
        assertValues(Tensor.linspace(-1, 1, 1), new int[] {1}, -1);
        assertValues(Tensor.linspace(0, 1, 0), new int[] {0});
        assertEquals(0.7f, Tensor.linspace(0.1f, 0.7f, 7).get(6), "the end is exact");
    }

    @Test
    void randomTensorsAreReproduciblePerSeed() {
        assertArrayEquals(Tensor.rand(new Generator(7), 3, 4).toFloatArray(), Tensor.rand(new Generator(7), 12).toFloatArray());
        assertArrayEquals(Tensor.randn(new Generator(7), 5).toFloatArray(), Tensor.randn(new Generator(7), 5).toFloatArray());
        assertArrayEquals(Tensor.randint(new Generator(7), 0, 9, 5).toIntArray(), Tensor.randint(new Generator(7), 0, 9, 5).toIntArray());
        assertFalse(java.util.Arrays.equals(Tensor.randn(new Generator(7), 5).toFloatArray(),
                Tensor.randn(new Generator(8), 5).toFloatArray()), "different seeds give different values");
        Generator gen = new Generator(7);
        float[] first = Tensor.rand(gen, 5).toFloatArray();
        assertFalse(java.util.Arrays.equals(first, Tensor.rand(gen, 5).toFloatArray()), "the generator advances");
    }

    @Test
    void randHasUniformMoments() {
        float[] u = Tensor.rand(new Generator(1), 200_000).toFloatArray();
        double mean = 0, var = 0;
        for (float v : u) {
            assertTrue(v >= 0 && v < 1, "rand in [0, 1): " + v);
            mean += v / u.length;
        }
        for (float v : u) var += (v - mean) * (v - mean) / u.length;
        assertEquals(0.5, mean, 0.003);
        assertEquals(1 / 12.0, var, 0.001);
    }

    @Test
    void randnHasStandardNormalMoments() {
        float[] z = Tensor.randn(new Generator(2), 200_000).toFloatArray();
        double mean = 0, var = 0, withinOne = 0;
        for (float v : z) {
            mean += v / z.length;
            if (Math.abs(v) < 1) withinOne += 1.0 / z.length;
        }
        for (float v : z) var += (v - mean) * (v - mean) / z.length;
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.01);
        assertEquals(0.6827, withinOne, 0.005, "P(|z| < 1)");
    }

    @Test
    void randintCoversItsRangeEvenly() {
        Tensor r = Tensor.randint(new Generator(3), -3, 4, 70_000);
        assertEquals(DType.INT32, r.dtype());
        int[] counts = new int[7];
        for (int v : r.toIntArray()) {
            assertTrue(v >= -3 && v < 4, "randint in [-3, 4): " + v);
            counts[v + 3]++;
        }
        for (int c : counts) assertEquals(10_000, c, 400);
        assertMessage(IllegalArgumentException.class, "randint: need low < high, got 2 and 2",
                () -> Tensor.randint(new Generator(3), 2, 2, 1));
    }

    @Test
    void wrongLengthsAreClearErrors() {
        assertMessage(IllegalArgumentException.class, "of: 5 values do not fill shape [2, 3] (6 elements)",
                () -> Tensor.of(new float[5], 2, 3));
        assertMessage(IllegalArgumentException.class, "of: 2 values do not fill shape [] (1 elements)",
                () -> Tensor.of(new float[2]));
        assertMessage(IllegalArgumentException.class, "ofInts: 3 values do not fill shape [2, 2] (4 elements)",
                () -> Tensor.ofInts(new int[] {1, 2, 3}, 2, 2));
        assertMessage(IllegalArgumentException.class, "of: row 1 has 2 values, row 0 has 3",
                () -> Tensor.of(new float[][] {{1, 2, 3}, {4, 5}}));
        assertMessage(IllegalArgumentException.class, "reshape: cannot reshape [3] (3 elements) into [2, 2] (4 elements)",
                () -> Tensor.vector(1, 2, 3).reshape(2, 2));
        assertValues(Tensor.vector(1, 2, 3), new int[] {3}, 1, 2, 3);
        assertValues(Tensor.scalar(4), new int[] {}, 4);
        assertValues(Tensor.of(new float[][] {{1, 2}, {3, 4}}), new int[] {2, 2}, 1, 2, 3, 4);
    }

    @Test
    void ofCopiesItsInput() {
        float[] data = {1, 2};
        Tensor t = Tensor.of(data, 2);
        data[0] = 5;
        assertEquals(1f, t.get(0));
    }

    // ------------------------------------------------------------------ views

    @Test
    void reshapeAndViewShareStorage() {
        Tensor x = matrix();
        assertValues(x.reshape(2, -1), new int[] {2, 6}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertWritesThrough(x, new int[] {1, 2}, x.reshape(4, 3), 2, 0);
        assertWritesThrough(x, new int[] {2, 3}, x.view(6, 2), 5, 1);
        assertWritesThrough(x, new int[] {0, 1}, x.flatten(), 1);
        assertSame(x, x.reshape(3, 4), "reshape to the same shape is the tensor itself");
    }

    @Test
    void transposeAndPermuteShareStorage() {
        Tensor x = matrix();
        Tensor t = x.t();
        assertValues(t, new int[] {4, 3}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertFalse(t.isContiguous());
        assertWritesThrough(x, new int[] {2, 1}, t, 1, 2);
        Tensor y = Tensor.arange(24).reshape(2, 3, 4);
        Tensor p = y.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(y.get(1, 2, 3), p.get(3, 1, 2));
        assertArrayEquals(p.shape(), y.permute(-1, 0, 1).shape(), "negative dims");
        assertWritesThrough(y, new int[] {1, 0, 2}, p, 2, 1, 0);
        assertWritesThrough(y, new int[] {0, 2, 1}, y.transpose(0, -1), 1, 2, 0);
    }

    @Test
    void narrowSliceAndSelectShareStorage() {
        Tensor x = matrix();
        assertValues(x.narrow(1, 1, 2), new int[] {3, 2}, 1, 2, 5, 6, 9, 10);
        assertValues(x.slice(1, 0, 4, 2), new int[] {3, 2}, 0, 2, 4, 6, 8, 10);
        assertValues(x.slice(1, -3, 100, 2), new int[] {3, 2}, 1, 3, 5, 7, 9, 11);
        assertValues(x.slice(0, 2, 1, 1), new int[] {0, 4});
        assertValues(x.select(0, 1), new int[] {4}, 4, 5, 6, 7);
        assertValues(x.select(1, -1), new int[] {3}, 3, 7, 11);
        assertWritesThrough(x, new int[] {2, 2}, x.narrow(1, 1, 2), 2, 1);
        assertWritesThrough(x, new int[] {1, 3}, x.slice(1, 1, 4, 2), 1, 1);
        assertWritesThrough(x, new int[] {2, 1}, x.select(0, 2), 1);
        assertThrows(IllegalArgumentException.class, () -> x.narrow(0, 2, 2));
    }

    /** As in PyTorch, select, squeeze and unsqueeze are views whatever the layout, not only when contiguous. */
    @Test
    void selectSqueezeAndUnsqueezeAreViewsForAnyLayout() {
        Tensor x = matrix();
        assertAll(
                () -> assertWritesThrough(x, new int[] {0, 3}, x.select(1, 3), 0),
                () -> assertWritesThrough(x, new int[] {0, 1}, x.t().select(0, 1), 0),
                () -> assertWritesThrough(x, new int[] {2, 0}, x.t().unsqueeze(0), 0, 0, 2),
                () -> assertWritesThrough(x, new int[] {1, 2}, x.t().narrow(0, 2, 1).squeeze(0), 1));
    }

    @Test
    void expandSqueezeAndUnsqueezeShareStorage() {
        Tensor v = Tensor.vector(1, 2, 3);
        Tensor e = v.expand(2, 3);
        assertValues(e, new int[] {2, 3}, 1, 2, 3, 1, 2, 3);
        assertArrayEquals(new int[] {0, 1}, e.strides(), "broadcast dimension has stride 0");
        assertSame(v.floatStorage(), e.floatStorage());
        set(v, 7f, 1);
        assertEquals(7f, e.get(0, 1));
        assertEquals(7f, e.get(1, 1));
        assertArrayEquals(new int[] {2, 3}, Tensor.scalar(5).expand(2, 3).shape());
        assertArrayEquals(new int[] {3, 4}, Tensor.zeros(3, 1).expand(-1, 4).shape());
        assertThrows(IllegalArgumentException.class, () -> v.expand(2, 4));

        Tensor x = matrix();
        Tensor u = x.unsqueeze(1);
        assertArrayEquals(new int[] {3, 1, 4}, u.shape());
        assertArrayEquals(new int[] {3, 4, 1}, x.unsqueeze(-1).shape());
        assertWritesThrough(x, new int[] {2, 3}, u, 2, 0, 3);
        assertArrayEquals(new int[] {3, 4}, u.squeeze().shape());
        assertArrayEquals(new int[] {3, 4}, u.squeeze(1).shape());
        assertSame(x, x.squeeze(0), "squeeze of a dimension that is not 1 is a no-op");
        assertWritesThrough(x, new int[] {0, 0}, u.squeeze(), 0, 0);
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor x = matrix();
        assertSame(x, x.contiguous());
        Tensor rows = x.narrow(0, 1, 2);
        assertTrue(rows.isContiguous());
        assertSame(rows, rows.contiguous());
        assertSame(x.floatStorage(), rows.reshape(8).floatStorage(), "a contiguous view at an offset reshapes in place");
        Tensor c = x.t().contiguous();
        assertNotSame(x.floatStorage(), c.floatStorage());
        assertTrue(c.isContiguous());
        assertValues(c, new int[] {4, 3}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        Tensor flat = x.t().flatten();
        assertNotSame(x.floatStorage(), flat.floatStorage(), "flattening a transpose needs a copy");
        assertValues(flat, new int[] {12}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertMessage(IllegalArgumentException.class,
                "view: a tensor of shape [4, 3] with strides [1, 4] cannot be viewed as [12] without a copy; use reshape() or contiguous() first",
                () -> x.t().view(12));
    }

    // ------------------------------------------------------------------ broadcasting

    @Test
    void shapesAlignFromTheRight() {
        Tensor col = Tensor.of(new float[] {0, 10, 20}, 3, 1);
        Tensor row = Tensor.vector(1, 2, 3, 4);
        assertValues(col.add(row), new int[] {3, 4}, 1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24);
        assertArrayEquals(new int[] {2, 4, 3}, Tensor.zeros(2, 1, 3).add(Tensor.zeros(4, 1)).shape());
        assertValues(matrix().sub(Tensor.vector(1, 1, 1, 1)).narrow(0, 0, 1), new int[] {1, 4}, -1, 0, 1, 2);
    }

    @Test
    void zeroDimensionalTensorsBroadcastToAnything() {
        assertValues(Tensor.scalar(2).mul(Tensor.ones(2, 3)), new int[] {2, 3}, 2, 2, 2, 2, 2, 2);
        assertValues(Tensor.scalar(2).add(Tensor.scalar(3)), new int[] {}, 5);
        assertValues(Tensor.vector(1, 2).div(Tensor.scalar(2)), new int[] {2}, 0.5f, 1);
        assertValues(Tensor.vector(1, 2).maximum(Tensor.scalar(1.5f)), new int[] {2}, 1.5f, 2);
    }

    @Test
    void mismatchesNameTheOpAndBothShapes() {
        assertMessage(IllegalArgumentException.class,
                "add: shapes [2, 3] and [4] do not broadcast: size 3 vs 4 at dimension 1 of the result",
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        String mul = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).mul(Tensor.zeros(2, 3))).getMessage();
        assertTrue(mul.startsWith("mul: ") && mul.contains("[3, 2]") && mul.contains("[2, 3]"), mul);
    }

    // ------------------------------------------------------------------ matrix product

    @Test
    void innerDimensionMismatchIsAClearError() {
        assertMessage(IllegalArgumentException.class, "matmul: [64, 784] @ [10, 784]: inner dimensions 784 and 10 differ",
                () -> Tensor.zeros(64, 784).matmul(Tensor.zeros(10, 784)));
    }

    @Test
    void productsOfMatricesVectorsTransposesAndBatches() {
        Tensor a = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}});
        assertValues(a.matmul(b), new int[] {2, 2}, 4, 5, 10, 11);
        assertValues(a.matmul(a.t()), new int[] {2, 2}, 14, 32, 32, 77);
        assertValues(a.t().matmul(a).narrow(0, 0, 1), new int[] {1, 3}, 17, 22, 27);
        assertValues(a.matmul(Tensor.vector(1, 1, 1)), new int[] {2}, 6, 15);
        assertValues(Tensor.vector(1, 1).matmul(a), new int[] {3}, 5, 7, 9);
        assertValues(Tensor.vector(1, 2, 3).matmul(Tensor.vector(1, 2, 3)), new int[] {}, 14);
        Tensor batch = Tensor.stack(List.of(a, a.mul(2f)), 0);
        assertValues(batch.matmul(b), new int[] {2, 2, 2}, 4, 5, 10, 11, 8, 10, 20, 22);
        assertValues(batch.matmul(Tensor.stack(List.of(b, b), 0)), new int[] {2, 2, 2}, 4, 5, 10, 11, 8, 10, 20, 22);
    }

    // ------------------------------------------------------------------ reductions and indexing

    @Test
    void sumAndMeanWithKeepdimAndNegativeDims() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4); // element (i, j, k) = 12i + 4j + k
        assertValues(x.sum(), new int[] {}, 276);
        assertValues(x.sum(-1), new int[] {2, 3}, 6, 22, 38, 54, 70, 86);
        assertArrayEquals(new int[] {2, 3, 1}, x.sum(-1, true).shape());
        assertValues(x.sum(new int[] {0, -1}, false), new int[] {3}, 60, 92, 124);
        assertValues(x.sum(new int[] {0, 2}, true), new int[] {1, 3, 1}, 60, 92, 124);
        assertValues(x.mean(1, true), new int[] {2, 1, 4}, 4, 5, 6, 7, 16, 17, 18, 19);
        assertValues(x.mean(), new int[] {}, 11.5f);
        assertValues(x.amax(new int[] {-1}, true), new int[] {2, 3, 1}, 3, 7, 11, 15, 19, 23);
        assertValues(x.amin(new int[] {0, 1}, false), new int[] {4}, 0, 1, 2, 3);
        assertValues(x.max(), new int[] {}, 23);
        assertValues(x.min(), new int[] {}, 0);
        assertMessage(IllegalArgumentException.class, "sum: dimension -2 given twice in [1, -2]",
                () -> x.sum(new int[] {1, -2}, false));
        assertMessage(IllegalArgumentException.class, "sum: dimension 3 out of range for a tensor of rank 3",
                () -> x.sum(3));
    }

    @Test
    void varianceStdAndLogsumexp() {
        Tensor v = Tensor.vector(1, 2, 3, 4);
        assertEquals(5f / 3, v.var().item(), 1e-6f);
        assertValues(v.var(null, false, false), new int[] {}, 1.25f);
        assertEquals((float) Math.sqrt(5.0 / 3), v.std().item(), 1e-6f);
        assertValues(Tensor.of(new float[][] {{1, 3}, {2, 2}}).var(new int[] {1}, false, true), new int[] {2, 1}, 1, 0);
        float lse = (float) Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4));
        assertEquals(lse, v.logsumexp(0).item(), 1e-6f);
        assertEquals(1000 + lse, v.add(1000f).logsumexp(0).item(), 1e-3f, "stable for large inputs");
    }

    @Test
    void maxAndArgmaxReturnTheFirstIndexOfTies() {
        Tensor t = Tensor.of(new float[][] {{1, 5, 5}, {7, 2, 7}});
        Tensor.MaxResult m = t.max(1, false);
        assertValues(m.values(), new int[] {2}, 5, 7);
        assertEquals(DType.INT32, m.indices().dtype());
        assertArrayEquals(new int[] {1, 0}, m.indices().toIntArray());
        Tensor.MaxResult kept = t.max(-1, true);
        assertArrayEquals(new int[] {2, 1}, kept.values().shape());
        assertArrayEquals(new int[] {2, 1}, kept.indices().shape());
        Tensor.MaxResult min = t.min(1, false);
        assertValues(min.values(), new int[] {2}, 1, 2);
        assertArrayEquals(new int[] {0, 1}, min.indices().toIntArray());
        assertArrayEquals(new int[] {1, 0, 1}, t.argmax(0).toIntArray());
        assertArrayEquals(new int[] {1, 3}, t.argmin(0, true).shape());
        assertArrayEquals(new int[] {0, 1, 0}, t.argmin(0, true).toIntArray());
        assertEquals(3, t.argmax().item());
        assertArrayEquals(new int[] {1, 0, 1}, t.t().argmax(1).toIntArray(), "on a transposed view");
    }

    @Test
    void catAndStack() {
        Tensor a = matrix().narrow(0, 0, 2), b = Tensor.full(-1, 1, 4);
        assertValues(Tensor.cat(List.of(a, b), 0), new int[] {3, 4}, 0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1);
        assertValues(Tensor.cat(List.of(a, Tensor.ones(2, 1)), -1), new int[] {2, 5}, 0, 1, 2, 3, 1, 4, 5, 6, 7, 1);
        assertMessage(IllegalArgumentException.class, "cat: tensor 1 [2, 3] does not match tensor 0 [2, 4] outside dimension 0",
                () -> Tensor.cat(List.of(a, Tensor.zeros(2, 3)), 0));
        Tensor u = Tensor.vector(1, 2, 3), v = Tensor.vector(4, 5, 6);
        assertValues(Tensor.stack(List.of(u, v), 0), new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.stack(List.of(u, v), -1), new int[] {3, 2}, 1, 4, 2, 5, 3, 6);
        assertThrows(IllegalArgumentException.class, () -> Tensor.stack(List.of(u, Tensor.zeros(2)), 0));
        Tensor ints = Tensor.cat(List.of(Tensor.ofInts(new int[] {1, 2}, 2), Tensor.ofInts(new int[] {3}, 1)), 0);
        assertEquals(DType.INT32, ints.dtype());
        assertArrayEquals(new int[] {1, 2, 3}, ints.toIntArray());
    }

    @Test
    void indexSelectGatherScatterAddAndOneHot() {
        Tensor m = matrix();
        assertValues(m.indexSelect(0, Tensor.ofInts(new int[] {2, 0, 2}, 3)), new int[] {3, 4},
                8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
        assertValues(m.indexSelect(1, Tensor.ofInts(new int[] {3, 0}, 2)), new int[] {3, 2}, 3, 0, 7, 4, 11, 8);
        assertThrows(IndexOutOfBoundsException.class, () -> m.indexSelect(0, Tensor.ofInts(new int[] {3}, 1)));

        Tensor t = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        assertValues(t.gather(1, Tensor.ofInts(new int[] {0, 0, 1, 0}, 2, 2)), new int[] {2, 2}, 1, 1, 4, 3);
        assertValues(t.gather(0, Tensor.ofInts(new int[] {1, 0}, 1, 2)), new int[] {1, 2}, 3, 2);

        Tensor self = Tensor.zeros(2, 3);
        Tensor src = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor index = Tensor.ofInts(new int[] {0, 0, 0, 0, 1, 0}, 2, 3);
        assertValues(self.scatterAdd(0, index, src), new int[] {2, 3}, 5, 2, 9, 0, 5, 0);
        assertValues(self, new int[] {2, 3}, 0, 0, 0, 0, 0, 0);

        Tensor oneHot = Tensor.ofInts(new int[] {0, 2, 1}, 3).oneHot(3);
        assertValues(oneHot, new int[] {3, 3}, 1, 0, 0, 0, 0, 1, 0, 1, 0);
        assertArrayEquals(new int[] {2, 1, 4}, Tensor.ofInts(new int[] {3, 0}, 2, 1).oneHot(4).shape());
        assertMessage(IndexOutOfBoundsException.class, "oneHot: label 3 at position 1 outside [0, 3)",
                () -> Tensor.ofInts(new int[] {0, 3}, 2).oneHot(3));
    }

    // ------------------------------------------------------------------ values and formatting

    @Test
    void itemAndToFloatArray() {
        assertEquals(3.5f, Tensor.scalar(3.5f).item());
        assertEquals(2f, Tensor.vector(2).item());
        assertMessage(IllegalStateException.class, "item: tensor of shape [2] has 2 elements, not 1",
                () -> Tensor.vector(1, 2).item());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, matrix().t().toFloatArray());
        assertArrayEquals(new float[] {5, 7}, matrix().slice(1, 1, 4, 2).select(0, 1).toFloatArray());
    }

    @Test
    void toStringOfSmallTensors() {
        assertEquals("tensor([[ 1.0000, -2.5000],\n        [ 3.0000,  0.5000]], shape=[2, 2])",
                Tensor.of(new float[] {1, -2.5f, 3, 0.5f}, 2, 2).toString());
        assertEquals("tensor(3.5000, shape=[])", Tensor.scalar(3.5f).toString());
        assertEquals("tensor([ 1.0000e+06, -1.0000e-05,      0.0000], shape=[3])",
                Tensor.vector(1e6f, -1e-5f, 0).toString());
        assertEquals("tensor([ nan,  inf, -inf], shape=[3])",
                Tensor.vector(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY).toString());
        assertEquals("tensor([0.0000, 1.0000, 2.0000, ..., 7.0000, 8.0000, 9.0000], shape=[10])",
                Tensor.arange(10).toString());
        assertEquals("tensor([1.0000, 2.0000], shape=[2], requiresGrad=true)",
                Tensor.vector(1, 2).requiresGrad(true).toString());
        assertEquals("tensor([2.0000, 4.0000], shape=[2], gradFn=affine)",
                Tensor.vector(1, 2).requiresGrad(true).mul(2f).toString());
        assertEquals("tensor([ 1, -2, 30], shape=[3], dtype=int32)", Tensor.ofInts(new int[] {1, -2, 30}, 3).toString());
    }

    // ------------------------------------------------------------------ int tensors

    @Test
    void intTensorsHoldExactIntegers() {
        Tensor i = Tensor.ofInts(new int[] {1, -2, 16_777_217}, 3);
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new int[] {1, -2, 16_777_217}, i.toIntArray());
        assertEquals(-2f, i.get(1));
        assertSame(i, i.toInt());
        assertEquals(DType.FLOAT32, i.toFloat().dtype());
        assertArrayEquals(new float[] {1, -2, 16_777_216}, i.toFloat().toFloatArray());
        assertArrayEquals(new int[] {1, -1, 0}, Tensor.vector(1.7f, -1.7f, 0.2f).toInt().toIntArray(), "truncation toward zero");
    }

    @Test
    void intViewsAndComparisons() {
        Tensor i = Tensor.ofInts(new int[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, i.t().toIntArray());
        assertArrayEquals(new int[] {3, 4, 5}, i.select(0, 1).toIntArray());
        assertArrayEquals(new float[] {1, 0, 1}, Tensor.ofInts(new int[] {1, 2, 3}, 3).eq(Tensor.vector(1, 0, 3)).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 1}, Tensor.ofInts(new int[] {1, 2, 3}, 3).gt(2f).toFloatArray());
    }

    @Test
    void floatOnlyOpsRejectIntTensors() {
        Tensor i = Tensor.ofInts(new int[] {1, 2, 3}, 3);
        assertMessage(IllegalArgumentException.class, "add: expected a float32 tensor, got int32 [3]",
                () -> i.add(Tensor.vector(1, 1, 1)));
        assertMessage(IllegalArgumentException.class, "requiresGrad: only float tensors can require grad",
                () -> i.requiresGrad(true));
        assertThrows(IllegalArgumentException.class, () -> i.sum());
    }
}
