package io.shendu.tensor;

import io.shendu.autograd.Function;
import io.shendu.backend.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joining and indexing primitives: {@link Cat}, {@link IndexSelect}, {@link Gather} and {@link ScatterAdd}.
 * Indices are int32 tensors and are not differentiated.
 */
final class Indexing {

    private Indexing() {}

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: no tensors given");
        Tensor first = tensors.get(0);
        int d = Shapes.dim("cat", dim, first.rank());
        for (int i = 1; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            boolean ok = t.rank() == first.rank() && t.dtype() == first.dtype();
            for (int k = 0; ok && k < first.rank(); k++) ok = k == d || t.size(k) == first.size(k);
            if (!ok) {
                throw new IllegalArgumentException("cat: tensor " + i + " " + Arrays.toString(t.shape()) + " does not match tensor 0 "
                        + Arrays.toString(first.shape()) + " outside dimension " + dim);
            }
        }
        if (tensors.size() == 1) return first;
        if (first.dtype() == DType.INT32) return catInts(tensors, d);
        return new Cat(d).apply(tensors.toArray(Tensor[]::new));
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: no tensors given");
        int d = Shapes.dim("stack", dim, tensors.get(0).rank() + 1);
        for (int i = 1; i < tensors.size(); i++) {
            if (!Arrays.equals(tensors.get(i).shape(), tensors.get(0).shape())) {
                throw new IllegalArgumentException("stack: tensor " + i + " " + Arrays.toString(tensors.get(i).shape())
                        + " differs from tensor 0 " + Arrays.toString(tensors.get(0).shape()));
            }
        }
        List<Tensor> expanded = new ArrayList<>();
        for (Tensor t : tensors) expanded.add(t.unsqueeze(d));
        if (expanded.size() == 1) return expanded.get(0);
        return cat(expanded, d);
    }

    private static Tensor catInts(List<Tensor> tensors, int d) {
        int[] shape = tensors.get(0).shape();
        int total = 0;
        for (Tensor t : tensors) total += t.size(d);
        shape[d] = total;
        int outer = 1, inner = 1;
        for (int k = 0; k < d; k++) outer *= shape[k];
        for (int k = d + 1; k < shape.length; k++) inner *= shape[k];
        int[] out = new int[Shapes.numel(shape)];
        int at = 0;
        for (Tensor t : tensors) {
            int[] src = t.toIntArray();
            int block = t.size(d) * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(src, o * block, out, o * total * inner + at * inner, block);
            at += t.size(d);
        }
        return Tensor.wrapInts(out, shape);
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        index.requireDtype("indexSelect", DType.INT32);
        if (index.rank() != 1) throw new IllegalArgumentException("indexSelect: index must be 1-D, got " + Arrays.toString(index.shape()));
        int d = Shapes.dim("indexSelect", dim, x.rank());
        int[] idx = index.toIntArray();
        for (int i : idx) {
            if (i < 0 || i >= x.size(d)) {
                throw new IndexOutOfBoundsException("indexSelect: index " + i + " out of range for dimension " + dim
                        + " of size " + x.size(d));
            }
        }
        return new IndexSelect(d, idx).apply(x.toFloat());
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        index.requireDtype("gather", DType.INT32);
        int d = Shapes.dim("gather", dim, x.rank());
        checkIndex("gather", x, d, index);
        return new Gather(d, index.contiguousCopy()).apply(x);
    }

    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) {
        index.requireDtype("scatterAdd", DType.INT32);
        int d = Shapes.dim("scatterAdd", dim, self.rank());
        checkIndex("scatterAdd", self, d, index);
        if (!Arrays.equals(src.shape(), index.shape())) {
            throw new IllegalArgumentException("scatterAdd: src " + Arrays.toString(src.shape()) + " and index "
                    + Arrays.toString(index.shape()) + " must have the same shape");
        }
        return new ScatterAdd(d, index.contiguousCopy()).apply(self, src);
    }

    private static void checkIndex(String op, Tensor x, int d, Tensor index) {
        if (index.rank() != x.rank()) {
            throw new IllegalArgumentException(op + ": index " + Arrays.toString(index.shape()) + " and input "
                    + Arrays.toString(x.shape()) + " differ in rank");
        }
        for (int k = 0; k < x.rank(); k++) {
            if (k != d && index.size(k) > x.size(k)) {
                throw new IllegalArgumentException(op + ": index " + Arrays.toString(index.shape()) + " larger than input "
                        + Arrays.toString(x.shape()) + " at dimension " + k);
            }
        }
        for (int i : index.toIntArray()) {
            if (i < 0 || i >= x.size(d)) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " out of range for dimension " + d + " of size " + x.size(d));
            }
        }
    }

    static Tensor oneHot(Tensor labels, int numClasses) {
        labels.requireDtype("oneHot", DType.INT32);
        int[] l = labels.toIntArray();
        float[] out = new float[l.length * numClasses];
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] >= numClasses) {
                throw new IndexOutOfBoundsException("oneHot: label " + l[i] + " at position " + i + " outside [0, " + numClasses + ")");
            }
            out[i * numClasses + l[i]] = 1f;
        }
        int[] shape = Arrays.copyOf(labels.shape(), labels.rank() + 1);
        shape[labels.rank()] = numClasses;
        return Tensor.wrap(out, shape);
    }

    /** Concatenation along dim; each input's gradient is its slice of the upstream gradient. */
    static final class Cat extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int dim;
        private int[] sizes;

        Cat(int dim) {
            this.dim = dim;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            int[] shape = in[0].shape();
            sizes = new int[in.length];
            int total = 0;
            for (int i = 0; i < in.length; i++) total += sizes[i] = in[i].size(dim);
            shape[dim] = total;
            Tensor out = Tensor.zeros(shape);
            int at = 0;
            for (Tensor t : in) {
                Views.assign(t, out.narrow(dim, at, t.size(dim)).stridedView());
                at += t.size(dim);
            }
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] grads = new Tensor[sizes.length];
            int at = 0;
            for (int i = 0; i < sizes.length; i++) {
                grads[i] = g.narrow(dim, at, sizes[i]);
                at += sizes[i];
            }
            return grads;
        }
    }

    /** out = x[..., index, ...] along dim; the backward adds each gradient row back at its index. */
    static final class IndexSelect extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int dim;
        private final int[] index;
        private int[] inShape;

        IndexSelect(int dim, int[] index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0].contiguous();
            inShape = x.shape();
            int[] shape = x.shape();
            shape[dim] = index.length;
            int outer = 1, inner = 1;
            for (int k = 0; k < dim; k++) outer *= shape[k];
            for (int k = dim + 1; k < shape.length; k++) inner *= shape[k];
            float[] src = x.floatStorage(), out = new float[Shapes.numel(shape)];
            int n = inShape[dim];
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < index.length; j++) {
                    System.arraycopy(src, x.offset() + (o * n + index[j]) * inner, out, (o * index.length + j) * inner, inner);
                }
            }
            return Tensor.wrap(out, shape);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            float[] gd = g.contiguousCopy().floatStorage();
            float[] out = new float[Shapes.numel(inShape)];
            int outer = 1, inner = 1;
            for (int k = 0; k < dim; k++) outer *= inShape[k];
            for (int k = dim + 1; k < inShape.length; k++) inner *= inShape[k];
            int n = inShape[dim];
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < index.length; j++) {
                    int src = (o * index.length + j) * inner, dst = (o * n + index[j]) * inner;
                    for (int i = 0; i < inner; i++) out[dst + i] += gd[src + i];
                }
            }
            return new Tensor[] {Tensor.wrap(out, inShape)};
        }
    }

    /**
     * Walks every position of a contiguous index tensor, giving the flat offset of the position in a tensor of
     * shape {@code shape} (row-major) and the offset with dimension {@code dim} replaced by the index value.
     */
    private static void walk(int[] indexShape, int[] idx, int dim, int[] shapeA, int[] stridesA, int offsetA,
                             int[] shapeB, int[] stridesB, int offsetB, java.util.function.IntBinaryOperator body) {
        int rank = indexShape.length;
        int[] pos = new int[rank];
        for (int i = 0; i < idx.length; i++) {
            int a = offsetA, b = offsetB;
            for (int k = 0; k < rank; k++) {
                a += (k == dim ? idx[i] : pos[k]) * stridesA[k];
                b += pos[k] * stridesB[k];
            }
            body.applyAsInt(a, b);
            for (int k = rank - 1; k >= 0 && ++pos[k] == indexShape[k]; k--) pos[k] = 0;
        }
    }

    /** out[p] = x[p with dim replaced by index[p]]; the backward scatter-adds. */
    static final class Gather extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int dim;
        private final Tensor index;
        private int[] inShape;

        Gather(int dim, Tensor index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0];
            inShape = x.shape();
            int[] shape = index.shape();
            float[] out = new float[Shapes.numel(shape)];
            float[] src = x.floatStorage();
            walk(shape, index.intStorage(), dim, x.shape(), x.strides(), x.offset(), shape, Shapes.contiguousStrides(shape), 0,
                    (a, b) -> {
                        out[b] = src[a];
                        return 0;
                    });
            return Tensor.wrap(out, shape);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {Tensor.zeros(inShape).scatterAdd(dim, index, g)};
        }
    }

    /** out = self; out[p with dim replaced by index[p]] += src[p]. */
    static final class ScatterAdd extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int dim;
        private final Tensor index;

        ScatterAdd(int dim, Tensor index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor out = in[0].contiguousCopy();
            Tensor src = in[1];
            float[] od = out.floatStorage(), sd = src.floatStorage();
            walk(index.shape(), index.intStorage(), dim, out.shape(), out.strides(), 0, src.shape(), src.strides(), src.offset(),
                    (a, b) -> {
                        od[a] += sd[b];
                        return 0;
                    });
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g, needsInputGrad(1) ? g.gather(dim, index) : null};
        }
    }
}
