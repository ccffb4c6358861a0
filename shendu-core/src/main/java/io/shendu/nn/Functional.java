package io.shendu.nn;

import io.shendu.tensor.Tensor;

import java.util.Arrays;

/** Stateless forms of the layers, as {@code torch.nn.functional}. */
public final class Functional {

    private Functional() {}

    /** {@code y = x Wᵀ + b}; x {@code [..., in]}, W {@code [out, in]}, b {@code [out]} or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + Arrays.toString(x.shape()) + " does not match weight "
                    + Arrays.toString(weight.shape()) + ": expected last dimension " + weight.size(1));
        }
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }
}
