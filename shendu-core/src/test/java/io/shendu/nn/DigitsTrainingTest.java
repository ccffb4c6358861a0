package io.shendu.nn;

import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.train.History;
import io.shendu.train.Trainer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small networks learn the embedded MNIST digits: the loss falls and accuracy rises far above chance (0.1). */
class DigitsTrainingTest {

    private static final TensorDataset TRAIN = Mnist.embedded(Split.TRAIN).subset(0, 3000);
    private static final TensorDataset TEST = Mnist.embedded(Split.TEST).subset(0, 1000);

    private static History fit(Module model, int epochs) {
        Optimizer<Adam> opt = new Optimizer<>(model.parameters(), Adam.of(2e-3));
        Trainer t = new Trainer(model, opt, new CrossEntropyLoss()::forward, Trainer.Options.epochs(epochs));
        return t.fit(new DataLoader(TRAIN, DataLoader.Options.of(64).withShuffle(true).withSeed(1)),
                new DataLoader(TEST, DataLoader.Options.of(250)));
    }

    @Test
    void mlpLearnsTheDigits() {
        Generator g = new Generator(5);
        Module mlp = new Sequential(new Flatten(), new Linear(784, 128, true, g), new ReLU(), new Linear(128, 10, true, g));
        History h = fit(mlp, 3);
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss(), "loss falls: " + h.epochs());
        assertTrue(h.last().valAccuracy() > 0.85, "test accuracy " + h.last().valAccuracy());
    }

    @Test
    void smallCnnLearnsTheDigits() {
        Generator g = new Generator(6);
        Module cnn = new Sequential(
                new Conv2d(Conv2d.options(1, 8, 3).withPadding(1), g), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new Conv2d(Conv2d.options(8, 16, 3).withPadding(1), g), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.1, new Generator(7)), new Linear(16 * 7 * 7, 10, true, g));
        History h = fit(cnn, 2);
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss(), "loss falls: " + h.epochs());
        assertTrue(h.last().valAccuracy() > 0.85, "test accuracy " + h.last().valAccuracy());
    }
}
