package io.shendu.data;

import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTest {

    @TempDir
    Path dir;

    /** Sum of the pixels as the bytes 0..255 they were stored as. */
    private static long byteSum(float[] pixels) {
        long sum = 0;
        for (float v : pixels) sum += Math.round(v * 255);
        return sum;
    }

    @Test
    void embeddedTrainingSetMatchesTheReadme() {
        TensorDataset train = Mnist.embedded(Split.TRAIN);
        assertEquals(8000, train.size());
        assertEquals(1, train.channels());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertEquals(Mnist.CLASSES, train.classes());
        assertArrayEquals(new int[] {799, 904, 789, 837, 776, 689, 795, 874, 759, 778}, train.classCounts());
        Example first = train.get(0);
        assertEquals(2, first.label());
        assertArrayEquals(new int[] {1, 28, 28}, first.input().shape());
        assertEquals(24632, byteSum(first.input().toFloatArray()));
        assertEquals(40500, byteSum(train.get(7999).input().toFloatArray()));
        float[] all = train.images().toFloatArray();
        assertEquals(209_659_167L, byteSum(all));
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : all) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void embeddedTestSetMatchesTheReadme() {
        TensorDataset test = Mnist.embedded(Split.TEST);
        assertEquals(2000, test.size());
        int[] counts = test.classCounts();
        assertArrayEquals(new int[] {202, 223, 202, 195, 204, 174, 219, 196, 185, 200}, counts);
        for (int c : counts) assertTrue(c >= 174 && c <= 223);
        assertEquals(9, test.label(0));
        assertEquals(17768, byteSum(test.get(0).input().toFloatArray()));
        assertEquals(52_487_433L, byteSum(test.images().toFloatArray()));
    }

    @Test
    void batchIsTheRowsInTheGivenOrder() {
        TensorDataset train = Mnist.embedded(Split.TEST);
        Batch b = train.batch(new int[] {5, 0, 5});
        assertArrayEquals(new int[] {3, 1, 28, 28}, b.inputs().shape());
        assertArrayEquals(new int[] {train.label(5), train.label(0), train.label(5)}, b.labels().toIntArray());
        assertArrayEquals(train.get(0).input().toFloatArray(), b.inputs().select(0, 1).toFloatArray());
        assertArrayEquals(train.get(5).input().toFloatArray(), b.inputs().select(0, 2).toFloatArray());
        assertThrows(IndexOutOfBoundsException.class, () -> train.batch(new int[] {2000}));
    }

    @Test
    void fromDirectoryReadsRawAndGzipAndBothTestNames() throws Exception {
        IdxFiles.writeMnist(dir, "train", 12, false);
        IdxFiles.writeMnist(dir, "t10k", 3, true);
        TensorDataset train = Mnist.fromDirectory(dir, Split.TRAIN);
        assertEquals(12, train.size());
        assertEquals(7, train.label(7));
        float[] image7 = train.get(7).input().toFloatArray();
        assertEquals(7 / 255f, image7[0]);
        assertEquals(((7 + 783) % 256) / 255f, image7[783]);
        TensorDataset test = Mnist.fromDirectory(dir, Split.TEST);
        assertEquals(3, test.size());
        assertEquals(2, test.label(2));

        Path other = dir.resolve("other");
        IdxFiles.writeMnist(Files.createDirectories(other), "test", 4, true);
        assertEquals(4, Mnist.fromDirectory(other, Split.TEST).size());
    }

    @Test
    void missingFilesAreListed() {
        var e = assertThrows(DataFileException.class, () -> Mnist.fromDirectory(dir, Split.TEST));
        assertEquals("MNIST test images: found none of t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz, "
                + "test-images-idx3-ubyte, test-images-idx3-ubyte.gz in " + dir, e.getMessage());
        IdxFiles.writeMnist(dir, "train", 2, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), new byte[0]);
        e = assertThrows(DataFileException.class, () -> Mnist.fromDirectory(dir, Split.TRAIN));
        assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": truncated: 0 bytes, expected at least 4 (the magic number 0x00000801)",
                e.getMessage());
        Path nowhere = dir.resolve("nowhere");
        e = assertThrows(DataFileException.class, () -> Mnist.fromDirectory(nowhere, Split.TRAIN));
        assertEquals("MNIST train images: the directory " + nowhere + " does not exist", e.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() {
        IdxFiles.writeMnist(dir, "train", 5, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.bytes(new int[] {4}, new int[] {1, 2, 3, 4}));
        var e = assertThrows(DataFileException.class, () -> Mnist.fromDirectory(dir, Split.TRAIN));
        assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": 4 labels, but " + dir.resolve("train-images-idx3-ubyte")
                + " has 5 images (counts at offset 4 of each)", e.getMessage());
    }

    @Test
    void wrongImageSizeAndBadLabelsAreRejected() {
        IdxFiles.writeMnist(dir, "train", 2, false);
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.bytes(new int[] {2, 32, 32}, new int[2 * 32 * 32]));
        var e = assertThrows(DataFileException.class, () -> Mnist.fromDirectory(dir, Split.TRAIN));
        assertEquals(dir.resolve("train-images-idx3-ubyte") + ": expected 28 × 28 images, found 32 × 32 (sizes at offsets 8 and 12)",
                e.getMessage());

        IdxFiles.writeMnist(dir, "train", 2, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.bytes(new int[] {2}, new int[] {3, 10}));
        e = assertThrows(DataFileException.class, () -> Mnist.fromDirectory(dir, Split.TRAIN));
        assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": label 10 at offset 9 (example 1) is outside 0..9", e.getMessage());
    }

    @Test
    void fashionMnistFromAFolderHasItsClassNames() {
        IdxFiles.writeMnist(dir, "t10k", 10, true);
        TensorDataset test = FashionMnist.load(dir, Split.TEST);
        assertEquals(10, test.size());
        assertEquals("Ankle boot", test.classes().get(test.label(9)));
        assertEquals("T-shirt/top", FashionMnist.CLASSES.get(0));
    }

    @Test
    void missingFashionMnistNamesTheDebianPackage() {
        Path nowhere = dir.resolve("no-such-dir");
        var e = assertThrows(DataFileException.class, () -> FashionMnist.load(nowhere, Split.TRAIN));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST train images: the directory " + nowhere + " does not exist"),
                e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("/usr/share/datasets/fashion-mnist"), e.getMessage());
    }

    @Test
    void tensorDatasetFromTensorsValidates() {
        Tensor images = Tensor.zeros(3, 1, 2, 2);
        var ds = new TensorDataset(images, Tensor.ofInts(new int[] {0, 1, 1}, 3), List.of("a", "b"));
        assertArrayEquals(new int[] {1, 2}, ds.classCounts());
        assertEquals(2, ds.subset(1, 3).size());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(images, Tensor.ofInts(new int[] {0, 1}, 2), List.of("a", "b")));
        assertEquals("TensorDataset: labels must be int32 [3] to match images [3, 1, 2, 2], got int32 [2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(images, Tensor.ofInts(new int[] {0, 1, 2}, 3), List.of("a", "b")));
        assertEquals("TensorDataset: label 2 of example 2 is outside 0..1 (2 classes)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(3, 4), Tensor.ofInts(new int[] {0, 1, 1}, 3), List.of("a", "b")));
        assertEquals("TensorDataset: images must be float32 [N, C, H, W], got float32 [3, 4]", e.getMessage());
    }
}
