package io.shendu.tensor;

import io.shendu.autograd.Autograd;
import io.shendu.autograd.Function;
import io.shendu.autograd.GradMode;
import io.shendu.backend.Backends;
import io.shendu.backend.BinaryOp;
import io.shendu.backend.ReduceOp;
import io.shendu.backend.Shapes;
import io.shendu.backend.StridedView;
import io.shendu.backend.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of float32 (or int32 labels and indices) that records the operations applied to it,
 * so that {@link #backward()} can compute gradients.
 *
 * <p>A tensor is a storage plus a shape, strides and an offset. Views ({@link #reshape}, {@link #transpose},
 * {@link #narrow}, {@link #expand}, ...) share the storage; {@link #contiguous()} copies only when needed.
 * Binary ops broadcast like NumPy. Ops record a node of the graph when grad mode is on and an input
 * {@link #requiresGrad()}.
 */
public final class Tensor {

    final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final DType dtype;
    private boolean requiresGrad;
    private Tensor grad;
    private Function gradFn;
    private boolean retainGrad;
    private String name;

    Tensor(Storage storage, int[] shape, int[] strides, int offset, DType dtype) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.dtype = dtype;
    }

    /** A new contiguous float tensor over {@code data} (not copied). */
    static Tensor wrap(float[] data, int... shape) {
        return new Tensor(Storage.ofFloats(data), shape.clone(), Shapes.contiguousStrides(shape), 0, DType.FLOAT32);
    }

    static Tensor wrapInts(int[] data, int... shape) {
        return new Tensor(Storage.ofInts(data), shape.clone(), Shapes.contiguousStrides(shape), 0, DType.INT32);
    }

    /** A view sharing this tensor's storage, with no graph history. */
    Tensor view(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(storage, newShape, newStrides, newOffset, dtype);
    }

    // ------------------------------------------------------------------ creation

    /** A float tensor holding a copy of {@code data}, in row-major order, with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        checkLength("of", data.length, shape);
        return wrap(data.clone(), shape);
    }

    /**
     * A float tensor over {@code data} itself, without a copy: the array becomes the tensor's storage, so the
     * caller must not touch it afterwards. For kernels that compute into a fresh array.
     */
    public static Tensor adopt(float[] data, int... shape) {
        checkLength("adopt", data.length, shape);
        return wrap(data, shape);
    }

    /** A 1-D float tensor of the given values. */
    public static Tensor vector(float... values) {
        return wrap(values.clone(), values.length);
    }

    /** A 2-D float tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return wrap(data, rows.length, cols);
    }

    /** A 0-dimensional float tensor. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value});
    }

    /** An int32 tensor holding a copy of {@code data}. */
    public static Tensor ofInts(int[] data, int... shape) {
        checkLength("ofInts", data.length, shape);
        return wrapInts(data.clone(), shape);
    }

    public static Tensor zeros(int... shape) {
        return wrap(new float[Shapes.numel(checkShape("zeros", shape))], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] data = new float[Shapes.numel(checkShape("full", shape))];
        Arrays.fill(data, value);
        return wrap(data, shape);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** 0, 1, ..., end − 1. */
    public static Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /** start, start + step, ... below {@code end} (above it for a negative step). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step)) throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        int n = (int) Math.max(0, Math.ceil((end - (double) start) / step));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float) (start + (double) i * step);
        return wrap(data, n);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        float[] data = new float[steps];
        double step = steps > 1 ? ((double) end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) data[i] = (float) (start + i * step);
        if (steps > 1) data[steps - 1] = end;
        return wrap(data, steps);
    }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) {
        float[] data = new float[n * n];
        for (int i = 0; i < n; i++) data[i * n + i] = 1f;
        return wrap(data, n, n);
    }

    /** Uniform in [0, 1). */
    public static Tensor rand(Generator gen, int... shape) {
        float[] data = new float[Shapes.numel(checkShape("rand", shape))];
        for (int i = 0; i < data.length; i++) data[i] = gen.nextFloat();
        return wrap(data, shape);
    }

    /** Standard normal. */
    public static Tensor randn(Generator gen, int... shape) {
        float[] data = new float[Shapes.numel(checkShape("randn", shape))];
        for (int i = 0; i < data.length; i++) data[i] = (float) gen.nextGaussian();
        return wrap(data, shape);
    }

    /** Uniform int32 in [low, high). */
    public static Tensor randint(Generator gen, int low, int high, int... shape) {
        if (high <= low) throw new IllegalArgumentException("randint: need low < high, got " + low + " and " + high);
        int[] data = new int[Shapes.numel(checkShape("randint", shape))];
        for (int i = 0; i < data.length; i++) data[i] = low + gen.nextInt(high - low);
        return wrapInts(data, shape);
    }

    private static int[] checkShape(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Arrays.toString(shape));
        }
        return shape;
    }

    private static void checkLength(String op, int length, int[] shape) {
        checkShape(op, shape);
        if (Shapes.numel(shape) != length) {
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + Arrays.toString(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
    }

    // ------------------------------------------------------------------ metadata

    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape[Shapes.dim("size", dim, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public DType dtype() {
        return dtype;
    }

    public int[] strides() {
        return strides.clone();
    }

    /** Offset of the first element in the storage. */
    public int offset() {
        return offset;
    }

    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    /** True unless this tensor is contiguous, starts at offset 0 and spans its whole storage. */
    public boolean isView() {
        return !isContiguous() || offset != 0 || storage.length() != numel();
    }

    /** How many in-place writes its storage has seen. */
    public int version() {
        return storage.version();
    }

    /** A name shown in graph drawings. */
    public String name() {
        return name;
    }

    public Tensor setName(String name) {
        this.name = name;
        return this;
    }

    /** The float storage array shared with views (kernels outside this package read and write it). */
    public float[] floatStorage() {
        requireDtype("floatStorage", DType.FLOAT32);
        return storage.floats;
    }

    /** The int storage array shared with views. */
    public int[] intStorage() {
        requireDtype("intStorage", DType.INT32);
        return storage.ints;
    }

    /** This float tensor as a kernel operand. */
    public StridedView stridedView() {
        requireDtype("stridedView", DType.FLOAT32);
        return new StridedView(storage.floats, offset, shape, strides);
    }

    void requireDtype(String op, DType expected) {
        if (dtype != expected) {
            throw new IllegalArgumentException(op + ": expected a " + expected.torchName() + " tensor, got "
                    + dtype.torchName() + " " + Arrays.toString(shape));
        }
    }

    // ------------------------------------------------------------------ autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a variable whose gradient {@link #backward()} accumulates. */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null && !flag) {
            throw new IllegalStateException("requiresGrad(false) on a tensor computed by " + gradFn.name()
                    + "; use detach() instead");
        }
        if (flag && dtype != DType.FLOAT32) throw new IllegalArgumentException("requiresGrad: only float tensors can require grad");
        requiresGrad = flag;
        return this;
    }

    /** The accumulated gradient, or null before any backward reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Arrays.toString(g.shape)
                    + " for a tensor of shape " + Arrays.toString(shape));
        }
        grad = g;
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    /** The node that computed this tensor, or null for a leaf. */
    public Function gradFn() {
        return gradFn;
    }

    /** Called by {@link Function#apply}: makes {@code fn} this tensor's creator. */
    public void attachGradFn(Function fn) {
        if (gradFn != null) throw new IllegalStateException("tensor already has a creator: " + gradFn.name());
        gradFn = fn;
        requiresGrad = true;
    }

    /** Keeps this non-leaf tensor's gradient in {@link #grad()} during backward. */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    public boolean retainsGrad() {
        return retainGrad;
    }

    /** A tensor sharing this storage, cut from the graph. */
    public Tensor detach() {
        return view(shape, strides, offset);
    }

    /** A tensor sharing this storage with no history (used when an op's output is one of its inputs). */
    public Tensor alias() {
        return view(shape, strides, offset);
    }

    /** Backpropagates from this scalar: accumulates d this / d leaf into every leaf's {@link #grad()}. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: called without a gradient on a tensor of shape "
                    + Arrays.toString(shape) + "; only a single-element tensor has the implicit gradient 1");
        }
        Autograd.backward(this, onesLike(this), false);
    }

    /** Backpropagates with an explicit upstream gradient (for non-scalar outputs). */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
    }

    // ------------------------------------------------------------------ values

    /** The value of a single-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalStateException("item: tensor of shape " + Arrays.toString(shape) + " has " + numel() + " elements, not 1");
        return dtype == DType.FLOAT32 ? storage.floats[offset] : storage.ints[offset];
    }

    /** The element at {@code index} (one index per dimension). */
    public float get(int... index) {
        return dtype == DType.FLOAT32 ? storage.floats[flatOffset("get", index)] : storage.ints[flatOffset("get", index)];
    }

    int flatOffset(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank " + shape.length);
        }
        int off = offset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[d] + " out of range for dimension " + d
                        + " of size " + shape[d]);
            }
            off += index[d] * strides[d];
        }
        return off;
    }

    /** The values in row-major order, as floats. */
    public float[] toFloatArray() {
        if (dtype == DType.INT32) {
            int[] ints = toIntArray();
            float[] out = new float[ints.length];
            for (int i = 0; i < ints.length; i++) out[i] = ints[i];
            return out;
        }
        float[] out = new float[numel()];
        Backends.current().copy(stridedView(), StridedView.contiguous(out, shape));
        return out;
    }

    /** The values in row-major order, as ints (floats are truncated toward zero). */
    public int[] toIntArray() {
        int[] out = new int[numel()];
        if (dtype == DType.FLOAT32) {
            float[] f = toFloatArray();
            for (int i = 0; i < out.length; i++) out[i] = (int) f[i];
            return out;
        }
        int[] idx = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            int off = offset;
            for (int d = 0; d < shape.length; d++) off += idx[d] * strides[d];
            out[i] = storage.ints[off];
            for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
        return out;
    }

    /** This tensor as float32 (a copy for an int tensor, itself for a float one). */
    public Tensor toFloat() {
        return dtype == DType.FLOAT32 ? this : wrap(toFloatArray(), shape);
    }

    /** This tensor as int32, truncating toward zero. */
    public Tensor toInt() {
        return dtype == DType.INT32 ? this : wrapInts(toIntArray(), shape);
    }

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ------------------------------------------------------------------ elementwise

    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, 1f, this, other, "add");
    }

    /** this + alpha·other. */
    public Tensor add(Tensor other, float alpha) {
        return Elementwise.binary(BinaryOp.ADD, alpha, this, other, "add");
    }

    public Tensor add(float value) {
        return Elementwise.unary(UnaryOp.AFFINE, 1f, value, this);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, 1f, this, other, "sub");
    }

    /** this − alpha·other. */
    public Tensor sub(Tensor other, float alpha) {
        return Elementwise.binary(BinaryOp.SUB, alpha, this, other, "sub");
    }

    public Tensor sub(float value) {
        return Elementwise.unary(UnaryOp.AFFINE, 1f, -value, this);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, 1f, this, other, "mul");
    }

    public Tensor mul(float value) {
        return Elementwise.unary(UnaryOp.AFFINE, value, 0f, this);
    }

    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, 1f, this, other, "div");
    }

    public Tensor div(float value) {
        return Elementwise.unary(UnaryOp.AFFINE, 1f / value, 0f, this);
    }

    public Tensor neg() {
        return Elementwise.unary(UnaryOp.AFFINE, -1f, 0f, this);
    }

    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, 0f, 0f, this);
    }

    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, 0f, 0f, this);
    }

    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, 0f, 0f, this);
    }

    public Tensor square() {
        return pow(2f);
    }

    public Tensor pow(float exponent) {
        return Elementwise.unary(UnaryOp.POW, exponent, 0f, this);
    }

    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, 0f, 0f, this);
    }

    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, 0f, 0f, this);
    }

    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, 0f, 0f, this);
    }

    /** Clamps into [min, max]; pass ±infinity (or use {@link #clampMin}/{@link #clampMax}) for one bound. */
    public Tensor clamp(float min, float max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return Elementwise.unary(UnaryOp.CLAMP, min, max, this);
    }

    public Tensor clampMin(float min) {
        return clamp(min, Float.POSITIVE_INFINITY);
    }

    public Tensor clampMax(float max) {
        return clamp(Float.NEGATIVE_INFINITY, max);
    }

    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, 1f, this, other, "maximum");
    }

    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MINIMUM, 1f, this, other, "minimum");
    }

    /** {@code cond != 0 ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    /** 1 where equal, 0 elsewhere (a float mask; not differentiable). */
    public Tensor eq(Tensor other) {
        return Elementwise.compare(BinaryOp.EQ, this, other);
    }

    public Tensor ne(Tensor other) {
        return Elementwise.compare(BinaryOp.NE, this, other);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.compare(BinaryOp.LT, this, other);
    }

    public Tensor le(Tensor other) {
        return Elementwise.compare(BinaryOp.LE, this, other);
    }

    public Tensor gt(Tensor other) {
        return Elementwise.compare(BinaryOp.GT, this, other);
    }

    public Tensor ge(Tensor other) {
        return Elementwise.compare(BinaryOp.GE, this, other);
    }

    public Tensor eq(float value) {
        return Elementwise.compare(BinaryOp.EQ, this, scalar(value));
    }

    public Tensor gt(float value) {
        return Elementwise.compare(BinaryOp.GT, this, scalar(value));
    }

    public Tensor lt(float value) {
        return Elementwise.compare(BinaryOp.LT, this, scalar(value));
    }

    // ------------------------------------------------------------------ activations

    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, 0f, 0f, this);
    }

    public Tensor leakyRelu(float negativeSlope) {
        return Elementwise.unary(UnaryOp.LEAKY_RELU, negativeSlope, 0f, this);
    }

    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, 0f, 0f, this);
    }

    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, 0f, 0f, this);
    }

    public Tensor elu(float alpha) {
        return Elementwise.unary(UnaryOp.ELU, alpha, 0f, this);
    }

    /** Exact GELU, x·Φ(x). */
    public Tensor gelu() {
        return Elementwise.unary(UnaryOp.GELU, 0f, 0f, this);
    }

    /** GELU by its tanh approximation. */
    public Tensor geluTanh() {
        return Elementwise.unary(UnaryOp.GELU_TANH, 0f, 0f, this);
    }

    /** log(1 + e^(βx))/β, linear above {@code threshold}. */
    public Tensor softplus(float beta, float threshold) {
        return Elementwise.unary(UnaryOp.SOFTPLUS, beta, threshold, this);
    }

    public Tensor softmax(int dim) {
        return Reductions.softmax(this, dim, false);
    }

    public Tensor logSoftmax(int dim) {
        return Reductions.softmax(this, dim, true);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, as a 0-dim tensor. */
    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    public Tensor sum(int dim) {
        return Reductions.sum(this, new int[] {dim}, false);
    }

    public Tensor sum(int dim, boolean keepdim) {
        return Reductions.sum(this, new int[] {dim}, keepdim);
    }

    /** Sum over {@code dims} (null or empty: all). */
    public Tensor sum(int[] dims, boolean keepdim) {
        return Reductions.sum(this, dims, keepdim);
    }

    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    public Tensor mean(int dim) {
        return Reductions.mean(this, new int[] {dim}, false);
    }

    public Tensor mean(int dim, boolean keepdim) {
        return Reductions.mean(this, new int[] {dim}, keepdim);
    }

    public Tensor mean(int[] dims, boolean keepdim) {
        return Reductions.mean(this, dims, keepdim);
    }

    /** Variance over {@code dims} (null: all); unbiased divides by N − 1. */
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
        return Reductions.var(this, dims, unbiased, keepdim);
    }

    public Tensor var() {
        return Reductions.var(this, null, true, false);
    }

    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
        return var(dims, unbiased, keepdim).sqrt();
    }

    public Tensor std() {
        return var().sqrt();
    }

    /** Maximum over {@code dims} (null: all); the gradient is shared equally among tied maxima. */
    public Tensor amax(int[] dims, boolean keepdim) {
        return Reductions.amax(this, dims, keepdim);
    }

    public Tensor amax(int dim) {
        return amax(new int[] {dim}, false);
    }

    public Tensor amin(int[] dims, boolean keepdim) {
        return neg().amax(dims, keepdim).neg();
    }

    /** The largest element, as a 0-dim tensor. */
    public Tensor max() {
        return amax(null, false);
    }

    public Tensor min() {
        return amin(null, false);
    }

    /** Maximum along {@code dim} with the index of the first maximum. */
    public MaxResult max(int dim, boolean keepdim) {
        return Reductions.maxAlong(this, dim, keepdim, ReduceOp.ARGMAX);
    }

    public MaxResult min(int dim, boolean keepdim) {
        return Reductions.maxAlong(this, dim, keepdim, ReduceOp.ARGMIN);
    }

    /** The values and int32 indices of {@link #max(int, boolean)} or {@link #min(int, boolean)}. */
    public record MaxResult(Tensor values, Tensor indices) {}

    /** Index of the maximum along {@code dim}, as int32. */
    public Tensor argmax(int dim, boolean keepdim) {
        return Reductions.argReduce(this, dim, keepdim, ReduceOp.ARGMAX);
    }

    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    /** Flat index of the maximum of all elements. */
    public Tensor argmax() {
        return reshape(-1).argmax(0, false);
    }

    public Tensor argmin(int dim, boolean keepdim) {
        return Reductions.argReduce(this, dim, keepdim, ReduceOp.ARGMIN);
    }

    /** log Σ e^x over {@code dims}, computed stably around the maximum. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        return Reductions.logsumexp(this, dims, keepdim);
    }

    public Tensor logsumexp(int dim) {
        return logsumexp(new int[] {dim}, false);
    }

    // ------------------------------------------------------------------ matmul

    /**
     * Matrix product with NumPy semantics: 1-D operands are promoted and the promoted dimension removed,
     * leading (batch) dimensions broadcast.
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    // ------------------------------------------------------------------ shape

    /** The same elements in a new shape (one size may be −1); a view when the layout allows, else a copy. */
    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape);
    }

    /** Like {@link #reshape} but never copies: fails on a layout that needs a copy. */
    public Tensor view(int... newShape) {
        return Views.view(this, newShape);
    }

    public Tensor flatten() {
        return reshape(-1);
    }

    /** Merges dimensions {@code startDim..endDim} into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    /** Transpose of a 2-D tensor. */
    public Tensor t() {
        if (rank() != 2) throw new IllegalArgumentException("t: expected a 2-D tensor, got " + Arrays.toString(shape));
        return transpose(0, 1);
    }

    /** Elements {@code start .. start+length-1} along {@code dim}, as a view. */
    public Tensor narrow(int dim, int start, int length) {
        return Views.slice(this, dim, start, start + length, 1, "narrow");
    }

    /** Python's {@code x[..., start:end:step, ...]} along {@code dim}, as a view. */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step, "slice");
    }

    /** The sub-tensor at {@code index} along {@code dim}, with that dimension removed. */
    public Tensor select(int dim, int index) {
        int d = Shapes.dim("select", dim, rank());
        if (index < 0) index += shape[d];
        return narrow(d, index, 1).squeeze(d);
    }

    /** Broadcasts to {@code newShape} without copying (−1 keeps a size). */
    public Tensor expand(int... newShape) {
        return Views.expand(this, newShape);
    }

    /** Removes all dimensions of size 1. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape).filter(d -> d != 1).toArray());
    }

    /** Removes dimension {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) {
        int d = Shapes.dim("squeeze", dim, rank());
        if (shape[d] != 1) return this;
        int[] s = new int[rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) if (i != d) s[j++] = shape[i];
        return reshape(s);
    }

    /** Inserts a dimension of size 1 at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        int d = Shapes.dim("unsqueeze", dim, rank() + 1);
        int[] s = new int[rank() + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == d ? 1 : shape[j++];
        return reshape(s);
    }

    /** This tensor if contiguous, else a contiguous copy (differentiable). */
    public Tensor contiguous() {
        return isContiguous() ? this : Views.copy(this);
    }

    /** A copy with its own storage (differentiable). */
    public Tensor copy() {
        return Views.copy(this);
    }

    /** A contiguous copy with its own storage and no history. */
    public Tensor contiguousCopy() {
        if (dtype == DType.INT32) return wrapInts(toIntArray(), shape);
        float[] out = new float[numel()];
        Backends.current().copy(stridedView(), StridedView.contiguous(out, shape));
        return wrap(out, shape);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Indexing.cat(tensors, dim);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Indexing.stack(tensors, dim);
    }

    /** Rows (or slices along {@code dim}) picked by the int32 {@code index}; repeated indices allowed. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /** out[i][j] = this[index[i][j]][j] for dim 0 (and likewise for other dims). */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /** A copy of this with {@code src} added at {@code index} along {@code dim}: out[index[i][j]][j] += src[i][j]. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatterAdd(this, dim, index, src);
    }

    /** One-hot float encoding of an int32 tensor: shape {@code [..., numClasses]}. */
    public Tensor oneHot(int numClasses) {
        return Indexing.oneHot(this, numClasses);
    }

    // ------------------------------------------------------------------ in place (no graph)

    /** this += other (broadcast to this shape), in place. For gradients and optimizer state. */
    public Tensor addInPlace(Tensor other) {
        return addInPlace(other, 1f);
    }

    /** this += alpha·other, in place. */
    public Tensor addInPlace(Tensor other, float alpha) {
        checkInPlace("addInPlace");
        Tensor b = other.expand(shape);
        StridedView dst = stridedView();
        StridedView src = b.stridedView();
        if (!isView() && (src.data() != dst.data() || (src.offset() == 0 && Arrays.equals(src.strides(), dst.strides())))) {
            // Whole, contiguous storage that the source does not overlap other than element for element:
            // write the sums straight into it, no temporary.
            Backends.current().binary(BinaryOp.ADD, alpha, 0f, dst, src, dst.data());
        } else {
            float[] tmp = new float[numel()];
            Backends.current().binary(BinaryOp.ADD, alpha, 0f, dst, src, tmp);
            Backends.current().copy(StridedView.contiguous(tmp, shape), dst);
        }
        storage.bumpVersion();
        return this;
    }

    /** this *= value, in place. */
    public Tensor mulInPlace(float value) {
        checkInPlace("mulInPlace");
        if (!isView()) {
            Backends.current().unary(UnaryOp.AFFINE, value, 0f, stridedView(), storage.floats);
            storage.bumpVersion();
            return this;
        }
        float[] tmp = new float[numel()];
        Backends.current().unary(UnaryOp.AFFINE, value, 0f, stridedView(), tmp);
        Backends.current().copy(StridedView.contiguous(tmp, shape), stridedView());
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to {@code value}, in place. */
    public Tensor fill(float value) {
        checkInPlace("fill");
        float[] tmp = new float[numel()];
        Arrays.fill(tmp, value);
        Backends.current().copy(StridedView.contiguous(tmp, shape), stridedView());
        storage.bumpVersion();
        return this;
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor, in place. */
    public Tensor copyFrom(Tensor src) {
        checkInPlace("copyFrom");
        Backends.current().copy(src.expand(shape).stridedView(), stridedView());
        storage.bumpVersion();
        return this;
    }

    /** Records an in-place write done by a kernel outside this class (e.g. an optimizer's fused update). */
    public void markModified() {
        storage.bumpVersion();
    }

    private void checkInPlace(String op) {
        requireDtype(op, DType.FLOAT32);
        if (requiresGrad && gradFn == null && GradMode.isEnabled()) {
            throw new IllegalStateException(op + ": a leaf tensor that requires grad " + Arrays.toString(shape)
                    + " is being modified in place while grad mode is on; wrap the update in NoGrad.enter()");
        }
    }
}
