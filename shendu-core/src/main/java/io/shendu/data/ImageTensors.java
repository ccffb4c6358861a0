package io.shendu.data;

import io.shendu.tensor.DType;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/** Shared checks and pixel access of the {@link Transform}s. */
final class ImageTensors {

    private ImageTensors() {}

    /** The shape {@code [C, H, W]} of a float image, or an exception naming {@code op}. */
    static int[] shapeOf(Tensor image, String op) {
        if (image.dtype() != DType.FLOAT32 || image.rank() != 3) {
            throw new IllegalArgumentException(op + ": expected a float32 image [C, H, W], got " + image.dtype().torchName()
                    + " " + Arrays.toString(image.shape()));
        }
        return image.shape();
    }

    /** The pixels in row-major order, to read only: the tensor's own storage when it is compact, else a copy. */
    static float[] pixels(Tensor image) {
        return image.isView() ? image.toFloatArray() : image.floatStorage();
    }
}
