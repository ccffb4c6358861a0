package io.shendu.data;

import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {

    /** 10 images 1 × 2 × 2 whose pixels all equal their index, labels index mod 3. */
    private static TensorDataset small(int n) {
        float[] pixels = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, i);
            labels[i] = i % 3;
        }
        return new TensorDataset(pixels, labels, 1, 2, 2, List.of("a", "b", "c"));
    }

    private static List<Batch> all(DataLoader loader, int epoch) {
        List<Batch> out = new ArrayList<>();
        try (DataLoader.Epoch batches = loader.epoch(epoch)) {
            while (batches.hasNext()) out.add(batches.next());
        }
        return out;
    }

    /** The example indices a batch holds (pixel 0 of each image is its index). */
    private static int[] indices(Batch b) {
        return Arrays.stream(b.inputs().select(1, 0).select(1, 0).select(1, 0).toIntArray()).toArray();
    }

    @Test
    void inOrderKeepsOrDropsTheLastPartialBatch() {
        var keep = new DataLoader(small(10), DataLoader.Options.of(4));
        assertEquals(3, keep.numBatches());
        List<Batch> batches = all(keep, 0);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, indices(batches.get(0)));
        assertArrayEquals(new int[] {8, 9}, indices(batches.get(2)));
        assertArrayEquals(new int[] {2, 0}, batches.get(2).labels().toIntArray());
        assertArrayEquals(new int[] {2, 1, 2, 2}, batches.get(2).inputs().shape());

        var drop = new DataLoader(small(10), DataLoader.Options.of(4).withDropLast(true));
        assertEquals(2, drop.numBatches());
        assertEquals(2, all(drop, 0).size());
    }

    @Test
    void shuffleIsAPermutationPerEpochFromSeedAndEpoch() {
        var options = DataLoader.Options.of(3).withShuffle(true).withSeed(42);
        var loader = new DataLoader(small(50), options);
        int[] e0 = loader.order(0), e1 = loader.order(1);
        assertArrayEquals(e0, new DataLoader(small(50), options).order(0));
        assertFalse(Arrays.equals(e0, e1));
        assertFalse(Arrays.equals(e0, new DataLoader(small(50), options.withSeed(43)).order(0)));
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        // The batches follow the order; a resumed run (a new loader starting at epoch 1) sees the same epoch 1.
        List<Batch> batches = all(new DataLoader(small(50), options), 1);
        int[] seen = batches.stream().flatMapToInt(b -> Arrays.stream(indices(b))).toArray();
        assertArrayEquals(e1, seen);
    }

    @Test
    void forEachRunsSuccessiveEpochs() {
        var loader = new DataLoader(small(20), DataLoader.Options.of(20).withShuffle(true).withSeed(5));
        List<int[]> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            for (Batch b : loader) epochs.add(indices(b));
        }
        for (int e = 0; e < 3; e++) assertArrayEquals(loader.order(e), epochs.get(e));
    }

    @Test
    void sameSeedSameBatchesWithZeroOneOrTwoWorkers() {
        TensorDataset data = Mnist.embedded(Split.TEST).subset(0, 300);
        Transform augment = new Compose(new RandomCrop(28, 2), new RandomHorizontalFlip(0.5),
                new RandomAffine(10, 0.1), new GaussianNoise(0.05), Normalize.MNIST);
        var options = DataLoader.Options.of(32).withShuffle(true).withSeed(7);
        List<Batch> reference = all(new DataLoader(data, augment, options), 2);
        assertEquals(10, reference.size());
        for (int workers : new int[] {1, 2, 3}) {
            for (int prefetch : new int[] {1, 4}) {
                List<Batch> got = all(new DataLoader(data, augment, options.withWorkers(workers).withPrefetch(prefetch)), 2);
                assertEquals(reference.size(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(reference.get(i).inputs().toFloatArray(), got.get(i).inputs().toFloatArray());
                    assertArrayEquals(reference.get(i).labels().toIntArray(), got.get(i).labels().toIntArray());
                }
            }
        }
        // A transform really ran, and differently in another epoch.
        assertFalse(Arrays.equals(reference.get(0).inputs().toFloatArray(),
                data.batch(Arrays.copyOf(new DataLoader(data, options).order(2), 32)).inputs().toFloatArray()));
        assertFalse(Arrays.equals(reference.get(0).inputs().toFloatArray(),
                all(new DataLoader(data, augment, options), 3).get(0).inputs().toFloatArray()));
    }

    @Test
    void workersDeliverInOrderWithoutTransforms() {
        var options = DataLoader.Options.of(7).withShuffle(true).withSeed(1);
        List<Batch> plain = all(new DataLoader(small(100), options), 0);
        List<Batch> threaded = all(new DataLoader(small(100), options.withWorkers(4).withPrefetch(1)), 0);
        assertEquals(15, threaded.size());
        for (int i = 0; i < plain.size(); i++) assertArrayEquals(indices(plain.get(i)), indices(threaded.get(i)));
    }

    /** A data set that fails on example 13. */
    private static final class Failing implements Dataset {
        final RuntimeException failure = new IllegalStateException("example 13 is broken");

        @Override
        public int size() {
            return 40;
        }

        @Override
        public Batch batch(int[] indices) {
            for (int i : indices) if (i == 13) throw failure;
            return new Batch(Tensor.zeros(indices.length, 1), Tensor.ofInts(new int[indices.length], indices.length));
        }
    }

    @Test
    void aWorkerExceptionReachesTheConsumerWithItsCause() {
        for (int workers : new int[] {0, 2}) {
            Failing data = new Failing();
            var loader = new DataLoader(data, DataLoader.Options.of(5).withWorkers(workers));
            DataLoader.Epoch epoch = loader.epoch(4);
            epoch.next();
            epoch.next();
            var e = assertThrows(IllegalStateException.class, epoch::next);
            assertSame(data.failure, e.getCause());
            assertTrue(e.getMessage().startsWith("DataLoader: loading batch 2 of epoch 4 failed: "), e.getMessage());
            assertFalse(epoch.hasNext());
            assertThrows(NoSuchElementException.class, epoch::next);
            assertEquals(0, loaderThreads(), "workers stopped after the failure");
        }
    }

    @Test
    void closingAnEpochEarlyStopsItsDaemonWorkers() {
        var loader = new DataLoader(Mnist.embedded(Split.TEST), DataLoader.Options.of(10).withWorkers(3));
        DataLoader.Epoch epoch = loader.epoch(0);
        assertEquals(10, epoch.next().size());
        assertEquals(3, loaderThreads());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("shendu-loader")).allMatch(Thread::isDaemon));
        epoch.close();
        assertEquals(0, loaderThreads());
        assertFalse(epoch.hasNext());

        // Closing the loader stops the workers of epochs abandoned by a for-each loop's break.
        for (Batch b : loader) {
            assertEquals(10, b.size());
            break;
        }
        assertEquals(3, loaderThreads());
        loader.close();
        assertEquals(0, loaderThreads());
    }

    @Test
    void transformsMustAgreeOnTheShapeWithinABatch() {
        Transform cropOdd = (image, gen) -> image.get(0, 0, 0) % 2 == 1 ? new RandomCrop(1, 0).apply(image, gen) : image;
        var loader = new DataLoader(small(4), cropOdd, DataLoader.Options.of(2));
        var e = assertThrows(IllegalStateException.class, () -> all(loader, 0));
        assertEquals("DataLoader: the transform made example 1 [1, 1, 1] but an earlier one in the batch [1, 2, 2]",
                e.getCause().getMessage());
    }

    @Test
    void optionsAreValidated() {
        var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.Options.of(0));
        assertEquals("DataLoader: batchSize must be positive, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.Options.of(1).withWorkers(-1));
        assertNotEquals(DataLoader.Options.of(1), DataLoader.Options.of(1).withShuffle(true));
    }

    private static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("shendu-loader") && t.isAlive()).count();
    }
}
