package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * A small random rotation and translation (torchvision's {@code RandomAffine(degrees, translate)}): the angle is
 * uniform in ±{@code degrees} (positive turns the picture counter-clockwise, about its centre), the shifts are whole
 * pixels uniform in ±{@code translate}·W horizontally and ±{@code translate}·H vertically. Each output pixel is
 * sampled from the input at the inverse-mapped point, by {@code interpolation}; points outside read as 0.
 */
public record RandomAffine(double degrees, double translate, Interpolation interpolation) implements Transform {

    public enum Interpolation {
        NEAREST, BILINEAR
    }

    public RandomAffine {
        if (!(degrees >= 0 && degrees <= 180) || !(translate >= 0 && translate <= 1) || interpolation == null) {
            throw new IllegalArgumentException("RandomAffine: need degrees in [0, 180], translate in [0, 1] and an "
                    + "interpolation, got degrees=" + degrees + " translate=" + translate + " interpolation=" + interpolation);
        }
    }

    public RandomAffine(double degrees, double translate) {
        this(degrees, translate, Interpolation.BILINEAR);
    }

    @Override
    public Tensor apply(Tensor image, Generator gen) {
        int[] s = ImageTensors.shapeOf(image, "RandomAffine");
        double angle = (2 * gen.nextDouble() - 1) * degrees;
        double tx = Math.round((2 * gen.nextDouble() - 1) * translate * s[2]);
        double ty = Math.round((2 * gen.nextDouble() - 1) * translate * s[1]);
        return rotateTranslate(image, angle, tx, ty, interpolation);
    }

    /** Rotates by {@code angle} degrees about the centre, then shifts by (tx, ty) pixels. */
    static Tensor rotateTranslate(Tensor image, double angle, double tx, double ty, Interpolation interpolation) {
        int[] s = ImageTensors.shapeOf(image, "RandomAffine");
        int channels = s[0], h = s[1], w = s[2];
        float[] in = ImageTensors.pixels(image);
        Tensor out = Tensor.zeros(s);
        float[] o = out.floatStorage();
        double cos = Math.cos(Math.toRadians(angle)), sin = Math.sin(Math.toRadians(angle));
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Inverse map: undo the shift, then rotate back (y points down, so this is a clockwise turn on screen).
                double u = x - cx - tx, v = y - cy - ty;
                double sx = cx + u * cos - v * sin, sy = cy + u * sin + v * cos;
                for (int c = 0; c < channels; c++) {
                    int plane = c * h * w;
                    o[plane + y * w + x] = interpolation == Interpolation.NEAREST
                            ? pixel(in, plane, h, w, (int) Math.round(sx), (int) Math.round(sy))
                            : bilinear(in, plane, h, w, sx, sy);
                }
            }
        }
        return out;
    }

    private static float bilinear(float[] in, int plane, int h, int w, double sx, double sy) {
        int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
        double fx = sx - x0, fy = sy - y0;
        double top = (1 - fx) * pixel(in, plane, h, w, x0, y0) + fx * pixel(in, plane, h, w, x0 + 1, y0);
        double bottom = (1 - fx) * pixel(in, plane, h, w, x0, y0 + 1) + fx * pixel(in, plane, h, w, x0 + 1, y0 + 1);
        return (float) ((1 - fy) * top + fy * bottom);
    }

    private static float pixel(float[] in, int plane, int h, int w, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : in[plane + y * w + x];
    }
}
