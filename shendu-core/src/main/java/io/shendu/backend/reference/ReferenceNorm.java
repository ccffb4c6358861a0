package io.shendu.backend.reference;

import io.shendu.backend.NormKernels;

/** The reference norm kernels: direct loops, double accumulation. */
final class ReferenceNorm implements NormKernels {

    static final ReferenceNorm INSTANCE = new ReferenceNorm();

    private ReferenceNorm() {}
}
