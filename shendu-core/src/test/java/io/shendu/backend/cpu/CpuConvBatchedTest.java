package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels.ConvAxis;
import io.shendu.backend.ConvKernels.ConvGeometry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which convolutions run as GEMMs over chunks of images, and how a batch is cut into chunks. (That they compute
 * the convolution is {@code ConvKernelsTest}'s {@code batched_*} cases, against the reference.)
 */
class CpuConvBatchedTest {

    private static ConvGeometry conv(int n, int c, int o, int size, int kernel, int stride, int padding) {
        ConvAxis a = ConvAxis.of(size, kernel, stride, padding, 1);
        return new ConvGeometry(n, c, o, 1, a, a);
    }

    @Test
    void theSmallStagesOfAResNetOnMnistTakeThePath() {
        assertTrue(CpuConvBatched.suits(conv(64, 512, 512, 2, 3, 1, 1)), "2x2 maps");
        assertTrue(CpuConvBatched.suits(conv(64, 256, 512, 4, 3, 2, 1)), "stride 2 down to 2x2");
        assertTrue(CpuConvBatched.suits(conv(64, 128, 128, 7, 3, 1, 1)), "7x7 maps (49 positions)");
        assertFalse(CpuConvBatched.suits(conv(64, 64, 64, 14, 3, 1, 1)), "14x14 maps stay on the implicit GEMM");
        assertFalse(CpuConvBatched.suits(conv(64, 16, 8, 4, 3, 1, 1)), "8 outputs go to the direct kernels");
        assertFalse(CpuConvBatched.suits(conv(1, 512, 512, 2, 3, 1, 1)), "one image has nothing to gather");
        ConvAxis a = ConvAxis.of(4, 3, 1, 1, 1);
        assertFalse(CpuConvBatched.suits(new ConvGeometry(8, 32, 32, 2, a, a)), "groups");
    }

    @Test
    void chunksAreEvenAndBoundedByTheUnfoldedSize() {
        // 512·9 taps × 64 positions = 294,912 floats per image: 14 images fit 4 Mi floats
        assertEquals(10, CpuConvBatched.imagesPerChunk(conv(20, 512, 9, 8, 3, 1, 1)), "20 images as 10 + 10, not 14 + 6");
        assertEquals(64, CpuConvBatched.imagesPerChunk(conv(64, 512, 512, 2, 3, 1, 1)), "4,608 × 4 per image: all 64");
        assertEquals(1, CpuConvBatched.imagesPerChunk(conv(3, 4096, 16, 8, 3, 1, 1)), "one image over the bound");
    }
}
