package io.shendu.cli;

import io.shendu.data.FashionMnist;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** The data-set options shared by train and eval. */
final class DataOptions {

    @Option(names = "--data", defaultValue = "mnist",
            description = "mnist (the embedded 10,000 digits, or --data-dir), fashion-mnist (default folder "
                    + "/usr/share/datasets/fashion-mnist). Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--data-dir", description = "Folder with the IDX files (train-images-idx3-ubyte[.gz], ...).")
    Path dataDir;

    TensorDataset load(Split split) {
        return switch (data.toLowerCase(Locale.ROOT)) {
            case "mnist" -> dataDir == null ? Mnist.embedded(split) : Mnist.fromDirectory(dataDir, split);
            case "fashion-mnist", "fashion" -> FashionMnist.load(dataDir, split);
            default -> throw new IllegalArgumentException("unknown data set '" + data + "'; known: mnist, fashion-mnist");
        };
    }
}
