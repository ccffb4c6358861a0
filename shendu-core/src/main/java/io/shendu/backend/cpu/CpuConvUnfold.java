package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;
import io.shendu.backend.UnaryOp;

import java.util.Arrays;

/**
 * Where each element of the unfolded input lives, for the implicit-GEMM kernels ({@link CpuConvGemm}): the
 * image is first copied into a zero-padded buffer, after which element (k, j) of the unfolded matrix — kernel
 * tap k = (c, p, q), output position j — is {@code padded[tapOffset[k] + positionOffset[j]]}, with no bounds
 * check and no zero-padding branch.
 *
 * <p>With stride 1 the output positions are laid out with the padded row's pitch: position j is output (j /
 * pitch, j % pitch), and the last {@code pitch − outW} of each row are junk that is computed and dropped. Then
 * {@code positionOffset[j] = j}, and a run of positions is a run of memory that packs with one copy. With a
 * larger stride the pitch is outW and the offsets are gathered.
 *
 * @param hp            rows of a padded plane: the input with its padding, or the reach of the last window
 * @param wp            columns of a padded plane
 * @param pitch         positions per output row ({@code wp} with stride 1, else {@code outW})
 * @param positions     output positions including junk, rounded up to {@code nr}
 * @param tapOffset     offset of tap k in the group's padded planes, {@code k < patchSize} (rounded up to
 *                      {@code nr}; the extra taps read offset 0 and their results are dropped)
 * @param positionOffset offset of position j within a plane, for every rounded position
 * @param paddedSize    floats of the padded buffer, with room for the junk positions' reads
 */
record CpuConvUnfold(ConvGeometry g, int hp, int wp, int pitch, int positions, int[] tapOffset, int[] positionOffset,
                     int paddedSize) {

    /**
     * Whether the image can be read where it lies: no padding and no read past it, so the padded copy would be
     * the image itself (a 1×1 or an unpadded convolution whose positions fill the image).
     */
    boolean readsInPlace() {
        return g.height().padding() == 0 && g.width().padding() == 0 && hp == g.height().in() && wp == g.width().in()
                && paddedSize == g.inputImageSize();
    }

    /** Whether positions are padded rows (stride 1): runs of positions are runs of memory. */
    boolean contiguous() {
        return pitch == wp && g.width().stride() == 1 && g.height().stride() == 1;
    }

    /**
     * The unfolding of {@code g} for panels of {@code nr} positions; {@code paddedRows} asks for the padded-row
     * layout of stride-1 positions (the forward), otherwise positions are exactly the outputs (the weight
     * gradient, which gathers them anyway).
     */
    static CpuConvUnfold of(ConvGeometry g, int nr, boolean paddedRows) {
        ConvAxis ah = g.height(), aw = g.width();
        int hp = Math.max(ah.padding() + ah.in(), reach(ah)), wp = Math.max(aw.padding() + aw.in(), reach(aw));
        boolean stride1 = paddedRows && ah.stride() == 1 && aw.stride() == 1;
        int pitch = stride1 ? wp : aw.out();
        int positions = roundUp(ah.out() * pitch, nr);
        int[] positionOffset = new int[positions];
        for (int j = 0; j < positions; j++) {
            int oi = j / pitch, oj = j % pitch;
            boolean valid = oi < ah.out() && oj < aw.out();
            positionOffset[j] = stride1 ? j : valid ? oi * ah.stride() * wp + oj * aw.stride() : 0;
        }
        int patch = g.patchSize(), kh = ah.kernel(), kw = aw.kernel();
        int[] tapOffset = new int[roundUp(patch, nr)];
        for (int k = 0; k < patch; k++) {
            int c = k / (kh * kw), p = k / kw % kh, q = k % kw;
            tapOffset[k] = c * hp * wp + p * ah.dilation() * wp + q * aw.dilation();
        }
        int maxRead = (g.inChannels() - g.groupInChannels()) * hp * wp + Arrays.stream(tapOffset).max().orElse(0)
                + Arrays.stream(positionOffset).max().orElse(0);
        return new CpuConvUnfold(g, hp, wp, pitch, positions, tapOffset, positionOffset,
                Math.max(g.inChannels() * hp * wp, maxRead + 1));
    }

    /** Padded size an axis needs for its last window: {@code (out − 1)·stride + dilation·(k − 1) + 1}. */
    private static int reach(ConvAxis a) {
        return (a.out() - 1) * a.stride() + a.dilation() * (a.kernel() - 1) + 1;
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** Copies image {@code x[xOff ..]} ({@code [C, H, W]}) into {@code padded}, zeros around it. */
    void pad(float[] x, int xOff, float[] padded) {
        ConvAxis ah = g.height(), aw = g.width();
        Arrays.fill(padded, 0, paddedSize, 0f);
        for (int c = 0; c < g.inChannels(); c++) {         // hp ≥ padding + H and wp ≥ padding + W: rows fit
            for (int i = 0; i < ah.in(); i++) {
                System.arraycopy(x, xOff + (c * ah.in() + i) * aw.in(), padded,
                        (c * hp + ah.padding() + i) * wp + aw.padding(), aw.in());
            }
        }
    }

    /** The inverse of {@link #pad}: copies the image inside {@code padded} to {@code x[xOff ..]}. */
    void crop(float[] padded, float[] x, int xOff) {
        ConvAxis ah = g.height(), aw = g.width();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < ah.in(); i++) {
                System.arraycopy(padded, (c * hp + ah.padding() + i) * wp + aw.padding(), x,
                        xOff + (c * ah.in() + i) * aw.in(), aw.in());
            }
        }
    }

    /**
     * The adjoint of {@link #store}: copies {@code rows} consecutive output planes (outH·outW each) into
     * padded-row positions, {@code ld} apart in {@code buf}, with zeros at the junk positions.
     */
    void spread(float[] y, int yOff, int rows, float[] buf, int ld) {
        int outW = g.width().out(), outH = g.height().out(), plane = outH * outW;
        for (int r = 0; r < rows; r++) {
            int dst = r * ld;
            Arrays.fill(buf, dst, dst + ld, 0f);
            for (int oi = 0; oi < outH; oi++) {
                System.arraycopy(y, yOff + r * plane + oi * outW, buf, dst + oi * pitch, outW);
            }
        }
    }

    /**
     * Copies the outputs of positions {@code [j0, j0 + width)}, held in rows of {@code buf} ({@code ld} apart, one
     * per output channel) into {@code y} (rows of outH·outW, {@code yStride} apart), dropping junk positions.
     */
    void store(float[] buf, int ld, int rows, int j0, int width, float[] y, int yOff, int yStride) {
        store(buf, ld, rows, j0, width, y, yOff, yStride, false);
    }

    /**
     * {@link #store}, applying {@code max(v, 0)} to each value on the way when {@code relu} (with the Vector API
     * only: the plain kernels apply the ReLU in a pass of their own).
     */
    void store(float[] buf, int ld, int rows, int j0, int width, float[] y, int yOff, int yStride, boolean relu) {
        int outW = g.width().out(), outH = g.height().out();
        for (int j = j0, end = j0 + width; j < end; ) {
            int oi = j / pitch, oj = j % pitch;
            int rowEnd = Math.min(end, oi * pitch + pitch);
            if (oi >= outH) break;
            int len = Math.min(rowEnd, oi * pitch + outW) - j;
            if (len > 0) {
                for (int r = 0; r < rows; r++) {
                    int src = r * ld + j - j0, dst = yOff + r * yStride + oi * outW + oj;
                    if (relu) {
                        VectorLoops.unary(UnaryOp.RELU, 0f, 0f, buf, src, 1, y, dst, len);   // only the vector path asks
                    } else {
                        System.arraycopy(buf, src, y, dst, len);
                    }
                }
            }
            j = rowEnd;
        }
    }
}
