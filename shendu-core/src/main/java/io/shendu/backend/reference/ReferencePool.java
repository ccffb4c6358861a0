package io.shendu.backend.reference;

import io.shendu.backend.PoolKernels;

/** The reference pool kernels: direct loops, double accumulation. */
final class ReferencePool implements PoolKernels {

    static final ReferencePool INSTANCE = new ReferencePool();

    private ReferencePool() {}
}
