package io.shendu.backend;

/** Reductions over a set of dimensions. ARGMAX/ARGMIN give the flat index within the reduced dimensions. */
public enum ReduceOp {
    SUM, MAX, MIN, ARGMAX, ARGMIN
}
