package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * Elman recurrent network: {@code h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)} with act tanh or ReLU,
 * stacked {@code numLayers} deep (each layer's outputs are the next one's inputs). Input {@code [B, T, in]} with
 * batch-first, else {@code [T, B, in]}; initial state {@code h0 [layers, B, H]} (zeros when absent). Weights
 * {@code weight_ih_l{k} [H, in]}, {@code weight_hh_l{k} [H, H]}, {@code bias_ih_l{k}}, {@code bias_hh_l{k} [H]}.
 */
public final class RNN extends Recurrent {

    /** The activation of the cell. */
    public enum Nonlinearity { TANH, RELU }

    private final Nonlinearity nonlinearity;

    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Nonlinearity.TANH, Options.DEFAULTS, Generator.defaultGenerator());
    }

    public RNN(int inputSize, int hiddenSize, Nonlinearity nonlinearity, Options options, Generator generator) {
        super(nonlinearity == Nonlinearity.TANH ? Mode.RNN_TANH : Mode.RNN_RELU, inputSize, hiddenSize, options, generator);
        this.nonlinearity = nonlinearity;
    }

    /** The outputs and the final hidden states; {@code h0} may be null. */
    public Result forward(Tensor input, Tensor h0) {
        return forwardStates(input, h0, null);
    }

    @Override
    public String describe() {
        return super.describe().replace("RNN(", "RNN(nonlinearity=" + nonlinearity + ", ");
    }
}
