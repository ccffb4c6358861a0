package io.shendu.autograd;

/**
 * Whether ops record the graph on the current thread. Recording is on by default; a {@link NoGrad} scope turns
 * it off, for inference and for optimizer updates. The flag is per thread, so one thread's no-grad scope never
 * affects another's training.
 */
public final class GradMode {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets the flag and returns its previous value. */
    static boolean set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return previous;
    }
}
