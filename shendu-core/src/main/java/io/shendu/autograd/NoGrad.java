package io.shendu.autograd;

/**
 * A scope in which no op records the graph:
 * <pre>{@code
 * try (var ignored = NoGrad.enter()) {
 *     Tensor logits = model.forward(x);   // no graph, no saved tensors
 * }
 * }</pre>
 * Scopes nest; closing one restores the mode that was in force when it was entered.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private NoGrad(boolean enabled) {
        this.previous = GradMode.set(enabled);
    }

    /** Enters a no-grad scope on the current thread. */
    public static NoGrad enter() {
        return new NoGrad(false);
    }

    /** Enters a scope that records the graph even inside an enclosing no-grad scope. */
    public static NoGrad enableGrad() {
        return new NoGrad(true);
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("NoGrad scope closed on thread " + Thread.currentThread().getName()
                    + " but entered on " + owner.getName());
        }
        closed = true;
        GradMode.set(previous);
    }
}
