package io.shendu.tensor;

import io.shendu.autograd.Function;
import io.shendu.backend.Backends;
import io.shendu.backend.Shapes;
import io.shendu.backend.StridedView;

import java.util.Arrays;

/**
 * Shape primitives. Each forward returns a view that shares storage; each backward maps the gradient back to
 * the input's shape: reshape back, inverse permutation, sum over broadcast dimensions, or zero-padding of a slice.
 */
final class Views {

    private Views() {}

    static int[] resolveShape(String op, Tensor t, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1 in " + Arrays.toString(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + s[i] + " in " + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        int n = t.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot reshape " + Arrays.toString(t.shape()) + " (" + n
                        + " elements) into " + Arrays.toString(newShape));
            }
            s[infer] = n / known;
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot reshape " + Arrays.toString(t.shape()) + " (" + n
                    + " elements) into " + Arrays.toString(newShape) + " (" + known + " elements)");
        }
        return s;
    }

    static Tensor reshape(Tensor t, int[] newShape) {
        int[] s = resolveShape("reshape", t, newShape);
        if (Arrays.equals(s, t.shape())) return t;
        if (viewStrides(t.shape(), t.strides(), s) != null) return new Reshape(s).apply(t);
        return new Reshape(s).apply(copy(t));
    }

    /**
     * Strides that show a tensor of {@code shape}/{@code strides} as {@code newShape} without copying, or null
     * when its layout does not allow it. Each run of old dimensions that is contiguous in memory may be split or
     * merged freely (PyTorch's {@code computeStride}); so squeeze, unsqueeze and select are always views.
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int[] out = new int[newShape.length];
        if (shape.length == 0 || Shapes.numel(shape) == 0) return Shapes.contiguousStrides(newShape);
        int viewD = newShape.length - 1;
        long chunkBase = strides[shape.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? out : null;
    }

    static Tensor view(Tensor t, int[] newShape) {
        int[] s = resolveShape("view", t, newShape);
        if (viewStrides(t.shape(), t.strides(), s) == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + Arrays.toString(t.shape()) + " with strides "
                    + Arrays.toString(t.strides()) + " cannot be viewed as " + Arrays.toString(s)
                    + " without a copy; use reshape() or contiguous() first");
        }
        return Arrays.equals(s, t.shape()) ? t : new Reshape(s).apply(t);
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        if (t.rank() == 0) return t.reshape(1);
        int a = Shapes.dim("flatten", startDim, t.rank()), b = Shapes.dim("flatten", endDim, t.rank());
        if (a > b) throw new IllegalArgumentException("flatten: startDim " + startDim + " after endDim " + endDim);
        int[] shape = t.shape();
        int[] s = new int[shape.length - (b - a)];
        int merged = 1;
        for (int d = a; d <= b; d++) merged *= shape[d];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d < a || d > b) s[j++] = shape[d];
            else if (d == a) s[j++] = merged;
        }
        return t.reshape(s);
    }

    static Tensor permute(Tensor t, int[] dims) {
        int rank = t.rank();
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " for a tensor of rank " + rank);
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shapes.dim("permute", dims[i], rank);
            if (seen[p[i]]) throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " repeats dimension " + dims[i]);
            seen[p[i]] = true;
        }
        boolean identity = true;
        for (int i = 0; i < rank; i++) identity &= p[i] == i;
        return identity ? t : new Permute(p).apply(t);
    }

    static Tensor transpose(Tensor t, int dim0, int dim1) {
        int rank = t.rank();
        int a = Shapes.dim("transpose", dim0, rank), b = Shapes.dim("transpose", dim1, rank);
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        p[a] = b;
        p[b] = a;
        return permute(t, p);
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step, String op) {
        int d = Shapes.dim(op, dim, t.rank());
        int size = t.size(d);
        if (step <= 0) throw new IllegalArgumentException(op + ": step must be positive, got " + step);
        if (op.equals("narrow")) {
            int length = end - start;
            if (start < 0) start += size;
            if (start < 0 || length < 0 || start + length > size) {
                throw new IllegalArgumentException("narrow: start " + (end - length) + " length " + length
                        + " out of range for dimension " + dim + " of size " + size + " in " + Arrays.toString(t.shape()));
            }
            end = start + length;
        } else {
            start = Math.clamp(start < 0 ? start + size : start, 0, size);
            end = Math.clamp(end < 0 ? end + size : end, 0, size);
            end = Math.max(end, start);
        }
        if (start == 0 && end == size && step == 1) return t;
        return new Slice(d, start, end, step).apply(t);
    }

    static Tensor expand(Tensor t, int[] newShape) {
        int[] shape = t.shape();
        int lead = newShape.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("expand: cannot expand " + Arrays.toString(shape) + " to fewer dimensions "
                    + Arrays.toString(newShape));
        }
        int[] s = newShape.clone();
        for (int i = 0; i < s.length; i++) {
            int old = i < lead ? -2 : shape[i - lead];
            if (s[i] == -1) {
                if (old == -2) throw new IllegalArgumentException("expand: -1 not allowed for the new leading dimension " + i);
                s[i] = old;
            }
            if (old != -2 && old != s[i] && old != 1) {
                throw new IllegalArgumentException("expand: cannot expand " + Arrays.toString(shape) + " to "
                        + Arrays.toString(newShape) + ": size " + old + " vs " + s[i] + " at dimension " + i);
            }
        }
        if (Arrays.equals(s, shape)) return t;
        return new Expand(s).apply(t);
    }

    static Tensor copy(Tensor t) {
        return new Copy().apply(t);
    }

    static final class Reshape extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int[] shape;
        private int[] inShape;

        Reshape(int[] shape) {
            this.shape = shape;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            inShape = in[0].shape();
            return in[0].view(shape.clone(), viewStrides(inShape, in[0].strides(), shape), in[0].offset());
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.reshape(inShape)};
        }
    }

    static final class Permute extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int[] dims;

        Permute(int[] dims) {
            this.dims = dims;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            int[] shape = in[0].shape(), strides = in[0].strides();
            int[] s = new int[dims.length], st = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                s[i] = shape[dims[i]];
                st[i] = strides[dims[i]];
            }
            return in[0].view(s, st, in[0].offset());
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            int[] inverse = new int[dims.length];
            for (int i = 0; i < dims.length; i++) inverse[dims[i]] = i;
            return new Tensor[] {g.permute(inverse)};
        }
    }

    /** Elements start, start+step, ... below end along dim; the gradient is zero outside them. */
    static final class Slice extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int dim, start, end, step;
        private int[] inShape;

        Slice(int dim, int start, int end, int step) {
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor t = in[0];
            inShape = t.shape();
            return sliceView(t);
        }

        private Tensor sliceView(Tensor t) {
            int[] s = t.shape(), st = t.strides();
            int off = t.offset() + start * st[dim];
            s[dim] = (end - start + step - 1) / step;
            st[dim] *= step;
            return t.view(s, st, off);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor full = Tensor.zeros(inShape);
            Backends.current().copy(g.stridedView(), sliceView(full).stridedView());
            return new Tensor[] {full};
        }
    }

    /** Broadcast view (stride 0 on the repeated dimensions); the gradient sums over them. */
    static final class Expand extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final int[] shape;
        private int[] inShape;

        Expand(int[] shape) {
            this.shape = shape;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor t = in[0];
            inShape = t.shape();
            int lead = shape.length - inShape.length;
            int[] st = new int[shape.length];
            int[] old = t.strides();
            for (int i = lead; i < shape.length; i++) {
                st[i] = inShape[i - lead] == shape[i] ? old[i - lead] : 0;
            }
            return t.view(shape.clone(), st, t.offset());
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            int lead = shape.length - inShape.length;
            int[] dims = new int[shape.length];
            int n = 0;
            for (int i = 0; i < shape.length; i++) {
                if (i < lead || (inShape[i - lead] == 1 && shape[i] != 1)) dims[n++] = i;
            }
            Tensor summed = g.sum(Arrays.copyOf(dims, n), true);
            return new Tensor[] {summed.reshape(inShape)};
        }
    }

    /** A contiguous copy; the gradient passes through unchanged. */
    static final class Copy extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].contiguousCopy();
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g};
        }
    }

    /** Writes {@code src} into the strided region {@code dst} (no graph). */
    static void assign(Tensor src, StridedView dst) {
        Backends.current().copy(src.stridedView(), dst);
    }
}
