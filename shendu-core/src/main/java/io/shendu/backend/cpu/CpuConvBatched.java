package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;

import java.util.Arrays;

/**
 * Convolutions whose output maps are small (the 7×7, 4×4 and 2×2 stages of a ResNet or VGG on 28×28 images), as
 * one GEMM over several images at a time. The implicit GEMM of {@link CpuConvGemm} works image by image, so it
 * streams the whole weight once per image, 9.4 MB for a 512→512 3×3 layer, to compute as few as 4 output
 * positions. Here the unfolded inputs of a chunk of images stand side by side as the columns of one matrix, and
 * each GEMM reads the weight once per chunk:
 * <pre>
 *   forward          Y[O, G·P]  = W[O, K] · X̂[K, G·P]
 *   input gradient   dX̂[K, G·P] = Wᵀ · dY[O, G·P], folded back into each image
 *   weight gradient  dW[O, K]  += dY[O, G·P] · X̂ᵀ
 * </pre>
 * with K the patch size, P the positions of one output map and G the images of a chunk. The chunks depend only
 * on the geometry, and {@link Sgemm} does not depend on the thread count, so neither do the results.
 */
final class CpuConvBatched {

    /** Output maps of at most this many positions take this path (0 turns it off). */
    static final int MAX_POSITIONS = Integer.getInteger("shendu.conv.batchedPositions", 64);
    /** Floats of the unfolded chunk, at most (16 MiB); a chunk holds at least one image. */
    private static final int CHUNK_FLOATS = 4 << 20;

    /** This thread's unfolded chunk (slot 0) and output or gradient block (slot 1). */
    private static final ThreadBuffers BUFFERS = new ThreadBuffers(2);

    private CpuConvBatched() {}

    /**
     * Whether {@code g} runs here: one group, small output maps, more output channels than the direct kernels take
     * and a batch to gather.
     */
    static boolean suits(ConvGeometry g) {
        return g.groups() == 1 && g.batch() > 1 && g.outputPlaneSize() <= MAX_POSITIONS
                && g.outChannels() > CpuConvGemm.DIRECT_ROWS;
    }

    /** y = conv(x, w) + bias, with {@code max(·, 0)} applied as outputs are stored when {@code relu}. */
    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                        float[] y, int yOff, boolean relu) {
        int k = g.patchSize(), p = g.outputPlaneSize(), o = g.outChannels(), images = imagesPerChunk(g);
        for (int n0 = 0; n0 < g.batch(); n0 += images) {
            int count = Math.min(images, g.batch() - n0), width = count * p;
            float[] col = BUFFERS.get(0, k * width), out = BUFFERS.get(1, o * width);
            unfold(g, x, xOff, n0, count, col);
            Sgemm.sgemm(false, false, o, width, k, 1f, w, wOff, k, col, 0, width, 0f, out, 0, width);
            int first = n0;
            Parallel.forRange(count, 1, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    for (int c = 0; c < o; c++) {
                        int src = c * width + i * p, dst = yOff + ((first + i) * o + c) * p;
                        float b = bias == null ? 0f : bias[biasOff + c];
                        for (int j = 0; j < p; j++) {
                            float v = out[src + j] + b;
                            y[dst + j] = relu ? Math.max(v, 0f) : v;
                        }
                    }
                }
            });
        }
    }

    /** dx = the input gradient from dy: dX̂ = Wᵀ·dY per chunk, folded back into each image. */
    static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        int k = g.patchSize(), p = g.outputPlaneSize(), o = g.outChannels(), images = imagesPerChunk(g);
        for (int n0 = 0; n0 < g.batch(); n0 += images) {
            int count = Math.min(images, g.batch() - n0), width = count * p;
            float[] col = BUFFERS.get(0, k * width), grad = BUFFERS.get(1, o * width);
            gatherOutputs(g, dy, dyOff, n0, count, grad);
            Sgemm.sgemm(true, false, k, width, o, 1f, w, wOff, k, grad, 0, width, 0f, col, 0, width);
            int image = g.inputImageSize();
            Arrays.fill(dx, dxOff + n0 * image, dxOff + (n0 + count) * image, 0f);
            foldAdd(g, col, n0, count, dx, dxOff);
        }
    }

    /** dw = Σ over the batch of dY·X̂ᵀ, chunk by chunk in order (the first chunk overwrites). */
    static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        int k = g.patchSize(), p = g.outputPlaneSize(), o = g.outChannels(), images = imagesPerChunk(g);
        for (int n0 = 0; n0 < g.batch(); n0 += images) {
            int count = Math.min(images, g.batch() - n0), width = count * p;
            float[] col = BUFFERS.get(0, k * width), grad = BUFFERS.get(1, o * width);
            unfold(g, x, xOff, n0, count, col);
            gatherOutputs(g, dy, dyOff, n0, count, grad);
            Sgemm.sgemm(false, true, o, k, width, 1f, grad, 0, width, col, 0, width, n0 == 0 ? 0f : 1f, dw, dwOff, k);
        }
    }

    /**
     * Images per chunk: as many as {@link #CHUNK_FLOATS} allows, spread evenly over the chunks (64 images at 28 per
     * chunk make chunks of 22, 21 and 21, not 28, 28 and 8).
     */
    static int imagesPerChunk(ConvGeometry g) {
        long perImage = (long) g.patchSize() * g.outputPlaneSize();
        int most = (int) Math.max(1, Math.min(g.batch(), CHUNK_FLOATS / perImage));
        int chunks = Math.ceilDiv(g.batch(), most);
        return Math.ceilDiv(g.batch(), chunks);
    }

    /**
     * Where each element of one image's unfolded channel comes from, for columns {@code ld} apart: element e = (tap,
     * position) of channel c is {@code col[c·taps·ld + dst[e]]} and reads {@code x[c·plane + src[e]]}, or is 0 where
     * {@code src[e] < 0} (padding). Tables instead of {@link Im2col}'s row walks, whose per-row set-up dominates
     * when an output row is 2 or 4 positions long.
     */
    private record Taps(int[] src, int[] dst, int taps) {
        static Taps of(ConvGeometry g, int ld) {
            ConvAxis ah = g.height(), aw = g.width();
            int taps = ah.kernel() * aw.kernel(), p = g.outputPlaneSize();
            int[] src = new int[taps * p], dst = new int[taps * p];
            for (int kp = 0, e = 0; kp < ah.kernel(); kp++) {
                for (int kq = 0; kq < aw.kernel(); kq++) {
                    for (int j = 0; j < p; j++, e++) {
                        int ih = ah.inputIndex(j / aw.out(), kp), iw = aw.inputIndex(j % aw.out(), kq);
                        src[e] = ih < 0 || ih >= ah.in() || iw < 0 || iw >= aw.in() ? -1 : ih * aw.in() + iw;
                        dst[e] = (kp * aw.kernel() + kq) * ld + j;
                    }
                }
            }
            return new Taps(src, dst, taps);
        }
    }

    /** The unfolded images {@code [n0, n0 + count)} side by side: image i fills columns {@code [i·P, (i+1)·P)}. */
    private static void unfold(ConvGeometry g, float[] x, int xOff, int n0, int count, float[] col) {
        int p = g.outputPlaneSize(), width = count * p, image = g.inputImageSize(), plane = g.inputPlaneSize();
        Taps t = Taps.of(g, width);
        Parallel.forRange(count, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int c = 0; c < g.inChannels(); c++) {
                    int from = xOff + (n0 + i) * image + c * plane, to = c * t.taps * width + i * p;
                    for (int e = 0; e < t.src.length; e++) {
                        int s = t.src[e];
                        col[to + t.dst[e]] = s < 0 ? 0f : x[from + s];
                    }
                }
            }
        });
    }

    /** x of images {@code [n0, n0 + count)} += the columns of {@code col}: the adjoint of {@link #unfold}. */
    private static void foldAdd(ConvGeometry g, float[] col, int n0, int count, float[] dx, int dxOff) {
        int p = g.outputPlaneSize(), width = count * p, image = g.inputImageSize(), plane = g.inputPlaneSize();
        Taps t = Taps.of(g, width);
        Parallel.forRange(count, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int c = 0; c < g.inChannels(); c++) {
                    int to = dxOff + (n0 + i) * image + c * plane, from = c * t.taps * width + i * p;
                    for (int e = 0; e < t.src.length; e++) {
                        int s = t.src[e];
                        if (s >= 0) dx[to + s] += col[from + t.dst[e]];
                    }
                }
            }
        });
    }

    /** dy of images {@code [n0, n0 + count)} as {@code [O, count·P]}: channel c of image i at columns i·P. */
    private static void gatherOutputs(ConvGeometry g, float[] dy, int dyOff, int n0, int count, float[] grad) {
        int p = g.outputPlaneSize(), o = g.outChannels(), width = count * p;
        Parallel.forRange(count, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int c = 0; c < o; c++) System.arraycopy(dy, dyOff + ((n0 + i) * o + c) * p, grad, c * width + i * p, p);
            }
        });
    }
}
