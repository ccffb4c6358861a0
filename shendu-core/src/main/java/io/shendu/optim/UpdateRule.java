package io.shendu.optim;

import java.util.List;
import java.util.Map;

/**
 * One optimization algorithm with its hyper-parameters: the update of the lecture's optimizer table, written once
 * as a fused loop over a parameter's storage. Implementations are validated records ({@link SGD}, {@link Adam},
 * ...); {@link Optimizer} owns the parameters, their {@link ParamState} and the step count, and calls
 * {@link #update} for each parameter that has a gradient.
 *
 * @param <R> the implementing record, so that {@code withLr} keeps the type
 */
public interface UpdateRule<R extends UpdateRule<R>> {

    /** PyTorch's class name ({@code "SGD"}, {@code "Adam"}, ...), stored in the optimizer's state dict. */
    String name();

    /** The learning rate α, which schedulers change. */
    double lr();

    /** This rule with another learning rate. */
    R withLr(double lr);

    /**
     * The per-parameter state arrays this configuration keeps, under PyTorch's names ({@code exp_avg},
     * {@code momentum_buffer}, ...); each has the parameter's number of elements.
     */
    List<String> stateNames();

    /** The value a new state array starts with: zero except for Adagrad's {@code initial_accumulator_value}. */
    default float initialState(String stateName) {
        return 0f;
    }

    /**
     * Updates elements {@code [start, end)} of one parameter in place, from its gradient and state. Runs
     * concurrently on disjoint ranges for a big parameter, so it writes only elements of its own range; and it
     * allocates nothing per element.
     */
    void update(ParamUpdate u, int start, int end);

    /** The hyper-parameters under PyTorch's names (numbers, booleans, lists of numbers), for a state dict. */
    Map<String, Object> hyperParameters();

    /** A rule of this type with the hyper-parameters of {@link #hyperParameters()} read back (from a state dict). */
    R withHyperParameters(Map<String, Object> values);
}
