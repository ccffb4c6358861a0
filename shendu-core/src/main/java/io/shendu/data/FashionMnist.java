package io.shendu.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; Zalando, MIT licence): 60,000 training and 10,000 test 28 × 28
 * grey images of clothing in MNIST's IDX format, as {@link TensorDataset}s of {@code [N, 1, 28, 28]} floats in
 * [0, 1]. Debian and Ubuntu package it: {@code apt-get install dataset-fashion-mnist} puts the files in
 * {@link #DEFAULT_DIRECTORY}.
 */
public final class FashionMnist {

    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Loads a split from {@code dir} (train-/t10k-images-idx3-ubyte[.gz] and the labels), or from the default when null. */
    public static TensorDataset load(Path dir, Split split) {
        Path from = dir == null ? DEFAULT_DIRECTORY : dir;
        String hint = "; Debian and Ubuntu package Fashion-MNIST: `apt-get install dataset-fashion-mnist` puts it in "
                + DEFAULT_DIRECTORY + "/, or pass the folder holding the files (--data-dir)";
        return Mnist.fromDirectory(from, split, CLASSES, "Fashion-MNIST", hint);
    }
}
