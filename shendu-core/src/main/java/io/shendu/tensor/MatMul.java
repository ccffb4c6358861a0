package io.shendu.tensor;

import io.shendu.autograd.Function;
import io.shendu.backend.Backend;
import io.shendu.backend.Backends;
import io.shendu.backend.Shapes;

import java.util.Arrays;

/**
 * Matrix product. 1-D operands are promoted to matrices and the promoted dimension dropped afterwards; batch
 * dimensions broadcast; a batch of inputs times one matrix is folded into a single GEMM. Transposed views
 * reach the GEMM as a transpose flag, never as a copy.
 */
final class MatMul {

    private MatMul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        a.requireDtype("matmul", DType.FLOAT32);
        b.requireDtype("matmul", DType.FLOAT32);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: " + Arrays.toString(a.shape()) + " @ " + Arrays.toString(b.shape())
                    + ": both operands need at least one dimension");
        }
        int ka = a.size(-1), kb = b.rank() == 1 ? b.size(0) : b.size(-2);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: " + Arrays.toString(a.shape()) + " @ " + Arrays.toString(b.shape())
                    + ": inner dimensions " + ka + " and " + kb + " differ");
        }
        if (a.rank() == 1 && b.rank() == 1) return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        if (a.rank() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
        if (b.rank() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
        if (b.rank() == 2 && a.rank() > 2) {
            // [..., m, k] @ [k, n]: one GEMM of (batch·m) rows.
            int[] outShape = a.shape();
            outShape[outShape.length - 1] = b.size(1);
            return new Product().apply(a.reshape(-1, ka), b).reshape(outShape);
        }
        int[] batchA = Arrays.copyOf(a.shape(), a.rank() - 2), batchB = Arrays.copyOf(b.shape(), b.rank() - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        int[] shapeA = concat(batch, a.size(-2), ka), shapeB = concat(batch, kb, b.size(-1));
        return new Product().apply(a.expand(shapeA), b.expand(shapeB));
    }

    private static int[] concat(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    /** C = A·B over equal batch shapes; dC/dA = G·Bᵀ and dC/dB = Aᵀ·G. */
    static final class Product extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        @Override
        public String name() {
            return "MatMul";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            return multiply(in[0], in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor a = s[0], b = s[1];
            return new Tensor[] {
                needsInputGrad(0) ? multiply(g, b.transpose(-1, -2)) : null,
                needsInputGrad(1) ? rightGradient(a, b, g) : null};
        }

        /**
         * dB = Aᵀ·G. When B is the transpose of a contiguous matrix (Linear's {@code weight.t()}), computes
         * (Gᵀ·A)ᵀ instead: the same products, laid out so that the gradient reaching the untransposed matrix is
         * contiguous, and accumulating it is a plain copy rather than a strided transpose.
         */
        private static Tensor rightGradient(Tensor a, Tensor b, Tensor g) {
            if (b.rank() == 2 && b.size(0) > 1 && b.size(1) > 1) {
                int[] st = b.strides();
                if (st[0] == 1 && st[1] == b.size(0)) {
                    return multiply(g.transpose(-1, -2), a).transpose(-1, -2);
                }
            }
            return multiply(a.transpose(-1, -2), g);
        }
    }

    /** A matrix operand as the GEMM sees it: storage, transpose flag, leading dimension. */
    private record Operand(Tensor t, boolean trans, int ld) {
        static Operand of(Tensor t) {
            int rank = t.rank();
            int rows = t.size(-2), cols = t.size(-1);
            int[] st = t.strides();
            int rs = st[rank - 2], cs = st[rank - 1];
            if ((cs == 1 || cols == 1) && (rows == 1 || rs >= cols) && rs >= 0) return new Operand(t, false, Math.max(rows == 1 ? cols : rs, Math.max(cols, 1)));
            if ((rs == 1 || rows == 1) && (cols == 1 || cs >= rows)) return new Operand(t, true, Math.max(cols == 1 ? rows : cs, Math.max(rows, 1)));
            return of(t.contiguousCopy());
        }
    }

    /** Batched product of same-batch-shape tensors (batch strides may be 0), no graph. */
    static Tensor multiply(Tensor a, Tensor b) {
        int rank = a.rank();
        int m = a.size(-2), k = a.size(-1), n = b.size(-1);
        int[] outShape = a.shape();
        outShape[rank - 1] = n;
        float[] out = new float[Shapes.numel(outShape)];
        Operand oa = Operand.of(a), ob = Operand.of(b);
        int batches = Shapes.numel(Arrays.copyOf(outShape, rank - 2));
        int[] batchShape = Arrays.copyOf(outShape, rank - 2);
        int[] sa = oa.t.strides(), sb = ob.t.strides();
        Backend backend = Backends.current();
        int[] pos = new int[rank - 2];
        for (int bi = 0; bi < batches; bi++) {
            int offA = oa.t.offset(), offB = ob.t.offset();
            for (int d = 0; d < rank - 2; d++) {
                offA += pos[d] * sa[d];
                offB += pos[d] * sb[d];
            }
            backend.gemm(oa.trans, ob.trans, m, n, k, 1f, oa.t.floatStorage(), offA, oa.ld,
                    ob.t.floatStorage(), offB, ob.ld, 0f, out, bi * m * n, n);
            for (int d = rank - 3; d >= 0 && ++pos[d] == batchShape[d]; d--) pos[d] = 0;
        }
        return Tensor.wrap(out, outShape);
    }
}
