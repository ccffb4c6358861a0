package io.shendu.optim;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each rule's fused float loop against its plain formula, written here element by element in double, on random
 * parameters and gradients over several steps: tiny, odd and big parameters (the big one is split across
 * threads), with the state arrays compared by PyTorch's names.
 */
class UpdateRuleTest {

    /** The plain formula of one rule for one element; {@code s} holds that element's state by name. */
    @FunctionalInterface
    interface Formula {
        /** Returns the new parameter value. */
        double step(double p, double g, long t, State s, int i);
    }

    /** The formula's per-parameter state: named double arrays, created on first use. */
    static final class State {
        final int size;
        final Map<String, double[]> arrays = new LinkedHashMap<>();

        State(int size) {
            this.size = size;
        }

        double[] get(String name, double initial) {
            return arrays.computeIfAbsent(name, k -> {
                double[] b = new double[size];
                Arrays.fill(b, initial);
                return b;
            });
        }
    }

    private static final int STEPS = 6;
    private static final int[][] SHAPES = {{1}, {7}, {3, 5}, {70_001}};

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("sgd", SGD.of(0.1), sgd(SGD.of(0.1))),
                sgdCase("sgd_momentum", SGD.of(0.05).withMomentum(0.9)),
                sgdCase("sgd_dampening", SGD.of(0.05).withMomentum(0.9).withDampening(0.3)),
                sgdCase("sgd_nesterov", SGD.of(0.05).withMomentum(0.8).withNesterov(true)),
                sgdCase("sgd_weight_decay", SGD.of(0.1).withWeightDecay(0.01)),
                sgdCase("sgd_all", SGD.of(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(0.02).withMaximize(true)),
                adagradCase("adagrad", Adagrad.of(0.1)),
                adagradCase("adagrad_decay", Adagrad.of(0.1).withLrDecay(0.05).withWeightDecay(0.01).withInitialAccumulatorValue(0.1)),
                adagradCase("adagrad_maximize", Adagrad.of(0.1).withMaximize(true).withEps(1e-6)),
                adadeltaCase("adadelta", Adadelta.of(1.0)),
                adadeltaCase("adadelta_lr_wd", Adadelta.of(0.5).withRho(0.8).withWeightDecay(0.05)),
                rmspropCase("rmsprop", RMSprop.of(0.01)),
                rmspropCase("rmsprop_centered", RMSprop.of(0.01).withCentered(true)),
                rmspropCase("rmsprop_momentum", RMSprop.of(0.01).withMomentum(0.9)),
                rmspropCase("rmsprop_all", RMSprop.of(0.01).withCentered(true).withMomentum(0.5).withWeightDecay(0.1).withAlpha(0.9)),
                adamCase("adam", Adam.of(0.01)),
                adamCase("adam_amsgrad", Adam.of(0.01).withAmsgrad(true)),
                adamCase("adam_weight_decay", Adam.of(0.01).withWeightDecay(0.1).withBetas(0.8, 0.99).withMaximize(true)),
                adamWCase("adamw", AdamW.of(0.01)),
                adamWCase("adamw_amsgrad", AdamW.of(0.02).withAmsgrad(true).withWeightDecay(0.1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    <R extends UpdateRule<R>> void fusedUpdateMatchesFormula(String name, R rule, Formula formula) {
        Generator gen = new Generator(name.hashCode());
        for (int[] shape : SHAPES) {
            int n = Tensor.zeros(shape).numel();
            double[] expected = random(gen, n, 1);
            Tensor p = Tensor.of(toFloats(expected), shape);
            Optimizer<R> opt = new Optimizer<>(List.of(p), rule);
            State state = new State(n);
            for (int t = 1; t <= STEPS; t++) {
                // Gradients of varying scale, so amsgrad's running max matters.
                double[] g = random(gen, n, t % 2 == 0 ? 3 : 0.2);
                p.setGrad(Tensor.of(toFloats(g), shape));
                opt.step();
                for (int i = 0; i < n; i++) expected[i] = formula.step(expected[i], (float) g[i], t, state, i);
                assertClose(name + " " + n + " elements, step " + t, expected, p.toFloatArray(), 1e-6);
            }
            Map<String, float[]> actualState = opt.state(p).buffers();
            assertEquals(state.arrays.keySet(), actualState.keySet(), name + ": state names");
            state.arrays.forEach((key, values) -> assertClose(name + " state " + key, values, actualState.get(key), 1e-5));
            assertEquals(STEPS, opt.state(p).step());
        }
    }

    @Test
    void emaMomentumIsTheLecturesMovingAverage() {
        double lr = 0.1, gamma = 0.9;
        Generator gen = new Generator(7);
        double[] theta = random(gen, 10, 1), m = new double[10];
        Tensor p = Tensor.of(toFloats(theta), 10);
        Optimizer<SGD> opt = new Optimizer<>(List.of(p), SGD.emaMomentum(lr, gamma));
        for (int t = 1; t <= 8; t++) {
            double[] g = random(gen, 10, 1);
            p.setGrad(Tensor.of(toFloats(g), 10));
            opt.step();
            for (int i = 0; i < 10; i++) {
                double gi = (float) g[i];
                double previous = t == 1 ? gi : m[i]; // the average starts at the first gradient: m₀ = g₁
                m[i] = gamma * previous + (1 - gamma) * gi;
                theta[i] -= lr * m[i];
            }
            assertClose("ema momentum step " + t, theta, p.toFloatArray(), 1e-6);
        }
    }

    // ------------------------------------------------------------------ the plain formulas

    private static Arguments sgdCase(String name, SGD rule) {
        return Arguments.of(name, rule, sgd(rule));
    }

    private static Formula sgd(SGD r) {
        return (p, g, t, s, i) -> {
            double d = (r.maximize() ? -g : g) + r.weightDecay() * p;
            if (r.momentum() != 0) {
                double[] b = s.get("momentum_buffer", 0);
                b[i] = t == 1 ? d : r.momentum() * b[i] + (1 - r.dampening()) * d;
                d = r.nesterov() ? d + r.momentum() * b[i] : b[i];
            }
            return p - r.lr() * d;
        };
    }

    private static Arguments adagradCase(String name, Adagrad r) {
        Formula f = (p, g, t, s, i) -> {
            double d = (r.maximize() ? -g : g) + r.weightDecay() * p;
            double[] sum = s.get("sum", (float) r.initialAccumulatorValue());
            double clr = r.lr() / (1 + (t - 1) * r.lrDecay());
            sum[i] += d * d;
            return p - clr * d / (Math.sqrt(sum[i]) + r.eps());
        };
        return Arguments.of(name, r, f);
    }

    private static Arguments adadeltaCase(String name, Adadelta r) {
        Formula f = (p, g, t, s, i) -> {
            double d = (r.maximize() ? -g : g) + r.weightDecay() * p;
            double[] v = s.get("square_avg", 0), u = s.get("acc_delta", 0);
            v[i] = r.rho() * v[i] + (1 - r.rho()) * d * d;
            double delta = Math.sqrt(u[i] + r.eps()) / Math.sqrt(v[i] + r.eps()) * d;
            u[i] = r.rho() * u[i] + (1 - r.rho()) * delta * delta;
            return p - r.lr() * delta;
        };
        return Arguments.of(name, r, f);
    }

    private static Arguments rmspropCase(String name, RMSprop r) {
        Formula f = (p, g, t, s, i) -> {
            double d = (r.maximize() ? -g : g) + r.weightDecay() * p;
            double[] v = s.get("square_avg", 0);
            v[i] = r.alpha() * v[i] + (1 - r.alpha()) * d * d;
            double denominator;
            if (r.centered()) {
                double[] avg = s.get("grad_avg", 0);
                avg[i] = r.alpha() * avg[i] + (1 - r.alpha()) * d;
                denominator = Math.sqrt(v[i] - avg[i] * avg[i]) + r.eps();
            } else {
                denominator = Math.sqrt(v[i]) + r.eps();
            }
            if (r.momentum() > 0) {
                double[] b = s.get("momentum_buffer", 0);
                b[i] = r.momentum() * b[i] + d / denominator;
                return p - r.lr() * b[i];
            }
            return p - r.lr() * d / denominator;
        };
        return Arguments.of(name, r, f);
    }

    private static Arguments adamCase(String name, Adam r) {
        return Arguments.of(name, r, adam(r.lr(), r.beta1(), r.beta2(), r.eps(), r.weightDecay(), 0, r.amsgrad(), r.maximize()));
    }

    private static Arguments adamWCase(String name, AdamW r) {
        return Arguments.of(name, r, adam(r.lr(), r.beta1(), r.beta2(), r.eps(), 0, r.weightDecay(), r.amsgrad(), r.maximize()));
    }

    private static Formula adam(double lr, double b1, double b2, double eps, double l2, double decoupled,
                                boolean amsgrad, boolean maximize) {
        return (p, g, t, s, i) -> {
            p *= 1 - lr * decoupled;
            double d = (maximize ? -g : g) + l2 * p;
            double[] m = s.get("exp_avg", 0), v = s.get("exp_avg_sq", 0);
            m[i] = b1 * m[i] + (1 - b1) * d;
            v[i] = b2 * v[i] + (1 - b2) * d * d;
            double second = v[i];
            if (amsgrad) {
                double[] vMax = s.get("max_exp_avg_sq", 0);
                second = vMax[i] = Math.max(vMax[i], v[i]);
            }
            double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = second / (1 - Math.pow(b2, t));
            return p - lr * mHat / (Math.sqrt(vHat) + eps);
        };
    }

    // ------------------------------------------------------------------ helpers

    static double[] random(Generator gen, int n, double scale) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = (float) (gen.nextGaussian() * scale);
        return out;
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }

    /**
     * Float against double: {@code atol} covers sums whose terms cancel (a momentum buffer of ±1 terms can end
     * near 0), the relative part everything else.
     */
    static void assertClose(String what, double[] expected, float[] actual, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double allowed = atol + 2e-5 * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= allowed)) {
                fail(what + ": element " + i + " is " + actual[i] + ", formula gives " + expected[i]);
            }
        }
    }
}
