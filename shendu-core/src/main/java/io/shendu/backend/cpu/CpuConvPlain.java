package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;

import java.util.Arrays;

/**
 * The conv kernels by explicit im2col and {@link Sgemm}, for a JVM without the Vector API (see {@link CpuConv}).
 * Each group of each image is a GEMM against its unfolded input
 * ({@link Im2col}), built one block of output columns at a time ({@link #blockWidth}), small enough to stay in
 * the core's cache between being written and being packed by the GEMM. A 1×1 convolution with stride 1 and no
 * padding needs no unfolding: the image itself is the GEMM operand.
 *
 * <p>Per image and group g, with {@code X_g} the unfolded input {@code [C/G·kH·kW, outH·outW]}:
 * <pre>
 *   forward          Y_g  = W_g · X_g (+ b)          W_g [O/G, C/G·kH·kW]
 *   backward input   dX_g = W_gᵀ · dY_g, then folded back onto dx (col2im)
 *   backward weight  dW_g += dY_g · X_gᵀ, summed over the batch
 * </pre>
 * Threads: large batches split over images (each thread unfolds and multiplies its own images, the GEMM then
 * runs single-threaded inside); otherwise images run in turn and the GEMM splits itself. The weight gradient
 * sums the batch in a fixed number of partial sums ({@link CpuConv#weightChunks}) added in order, so its bits never
 * depend on the thread count.
 */
final class CpuConvPlain {

    static final CpuConvPlain INSTANCE = new CpuConvPlain();

    /** Floats in one block of unfolded columns: 512 KiB, a quarter of a core's L2. */
    static final int BLOCK_FLOATS = Integer.getInteger("shendu.conv.block", 128 * 1024);

    /** This thread's unfolding buffer, reused across calls. */
    private static final ThreadBuffers BUFFER = new ThreadBuffers(1);

    private CpuConvPlain() {}

    void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                 float[] y, int yOff) {
        forEachImage(g, n -> {
            int yImg = yOff + n * g.outputImageSize(), plane = g.outputPlaneSize();
            if (bias != null) {
                for (int o = 0; o < g.outChannels(); o++) {
                    Arrays.fill(y, yImg + o * plane, yImg + (o + 1) * plane, bias[biasOff + o]);
                }
            }
            float beta = bias == null ? 0f : 1f;
            for (int group = 0; group < g.groups(); group++) {
                int og = g.groupOutChannels(), k = g.patchSize();
                int xg = xOff + n * g.inputImageSize() + group * g.groupInChannels() * g.inputPlaneSize();
                int wg = wOff + group * og * k, yg = yImg + group * og * plane;
                if (isPointwise(g)) {
                    Sgemm.sgemm(false, false, og, plane, k, 1f, w, wg, k, x, xg, plane, beta, y, yg, plane);
                    continue;
                }
                int block = blockWidth(g);
                for (int j0 = 0; j0 < plane; j0 += block) {
                    int j1 = Math.min(plane, j0 + block);
                    float[] col = BUFFER.get(0, k * (j1 - j0));
                    Im2col.unfold(g, x, xg, j0, j1, col);
                    Sgemm.sgemm(false, false, og, j1 - j0, k, 1f, w, wg, k, col, 0, j1 - j0, beta, y, yg + j0, plane);
                }
            }
        });
    }

    void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        forEachImage(g, n -> {
            int dxImg = dxOff + n * g.inputImageSize(), plane = g.outputPlaneSize();
            if (!isPointwise(g)) Arrays.fill(dx, dxImg, dxImg + g.inputImageSize(), 0f);
            for (int group = 0; group < g.groups(); group++) {
                int og = g.groupOutChannels(), k = g.patchSize();
                int dxg = dxImg + group * g.groupInChannels() * g.inputPlaneSize();
                int wg = wOff + group * og * k, dyg = dyOff + n * g.outputImageSize() + group * og * plane;
                if (isPointwise(g)) {
                    Sgemm.sgemm(true, false, k, plane, og, 1f, w, wg, k, dy, dyg, plane, 0f, dx, dxg, plane);
                    continue;
                }
                int block = blockWidth(g);
                for (int j0 = 0; j0 < plane; j0 += block) {
                    int j1 = Math.min(plane, j0 + block);
                    float[] col = BUFFER.get(0, k * (j1 - j0));
                    Sgemm.sgemm(true, false, k, j1 - j0, og, 1f, w, wg, k, dy, dyg + j0, plane, 0f, col, 0, j1 - j0);
                    Im2col.foldAdd(g, col, j0, j1, dx, dxg);
                }
            }
        });
    }

    void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        int size = g.weightSize(), chunks = CpuConv.weightChunks(g, size);
        float[] partials = chunks > 1 ? new float[(chunks - 1) * size] : null;
        Arrays.fill(dw, dwOff, dwOff + size, 0f);
        // Chunk c sums images [c·N/chunks, (c+1)·N/chunks) into its own partial (chunk 0 straight into dw).
        boolean split = chunks > 1 && g.multiplyAdds() >= CpuConv.PARALLEL_WORK;
        int threads = split ? Math.min(Parallel.threads(), chunks) : 1;
        Parallel.forChunks(chunks, threads, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float[] out = c == 0 ? dw : partials;
                int outOff = c == 0 ? dwOff : (c - 1) * size;
                int n0 = (int) ((long) g.batch() * c / chunks), n1 = (int) ((long) g.batch() * (c + 1) / chunks);
                for (int n = n0; n < n1; n++) accumulateWeightGradient(g, x, xOff, dy, dyOff, n, out, outOff);
            }
        });
        for (int c = 1; c < chunks; c++) {
            int from = (c - 1) * size;
            for (int i = 0; i < size; i++) dw[dwOff + i] += partials[from + i];
        }
    }

    /** out += dY_n · X_nᵀ for every group of image n. */
    private static void accumulateWeightGradient(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, int n,
                                                 float[] out, int outOff) {
        int plane = g.outputPlaneSize(), og = g.groupOutChannels(), k = g.patchSize();
        for (int group = 0; group < g.groups(); group++) {
            int xg = xOff + n * g.inputImageSize() + group * g.groupInChannels() * g.inputPlaneSize();
            int dyg = dyOff + n * g.outputImageSize() + group * og * plane, dwg = outOff + group * og * k;
            if (isPointwise(g)) {
                Sgemm.sgemm(false, true, og, k, plane, 1f, dy, dyg, plane, x, xg, plane, 1f, out, dwg, k);
                continue;
            }
            int block = blockWidth(g);
            for (int j0 = 0; j0 < plane; j0 += block) {
                int j1 = Math.min(plane, j0 + block);
                float[] col = BUFFER.get(0, k * (j1 - j0));
                Im2col.unfold(g, x, xg, j0, j1, col);
                Sgemm.sgemm(false, true, og, k, j1 - j0, 1f, dy, dyg + j0, plane, col, 0, j1 - j0, 1f, out, dwg, k);
            }
        }
    }

    /** A 1×1 kernel that reads every input position once, in place: the input plane is the GEMM operand. */
    static boolean isPointwise(ConvGeometry g) {
        ConvAxis h = g.height(), w = g.width();
        return h.kernel() == 1 && w.kernel() == 1 && h.stride() == 1 && w.stride() == 1 && h.padding() == 0
                && w.padding() == 0 && h.out() == h.in() && w.out() == w.in();
    }

    /** Output columns per unfolded block: the whole plane when it fits {@link #BLOCK_FLOATS}, else a multiple of 64. */
    static int blockWidth(ConvGeometry g) {
        int plane = g.outputPlaneSize(), fit = BLOCK_FLOATS / g.patchSize();
        return fit >= plane ? plane : Math.max(64, fit / 64 * 64);
    }

    /** Runs {@code body} for every image, split over threads when the batch can keep them all busy. */
    private static void forEachImage(ConvGeometry g, java.util.function.IntConsumer body) {
        int n = g.batch(), threads = Parallel.threads();
        boolean split = threads > 1 && n >= threads && g.multiplyAdds() >= CpuConv.PARALLEL_WORK;
        Parallel.forChunks(n, split ? threads : 1, (n0, n1) -> {
            for (int i = n0; i < n1; i++) body.accept(i);
        });
    }
}
