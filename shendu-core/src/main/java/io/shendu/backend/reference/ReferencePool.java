package io.shendu.backend.reference;

import io.shendu.backend.PoolKernels;

import static io.shendu.backend.PoolKernels.adaptiveEnd;
import static io.shendu.backend.PoolKernels.adaptiveStart;
import static io.shendu.backend.PoolKernels.avgDivisor;
import static io.shendu.backend.PoolKernels.bilinearSource;
import static io.shendu.backend.PoolKernels.nearestSource;

/**
 * The reference pool kernels: for every output element, a direct loop over the input elements it reads, with
 * double accumulation. Backward kernels loop over the outputs and add each one's share to its inputs.
 */
final class ReferencePool implements PoolKernels {

    static final ReferencePool INSTANCE = new ReferencePool();

    private ReferencePool() {}

    @Override
    public void maxPool2d(Planes p, Window w, float[] x, int xOff, float[] out, int[] argmax) {
        for (int c = 0; c < p.count(); c++) {
            int in = xOff + c * p.inSize();
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++) {
                    // the first element read wins ties; a NaN replaces any value (PyTorch propagates NaN)
                    float best = Float.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    for (int r = 0; r < w.kernelH(); r++) {
                        int h = oh * w.strideH() - w.padH() + r * w.dilationH();
                        if (h < 0 || h >= p.inH()) continue;
                        for (int s = 0; s < w.kernelW(); s++) {
                            int col = ow * w.strideW() - w.padW() + s * w.dilationW();
                            if (col < 0 || col >= p.inW()) continue;
                            float v = x[in + h * p.inW() + col];
                            if (bestAt < 0 || v > best || Float.isNaN(v)) {
                                best = v;
                                bestAt = h * p.inW() + col;
                            }
                        }
                    }
                    int o = (c * p.outH() + oh) * p.outW() + ow;
                    out[o] = best;
                    if (argmax != null) argmax[o] = bestAt;
                }
            }
        }
    }

    @Override
    public void maxPool2dBackward(Planes p, float[] gradOut, int gOff, int[] argmax, float[] gradIn) {
        double[] acc = new double[p.count() * p.inSize()];
        for (int c = 0; c < p.count(); c++) {
            for (int o = 0; o < p.outSize(); o++) {
                int at = argmax[c * p.outSize() + o];
                if (at >= 0) acc[c * p.inSize() + at] += gradOut[gOff + c * p.outSize() + o];
            }
        }
        store(acc, gradIn);
    }

    /** The general max pool with a 2×2 stride-2 window, its argmax turned into a window position. */
    @Override
    public void maxPool2x2Relu(Planes p, float[] x, int xOff, float[] out, byte[] which) {
        int[] argmax = new int[out.length];
        maxPool2d(p, new Window(2, 2, 2, 2, 0, 0, 1, 1), x, xOff, out, argmax);
        if (which == null) return;
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++) {
                    int o = (c * p.outH() + oh) * p.outW() + ow;
                    int h = argmax[o] / p.inW() - 2 * oh, col = argmax[o] % p.inW() - 2 * ow;
                    which[o] = out[o] > 0 ? (byte) (2 * h + col) : -1;
                }
            }
        }
    }

    @Override
    public void maxPool2x2ReluBackward(Planes p, float[] gradOut, int gOff, byte[] which, float[] gradIn) {
        double[] acc = new double[p.count() * p.inSize()];
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++) {
                    int o = (c * p.outH() + oh) * p.outW() + ow;
                    if (which[o] < 0) continue;
                    int h = 2 * oh + which[o] / 2, col = 2 * ow + which[o] % 2;
                    acc[c * p.inSize() + h * p.inW() + col] += gradOut[gOff + o];
                }
            }
        }
        store(acc, gradIn);
    }

    @Override
    public void avgPool2d(Planes p, Window w, boolean countIncludePad, int divisorOverride, float[] x, int xOff,
                          float[] out) {
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++) {
                    double sum = 0;
                    int h0 = oh * w.strideH() - w.padH(), w0 = ow * w.strideW() - w.padW();
                    for (int h = Math.max(h0, 0); h < Math.min(h0 + w.kernelH(), p.inH()); h++) {
                        for (int col = Math.max(w0, 0); col < Math.min(w0 + w.kernelW(), p.inW()); col++) {
                            sum += x[xOff + c * p.inSize() + h * p.inW() + col];
                        }
                    }
                    int divisor = avgDivisor(p, w, countIncludePad, divisorOverride, oh, ow);
                    out[(c * p.outH() + oh) * p.outW() + ow] = divisor == 0 ? 0f : (float) (sum / divisor);
                }
            }
        }
    }

    @Override
    public void avgPool2dBackward(Planes p, Window w, boolean countIncludePad, int divisorOverride, float[] gradOut,
                                  int gOff, float[] gradIn) {
        double[] acc = new double[p.count() * p.inSize()];
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++) {
                    int divisor = avgDivisor(p, w, countIncludePad, divisorOverride, oh, ow);
                    if (divisor == 0) continue;
                    double share = (double) gradOut[gOff + (c * p.outH() + oh) * p.outW() + ow] / divisor;
                    int h0 = oh * w.strideH() - w.padH(), w0 = ow * w.strideW() - w.padW();
                    for (int h = Math.max(h0, 0); h < Math.min(h0 + w.kernelH(), p.inH()); h++) {
                        for (int col = Math.max(w0, 0); col < Math.min(w0 + w.kernelW(), p.inW()); col++) {
                            acc[c * p.inSize() + h * p.inW() + col] += share;
                        }
                    }
                }
            }
        }
        store(acc, gradIn);
    }

    @Override
    public void adaptiveAvgPool2d(Planes p, float[] x, int xOff, float[] out) {
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                int h0 = adaptiveStart(oh, p.inH(), p.outH()), h1 = adaptiveEnd(oh, p.inH(), p.outH());
                for (int ow = 0; ow < p.outW(); ow++) {
                    int w0 = adaptiveStart(ow, p.inW(), p.outW()), w1 = adaptiveEnd(ow, p.inW(), p.outW());
                    double sum = 0;
                    for (int h = h0; h < h1; h++) {
                        for (int col = w0; col < w1; col++) sum += x[xOff + c * p.inSize() + h * p.inW() + col];
                    }
                    out[(c * p.outH() + oh) * p.outW() + ow] = (float) (sum / ((h1 - h0) * (w1 - w0)));
                }
            }
        }
    }

    @Override
    public void adaptiveAvgPool2dBackward(Planes p, float[] gradOut, int gOff, float[] gradIn) {
        double[] acc = new double[p.count() * p.inSize()];
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                int h0 = adaptiveStart(oh, p.inH(), p.outH()), h1 = adaptiveEnd(oh, p.inH(), p.outH());
                for (int ow = 0; ow < p.outW(); ow++) {
                    int w0 = adaptiveStart(ow, p.inW(), p.outW()), w1 = adaptiveEnd(ow, p.inW(), p.outW());
                    double share = (double) gradOut[gOff + (c * p.outH() + oh) * p.outW() + ow] / ((h1 - h0) * (w1 - w0));
                    for (int h = h0; h < h1; h++) {
                        for (int col = w0; col < w1; col++) acc[c * p.inSize() + h * p.inW() + col] += share;
                    }
                }
            }
        }
        store(acc, gradIn);
    }

    @Override
    public void upsampleNearest2d(Planes p, double ratioH, double ratioW, float[] x, int xOff, float[] out) {
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                int h = nearestSource(oh, p.inH(), p.outH(), ratioH);
                for (int ow = 0; ow < p.outW(); ow++) {
                    int col = nearestSource(ow, p.inW(), p.outW(), ratioW);
                    out[(c * p.outH() + oh) * p.outW() + ow] = x[xOff + c * p.inSize() + h * p.inW() + col];
                }
            }
        }
    }

    @Override
    public void upsampleNearest2dBackward(Planes p, double ratioH, double ratioW, float[] gradOut, int gOff,
                                          float[] gradIn) {
        double[] acc = new double[p.count() * p.inSize()];
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                int h = nearestSource(oh, p.inH(), p.outH(), ratioH);
                for (int ow = 0; ow < p.outW(); ow++) {
                    int col = nearestSource(ow, p.inW(), p.outW(), ratioW);
                    acc[c * p.inSize() + h * p.inW() + col] += gradOut[gOff + (c * p.outH() + oh) * p.outW() + ow];
                }
            }
        }
        store(acc, gradIn);
    }

    @Override
    public void upsampleBilinear2d(Planes p, boolean alignCorners, double ratioH, double ratioW, float[] x, int xOff,
                                   float[] out) {
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                double sh = bilinearSource(oh, alignCorners, ratioH);
                int h0 = (int) sh, h1 = Math.min(h0 + 1, p.inH() - 1);
                double dh = sh - h0;
                for (int ow = 0; ow < p.outW(); ow++) {
                    double sw = bilinearSource(ow, alignCorners, ratioW);
                    int w0 = (int) sw, w1 = Math.min(w0 + 1, p.inW() - 1);
                    double dw = sw - w0;
                    int in = xOff + c * p.inSize();
                    double top = (1 - dw) * x[in + h0 * p.inW() + w0] + dw * x[in + h0 * p.inW() + w1];
                    double bottom = (1 - dw) * x[in + h1 * p.inW() + w0] + dw * x[in + h1 * p.inW() + w1];
                    out[(c * p.outH() + oh) * p.outW() + ow] = (float) ((1 - dh) * top + dh * bottom);
                }
            }
        }
    }

    @Override
    public void upsampleBilinear2dBackward(Planes p, boolean alignCorners, double ratioH, double ratioW,
                                           float[] gradOut, int gOff, float[] gradIn) {
        double[] acc = new double[p.count() * p.inSize()];
        for (int c = 0; c < p.count(); c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                double sh = bilinearSource(oh, alignCorners, ratioH);
                int h0 = (int) sh, h1 = Math.min(h0 + 1, p.inH() - 1);
                double dh = sh - h0;
                for (int ow = 0; ow < p.outW(); ow++) {
                    double sw = bilinearSource(ow, alignCorners, ratioW);
                    int w0 = (int) sw, w1 = Math.min(w0 + 1, p.inW() - 1);
                    double dw = sw - w0;
                    double g = gradOut[gOff + (c * p.outH() + oh) * p.outW() + ow];
                    int in = c * p.inSize();
                    acc[in + h0 * p.inW() + w0] += (1 - dh) * (1 - dw) * g;
                    acc[in + h0 * p.inW() + w1] += (1 - dh) * dw * g;
                    acc[in + h1 * p.inW() + w0] += dh * (1 - dw) * g;
                    acc[in + h1 * p.inW() + w1] += dh * dw * g;
                }
            }
        }
        store(acc, gradIn);
    }

    private static void store(double[] acc, float[] gradIn) {
        for (int i = 0; i < acc.length; i++) gradIn[i] = (float) acc[i];
    }
}
