package io.shendu.backend;

/** Conv kernels of a backend (see {@link Backend#conv()}). */
public interface ConvKernels {
}
