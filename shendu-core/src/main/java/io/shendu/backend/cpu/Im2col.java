package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;

import java.util.Arrays;

/**
 * Unfolding one group of one image into the columns of a GEMM operand ("im2col", Chellapilla et al., "High
 * Performance Convolutional Neural Networks for Document Processing", 2006) and folding such columns back with
 * addition ("col2im", the adjoint).
 *
 * <p>Row {@code (c, p, q)} of the unfolded matrix, in the weight's order, holds input channel c shifted by the
 * kernel tap (p, q) and sampled at every output position; column j is output position {@code (j / outW, j %
 * outW)}. A call covers the block of columns {@code [j0, j1)}, so the matrix never needs to hold a whole image:
 * {@code col[r·(j1−j0) + j − j0]}. Both walk the block one output row at a time, so the inner loops are plain
 * copies (or strided gathers) between bounds computed once per row; zero padding is a fill, not a branch.
 */
final class Im2col {

    private Im2col() {}

    /** col[r, j − j0] = x[c, ih(j, p), iw(j, q)] (0 outside the input), with x the group's first channel plane. */
    static void unfold(ConvGeometry g, float[] x, int xOff, int j0, int j1, float[] col) {
        ConvAxis ah = g.height(), aw = g.width();
        int width = j1 - j0, plane = g.inputPlaneSize();
        int row = 0;
        for (int c = 0; c < g.groupInChannels(); c++) {
            int channel = xOff + c * plane;
            for (int p = 0; p < ah.kernel(); p++) {
                for (int q = 0; q < aw.kernel(); q++, row++) {
                    int dst = row * width;
                    for (int j = j0; j < j1; ) {
                        int oi = j / aw.out(), oj = j - oi * aw.out();
                        int len = Math.min(aw.out() - oj, j1 - j);
                        int ih = ah.inputIndex(oi, p);
                        if (ih < 0 || ih >= ah.in()) {
                            Arrays.fill(col, dst, dst + len, 0f);
                        } else {
                            gatherRow(aw, q, x, channel + ih * aw.in(), oj, len, col, dst);
                        }
                        dst += len;
                        j += len;
                    }
                }
            }
        }
    }

    /** x[c, ih(j, p), iw(j, q)] += col[r, j − j0] for in-bounds taps: the adjoint of {@link #unfold}. */
    static void foldAdd(ConvGeometry g, float[] col, int j0, int j1, float[] x, int xOff) {
        ConvAxis ah = g.height(), aw = g.width();
        int width = j1 - j0, plane = g.inputPlaneSize();
        int row = 0;
        for (int c = 0; c < g.groupInChannels(); c++) {
            int channel = xOff + c * plane;
            for (int p = 0; p < ah.kernel(); p++) {
                for (int q = 0; q < aw.kernel(); q++, row++) {
                    int src = row * width;
                    for (int j = j0; j < j1; ) {
                        int oi = j / aw.out(), oj = j - oi * aw.out();
                        int len = Math.min(aw.out() - oj, j1 - j);
                        int ih = ah.inputIndex(oi, p);
                        if (ih >= 0 && ih < ah.in()) scatterAddRow(aw, q, col, src, oj, len, x, channel + ih * aw.in());
                        src += len;
                        j += len;
                    }
                }
            }
        }
    }

    /** The first output index, from {@code from} on, whose tap {@code k} lands inside the input. */
    private static int firstInside(ConvAxis a, int k, int from) {
        int shift = k * a.dilation() - a.padding();       // input index = o·stride + shift
        return Math.max(from, Math.ceilDiv(-shift, a.stride()));
    }

    /** One past the last output index, below {@code to}, whose tap {@code k} lands inside the input. */
    private static int endInside(ConvAxis a, int k, int to) {
        int shift = k * a.dilation() - a.padding();
        return Math.min(to, Math.floorDiv(a.in() - 1 - shift, a.stride()) + 1);
    }

    /** col[dst + t] = row[iw(oj + t, q)] for t < len, zero where iw falls outside the row. */
    private static void gatherRow(ConvAxis aw, int q, float[] x, int rowStart, int oj, int len, float[] col, int dst) {
        int end = oj + len;
        int lo = Math.min(firstInside(aw, q, oj), end), hi = Math.max(lo, endInside(aw, q, end));
        int s = aw.stride(), src = rowStart + q * aw.dilation() - aw.padding();   // x index of output 0
        Arrays.fill(col, dst, dst + lo - oj, 0f);
        if (s == 1) {
            System.arraycopy(x, src + lo, col, dst + lo - oj, hi - lo);
        } else {
            for (int o = lo; o < hi; o++) col[dst + o - oj] = x[src + o * s];
        }
        Arrays.fill(col, dst + hi - oj, dst + len, 0f);
    }

    /** row[iw(oj + t, q)] += col[src + t] for t < len where iw falls inside the row. */
    private static void scatterAddRow(ConvAxis aw, int q, float[] col, int src, int oj, int len, float[] x,
                                      int rowStart) {
        int end = oj + len;
        int lo = firstInside(aw, q, oj), hi = endInside(aw, q, end);
        int s = aw.stride(), dst = rowStart + q * aw.dilation() - aw.padding();
        for (int o = lo; o < hi; o++) x[dst + o * s] += col[src + o - oj];
    }
}
