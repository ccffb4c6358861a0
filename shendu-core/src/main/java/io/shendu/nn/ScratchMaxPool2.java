package io.shendu.nn;

import io.shendu.backend.Backends;
import io.shendu.backend.PoolKernels.Planes;
import io.shendu.tensor.Tensor;

/**
 * The 2×2 stride-2 max pool that ends a fused op whose ReLU output exists only in a {@link Scratch} array
 * ({@link ConvReluMaxPool}, and the batch norm with {@link Normalization.After#RELU_MAX_POOL2}). The forward pools
 * that array into a new tensor and keeps one byte per output: where the maximum lay in its window, or −1 where the
 * ReLU blocked the gradient. The backward scatters the upstream gradient into scratch, where the op's own backward
 * kernels read it as the gradient of the ReLU's input.
 */
final class ScratchMaxPool2 {

    private final int batch, channels;
    private final Planes planes;
    private byte[] which;

    /** The pool of a {@code [batch, channels, height, width]} ReLU output; an odd last row or column is dropped. */
    ScratchMaxPool2(int batch, int channels, int height, int width) {
        this.batch = batch;
        this.channels = channels;
        this.planes = new Planes(batch * channels, height, width, height / 2, width / 2);
    }

    /** Floats of the ReLU output (and of its gradient): {@code batch·channels·height·width}. */
    int inputSize() {
        return planes.count() * planes.inSize();
    }

    /**
     * Pools {@code y} (the ReLU output, at offset 0) into a new {@code [batch, channels, height/2, width/2]}; keeps
     * the window positions when a backward will follow ({@code recorded}).
     */
    Tensor pool(float[] y, boolean recorded) {
        Tensor pooled = Tensor.zeros(batch, channels, planes.outH(), planes.outW());
        which = recorded ? new byte[pooled.numel()] : null;
        Backends.current().pool().maxPool2x2Relu(planes, y, 0, pooled.floatStorage(), which);
        return pooled;
    }

    /** The gradient of the ReLU's input, from the pooled output's, in this thread's scratch array (offset 0). */
    float[] scatter(Tensor gradOutput) {
        Tensor g = gradOutput.contiguous();
        float[] dy = Scratch.floats(inputSize());
        Backends.current().pool().maxPool2x2ReluBackward(planes, g.floatStorage(), g.offset(), which, dy);
        return dy;
    }
}
