package io.shendu.nn;

import io.shendu.autograd.Function;
import io.shendu.backend.ConvKernels.ConvGeometry;
import io.shendu.tensor.Tensor;

/**
 * {@code maxPool2d(relu(conv2d(x, w, b)), 2)} as one op: the convolution → ReLU → 2×2 pool block of LeNet, AlexNet
 * and VGG. The convolution output is pooled as soon as it is computed, in a {@link Scratch} array, so it never
 * becomes a tensor ({@link ScratchMaxPool2}). The forward keeps one byte per pooled output: where its maximum lay in the window, or that the
 * ReLU blocked its gradient. The backward scatters the upstream gradient into the convolution's output gradient
 * (scratch again) and runs the convolution's backward kernels on it.
 *
 * <p>Against the three layers, a training step allocates no convolution output, int argmax, pool input gradient or
 * masked gradient, and makes two passes fewer over the largest activations. Values and gradients are bitwise those
 * of the layers.
 */
final class ConvReluMaxPool extends Function {
    @Override
    protected boolean returnsOwnedGradients() {
        return true;   // new tensors or views of the upstream gradient, none kept
    }

    private final ConvGeometry geometry;
    /** The pool of the convolution's output: one plane per image and output channel. */
    private final ScratchMaxPool2 pool;
    private boolean hasBias;

    ConvReluMaxPool(ConvGeometry geometry) {
        this.geometry = geometry;
        this.pool = new ScratchMaxPool2(geometry.batch(), geometry.outChannels(), geometry.height().out(),
                geometry.width().out());
    }

    @Override
    public String name() {
        return "Conv+ReLU+MaxPool2x2";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        hasBias = in.length > 2;
        Tensor x = in[0].contiguous(), w = in[1].contiguous(), b = hasBias ? in[2].contiguous() : null;
        float[] y = Scratch.floats(pool.inputSize());
        Convolution.kernels().forwardRelu(geometry, x.floatStorage(), x.offset(), w.floatStorage(), w.offset(),
                b == null ? null : b.floatStorage(), b == null ? 0 : b.offset(), y, 0);
        saveForBackward(in[0], in[1]);
        return pool.pool(y, isRecorded());
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor[] s = savedTensors();
        float[] dy = pool.scatter(gradOutput);
        return Convolution.gradients(geometry, dy, 0, s[0], s[1], hasBias, needsInputGrad(0), needsInputGrad(1),
                hasBias && needsInputGrad(2));
    }
}
