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
 *   forward          Y_g[o, j]  = Σ_k W_g[o, k] · X̂_g[k, j]          A = W (packed once), B = X̂ (packed per panel)
 *   backward weight  dW_g[o, k] += Σ_j dY_g[o, j] · X̂_g[k, j]        A = dY (packed per block), B = X̂ᵀ (gathered)
 * </pre>
 * The input gradient of a stride-1 convolution is the forward of the flipped, transposed weight over dY
 * ({@link CpuConv}). Outputs are accumulated in whole mr×nr tiles in a buffer and copied out, so no edge tile
 * needs a special case.
 */
final class CpuConvGemm {

    private static final int KC = 256;
    /** Output positions per work item of the forward. */
    private static final int NC = 384;

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
        /** Which image {@link #padded} holds, so consecutive work items of one image pad it once. */
        Object paddedFor;
        int paddedImage = -1;

        float[] padded(int size) {
            if (padded.length < size) padded = new float[size];
            return padded;
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

    /** y = conv(x, w) + bias, over work items (image, block of NC positions) split across threads. */
    void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                 float[] y, int yOff) {
        CpuConvUnfold u = CpuConvUnfold.of(g, nr, true);
        int og = g.groupOutChannels(), ogPad = CpuConvUnfold.roundUp(og, mr), k = g.patchSize();
        int kBlocks = Math.max(1, (k + KC - 1) / KC);
        float[] packedW = packWeight(g, w, wOff, kBlocks);
        int blocks = (u.positions() + NC - 1) / NC, items = g.batch() * blocks;
        Object call = new Object();
        long work = g.multiplyAdds();
        int chunks = work < CpuConv.PARALLEL_WORK ? 1 : Math.min(Parallel.threads(), items);
        Parallel.forChunks(items, chunks, (i0, i1) -> {
            Workspace ws = workspace.get();
            for (int item = i0; item < i1; item++) {
                int n = item / blocks, j0 = (item % blocks) * NC, width = Math.min(NC, u.positions() - j0);
                float[] padded = ws.padded(u.paddedSize());
                if (ws.paddedFor != call || ws.paddedImage != n) {
                    u.pad(x, xOff + n * g.inputImageSize(), padded);
                    ws.paddedFor = call;
                    ws.paddedImage = n;
                }
                for (int group = 0; group < g.groups(); group++) {
                    float[] out = ws.out(ogPad * width);
                    for (int o = 0; o < ogPad; o++) {
                        float b = bias == null || o >= og ? 0f : bias[biasOff + group * og + o];
                        Arrays.fill(out, o * width, (o + 1) * width, b);
                    }
                    int base = group * g.groupInChannels() * u.hp() * u.wp();
                    for (int kb = 0; kb < kBlocks; kb++) {
                        int k0 = kb * k / kBlocks, kc = (kb + 1) * k / kBlocks - k0;
                        int aBlock = group * ogPad * k + k0 * ogPad;
                        for (int q = 0; q < width; q += nr) {
                            float[] panel = ws.panel(kc * nr);
                            packInputPanel(u, padded, base, k0, kc, j0 + q, panel);
                            for (int ir = 0; ir < ogPad; ir += mr) {
                                kernel.multiply(kc, packedW, aBlock + ir * kc, panel, 0, out, ir * width + q, width);
                            }
                        }
                    }
                    u.store(out, width, og, j0, width, y, yOff + n * g.outputImageSize() + group * og
                            * g.outputPlaneSize(), g.outputPlaneSize());
                }
            }
        });
    }

    // ------------------------------------------------------------------ weight gradient

    /**
     * dw = Σ_n dY_n · X̂_nᵀ. The batch is summed in {@link CpuConv#weightChunks} partial sums (a function of the
     * geometry), each over its images in order, then added in order; threads take chunks and, when there are
     * fewer chunks than threads, bands of dw's columns, neither of which changes any sum.
     */
    void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        CpuConvUnfold u = CpuConvUnfold.of(g, nr, false);
        int og = g.groupOutChannels(), ogPad = CpuConvUnfold.roundUp(og, mr), k = g.patchSize();
        int kPad = u.tapOffset().length, panels = kPad / nr, partial = g.groups() * ogPad * kPad;
        int chunks = CpuConv.weightChunks(g, partial);
        float[] sums = new float[chunks * partial];
        int threads = g.multiplyAdds() < CpuConv.PARALLEL_WORK ? 1 : Parallel.threads();
        int bands = Math.min(panels, Math.max(1, (threads + chunks - 1) / chunks));
        Parallel.forChunks(chunks * bands, Math.min(threads, chunks * bands), (u0, u1) -> {
            for (int unit = u0; unit < u1; unit++) {
                int c = unit / bands, band = unit % bands;
                int n0 = (int) ((long) g.batch() * c / chunks), n1 = (int) ((long) g.batch() * (c + 1) / chunks);
                int b0 = band * panels / bands, b1 = (band + 1) * panels / bands;
                for (int n = n0; n < n1; n++) {
                    accumulateWeightGradient(u, x, xOff, dy, dyOff + n * g.outputImageSize(), n, b0, b1, sums,
                            c * partial);
                }
            }
        });
        for (int group = 0; group < g.groups(); group++) {
            for (int o = 0; o < og; o++) {
                int dst = dwOff + (group * og + o) * k, src = (group * ogPad + o) * kPad;
                System.arraycopy(sums, src, dw, dst, k);
                for (int c = 1; c < chunks; c++) {
                    for (int i = 0; i < k; i++) dw[dst + i] += sums[c * partial + src + i];
                }
            }
        }
    }

    /** sums[group, o, k] += Σ_j dY_n[o, j] · X̂_n[k, j] for the tap panels {@code [b0, b1)} of every group. */
    private void accumulateWeightGradient(CpuConvUnfold u, float[] x, int xOff, float[] dy, int dyImg, int n,
                                          int b0, int b1, float[] sums, int sumsOff) {
        ConvGeometry g = u.g();
        Workspace ws = workspace.get();
        float[] padded = ws.padded(u.paddedSize());
        u.pad(x, xOff + n * g.inputImageSize(), padded);
        int og = g.groupOutChannels(), ogPad = CpuConvUnfold.roundUp(og, mr), kPad = u.tapOffset().length;
        int plane = g.outputPlaneSize();
        for (int group = 0; group < g.groups(); group++) {
            int base = group * g.groupInChannels() * u.hp() * u.wp(), dyGroup = dyImg + group * og * plane;
            int cOff = sumsOff + group * ogPad * kPad;
            for (int j0 = 0; j0 < plane; j0 += KC) {
                int kc = Math.min(KC, plane - j0);
                float[] a = ws.out(ogPad * kc);
                packGradientBlock(dy, dyGroup, plane, og, ogPad, j0, kc, a);
                for (int b = b0; b < b1; b++) {
                    float[] panel = ws.panel(kc * nr);
                    CpuConvGather.tapPanel(padded, base, u.positionOffset(), j0, kc, u.tapOffset(), b * nr, nr, panel);
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

    /** Packs X̂[k0 : k0+kc, j0 : j0+nr] of one group into {@code panel}: for each tap, nr positions. */
    private void packInputPanel(CpuConvUnfold u, float[] padded, int base, int k0, int kc, int j0, float[] panel) {
        int[] taps = u.tapOffset(), pos = u.positionOffset();
        if (u.contiguous()) {
            for (int p = 0; p < kc; p++) System.arraycopy(padded, base + taps[k0 + p] + j0, panel, p * nr, nr);
        } else {
            for (int p = 0; p < kc; p++) {
                int src = base + taps[k0 + p];
                for (int t = 0; t < nr; t++) panel[p * nr + t] = padded[src + pos[j0 + t]];
            }
        }
    }
}
