package io.shendu.cli;

import io.shendu.data.Compose;
import io.shendu.data.DataLoader;
import io.shendu.data.FashionMnist;
import io.shendu.data.Mnist;
import io.shendu.data.RandomCrop;
import io.shendu.data.RandomHorizontalFlip;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Arrays;
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

    /**
     * Augmentation of the training split. {@code FLIP_CROP}: mirror left to right with probability ½, then pad
     * 2 zero pixels on every side and cut out a random window of the original size (the usual CIFAR recipe,
     * scaled to 28 pixels). The loader draws each example's choices from (seed, epoch, index), so a run is
     * reproducible and a resumed run sees the same images.
     */
    enum Augment {
        NONE, FLIP_CROP;

        /** The name on the command line: {@code none}, {@code flip-crop}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Batches of {@code train}, augmented as this says. */
        DataLoader loader(TensorDataset train, DataLoader.Options options) {
            return switch (this) {
                case NONE -> new DataLoader(train, options);
                case FLIP_CROP -> {
                    if (train.height() != train.width()) {
                        throw new IllegalArgumentException("--augment " + this + ": needs square images, got "
                                + train.height() + " × " + train.width());
                    }
                    yield new DataLoader(train, new Compose(new RandomHorizontalFlip(0.5), new RandomCrop(train.height(), 2)), options);
                }
            };
        }
    }

    /** Reads {@code --augment none|flip-crop}. */
    static final class AugmentConverter implements ITypeConverter<Augment> {
        @Override
        public Augment convert(String value) {
            return Arrays.stream(Augment.values()).filter(a -> a.toString().equalsIgnoreCase(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("unknown augmentation '" + value + "'; known: none, flip-crop"));
        }
    }
}
