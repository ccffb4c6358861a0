package io.shendu.nn;

import io.shendu.autograd.Autograd;
import io.shendu.backend.Backends;
import io.shendu.backend.reference.ReferenceBackend;
import io.shendu.nn.Recurrent.LayerWeights;
import io.shendu.nn.Recurrent.Mode;
import io.shendu.nn.Recurrent.Options;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RNN, LSTM and GRU: names, shapes, the fused layer against the composed cells, truncated BPTT, errors. */
class RecurrentLayerTest {

    private static final Options TWO_LAYERS_BATCH_FIRST = Options.DEFAULTS.withNumLayers(2).withBatchFirst(true);

    private static Recurrent module(Mode mode, int in, int hidden, Options options, long seed) {
        Generator g = new Generator(seed);
        return switch (mode) {
            case RNN_TANH -> new RNN(in, hidden, RNN.Nonlinearity.TANH, options, g);
            case RNN_RELU -> new RNN(in, hidden, RNN.Nonlinearity.RELU, options, g);
            case LSTM -> new LSTM(in, hidden, options, g);
            case GRU -> new GRU(in, hidden, options, g);
        };
    }

    private static Recurrent.Result forward(Recurrent m, Tensor x, Tensor h0, Tensor c0) {
        return switch (m) {
            case RNN r -> r.forward(x, h0);
            case LSTM l -> l.forward(x, h0, c0);
            case GRU g -> g.forward(x, h0);
        };
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void parametersHavePyTorchNamesShapesAndInitialisation(Mode mode) {
        Recurrent m = module(mode, 3, 5, Options.DEFAULTS.withNumLayers(2), 1);
        int rows = mode.gates * 5;
        List<String> names = List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1");
        assertEquals(names, List.copyOf(m.stateDict().keySet()));
        assertArrayEquals(new int[] {rows, 3}, m.stateDict().get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {rows, 5}, m.stateDict().get("weight_ih_l1").shape());
        assertArrayEquals(new int[] {rows, 5}, m.stateDict().get("weight_hh_l1").shape());
        assertArrayEquals(new int[] {rows}, m.stateDict().get("bias_hh_l1").shape());
        float bound = (float) (1 / Math.sqrt(5));
        for (Tensor p : m.parameters()) {
            float[] v = p.toFloatArray();
            for (float f : v) assertTrue(Math.abs(f) <= bound, () -> "U(±1/√H) init: " + f);
            assertTrue(p.abs().max().item() > bound / 2, "weights spread over the range");
        }
        Recurrent noBias = module(mode, 3, 5, Options.DEFAULTS.withBias(false), 1);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(noBias.stateDict().keySet()));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void shapesBatchFirstAndTimeMajor(Mode mode) {
        Recurrent m = module(mode, 4, 6, TWO_LAYERS_BATCH_FIRST, 2);
        Recurrent.Result r = forward(m, Tensor.randn(new Generator(3), 3, 7, 4), null, null);
        assertArrayEquals(new int[] {3, 7, 6}, r.output().shape());
        assertArrayEquals(new int[] {2, 3, 6}, r.h().shape());
        if (mode == Mode.LSTM) assertArrayEquals(new int[] {2, 3, 6}, r.c().shape());
        else assertNull(r.c());
        Recurrent timeMajor = module(mode, 4, 6, Options.DEFAULTS, 2);
        assertArrayEquals(new int[] {7, 3, 6}, timeMajor.forward(Tensor.randn(new Generator(3), 7, 3, 4)).shape());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void finalStateIsTheLastOutputAndZeroStatesAreTheDefault(Mode mode) {
        Recurrent m = module(mode, 3, 4, TWO_LAYERS_BATCH_FIRST, 4);
        Tensor x = Tensor.randn(new Generator(5), 2, 5, 3);
        Recurrent.Result r = forward(m, x, null, null);
        assertArrayEquals(r.output().select(1, 4).toFloatArray(), r.h().select(0, 1).toFloatArray());
        Tensor zeros = Tensor.zeros(2, 2, 4);
        Recurrent.Result explicit = forward(m, x, zeros, mode == Mode.LSTM ? zeros : null);
        assertArrayEquals(r.output().toFloatArray(), explicit.output().toFloatArray());
    }

    /** The fused layer against the recurrence written with tensor ops: outputs and every gradient. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void fusedLayerMatchesComposedCells(Mode mode) {
        for (boolean bias : new boolean[] {true, false}) {
            for (boolean batchFirst : new boolean[] {true, false}) {
                Options options = Options.DEFAULTS.withNumLayers(2).withBias(bias).withBatchFirst(batchFirst);
                Recurrent m = module(mode, 3, 5, options, 6);
                Tensor x = Tensor.randn(new Generator(7), batchFirst ? 4 : 6, batchFirst ? 6 : 4, 3);
                Tensor h0 = Tensor.randn(new Generator(8), 2, 4, 5).mul(0.5f);
                Tensor c0 = mode == Mode.LSTM ? Tensor.randn(new Generator(9), 2, 4, 5).mul(0.5f) : null;
                Tensor[] fused = outputsAndGrads(m, mode, x, h0, c0, batchFirst, true);
                Tensor[] composed = outputsAndGrads(m, mode, x, h0, c0, batchFirst, false);
                for (int i = 0; i < fused.length; i++) {
                    assertArrayEquals(composed[i].toFloatArray(), fused[i].toFloatArray(), 2e-5f,
                            mode + " bias=" + bias + " batchFirst=" + batchFirst + ": result " + i);
                }
            }
        }
    }

    /** Outputs, h_n, (c_n,) then the gradients of a fixed random projection of them w.r.t. x, h0, (c0,) weights. */
    private static Tensor[] outputsAndGrads(Recurrent m, Mode mode, Tensor x0, Tensor h00, Tensor c00,
                                            boolean batchFirst, boolean fused) {
        Tensor x = x0.copy().requiresGrad(true), h0 = h00.copy().requiresGrad(true);
        Tensor c0 = c00 == null ? null : c00.copy().requiresGrad(true);
        Recurrent.Result r = Recurrent.runLayers("test", mode, x, h0, c0, m.layers(), batchFirst, 0, null, fused);
        List<Tensor> outs = new ArrayList<>(List.of(r.output(), r.h()));
        if (c0 != null) outs.add(r.c());
        List<Tensor> wrt = new ArrayList<>(List.of(x, h0));
        if (c0 != null) wrt.add(c0);
        wrt.addAll(m.parameters());
        Tensor[] up = new Tensor[outs.size()];
        for (int i = 0; i < up.length; i++) up[i] = Tensor.randn(new Generator(100 + i), outs.get(i).shape());
        Tensor[] g = Autograd.grad(outs.toArray(Tensor[]::new), wrt.toArray(Tensor[]::new), up, false);
        List<Tensor> all = new ArrayList<>(outs);
        all.addAll(List.of(g));
        return all.toArray(Tensor[]::new);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fastAndReferenceBackendsAgree(Mode mode) {
        Recurrent m = module(mode, 3, 4, TWO_LAYERS_BATCH_FIRST, 10);
        Tensor x = Tensor.randn(new Generator(11), 2, 5, 3), h0 = Tensor.randn(new Generator(12), 2, 2, 4);
        Tensor c0 = mode == Mode.LSTM ? Tensor.randn(new Generator(13), 2, 2, 4) : null;
        Tensor[] fast = outputsAndGrads(m, mode, x, h0, c0, true, true);
        Tensor[] reference;
        try (var ignored = Backends.use(ReferenceBackend.INSTANCE)) {
            reference = outputsAndGrads(m, mode, x, h0, c0, true, true);
        }
        for (int i = 0; i < fast.length; i++) assertArrayEquals(reference[i].toFloatArray(), fast[i].toFloatArray(), 2e-5f);
    }

    /**
     * Truncated BPTT: the second chunk starts from the first chunk's final states, detached. Its forward equals the
     * uninterrupted run's, and its backward stops at the chunk boundary: nothing reaches the first chunk's input.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void truncatedBackpropagationThroughTimeStopsAtDetachedStates(Mode mode) {
        Recurrent m = module(mode, 3, 4, TWO_LAYERS_BATCH_FIRST, 14);
        Tensor whole = Tensor.randn(new Generator(15), 2, 8, 3);
        Tensor first = whole.narrow(1, 0, 5).copy().requiresGrad(true), second = whole.narrow(1, 5, 3).copy().requiresGrad(true);
        Recurrent.Result a = forward(m, first, null, null);
        Tensor h = a.h().detach(), c = a.c() == null ? null : a.c().detach();
        Recurrent.Result b = forward(m, second, h, c);
        assertArrayEquals(forward(m, whole, null, null).output().narrow(1, 5, 3).toFloatArray(),
                b.output().toFloatArray(), 1e-6f);

        b.output().sum().backward();
        assertNull(first.grad(), "no gradient crosses the detached state into the first chunk");
        assertNotNull(second.grad());
        Tensor[] viaDetached = m.parameters().stream().map(Tensor::grad).toArray(Tensor[]::new);

        // The same as a fresh run of the second chunk from constant initial states.
        m.zeroGrad();
        forward(m, second.detach(), h.copy(), c == null ? null : c.copy()).output().sum().backward();
        for (int i = 0; i < viaDetached.length; i++) {
            assertArrayEquals(m.parameters().get(i).grad().toFloatArray(), viaDetached[i].toFloatArray(), 1e-6f);
        }
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Options options = TWO_LAYERS_BATCH_FIRST.withDropout(0.5);
        Tensor x = Tensor.randn(new Generator(16), 2, 4, 3);
        LSTM withDropout = new LSTM(3, 4, options, new Generator(17));
        LSTM without = new LSTM(3, 4, TWO_LAYERS_BATCH_FIRST, new Generator(17));
        float[] plain = without.forward(x).toFloatArray();
        assertTrue(maxDiff(plain, withDropout.forward(x).toFloatArray()) > 1e-3, "training applies dropout");
        withDropout.eval();
        assertArrayEquals(plain, withDropout.forward(x).toFloatArray());
    }

    @Test
    void errorsNameTheLayerWithExpectedAndFoundShapes() {
        LSTM lstm = new LSTM(4, 5, TWO_LAYERS_BATCH_FIRST, new Generator(1));
        var e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(3, 5, 6), null, null));
        assertTrue(e.getMessage().startsWith("LSTM(4, 5, numLayers=2") && e.getMessage().contains("expected input [B, T, 4]")
                && e.getMessage().contains("found [3, 5, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(3, 5, 4), Tensor.zeros(1, 3, 5), null));
        assertTrue(e.getMessage().contains("expected h0 [2, 3, 5]") && e.getMessage().contains("found [1, 3, 5]"), e.getMessage());
        GRU gru = new GRU(4, 5);
        e = assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(5, 4)));
        assertTrue(e.getMessage().startsWith("GRU(4, 5") && e.getMessage().contains("[T, B, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Recurrent.run(Mode.GRU, Tensor.zeros(2, 3, 4), null,
                Tensor.zeros(1, 3, 5), new GRU(4, 5).layers(), false));
        e = assertThrows(IllegalArgumentException.class, () -> Recurrent.run(Mode.LSTM, Tensor.zeros(2, 3, 4), null, null,
                List.of(new LayerWeights(Tensor.zeros(8, 4), Tensor.zeros(8, 3), null, null)), false));
        assertTrue(e.getMessage().contains("expected weight_ih_l0 [12, 4], found [8, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.DEFAULTS.withNumLayers(0));
        assertThrows(IllegalArgumentException.class, () -> Options.DEFAULTS.withDropout(1));
        assertThrows(IllegalArgumentException.class, () -> new RNN(0, 3));
    }

    @Test
    void stateDictRoundTrip() {
        GRU a = new GRU(3, 4, TWO_LAYERS_BATCH_FIRST, new Generator(1));
        GRU b = new GRU(3, 4, TWO_LAYERS_BATCH_FIRST, new Generator(2));
        Tensor x = Tensor.randn(new Generator(3), 2, 3, 3);
        assertTrue(maxDiff(a.forward(x).toFloatArray(), b.forward(x).toFloatArray()) > 1e-3);
        b.loadStateDict(a.stateDict(), true);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
    }

    @Test
    void anLstmLearnsToRememberTheFirstInput() {
        // Target: the first step's input, to be output at the last step; needs the cell to carry it.
        Generator g = new Generator(42);
        LSTM lstm = new LSTM(1, 8, Options.DEFAULTS.withBatchFirst(true), g);
        Linear head = new Linear(8, 1, true, g);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        float first = 0, last = 0;
        for (int step = 0; step < 400; step++) {
            Tensor x = Tensor.randn(g, 32, 4, 1);
            Tensor target = x.select(1, 0);
            Tensor y = head.forward(lstm.forward(x, null, null).output().select(1, 3));
            Tensor loss = y.sub(target).square().mean();
            if (step == 0) first = loss.item();
            last = loss.item();
            for (Tensor p : params) p.zeroGrad();
            loss.backward();
            try (var ignored = io.shendu.autograd.NoGrad.enter()) {
                for (Tensor p : params) p.addInPlace(p.grad(), -0.5f);
            }
        }
        assertTrue(last < 0.25f * first, "loss " + first + " -> " + last);
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
