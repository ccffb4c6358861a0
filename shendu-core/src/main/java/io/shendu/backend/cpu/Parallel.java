package io.shendu.backend.cpu;

/**
 * The fast backend's thread pool and parallel loops.
 *
 * <p>The thread count comes from the system property {@code shendu.threads}, else the environment variable
 * {@code SHENDU_THREADS}, else the number of available processors. Loops below their grain size run on the
 * calling thread, so tiny ops never pay for a hand-off; the others run on the calling thread and the workers of a
 * {@link SpinPool}.
 */
public final class Parallel {

    /** A loop body over the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static volatile int threads = configuredThreads();
    private static volatile SpinPool pool = newPool(threads);

    private Parallel() {}

    /** The number of threads kernels may use. */
    public static int threads() {
        return threads;
    }

    /** Changes the thread count for all later kernels (tests and benchmarks use this). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n == threads) return;
        SpinPool old = pool;
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
        SpinPool p = pool;
        if (chunks <= 1) {
            body.run(0, n);
        } else if (p == null || p.isWorker()) {
            for (int c = 0; c < chunks; c++) runChunk(body, n, chunks, c);
        } else {
            p.run(body, n, chunks);   // the calling thread takes chunks too
        }
    }

    /** Runs chunk {@code c} of {@code chunks} nearly equal contiguous chunks of {@code [0, n)}. */
    static void runChunk(RangeBody body, int n, int chunks, int c) {
        int start = (int) ((long) n * c / chunks);
        int end = (int) ((long) n * (c + 1) / chunks);
        if (end > start) body.run(start, end);
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

    private static SpinPool newPool(int n) {
        return n <= 1 ? null : new SpinPool(n);
    }
}
