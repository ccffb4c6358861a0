package io.shendu.nn;

import io.shendu.tensor.Tensor;

import java.util.List;

/**
 * Modules applied in order; children are named 0, 1, 2, ... as in PyTorch.
 *
 * <p>A {@link Conv2d} followed by a {@link ReLU}, or by a {@link BatchNorm2d} that normalises with its running
 * statistics (eval mode) and optionally a ReLU, runs as one convolution: the batch norm folded into the
 * convolution's weight and bias ({@link Conv2d#forwardFolded}) and the ReLU applied as the outputs are stored
 * ({@link Conv2d#forwardRelu}), and a 2×2 max pool after the ReLU pools the outputs as they are computed
 * ({@link Conv2d#forwardReluMaxPool2}, {@link Conv2d#forwardFoldedReluMaxPool2}); any other BatchNorm2d → ReLU (training mode) runs as one batch norm with the ReLU
 * in its passes ({@link BatchNorm2d#forwardRelu}), and with a 2×2 max pool after it, the pool too
 * ({@link BatchNorm2d#forwardReluMaxPool2}). The result is the same function, computed without extra passes
 * over the activations (with a folded batch norm, it differs from the unfused one in float rounding). While a
 * {@link Module#summary} traces the thread, nothing is fused, so each layer gets its own row.
 */
public final class Sequential extends Module {

    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) registerModule(Integer.toString(i), layers[i]);
    }

    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        int n = layers.size();
        boolean fuse = !tracing();
        for (int i = 0; i < n; ) {
            Module m = layers.get(i);
            if (fuse && m instanceof Conv2d conv) {
                int next = i + 1;
                BatchNorm2d bn = next < n && layers.get(next) instanceof BatchNorm2d b && b.normalisesWithRunningStats()
                        && b.numFeatures() == conv.options().outChannels() ? b : null;
                if (bn != null) next++;
                boolean relu = next < n && layers.get(next) instanceof ReLU;
                if (relu) next++;
                if (relu && next < n && layers.get(next) instanceof MaxPool2d pool && halves(pool.options())) {
                    x = bn != null ? conv.forwardFoldedReluMaxPool2(x, bn) : conv.forwardReluMaxPool2(x);
                    i = next + 1;
                    continue;
                }
                if (bn != null || relu) {
                    x = bn != null ? conv.forwardFolded(x, bn, relu) : conv.forwardRelu(x);
                    i = next;
                    continue;
                }
            }
            if (fuse && m instanceof BatchNorm2d bn && i + 1 < n && layers.get(i + 1) instanceof ReLU) {
                if (i + 2 < n && layers.get(i + 2) instanceof MaxPool2d pool && halves(pool.options())) {
                    x = bn.forwardReluMaxPool2(x);
                    i += 3;
                } else {
                    x = bn.forwardRelu(x);
                    i += 2;
                }
                continue;
            }
            x = m.call(x);
            i++;
        }
        return x;
    }

    /** A 2×2 stride-2 window without padding, dilation or ceil mode: the pool the fused ops take. */
    private static boolean halves(MaxPool2d.MaxPool2dOptions o) {
        return o.kernelH() == 2 && o.kernelW() == 2 && o.strideH() == 2 && o.strideW() == 2 && o.padH() == 0
                && o.padW() == 0 && o.dilationH() == 1 && o.dilationW() == 1 && !o.ceilMode();
    }
}
