package io.shendu.models;

import io.shendu.nn.AdaptiveAvgPool2d;
import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Dropout;
import io.shendu.nn.Init;
import io.shendu.nn.Linear;
import io.shendu.nn.MaxPool2d;
import io.shendu.nn.MaxPool2d.MaxPool2dOptions;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * VGG (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", 2015) with
 * torchvision's module tree: {@code features} (3×3 convolutions with padding 1, each followed by batch norm if
 * asked and ReLU, and 2×2 max pools between the stages), {@code avgpool} (adaptive, to 7×7) and
 * {@code classifier} (512·7·7 → 4096 → 4096 → classes with ReLU and dropout). Parameter names such as
 * {@code features.0.weight} and {@code classifier.6.bias} are torchvision's. Parameters at 1000 classes:
 * VGG-11 132,863,336; -13 133,047,848; -16 138,357,544; -19 143,667,240 (with batch norm: +5,504, +5,888,
 * +8,448, +11,008).
 *
 * <p>The small-input variant ({@link VGGOptions#small}) for 28×28 and 32×32 images keeps the convolutions (the
 * first one with stride {@code firstStride}), pools in ceil mode and omits the last pool, so 28 and 32 both
 * end at 2×2 (1×1 with stride 2); it then averages globally ({@code avgpool} to 1×1) and classifies with
 * 512 → 512 → 512 → classes. At 1 channel and 10 classes: VGG-11 9,749,770 parameters, with batch norm
 * 9,755,274; VGG-16 15,243,978; VGG-19 20,553,674.
 */
public final class VGG extends Module {

    /** torchvision's configurations "A", "B", "D", "E": output channels of each conv, 0 for a max pool. */
    public enum Config {
        VGG11(64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0),
        VGG13(64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0),
        VGG16(64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0),
        VGG19(64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0);

        final int[] layers;

        Config(int... layers) {
            this.layers = layers;
        }
    }

    /**
     * Input channels, classes, batch norm after each convolution, the small-input variant, the stride of the
     * first convolution, the classifier's dropout probability (torchvision: 0.5), and torchvision's
     * {@code init_weights} (false keeps the layers' default initialisation, which also builds faster).
     */
    public record VGGOptions(int inChannels, int numClasses, boolean batchNorm, boolean smallInput, int firstStride,
                             double dropout, boolean initWeights) {
        public VGGOptions {
            if (inChannels < 1 || numClasses < 1 || firstStride < 1) {
                throw new IllegalArgumentException("VGG: inChannels, numClasses and firstStride must be positive, got "
                        + inChannels + ", " + numClasses + ", " + firstStride);
            }
            if (!(dropout >= 0 && dropout <= 1)) throw new IllegalArgumentException("VGG: dropout must be in [0, 1], got " + dropout);
        }

        /** torchvision's model: 3 input channels, 224×224 images. */
        public static VGGOptions imagenet(int numClasses, boolean batchNorm) {
            return new VGGOptions(3, numClasses, batchNorm, false, 1, 0.5, true);
        }

        /** The small-input variant for 28×28 or 32×32 images. */
        public static VGGOptions small(int inChannels, int firstStride, int numClasses, boolean batchNorm) {
            return new VGGOptions(inChannels, numClasses, batchNorm, true, firstStride, 0.5, true);
        }

        public VGGOptions withInChannels(int c) {
            return new VGGOptions(c, numClasses, batchNorm, smallInput, firstStride, dropout, initWeights);
        }

        public VGGOptions withFirstStride(int s) {
            return new VGGOptions(inChannels, numClasses, batchNorm, smallInput, s, dropout, initWeights);
        }

        public VGGOptions withDropout(double p) {
            return new VGGOptions(inChannels, numClasses, batchNorm, smallInput, firstStride, p, initWeights);
        }

        public VGGOptions withInitWeights(boolean init) {
            return new VGGOptions(inChannels, numClasses, batchNorm, smallInput, firstStride, dropout, init);
        }
    }

    private final Config config;
    private final VGGOptions options;
    private final Sequential features, classifier;
    private final AdaptiveAvgPool2d avgpool;

    public VGG(Config config, VGGOptions options, Generator gen) {
        this.config = config;
        this.options = options;
        features = registerModule("features", makeFeatures(config, options, gen));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(options.smallInput() ? 1 : 7));
        int flat = options.smallInput() ? 512 : 512 * 7 * 7, hidden = options.smallInput() ? 512 : 4096;
        classifier = registerModule("classifier", new Sequential(
                new Linear(flat, hidden, true, gen), new ReLU(), new Dropout(options.dropout(), gen.split()),
                new Linear(hidden, hidden, true, gen), new ReLU(), new Dropout(options.dropout(), gen.split()),
                new Linear(hidden, options.numClasses(), true, gen)));
        if (options.initWeights()) initialise(gen);
    }

    /** torchvision's {@code make_layers}: [conv, (bn,) relu] per channel count, a max pool per 0. */
    private static Sequential makeFeatures(Config config, VGGOptions o, Generator gen) {
        List<Module> list = new ArrayList<>();
        int in = o.inChannels(), stride = o.firstStride();
        int[] layers = config.layers;
        int last = o.smallInput() ? layers.length - 1 : layers.length; // the small variant omits the last pool
        for (int i = 0; i < last; i++) {
            int v = layers[i];
            if (v == 0) {
                list.add(new MaxPool2d(MaxPool2dOptions.of(2).withCeilMode(o.smallInput())));
                continue;
            }
            list.add(new Conv2d(Conv2d.options(in, v, 3).withPadding(1).withStride(stride), gen));
            if (o.batchNorm()) list.add(new BatchNorm2d(v));
            list.add(new ReLU());
            in = v;
            stride = 1;
        }
        return new Sequential(list.toArray(Module[]::new));
    }

    /** torchvision's: convs kaiming_normal(fan_out, relu) and bias 0; linears N(0, 0.01²) and bias 0. */
    private void initialise(Generator gen) {
        apply(m -> {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.Mode.FAN_OUT, Init.Nonlinearity.RELU, gen);
                Init.zeros(c.bias());
            } else if (m instanceof Linear l) {
                Init.normal(l.weight(), 0, 0.01, gen);
                Init.zeros(l.bias());
            }
        });
    }

    @Override
    public Tensor forward(Tensor x) {
        x = avgpool.call(features.call(x)).flatten(1, -1);
        return classifier.call(x);
    }

    public VGGOptions options() {
        return options;
    }

    @Override
    public String describe() {
        return "VGG(" + config.name().toLowerCase(java.util.Locale.ROOT) + ", " + options + ")";
    }
}
