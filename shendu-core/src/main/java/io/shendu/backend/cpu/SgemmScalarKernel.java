package io.shendu.backend.cpu;

/** The plain-Java micro-kernel, for JVMs without the Vector API: a 4×16 tile accumulated in a local array. */
final class SgemmScalarKernel implements SgemmKernel {

    static final SgemmScalarKernel INSTANCE = new SgemmScalarKernel();
    private static final int MR = 4;
    private static final int NR = 16;

    private SgemmScalarKernel() {}

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiply(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc) {
        float[] acc = new float[MR * NR];
        for (int p = 0; p < kc; p++) {
            int a = aIdx + p * MR, b = bIdx + p * NR;
            for (int r = 0; r < MR; r++) {
                float x = ap[a + r];
                for (int j = 0; j < NR; j++) acc[r * NR + j] += x * bp[b + j];
            }
        }
        for (int r = 0; r < MR; r++) {
            int ci = cIdx + r * ldc;
            for (int j = 0; j < NR; j++) c[ci + j] += acc[r * NR + j];
        }
    }
}
