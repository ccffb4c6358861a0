package io.shendu.tensor;

import io.shendu.autograd.Function;
import io.shendu.backend.Backends;
import io.shendu.backend.BinaryOp;
import io.shendu.backend.Shapes;
import io.shendu.backend.UnaryOp;

/**
 * The elementwise primitives: {@link Map} (one input, its derivative table beside it), {@link Zip} (two
 * same-shaped inputs) and {@link Where}. Broadcasting happens before them, as an explicit
 * {@link Tensor#expand} whose backward sums, so these kernels never see mismatched shapes.
 */
final class Elementwise {

    private Elementwise() {}

    static Tensor unary(UnaryOp op, float p, float q, Tensor x) {
        x.requireDtype(op.name().toLowerCase(java.util.Locale.ROOT), DType.FLOAT32);
        return new Map(op, p, q).apply(x);
    }

    static Tensor binary(BinaryOp op, float alpha, Tensor a, Tensor b, String name) {
        a.requireDtype(name, DType.FLOAT32);
        b.requireDtype(name, DType.FLOAT32);
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        return new Zip(op, alpha).apply(a.expand(shape), b.expand(shape));
    }

    /** A comparison as a float 0/1 mask; not differentiable. Int tensors are compared by value. */
    static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        Tensor fa = a.toFloat(), fb = b.toFloat();
        int[] shape = Shapes.broadcast(op.name().toLowerCase(java.util.Locale.ROOT), fa.shape(), fb.shape());
        return kernel(op, 1f, 0f, fa.expand(shape), fb.expand(shape));
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Tensor c = cond.toFloat();
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", c.shape(), a.shape()), b.shape());
        return new Where(c.expand(shape)).apply(a.expand(shape), b.expand(shape));
    }

    /** out = op(a, b) straight through the backend, no graph. */
    static Tensor kernel(BinaryOp op, float p, float q, Tensor a, Tensor b) {
        float[] out = new float[a.numel()];
        Backends.current().binary(op, p, q, a.stridedView(), b.stridedView(), out);
        return Tensor.wrap(out, a.shape());
    }

    /** y = f(x); the backward table gives each op's local derivative dy/dx. */
    static final class Map extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final UnaryOp op;
        private final float p, q;

        Map(UnaryOp op, float p, float q) {
            this.op = op;
            this.p = p;
            this.q = q;
        }

        @Override
        public String name() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0];
            float[] out = new float[x.numel()];
            Backends.current().unary(op, p, q, x.stridedView(), out);
            Tensor y = Tensor.wrap(out, x.shape());
            boolean needsOutput = switch (op) {
                case EXP, SQRT, SIGMOID, TANH, RECIPROCAL -> true;
                default -> false;
            };
            saveForBackward(needsOutput ? y : x);
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor s = savedTensors()[0]; // x, or y where the derivative is cheaper in y
            Tensor dx = switch (op) {
                case AFFINE -> g.mul(p);                                          // p
                case EXP -> s.mul(g);                                             // y
                case LOG -> g.div(s);                                             // 1/x
                case SQRT -> g.div(s.mul(2f));                                    // 1/(2y)
                case RECIPROCAL -> g.mul(s.square()).neg();                       // −y²
                case ABS -> kernel(BinaryOp.ABS_BACKWARD, 0, 0, s, g);            // sign(x)
                case POW -> kernel(BinaryOp.POW_BACKWARD, p, 0, s, g);            // p·x^(p−1)
                case CLAMP -> kernel(BinaryOp.CLAMP_BACKWARD, p, q, s, g);        // 1 inside [p, q]
                case RELU -> kernel(BinaryOp.RELU_BACKWARD, 0, 0, s, g);          // 1[x > 0]
                case LEAKY_RELU -> kernel(BinaryOp.LEAKY_RELU_BACKWARD, p, 0, s, g); // 1 or p
                case ELU -> kernel(BinaryOp.ELU_BACKWARD, p, 0, s, g);            // 1 or p·e^x
                case SIGMOID -> kernel(BinaryOp.SIGMOID_BACKWARD, 0, 0, s, g);    // y(1 − y)
                case TANH -> kernel(BinaryOp.TANH_BACKWARD, 0, 0, s, g);          // 1 − y²
                case GELU -> kernel(BinaryOp.GELU_BACKWARD, 0, 0, s, g);          // Φ(x) + x·φ(x)
                case GELU_TANH -> kernel(BinaryOp.GELU_TANH_BACKWARD, 0, 0, s, g);
                case SOFTPLUS -> kernel(BinaryOp.SOFTPLUS_BACKWARD, p, q, s, g);  // σ(p·x)
                case SIGN, EQ_SCALAR, GT_SCALAR, LT_SCALAR, GE_SCALAR, LE_SCALAR -> Tensor.zerosLike(g); // 0 a.e.
            };
            return new Tensor[] {dx};
        }
    }

    /** z = f(a, b) for same-shaped a and b. */
    static final class Zip extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final BinaryOp op;
        private final float alpha;

        Zip(BinaryOp op, float alpha) {
            this.op = op;
            this.alpha = alpha;
        }

        @Override
        public String name() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor z = kernel(op, alpha, 0f, in[0], in[1]);
            switch (op) {
                case MUL, MAXIMUM, MINIMUM -> saveForBackward(in[0], in[1]);
                case DIV -> saveForBackward(in[1], z);
                default -> { }
            }
            return z;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            return switch (op) {
                case ADD -> new Tensor[] {g, alpha == 1f ? g : g.mul(alpha)};     // 1, α
                case SUB -> new Tensor[] {g, g.mul(-alpha)};                       // 1, −α
                case MUL -> new Tensor[] {                                         // b, a
                    needsInputGrad(0) ? g.mul(s[1]) : null, needsInputGrad(1) ? g.mul(s[0]) : null};
                case DIV -> {                                                      // 1/b, −a/b² = −z/b
                    Tensor ga = g.div(s[0]);
                    yield new Tensor[] {ga, needsInputGrad(1) ? ga.mul(s[1]).neg() : null};
                }
                case MAXIMUM, MINIMUM -> {                                         // to the selected side
                    BinaryOp wins = op == BinaryOp.MAXIMUM ? BinaryOp.GT : BinaryOp.LT;
                    Tensor share = kernel(wins, 1, 0, s[0], s[1])
                            .add(kernel(BinaryOp.EQ, 1, 0, s[0], s[1]).mul(0.5f));   // ties split evenly
                    Tensor ga = g.mul(share);
                    yield new Tensor[] {ga, g.sub(ga)};
                }
                default -> throw new IllegalStateException(op + " is not differentiable");
            };
        }
    }

    /** cond ? a : b; the gradient goes to the side that was chosen. */
    static final class Where extends Function {
        @Override
        protected boolean returnsOwnedGradients() {
            return true;   // new tensors or views of the upstream gradient, none kept
        }

        private final Tensor cond;

        Where(Tensor cond) {
            this.cond = cond;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            float[] out = new float[in[0].numel()];
            Backends.current().where(cond.stridedView(), in[0].stridedView(), in[1].stridedView(), out);
            return Tensor.wrap(out, in[0].shape());
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor zero = Tensor.zeros(1).expand(g.shape());
            return new Tensor[] {Tensor.where(cond, g, zero), Tensor.where(cond, zero, g)};
        }
    }
}
