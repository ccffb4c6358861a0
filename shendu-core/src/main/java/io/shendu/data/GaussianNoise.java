package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/** Adds independent noise to every pixel: {@code y = x + std·ε}, ε ~ N(0, 1). Values are not clipped. */
public record GaussianNoise(double std) implements Transform {

    public GaussianNoise {
        if (!(std >= 0)) throw new IllegalArgumentException("GaussianNoise: std must be >= 0, got " + std);
    }

    @Override
    public Tensor apply(Tensor image, Generator gen) {
        int[] s = ImageTensors.shapeOf(image, "GaussianNoise");
        float[] in = ImageTensors.pixels(image);
        Tensor out = Tensor.zeros(s);
        float[] o = out.floatStorage();
        for (int i = 0; i < o.length; i++) o[i] = (float) (in[i] + std * gen.nextGaussian());
        return out;
    }
}
