package io.shendu.nn;

import io.shendu.autograd.Function;
import io.shendu.backend.Backend;
import io.shendu.backend.Backends;
import io.shendu.nn.Recurrent.LayerWeights;
import io.shendu.nn.Recurrent.Mode;
import io.shendu.tensor.Tensor;

import static io.shendu.nn.Normalization.dense;

/**
 * One recurrent layer over a whole sequence, as one primitive: the input projection {@code x W_ihᵀ + b_ih} of
 * all T steps in one GEMM, then per step one GEMM {@code h W_hhᵀ + b_hh} and one fused pass computing every gate
 * and the new state; the backward runs the same steps in reverse (backpropagation through time), one fused pass
 * and one GEMM per step, and finishes with one GEMM each for dx, dW_ih and dW_hh over all steps.
 *
 * <p>Why the whole sequence and not one node per step: a step reading its slice of a [T, ...] tensor would get
 * back a full [T, ...] gradient from the slice's backward, so T steps would cost O(T²) in the backward.
 *
 * <p>Inputs x {@code [T, B, in]}, h0 {@code [B, H]}, c0 (LSTM), W_ih, W_hh, b_ih, b_hh (with bias). Output
 * {@code [T, B, H]}: h_t at every step; for an LSTM {@code [T, B, 2H]}: h_t then c_t. Cells, with
 * {@code a = x W_ihᵀ + b_ih} and {@code b = h W_hhᵀ + b_hh} split into H-column gate blocks:
 * <pre>
 *   RNN   h' = act(a + b)
 *   LSTM  i, f, g, o = σ, σ, tanh, σ of (a + b);  c' = f·c + i·g;  h' = o·tanh(c')
 *   GRU   r = σ(a_r + b_r);  z = σ(a_z + b_z);  n = tanh(a_n + r·b_n);  h' = (1 − z)·n + z·h
 * </pre>
 */
final class RecurrentScan extends Function {
    @Override
    protected boolean returnsOwnedGradients() {
        return true;   // new tensors or views of the upstream gradient, none kept
    }

    private final Mode mode;
    private final boolean hasBias;
    private int steps, batch, features, hidden;
    /** Per step and row, what the backward needs beyond the states: LSTM i, f, g, o; GRU r, z, n, b_n. */
    private float[] gates;

    private RecurrentScan(Mode mode, boolean hasBias) {
        this.mode = mode;
        this.hasBias = hasBias;
    }

    /** Runs one layer; returns the outputs {@code [T, B, H]}, the last h and (LSTM) the last c. */
    static Tensor[] layer(Mode mode, Tensor x, Tensor h0, Tensor c0, LayerWeights w) {
        boolean lstm = mode == Mode.LSTM, bias = w.biasIh() != null;
        Tensor[] in = new Tensor[(lstm ? 5 : 4) + (bias ? 2 : 0)];
        int k = 0;
        in[k++] = x;
        in[k++] = h0;
        if (lstm) in[k++] = c0;
        in[k++] = w.weightIh();
        in[k++] = w.weightHh();
        if (bias) {
            in[k++] = w.biasIh();
            in[k] = w.biasHh();
        }
        Tensor states = new RecurrentScan(mode, bias).apply(in);
        int steps = x.size(0), hidden = h0.size(1);
        Tensor last = states.select(0, steps - 1);
        if (!lstm) return new Tensor[] {states, last, null};
        return new Tensor[] {states.narrow(2, 0, hidden), last.narrow(1, 0, hidden), last.narrow(1, hidden, hidden)};
    }

    @Override
    public String name() {
        return "RecurrentScan(" + mode + ")";
    }

    private int width() {
        return mode == Mode.LSTM ? 2 * hidden : hidden;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = contiguous(in[0]), h0 = contiguous(in[1]);
        int k = mode == Mode.LSTM ? 3 : 2;
        Tensor c0 = mode == Mode.LSTM ? contiguous(in[2]) : null, wih = contiguous(in[k]), whh = contiguous(in[k + 1]);
        steps = x.size(0);
        batch = x.size(1);
        features = x.size(2);
        hidden = h0.size(1);
        int g = mode.gates * hidden, rows = steps * batch;
        float[] bih = hasBias ? dense(in[k + 2]) : null, bhh = hasBias ? dense(in[k + 3]) : null;
        Backend backend = Backends.current();
        float[] gx = new float[rows * g];
        backend.gemm(false, true, rows, g, features, 1f, x.floatStorage(), 0, features, wih.floatStorage(), 0, features,
                0f, gx, 0, g);
        if (hasBias) addRows(gx, rows, bih);
        Tensor states = Tensor.zeros(steps, batch, width());
        float[] out = states.floatStorage(), gh = new float[batch * g];
        gates = mode.gates > 1 ? new float[rows * 4 * hidden] : null;
        for (int t = 0; t < steps; t++) {
            boolean first = t == 0;
            backend.gemm(false, true, batch, g, hidden, 1f, first ? h0.floatStorage() : out, first ? 0 : (t - 1) * batch * width(),
                    first ? hidden : width(), whh.floatStorage(), 0, hidden, 0f, gh, 0, g);
            if (hasBias) addRows(gh, batch, bhh);
            for (int b = 0; b < batch; b++) {
                step(t, b, gx, gh, h0.floatStorage(), c0 == null ? null : c0.floatStorage(), out);
            }
        }
        saveForBackward(x, h0, c0, wih, whh, states);
        return states;
    }

    /** The fused cell for row b of step t: reads the gate inputs, writes h (and c) of step t and the saved gates. */
    private void step(int t, int b, float[] gx, float[] gh, float[] h0, float[] c0, float[] out) {
        int g = mode.gates * hidden, w = width(), row = t * batch + b;
        int ax = row * g, bx = b * g, o = row * w, prev = (row - batch) * w, sv = row * 4 * hidden;
        for (int j = 0; j < hidden; j++) {
            switch (mode) {
                case RNN_TANH -> out[o + j] = (float) Math.tanh(gx[ax + j] + gh[bx + j]);
                case RNN_RELU -> out[o + j] = Math.max(gx[ax + j] + gh[bx + j], 0f);
                case LSTM -> {
                    float i = sigmoid(gx[ax + j] + gh[bx + j]);
                    float f = sigmoid(gx[ax + hidden + j] + gh[bx + hidden + j]);
                    float gg = (float) Math.tanh(gx[ax + 2 * hidden + j] + gh[bx + 2 * hidden + j]);
                    float og = sigmoid(gx[ax + 3 * hidden + j] + gh[bx + 3 * hidden + j]);
                    float cPrev = t == 0 ? c0[b * hidden + j] : out[prev + hidden + j];
                    float c = f * cPrev + i * gg;
                    out[o + hidden + j] = c;
                    out[o + j] = og * (float) Math.tanh(c);
                    save(sv, j, i, f, gg, og);
                }
                case GRU -> {
                    float r = sigmoid(gx[ax + j] + gh[bx + j]);
                    float z = sigmoid(gx[ax + hidden + j] + gh[bx + hidden + j]);
                    float bn = gh[bx + 2 * hidden + j];
                    float n = (float) Math.tanh(gx[ax + 2 * hidden + j] + r * bn);
                    float hPrev = t == 0 ? h0[b * hidden + j] : out[prev + j];
                    out[o + j] = n + z * (hPrev - n);
                    save(sv, j, r, z, n, bn);
                }
            }
        }
    }

    private void save(int at, int j, float q0, float q1, float q2, float q3) {
        gates[at + j] = q0;
        gates[at + hidden + j] = q1;
        gates[at + 2 * hidden + j] = q2;
        gates[at + 3 * hidden + j] = q3;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor[] saved = savedTensors();
        float[] x = saved[0].floatStorage(), h0 = saved[1].floatStorage();
        float[] c0 = saved[2] == null ? null : saved[2].floatStorage(), wih = saved[3].floatStorage();
        float[] whh = saved[4].floatStorage(), out = saved[5].floatStorage(), dOut = dense(gradOutput);
        int g = mode.gates * hidden, rows = steps * batch, w = width();
        // dA: gradient of the gate pre-activations on the input side; dB: on the recurrent side (they differ
        // only for the GRU's n gate, where b_n is scaled by r).
        float[] dA = new float[rows * g], dB = mode == Mode.GRU ? new float[rows * g] : dA;
        float[] dh = new float[batch * hidden], dc = mode == Mode.LSTM ? new float[batch * hidden] : null;
        Backend backend = Backends.current();
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) stepBackward(t, b, dOut, out, h0, c0, dh, dc, dA, dB);
            // dh_{t−1} = dB_t · W_hh (+ the GRU's direct z·dh, already in dh)
            backend.gemm(false, false, batch, hidden, g, 1f, dB, t * batch * g, g, whh, 0, hidden,
                    mode == Mode.GRU ? 1f : 0f, dh, 0, hidden);
        }
        int k = mode == Mode.LSTM ? 3 : 2;
        Tensor[] grads = new Tensor[k + 2 + (hasBias ? 2 : 0)];
        if (needsInputGrad(0)) {
            grads[0] = Tensor.zeros(steps, batch, features);
            backend.gemm(false, false, rows, features, g, 1f, dA, 0, g, wih, 0, features, 0f, grads[0].floatStorage(), 0, features);
        }
        if (needsInputGrad(1)) grads[1] = Tensor.of(dh, batch, hidden);
        if (mode == Mode.LSTM && needsInputGrad(2)) grads[2] = Tensor.of(dc, batch, hidden);
        if (needsInputGrad(k)) {
            grads[k] = Tensor.zeros(g, features);
            backend.gemm(true, false, g, features, rows, 1f, dA, 0, g, x, 0, features, 0f, grads[k].floatStorage(), 0, features);
        }
        if (needsInputGrad(k + 1)) {
            grads[k + 1] = Tensor.zeros(g, hidden);
            float[] dwhh = grads[k + 1].floatStorage();
            backend.gemm(true, false, g, hidden, batch, 1f, dB, 0, g, h0, 0, hidden, 0f, dwhh, 0, hidden);
            if (steps > 1) {   // h_{t−1} for t ≥ 1 are the first H columns of the states of steps 0..T−2
                backend.gemm(true, false, g, hidden, rows - batch, 1f, dB, batch * g, g, out, 0, w, 1f, dwhh, 0, hidden);
            }
        }
        if (hasBias && needsInputGrad(k + 2)) grads[k + 2] = columnSums(dA, rows, g);
        if (hasBias && needsInputGrad(k + 3)) grads[k + 3] = columnSums(dB, rows, g);
        return grads;
    }

    /**
     * The fused cell backward for row b of step t. On entry dh (and dc) hold the gradient reaching h_t (c_t) from
     * step t + 1; adds the output's gradient, writes the gate pre-activation gradients into dA and dB, and leaves
     * in dh the part of dh_{t−1} that does not go through W_hh (GRU: z·dh; otherwise 0) and in dc dc_{t−1}.
     */
    private void stepBackward(int t, int b, float[] dOut, float[] out, float[] h0, float[] c0, float[] dh, float[] dc,
                              float[] dA, float[] dB) {
        int g = mode.gates * hidden, w = width(), row = t * batch + b;
        int o = row * w, prev = (row - batch) * w, ga = row * g, sv = row * 4 * hidden, s = b * hidden;
        for (int j = 0; j < hidden; j++) {
            float dht = dOut[o + j] + dh[s + j];
            switch (mode) {
                case RNN_TANH -> {
                    float h = out[o + j];
                    dA[ga + j] = dht * (1 - h * h);
                }
                case RNN_RELU -> dA[ga + j] = out[o + j] > 0 ? dht : 0f;
                case LSTM -> {
                    float i = gates[sv + j], f = gates[sv + hidden + j], gg = gates[sv + 2 * hidden + j];
                    float og = gates[sv + 3 * hidden + j];
                    float tc = (float) Math.tanh(out[o + hidden + j]);
                    float cPrev = t == 0 ? c0[s + j] : out[prev + hidden + j];
                    float dct = dOut[o + hidden + j] + dc[s + j] + dht * og * (1 - tc * tc);
                    dA[ga + j] = dct * gg * i * (1 - i);
                    dA[ga + hidden + j] = dct * cPrev * f * (1 - f);
                    dA[ga + 2 * hidden + j] = dct * i * (1 - gg * gg);
                    dA[ga + 3 * hidden + j] = dht * tc * og * (1 - og);
                    dc[s + j] = dct * f;
                }
                case GRU -> {
                    float r = gates[sv + j], z = gates[sv + hidden + j], n = gates[sv + 2 * hidden + j];
                    float bn = gates[sv + 3 * hidden + j];
                    float hPrev = t == 0 ? h0[s + j] : out[prev + j];
                    float dn = dht * (1 - z) * (1 - n * n);
                    float dr = dn * bn * r * (1 - r), dz = dht * (hPrev - n) * z * (1 - z);
                    dA[ga + j] = dB[ga + j] = dr;
                    dA[ga + hidden + j] = dB[ga + hidden + j] = dz;
                    dA[ga + 2 * hidden + j] = dn;
                    dB[ga + 2 * hidden + j] = dn * r;
                    dh[s + j] = dht * z;
                }
            }
        }
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }

    private static void addRows(float[] m, int rows, float[] v) {
        for (int r = 0, n = v.length; r < rows; r++) for (int j = 0; j < n; j++) m[r * n + j] += v[j];
    }

    private static Tensor columnSums(float[] m, int rows, int cols) {
        double[] acc = new double[cols];
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) acc[j] += m[r * cols + j];
        float[] out = new float[cols];
        for (int j = 0; j < cols; j++) out[j] = (float) acc[j];
        return Tensor.of(out, cols);
    }

    private static Tensor contiguous(Tensor t) {
        return t.isView() ? t.contiguousCopy() : t;
    }
}
