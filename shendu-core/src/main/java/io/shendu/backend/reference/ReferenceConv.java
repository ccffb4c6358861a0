package io.shendu.backend.reference;

import io.shendu.backend.ConvKernels;

/** The reference conv kernels: direct loops, double accumulation. */
final class ReferenceConv implements ConvKernels {

    static final ReferenceConv INSTANCE = new ReferenceConv();

    private ReferenceConv() {}
}
