package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Dropout;
import io.shendu.nn.Flatten;
import io.shendu.nn.Linear;
import io.shendu.nn.MaxPool2d;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * A small CNN with batch normalisation (Ioffe and Szegedy 2015) for 28×28 images: {@code features} (conv
 * 1→32 3×3 pad 1, batch norm, ReLU, max pool 2; conv 32→64 3×3 pad 1, batch norm, ReLU, max pool 2) and
 * {@code classifier} (flatten, 3136 → 128, ReLU, dropout 0.25, 128 → classes). 421,834 parameters for one
 * input channel and 10 classes. PyTorch's default initialisation.
 */
public final class BnCnn extends Module {

    private final Sequential features, classifier;

    /** @param imageSize the input side; must be divisible by 4 (28 for MNIST) */
    public BnCnn(int inChannels, int imageSize, int numClasses, Generator gen) {
        if (inChannels < 1 || numClasses < 1 || imageSize < 4 || imageSize % 4 != 0) {
            throw new IllegalArgumentException("BnCnn: need positive channels and classes and an image side divisible "
                    + "by 4, got channels=" + inChannels + " image=" + imageSize + " classes=" + numClasses);
        }
        features = registerModule("features", new Sequential(
                new Conv2d(Conv2d.options(inChannels, 32, 3).withPadding(1), gen), new BatchNorm2d(32), new ReLU(),
                new MaxPool2d(2),
                new Conv2d(Conv2d.options(32, 64, 3).withPadding(1), gen), new BatchNorm2d(64), new ReLU(),
                new MaxPool2d(2)));
        int side = imageSize / 4;
        classifier = registerModule("classifier", new Sequential(
                new Flatten(), new Linear(64 * side * side, 128, true, gen), new ReLU(),
                new Dropout(0.25, gen.split()), new Linear(128, numClasses, true, gen)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(features.call(x));
    }
}
