package io.shendu.backend;

/** Pool kernels of a backend (see {@link Backend#pool()}). */
public interface PoolKernels {
}
