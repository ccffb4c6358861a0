package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels;

/** The fast conv kernels. */
final class CpuConv implements ConvKernels {

    static final CpuConv INSTANCE = new CpuConv();

    private CpuConv() {}
}
