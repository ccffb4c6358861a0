package io.shendu.backend;

import io.shendu.backend.cpu.CpuBackend;
import io.shendu.backend.reference.ReferenceBackend;

/**
 * Which backend runs the kernels. The default is the fast CPU backend; the system property
 * {@code shendu.backend=reference} selects the reference loops instead. A scope switches the backend for the
 * current thread only:
 * <pre>{@code
 * try (var scope = Backends.use(ReferenceBackend.INSTANCE)) { ... }
 * }</pre>
 */
public final class Backends {

    private static final Backend DEFAULT = fromProperty();
    private static final ThreadLocal<Backend> OVERRIDE = new ThreadLocal<>();

    private Backends() {}

    /** The backend in force on this thread. */
    public static Backend current() {
        Backend b = OVERRIDE.get();
        return b != null ? b : DEFAULT;
    }

    /** Switches this thread to {@code backend} until the returned scope is closed. */
    public static Scope use(Backend backend) {
        Backend previous = OVERRIDE.get();
        OVERRIDE.set(backend);
        return () -> OVERRIDE.set(previous);
    }

    /** A backend scope; closing it restores the previous backend. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static Backend fromProperty() {
        String name = System.getProperty("shendu.backend", "cpu");
        return switch (name) {
            case "cpu" -> CpuBackend.INSTANCE;
            case "reference" -> ReferenceBackend.INSTANCE;
            default -> throw new IllegalArgumentException(
                    "system property shendu.backend must be 'cpu' or 'reference', got '" + name + "'");
        };
    }
}
