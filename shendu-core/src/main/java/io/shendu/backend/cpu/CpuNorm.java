package io.shendu.backend.cpu;

import io.shendu.backend.NormKernels;

/** The fast norm kernels. */
final class CpuNorm implements NormKernels {

    static final CpuNorm INSTANCE = new CpuNorm();

    private CpuNorm() {}
}
