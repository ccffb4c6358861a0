package io.shendu.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gathers of the weight gradient's implicit GEMM ({@link CpuConvGemm}): a panel of the transposed unfolded
 * input holds, for each output position, {@code nr} consecutive kernel taps, which lie far apart in the image
 * (one channel plane or one padded row apart). Hardware gathers ({@code vgatherdps}) fetch them a vector at a
 * time. Load only when {@link VectorSupport#available()}.
 */
final class CpuConvGather {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private CpuConvGather() {}

    /**
     * block[q·kc + p·nr + t] = image[base + tapOffset[k0 + p] + j0 + q + t] for p < kc, q < width (step nr),
     * t < nr: the panels of stride-1 positions, where each tap's positions are a run of the image.
     */
    static void runBlock(float[] image, int base, int[] tapOffset, int k0, int kc, int j0, int width, int nr,
                         float[] block) {
        for (int p = 0; p < kc; p++) {
            int at = base + tapOffset[k0 + p] + j0;
            for (int q = 0; q < width; q += nr) {
                for (int t = 0; t < nr; t += L) {
                    FloatVector.fromArray(S, image, at + q + t).intoArray(block, q * kc + p * nr + t);
                }
            }
        }
    }

    /**
     * panel[p·nr + t] = padded[base + positionOffset[j0 + p] + tapOffset[k0 + t]] for p < kc, t < nr, where
     * {@code nr} is a multiple of the vector length and {@code tapOffset} has at least {@code k0 + nr} entries.
     */
    static void tapPanel(float[] padded, int base, int[] positionOffset, int j0, int kc, int[] tapOffset, int k0,
                         int nr, float[] panel) {
        for (int p = 0; p < kc; p++) {
            int at = base + positionOffset[j0 + p];
            for (int t = 0; t < nr; t += L) {
                FloatVector.fromArray(S, padded, at, tapOffset, k0 + t).intoArray(panel, p * nr + t);
            }
        }
    }
}
