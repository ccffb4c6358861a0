package io.shendu.backend.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel loops on the spinning worker pool: every index runs exactly once, the chunks are the same whoever
 * runs them, a failure in any chunk reaches the caller, and nested or concurrent calls complete.
 */
@ExtendWith(RestoreThreads.class)
class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceAtAnyThreadCount() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 7, 1000, 100_003}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int call = 0; call < 50; call++) {
                    Parallel.forRange(n, 1, (start, end) -> {
                        for (int i = start; i < end; i++) hits.incrementAndGet(i);
                    });
                }
                for (int i = 0; i < n; i++) assertEquals(50, hits.get(i), "threads " + threads + ", n " + n + ", index " + i);
            }
        }
    }

    @Test
    void chunkBoundariesDependOnlyOnTheSizeAndTheChunkCount() {
        Parallel.setThreads(3);
        Set<String> chunks = ConcurrentHashMap.newKeySet();
        for (int call = 0; call < 20; call++) Parallel.forChunks(10, 3, (start, end) -> chunks.add(start + "-" + end));
        assertEquals(Set.of("0-3", "3-6", "6-10"), chunks);
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndThePoolStaysUsable() {
        Parallel.setThreads(2);
        for (int failing = 0; failing < 4; failing++) {
            int chunk = failing;
            var e = assertThrows(IllegalStateException.class, () -> Parallel.forChunks(4, 4, (start, end) -> {
                if (start == chunk) throw new IllegalStateException("chunk " + chunk);
            }));
            assertEquals("chunk " + chunk, e.getMessage());
        }
        Error error = new AssertionError("an error");
        assertSame(error, assertThrows(AssertionError.class,
                () -> Parallel.forChunks(2, 2, (start, end) -> { if (start == 1) throw error; })));
        AtomicIntegerArray hits = new AtomicIntegerArray(8);
        Parallel.forChunks(8, 8, (start, end) -> hits.incrementAndGet(start));
        for (int i = 0; i < 8; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void nestedLoopsComplete() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        Parallel.forRange(8, 1, (s0, e0) -> {
            for (int i = s0; i < e0; i++) {
                int row = i;
                Parallel.forRange(8, 1, (s1, e1) -> {
                    for (int j = s1; j < e1; j++) hits.incrementAndGet(row * 8 + j);
                });
            }
        });
        for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i), "index " + i);
    }

    @Test
    void concurrentCallersAllComplete() throws Exception {
        Parallel.setThreads(2);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> sums = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sums.add(callers.submit(() -> {
                    long[] total = new long[1];
                    for (int call = 0; call < 200; call++) {
                        long[] perChunk = new long[4];
                        Parallel.forChunks(1000, 4, (start, end) -> {
                            long s = 0;
                            for (int i = start; i < end; i++) s += i;
                            perChunk[start * 4 / 1000] = s;
                        });
                        for (long s : perChunk) total[0] += s;
                    }
                    return total;
                }));
            }
            for (Future<long[]> f : sums) assertEquals(200L * 999 * 1000 / 2, f.get()[0]);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void changingTheThreadCountKeepsLoopsWorking() {
        for (int threads : new int[] {4, 1, 2, 2, 3}) {
            Parallel.setThreads(threads);
            assertEquals(threads, Parallel.threads());
            AtomicIntegerArray hits = new AtomicIntegerArray(threads * 4);
            Parallel.forChunks(threads * 4, threads, (start, end) -> {
                for (int i = start; i < end; i++) hits.incrementAndGet(i);
            });
            for (int i = 0; i < threads * 4; i++) assertTrue(hits.get(i) == 1, "threads " + threads + ", index " + i);
        }
    }
}
