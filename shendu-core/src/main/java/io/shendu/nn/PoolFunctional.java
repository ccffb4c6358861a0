package io.shendu.nn;

import io.shendu.backend.PoolKernels.Planes;
import io.shendu.backend.PoolKernels.Window;
import io.shendu.tensor.DType;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Stateless forms of the pooling, dropout, embedding and resampling layers, as {@code torch.nn.functional}.
 * Pooling takes {@code [N, C, L]} (1-D) or {@code [N, C, H, W]} (2-D) inputs, or the same without the batch
 * dimension; the window options are validated records ({@link MaxPool2d.MaxPool2dOptions}, ...).
 */
public final class PoolFunctional {

    private PoolFunctional() {}

    // ------------------------------------------------------------------ pooling

    /** Max over windows of {@code [N, C, L]}: {@code y[n,c,i] = max_k x[n,c,i·stride − pad + k·dilation]}. */
    public static Tensor maxPool1d(Tensor x, MaxPool1d.MaxPool1dOptions o) {
        return maxPool("max_pool1d", x, 1, o.window(), o.ceilMode());
    }

    /** Max over windows of {@code [N, C, H, W]}; padding counts as −∞. */
    public static Tensor maxPool2d(Tensor x, MaxPool2d.MaxPool2dOptions o) {
        return maxPool("max_pool2d", x, 2, o.window(), o.ceilMode());
    }

    /** Max pooling over square {@code kernelSize} windows with stride {@code kernelSize} (2: halve H and W). */
    public static Tensor maxPool2d(Tensor x, int kernelSize) {
        return maxPool2d(x, MaxPool2d.MaxPool2dOptions.of(kernelSize));
    }

    /** {@link #maxPool2d} with PyTorch's {@code return_indices}: also the flat index {@code h·W + w} of each max. */
    public static Tensor.MaxResult maxPool2dWithIndices(Tensor x, MaxPool2d.MaxPool2dOptions o) {
        Tensor x4 = lift("max_pool2d", x, 2);
        Pooling.MaxPool fn = new Pooling.MaxPool(planes("max_pool2d", x4, 2, o.window(), o.ceilMode()), o.window(), true);
        Tensor y = fn.apply(x4);
        return new Tensor.MaxResult(lower(y, x, 2), lower(Tensor.ofInts(fn.argmax(), y.shape()), x, 2));
    }

    /** Mean over windows of {@code [N, C, L]}; see {@link AvgPool1d.AvgPool1dOptions} for the divisor. */
    public static Tensor avgPool1d(Tensor x, AvgPool1d.AvgPool1dOptions o) {
        return avgPool("avg_pool1d", x, 1, o.window(), o.ceilMode(), o.countIncludePad(), 0);
    }

    /** Mean over windows of {@code [N, C, H, W]}; see {@link AvgPool2d.AvgPool2dOptions} for the divisor. */
    public static Tensor avgPool2d(Tensor x, AvgPool2d.AvgPool2dOptions o) {
        return avgPool("avg_pool2d", x, 2, o.window(), o.ceilMode(), o.countIncludePad(), o.divisorOverride());
    }

    /** Mean over {@code outH × outW} windows {@code [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)} that tile the input. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        return adaptiveAvgPool("adaptive_avg_pool2d", x, outH, outW);
    }

    /** Global average pooling: {@code [N, C, H, W] → [N, C, 1, 1]}, the mean of each feature map. */
    public static Tensor globalAvgPool2d(Tensor x) {
        return adaptiveAvgPool("global_avg_pool2d", x, 1, 1);
    }

    static Tensor maxPool(String op, Tensor x, int dims, Window w, boolean ceilMode) {
        Tensor x4 = lift(op, x, dims);
        return lower(new Pooling.MaxPool(planes(op, x4, dims, w, ceilMode), w).apply(x4), x, dims);
    }

    static Tensor avgPool(String op, Tensor x, int dims, Window w, boolean ceilMode, boolean countIncludePad,
                          int divisorOverride) {
        Tensor x4 = lift(op, x, dims);
        return lower(new Pooling.AvgPool(planes(op, x4, dims, w, ceilMode), w, countIncludePad, divisorOverride)
                .apply(x4), x, dims);
    }

    static Tensor adaptiveAvgPool(String op, Tensor x, int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output size must be positive, got [" + outH + ", " + outW + "]");
        }
        Tensor x4 = lift(op, x, 2);
        return lower(new Pooling.AdaptiveAvgPool(Pooling.planes(x4, outH, outW)).apply(x4), x, 2);
    }

    /** {@code x} as {@code [N, C, H, W]}: a batch of one for an unbatched input, {@code H = 1} for 1-D pooling. */
    private static Tensor lift(String op, Tensor x, int dims) {
        String layout = dims == 1 ? "[N, C, L] or [C, L]" : "[N, C, H, W] or [C, H, W]";
        if (x.dtype() != DType.FLOAT32 || (x.rank() != dims + 1 && x.rank() != dims + 2)) {
            throw new IllegalArgumentException(op + ": expected a float input " + layout + ", got "
                    + x.dtype().torchName() + " " + Arrays.toString(x.shape()));
        }
        for (int d = x.rank() - dims; d < x.rank(); d++) {
            if (x.size(d) == 0) {
                throw new IllegalArgumentException(op + ": empty spatial size in input " + Arrays.toString(x.shape()));
            }
        }
        Tensor batched = x.rank() == dims + 1 ? x.unsqueeze(0) : x;
        return dims == 1 ? batched.unsqueeze(2) : batched;
    }

    /** The 4-D result back in the layout of {@code original}. */
    private static Tensor lower(Tensor y, Tensor original, int dims) {
        Tensor out = dims == 1 ? y.squeeze(2) : y;
        return original.rank() == dims + 1 ? out.squeeze(0) : out;
    }

    /** The planes of the lifted input {@code x4} and the pooled output size. */
    private static Planes planes(String op, Tensor x4, int dims, Window w, boolean ceilMode) {
        int outH = outSize(op, x4, dims, x4.size(2), w.kernelH(), w.strideH(), w.padH(), w.dilationH(), ceilMode);
        int outW = outSize(op, x4, dims, x4.size(3), w.kernelW(), w.strideW(), w.padW(), w.dilationW(), ceilMode);
        return Pooling.planes(x4, outH, outW);
    }

    private static int outSize(String op, Tensor x4, int dims, int in, int kernel, int stride, int pad, int dilation,
                               boolean ceilMode) {
        int out = Pooling.outputSize(in, kernel, stride, pad, dilation, ceilMode);
        if (out < 1) {
            int[] spatial = Arrays.copyOfRange(x4.shape(), 4 - dims, 4);
            throw new IllegalArgumentException(op + ": input of spatial size " + Arrays.toString(spatial)
                    + " is too small for kernel " + kernel + " with padding " + pad + " and dilation " + dilation
                    + " (output size would be " + out + ")");
        }
        return out;
    }

    // ------------------------------------------------------------------ resampling

    /** Resizes {@code [N, C, H, W]} to {@code [N, C, outH, outW]} (PyTorch's {@code interpolate} with size). */
    public static Tensor interpolate(Tensor x, int outH, int outW, Upsample.Interpolation mode, boolean alignCorners) {
        return interpolate("interpolate", x, Upsample.UpsampleOptions.size(outH, outW).withMode(mode)
                .withAlignCorners(alignCorners));
    }

    /** Resizes {@code [N, C, H, W]} by {@code scale} (output {@code ⌊H·scale⌋ × ⌊W·scale⌋}). */
    public static Tensor interpolate(Tensor x, double scale, Upsample.Interpolation mode, boolean alignCorners) {
        return interpolate("interpolate", x, Upsample.UpsampleOptions.scaleFactor(scale).withMode(mode)
                .withAlignCorners(alignCorners));
    }

    /** Resizes as {@code o} says. */
    public static Tensor interpolate(Tensor x, Upsample.UpsampleOptions o) {
        return interpolate("interpolate", x, o);
    }

    static Tensor interpolate(String op, Tensor x, Upsample.UpsampleOptions o) {
        if (x.dtype() != DType.FLOAT32 || x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected a float input [N, C, H, W], got "
                    + x.dtype().torchName() + " " + Arrays.toString(x.shape()));
        }
        int inH = x.size(2), inW = x.size(3);
        if (inH == 0 || inW == 0) {
            throw new IllegalArgumentException(op + ": empty spatial size in input " + Arrays.toString(x.shape()));
        }
        int outH = o.height() > 0 ? o.height() : (int) Math.floor(inH * o.scaleH());
        int outW = o.width() > 0 ? o.width() : (int) Math.floor(inW * o.scaleW());
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(x.shape()) + " scaled by "
                    + o.scaleH() + " x " + o.scaleW() + " gives an empty output [" + outH + ", " + outW + "]");
        }
        double ratioH = ratio(o, inH, outH, o.scaleH()), ratioW = ratio(o, inW, outW, o.scaleW());
        return new Pooling.Interpolate(Pooling.planes(x, outH, outW), o.mode(), o.alignCorners(), ratioH, ratioW)
                .apply(x);
    }

    /**
     * Input pixels per output pixel, as PyTorch: {@code (in−1)/(out−1)} with align_corners; else
     * {@code 1/scale} when a scale factor was given (not the rounded size's ratio), {@code in/out} for a size.
     */
    private static double ratio(Upsample.UpsampleOptions o, int in, int out, double scale) {
        if (o.alignCorners()) return out > 1 ? (in - 1.0) / (out - 1) : 0;
        return scale > 0 ? 1 / scale : (double) in / out;
    }

    // ------------------------------------------------------------------ dropout

    /**
     * Inverted dropout: in training, each element is zeroed with probability {@code p} and the survivors scaled
     * by {@code 1/(1−p)}, so the expected value is unchanged; otherwise the identity. Draws from {@code gen}.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        return dropout("dropout", x, p, training, gen, x.shape());
    }

    /**
     * Channel dropout of {@code [N, C, H, W]} (or {@code [C, H, W]}): each whole feature map is zeroed with
     * probability {@code p}, the others scaled by {@code 1/(1−p)}; the identity outside training.
     */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Generator gen) {
        return dropout2d("dropout2d", x, p, training, gen);
    }

    static Tensor dropout2d(String op, Tensor x, double p, boolean training, Generator gen) {
        if (x.rank() != 3 && x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected an input [N, C, H, W] or [C, H, W], got "
                    + Arrays.toString(x.shape()));
        }
        int[] maskShape = x.shape();   // one draw per feature map, broadcast over H and W
        maskShape[x.rank() - 1] = 1;
        maskShape[x.rank() - 2] = 1;
        return dropout(op, x, p, training, gen, maskShape);
    }

    static Tensor dropout(String op, Tensor x, double p, boolean training, Generator gen, int[] maskShape) {
        checkProbability(op, p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0f);
        float scale = (float) (1 / (1 - p));
        Tensor mask = Tensor.zeros(maskShape);
        float[] m = mask.floatStorage();
        synchronized (gen) {   // a module's generator may be shared by threads; each mask is drawn whole
            for (int i = 0; i < m.length; i++) m[i] = gen.nextDouble() < p ? 0f : scale;
        }
        return x.mul(mask);
    }

    static void checkProbability(String op, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(op + ": probability p must be in [0, 1], got " + p);
    }

    // ------------------------------------------------------------------ embedding

    /** Rows of {@code weight [numEmbeddings, dim]} picked by the int32 {@code indices}: shape {@code [..., dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return embedding("embedding", indices, weight, -1);
    }

    /**
     * As {@link #embedding(Tensor, Tensor)}, but the row {@code paddingIdx} (negative counts from the end) gets
     * no gradient: where an index is the padding index, the output is that row cut from the graph.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        return embedding("embedding", indices, weight, paddingRow("embedding", paddingIdx, weight.size(0)));
    }

    /** {@code paddingIdx} is -1 for none, else in range. */
    static Tensor embedding(String op, Tensor indices, Tensor weight, int paddingIdx) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException(op + ": weight must be [numEmbeddings, embeddingDim], got "
                    + Arrays.toString(weight.shape()));
        }
        if (indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": indices must be an int32 tensor, got "
                    + indices.dtype().torchName() + " " + Arrays.toString(indices.shape()));
        }
        Tensor flat = indices.reshape(-1);
        for (int i : flat.toIntArray()) {
            if (i < 0 || i >= weight.size(0)) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " out of range for " + weight.size(0)
                        + " embeddings (weight " + Arrays.toString(weight.shape()) + ")");
            }
        }
        Tensor rows = weight.indexSelect(0, flat);
        if (paddingIdx >= 0) {
            Tensor isPadding = flat.eq((float) paddingIdx).reshape(-1, 1);
            rows = Tensor.where(isPadding, rows.detach(), rows);
        }
        int[] shape = Arrays.copyOf(indices.shape(), indices.rank() + 1);
        shape[indices.rank()] = weight.size(1);
        return rows.reshape(shape);
    }

    /** The row {@code paddingIdx} names; a negative index counts from the end, as in PyTorch. */
    static int paddingRow(String op, int paddingIdx, int numEmbeddings) {
        if (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
            throw new IllegalArgumentException(op + ": paddingIdx must be in [" + -numEmbeddings + ", "
                    + numEmbeddings + ") for " + numEmbeddings + " embeddings, got " + paddingIdx);
        }
        return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    }
}
