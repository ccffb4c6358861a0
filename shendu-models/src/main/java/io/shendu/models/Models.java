package io.shendu.models;

import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.tensor.Generator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The model registry: {@code Models.create("lenet5", Models.Options.mnist())}. Each entry has a one-line
 * description for {@code shendu summary --list}.
 */
public final class Models {

    /** What a model is built for: input channels and image side, number of classes, and the init seed. */
    public record Options(int inChannels, int imageSize, int numClasses, long seed) {
        public Options {
            if (inChannels <= 0 || imageSize <= 0 || numClasses <= 0) {
                throw new IllegalArgumentException("Models.Options: sizes must be positive, got channels=" + inChannels
                        + " image=" + imageSize + " classes=" + numClasses);
            }
        }

        /** 28×28 grey images, 10 classes (MNIST, Fashion-MNIST). */
        public static Options mnist() {
            return new Options(1, 28, 10, 0);
        }

        public Options withSeed(long s) {
            return new Options(inChannels, imageSize, numClasses, s);
        }

        public Options withClasses(int n) {
            return new Options(inChannels, imageSize, n, seed);
        }

        public Options withInput(int channels, int size) {
            return new Options(channels, size, numClasses, seed);
        }

        public Map<String, Object> toMap() {
            return Map.of("in_channels", inChannels, "image_size", imageSize, "num_classes", numClasses, "seed", seed);
        }
    }

    /** A registered model: its description and how to build it. */
    public record Entry(String name, String description, Function<Options, Module> factory) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("mlp", "MLP 784-256-128-10 with ReLU (flattened input)",
                o -> new MLP(new int[] {o.inChannels() * o.imageSize() * o.imageSize(), 256, 128, o.numClasses()},
                        ReLU::new, 0, new Generator(o.seed())));
        register("lenet5", "LeNet-5: conv 1→6 5×5 pad 2, pool, conv 6→16 5×5, pool, fc 400→120→84→10 (28×28 grey)",
                o -> {
                    requireInput("lenet5", o, 1, 28);
                    return new LeNet5(o.numClasses(), new Generator(o.seed()));
                });
    }

    private Models() {}

    /** Adds a model to the registry (used by the zoo's own classes). */
    public static void register(String name, String description, Function<Options, Module> factory) {
        REGISTRY.put(name, new Entry(name, description, factory));
    }

    /** Builds the model {@code name}, failing with the list of known names for an unknown one. */
    public static Module create(String name, Options options) {
        Entry e = REGISTRY.get(name);
        if (e == null) throw new IllegalArgumentException("unknown model '" + name + "'; known models: " + String.join(", ", REGISTRY.keySet()));
        return e.factory().apply(options);
    }

    public static Map<String, Entry> entries() {
        return Collections.unmodifiableMap(REGISTRY);
    }

    static void requireInput(String model, Options o, int channels, int size) {
        if (o.inChannels() != channels || o.imageSize() != size) {
            throw new IllegalArgumentException(model + ": expects " + channels + "×" + size + "×" + size + " inputs, got "
                    + o.inChannels() + "×" + o.imageSize() + "×" + o.imageSize());
        }
    }
}
