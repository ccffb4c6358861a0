package io.shendu.optim;

import io.shendu.nn.Linear;
import io.shendu.nn.Losses;
import io.shendu.nn.Reduction;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linear regression, y = x·w* + b* + noise, trained with each optimizer for 200 steps: the loss must fall at
 * least a hundredfold (all reach the noise floor).
 */
class TrainingTest {

    static Stream<UpdateRule<?>> optimizers() {
        return Stream.of(
                SGD.of(0.1),
                SGD.of(0.05).withMomentum(0.9).withNesterov(true),
                SGD.emaMomentum(0.1, 0.9),
                Adagrad.of(0.5),
                Adadelta.of(1.0).withEps(1e-4),
                RMSprop.of(0.02).withCentered(true),
                Adam.of(0.05),
                AdamW.of(0.05));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    <R extends UpdateRule<R>> void reducesTheLoss(R rule) {
        Generator gen = new Generator(11);
        Tensor x = Tensor.randn(gen, 64, 3);
        Tensor trueW = Tensor.of(new float[] {1.5f, -2f, 0.5f}, 3, 1);
        Tensor y = x.matmul(trueW).add(0.7f).add(Tensor.randn(gen, 64, 1).mul(0.01f));
        Linear model = new Linear(3, 1, true, new Generator(5));
        Optimizer<R> opt = new Optimizer<>(model.parameters(), rule);
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 200; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(model.forward(x), y, Reduction.MEAN);
            loss.backward();
            opt.step();
            last = loss.item();
            if (step == 0) first = last;
        }
        assertTrue(last < 0.01 * first, rule + ": loss went from " + first + " to " + last);
    }
}
