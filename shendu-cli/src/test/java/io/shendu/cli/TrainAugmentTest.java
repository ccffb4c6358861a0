package io.shendu.cli;

import io.shendu.data.Batch;
import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --augment}: flip-crop changes the training images, reproducibly, and the run records it. */
class TrainAugmentTest {

    @TempDir
    Path dir;

    static final TensorDataset DIGITS = Mnist.embedded(Split.TRAIN).subset(0, 256);
    static final DataLoader.Options OPTIONS = DataLoader.Options.of(64).withShuffle(true).withSeed(5);

    static float[] firstBatch(DataOptions.Augment augment, DataLoader.Options options) {
        try (DataLoader.Epoch epoch = augment.loader(DIGITS, options).epoch(0)) {
            Batch b = epoch.next();
            assertArrayEquals(new int[] {64, 1, 28, 28}, b.inputs().shape(), "augmentation keeps the image size");
            return b.inputs().toFloatArray();
        }
    }

    @Test
    void flipCropChangesTheImagesTheSameWayForTheSameSeed() {
        float[] raw = firstBatch(DataOptions.Augment.NONE, OPTIONS);
        float[] augmented = firstBatch(DataOptions.Augment.FLIP_CROP, OPTIONS);
        assertFalse(Arrays.equals(raw, augmented), "flip-crop must change the training images");
        assertArrayEquals(augmented, firstBatch(DataOptions.Augment.FLIP_CROP, OPTIONS), "same seed, same images");
        assertFalse(Arrays.equals(augmented, firstBatch(DataOptions.Augment.FLIP_CROP, OPTIONS.withSeed(6))),
                "another seed, other images");
        // A crop only moves pixels and a flip mirrors them: ink is kept, up to what falls off the 2-pixel margin.
        double rawInk = 0, augmentedInk = 0;
        for (int i = 0; i < raw.length; i++) {
            rawInk += raw[i];
            augmentedInk += augmented[i];
        }
        assertEquals(rawInk, augmentedInk, 0.05 * rawInk);
    }

    @Test
    void trainWithAugmentRunsAndRecordsIt() {
        Path out = dir.resolve("run");
        StringWriter stdout = new StringWriter(), stderr = new StringWriter();
        String[] args = {"train", "--model", "mlp", "--batch", "256", "--augment", "flip-crop", "--epochs", "1",
                "--seed", "4", "--output", out.toString()};
        int status = Main.run(args, new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        assertEquals(0, status, stderr.toString());
        assertTrue(stdout.toString().contains("augment flip-crop"), stdout.toString());
        var config = Checkpoint.load(out.resolve("last.json")).modelConfig();
        assertEquals("flip-crop", config.get("augment"));
    }

    @Test
    void unknownAugmentationIsRejected() {
        StringWriter stdout = new StringWriter(), stderr = new StringWriter();
        int status = Main.run(new String[] {"train", "--augment", "mixup", "--output", dir.resolve("x").toString()},
                new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        assertNotEquals(0, status);
        assertTrue(stderr.toString().contains("unknown augmentation 'mixup'; known: none, flip-crop"), stderr.toString());
    }
}
