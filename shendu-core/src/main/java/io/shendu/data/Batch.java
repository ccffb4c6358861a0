package io.shendu.data;

import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * A mini-batch. For images: {@code inputs} float {@code [B, C, H, W]}, {@code labels} int32 {@code [B]}. For
 * character-level text: {@code inputs} int32 {@code [B, T]}, {@code labels} int32 {@code [B, T]} (the next
 * characters).
 */
public record Batch(Tensor inputs, Tensor labels) {

    public Batch {
        if (inputs.rank() == 0 || labels.rank() == 0 || inputs.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("Batch: inputs " + Arrays.toString(inputs.shape()) + " and labels "
                    + Arrays.toString(labels.shape()) + " must have the same first (batch) dimension");
        }
    }

    /** The number of examples, B. */
    public int size() {
        return inputs.size(0);
    }
}
