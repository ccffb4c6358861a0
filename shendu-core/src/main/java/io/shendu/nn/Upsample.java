package io.shendu.nn;

import io.shendu.tensor.Tensor;

/**
 * Spatial resizing of {@code [N, C, H, W]} to a given size or by a scale factor ({@code ⌊H·scale⌋}), as
 * PyTorch's {@code nn.Upsample} / {@code F.interpolate}. {@link Interpolation#NEAREST}: each output pixel copies
 * input pixel {@code ⌊dst/scale⌋}. {@link Interpolation#BILINEAR}: it interpolates the four input pixels around
 * source coordinate {@code (dst + ½)/scale − ½} (clamped at 0), or {@code dst·(in−1)/(out−1)} with
 * {@code alignCorners}, which keeps the corner pixels fixed. Stateless.
 */
public final class Upsample extends Module {

    /** How output pixels are computed from input pixels. */
    public enum Interpolation { NEAREST, BILINEAR }

    /**
     * Either a target {@code height × width} (scales 0) or scale factors (sizes 0), the interpolation, and
     * {@code alignCorners} (bilinear only).
     */
    public record UpsampleOptions(int height, int width, double scaleH, double scaleW, Interpolation mode,
                                  boolean alignCorners) {
        public UpsampleOptions {
            boolean bySize = height > 0 && width > 0 && scaleH == 0 && scaleW == 0;
            boolean byScale = height == 0 && width == 0 && scaleH > 0 && scaleW > 0
                    && Double.isFinite(scaleH) && Double.isFinite(scaleW);
            if (!bySize && !byScale) {
                throw new IllegalArgumentException("Upsample: give either a positive size or positive scale factors, got "
                        + "size=[" + height + ", " + width + "] scaleFactor=[" + scaleH + ", " + scaleW + "]");
            }
            java.util.Objects.requireNonNull(mode, "Upsample: mode");
            if (alignCorners && mode == Interpolation.NEAREST) {
                throw new IllegalArgumentException("Upsample: alignCorners applies to BILINEAR only, not NEAREST");
            }
        }

        /** Resize to {@code height × width}, nearest neighbour. */
        public static UpsampleOptions size(int height, int width) {
            return new UpsampleOptions(height, width, 0, 0, Interpolation.NEAREST, false);
        }

        /** Scale both dimensions by {@code scale}, nearest neighbour. */
        public static UpsampleOptions scaleFactor(double scale) {
            return scaleFactor(scale, scale);
        }

        public static UpsampleOptions scaleFactor(double scaleH, double scaleW) {
            return new UpsampleOptions(0, 0, scaleH, scaleW, Interpolation.NEAREST, false);
        }

        public UpsampleOptions withMode(Interpolation mode) {
            return new UpsampleOptions(height, width, scaleH, scaleW, mode, alignCorners);
        }

        public UpsampleOptions withAlignCorners(boolean alignCorners) {
            return new UpsampleOptions(height, width, scaleH, scaleW, mode, alignCorners);
        }
    }

    private final UpsampleOptions options;

    /** Scale by {@code scaleFactor} with the given interpolation (alignCorners false). */
    public Upsample(double scaleFactor, Interpolation mode) {
        this(UpsampleOptions.scaleFactor(scaleFactor).withMode(mode));
    }

    public Upsample(UpsampleOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "Upsample: options");
    }

    public UpsampleOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolFunctional.interpolate("Upsample", x, options);
    }

    @Override
    public String describe() {
        UpsampleOptions o = options;
        String target = o.height() > 0 ? "size=[" + o.height() + ", " + o.width() + "]"
                : "scaleFactor=[" + o.scaleH() + ", " + o.scaleW() + "]";
        return "Upsample(" + target + ", mode=" + o.mode() + (o.alignCorners() ? ", alignCorners=true" : "") + ")";
    }
}
