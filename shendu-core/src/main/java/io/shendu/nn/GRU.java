package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * Gated recurrent unit (Cho et al., 2014), stacked {@code numLayers} deep. Per step, with the gate rows of the
 * weights ordered (r, z, n) as in PyTorch and the reset gate applied after the recurrent product:
 * <pre>
 *   r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr),   z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)
 *   n = tanh(x W_inᵀ + b_in + r·(h W_hnᵀ + b_hn)),   h' = (1 − z)·n + z·h
 * </pre>
 * Input {@code [B, T, in]} with batch-first, else {@code [T, B, in]}; initial state {@code h0 [layers, B, H]}
 * (zeros when absent). Weights {@code weight_ih_l{k} [3H, in]}, {@code weight_hh_l{k} [3H, H]},
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k} [3H]}.
 */
public final class GRU extends Recurrent {

    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Options.DEFAULTS, Generator.defaultGenerator());
    }

    public GRU(int inputSize, int hiddenSize, Options options, Generator generator) {
        super(Mode.GRU, inputSize, hiddenSize, options, generator);
    }

    /** The outputs and the final hidden states; {@code h0} may be null. */
    public Result forward(Tensor input, Tensor h0) {
        return forwardStates(input, h0, null);
    }
}
