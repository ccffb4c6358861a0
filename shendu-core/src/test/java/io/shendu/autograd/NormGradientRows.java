package io.shendu.autograd;

import io.shendu.autograd.GradientRows.Row;
import io.shendu.nn.Normalization;
import io.shendu.nn.Recurrent;
import io.shendu.nn.Recurrent.LayerWeights;
import io.shendu.nn.Recurrent.Mode;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static io.shendu.autograd.GradientRows.COMPOSITE;
import static io.shendu.autograd.GradientRows.LINEAR;
import static io.shendu.autograd.GradientRows.normal;
import static io.shendu.autograd.GradientRows.of;
import static io.shendu.autograd.GradientRows.row;
import static io.shendu.autograd.GradientRows.uniform;

/**
 * Gradient rows of the normalisation and recurrent primitives: batch norm with the batch's statistics (whose
 * gradient flows through the mean and variance) and with running statistics (constants), with and without the
 * affine parameters, on {@code [N, C]}, {@code [N, C, L]} and {@code [N, C, H, W]}; layer norm over one and two
 * trailing dimensions, with and without weight and bias; and the fused recurrent layer for each cell, one and
 * two layers deep, with gradients for the input, the initial states and every weight.
 */
final class NormGradientRows {

    private NormGradientRows() {}

    private static final Tensor RUNNING_MEAN = Tensor.vector(0.3f, -0.2f, 0.1f);
    private static final Tensor RUNNING_VAR = Tensor.vector(0.8f, 1.5f, 0.4f);

    private static Tensor train(Tensor x, Tensor w, Tensor b) {
        return Normalization.batchNorm(x, null, null, w, b, true, 0.1, 1e-5);
    }

    private static Tensor eval(Tensor x, Tensor w, Tensor b) {
        return Normalization.batchNorm(x, RUNNING_MEAN, RUNNING_VAR, w, b, false, 0.1, 1e-5);
    }

    static final List<Row> ALL = List.of(
            // ---- batch norm: [N, C], [N, C, L], [N, C, H, W]
            row("batch_norm.train.1d", COMPOSITE, x -> train(x[0], x[1], x[2]),
                    g -> of(normal(g, 6, 3), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            row("batch_norm.train.1d_with_length", COMPOSITE, x -> train(x[0], x[1], x[2]),
                    g -> of(normal(g, 4, 3, 5), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            row("batch_norm.train.2d", COMPOSITE, x -> train(x[0], x[1], x[2]),
                    g -> of(normal(g, 3, 3, 4, 3), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            row("batch_norm.train.no_affine", COMPOSITE, x -> train(x[0], null, null), g -> of(normal(g, 3, 3, 2, 2)),
                    "BatchNormalization"),
            row("batch_norm.train.transposed_input", COMPOSITE, x -> train(x[0].transpose(0, 1), x[1], x[2]),
                    g -> of(normal(g, 3, 5), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization", "Permute"),
            // the fused ReLU (this fixed seed keeps every output more than a difference step from the kink at 0)
            row("batch_norm.train.relu_fused", COMPOSITE,
                    x -> Normalization.batchNormRelu(x[0], null, null, x[1], x[2], true, 0.1, 1e-5),
                    g -> of(normal(g, 3, 3, 4, 3), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            row("batch_norm.eval.relu_fused", COMPOSITE,
                    x -> Normalization.batchNormRelu(x[0], RUNNING_MEAN, RUNNING_VAR, x[1], x[2], false, 0.1, 1e-5),
                    g -> of(normal(g, 2, 3, 3, 2), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            // ReLU and a 2×2 max pool fused as well, on an odd width (the last column is dropped)
            row("batch_norm.train.relu_maxpool2_fused", COMPOSITE,
                    x -> Normalization.batchNormReluMaxPool2(x[0], null, null, x[1], x[2], true, 0.1, 1e-5),
                    g -> of(normal(g, 2, 3, 4, 5), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            row("batch_norm.eval.1d", LINEAR, x -> eval(x[0], x[1], x[2]),
                    g -> of(normal(g, 6, 3), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            row("batch_norm.eval.2d", LINEAR, x -> eval(x[0], x[1], x[2]),
                    g -> of(normal(g, 2, 3, 3, 2), uniform(g, 0.5f, 1.5f, 3), normal(g, 3)), "BatchNormalization"),
            row("batch_norm.eval.no_affine", LINEAR, x -> eval(x[0], null, null), g -> of(normal(g, 4, 3, 2)),
                    "BatchNormalization"),

            // ---- layer norm
            row("layer_norm.last_dim", COMPOSITE, x -> Normalization.layerNorm(x[0], new int[] {6}, x[1], x[2], 1e-5),
                    g -> of(normal(g, 4, 5, 6), uniform(g, 0.5f, 1.5f, 6), normal(g, 6)), "LayerNormalization"),
            row("layer_norm.last_two_dims", COMPOSITE,
                    x -> Normalization.layerNorm(x[0], new int[] {3, 4}, x[1], x[2], 1e-5),
                    g -> of(normal(g, 2, 3, 4), uniform(g, 0.5f, 1.5f, 3, 4), normal(g, 3, 4)), "LayerNormalization"),
            row("layer_norm.no_affine", COMPOSITE, x -> Normalization.layerNorm(x[0], new int[] {7}, null, null, 1e-5),
                    g -> of(normal(g, 5, 7)), "LayerNormalization"),
            row("layer_norm.weight_only", COMPOSITE, x -> Normalization.layerNorm(x[0], new int[] {5}, x[1], null, 1e-5),
                    g -> of(normal(g, 3, 5), uniform(g, 0.5f, 1.5f, 5)), "LayerNormalization"),
            row("layer_norm.transposed_input", COMPOSITE,
                    x -> Normalization.layerNorm(x[0].t(), new int[] {4}, x[1], x[2], 1e-5),
                    g -> of(normal(g, 4, 3), uniform(g, 0.5f, 1.5f, 4), normal(g, 4)), "LayerNormalization", "Permute"),

            // ---- recurrent layers: input [B, T, in] batch-first, states [layers, B, H]
            recurrent("rnn_tanh.one_layer", Mode.RNN_TANH, 1, true, true),
            recurrent("rnn_tanh.two_layers", Mode.RNN_TANH, 2, true, true),
            recurrent("rnn_relu.one_layer", Mode.RNN_RELU, 1, true, true),
            recurrent("rnn_relu.two_layers", Mode.RNN_RELU, 2, true, true),
            recurrent("lstm.one_layer", Mode.LSTM, 1, true, true),
            recurrent("lstm.two_layers", Mode.LSTM, 2, true, true),
            recurrent("lstm.no_bias_time_major", Mode.LSTM, 1, false, false),
            recurrent("gru.one_layer", Mode.GRU, 1, true, true),
            recurrent("gru.two_layers", Mode.GRU, 2, true, true),
            recurrent("gru.no_bias_time_major", Mode.GRU, 2, false, false));

    private static final int BATCH = 2, STEPS = 3, FEATURES = 3, HIDDEN = 3;

    /**
     * A row whose inputs are x, h0, (c0,) then each layer's W_ih, W_hh (and b_ih, b_hh); the checked output is the
     * output sequence, h_n and (LSTM) c_n, flattened and concatenated.
     */
    private static Row recurrent(String key, Mode mode, int layers, boolean bias, boolean batchFirst) {
        boolean lstm = mode == Mode.LSTM;
        int gates = switch (mode) {
            case RNN_TANH, RNN_RELU -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
        int states = lstm ? 2 : 1;
        return row("recurrent." + key, COMPOSITE, x -> {
            List<LayerWeights> weights = new ArrayList<>();
            for (int k = 0, at = 1 + states; k < layers; k++) {
                weights.add(new LayerWeights(x[at], x[at + 1], bias ? x[at + 2] : null, bias ? x[at + 3] : null));
                at += bias ? 4 : 2;
            }
            Recurrent.Result r = Recurrent.run(mode, x[0], x[1], lstm ? x[2] : null, weights, batchFirst);
            List<Tensor> parts = new ArrayList<>(List.of(r.output().reshape(-1), r.h().reshape(-1)));
            if (lstm) parts.add(r.c().reshape(-1));
            return Tensor.cat(parts, 0);
        }, g -> {
            Tensor[] in;
            do {
                in = drawRecurrent(g, gates, states, layers, bias, batchFirst);
            } while (mode == Mode.RNN_RELU && minAbsPreactivation(in, layers, bias, batchFirst) < KINK_MARGIN);
            return in;
        }, "RecurrentScan");
    }

    /** A ReLU RNN's pre-activations keep this far from 0, so that the ±eps steps of the check stay on one side. */
    private static final float KINK_MARGIN = 0.02f;

    private static Tensor[] drawRecurrent(Generator g, int gates, int states, int layers, boolean bias, boolean batchFirst) {
        List<Tensor> in = new ArrayList<>();
        in.add(batchFirst ? normal(g, BATCH, STEPS, FEATURES) : normal(g, STEPS, BATCH, FEATURES));
        for (int s = 0; s < states; s++) in.add(uniform(g, -0.8f, 0.8f, layers, BATCH, HIDDEN));
        for (int k = 0; k < layers; k++) {
            in.add(uniform(g, -0.7f, 0.7f, gates * HIDDEN, k == 0 ? FEATURES : HIDDEN));
            in.add(uniform(g, -0.7f, 0.7f, gates * HIDDEN, HIDDEN));
            if (bias) {
                in.add(uniform(g, -0.5f, 0.5f, gates * HIDDEN));
                in.add(uniform(g, -0.5f, 0.5f, gates * HIDDEN));
            }
        }
        return in.toArray(Tensor[]::new);
    }

    /** The smallest |x W_ihᵀ + b_ih + h W_hhᵀ + b_hh| of a ReLU RNN over all layers and steps. */
    private static float minAbsPreactivation(Tensor[] in, int layers, boolean bias, boolean batchFirst) {
        Tensor seq = batchFirst ? in[0].transpose(0, 1) : in[0];
        float min = Float.POSITIVE_INFINITY;
        for (int k = 0, at = 2; k < layers; k++, at += bias ? 4 : 2) {
            Tensor h = in[1].select(0, k);
            List<Tensor> outputs = new ArrayList<>();
            for (int t = 0; t < seq.size(0); t++) {
                Tensor a = seq.select(0, t).matmul(in[at].t()).add(h.matmul(in[at + 1].t()));
                if (bias) a = a.add(in[at + 2]).add(in[at + 3]);
                min = Math.min(min, a.abs().min().item());
                h = a.relu();
                outputs.add(h);
            }
            seq = Tensor.stack(outputs, 0);
        }
        return min;
    }
}
