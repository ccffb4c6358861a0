package io.shendu.backend;

import java.util.Arrays;

/**
 * A read-only window onto float storage: element {@code (i0, i1, ...)} is
 * {@code data[offset + i0*strides[0] + i1*strides[1] + ...]}. A stride of 0 repeats an element (broadcasting).
 */
public record StridedView(float[] data, int offset, int[] shape, int[] strides) {

    /** A contiguous row-major view of the whole array. */
    public static StridedView contiguous(float[] data, int... shape) {
        return new StridedView(data, 0, shape, Shapes.contiguousStrides(shape));
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public int rank() {
        return shape.length;
    }

    /** True when the elements are laid out densely in row-major order. */
    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    @Override
    public String toString() {
        return "StridedView" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " @" + offset;
    }
}
