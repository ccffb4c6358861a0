package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/** Mirrors the image left to right with probability {@code p}. */
public record RandomHorizontalFlip(double p) implements Transform {

    public RandomHorizontalFlip {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
    }

    @Override
    public Tensor apply(Tensor image, Generator gen) {
        int[] s = ImageTensors.shapeOf(image, "RandomHorizontalFlip");
        if (gen.nextDouble() >= p) return image;
        float[] in = ImageTensors.pixels(image);
        Tensor out = Tensor.zeros(s);
        float[] o = out.floatStorage();
        int w = s[2];
        for (int row = 0; row < s[0] * s[1]; row++) {
            for (int x = 0; x < w; x++) o[row * w + x] = in[row * w + w - 1 - x];
        }
        return out;
    }
}
