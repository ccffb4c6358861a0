package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels.ConvGeometry;

import java.util.Arrays;

/**
 * The input gradient of a strided convolution — and so the forward of a strided transposed convolution — as an
 * implicit GEMM on the SGEMM micro-kernel: per image and group, the gradient of the unfolded input,
 * {@code dX̂_g = W_gᵀ · dY_g}, is computed one block of output positions at a time, and each of its entries is
 * added back where the unfolding took it from (col2im) in a zero-padded image ({@link CpuConvUnfold}), which is
 * finally cropped into dx. (With stride 1 {@link CpuConv} uses the forward of the flipped weight instead.)
 * Threads split the batch; each image is summed in one fixed order. Load only when
 * {@link VectorSupport#available()}.
 */
final class CpuConvScatter {

    /** Depth of one block of the reduction over output channels. */
    private static final int KC = 256;
    /** Output positions per block. */
    private static final int NC = 256;

    private final SgemmKernel kernel;
    private final int mr, nr;
    private final ThreadLocal<Workspace> workspace = ThreadLocal.withInitial(Workspace::new);

    CpuConvScatter(SgemmKernel kernel) {
        this.kernel = kernel;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
    }

    /** A thread's buffers, grown on demand and reused across calls. */
    private static final class Workspace {
        float[] padded = new float[0], gradient = new float[0], block = new float[0], columns = new float[0];

        static float[] grow(float[] a, int size) {
            return a.length < size ? new float[size] : a;
        }
    }

    /** What one call shares across images. */
    private record Call(ConvGeometry g, CpuConvUnfold u, float[] packedW, int taps, int[] rowOffset, int oBlocks) {}

    void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        CpuConvUnfold u = CpuConvUnfold.of(g, nr, false);
        int taps = CpuConvUnfold.roundUp(g.patchSize(), mr), og = g.groupOutChannels();
        int[] rowOffset = new int[og];
        for (int o = 0; o < og; o++) rowOffset[o] = o * u.positions();
        int oBlocks = Math.max(1, (og + KC - 1) / KC);
        var call = new Call(g, u, packTransposedWeight(g, w, wOff, taps, oBlocks), taps, rowOffset, oBlocks);
        boolean split = g.multiplyAdds() >= CpuConv.PARALLEL_WORK;
        Parallel.forChunks(g.batch(), split ? Math.min(Parallel.threads(), g.batch()) : 1, (n0, n1) -> {
            Workspace ws = workspace.get();
            for (int n = n0; n < n1; n++) {
                image(call, ws, dy, dyOff + n * g.outputImageSize(), dx, dxOff + n * g.inputImageSize());
            }
        });
    }

    /** dx of one image: every group's columns added into the padded image, then the crop. */
    private void image(Call c, Workspace ws, float[] dy, int dyImg, float[] dx, int dxImg) {
        ConvGeometry g = c.g;
        CpuConvUnfold u = c.u;
        ws.padded = Workspace.grow(ws.padded, u.paddedSize());
        Arrays.fill(ws.padded, 0, u.paddedSize(), 0f);
        int og = g.groupOutChannels(), plane = g.outputPlaneSize();
        for (int group = 0; group < g.groups(); group++) {
            ws.gradient = Workspace.grow(ws.gradient, og * u.positions());
            u.spread(dy, dyImg + group * og * plane, og, ws.gradient, u.positions());
            for (int j0 = 0; j0 < plane; j0 += NC) block(c, ws, group, j0, Math.min(NC, u.positions() - j0));
        }
        u.crop(ws.padded, dx, dxImg);
    }

    /** Columns {@code [j0, j0 + width)} of dX̂_g = W_gᵀ · dY_g, then added into the padded image. */
    private void block(Call c, Workspace ws, int group, int j0, int width) {
        ConvGeometry g = c.g;
        int og = g.groupOutChannels();
        ws.columns = Workspace.grow(ws.columns, c.taps * width);
        float[] columns = ws.columns;
        Arrays.fill(columns, 0, c.taps * width, 0f);
        for (int ob = 0; ob < c.oBlocks; ob++) {
            int o0 = ob * og / c.oBlocks, kc = (ob + 1) * og / c.oBlocks - o0;
            ws.block = Workspace.grow(ws.block, kc * width);
            CpuConvGather.runBlock(ws.gradient, 0, c.rowOffset, o0, kc, j0, width, nr, ws.block);
            int aBlock = group * og * c.taps + o0 * c.taps;
            for (int q = 0; q < width; q += nr) {
                for (int ir = 0; ir < c.taps; ir += mr) {
                    kernel.multiply(kc, c.packedW, aBlock + ir * kc, ws.block, q * kc, columns, ir * width + q, width);
                }
            }
        }
        scatterAdd(c, columns, width, group, j0, ws.padded);
    }

    /** padded[tap[k] + position[j]] += columns[k, j − j0] for every tap and real output position of the block. */
    private static void scatterAdd(Call c, float[] columns, int width, int group, int j0, float[] padded) {
        CpuConvUnfold u = c.u;
        int[] tap = u.tapOffset(), position = u.positionOffset();
        int base = group * c.g.groupInChannels() * u.hp() * u.wp(), end = Math.min(width, c.g.outputPlaneSize() - j0);
        for (int k = 0; k < c.g.patchSize(); k++) {
            int dst = base + tap[k], src = k * width;
            for (int j = 0; j < end; j++) padded[dst + position[j0 + j]] += columns[src + j];
        }
    }

    /**
     * Packs W_gᵀ into mr-tap panels per group and block of output channels: panel (group, block, ir) holds, for
     * each output channel o of the block, the mr values W[group·og + o, ir + r] (0 past the last tap).
     */
    private float[] packTransposedWeight(ConvGeometry g, float[] w, int wOff, int taps, int oBlocks) {
        int og = g.groupOutChannels(), k = g.patchSize();
        float[] packed = new float[g.groups() * og * taps];
        for (int group = 0; group < g.groups(); group++) {
            for (int ob = 0; ob < oBlocks; ob++) {
                int o0 = ob * og / oBlocks, kc = (ob + 1) * og / oBlocks - o0;
                for (int ir = 0; ir < taps; ir += mr) {
                    int dst = group * og * taps + o0 * taps + ir * kc;
                    for (int o = 0; o < kc; o++) {
                        int src = wOff + (group * og + o0 + o) * k + ir;
                        for (int r = 0; r < mr && ir + r < k; r++) packed[dst + o * mr + r] = w[src + r];
                    }
                }
            }
        }
        return packed;
    }
}
