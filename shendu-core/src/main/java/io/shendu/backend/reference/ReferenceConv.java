package io.shendu.backend.reference;

import io.shendu.backend.ConvKernels;

/**
 * The reference conv kernels: the definition of {@link ConvKernels} as direct loops over every (output, tap)
 * pair, accumulating in double. Each gradient is written as the same sum as the forward, with its terms routed
 * to the other operand, so the three kernels visibly share one index formula ({@link ConvAxis#inputIndex}).
 */
final class ReferenceConv implements ConvKernels {

    static final ReferenceConv INSTANCE = new ReferenceConv();

    private ReferenceConv() {}

    /** What one term {@code w[o, c, p, q] · x[n, ci, ih, iw]} of the sum feeds. */
    @FunctionalInterface
    private interface Term {
        void visit(int xIdx, int wIdx, int yIdx);
    }

    /**
     * Calls {@code term} once for every in-bounds term of the convolution sum, with the flat indices of its x,
     * w and y elements (relative to the offsets). Out-of-bounds taps read zero padding and are skipped.
     */
    private static void forEachTerm(ConvGeometry g, Term term) {
        ConvAxis ah = g.height(), aw = g.width();
        int cg = g.groupInChannels(), og = g.groupOutChannels();
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int group = o / og;
                for (int i = 0; i < ah.out(); i++) {
                    for (int j = 0; j < aw.out(); j++) {
                        int yIdx = ((n * g.outChannels() + o) * ah.out() + i) * aw.out() + j;
                        for (int c = 0; c < cg; c++) {
                            int ci = group * cg + c;
                            for (int p = 0; p < ah.kernel(); p++) {
                                int ih = ah.inputIndex(i, p);
                                if (ih < 0 || ih >= ah.in()) continue;
                                for (int q = 0; q < aw.kernel(); q++) {
                                    int iw = aw.inputIndex(j, q);
                                    if (iw < 0 || iw >= aw.in()) continue;
                                    int xIdx = ((n * g.inChannels() + ci) * ah.in() + ih) * aw.in() + iw;
                                    int wIdx = ((o * cg + c) * ah.kernel() + p) * aw.kernel() + q;
                                    term.visit(xIdx, wIdx, yIdx);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                        float[] y, int yOff) {
        double[] acc = new double[g.batch() * g.outputImageSize()];
        forEachTerm(g, (xi, wi, yi) -> acc[yi] += (double) w[wOff + wi] * x[xOff + xi]);
        int plane = g.outputPlaneSize();
        for (int i = 0; i < acc.length; i++) {
            double b = bias == null ? 0 : bias[biasOff + (i / plane) % g.outChannels()];
            y[yOff + i] = (float) (acc[i] + b);
        }
    }

    @Override
    public void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        double[] acc = new double[g.batch() * g.inputImageSize()];
        forEachTerm(g, (xi, wi, yi) -> acc[xi] += (double) w[wOff + wi] * dy[dyOff + yi]);
        for (int i = 0; i < acc.length; i++) dx[dxOff + i] = (float) acc[i];
    }

    @Override
    public void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        double[] acc = new double[g.weightSize()];
        forEachTerm(g, (xi, wi, yi) -> acc[wi] += (double) x[xOff + xi] * dy[dyOff + yi]);
        for (int i = 0; i < acc.length; i++) dw[dwOff + i] = (float) acc[i];
    }

    @Override
    public void backwardBias(ConvGeometry g, float[] dy, int dyOff, float[] db, int dbOff) {
        int plane = g.outputPlaneSize();
        for (int o = 0; o < g.outChannels(); o++) {
            double sum = 0;
            for (int n = 0; n < g.batch(); n++) {
                for (int j = 0; j < plane; j++) sum += dy[dyOff + (n * g.outChannels() + o) * plane + j];
            }
            db[dbOff + o] = (float) sum;
        }
    }
}
