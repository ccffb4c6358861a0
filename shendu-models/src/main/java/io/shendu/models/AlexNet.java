package io.shendu.models;

import io.shendu.nn.AdaptiveAvgPool2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Dropout;
import io.shendu.nn.Linear;
import io.shendu.nn.MaxPool2d;
import io.shendu.nn.MaxPool2d.MaxPool2dOptions;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * AlexNet (Krizhevsky et al. 2012) as torchvision's single-tower version ("One weird trick", 2014):
 * {@code features} (conv 11×11/4 → 64, pool, conv 5×5 → 192, pool, conv 3×3 → 384, 256, 256, pool),
 * {@code avgpool} (adaptive, to 6×6) and {@code classifier} (dropout, 9216 → 4096, ReLU, dropout, 4096 → 4096,
 * ReLU, 4096 → classes). Input {@code [N, 3, 224, 224]}; PyTorch's default initialisation; 61,100,840
 * parameters at 1000 classes.
 *
 * <p>The small-input variant ({@link AlexNetOptions#small}) for 28×28 and 32×32 images: the first convolution
 * is 3×3 with padding 1 and stride {@code firstStride}, the adaptive pool goes to 2×2, and the classifier is
 * 1024 → 1024 → 1024 → classes. At 1 channel and 10 classes: 4,556,490 parameters.
 */
public final class AlexNet extends Module {

    /** Input channels, classes, the small-input variant, the first convolution's stride, the dropout probability. */
    public record AlexNetOptions(int inChannels, int numClasses, boolean smallInput, int firstStride, double dropout) {
        public AlexNetOptions {
            if (inChannels < 1 || numClasses < 1 || firstStride < 1) {
                throw new IllegalArgumentException("AlexNet: inChannels, numClasses and firstStride must be positive, got "
                        + inChannels + ", " + numClasses + ", " + firstStride);
            }
            if (!(dropout >= 0 && dropout <= 1)) throw new IllegalArgumentException("AlexNet: dropout must be in [0, 1], got " + dropout);
        }

        /** torchvision's model: 3 channels, stride 4, dropout 0.5. */
        public static AlexNetOptions imagenet(int numClasses) {
            return new AlexNetOptions(3, numClasses, false, 4, 0.5);
        }

        /** The small-input variant for 28×28 (stride 1 only) or 32×32 images. */
        public static AlexNetOptions small(int inChannels, int firstStride, int numClasses) {
            return new AlexNetOptions(inChannels, numClasses, true, firstStride, 0.5);
        }

        public AlexNetOptions withFirstStride(int s) {
            return new AlexNetOptions(inChannels, numClasses, smallInput, s, dropout);
        }

        public AlexNetOptions withDropout(double p) {
            return new AlexNetOptions(inChannels, numClasses, smallInput, firstStride, p);
        }
    }

    private final AlexNetOptions options;
    private final Sequential features, classifier;
    private final AdaptiveAvgPool2d avgpool;

    public AlexNet(AlexNetOptions o, Generator gen) {
        this.options = o;
        Conv2d.Conv2dOptions first = o.smallInput() ? Conv2d.options(o.inChannels(), 64, 3).withPadding(1)
                : Conv2d.options(o.inChannels(), 64, 11).withPadding(2);
        features = registerModule("features", new Sequential(
                new Conv2d(first.withStride(o.firstStride()), gen), new ReLU(), pool(),
                new Conv2d(Conv2d.options(64, 192, 5).withPadding(2), gen), new ReLU(), pool(),
                new Conv2d(Conv2d.options(192, 384, 3).withPadding(1), gen), new ReLU(),
                new Conv2d(Conv2d.options(384, 256, 3).withPadding(1), gen), new ReLU(),
                new Conv2d(Conv2d.options(256, 256, 3).withPadding(1), gen), new ReLU(), pool()));
        int side = o.smallInput() ? 2 : 6, hidden = o.smallInput() ? 1024 : 4096;
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(side));
        classifier = registerModule("classifier", new Sequential(
                new Dropout(o.dropout(), gen.split()), new Linear(256 * side * side, hidden, true, gen), new ReLU(),
                new Dropout(o.dropout(), gen.split()), new Linear(hidden, hidden, true, gen), new ReLU(),
                new Linear(hidden, o.numClasses(), true, gen)));
    }

    private static MaxPool2d pool() {
        return new MaxPool2d(MaxPool2dOptions.of(3).withStride(2));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = avgpool.call(features.call(x)).flatten(1, -1);
        return classifier.call(x);
    }

    public AlexNetOptions options() {
        return options;
    }

    @Override
    public String describe() {
        return "AlexNet(" + options + ")";
    }
}
