package io.shendu.backend;

/** Norm kernels of a backend (see {@link Backend#norm()}). */
public interface NormKernels {
}
