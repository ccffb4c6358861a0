package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Pads the image with {@code padding} zeros on every side, then cuts out a {@code size × size} window at a
 * uniformly random position (torchvision's {@code RandomCrop(size, padding)}): {@code [C, H, W] → [C, size, size]}.
 */
public record RandomCrop(int size, int padding) implements Transform {

    public RandomCrop {
        if (size <= 0 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: size must be positive and padding >= 0, got size=" + size
                    + " padding=" + padding);
        }
    }

    @Override
    public Tensor apply(Tensor image, Generator gen) {
        int[] s = ImageTensors.shapeOf(image, "RandomCrop");
        int h = s[1], w = s[2];
        if (size > h + 2 * padding || size > w + 2 * padding) {
            throw new IllegalArgumentException("RandomCrop: a " + size + " × " + size + " crop does not fit an image "
                    + Arrays.toString(s) + " padded by " + padding);
        }
        // Window origin in the unpadded image's coordinates.
        int top = gen.nextInt(h + 2 * padding - size + 1) - padding;
        int left = gen.nextInt(w + 2 * padding - size + 1) - padding;
        float[] in = ImageTensors.pixels(image);
        Tensor out = Tensor.zeros(s[0], size, size);
        float[] o = out.floatStorage();
        for (int c = 0; c < s[0]; c++) {
            for (int y = 0; y < size; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= h) continue;
                int x0 = Math.max(0, -left), x1 = Math.min(size, w - left);
                if (x1 > x0) System.arraycopy(in, (c * h + sy) * w + left + x0, o, (c * size + y) * size + x0, x1 - x0);
            }
        }
        return out;
    }
}
