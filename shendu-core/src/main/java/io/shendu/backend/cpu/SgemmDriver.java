package io.shendu.backend.cpu;

import java.util.Arrays;

/**
 * The cache-blocked loops around an SGEMM micro-kernel (Goto and van de Geijn, TOMS 2008; BLIS ordering).
 *
 * <p>Each thread owns a contiguous range of C's columns (or rows, when C is taller than wide) and runs the
 * whole blocked product on it, so threads share nothing but the read-only inputs. Within a thread, for each
 * kc-deep slice of K: pack an mc×kc block of alpha·op(A), then for each nc-wide block of op(B) pack it and
 * sweep the register tiles — the mr×kc micro-panel of A stays in L1 while the kc×nc block of B streams from L2.
 */
final class SgemmDriver {

    // Block sizes, in floats. kc·nc of packed B (512 KiB) fits a 1-2 MiB L2; mr·kc of packed A (6 KiB with the
    // 6-row kernel) fits L1 next to the B micro-panel being streamed. mc only bounds the packed-A buffer. Measured
    // on JDK 25 / Xeon: kc 256-576 and nc 256-1024 were within noise of each other.
    private static final int KC = 256;
    private static final int MC = 1536;
    private static final int NC = 512;
    /** Multiply-adds per thread below which splitting across threads does not pay for the hand-off. */
    static final long WORK_PER_THREAD = 1L << 22;

    private static final ThreadLocal<PackBuffers> BUFFERS = ThreadLocal.withInitial(PackBuffers::new);

    private SgemmDriver() {}

    /** The rectangle {@code [i0, i1) × [j0, j1)} of C that one thread computes. */
    @FunctionalInterface
    interface BlockBody {
        void run(int i0, int i1, int j0, int j1);
    }

    static void run(SgemmCall g, SgemmKernel kernel) {
        forBlocks(g, kernel.mr(), kernel.nr(), (i0, i1, j0, j1) -> block(g, kernel, i0, i1, j0, j1));
    }

    /**
     * Splits C across threads into bands of whole register tiles: column bands (multiples of {@code nr}) when
     * C is at least as wide as tall, else row bands (multiples of {@code mr}). Small products stay on one thread.
     */
    static void forBlocks(SgemmCall g, int mr, int nr, BlockBody body) {
        boolean byColumns = g.n() >= g.m();
        int units = byColumns ? ceilDiv(g.n(), nr) : ceilDiv(g.m(), mr);
        long work = (long) g.m() * g.n() * g.k();
        int chunks = (int) Math.min(Math.min(Parallel.threads(), units), Math.max(1, work / WORK_PER_THREAD));
        Parallel.forChunks(units, chunks, (u0, u1) -> {
            if (byColumns) {
                body.run(0, g.m(), u0 * nr, Math.min(g.n(), u1 * nr));
            } else {
                body.run(u0 * mr, Math.min(g.m(), u1 * mr), 0, g.n());
            }
        });
    }

    /** C[i0:i1, j0:j1] = alpha · op(A)[i0:i1, :] · op(B)[:, j0:j1] + beta · C[i0:i1, j0:j1]. */
    private static void block(SgemmCall g, SgemmKernel kernel, int i0, int i1, int j0, int j1) {
        scale(g, i0, i1, j0, j1); // then every kc slice just accumulates: C += A·B
        int mr = kernel.mr(), nr = kernel.nr();
        PackBuffers buf = BUFFERS.get();
        for (int p0 = 0; p0 < g.k(); p0 += KC) {
            int kc = Math.min(KC, g.k() - p0);
            for (int ic = i0; ic < i1; ic += MC) {
                int mc = Math.min(MC, i1 - ic);
                float[] ap = buf.a(ceilDiv(mc, mr) * mr * kc);
                SgemmPacking.packA(g, ic, mc, p0, kc, mr, ap);
                for (int jc = j0; jc < j1; jc += NC) {
                    int nc = Math.min(NC, j1 - jc);
                    float[] bp = buf.b(ceilDiv(nc, nr) * nr * kc);
                    SgemmPacking.packB(g, p0, kc, jc, nc, nr, bp);
                    macroKernel(kernel, kc, mc, nc, ap, bp, g.c(), g.cOff() + ic * g.ldc() + jc, g.ldc(), buf);
                }
            }
        }
    }

    /** Adds the packed product (mc×kc)·(kc×nc) to C at {@code cIdx}, one mr×nr register tile at a time. */
    private static void macroKernel(SgemmKernel kernel, int kc, int mc, int nc, float[] ap, float[] bp,
            float[] c, int cIdx, int ldc, PackBuffers buf) {
        int mr = kernel.mr(), nr = kernel.nr();
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            for (int jr = 0; jr < nc; jr += nr) {
                int cols = Math.min(nr, nc - jr), cTile = cIdx + ir * ldc + jr;
                if (rows == mr && cols == nr) {
                    kernel.multiply(kc, ap, ir * kc, bp, jr * kc, c, cTile, ldc);
                } else {
                    // Edge tile: compute the padded tile aside, then add the part that lies inside C.
                    float[] tile = buf.tile(mr * nr);
                    Arrays.fill(tile, 0f);
                    kernel.multiply(kc, ap, ir * kc, bp, jr * kc, tile, 0, nr);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < cols; j++) c[cTile + r * ldc + j] += tile[r * nr + j];
                    }
                }
            }
        }
    }

    /** C[i0:i1, j0:j1] *= beta, where beta == 0 overwrites with zeros (discarding NaN) and beta == 1 is free. */
    static void scale(SgemmCall g, int i0, int i1, int j0, int j1) {
        float beta = g.beta();
        if (beta == 1f) return;
        float[] c = g.c();
        for (int i = i0; i < i1; i++) {
            int row = g.cOff() + i * g.ldc();
            if (beta == 0f) {
                Arrays.fill(c, row + j0, row + j1, 0f);
            } else {
                for (int j = row + j0; j < row + j1; j++) c[j] *= beta;
            }
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** A thread's packing buffers, grown on demand and reused across calls. */
    private static final class PackBuffers {
        private float[] a = new float[0], b = new float[0], tile = new float[0];

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }

        float[] tile(int size) {
            if (tile.length < size) tile = new float[size];
            return tile;
        }
    }
}
