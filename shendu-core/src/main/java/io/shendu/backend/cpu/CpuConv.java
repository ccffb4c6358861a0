package io.shendu.backend.cpu;

import io.shendu.backend.ConvKernels;

/**
 * The fast conv kernels. With the Vector API present, they run as implicit GEMMs on the SGEMM micro-kernel,
 * never materialising the unfolded input:
 * <ul>
 *   <li>small output maps ({@link CpuConvBatched#suits}): all three as GEMMs over chunks of images, so the weight is
 *       read once per chunk rather than once per image;</li>
 *   <li>forward and weight gradient: {@link CpuConvGemm} (or {@link CpuConvDirect} for groups of at most
 *       {@link CpuConvGemm#DIRECT_ROWS} output channels);</li>
 *   <li>input gradient of a 1×1 convolution with stride 1 and no padding: one {@link Sgemm} per image and
 *       group, {@code dX = Wᵀ·dY}, straight into dx ({@link CpuConvPlain});</li>
 *   <li>input gradient with stride 1: the forward convolution of dy with the weight flipped in space and
 *       transposed in channels (a "full" convolution, padding {@code dilation·(k − 1) − padding}), so no col2im;</li>
 *   <li>input gradient with a larger stride: {@link CpuConvScatter} (GEMM, then col2im into a padded image).</li>
 * </ul>
 * Without the Vector API, {@link CpuConvPlain}: explicit im2col blocks and {@link Sgemm}. The bias gradient is a
 * plain per-channel sum. No result depends on the thread count.
 */
final class CpuConv implements ConvKernels {

    static final CpuConv INSTANCE = new CpuConv(VectorSupport.available());
    /** The kernels without the Vector API (for {@code CpuBackend.plain()} and tests). */
    static final CpuConv PLAIN = new CpuConv(false);

    /** Below this many multiply-adds a call stays on the calling thread. */
    static final long PARALLEL_WORK = 1L << 18;

    private final boolean vector;

    private CpuConv(boolean vector) {
        this.vector = vector;
    }

    @Override
    public void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                        float[] y, int yOff) {
        forward(g, x, xOff, w, wOff, bias, biasOff, y, yOff, false);
    }

    @Override
    public void forwardRelu(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                            float[] y, int yOff) {
        forward(g, x, xOff, w, wOff, bias, biasOff, y, yOff, true);
    }

    /** The forward, with the ReLU applied as outputs are stored (the plain kernels: in a pass of its own). */
    private void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                         float[] y, int yOff, boolean relu) {
        if (vector && CpuConvBatched.suits(g)) {
            CpuConvBatched.forward(g, x, xOff, w, wOff, bias, biasOff, y, yOff, relu);
        } else if (vector) {
            VectorPath.GEMM.forward(g, x, xOff, w, wOff, bias, biasOff, y, yOff, relu);
        } else if (relu) {
            ConvKernels.super.forwardRelu(g, x, xOff, w, wOff, bias, biasOff, y, yOff);
        } else {
            CpuConvPlain.INSTANCE.forward(g, x, xOff, w, wOff, bias, biasOff, y, yOff);
        }
    }

    @Override
    public void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        if (!vector || CpuConvPlain.isPointwise(g)) {
            CpuConvPlain.INSTANCE.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
        } else if (CpuConvBatched.suits(g)) {
            CpuConvBatched.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
        } else if (isFullConvolution(g)) {
            VectorPath.GEMM.forward(flipped(g), dy, dyOff, flippedWeight(g, w, wOff), 0, null, 0, dx, dxOff);
        } else {
            VectorPath.SCATTER.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
        }
    }

    @Override
    public void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        if (vector && CpuConvBatched.suits(g)) {
            CpuConvBatched.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
        } else if (vector) {
            VectorPath.GEMM.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
        } else {
            CpuConvPlain.INSTANCE.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
        }
    }

    /** Each channel is summed by one thread: plane by plane in eight float lanes, planes added in double. */
    @Override
    public void backwardBias(ConvGeometry g, float[] dy, int dyOff, float[] db, int dbOff) {
        int plane = g.outputPlaneSize(), channels = g.outChannels();
        long size = (long) g.batch() * g.outputImageSize();
        int threads = size < ELEMENTWISE_WORK ? 1 : Math.min(Parallel.threads(), channels);
        Parallel.forChunks(channels, threads, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                double sum = 0;
                for (int n = 0; n < g.batch(); n++) sum += planeSum(dy, dyOff + (n * channels + o) * plane, plane);
                db[dbOff + o] = (float) sum;
            }
        });
    }

    /** Eight independent accumulators, so the adds pipeline (and C2 can keep them in registers). */
    private static float planeSum(float[] a, int from, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from, end = from + len, end8 = from + (len & ~7);
        for (; i < end8; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < end; i++) s0 += a[i];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Below this many elements the bias gradient stays on the calling thread. */
    private static final long ELEMENTWISE_WORK = 1L << 16;

    /** Most partial weight gradients one call may hold (in floats, all partials together). */
    static final int PARTIAL_FLOATS = 4 << 20;
    /** Most partial sums the weight gradient splits the batch into. */
    static final int MAX_WEIGHT_CHUNKS = 8;

    /**
     * How many partial sums the weight gradient splits the batch into: enough for the threads to share a batch,
     * as long as the partials (of {@code partialSize} floats each) stay small; 1 when each image's GEMM is large
     * enough to split itself. A function of the geometry only, so the bits never depend on the thread count.
     */
    static int weightChunks(ConvGeometry g, int partialSize) {
        int byMemory = Math.max(1, PARTIAL_FLOATS / partialSize);
        return Math.max(1, Math.min(Math.min(g.batch(), MAX_WEIGHT_CHUNKS), byMemory));
    }

    /** Stride 1 and padding at most dilation·(k − 1): the input gradient is a convolution of dy. */
    static boolean isFullConvolution(ConvGeometry g) {
        return fullPadding(g.height()) >= 0 && fullPadding(g.width()) >= 0
                && g.height().stride() == 1 && g.width().stride() == 1;
    }

    private static int fullPadding(ConvAxis a) {
        return a.dilation() * (a.kernel() - 1) - a.padding();
    }

    /** The convolution from dy to dx: channels swapped, padding dilation·(k − 1) − padding, output size = x's. */
    static ConvGeometry flipped(ConvGeometry g) {
        return new ConvGeometry(g.batch(), g.outChannels(), g.inChannels(), g.groups(), flipped(g.height()),
                flipped(g.width()));
    }

    private static ConvAxis flipped(ConvAxis a) {
        return new ConvAxis(a.out(), a.in(), a.kernel(), 1, fullPadding(a), a.dilation());
    }

    /** W'[g·C/G + c, o, p, q] = W[g·O/G + o, c, kH − 1 − p, kW − 1 − q]: shape [C, O/G, kH, kW]. */
    static float[] flippedWeight(ConvGeometry g, float[] w, int wOff) {
        int kh = g.height().kernel(), kw = g.width().kernel(), taps = kh * kw;
        int cg = g.groupInChannels(), og = g.groupOutChannels();
        float[] out = new float[g.weightSize()];
        for (int group = 0; group < g.groups(); group++) {
            for (int o = 0; o < og; o++) {
                for (int c = 0; c < cg; c++) {
                    int src = wOff + ((group * og + o) * cg + c) * taps, dst = ((group * cg + c) * og + o) * taps;
                    for (int t = 0; t < taps; t++) out[dst + taps - 1 - t] = w[src + t];
                }
            }
        }
        return out;
    }

    /** Loads {@link SgemmVectorKernel} (and with it jdk.incubator.vector) only on first use. */
    private static final class VectorPath {
        private static final SgemmKernel KERNEL = new SgemmVectorKernel();
        static final CpuConvGemm GEMM = new CpuConvGemm(KERNEL);
        static final CpuConvScatter SCATTER = new CpuConvScatter(KERNEL);
    }
}
