package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gathers a {@link Dataset} into mini-batches, as PyTorch's {@code DataLoader}: optional shuffling, optional
 * {@code dropLast}, optional per-example {@link Transform}s, and background prefetch on worker threads.
 *
 * <p>The loader never changes results. Epoch {@code e}'s order is a permutation drawn from a {@link Generator}
 * seeded by (seed, e), so a run resumed at epoch k sees the same order; a transform's random choices for example
 * {@code i} in epoch {@code e} come from a generator seeded by (seed, e, i). The same seed therefore gives the same
 * batches with 0, 1 or N workers, whatever the timing.
 *
 * <pre>{@code
 * var loader = new DataLoader(Mnist.embedded(Split.TRAIN), DataLoader.Options.of(64).withShuffle(true).withSeed(7));
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     try (DataLoader.Epoch batches = loader.epoch(epoch)) {
 *         while (batches.hasNext()) train(batches.next());   // inputs [64, 1, 28, 28], labels [64]
 *     }
 * }
 * }</pre>
 * {@code for (Batch b : loader)} also works: each loop runs the next epoch (0, 1, 2, ...). Close an epoch left
 * early (or the loader) to stop its workers at once; all worker threads are daemons, and an abandoned epoch's
 * workers are stopped when it is garbage-collected.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {

    /**
     * How to load: {@code batchSize}; {@code shuffle} each epoch; {@code dropLast} (skip a final partial batch);
     * {@code seed} of the order and of the transforms; {@code workers} (0: load on the consumer's thread);
     * {@code prefetch}: batches loaded ahead per worker.
     */
    public record Options(int batchSize, boolean shuffle, boolean dropLast, long seed, int workers, int prefetch) {

        public Options {
            if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + batchSize);
            if (workers < 0) throw new IllegalArgumentException("DataLoader: workers must be >= 0, got " + workers);
            if (prefetch <= 0) throw new IllegalArgumentException("DataLoader: prefetch must be positive, got " + prefetch);
        }

        /** In order, keeping a final partial batch, seed 0, no workers, prefetch 2. */
        public static Options of(int batchSize) {
            return new Options(batchSize, false, false, 0, 0, 2);
        }

        public Options withShuffle(boolean shuffle) {
            return new Options(batchSize, shuffle, dropLast, seed, workers, prefetch);
        }

        public Options withDropLast(boolean dropLast) {
            return new Options(batchSize, shuffle, dropLast, seed, workers, prefetch);
        }

        public Options withSeed(long seed) {
            return new Options(batchSize, shuffle, dropLast, seed, workers, prefetch);
        }

        public Options withWorkers(int workers) {
            return new Options(batchSize, shuffle, dropLast, seed, workers, prefetch);
        }

        public Options withPrefetch(int prefetch) {
            return new Options(batchSize, shuffle, dropLast, seed, workers, prefetch);
        }
    }

    private static final class CleanerHolder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final Dataset dataset;
    private final TensorDataset images; // the same data set when transforms apply, else null
    private final Transform transform;
    private final Options options;
    private final Set<Prefetcher> running = ConcurrentHashMap.newKeySet();
    private int nextEpoch;

    public DataLoader(Dataset dataset, Options options) {
        this(dataset, null, null, options);
    }

    /** Applies {@code transform} to each image {@code [C, H, W]} before it is stacked into a batch. */
    public DataLoader(TensorDataset dataset, Transform transform, Options options) {
        this(dataset, dataset, Objects.requireNonNull(transform, "transform"), options);
    }

    private DataLoader(Dataset dataset, TensorDataset images, Transform transform, Options options) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.images = images;
        this.transform = transform;
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    /** Batches per epoch: ⌈N / B⌉, or ⌊N / B⌋ with {@code dropLast}. */
    public int numBatches() {
        int n = dataset.size(), b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** The order in which epoch {@code epoch} visits the examples: 0..N−1, or a permutation of it when shuffling. */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (options.shuffle()) {
            Generator gen = new Generator(Seeds.derive(options.seed(), epoch));
            for (int i = n - 1; i > 0; i--) { // Fisher–Yates
                int j = gen.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The batches of epoch {@code epoch}, in order. Close it when leaving early. */
    public Epoch epoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("DataLoader: epoch must be >= 0, got " + epoch);
        return new Epoch(epoch);
    }

    /** The next epoch's batches: 0 on the first call, then 1, 2, ... */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(nextEpoch++);
    }

    /** Stops the workers of every epoch still running. */
    @Override
    public void close() {
        for (Prefetcher p : running) {
            p.close();
            running.remove(p);
        }
    }

    /** Batch {@code b} of an epoch with the given order: a pure function of its arguments. */
    private Batch load(int epoch, int[] order, int b) {
        int from = b * options.batchSize();
        int[] indices = Arrays.copyOfRange(order, from, Math.min(from + options.batchSize(), order.length));
        return transform == null ? dataset.batch(indices) : transformed(epoch, indices);
    }

    private Batch transformed(int epoch, int[] indices) {
        Tensor inputs = null;
        int[] shape = null; // of one transformed example, e.g. after a crop
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Example example = images.get(indices[i]);
            Tensor x = transform.apply(example.input(), new Generator(Seeds.derive(options.seed(), epoch, indices[i])));
            if (shape == null) {
                shape = x.shape();
                int[] batchShape = new int[shape.length + 1];
                batchShape[0] = indices.length;
                System.arraycopy(shape, 0, batchShape, 1, shape.length);
                inputs = Tensor.zeros(batchShape);
            } else if (!Arrays.equals(shape, x.shape())) {
                throw new IllegalArgumentException("DataLoader: the transform made example " + indices[i] + " "
                        + Arrays.toString(x.shape()) + " but an earlier one in the batch " + Arrays.toString(shape));
            }
            System.arraycopy(x.toFloatArray(), 0, inputs.floatStorage(), i * x.numel(), x.numel());
            labels[i] = example.label();
        }
        return new Batch(inputs, Tensor.ofInts(labels, indices.length));
    }

    /** One epoch's batches, loaded ahead on the worker threads; closing it stops them. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {

        private final int epoch;
        private final int[] order;
        private final int count;
        private final Prefetcher prefetcher; // null without workers
        private final Cleaner.Cleanable cleanable;
        private int next;
        private boolean closed;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.count = numBatches();
            if (options.workers() > 0 && count > 0) {
                // The workers and the clean-up must not reach this Epoch, or it could never be collected.
                DataLoader loader = DataLoader.this;
                int[] order = this.order;
                Set<Prefetcher> running = loader.running;
                Prefetcher p = new Prefetcher(b -> loader.load(epoch, order, b), count, options.workers(),
                        options.workers() * options.prefetch(), "shendu-loader-e" + epoch);
                running.add(p);
                this.prefetcher = p;
                this.cleanable = CleanerHolder.CLEANER.register(this, () -> {
                    p.close();
                    running.remove(p);
                });
            } else {
                this.prefetcher = null;
                this.cleanable = null;
            }
        }

        public int epochNumber() {
            return epoch;
        }

        @Override
        public boolean hasNext() {
            if (next < count && !closed) return true;
            close();
            return false;
        }

        @Override
        public Batch next() {
            if (closed || next >= count) throw new NoSuchElementException("DataLoader: epoch " + epoch + " has no more batches");
            int b = next++;
            try {
                return prefetcher == null ? load(epoch, order, b) : prefetcher.take(b);
            } catch (Throwable t) {
                close();
                if (t instanceof InterruptedException) Thread.currentThread().interrupt();
                throw new IllegalStateException("DataLoader: loading batch " + b + " of epoch " + epoch + " failed: " + t, t);
            }
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (cleanable != null) cleanable.clean();
        }
    }
}
