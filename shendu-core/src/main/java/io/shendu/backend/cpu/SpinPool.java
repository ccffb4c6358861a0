package io.shendu.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads behind {@link Parallel}: {@code threads − 1} of them, since the calling thread takes chunks
 * too. A training step calls dozens of parallel kernels a few microseconds apart, and waking a parked thread costs
 * tens of microseconds here (about 70 µs per call on the 2-core VM of docs/BENCHMARKS.md, more than many whole
 * kernels), so an idle worker watches the job slot for {@link #SPIN_NANOS} before it parks, as OpenMP runtimes do:
 * spinning for the first {@link #PURE_SPIN_NANOS}, then yielding between looks, so that on a busy machine the
 * core goes to whoever needs it.
 *
 * <p>A job is split into fixed chunks ({@link Parallel#forChunks}); the caller and the workers take chunk numbers
 * from one counter, so which thread runs a chunk varies but the chunks, and so the bits of every result, do not.
 * One job runs at a time: a thread that finds the pool busy (another caller, or a kernel nested inside a chunk)
 * runs its chunks itself.
 */
final class SpinPool {

    /** How long an idle worker watches for the next job before it parks. */
    static final long SPIN_NANOS = 2_000_000;
    /** How long of that it spins without yielding its core. */
    static final long PURE_SPIN_NANOS = 20_000;

    /** One parallel loop: its chunks, the next chunk to take, how many are finished, and the first failure. */
    private static final class Job {
        final Parallel.RangeBody body;
        final int n, chunks;
        final AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        volatile Throwable failure;

        Job(Parallel.RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
        }

        /** Takes and runs chunks until none is left. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    Parallel.runChunk(body, n, chunks, c);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    finished.incrementAndGet();
                }
            }
        }
    }

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The current job; a worker runs each job it sees once. */
    private volatile Job job;
    /** Per worker: whether it is parked (or about to park) and needs an unpark to see a new job. */
    private final AtomicBoolean[] sleeping;
    private volatile boolean shutdown;

    SpinPool(int threads) {
        workers = new Thread[threads - 1];
        sleeping = new AtomicBoolean[workers.length];
        for (int i = 0; i < workers.length; i++) {
            sleeping[i] = new AtomicBoolean();
            int index = i;
            workers[i] = Thread.ofPlatform().name("shendu-worker-" + i).daemon(true).unstarted(() -> runWorker(index));
            workers[i].start();
        }
    }

    /** Whether the current thread is one of this pool's workers. */
    boolean isWorker() {
        Thread t = Thread.currentThread();
        for (Thread w : workers) if (w == t) return true;
        return false;
    }

    /**
     * Runs {@code chunks} chunks of {@code body} over {@code [0, n)} on the caller and the workers, and returns when
     * all are done, rethrowing the first failure. When the pool is busy, the caller runs them all in order.
     */
    void run(Parallel.RangeBody body, int n, int chunks) {
        if (!busy.compareAndSet(false, true)) {
            for (int c = 0; c < chunks; c++) Parallel.runChunk(body, n, chunks, c);
            return;
        }
        Job j = new Job(body, n, chunks);
        try {
            job = j;
            for (int i = 0; i < workers.length; i++) {
                if (sleeping[i].get()) LockSupport.unpark(workers[i]);
            }
            j.work();
            for (long spins = 0; j.finished.get() < chunks; spins++) {
                if (spins < 1 << 10) Thread.onSpinWait();
                else Thread.yield();   // a worker is slow or descheduled (a busy machine): let it have the core
            }
        } finally {
            job = null;
            busy.set(false);
        }
        Throwable t = j.failure;
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException("parallel kernel failed", t);
    }

    /** Stops the workers once they finish what they are running. */
    void shutdown() {
        shutdown = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }

    private void runWorker(int index) {
        Job last = null;
        while (!shutdown) {
            Job j = awaitJob(index, last);
            if (j == null) continue;
            last = j;
            j.work();
        }
    }

    /** The next job other than {@code last}: spins for {@link #SPIN_NANOS}, then parks until woken. */
    private Job awaitJob(int index, Job last) {
        long start = System.nanoTime();
        while (true) {
            Job j = job;
            if (j != null && j != last) return j;
            if (shutdown) return null;
            long waited = System.nanoTime() - start;
            if (waited < SPIN_NANOS) {
                // on a busy machine, yielding after the first microseconds gives the core to whoever needs it
                if (waited < PURE_SPIN_NANOS) Thread.onSpinWait();
                else Thread.yield();
                continue;
            }
            sleeping[index].set(true);
            j = job;   // a job published before the flag was set would get no unpark: look once more
            if ((j == null || j == last) && !shutdown) LockSupport.park(this);
            sleeping[index].set(false);
            start = System.nanoTime();
        }
    }
}
