package io.shendu.optim;

import io.shendu.optim.OneCycleLR.Anneal;
import io.shendu.optim.OneCycleLR.OneCycleOptions;
import io.shendu.optim.ReduceLROnPlateau.MetricMode;
import io.shendu.optim.ReduceLROnPlateau.PlateauOptions;
import io.shendu.optim.ReduceLROnPlateau.ThresholdMode;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each schedule's lr for step t = 0, 1, ... (after t calls of step()) against its closed formula. */
class SchedulerTest {

    private static Optimizer<SGD> sgd(double lr) {
        return new Optimizer<>(List.of(Tensor.zeros(2)), SGD.of(lr).withMomentum(0.9));
    }

    private static void assertSchedule(LRScheduler s, int steps, IntToDoubleFunction expected) {
        for (int t = 0; t < steps; t++) {
            if (t > 0) s.step();
            double want = expected.applyAsDouble(t);
            assertEquals(want, s.lastLr()[0], 1e-12 + 1e-9 * Math.abs(want), "step " + t);
            assertEquals(want, s.optimizer().paramGroups().getFirst().lr(), 1e-12 + 1e-9 * Math.abs(want), "group lr at step " + t);
        }
    }

    @Test
    void stepLR() {
        assertSchedule(new StepLR(sgd(1.0), 3, 0.5), 12, t -> Math.pow(0.5, t / 3));
    }

    @Test
    void multiStepLRCountsRepeatedMilestones() {
        assertSchedule(new MultiStepLR(sgd(1.0), new int[] {5, 2, 5}, 0.1), 8,
                t -> Math.pow(0.1, (t >= 2 ? 1 : 0) + (t >= 5 ? 2 : 0)));
    }

    @Test
    void exponentialLR() {
        assertSchedule(new ExponentialLR(sgd(0.1), 0.9), 20, t -> 0.1 * Math.pow(0.9, t));
    }

    @Test
    void cosineAnnealingAlsoPastTMax() {
        assertSchedule(new CosineAnnealingLR(sgd(0.1), 8, 0.001), 30,
                t -> 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * t / 8)) / 2);
    }

    @Test
    void linearWarmup() {
        assertSchedule(new LinearLR(sgd(0.1), 0.1, 1.0, 5), 10, t -> 0.1 * (0.1 + 0.9 * Math.min(t, 5) / 5.0));
    }

    @Test
    void oneCycleSetsLrAndMomentum() {
        Optimizer<SGD> opt = sgd(0.5);
        var s = new OneCycleLR(opt, 0.1, 20, OneCycleOptions.defaults());
        double initial = 0.1 / 25, min = initial / 1e4;
        for (int t = 0; t < 20; t++) {
            if (t > 0) s.step();
            double pct = t <= 5 ? t / 5.0 : (t - 5) / 14.0;
            double lr = t <= 5 ? cos(initial, 0.1, pct) : cos(0.1, min, pct);
            double momentum = t <= 5 ? cos(0.95, 0.85, pct) : cos(0.85, 0.95, pct);
            assertEquals(lr, s.lastLr()[0], 1e-15, "lr at " + t);
            assertEquals(momentum, opt.paramGroups().getFirst().momentum(), 1e-15, "momentum at " + t);
        }
        s.step(); // step 20 = total_steps is still allowed, as in PyTorch
        assertThrows(IllegalStateException.class, s::step);
    }

    @Test
    void oneCycleThreePhaseLinearCyclesAdamsBeta1() {
        Optimizer<Adam> opt = new Optimizer<>(List.of(Tensor.zeros(2)), Adam.of(0.01));
        var s = new OneCycleLR(opt, 0.2, 20, OneCycleOptions.defaults().withAnneal(Anneal.LINEAR).withThreePhase(true));
        double initial = 0.2 / 25;
        double[] expected = new double[20];
        for (int t = 0; t < 20; t++) {
            expected[t] = t <= 5 ? initial + (0.2 - initial) * t / 5.0
                    : t <= 10 ? 0.2 + (initial - 0.2) * (t - 5) / 5.0
                    : initial + (initial / 1e4 - initial) * (t - 10) / 9.0;
        }
        assertSchedule(s, 20, t -> expected[t]);
        assertEquals(0.95, opt.paramGroups().getFirst().rule().beta1(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> new OneCycleLR(new Optimizer<>(List.of(Tensor.zeros(1)), Adagrad.of(0.1)), 0.1, 10, OneCycleOptions.defaults()));
    }

    @Test
    void warmupThenCosine() {
        Optimizer<SGD> opt = sgd(0.1);
        var warmup = new LinearLR(opt, 0.1, 1.0, 5);
        var cosine = new CosineAnnealingLR(opt, 15, 0.0);
        var s = new SequentialLR(opt, List.of(warmup, cosine), new int[] {5});
        assertSchedule(s, 25, t -> t < 5 ? 0.1 * (0.1 + 0.9 * t / 5.0) : 0.1 * (1 + Math.cos(Math.PI * (t - 5) / 15)) / 2);
    }

    @Test
    void chainedFactorsMultiply() {
        Optimizer<SGD> opt = sgd(1.0);
        var s = new ChainedScheduler(List.of(new LinearLR(opt, 0.5, 1.0, 4), new ExponentialLR(opt, 0.9)));
        assertSchedule(s, 10, t -> (0.5 + 0.5 * Math.min(t, 4) / 4.0) * Math.pow(0.9, t));
    }

    @Test
    void resumesFromLastEpochWithTheOptimizersInitialLr() {
        Optimizer<SGD> opt = sgd(1.0);
        var s = new StepLR(opt, 3, 0.5);
        for (int t = 0; t < 4; t++) s.step();
        Optimizer<SGD> resumed = sgd(1.0);
        resumed.loadStateDict(opt.stateDict());
        var again = new StepLR(resumed, 3, 0.5, s.lastEpoch());
        s.step();
        assertEquals(s.lastEpoch(), again.lastEpoch());
        for (int t = 0; t < 6; t++) {
            assertArrayEquals(s.lastLr(), again.lastLr(), "step " + s.lastEpoch());
            s.step();
            again.step();
        }
        assertThrows(IllegalStateException.class, () -> new StepLR(sgd(1.0), 3, 0.5, 4), "no initial lr to resume from");
    }

    @Test
    void stateDictRestoresThePosition() {
        Optimizer<SGD> opt = sgd(1.0);
        var s = new CosineAnnealingLR(opt, 10, 0.0);
        for (int t = 0; t < 3; t++) s.step();
        Optimizer<SGD> other = sgd(1.0);
        other.loadStateDict(opt.stateDict());
        var copy = new CosineAnnealingLR(other, 10, 0.0);
        copy.loadStateDict(s.stateDict());
        other.loadStateDict(opt.stateDict()); // the constructor's step 0 changed nothing that the state does not restore
        for (int t = 0; t < 5; t++) {
            s.step();
            copy.step();
            assertArrayEquals(s.lastLr(), copy.lastLr());
        }
    }

    @Test
    void reduceOnPlateauWaitsPatienceThenCoolsDown() {
        Optimizer<SGD> opt = sgd(1.0);
        var s = new ReduceLROnPlateau(opt, PlateauOptions.defaults().withPatience(2).withFactor(0.5).withCooldown(1).withMinLr(0.2));
        double[] metrics = {1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};
        double[] lrs = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25};
        for (int e = 0; e < metrics.length; e++) {
            s.step(metrics[e]);
            assertEquals(lrs[e], s.lastLr()[0], 1e-15, "epoch " + e);
        }
        for (int e = 0; e < 8; e++) s.step(0.9);
        assertEquals(0.2, s.lastLr()[0], 1e-15, "never below min lr");
    }

    @Test
    void reduceOnPlateauModesAndThresholds() {
        var max = new ReduceLROnPlateau(sgd(1.0), PlateauOptions.defaults().withMode(MetricMode.MAX).withPatience(0));
        max.step(0.5);
        max.step(0.6);
        assertEquals(1.0, max.lastLr()[0]);
        max.step(0.6);
        assertEquals(0.1, max.lastLr()[0], 1e-15);
        var abs = new ReduceLROnPlateau(sgd(1.0), PlateauOptions.defaults().withThreshold(0.1, ThresholdMode.ABS).withPatience(0));
        abs.step(1.0);
        abs.step(0.95); // improves by less than the threshold: a bad epoch
        assertEquals(0.1, abs.lastLr()[0], 1e-15);
        assertEquals(1.0, abs.best());
        assertThrows(IllegalArgumentException.class, () -> PlateauOptions.defaults().withFactor(1.0));
    }

    private static double cos(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }
}
