package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels.ConvGeometry;

import java.util.Arrays;

/**
 * Convolution as an implicit GEMM on the SGEMM micro-kernel ({@link SgemmKernel}): the unfolded input is never
 * materialised; each kc×nr panel the micro-kernel streams is packed straight from a zero-padded copy of the
 * image ({@link CpuConvUnfold}), and the weight is packed once per call. This is the loop nest of
 * {@link SgemmDriver} (Goto and van de Geijn), with its B-packing replaced by the unfolding.
 *
 * <pre>
 *   forward          Y_g[o, j]  = Σ_k W_g[o, k] · X̂_g[k, j]      A = W (packed once), B = X̂ (copied runs)
 *   backward weight  dW_g[o, k] += Σ_j dY_g[o, j] · X̂_g[k, j]    A = dY (packed per block), B = X̂ᵀ (gathered)
 * </pre>
 * The input gradient of a stride-1 convolution is the forward of the flipped, transposed weight over dY
 * ({@link CpuConv}). Outputs are accumulated in whole mr×nr tiles in a buffer and copied out, so no edge tile
 * needs a special case.
 */
final class CpuConvGemm {

    private static final int KC = 256;
    /** Floats of a (padded) image that stays in a core's L2 between the panels that read it (1 MiB). */
    static final int IMAGE_IN_L2 = Integer.getInteger("shendu.conv.l2", 256 * 1024);
    /** Output positions per work item of the forward. */
    private static final int NC = 384;
    /** Groups with at most this many output channels run {@link CpuConvDirect} instead of the GEMM tiles. */
    static final int DIRECT_ROWS = Integer.getInteger("shendu.conv.direct", 8);
    /** Groups with at most this many taps per output (a 3×3 kernel on one channel) also run direct. */
    static final int DIRECT_TAPS = Integer.getInteger("shendu.conv.directTaps", 16);

    private final SgemmKernel kernel;
    private final int mr, nr;
    private final ThreadLocal<Workspace> workspace = ThreadLocal.withInitial(Workspace::new);

    CpuConvGemm(SgemmKernel kernel) {
        this.kernel = kernel;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
    }

    /** A thread's buffers, grown on demand and reused across calls. */
    private static final class Workspace {
        float[] padded = new float[0], panel = new float[0], out = new float[0];
        /** The image being unfolded, as the unfolding reads it: x itself, or {@link #padded}; and its offset. */
        float[] image;
        int imageOff;

        /** Points {@link #image} at image n of x, padding it unless it needs no padding. */
        void load(CpuConvUnfold u, float[] x, int xOff, int n) {
            int at = xOff + n * u.g().inputImageSize();
            if (u.readsInPlace()) {
                image = x;
                imageOff = at;
            } else {
                if (padded.length < u.paddedSize()) padded = new float[u.paddedSize()];
                u.pad(x, at, padded);
                image = padded;
                imageOff = 0;
            }
        }

        /** Drops the reference to the caller's array. */
        void release() {
            image = null;
        }

        float[] panel(int size) {
            if (panel.length < size) panel = new float[size];
            return panel;
        }

        float[] out(int size) {
            if (out.length < size) out = new float[size];
            return out;
        }
    }

    // ------------------------------------------------------------------ forward

    /** What one forward call shares across its work items. */
    private record Forward(ConvGeometry g, CpuConvUnfold u, boolean direct, int rows, int kBlocks, float[] packedW,
                           float[] w, int wOff, float[] bias, int biasOff, float[] y, int yOff, boolean relu) {}

    /**
     * y = conv(x, w) + bias. Work items are (image, block of NC positions), split across threads; each pads its
     * image once ({@link Workspace#load}) and computes every group of its block.
     */
    void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                 float[] y, int yOff) {
        forward(g, x, xOff, w, wOff, bias, biasOff, y, yOff, false);
    }

    /** The forward, with a ReLU applied as the outputs are stored when {@code relu}. */
    void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                 float[] y, int yOff, boolean relu) {
        CpuConvUnfold u = CpuConvUnfold.of(g, nr, true);
        boolean direct = isDirect(g);
        int rows = direct ? g.groupOutChannels() : CpuConvUnfold.roundUp(g.groupOutChannels(), mr);
        int kBlocks = Math.max(1, (g.patchSize() + KC - 1) / KC);
        var f = new Forward(g, u, direct, rows, kBlocks, direct ? null : packWeight(g, w, wOff, kBlocks), w, wOff,
                bias, biasOff, y, yOff, relu);
        int blocks = (u.positions() + NC - 1) / NC, items = g.batch() * blocks;
        int chunks = g.multiplyAdds() < CpuConv.PARALLEL_WORK ? 1 : Math.min(Parallel.threads(), items);
        Parallel.forChunks(items, chunks, (i0, i1) -> {
            Workspace ws = workspace.get();
            for (int item = i0, loaded = -1; item < i1; item++) {
                int n = item / blocks, j0 = (item % blocks) * NC;
                if (n != loaded) ws.load(u, x, xOff, loaded = n);
                for (int group = 0; group < g.groups(); group++) {
                    forwardBlock(f, ws, n, group, j0, Math.min(NC, u.positions() - j0));
                }
            }
            ws.release();
        });
    }

    /** Output positions {@code [j0, j0 + width)} of one group of image n: bias, the tiles, then the copy to y. */
    private void forwardBlock(Forward f, Workspace ws, int n, int group, int j0, int width) {
        ConvGeometry g = f.g;
        int og = g.groupOutChannels(), k = g.patchSize();
        float[] out = ws.out(f.rows * width);
        for (int o = 0; o < f.rows; o++) {
            float b = f.bias == null || o >= og ? 0f : f.bias[f.biasOff + group * og + o];
            Arrays.fill(out, o * width, (o + 1) * width, b);
        }
        int base = ws.imageOff + group * g.groupInChannels() * f.u.hp() * f.u.wp();
        if (f.direct) {
            CpuConvDirect.accumulate(og, f.w, f.wOff + group * og * k, k, ws.image, base, f.u.tapOffset(), j0, width,
                    out, width);
        }
        for (int kb = 0; kb < (f.direct ? 0 : f.kBlocks); kb++) {
            int k0 = kb * k / f.kBlocks, kc = (kb + 1) * k / f.kBlocks - k0;
            int aBlock = group * f.rows * k + k0 * f.rows;
            // An image that stays in L2 is packed one panel at a time, so the panel is in L1 for the tiles; a
            // larger one block-wide, so that each tap's positions are read as one sequential run.
            boolean byPanel = f.u.paddedSize() <= IMAGE_IN_L2;
            float[] block = ws.panel(kc * (byPanel ? nr : width));
            if (!byPanel) packInputBlock(f.u, ws.image, base, k0, kc, j0, width, block);
            for (int q = 0; q < width; q += nr) {
                if (byPanel) packInputBlock(f.u, ws.image, base, k0, kc, j0 + q, nr, block);
                for (int ir = 0; ir < f.rows; ir += mr) {
                    kernel.multiply(kc, f.packedW, aBlock + ir * kc, block, byPanel ? 0 : q * kc, out, ir * width + q,
                            width);
                }
            }
        }
        int plane = g.outputPlaneSize();
        f.u.store(out, width, og, j0, width, f.y, f.yOff + n * g.outputImageSize() + group * og * plane, plane, f.relu);
    }

    // ------------------------------------------------------------------ weight gradient

    /**
     * dw = Σ_n dY_n · X̂_nᵀ. The batch is summed in {@link CpuConv#weightChunks} partial sums (a function of the
     * geometry), each over its images in order, then added in order; threads take chunks and, when there are
     * fewer chunks than threads, bands of dw's columns, neither of which changes any sum.
     */
    void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        boolean direct = isDirect(g);
        CpuConvUnfold u = CpuConvUnfold.of(g, nr, direct);
        int og = g.groupOutChannels(), k = g.patchSize();
        int rows = direct ? og : CpuConvUnfold.roundUp(og, mr), cols = direct ? k : u.tapOffset().length;
        int panels = cols / nr, partial = g.groups() * rows * cols;
        int chunks = CpuConv.weightChunks(g, partial);
        float[] sums = new float[chunks * partial];
        int threads = g.multiplyAdds() < CpuConv.PARALLEL_WORK ? 1 : Parallel.threads();
        int bands = direct ? 1 : Math.min(panels, Math.max(1, (threads + chunks - 1) / chunks));
        Parallel.forChunks(chunks * bands, Math.min(threads, chunks * bands), (u0, u1) -> {
            for (int unit = u0; unit < u1; unit++) {
                int c = unit / bands, band = unit % bands;
                int n0 = (int) ((long) g.batch() * c / chunks), n1 = (int) ((long) g.batch() * (c + 1) / chunks);
                int b0 = band * panels / bands, b1 = (band + 1) * panels / bands;
                Workspace ws = workspace.get();
                for (int n = n0; n < n1; n++) {
                    ws.load(u, x, xOff, n);
                    int dyImg = dyOff + n * g.outputImageSize();
                    if (direct) {
                        correlateImage(u, ws, dy, dyImg, sums, c * partial);
                    } else {
                        accumulateWeightGradient(u, ws, dy, dyImg, b0, b1, sums, c * partial);
                    }
                }
                ws.release();
            }
        });
        for (int group = 0; group < g.groups(); group++) {
            for (int o = 0; o < og; o++) {
                int dst = dwOff + (group * og + o) * k, src = (group * rows + o) * cols;
                System.arraycopy(sums, src, dw, dst, k);
                for (int c = 1; c < chunks; c++) {
                    for (int i = 0; i < k; i++) dw[dst + i] += sums[c * partial + src + i];
                }
            }
        }
    }

    /** Whether a group has few enough output channels, and stride-1 positions, for {@link CpuConvDirect}. */
    private static boolean isDirect(ConvGeometry g) {
        return (g.groupOutChannels() <= DIRECT_ROWS || g.patchSize() <= DIRECT_TAPS)
                && g.height().stride() == 1 && g.width().stride() == 1;
    }

    /** sums[group, o, k] += Σ_j dY_n[o, j] · X̂_n[k, j] as dot products ({@link CpuConvDirect#correlate}). */
    private void correlateImage(CpuConvUnfold u, Workspace ws, float[] dy, int dyImg, float[] sums, int sumsOff) {
        ConvGeometry g = u.g();
        int og = g.groupOutChannels(), k = g.patchSize(), positions = u.positions();
        float[] rows = ws.out(og * positions);
        for (int group = 0; group < g.groups(); group++) {
            u.spread(dy, dyImg + group * og * g.outputPlaneSize(), og, rows, positions);
            int base = ws.imageOff + group * g.groupInChannels() * u.hp() * u.wp();
            CpuConvDirect.correlate(og, rows, 0, positions, ws.image, base, u.tapOffset(), k, sums,
                    sumsOff + group * og * k, k);
        }
    }

    /** sums[group, o, k] += Σ_j dY_n[o, j] · X̂_n[k, j] for the tap panels {@code [b0, b1)}, image n loaded. */
    private void accumulateWeightGradient(CpuConvUnfold u, Workspace ws, float[] dy, int dyImg, int b0, int b1,
                                          float[] sums, int sumsOff) {
        ConvGeometry g = u.g();
        int og = g.groupOutChannels(), ogPad = CpuConvUnfold.roundUp(og, mr), kPad = u.tapOffset().length;
        int plane = g.outputPlaneSize();
        for (int group = 0; group < g.groups(); group++) {
            int base = ws.imageOff + group * g.groupInChannels() * u.hp() * u.wp();
            int dyGroup = dyImg + group * og * plane;
            int cOff = sumsOff + group * ogPad * kPad;
            for (int j0 = 0; j0 < plane; j0 += KC) {
                int kc = Math.min(KC, plane - j0);
                float[] a = ws.out(ogPad * kc);
                packGradientBlock(dy, dyGroup, plane, og, ogPad, j0, kc, a);
                for (int b = b0; b < b1; b++) {
                    float[] panel = ws.panel(kc * nr);
                    CpuConvGather.tapPanel(ws.image, base, u.positionOffset(), j0, kc, u.tapOffset(), b * nr, nr,
                            panel);
                    for (int ir = 0; ir < ogPad; ir += mr) {
                        kernel.multiply(kc, a, ir * kc, panel, 0, sums, cOff + ir * kPad + b * nr, kPad);
                    }
                }
            }
        }
    }

    /** Packs dY[o, j0 : j0+kc] into mr-row panels: panel ir holds, for each position, mr rows (0 past og). */
    private void packGradientBlock(float[] dy, int dyGroup, int plane, int og, int ogPad, int j0, int kc, float[] a) {
        for (int ir = 0; ir < ogPad; ir += mr) {
            int dst = ir * kc;
            for (int r = 0; r < mr; r++) {
                if (ir + r >= og) {
                    for (int p = 0; p < kc; p++) a[dst + p * mr + r] = 0f;
                } else {
                    int src = dyGroup + (ir + r) * plane + j0;
                    for (int p = 0; p < kc; p++) a[dst + p * mr + r] = dy[src + p];
                }
            }
        }
    }

    /**
     * Packs W into mr-row panels per group and k block: panel (group, block, ir) holds, for each tap k of the
     * block, the mr values W[group·og + ir + r, k] (0 past og).
     */
    private float[] packWeight(ConvGeometry g, float[] w, int wOff, int kBlocks) {
        int og = g.groupOutChannels(), ogPad = CpuConvUnfold.roundUp(og, mr), k = g.patchSize();
        float[] packed = new float[g.groups() * ogPad * k];
        for (int group = 0; group < g.groups(); group++) {
            for (int kb = 0; kb < kBlocks; kb++) {
                int k0 = kb * k / kBlocks, kc = (kb + 1) * k / kBlocks - k0;
                for (int ir = 0; ir < ogPad; ir += mr) {
                    int dst = group * ogPad * k + k0 * ogPad + ir * kc;
                    for (int r = 0; r < mr && ir + r < og; r++) {
                        int src = wOff + (group * og + ir + r) * k + k0;
                        for (int p = 0; p < kc; p++) packed[dst + p * mr + r] = w[src + p];
                    }
                }
            }
        }
        return packed;
    }

    /**
     * Packs X̂[k0 : k0+kc, j0 : j0+width] of one group into nr-wide panels ({@code block[q·kc + p·nr + t]} holds
     * tap k0+p at position j0+q+t), reading each tap's row of positions from start to end.
     */
    private void packInputBlock(CpuConvUnfold u, float[] image, int base, int k0, int kc, int j0, int width,
                                float[] block) {
        int[] taps = u.tapOffset(), pos = u.positionOffset();
        if (u.contiguous()) {
            CpuConvGather.runBlock(image, base, taps, k0, kc, j0, width, nr, block);
            return;
        }
        for (int p = 0; p < kc; p++) {
            int src = base + taps[k0 + p];
            for (int q = 0; q < width; q += nr) {
                for (int t = 0, dst = q * kc + p * nr; t < nr; t++) block[dst + t] = image[src + pos[j0 + q + t]];
            }
        }
    }
}
