package io.shendu.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's state for one parameter: its step count and named float arrays the size of the parameter
 * ({@code momentum_buffer}, {@code exp_avg}, ...), named as in PyTorch's optimizer state.
 */
public final class ParamState {

    private final int size;
    private long step;
    private final Map<String, float[]> buffers = new LinkedHashMap<>();

    ParamState(int size) {
        this.size = size;
    }

    /** How many updates this parameter has had. */
    public long step() {
        return step;
    }

    void setStep(long step) {
        if (step < 0) throw new IllegalArgumentException("optimizer state: step must be >= 0, got " + step);
        this.step = step;
    }

    /** The state array {@code name}; fails if the rule has not created it. */
    public float[] buffer(String name) {
        float[] b = buffers.get(name);
        if (b == null) throw new IllegalStateException("optimizer state: no '" + name + "' (has " + buffers.keySet() + ")");
        return b;
    }

    /** All arrays by name, in creation order (read-only map; the arrays are live). */
    public Map<String, float[]> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** Creates {@code name} filled with {@code initial} unless present; true if it was created. */
    boolean ensure(String name, float initial) {
        if (buffers.containsKey(name)) return false;
        float[] b = new float[size];
        if (initial != 0f) Arrays.fill(b, initial);
        buffers.put(name, b);
        return true;
    }

    /** Sets {@code name} to a copy of {@code values}, which must have the parameter's size. */
    void put(String name, float[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException("optimizer state: '" + name + "' has " + values.length
                    + " values for a parameter of " + size + " elements");
        }
        buffers.put(name, values.clone());
    }
}
