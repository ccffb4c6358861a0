package io.shendu.autograd;

import io.shendu.tensor.Tensor;

import java.util.Arrays;

/** Entry points of reverse-mode differentiation. {@link Tensor#backward()} delegates here. */
public final class Autograd {

    private Autograd() {}

    /**
     * Backpropagates from {@code root}, accumulating into the {@code grad()} of every leaf that requires grad.
     *
     * @param gradient dL/d root, of root's shape
     * @param retainGraph keep saved tensors so the graph can be backpropagated again
     */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor " + Arrays.toString(root.shape())
                    + " does not require grad and has no graph (was it computed under NoGrad, or from tensors "
                    + "without requiresGrad?)");
        }
        checkGradShape("backward", root, gradient);
        Engine.run(new Tensor[] {root}, new Tensor[] {gradient}, null, retainGraph);
    }

    /**
     * The gradients of {@code sum_i <outputs[i], gradOutputs[i]>} with respect to {@code inputs}, without
     * touching any {@code grad()}. An input that no output depends on gets a zero gradient.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph) {
        if (gradOutputs.length != outputs.length) {
            throw new IllegalArgumentException("Autograd.grad: " + outputs.length + " outputs but "
                    + gradOutputs.length + " output gradients");
        }
        for (int i = 0; i < outputs.length; i++) {
            if (!outputs[i].requiresGrad()) {
                throw new IllegalArgumentException("Autograd.grad: output " + i + " does not require grad");
            }
            checkGradShape("Autograd.grad", outputs[i], gradOutputs[i]);
        }
        Tensor[] result = Engine.run(outputs, gradOutputs, inputs, retainGraph);
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null) result[i] = Tensor.zeros(inputs[i].shape());
            else if (result[i].isView()) result[i] = result[i].contiguousCopy();
        }
        return result;
    }

    /** {@link #grad(Tensor[], Tensor[], Tensor[], boolean)} of scalar outputs with upstream gradient 1. */
    public static Tensor[] grad(Tensor[] outputs, Tensor... inputs) {
        Tensor[] ones = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i].numel() != 1) {
                throw new IllegalArgumentException("Autograd.grad: output " + i + " has shape "
                        + Arrays.toString(outputs[i].shape()) + "; pass gradOutputs for non-scalar outputs");
            }
            ones[i] = Tensor.onesLike(outputs[i]);
        }
        return grad(outputs, inputs, ones, false);
    }

    private static void checkGradShape(String op, Tensor root, Tensor gradient) {
        if (!Arrays.equals(root.shape(), gradient.shape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Arrays.toString(gradient.shape())
                    + " for a tensor of shape " + Arrays.toString(root.shape()));
        }
    }
}
