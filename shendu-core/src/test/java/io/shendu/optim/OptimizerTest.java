package io.shendu.optim;

import io.shendu.io.Json;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.shendu.optim.UpdateRuleTest.random;
import static io.shendu.optim.UpdateRuleTest.toFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic optimizer: groups, gradients, version counter, and exact resumption from a state dict. */
class OptimizerTest {

    static Stream<UpdateRule<?>> rules() {
        return Stream.of(SGD.of(0.1).withMomentum(0.9).withNesterov(true), SGD.emaMomentum(0.1, 0.9),
                Adagrad.of(0.1).withLrDecay(0.01).withInitialAccumulatorValue(0.1), Adadelta.of(1.0),
                RMSprop.of(0.01).withCentered(true).withMomentum(0.9), Adam.of(0.01).withAmsgrad(true),
                AdamW.of(0.01));
    }

    /** N steps in one go equal k steps, a save through JSON (tensors beside it), a load into a fresh optimizer, and N − k steps. */
    @ParameterizedTest
    @MethodSource("rules")
    <R extends UpdateRule<R>> void resumesBitwise(R rule) {
        int total = 9, split = 4;
        List<float[][]> grads = new ArrayList<>();
        Generator gen = new Generator(3);
        for (int t = 0; t < total; t++) grads.add(new float[][] {toFloats(random(gen, 12, 1)), toFloats(random(gen, 3, 1))});
        float[][] start = {toFloats(random(gen, 12, 1)), toFloats(random(gen, 3, 1))};

        List<Tensor> straight = params(start);
        Optimizer<R> one = new Optimizer<>(straight, rule);
        run(one, straight, grads, 0, total);

        List<Tensor> first = params(start);
        Optimizer<R> before = new Optimizer<>(first, rule);
        run(before, first, grads, 0, split);
        before.paramGroups().getFirst().setLr(rule.lr() * 0.5); // as a scheduler would; must come back
        Map<String, Object> saved = throughCheckpoint(before.stateDict());

        List<Tensor> resumed = new ArrayList<>();
        for (Tensor p : first) resumed.add(Tensor.of(p.toFloatArray(), p.shape()));
        Optimizer<R> after = new Optimizer<>(resumed, rule);
        after.loadStateDict(saved);
        assertEquals(rule.lr() * 0.5, after.paramGroups().getFirst().lr());
        assertEquals(split, after.stepCount());
        after.paramGroups().getFirst().setLr(rule.lr());
        run(after, resumed, grads, split, total);

        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i).toFloatArray(), resumed.get(i).toFloatArray(), rule + ": parameter " + i);
            assertEquals(one.state(straight.get(i)).step(), after.state(resumed.get(i)).step());
        }
    }

    private static List<Tensor> params(float[][] values) {
        return List.of(Tensor.of(values[0], 3, 4), Tensor.of(values[1], 3));
    }

    private static void run(Optimizer<?> opt, List<Tensor> params, List<float[][]> grads, int from, int to) {
        for (int t = from; t < to; t++) {
            for (int i = 0; i < params.size(); i++) params.get(i).setGrad(Tensor.of(grads.get(t)[i], params.get(i).shape()));
            opt.step();
        }
    }

    /** As a checkpoint stores it: tensors set aside (for safetensors), the rest written as JSON and parsed back. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> throughCheckpoint(Map<String, Object> dict) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Object> states = (Map<String, Object>) dict.get("state");
        Map<String, Object> stripped = new LinkedHashMap<>(dict);
        Map<String, Object> strippedStates = new LinkedHashMap<>();
        states.forEach((index, s) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            ((Map<String, Object>) s).forEach((name, v) -> {
                if (v instanceof Tensor t) tensors.put(index + "." + name, t);
                else entry.put(name, v);
            });
            strippedStates.put(index, entry);
        });
        stripped.put("state", strippedStates);
        Map<String, Object> parsed = (Map<String, Object>) Json.parse(Json.write(stripped));
        ((Map<String, Object>) parsed.get("state")).forEach((index, s) ->
                tensors.forEach((key, t) -> {
                    if (key.startsWith(index + ".")) ((Map<String, Object>) s).put(key.substring(index.length() + 1), t);
                }));
        return parsed;
    }

    @Test
    void skipsParametersWithoutGradient() {
        Tensor a = Tensor.vector(1, 2), b = Tensor.vector(3, 4);
        Optimizer<SGD> opt = new Optimizer<>(List.of(a, b), SGD.of(0.5).withMomentum(0.9));
        a.setGrad(Tensor.vector(1, 1));
        opt.step();
        assertArrayEquals(new float[] {0.5f, 1.5f}, a.toFloatArray());
        assertArrayEquals(new float[] {3, 4}, b.toFloatArray());
        assertNull(opt.state(b));
        assertEquals(1, opt.state(a).step());
        assertEquals(1, opt.stepCount());
    }

    @Test
    void groupsHaveTheirOwnHyperParameters() {
        Tensor a = Tensor.vector(1), b = Tensor.vector(1);
        Optimizer<SGD> opt = new Optimizer<>(List.of(new ParamGroup<>(List.of(a), SGD.of(0.1)),
                new ParamGroup<>(List.of(b), SGD.of(0.01))));
        a.setGrad(Tensor.vector(1));
        b.setGrad(Tensor.vector(1));
        opt.step();
        assertEquals(0.9f, a.item());
        assertEquals(0.99f, b.item());
        opt.paramGroups().get(1).setLr(0.5);
        opt.step();
        assertEquals(0.49f, b.item(), 1e-7);
    }

    @Test
    void zeroGradClearsAndStepBumpsTheVersion() {
        Tensor p = Tensor.vector(1, 2, 3).requiresGrad(true);
        Optimizer<Adam> opt = new Optimizer<>(List.of(p), Adam.of(0.1));
        p.mul(p).sum().backward();
        int version = p.version();
        opt.step();
        assertTrue(p.version() > version, "step must mark the parameter modified");
        opt.zeroGrad();
        assertNull(p.grad());
    }

    @Test
    void updatesAViewWithAnOffsetAndReadsAViewGradient() {
        Tensor storage = Tensor.of(new float[] {9, 9, 1, 2, 3, 4, 9}, 7);
        Tensor p = storage.narrow(0, 2, 4).reshape(2, 2); // contiguous, offset 2
        Tensor q = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor g = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).t(); // a transposed (non-contiguous) gradient
        p.setGrad(g);
        q.setGrad(g.contiguous());
        new Optimizer<>(List.of(p), Adam.of(0.1)).step();
        new Optimizer<>(List.of(q), Adam.of(0.1)).step();
        assertArrayEquals(q.toFloatArray(), p.toFloatArray());
        float[] all = storage.toFloatArray();
        assertEquals(9f, all[0]);
        assertEquals(9f, all[1]);
        assertEquals(9f, all[6]);
    }

    @Test
    void rejectsWhatItCannotUpdate() {
        Tensor leaf = Tensor.vector(1, 2).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> new Optimizer<>(List.of(leaf.mul(2f)), SGD.of(0.1)));
        assertThrows(IllegalArgumentException.class, () -> new Optimizer<>(List.of(leaf, leaf), SGD.of(0.1)));
        assertThrows(IllegalArgumentException.class, () -> new Optimizer<>(List.of(Tensor.zeros(2, 3).t()), SGD.of(0.1)));
        assertThrows(IllegalArgumentException.class, () -> new Optimizer<>(List.of(), SGD.of(0.1)));
        assertThrows(IllegalArgumentException.class, () -> new Optimizer<>(List.of(Tensor.ofInts(new int[] {1}, 1)), SGD.of(0.1)));
    }

    @Test
    void validatesHyperParameters() {
        assertThrows(IllegalArgumentException.class, () -> SGD.of(-1));
        assertThrows(IllegalArgumentException.class, () -> SGD.of(0.1).withNesterov(true));
        assertThrows(IllegalArgumentException.class, () -> SGD.emaMomentum(0.1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Adam.of(0.1).withBetas(1.0, 0.999));
        assertThrows(IllegalArgumentException.class, () -> Adagrad.of(0.1).withEps(-1));
        assertThrows(IllegalArgumentException.class, () -> Adadelta.of(1).withRho(1.5));
        assertThrows(IllegalArgumentException.class, () -> RMSprop.of(0.1).withMomentum(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> AdamW.of(0.1).withWeightDecay(-0.1));
    }

    @Test
    void loadStateDictChecksWhatItLoads() {
        Tensor p = Tensor.vector(1, 2);
        Optimizer<Adam> adam = new Optimizer<>(List.of(p), Adam.of(0.1));
        p.setGrad(Tensor.vector(1, 1));
        adam.step();
        Map<String, Object> dict = adam.stateDict();
        Optimizer<AdamW> other = new Optimizer<>(List.of(Tensor.vector(1, 2)), AdamW.of(0.1));
        assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(dict), "another rule");
        Optimizer<Adam> bigger = new Optimizer<>(List.of(Tensor.vector(1, 2, 3)), Adam.of(0.1));
        assertThrows(IllegalArgumentException.class, () -> bigger.loadStateDict(dict), "another size");
        assertNull(bigger.state(bigger.paramGroups().getFirst().params().getFirst()), "a failed load changes nothing");
        Optimizer<Adam> twoParams = new Optimizer<>(List.of(Tensor.vector(1, 2), Tensor.vector(3)), Adam.of(0.1));
        assertThrows(IllegalArgumentException.class, () -> twoParams.loadStateDict(dict), "another parameter count");
    }

    @Test
    void stateDictUsesPyTorchNames() {
        Tensor p = Tensor.vector(1, 2);
        Optimizer<Adam> opt = new Optimizer<>(List.of(p), Adam.of(0.1).withAmsgrad(true));
        p.setGrad(Tensor.vector(1, 1));
        opt.step();
        Map<String, Object> dict = opt.stateDict();
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) ((Map<String, Object>) dict.get("state")).get("0");
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), List.copyOf(s.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> group = (Map<String, Object>) ((List<Object>) dict.get("param_groups")).getFirst();
        assertEquals("Adam", group.get("rule"));
        assertEquals(List.of(0.9, 0.999), group.get("betas"));
        assertEquals(List.of(0), group.get("params"));
        assertFalse(group.containsKey("initial_lr"));
        new StepLR(opt, 1, 0.5);
        assertNotEquals(null, ((Map<?, ?>) ((List<?>) opt.stateDict().get("param_groups")).getFirst()).get("initial_lr"));
    }
}
