package io.shendu.models;

import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.tensor.Generator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
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
        register("bncnn", "BN CNN: conv 32 3×3, BN, pool, conv 64 3×3, BN, pool, fc 128, dropout 0.25 (28×28)",
                o -> new BnCnn(o.inChannels(), o.imageSize(), o.numClasses(), new Generator(o.seed())));
        registerClassicCnns();
    }

    /**
     * torchvision's AlexNet, VGG, GoogLeNet (without the auxiliary classifiers, as its pretrained model) and ResNet
     * under torchvision's names, with the options' input channels and classes (images of 224×224, or down to
     * 64×64 for AlexNet and 32×32 for the others), each with a {@code _small} twin for 28×28 and 32×32 images
     * whose first convolution has stride 2 (1 for AlexNet, whose three 3/2 pools need the resolution), so that an
     * epoch on two CPU cores costs a quarter of stride 1's. The classes' options build any other stride.
     */
    private static void registerClassicCnns() {
        register("alexnet", "AlexNet (torchvision), 61.1M parameters",
                o -> new AlexNet(new AlexNet.AlexNetOptions(o.inChannels(), o.numClasses(), false, 4, 0.5), gen(o)));
        register("alexnet_small", "AlexNet for 28/32-pixel images: conv1 3×3/1, pool to 2×2, classifier 1024",
                o -> new AlexNet(AlexNet.AlexNetOptions.small(o.inChannels(), 1, o.numClasses()), gen(o)));
        for (VGG.Config c : VGG.Config.values()) {
            for (boolean bn : new boolean[] {false, true}) {
                String name = c.name().toLowerCase(Locale.ROOT) + (bn ? "_bn" : "");
                String title = "VGG-" + c.name().substring(3) + (bn ? " with batch norm" : "");
                register(name, title + " (torchvision)",
                        o -> new VGG(c, VGG.VGGOptions.imagenet(o.numClasses(), bn).withInChannels(o.inChannels()), gen(o)));
                register(name + "_small", title + " for 28/32-pixel images: conv1 stride 2, no last pool, global pool, fc 512",
                        o -> new VGG(c, VGG.VGGOptions.small(o.inChannels(), 2, o.numClasses(), bn), gen(o)));
            }
        }
        register("googlenet", "GoogLeNet / Inception v1 (torchvision, no auxiliary classifiers), 6.6M parameters",
                o -> new GoogLeNet(GoogLeNet.GoogLeNetOptions.imagenet(o.numClasses(), false).withInChannels(o.inChannels()), gen(o)));
        register("googlenet_small", "GoogLeNet for 28/32-pixel images: conv1 3×3/2, no first pool, no auxiliary classifiers",
                o -> new GoogLeNet(GoogLeNet.GoogLeNetOptions.small(o.inChannels(), 2, o.numClasses()), gen(o)));
        for (ResNet.Depth d : ResNet.Depth.values()) {
            String name = d.name().toLowerCase(Locale.ROOT), title = "ResNet-" + d.name().substring(6);
            register(name, title + " (torchvision)",
                    o -> new ResNet(d, ResNet.ResNetOptions.imagenet(o.numClasses()).withInChannels(o.inChannels()), gen(o)));
            register(name + "_small", title + " for 28/32-pixel images: conv1 3×3/2, no max pool",
                    o -> new ResNet(d, ResNet.ResNetOptions.small(o.inChannels(), 2, o.numClasses()), gen(o)));
        }
    }

    private static Generator gen(Options o) {
        return new Generator(o.seed());
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
