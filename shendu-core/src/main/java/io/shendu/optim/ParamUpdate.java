package io.shendu.optim;

/**
 * What a rule's fused loop reads and writes for one parameter in one step: the parameter's storage, its
 * gradient's storage (each from its own offset; element {@code i} of the flattened tensor is at
 * {@code offset + i}) and the parameter's state, whose arrays start at 0.
 *
 * @param newState true when this step created the state arrays (the parameter's first step, or an option turned
 *     on that needs a new array): SGD then starts its momentum buffer at the gradient itself
 */
public record ParamUpdate(float[] param, int paramOffset, float[] grad, int gradOffset, ParamState state,
                          boolean newState) {

    /** The parameter's step count t, already counting this step (1 on the first). */
    public long step() {
        return state.step();
    }

    /** The state array {@code name} (e.g. {@code exp_avg}). */
    public float[] state(String name) {
        return state.buffer(name);
    }
}
