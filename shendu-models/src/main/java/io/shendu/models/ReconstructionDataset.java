package io.shendu.models;

import io.shendu.data.Batch;
import io.shendu.data.Dataset;
import io.shendu.data.TensorDataset;

import java.util.Objects;

/**
 * Images as their own targets, for training an autoencoder with the ordinary {@code Trainer}: each batch has
 * inputs {@code [B, C, H, W]} and the same images as targets (labels), so the loss compares the reconstruction
 * with the input. A denoising autoencoder corrupts its input itself (see {@link InputNoise}), so the targets
 * stay clean.
 */
public record ReconstructionDataset(TensorDataset images) implements Dataset {

    public ReconstructionDataset {
        Objects.requireNonNull(images, "ReconstructionDataset: images");
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public Batch batch(int[] indices) {
        Batch b = images.batch(indices);
        return new Batch(b.inputs(), b.inputs());
    }
}
