package io.shendu.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Computes batches 0..count−1 on daemon worker threads, at most {@code capacity} ahead of the consumer, and hands
 * them over in order. Each batch is a pure function of its number, so the result never depends on the number of
 * workers or on timing. A worker's exception is handed over in the failed batch's place.
 */
final class Prefetcher implements AutoCloseable {

    private static final long JOIN_MILLIS = 10_000;

    private final IntFunction<Batch> load;
    private final int count;
    private final Semaphore slots;
    private final AtomicInteger nextToClaim = new AtomicInteger();
    private final Map<Integer, Object> done = new HashMap<>(); // a Batch or the Throwable that replaced it
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    Prefetcher(IntFunction<Batch> load, int count, int workers, int capacity, String name) {
        this.load = load;
        this.count = count;
        this.slots = new Semaphore(Math.max(capacity, workers));
        for (int w = 0; w < workers; w++) {
            Thread t = Thread.ofPlatform().daemon().name(name + "-" + w).unstarted(this::work);
            this.workers.add(t);
        }
        this.workers.forEach(Thread::start);
    }

    private void work() {
        try {
            while (!closed) {
                slots.acquire();
                int b = nextToClaim.getAndIncrement();
                if (b >= count) {
                    slots.release(); // lets the other workers see the end too
                    return;
                }
                Object result;
                try {
                    result = load.apply(b);
                } catch (Throwable t) {
                    result = t;
                }
                synchronized (done) {
                    done.put(b, result);
                    done.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting for a free slot
        }
    }

    /** Waits for batch {@code b} (which must be the next one in order) and returns it, or throws its failure. */
    Batch take(int b) throws Throwable {
        Object result;
        synchronized (done) {
            while (!done.containsKey(b)) {
                if (closed) throw new IllegalStateException("DataLoader: the epoch was closed");
                done.wait();
            }
            result = done.remove(b);
        }
        slots.release();
        if (result instanceof Throwable t) throw t;
        return (Batch) result;
    }

    /** Stops the workers (a batch in progress is finished first) and waits for them to end. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        synchronized (done) {
            done.clear();
            done.notifyAll();
        }
        for (Thread t : workers) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
