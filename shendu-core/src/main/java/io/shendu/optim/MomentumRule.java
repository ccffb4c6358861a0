package io.shendu.optim;

/**
 * A rule with a momentum coefficient that {@link OneCycleLR} can cycle: SGD's and RMSprop's {@code momentum},
 * Adam's β₁ (as PyTorch's OneCycleLR does with {@code betas[0]}).
 */
public interface MomentumRule<R extends UpdateRule<R>> {

    double momentum();

    R withMomentum(double momentum);
}
