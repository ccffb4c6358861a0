package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/** Per channel {@code c}: {@code y = (x − mean[c]) / std[c]}. A single mean and std apply to every channel. */
public final class Normalize implements Transform {

    /** The mean and standard deviation of the MNIST training pixels (in [0, 1]), as PyTorch's examples use. */
    public static final Normalize MNIST = new Normalize(0.1307f, 0.3081f);

    private final float[] mean, std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean " + Arrays.toString(mean) + " and std " + Arrays.toString(std)
                    + " must have the same, non-zero length");
        }
        for (float s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("Normalize: std must be positive, got " + Arrays.toString(std));
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public Normalize(float mean, float std) {
        this(new float[] {mean}, new float[] {std});
    }

    @Override
    public Tensor apply(Tensor image, Generator gen) {
        int[] s = ImageTensors.shapeOf(image, "Normalize");
        if (mean.length != 1 && mean.length != s[0]) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means for an image of " + s[0] + " channels "
                    + Arrays.toString(s));
        }
        float[] in = ImageTensors.pixels(image);
        Tensor out = Tensor.zeros(s);
        float[] o = out.floatStorage();
        int plane = s[1] * s[2];
        for (int c = 0; c < s[0]; c++) {
            float m = mean[mean.length == 1 ? 0 : c], sd = std[std.length == 1 ? 0 : c];
            for (int i = c * plane; i < (c + 1) * plane; i++) o[i] = (in[i] - m) / sd;
        }
        return out;
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
