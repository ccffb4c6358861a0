package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share: the options, the weights {@code weight_ih_l{k}}
 * {@code [gates·H, in]}, {@code weight_hh_l{k}} {@code [gates·H, H]}, {@code bias_ih_l{k}} and
 * {@code bias_hh_l{k}} {@code [gates·H]} (PyTorch's names, all initialised U(−1/√H, 1/√H)), and the loop over
 * layers. Each layer runs over the whole sequence in one fused primitive ({@link RecurrentScan}); the cell
 * formulas are on the subclasses. Training is backpropagation through time; for truncated BPTT, feed the final
 * states of one chunk, {@code detach()}ed, as the initial states of the next.
 */
public abstract sealed class Recurrent extends Module permits RNN, LSTM, GRU {

    /** The cell, as PyTorch's {@code mode}; {@code gates} blocks of H rows each in the weights. */
    public enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Mode(int gates) {
            this.gates = gates;
        }
    }

    /**
     * Hyper-parameters, as PyTorch's constructor arguments: stacked {@code numLayers}, whether the layers have
     * {@code bias}es, {@code batchFirst} ({@code [B, T, features]} instead of {@code [T, B, features]}), and the
     * {@code dropout} probability applied to the outputs of every layer but the last, in training.
     */
    public record Options(int numLayers, boolean bias, boolean batchFirst, double dropout) {

        public static final Options DEFAULTS = new Options(1, true, false, 0.0);

        public Options {
            if (numLayers < 1) throw new IllegalArgumentException("Recurrent.Options: numLayers must be >= 1, got " + numLayers);
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("Recurrent.Options: dropout must be in [0, 1), got " + dropout);
            }
        }

        public Options withNumLayers(int numLayers) {
            return new Options(numLayers, bias, batchFirst, dropout);
        }

        public Options withBias(boolean bias) {
            return new Options(numLayers, bias, batchFirst, dropout);
        }

        public Options withBatchFirst(boolean batchFirst) {
            return new Options(numLayers, bias, batchFirst, dropout);
        }

        public Options withDropout(double dropout) {
            return new Options(numLayers, bias, batchFirst, dropout);
        }
    }

    /**
     * The output, {@code [B, T, H]} with batch-first ({@code [T, B, H]} otherwise): the last layer's hidden state
     * at every step; and the final states {@code h} and (LSTM only, else null) {@code c}, {@code [layers, B, H]}.
     */
    public record Result(Tensor output, Tensor h, Tensor c) {}

    /** One layer's weights; the biases are both null or both present. */
    public record LayerWeights(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {}

    private final Mode mode;
    private final int inputSize, hiddenSize;
    private final Options options;
    private final Generator generator;

    Recurrent(Mode mode, int inputSize, int hiddenSize, Options options, Generator generator) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": sizes must be positive, got inputSize="
                    + inputSize + " hiddenSize=" + hiddenSize);
        }
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        this.generator = generator;
        int rows = mode.gates * hiddenSize;
        for (int k = 0; k < options.numLayers(); k++) {
            registerParameter("weight_ih_l" + k, Tensor.zeros(rows, k == 0 ? inputSize : hiddenSize));
            registerParameter("weight_hh_l" + k, Tensor.zeros(rows, hiddenSize));
            if (options.bias()) {
                registerParameter("bias_ih_l" + k, Tensor.zeros(rows));
                registerParameter("bias_hh_l" + k, Tensor.zeros(rows));
            }
        }
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform(p, -bound, bound, generator);
    }

    /** The output sequence for zero initial states (see {@link Result#output()}). */
    @Override
    public Tensor forward(Tensor input) {
        return forwardStates(input, null, null).output();
    }

    /** Runs every layer; null initial states are zeros. Dropout draws from the generator given at construction. */
    final Result forwardStates(Tensor input, Tensor h0, Tensor c0) {
        boolean drop = isTraining() && options.dropout() > 0;
        return runLayers(describe(), mode, input, h0, c0, layers(), options.batchFirst(), drop ? options.dropout() : 0,
                generator, true);
    }

    /** This module's weights, layer by layer. */
    public final List<LayerWeights> layers() {
        List<LayerWeights> out = new ArrayList<>();
        for (int k = 0; k < options.numLayers(); k++) {
            out.add(new LayerWeights(parameter("weight_ih_l" + k), parameter("weight_hh_l" + k),
                    parameter("bias_ih_l" + k), parameter("bias_hh_l" + k)));
        }
        return out;
    }

    /**
     * The functional form: runs {@code mode} over {@code input} with the given weights (one entry per layer), no
     * dropout. Input {@code [B, T, in]} with {@code batchFirst}, else {@code [T, B, in]}; initial states
     * {@code [layers, B, H]} or null for zeros; {@code c0} only for LSTM.
     */
    public static Result run(Mode mode, Tensor input, Tensor h0, Tensor c0, List<LayerWeights> layers, boolean batchFirst) {
        return runLayers(mode.name().toLowerCase(java.util.Locale.ROOT), mode, input, h0, c0, layers, batchFirst, 0, null, true);
    }

    /** The loop over layers, with the fused primitive or (for tests) the recurrence composed from tensor ops. */
    static Result runLayers(String name, Mode mode, Tensor input, Tensor h0, Tensor c0, List<LayerWeights> layers,
                            boolean batchFirst, double dropout, Generator generator, boolean fused) {
        if (layers.isEmpty() || layers.getFirst().weightIh().rank() != 2 || layers.getFirst().weightHh().rank() != 2) {
            throw new IllegalArgumentException(name + ": expected at least one layer of weight matrices");
        }
        int numLayers = layers.size(), hidden = layers.getFirst().weightHh().size(1);
        int features = layers.getFirst().weightIh().size(1);
        String layout = batchFirst ? "[B, T, " + features + "] (batch first)" : "[T, B, " + features + "]";
        if (input.rank() != 3 || input.size(2) != features || input.size(batchFirst ? 1 : 0) == 0) {
            throw new IllegalArgumentException(name + ": expected input " + layout + " with T > 0, found "
                    + Arrays.toString(input.shape()));
        }
        checkLayers(name, mode, layers, features, hidden);
        Tensor x = batchFirst ? input.transpose(0, 1) : input;
        int batch = x.size(1);
        Tensor h = initialState(name, "h0", h0, numLayers, batch, hidden);
        Tensor c = null;
        if (mode == Mode.LSTM) {
            c = initialState(name, "c0", c0, numLayers, batch, hidden);
        } else if (c0 != null) {
            throw new IllegalArgumentException(name + ": c0 is given, but only an LSTM has a cell state");
        }
        List<Tensor> hs = new ArrayList<>(), cs = new ArrayList<>();
        for (int k = 0; k < numLayers; k++) {
            Tensor ck = c == null ? null : c.select(0, k);
            Tensor[] out = fused ? RecurrentScan.layer(mode, x, h.select(0, k), ck, layers.get(k))
                    : composedLayer(mode, x, h.select(0, k), ck, layers.get(k));
            x = dropout > 0 && k < numLayers - 1 ? dropout(out[0], dropout, generator) : out[0];
            hs.add(out[1]);
            if (c != null) cs.add(out[2]);
        }
        return new Result(batchFirst ? x.transpose(0, 1) : x, Tensor.stack(hs, 0), c == null ? null : Tensor.stack(cs, 0));
    }

    private static void checkLayers(String name, Mode mode, List<LayerWeights> layers, int features, int hidden) {
        int rows = mode.gates * hidden;
        for (int k = 0; k < layers.size(); k++) {
            LayerWeights w = layers.get(k);
            checkShape(name, "weight_ih_l" + k, w.weightIh(), rows, k == 0 ? features : hidden);
            checkShape(name, "weight_hh_l" + k, w.weightHh(), rows, hidden);
            boolean biased = w.biasIh() != null;
            if (biased != (w.biasHh() != null) || biased != (layers.getFirst().biasIh() != null)) {
                throw new IllegalArgumentException(name + ": layer " + k + ": give both biases of every layer or none");
            }
            if (biased) {
                checkShape(name, "bias_ih_l" + k, w.biasIh(), rows);
                checkShape(name, "bias_hh_l" + k, w.biasHh(), rows);
            }
        }
    }

    private static void checkShape(String name, String what, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(name + ": expected " + what + " " + Arrays.toString(expected) + ", found "
                    + Arrays.toString(t.shape()));
        }
    }

    private static Tensor initialState(String name, String which, Tensor s, int layers, int batch, int hidden) {
        if (s == null) return Tensor.zeros(layers, batch, hidden);
        if (!Arrays.equals(s.shape(), new int[] {layers, batch, hidden})) {
            throw new IllegalArgumentException(name + ": expected " + which + " [" + layers + ", " + batch + ", " + hidden
                    + "] (layers, batch, hidden), found " + Arrays.toString(s.shape()));
        }
        return s;
    }

    /** Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1 − p). */
    private static Tensor dropout(Tensor x, double p, Generator generator) {
        Tensor keep = Tensor.rand(generator, x.shape()).gt((float) p);
        return x.mul(keep.mul((float) (1 / (1 - p))));
    }

    /**
     * One layer as tensor ops, step by step: the plain statement of each cell, and the reference the fused
     * {@link RecurrentScan} is tested against. Returns the outputs {@code [T, B, H]}, the last h and (LSTM) c.
     */
    static Tensor[] composedLayer(Mode mode, Tensor x, Tensor h, Tensor c, LayerWeights w) {
        int steps = x.size(0), hidden = w.weightHh().size(1);
        Tensor gx = Functional.linear(x, w.weightIh(), w.biasIh());
        List<Tensor> outputs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            Tensor a = gx.select(0, t), b = Functional.linear(h, w.weightHh(), w.biasHh());
            switch (mode) {
                case RNN_TANH -> h = a.add(b).tanh();
                case RNN_RELU -> h = a.add(b).relu();
                case LSTM -> {
                    Tensor gates = a.add(b);
                    Tensor i = gates.narrow(1, 0, hidden).sigmoid(), f = gates.narrow(1, hidden, hidden).sigmoid();
                    Tensor g = gates.narrow(1, 2 * hidden, hidden).tanh(), o = gates.narrow(1, 3 * hidden, hidden).sigmoid();
                    c = f.mul(c).add(i.mul(g));
                    h = o.mul(c.tanh());
                }
                case GRU -> {
                    Tensor r = a.narrow(1, 0, hidden).add(b.narrow(1, 0, hidden)).sigmoid();
                    Tensor z = a.narrow(1, hidden, hidden).add(b.narrow(1, hidden, hidden)).sigmoid();
                    Tensor n = a.narrow(1, 2 * hidden, hidden).add(r.mul(b.narrow(1, 2 * hidden, hidden))).tanh();
                    h = n.add(z.mul(h.sub(n)));    // (1 − z)·n + z·h
                }
            }
            outputs.add(h);
        }
        return new Tensor[] {Tensor.stack(outputs, 0), h, c};
    }

    public final int inputSize() {
        return inputSize;
    }

    public final int hiddenSize() {
        return hiddenSize;
    }

    public final Options options() {
        return options;
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "(" + inputSize + ", " + hiddenSize + ", numLayers=" + options.numLayers()
                + ", bias=" + options.bias() + ", batchFirst=" + options.batchFirst() + ", dropout=" + options.dropout() + ")";
    }
}
