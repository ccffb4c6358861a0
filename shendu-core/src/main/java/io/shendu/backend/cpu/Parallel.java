package io.shendu.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The fast backend's thread pool and parallel loops.
 *
 * <p>The thread count comes from the system property {@code shendu.threads}, else the environment variable
 * {@code SHENDU_THREADS}, else the number of available processors. Loops below their grain size run on the
 * calling thread, so tiny ops never pay for a hand-off.
 */
public final class Parallel {

    /** A loop body over the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static volatile int threads = configuredThreads();
    private static volatile ForkJoinPool pool = newPool(threads);

    private Parallel() {}

    /** The number of threads kernels may use. */
    public static int threads() {
        return threads;
    }

    /** Changes the thread count for all later kernels (tests and benchmarks use this). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n == threads) return;
        ForkJoinPool old = pool;
        threads = n;
        pool = newPool(n);
        if (old != null) old.shutdown();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks of at least
     * {@code grain} iterations each; runs inline when one chunk suffices.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int chunks = chunks(n, grain);
        if (chunks <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        forChunks(n, chunks, body);
    }

    /** The number of chunks {@link #forRange} would split {@code n} iterations into. */
    public static int chunks(int n, int grain) {
        if (n <= 0) return 0;
        long byGrain = Math.max(1, n / Math.max(1, (long) grain));
        return (int) Math.min(Math.min(threads, byGrain), n);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in exactly {@code chunks} nearly equal contiguous chunks. The chunk
     * boundaries depend only on {@code n} and {@code chunks}, never on the pool, so a kernel that sums per chunk
     * gives the same bits whether the chunks run in parallel, in sequence, or nested inside another kernel.
     */
    public static void forChunks(int n, int chunks, RangeBody body) {
        if (n <= 0) return;
        ForkJoinPool p = pool;
        if (chunks <= 1) {
            body.run(0, n);
        } else if (p == null || inWorker(p)) {
            for (int c = 0; c < chunks; c++) runChunk(body, n, chunks, c);
        } else {
            // The calling thread runs the first chunk itself while the pool takes the rest: one hand-off fewer
            // per call, and the caller's cache stays in use.
            ForkJoinTask<Void> rest = p.submit(new Split(body, n, chunks, 1, chunks));
            try {
                runChunk(body, n, chunks, 0);
            } finally {
                rest.join();
            }
        }
    }

    private static void runChunk(RangeBody body, int n, int chunks, int c) {
        int start = (int) ((long) n * c / chunks);
        int end = (int) ((long) n * (c + 1) / chunks);
        if (end > start) body.run(start, end);
    }

    private static boolean inWorker(ForkJoinPool p) {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == p;
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int n, chunks, lo, hi;

        Split(RangeBody body, int n, int chunks, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                runChunk(body, n, chunks, lo);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, n, chunks, lo, mid), new Split(body, n, chunks, mid, hi));
        }
    }

    private static int configuredThreads() {
        String value = System.getProperty("shendu.threads");
        String source = "system property shendu.threads";
        if (value == null || value.isBlank()) {
            value = System.getenv("SHENDU_THREADS");
            source = "environment variable SHENDU_THREADS";
        }
        if (value == null || value.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(source + " must be a positive integer, got '" + value + "'");
    }

    private static ForkJoinPool newPool(int n) {
        return n <= 1 ? null : new ForkJoinPool(n, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("shendu-worker-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
