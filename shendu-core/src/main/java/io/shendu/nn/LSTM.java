package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * Long short-term memory (Hochreiter and Schmidhuber, 1997), stacked {@code numLayers} deep. Per step, with the
 * gate rows of the weights ordered (i, f, g, o) as in PyTorch:
 * <pre>
 *   i, f, g, o = σ, σ, tanh, σ of (x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)
 *   c' = f·c + i·g,   h' = o·tanh(c')
 * </pre>
 * Input {@code [B, T, in]} with batch-first, else {@code [T, B, in]}; initial states {@code h0}, {@code c0}
 * {@code [layers, B, H]} (zeros when absent). Weights {@code weight_ih_l{k} [4H, in]}, {@code weight_hh_l{k}
 * [4H, H]}, {@code bias_ih_l{k}}, {@code bias_hh_l{k} [4H]}.
 */
public final class LSTM extends Recurrent {

    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Options.DEFAULTS, Generator.defaultGenerator());
    }

    public LSTM(int inputSize, int hiddenSize, Options options, Generator generator) {
        super(Mode.LSTM, inputSize, hiddenSize, options, generator);
    }

    /** The outputs and the final states h and c; {@code h0} and {@code c0} may be null. */
    public Result forward(Tensor input, Tensor h0, Tensor c0) {
        return forwardStates(input, h0, c0);
    }
}
