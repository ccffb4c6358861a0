package io.shendu.backend.cpu;

import io.shendu.backend.PoolKernels;

/** The fast pool kernels. */
final class CpuPool implements PoolKernels {

    static final CpuPool INSTANCE = new CpuPool();

    private CpuPool() {}
}
