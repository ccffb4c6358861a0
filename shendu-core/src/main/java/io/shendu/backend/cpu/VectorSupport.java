package io.shendu.backend.cpu;

/**
 * Whether the incubating Vector API ({@code jdk.incubator.vector}) is present in this JVM.
 *
 * <p>Classes that touch {@code jdk.incubator.vector} types are loaded only when this says yes, so a library
 * user who adds no JVM flag gets the plain-loop kernels instead of a {@code NoClassDefFoundError}. Setting the
 * system property {@code shendu.vector=false} forces the plain loops (tests use it to cover both paths).
 */
public final class VectorSupport {

    private static final boolean AVAILABLE = detect();

    private VectorSupport() {}

    /** True when kernels may use {@code jdk.incubator.vector}. */
    public static boolean available() {
        return AVAILABLE;
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("shendu.vector"))) return false;
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
