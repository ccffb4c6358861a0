package io.shendu.nn;

import io.shendu.autograd.Function;
import io.shendu.tensor.Tensor;

/**
 * Cross-entropy of logits {@code [N, C]} at int32 class indices {@code [N]}, mean or sum, without class weights
 * or smoothing, as one primitive: one pass computes each row's log-sum-exp, its loss and its gradient
 * {@code (softmax − onehot)·scale}, which the backward only multiplies by the upstream scalar. Rows whose target
 * is {@code ignoreIndex} add nothing; the mean divides by the number of the others. Sums run in index order,
 * so the result is deterministic.
 */
final class SoftmaxCrossEntropy extends Function {
    @Override
    protected boolean returnsOwnedGradients() {
        return true;   // new tensors or views of the upstream gradient, none kept
    }

    private final int[] target;
    private final int ignoreIndex;
    private final boolean mean;
    private float[] grad;
    private int[] shape;

    SoftmaxCrossEntropy(int[] target, int ignoreIndex, boolean mean) {
        this.target = target;
        this.ignoreIndex = ignoreIndex;
        this.mean = mean;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0].contiguous();
        shape = x.shape();
        int n = shape[0], c = shape[1];
        float[] xd = x.floatStorage();
        int base = x.offset();
        float[] g = new float[n * c];
        double total = 0;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= c) {
                throw new IndexOutOfBoundsException("nll_loss: target " + t + " at position " + i + " outside [0, " + c + ")");
            }
            int row = base + i * c;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, xd[row + j]);
            float s = 0f;
            for (int j = 0; j < c; j++) {
                float e = (float) Math.exp(xd[row + j] - m);
                g[i * c + j] = e;
                s += e;
            }
            float inv = 1f / s;
            for (int j = 0; j < c; j++) g[i * c + j] *= inv;
            g[i * c + t] -= 1f;
            total += (m + (float) Math.log(s)) - xd[row + t];
            kept++;
        }
        float scale = mean && kept > 0 ? 1f / kept : 1f;   // all rows ignored: NaN loss, zero gradient
        if (scale != 1f) for (int k = 0; k < g.length; k++) g[k] *= scale;
        grad = g;
        return Tensor.scalar((float) (mean ? total / kept : total));
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        if (grad == null) {
            throw new IllegalStateException(name() + ": its gradient was freed by an earlier backward; "
                    + "call backward(gradient, true) to keep the graph for a second backward");
        }
        float up = gradOutput.item();
        float[] dx = grad.clone();
        if (up != 1f) for (int k = 0; k < dx.length; k++) dx[k] *= up;
        return new Tensor[] {Tensor.of(dx, shape)};
    }
}
