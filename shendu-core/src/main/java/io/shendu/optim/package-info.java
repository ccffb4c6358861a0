/**
 * Optimizers, learning-rate schedules and gradient clipping, with PyTorch 1.13's semantics.
 *
 * <p>One generic {@link io.shendu.optim.Optimizer} owns the parameter groups, each parameter's
 * {@link io.shendu.optim.ParamState} and the step count; each algorithm of the lecture's optimizer table is a
 * small validated record implementing {@link io.shendu.optim.UpdateRule}, whose Javadoc states its formula and
 * whose fused loop updates a parameter's storage in place:
 * <table>
 *   <caption>Update rules (g gradient, α lr, t step)</caption>
 *   <tr><td>{@link io.shendu.optim.SGD}</td><td>{@code b = μb + (1 − τ)g;  θ −= α·b}; the lecture's Momentum is
 *       {@link io.shendu.optim.SGD#emaMomentum}</td></tr>
 *   <tr><td>{@link io.shendu.optim.Adagrad}</td><td>{@code s += g²;  θ −= α·g / (√s + ε)}</td></tr>
 *   <tr><td>{@link io.shendu.optim.Adadelta}</td><td>{@code v = ρv + (1 − ρ)g²;  Δ = √(u + ε)/√(v + ε)·g;
 *       u = ρu + (1 − ρ)Δ²;  θ −= α·Δ}</td></tr>
 *   <tr><td>{@link io.shendu.optim.RMSprop}</td><td>{@code v = av + (1 − a)g²;  θ −= α·g / (√v + ε)}</td></tr>
 *   <tr><td>{@link io.shendu.optim.Adam}, {@link io.shendu.optim.AdamW}</td><td>{@code m = β₁m + (1 − β₁)g;
 *       v = β₂v + (1 − β₂)g²;  θ −= α·m̂ / (√v̂ + ε)}</td></tr>
 * </table>
 * Schedules ({@link io.shendu.optim.LRScheduler}) change each {@link io.shendu.optim.ParamGroup}'s lr (and
 * momentum, for {@link io.shendu.optim.OneCycleLR}); {@link io.shendu.optim.GradClip} clips gradients between
 * backward and step.
 */
package io.shendu.optim;
