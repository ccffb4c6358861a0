package io.shendu.autograd;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The gradient table: one row per differentiable op (and per interesting case of it), each naming the
 * primitives it exercises. {@link GradientTableTest} runs every row through {@link GradCheck} and fails when a
 * primitive of the main code has no row.
 *
 * <p>A row's inputs are drawn from a generator seeded with its key, inside the op's domain: positive for log,
 * sqrt and fractional powers; at least {@code MARGIN} away from the kinks of abs, relu, clamp and friends
 * (so that x ± eps stays on one side); all values distinct for maximum, minimum, amax and max (no ties).
 */
final class GradientRows {

    private GradientRows() {}

    /** The forward under test: inputs to one output. */
    interface Forward extends java.util.function.Function<Tensor[], Tensor> {}

    /** Draws a row's inputs from its seeded generator. */
    interface Inputs {
        Tensor[] draw(Generator g);
    }

    /** Finite-difference step and the per-element bound |analytic − numeric| ≤ atol + rtol·|numeric|. */
    record Tolerance(double eps, double atol, double rtol) {}

    /** One row: a stable key, the forward, its inputs, its tolerance, and the primitives it covers. */
    record Row(String key, Tolerance tolerance, Forward f, Inputs inputs, Set<String> covers) {
        Tensor[] draw() {
            return inputs.draw(new Generator(key.hashCode()));
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /*
     * Why these tolerances. The forward runs in float32: each evaluation of L = Σ f(x)·u rounds every output
     * to about 6e-8 of its size, and central differences divide the difference of two such L by 2·eps, so the
     * numeric gradient carries noise of about 3e-5·|y| at eps = 1e-3 (more where an output is rounded several
     * times on its way). The truncation error of central differences, eps²·f'''/6, is near 1e-7 at eps = 1e-3
     * and vanishes for functions linear (or quadratic) in each input. Hence four tiers, each set about four
     * times above the worst error measured on both backends at any thread count:
     *   EXACT      data movement and selection (views, cat, gather, max, relu, clamp): the output is the input
     *              itself, so only the float32 summing of repeated gradients differs;
     *   LINEAR     linear or bilinear in each input (add, mul, sum, matmul, scatterAdd, x²): a larger eps
     *              divides the float32 noise by ten at no truncation cost;
     *   SMOOTH     one nonlinear elementwise op;
     *   COMPOSITE  several roundings in a row (softmax, var, std, logsumexp, chains).
     * A wrong derivative (a missing term or factor, a wrong sign, a gradient routed to the wrong element) is
     * off by O(1) and fails every tier by orders of magnitude.
     */
    static final Tolerance EXACT = new Tolerance(1e-3, 1e-5, 1e-5);
    static final Tolerance LINEAR = new Tolerance(1e-2, 2e-4, 2e-4);
    static final Tolerance SMOOTH = new Tolerance(1e-3, 3e-4, 3e-4);
    static final Tolerance COMPOSITE = new Tolerance(1e-3, 1e-3, 1e-3);

    /** Inputs of kinked ops keep this distance from the kink; distinct values are at least this far apart. */
    static final float MARGIN = 0.05f;

    private static final Tensor WHERE_MASK = Tensor.of(new float[] {1, 0, 1}, 3, 1);
    private static final Tensor REPEATED = Tensor.ofInts(new int[] {0, 2, 2, 1, 0}, 5);
    private static final Tensor GATHER_DIM1 = Tensor.ofInts(new int[] {4, 0, 0, 2, 1, 1, 3, 3, 0, 2, 4, 4}, 3, 4);
    private static final Tensor GATHER_DIM0 = Tensor.ofInts(new int[] {2, 0, 1, 0, 1, 1, 2, 2}, 2, 4);
    private static final Tensor SCATTER_DIM0 = Tensor.ofInts(new int[] {0, 3, 3, 1, 0, 3, 1, 1, 2, 0, 2, 0, 0, 3, 2}, 3, 5);
    private static final Tensor SCATTER_DIM1 = Tensor.ofInts(new int[] {1, 1, 0, 2, 2, 2}, 3, 2);

    static final List<Row> ALL = List.of(
            // ---- Map: one primitive per UnaryOp
            row("affine.add_scalar", LINEAR, x -> x[0].add(0.7f), g -> of(normal(g, 3, 5)), "Map:AFFINE"),
            row("affine.mul_scalar", LINEAR, x -> x[0].mul(-1.3f), g -> of(normal(g, 3, 5)), "Map:AFFINE"),
            row("affine.neg", EXACT, x -> x[0].neg(), g -> of(normal(g, 7)), "Map:AFFINE"),
            row("affine.sub_div_scalar.0d", LINEAR, x -> x[0].sub(0.3f).div(4f), g -> of(normal(g)), "Map:AFFINE"),
            row("exp", SMOOTH, x -> x[0].exp(), g -> of(normal(g, 3, 5)), "Map:EXP"),
            row("exp.0d", SMOOTH, x -> x[0].exp(), g -> of(normal(g)), "Map:EXP"),
            row("exp.transposed_input", SMOOTH, x -> x[0].t().exp(), g -> of(normal(g, 5, 3)), "Map:EXP", "Permute"),
            row("log", SMOOTH, x -> x[0].log(), g -> of(uniform(g, 0.5f, 3f, 3, 5)), "Map:LOG"),
            row("sqrt", SMOOTH, x -> x[0].sqrt(), g -> of(uniform(g, 0.5f, 3f, 3, 5)), "Map:SQRT"),
            row("abs", EXACT, x -> x[0].abs(), g -> of(awayFrom(g, 3, 5, 0f)), "Map:ABS"),
            row("pow.square", LINEAR, x -> x[0].square(), g -> of(normal(g, 3, 5)), "Map:POW"),
            row("pow.cube", SMOOTH, x -> x[0].pow(3f), g -> of(normal(g, 3, 5)), "Map:POW"),
            row("pow.fractional", SMOOTH, x -> x[0].pow(1.5f), g -> of(uniform(g, 0.5f, 3f, 3, 5)), "Map:POW"),
            row("pow.negative", SMOOTH, x -> x[0].pow(-2f), g -> of(uniform(g, 0.5f, 3f, 3, 5)), "Map:POW"),
            row("clamp", EXACT, x -> x[0].clamp(-0.5f, 0.5f), g -> of(awayFrom(g, 3, 5, -0.5f, 0.5f)), "Map:CLAMP"),
            row("clamp.min_only", EXACT, x -> x[0].clampMin(0.2f), g -> of(awayFrom(g, 3, 5, 0.2f)), "Map:CLAMP"),
            row("clamp.max_only", EXACT, x -> x[0].clampMax(-0.2f), g -> of(awayFrom(g, 3, 5, -0.2f)), "Map:CLAMP"),
            row("sign", EXACT, x -> x[0].sign(), g -> of(awayFrom(g, 3, 5, 0f)), "Map:SIGN"),
            row("relu", EXACT, x -> x[0].relu(), g -> of(awayFrom(g, 3, 5, 0f)), "Map:RELU"),
            row("leaky_relu", SMOOTH, x -> x[0].leakyRelu(0.1f), g -> of(awayFrom(g, 3, 5, 0f)), "Map:LEAKY_RELU"),
            row("elu", SMOOTH, x -> x[0].elu(1f), g -> of(awayFrom(g, 3, 5, 0f)), "Map:ELU"),
            row("elu.alpha", SMOOTH, x -> x[0].elu(0.5f), g -> of(awayFrom(g, 3, 5, 0f)), "Map:ELU"),
            row("sigmoid", SMOOTH, x -> x[0].sigmoid(), g -> of(normal(g, 3, 5)), "Map:SIGMOID"),
            row("sigmoid.0d", SMOOTH, x -> x[0].sigmoid(), g -> of(normal(g)), "Map:SIGMOID"),
            row("tanh", SMOOTH, x -> x[0].tanh(), g -> of(normal(g, 3, 5)), "Map:TANH"),
            row("gelu", SMOOTH, x -> x[0].gelu(), g -> of(normal(g, 3, 5)), "Map:GELU"),
            row("gelu_tanh", SMOOTH, x -> x[0].geluTanh(), g -> of(normal(g, 3, 5)), "Map:GELU_TANH"),
            row("softplus", SMOOTH, x -> x[0].softplus(1f, 20f), g -> of(normal(g, 3, 5)), "Map:SOFTPLUS"),
            // beta·x above the threshold is linear; softplus is discontinuous there, so stay off x = 0.5
            row("softplus.beta_threshold", SMOOTH, x -> x[0].softplus(2f, 1f), g -> of(awayFrom(g, 3, 5, 0.5f)),
                    "Map:SOFTPLUS"),
            row("reciprocal", SMOOTH, x -> x[0].reciprocal(), g -> of(signedUniform(g, 0.5f, 3f, 3, 5)), "Map:RECIPROCAL"),

            // ---- Zip: the differentiable BinaryOps, with broadcasting (an Expand in front)
            row("add", LINEAR, x -> x[0].add(x[1]), g -> of(normal(g, 3, 5), normal(g, 3, 5)), "Zip:ADD"),
            row("add.broadcast", LINEAR, x -> x[0].add(x[1]), g -> of(normal(g, 3, 1, 4), normal(g, 5, 4)),
                    "Zip:ADD", "Expand"),
            row("add.alpha", LINEAR, x -> x[0].add(x[1], 2.5f), g -> of(normal(g, 5, 4), normal(g, 4)),
                    "Zip:ADD", "Expand"),
            row("add.0d_with_matrix", LINEAR, x -> x[0].add(x[1]), g -> of(normal(g), normal(g, 2, 3)),
                    "Zip:ADD", "Expand"),
            row("sub.broadcast", LINEAR, x -> x[0].sub(x[1]), g -> of(normal(g, 5, 4), normal(g, 3, 1, 4)),
                    "Zip:SUB", "Expand"),
            row("sub.alpha", LINEAR, x -> x[0].sub(x[1], -0.5f), g -> of(normal(g, 3, 5), normal(g, 3, 1)), "Zip:SUB"),
            row("mul", LINEAR, x -> x[0].mul(x[1]), g -> of(normal(g, 3, 5), normal(g, 3, 5)), "Zip:MUL"),
            row("mul.broadcast", LINEAR, x -> x[0].mul(x[1]), g -> of(normal(g, 3, 1, 4), normal(g, 5, 4)),
                    "Zip:MUL", "Expand"),
            row("mul.0d", LINEAR, x -> x[0].mul(x[1]), g -> of(normal(g, 3, 5), normal(g)), "Zip:MUL"),
            row("mul.self", LINEAR, x -> x[0].mul(x[0]), g -> of(normal(g, 3, 5)), "Zip:MUL"),
            row("div", SMOOTH, x -> x[0].div(x[1]), g -> of(normal(g, 3, 5), signedUniform(g, 0.5f, 2f, 3, 5)), "Zip:DIV"),
            row("div.broadcast", SMOOTH, x -> x[0].div(x[1]), g -> of(normal(g, 3, 1, 4), signedUniform(g, 0.5f, 2f, 5, 4)),
                    "Zip:DIV", "Expand"),
            row("maximum.broadcast", EXACT, x -> x[0].maximum(x[1]), g -> distinct(g, shape(3, 1, 4), shape(5, 4)),
                    "Zip:MAXIMUM", "Expand"),
            row("minimum.broadcast", EXACT, x -> x[0].minimum(x[1]), g -> distinct(g, shape(5, 4), shape(3, 1, 4)),
                    "Zip:MINIMUM", "Expand"),
            row("where.broadcast", EXACT, x -> Tensor.where(WHERE_MASK, x[0], x[1]), g -> of(normal(g, 3, 4), normal(g, 4)),
                    "Where"),
            row("where.from_input", LINEAR, x -> Tensor.where(x[0].gt(0f), x[0], x[0].mul(0.1f)),
                    g -> of(awayFrom(g, 3, 5, 0f)), "Where"),

            // ---- reductions
            row("sum.all", LINEAR, x -> x[0].sum(), g -> of(normal(g, 3, 5)), "Sum"),
            row("sum.dim", LINEAR, x -> x[0].sum(1), g -> of(normal(g, 3, 5, 2)), "Sum"),
            row("sum.dims_keepdim", LINEAR, x -> x[0].sum(new int[] {0, -1}, true), g -> of(normal(g, 3, 5, 2)), "Sum"),
            row("sum.0d", EXACT, x -> x[0].sum(), g -> of(normal(g)), "Sum"),
            row("sum.transposed_input", LINEAR, x -> x[0].t().sum(1), g -> of(normal(g, 5, 3)), "Sum", "Permute"),
            row("amax.all", EXACT, x -> x[0].max(), g -> distinct(g, shape(3, 5)), "Amax"),
            row("amax.dim", EXACT, x -> x[0].amax(1), g -> distinct(g, shape(3, 5, 2)), "Amax"),
            row("amax.dims_keepdim", EXACT, x -> x[0].amax(new int[] {0, 2}, true), g -> distinct(g, shape(3, 5, 2)),
                    "Amax"),
            row("amax.strided_input", EXACT, x -> x[0].slice(1, 0, 5, 2).amax(1), g -> distinct(g, shape(3, 5)),
                    "Amax", "Slice"),
            row("amin.dim", EXACT, x -> x[0].amin(new int[] {0}, false), g -> distinct(g, shape(3, 5)), "Amax", "Map:AFFINE"),
            row("max.dim_values", EXACT, x -> x[0].max(1, false).values(), g -> distinct(g, shape(3, 5)), "Gather"),
            row("min.dim_values_keepdim", EXACT, x -> x[0].min(0, true).values(), g -> distinct(g, shape(3, 5)),
                    "Gather"),
            row("softmax", COMPOSITE, x -> x[0].softmax(1), g -> of(normal(g, 3, 5)), "Softmax"),
            row("softmax.middle_dim", COMPOSITE, x -> x[0].softmax(1), g -> of(normal(g, 2, 5, 3)), "Softmax"),
            row("softmax.transposed_input", COMPOSITE, x -> x[0].t().softmax(1), g -> of(normal(g, 5, 3)), "Softmax"),
            row("softmax.offset_input", COMPOSITE, x -> x[0].narrow(0, 1, 2).softmax(1), g -> of(normal(g, 3, 5)),
                    "Softmax", "Slice"),
            row("log_softmax", COMPOSITE, x -> x[0].logSoftmax(-1), g -> of(normal(g, 3, 5)), "Softmax"),
            row("log_softmax.dim0", COMPOSITE, x -> x[0].logSoftmax(0), g -> of(normal(g, 5, 3, 2)), "Softmax"),
            row("mean.all", LINEAR, x -> x[0].mean(), g -> of(normal(g, 3, 5)), "Sum", "Map:AFFINE"),
            row("mean.dim_keepdim", LINEAR, x -> x[0].mean(1, true), g -> of(normal(g, 3, 5, 2)), "Sum", "Map:AFFINE"),
            row("var.unbiased", COMPOSITE, x -> x[0].var(), g -> of(normal(g, 3, 5)), "Sum", "Zip:SUB", "Map:POW"),
            row("var.dims_biased", COMPOSITE, x -> x[0].var(new int[] {1}, false, true), g -> of(normal(g, 3, 5)),
                    "Sum", "Zip:SUB", "Map:POW"),
            row("std", COMPOSITE, x -> x[0].std(new int[] {0, 2}, true, false), g -> of(normal(g, 3, 5, 2)), "Map:SQRT"),
            row("logsumexp", COMPOSITE, x -> x[0].logsumexp(1), g -> of(normal(g, 3, 5)), "Map:EXP", "Map:LOG", "Sum"),
            row("logsumexp.all_keepdim", COMPOSITE, x -> x[0].logsumexp(null, true), g -> of(normal(g, 3, 5)),
                    "Map:EXP", "Map:LOG", "Sum"),

            // ---- matmul (the primitive is MatMul.Product; promotion and broadcasting are views around it)
            row("matmul.2d", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 3, 5), normal(g, 5, 4)), "Product"),
            row("matmul.batched", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 2, 3, 5), normal(g, 2, 5, 4)),
                    "Product"),
            row("matmul.broadcast_batch", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 2, 1, 3, 5), normal(g, 3, 5, 4)),
                    "Product", "Expand"),
            row("matmul.batch_times_matrix", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 2, 3, 5), normal(g, 5, 4)),
                    "Product", "Reshape"),
            row("matmul.dot", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 5), normal(g, 5)), "Product"),
            row("matmul.vector_matrix", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 5), normal(g, 5, 4)), "Product"),
            row("matmul.matrix_vector", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 3, 5), normal(g, 5)), "Product"),
            row("matmul.vector_batched", LINEAR, x -> x[0].matmul(x[1]), g -> of(normal(g, 5), normal(g, 2, 5, 4)),
                    "Product"),
            row("matmul.transposed_left", LINEAR, x -> x[0].t().matmul(x[1]), g -> of(normal(g, 5, 3), normal(g, 5, 4)),
                    "Product", "Permute"),
            row("matmul.transposed_right", LINEAR, x -> x[0].matmul(x[1].t()), g -> of(normal(g, 3, 5), normal(g, 4, 5)),
                    "Product", "Permute"),
            row("matmul.batched_transposed", LINEAR, x -> x[0].transpose(-1, -2).matmul(x[1].transpose(1, 2)),
                    g -> of(normal(g, 2, 5, 3), normal(g, 2, 4, 5)), "Product", "Permute"),
            row("matmul.strided_input", LINEAR, x -> x[0].slice(1, 0, 10, 2).matmul(x[1]),
                    g -> of(normal(g, 3, 10), normal(g, 5, 4)),
                    "Product", "Slice"),

            // ---- views
            row("reshape", EXACT, x -> x[0].reshape(6, -1), g -> of(normal(g, 3, 4, 2)), "Reshape"),
            row("reshape.0d", EXACT, x -> x[0].reshape(1, 1), g -> of(normal(g)), "Reshape"),
            row("reshape.non_contiguous", EXACT, x -> x[0].t().reshape(-1), g -> of(normal(g, 3, 5)), "Reshape", "Copy"),
            row("flatten.squeeze_unsqueeze", EXACT, x -> x[0].unsqueeze(1).flatten(0, 1).squeeze(),
                    g -> of(normal(g, 3, 1, 5)),
                    "Reshape"),
            row("permute", EXACT, x -> x[0].permute(2, 0, 1), g -> of(normal(g, 2, 3, 4)), "Permute"),
            row("transpose", EXACT, x -> x[0].transpose(0, 2), g -> of(normal(g, 2, 3, 4)), "Permute"),
            row("narrow", EXACT, x -> x[0].narrow(1, 1, 3), g -> of(normal(g, 3, 5)), "Slice"),
            row("slice.step", EXACT, x -> x[0].slice(1, 1, 7, 2), g -> of(normal(g, 3, 7)), "Slice"),
            row("slice.negative_start_step", EXACT, x -> x[0].slice(0, -4, 5, 3), g -> of(normal(g, 5, 3)), "Slice"),
            row("select", EXACT, x -> x[0].select(0, -1), g -> of(normal(g, 3, 5)), "Slice", "Reshape"),
            row("expand", EXACT, x -> x[0].expand(3, 4), g -> of(normal(g, 3, 1)), "Expand"),
            row("expand.new_leading", EXACT, x -> x[0].expand(2, 3, 4), g -> of(normal(g, 4)), "Expand"),
            row("expand.0d", EXACT, x -> x[0].expand(2, 3), g -> of(normal(g)), "Expand"),
            row("copy", EXACT, x -> x[0].copy(), g -> of(normal(g, 3, 5)), "Copy"),
            row("copy.expanded", EXACT, x -> x[0].expand(3, 4).copy(), g -> of(normal(g, 3, 1)), "Copy", "Expand"),
            row("contiguous.transposed", EXACT, x -> x[0].t().contiguous(), g -> of(normal(g, 3, 5)), "Copy", "Permute"),

            // ---- joining and indexing
            row("cat.dim0", EXACT, x -> Tensor.cat(List.of(x[0], x[1]), 0), g -> of(normal(g, 2, 3), normal(g, 4, 3)),
                    "Cat"),
            row("cat.last_dim_three", EXACT, x -> Tensor.cat(List.of(x[0], x[1], x[2]), -1),
                    g -> of(normal(g, 3, 1), normal(g, 3, 4), normal(g, 3, 2)), "Cat"),
            row("cat.views", EXACT, x -> Tensor.cat(List.of(x[0].t(), x[0].slice(0, 0, 5, 2).t()), 1),
                    g -> of(normal(g, 5, 3)),
                    "Cat", "Permute", "Slice"),
            row("stack.dim0", EXACT, x -> Tensor.stack(List.of(x[0], x[1]), 0), g -> of(normal(g, 3, 5), normal(g, 3, 5)),
                    "Cat", "Reshape"),
            row("stack.last_dim", EXACT, x -> Tensor.stack(List.of(x[0], x[1], x[0]), 2),
                    g -> of(normal(g, 3, 5), normal(g, 3, 5)),
                    "Cat", "Reshape"),
            row("index_select.repeated", EXACT, x -> x[0].indexSelect(0, REPEATED), g -> of(normal(g, 3, 4)),
                    "IndexSelect"),
            row("index_select.dim1", EXACT, x -> x[0].indexSelect(1, REPEATED), g -> of(normal(g, 2, 3, 2)), "IndexSelect"),
            row("index_select.transposed_input", EXACT, x -> x[0].t().indexSelect(0, REPEATED), g -> of(normal(g, 4, 3)),
                    "IndexSelect", "Permute"),
            row("gather.dim1", EXACT, x -> x[0].gather(1, GATHER_DIM1), g -> of(normal(g, 3, 5)), "Gather"),
            row("gather.dim0_smaller_index", EXACT, x -> x[0].gather(0, GATHER_DIM0), g -> of(normal(g, 3, 5)), "Gather"),
            row("gather.transposed_input", EXACT, x -> x[0].t().gather(1, GATHER_DIM1), g -> of(normal(g, 5, 3)),
                    "Gather", "Permute"),
            row("scatter_add.dim0", LINEAR, x -> x[0].scatterAdd(0, SCATTER_DIM0, x[1]),
                    g -> of(normal(g, 4, 5), normal(g, 3, 5)),
                    "ScatterAdd"),
            row("scatter_add.dim1_smaller_index", LINEAR, x -> x[0].scatterAdd(1, SCATTER_DIM1, x[1]),
                    g -> of(normal(g, 4, 3), normal(g, 3, 2)), "ScatterAdd"),
            row("scatter_add.view_inputs", LINEAR, x -> x[0].t().scatterAdd(0, SCATTER_DIM0, x[1].slice(1, 0, 10, 2)),
                    g -> of(normal(g, 5, 4), normal(g, 3, 10)), "ScatterAdd", "Permute", "Slice"),

            // ---- chains through several ops
            row("chain.mlp_layer", COMPOSITE, x -> x[0].matmul(x[1]).add(x[2]).tanh().logSoftmax(1),
                    g -> of(normal(g, 4, 3), normal(g, 3, 5), normal(g, 5)), "Product", "Zip:ADD", "Map:TANH", "Softmax"),
            row("chain.layer_norm", COMPOSITE,
                    x -> x[0].sub(x[0].mean(1, true)).div(x[0].var(new int[] {1}, false, true).add(1e-5f).sqrt()),
                    g -> of(normal(g, 3, 5)), "Sum", "Zip:SUB", "Zip:DIV", "Map:SQRT"),
            row("chain.attention", COMPOSITE, x -> x[0].matmul(x[1].transpose(-1, -2)).mul(0.5f).softmax(-1).matmul(x[2]),
                    g -> of(normal(g, 2, 3, 4), normal(g, 2, 5, 4), normal(g, 2, 5, 3)), "Product", "Softmax"),
            row("chain.fan_out", COMPOSITE, x -> x[0].mul(x[0].exp()).add(x[0].sigmoid()).sum(0),
                    g -> of(normal(g, 3, 5)), "Zip:MUL", "Map:EXP", "Map:SIGMOID", "Sum"));

    // ---- rows and inputs

    static Row row(String key, Tolerance tolerance, Forward f, Inputs inputs, String... covers) {
        return new Row(key, tolerance, f, inputs, Set.of(covers));
    }

    static Tensor[] of(Tensor... inputs) {
        return inputs;
    }

    private static int[] shape(int... sizes) {
        return sizes;
    }

    static Tensor normal(Generator g, int... shape) {
        return Tensor.randn(g, shape);
    }

    /** Uniform in [lo, hi). */
    static Tensor uniform(Generator g, float lo, float hi, int... shape) {
        return Tensor.rand(g, shape).mul(hi - lo).add(lo);
    }

    /** Uniform magnitude in [lo, hi) with a random sign: a domain that keeps away from zero on both sides. */
    static Tensor signedUniform(Generator g, float lo, float hi, int... shape) {
        float[] v = uniform(g, lo, hi, shape).toFloatArray();
        for (int i = 0; i < v.length; i++) if (g.nextInt(2) == 0) v[i] = -v[i];
        return Tensor.of(v, shape);
    }

    /** Standard normal values of shape [rows, cols], each moved to at least {@link #MARGIN} from every kink. */
    static Tensor awayFrom(Generator g, int rows, int cols, float... kinks) {
        float[] v = normal(g, rows, cols).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            for (float k : kinks) {
                if (Math.abs(v[i] - k) < MARGIN) v[i] = k + (v[i] >= k ? MARGIN : -MARGIN);
            }
        }
        return Tensor.of(v, rows, cols);
    }

    /** Tensors of the given shapes whose values together are a shuffled grid of step 2·MARGIN: no two equal. */
    static Tensor[] distinct(Generator g, int[]... shapes) {
        int n = 0;
        for (int[] s : shapes) n += numel(s);
        float[] grid = new float[n];
        for (int i = 0; i < n; i++) grid[i] = (i - n / 2f) * 2 * MARGIN;
        for (int i = n - 1; i > 0; i--) {   // Fisher–Yates
            int j = g.nextInt(i + 1);
            float t = grid[i];
            grid[i] = grid[j];
            grid[j] = t;
        }
        Tensor[] out = new Tensor[shapes.length];
        for (int k = 0, at = 0; k < shapes.length; at += numel(shapes[k]), k++) {
            out[k] = Tensor.of(Arrays.copyOfRange(grid, at, at + numel(shapes[k])), shapes[k]);
        }
        return out;
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
