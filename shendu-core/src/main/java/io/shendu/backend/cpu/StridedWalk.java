package io.shendu.backend.cpu;

import io.shendu.backend.StridedView;

/**
 * Walks up to three same-shaped strided operands in row-major order, one contiguous-index segment at a time.
 *
 * <p>Dimensions that are laid out as one for every operand are merged first, so a contiguous tensor is a single
 * row and a bias broadcast {@code [N, C] + [C]} is N rows with inner strides (1, 0). A kernel handles each
 * segment with a tight inner loop over {@code len} elements with constant strides.
 */
final class StridedWalk {

    /** Receives one segment: offsets of each operand, their inner strides, the output offset and the length. */
    @FunctionalInterface
    interface Segment {
        void run(int offA, int strideA, int offB, int strideB, int offC, int strideC, int outOffset, int len);
    }

    final int[] shape;
    final int[][] strides;
    final int[] offsets;
    final int numel;

    /** Merges dimensions for the given views (unused ones may be null). */
    StridedWalk(StridedView a, StridedView b, StridedView c) {
        int[] full = a.shape();
        StridedView[] views = {a, b, c};
        int rank = full.length;
        int[] s = new int[Math.max(rank, 1)];
        int[][] st = new int[3][Math.max(rank, 1)];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (full[d] == 1) continue;
            boolean merge = r > 0;
            for (int v = 0; v < 3 && merge; v++) {
                if (views[v] != null && st[v][r - 1] != views[v].strides()[d] * full[d]) merge = false;
            }
            if (merge) {
                s[r - 1] *= full[d];
                for (int v = 0; v < 3; v++) if (views[v] != null) st[v][r - 1] = views[v].strides()[d];
            } else {
                s[r] = full[d];
                for (int v = 0; v < 3; v++) if (views[v] != null) st[v][r] = views[v].strides()[d];
                r++;
            }
        }
        if (r == 0) { // all dimensions of size 1: one element
            s[0] = 1;
            r = 1;
        }
        this.shape = java.util.Arrays.copyOf(s, r);
        this.strides = new int[3][];
        for (int v = 0; v < 3; v++) strides[v] = java.util.Arrays.copyOf(st[v], r);
        this.offsets = new int[] {a.offset(), b == null ? 0 : b.offset(), c == null ? 0 : c.offset()};
        this.numel = a.numel();
    }

    /** Calls {@code segment} for every row segment of the flat range {@code [start, end)}. */
    void walk(int start, int end, Segment segment) {
        int rank = shape.length;
        int inner = shape[rank - 1];
        int[] index = new int[rank];
        int rest = start;
        for (int d = rank - 1; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        int pos = start;
        while (pos < end) {
            int oa = offsets[0], ob = offsets[1], oc = offsets[2];
            for (int d = 0; d < rank; d++) {
                oa += index[d] * strides[0][d];
                ob += index[d] * strides[1][d];
                oc += index[d] * strides[2][d];
            }
            int len = Math.min(end - pos, inner - index[rank - 1]);
            segment.run(oa, strides[0][rank - 1], ob, strides[1][rank - 1], oc, strides[2][rank - 1], pos, len);
            pos += len;
            index[rank - 1] += len;
            for (int d = rank - 1; d > 0 && index[d] == shape[d]; d--) {
                index[d] = 0;
                index[d - 1]++;
            }
        }
    }
}
