package io.shendu.tensor;

import io.shendu.autograd.Function;
import io.shendu.backend.Backends;
import io.shendu.backend.ReduceOp;
import io.shendu.backend.Shapes;

import java.util.Arrays;

/**
 * Reductions. Primitives: {@link Sum}, {@link Amax} and {@link Softmax}; mean, var, logsumexp and max-with-index
 * are composed from them (and from {@link Tensor#gather}) and get their gradients for free.
 */
final class Reductions {

    private Reductions() {}

    /** Which dimensions {@code dims} names (null or empty: all), validated and de-duplicated. */
    static boolean[] reducedMask(String op, int rank, int[] dims) {
        boolean[] mask = new boolean[rank];
        if (dims == null || dims.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int dim : dims) {
            int d = Shapes.dim(op, dim, rank);
            if (mask[d]) throw new IllegalArgumentException(op + ": dimension " + dim + " given twice in " + Arrays.toString(dims));
            mask[d] = true;
        }
        return mask;
    }

    static int[] keptShape(int[] shape, boolean[] mask, boolean keepdim) {
        int[] out = new int[shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!mask[d]) out[r++] = shape[d];
            else if (keepdim) out[r++] = 1;
        }
        return Arrays.copyOf(out, r);
    }

    static int count(int[] shape, boolean[] mask) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) if (mask[d]) n *= shape[d];
        return n;
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        x.requireDtype("sum", DType.FLOAT32);
        return new Sum(reducedMask("sum", x.rank(), dims), keepdim, ReduceOp.SUM).apply(x);
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        boolean[] mask = reducedMask("mean", x.rank(), dims);
        return sum(x, dims, keepdim).div(count(x.shape(), mask));
    }

    /** Σ (x − mean)² / (N − 1 if unbiased else N). */
    static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepdim) {
        boolean[] mask = reducedMask("var", x.rank(), dims);
        int n = count(x.shape(), mask);
        Tensor centered = x.sub(mean(x, dims, true));
        return sum(centered.square(), dims, keepdim).div(Math.max(n - (unbiased ? 1 : 0), 0));
    }

    static Tensor amax(Tensor x, int[] dims, boolean keepdim) {
        x.requireDtype("amax", DType.FLOAT32);
        boolean[] mask = reducedMask("amax", x.rank(), dims);
        if (x.numel() == 0) throw new IllegalArgumentException("amax: empty tensor " + Arrays.toString(x.shape()));
        return new Amax(mask, keepdim).apply(x);
    }

    /** log Σ e^x = m + log Σ e^(x − m) with m the (constant) maximum, so large inputs do not overflow. */
    static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        Tensor m = amax(x, dims, true).detach();
        Tensor finite = Tensor.where(m.abs().lt(Float.POSITIVE_INFINITY), m, Tensor.zeros(1)); // all −inf rows stay −inf
        Tensor out = sum(x.sub(finite).exp(), dims, true).log().add(finite);
        return keepdim ? out : out.reshape(keptShape(x.shape(), reducedMask("logsumexp", x.rank(), dims), false));
    }

    static Tensor argReduce(Tensor x, int dim, boolean keepdim, ReduceOp op) {
        Tensor fx = x.toFloat();
        String name = op == ReduceOp.ARGMAX ? "argmax" : "argmin";
        int d = Shapes.dim(name, dim, x.rank());
        if (x.size(d) == 0) throw new IllegalArgumentException(name + ": dimension " + dim + " is empty");
        boolean[] mask = new boolean[x.rank()];
        mask[d] = true;
        int[] out = new int[x.numel() / x.size(d)];
        Backends.current().argReduce(op, fx.stridedView(), d, out);
        return Tensor.wrapInts(out, keptShape(x.shape(), mask, keepdim));
    }

    /** Values (differentiable, through gather) and indices along one dimension. */
    static Tensor.MaxResult maxAlong(Tensor x, int dim, boolean keepdim, ReduceOp op) {
        int d = Shapes.dim(op == ReduceOp.ARGMAX ? "max" : "min", dim, x.rank());
        Tensor idx = argReduce(x, d, true, op);
        Tensor values = x.gather(d, idx);
        if (!keepdim) {
            values = values.squeeze(d);
            idx = idx.squeeze(d);
        }
        return new Tensor.MaxResult(values, idx);
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        x.requireDtype(log ? "logSoftmax" : "softmax", DType.FLOAT32);
        int d = Shapes.dim(log ? "logSoftmax" : "softmax", dim, x.rank());
        return new Softmax(d, log).apply(x);
    }

    /** y = Σ x over the masked dimensions; dy/dx = 1, so the gradient is broadcast back. */
    static final class Sum extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final boolean[] mask;
        private final boolean keepdim;
        private final ReduceOp op;
        private int[] inShape;

        Sum(boolean[] mask, boolean keepdim, ReduceOp op) {
            this.mask = mask;
            this.keepdim = keepdim;
            this.op = op;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0];
            inShape = x.shape();
            float[] out = new float[Shapes.numel(keptShape(inShape, mask, false))];
            Backends.current().reduce(op, x.stridedView(), mask, out);
            return Tensor.wrap(out, keptShape(inShape, mask, keepdim));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.reshape(keptShape(inShape, mask, true)).expand(inShape)};
        }
    }

    /** y = max x over the masked dimensions; the gradient is shared equally among the elements equal to y. */
    static final class Amax extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final boolean[] mask;
        private final boolean keepdim;

        Amax(boolean[] mask, boolean keepdim) {
            this.mask = mask;
            this.keepdim = keepdim;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0];
            int[] kept = keptShape(x.shape(), mask, true);
            float[] out = new float[Shapes.numel(kept)];
            Backends.current().reduce(ReduceOp.MAX, x.stridedView(), mask, out);
            Tensor y = Tensor.wrap(out, kept);
            saveForBackward(x, y);
            return keepdim ? y : y.reshape(keptShape(x.shape(), mask, false));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor x = s[0], y = s[1];
            Tensor hit = x.eq(y);
            Tensor share = hit.div(new Sum(mask, true, ReduceOp.SUM).apply(hit));
            return new Tensor[] {share.mul(g.reshape(y.shape()))};
        }
    }

    /** Softmax y = e^x / Σ e^x (or log-softmax) along one dimension, with the fused backward. */
    static final class Softmax extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int dim;
        private final boolean log;

        Softmax(int dim, boolean log) {
            this.dim = dim;
            this.log = log;
        }

        @Override
        public String name() {
            return log ? "LogSoftmax" : "Softmax";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0].contiguous();
            int[] shape = x.shape();
            int outer = 1, inner = 1;
            for (int d = 0; d < dim; d++) outer *= shape[d];
            for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
            float[] out = new float[x.numel()];
            float[] xd = x.offset() == 0 ? x.floatStorage() : x.contiguousCopy().floatStorage();
            Backends.current().softmax(log, xd, out, outer, shape[dim], inner);
            Tensor y = Tensor.wrap(out, shape);
            saveForBackward(y);
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor y = savedTensors()[0];
            int[] shape = y.shape();
            int outer = 1, inner = 1;
            for (int d = 0; d < dim; d++) outer *= shape[d];
            for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
            float[] gd = g.isView() ? g.contiguousCopy().floatStorage() : g.floatStorage();
            float[] out = new float[y.numel()];
            Backends.current().softmaxBackward(log, y.floatStorage(), gd, out, outer, shape[dim], inner);
            return new Tensor[] {Tensor.wrap(out, shape)};
        }
    }
}
