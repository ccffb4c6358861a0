package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.models.PatchDiscriminator;
import io.shendu.models.Pix2PixGenerator;
import io.shendu.nn.Losses;
import io.shendu.nn.Reduction;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lecture: image-to-image translation, pix2pix (Isola et al. 2017) in small. The pairs are made here: the input is
 * the outline of a digit (stroke pixels that touch the background), the target the digit itself. A U-Net generator
 * learns outline → digit against a PatchGAN discriminator that sees outline and digit together; its loss is the
 * adversarial term plus 100 × L1 to the target, Adam 2e-4, β₁ 0.5, as the paper. Reported: the mean absolute
 * pixel error (L1, pixels in [0, 1]) on held-out pairs, next to copying the outline as it is. Figure
 * {@code image-to-image.png}: outline / pix2pix / original.
 */
public final class ImageToImageDemo implements Demo {

    /** The sizes of one run. */
    private record Settings(int trainImages, int testImages, int epochs, int batch, int features) {}

    private static final Settings FULL = new Settings(8000, 1000, 4, 32, 32);
    private static final Settings QUICK = new Settings(128, 64, 1, 32, 4);
    private static final float LAMBDA = 100f, STROKE = 0.5f;
    private static final int EXAMPLES = 16;

    @Override
    public String name() {
        return "image-to-image";
    }

    @Override
    public String description() {
        return "pix2pix in small: digit outlines → digits with a U-Net and a PatchGAN; L1 on held-out pairs; image-to-image.png";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        Settings s = ctx.quick() ? QUICK : FULL;
        PrintWriter out = ctx.out();
        long start = System.nanoTime();
        Tensor trainDigits = Mnist.embedded(Split.TRAIN).subset(0, s.trainImages()).images();
        Tensor testDigits = Mnist.embedded(Split.TEST).subset(0, s.testImages()).images();
        Tensor testEdges = outline(testDigits);
        Generator gen = new Generator(ctx.seed());
        var g = new Pix2PixGenerator(1, 1, s.features(), gen);
        var d = new PatchDiscriminator(2, s.features(), gen);
        out.printf("%d training and %d held-out pairs (outline → digit); U-Net %,d and PatchGAN %,d parameters, %d epochs%n",
                s.trainImages(), s.testImages(), g.parameterCount(), d.parameterCount(), s.epochs());
        var optG = new Optimizer<>(g.parameters(), Adam.of(2e-4).withBetas(0.5, 0.999));
        var optD = new Optimizer<>(d.parameters(), Adam.of(2e-4).withBetas(0.5, 0.999));
        var shuffler = new DataLoader(Mnist.embedded(Split.TRAIN).subset(0, s.trainImages()),
                DataLoader.Options.of(s.batch()).withShuffle(true).withSeed(ctx.seed()));
        // The networks work in [−1, 1] (tanh output).
        Tensor inputs = outline(trainDigits).mul(2f).sub(1f), targets = trainDigits.mul(2f).sub(1f);
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double[] sums = new double[3];
            int[] order = shuffler.order(epoch - 1);
            int steps = order.length / s.batch();
            for (int b = 0; b < steps; b++) {
                Tensor idx = Tensor.ofInts(Arrays.copyOfRange(order, b * s.batch(), (b + 1) * s.batch()), s.batch());
                double[] r = step(g, d, optG, optD, inputs.indexSelect(0, idx), targets.indexSelect(0, idx));
                for (int k = 0; k < 3; k++) sums[k] += r[k];
            }
            out.printf(Locale.ROOT, "  epoch %d/%d: loss D %.3f, G adversarial %.3f, L1 %.4f | held-out L1 %.4f | %.1f s%n", epoch,
                    s.epochs(), sums[0] / steps, sums[1] / steps, sums[2] / steps, l1(translate(g, testEdges), testDigits),
                    (System.nanoTime() - t0) / 1e9);
        }
        Tensor result = translate(g, testEdges);
        out.printf(Locale.ROOT, "%nheld-out %d pairs, mean absolute pixel error (pixels in [0, 1])%n", s.testImages());
        out.printf(Locale.ROOT, "%-22s %.4f%n%-22s %.4f%n", "copy the outline", l1(testEdges, testDigits), "pix2pix", l1(result, testDigits));
        figure(ctx, testEdges, result, testDigits);
        out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Outline / pix2pix / original for the first held-out pairs, two triples per row. */
    private static void figure(DemoContext ctx, Tensor edges, Tensor result, Tensor digits) throws IOException {
        List<Tensor> cells = new ArrayList<>();
        for (int i = 0; i < Math.min(EXAMPLES, edges.size(0)); i++) {
            for (Tensor t : List.of(edges, result, digits)) cells.add(t.narrow(0, i, 1));
        }
        var file = GanDemo.saveGrid(ctx, "image-to-image.png", Tensor.cat(cells, 0), 6,
                new String[] {"outline", "pix2pix", "original", "outline", "pix2pix", "original"});
        ctx.out().println("figure: " + file);
    }

    /**
     * One pix2pix step: the discriminator learns (outline, digit) → 1 and (outline, G(outline)) → 0 on every patch;
     * then the generator minimises BCE(D(outline, G(outline)), 1) + λ·|G(outline) − digit|. Returns loss D, the
     * generator's adversarial term and its L1.
     */
    private static double[] step(Pix2PixGenerator g, PatchDiscriminator d, Optimizer<Adam> optG, Optimizer<Adam> optD,
                                 Tensor edge, Tensor digit) {
        Tensor fake = g.forward(edge);
        Tensor onReal = d.forward(edge, digit), onFake = d.forward(edge, fake.detach());
        Tensor lossD = bce(onReal, Tensor.onesLike(onReal)).add(bce(onFake, Tensor.zerosLike(onFake))).mul(0.5f);
        optD.zeroGrad();
        lossD.backward();
        optD.step();
        Tensor judged = d.forward(edge, fake);
        Tensor adversarial = bce(judged, Tensor.onesLike(judged)), l1 = Losses.l1(fake, digit, Reduction.MEAN);
        optG.zeroGrad();
        adversarial.add(l1.mul(LAMBDA)).backward();
        optG.step();
        return new double[] {lossD.item(), adversarial.item(), l1.item()};
    }

    private static Tensor bce(Tensor logits, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(logits, target, null, null, Reduction.MEAN);
    }

    /** The generator's digits for outlines in [0, 1], in eval mode, back in [0, 1]. */
    private static Tensor translate(Pix2PixGenerator g, Tensor edges) {
        try (var ignored = NoGrad.enter()) {
            g.eval();
            Tensor y = g.forward(edges.mul(2f).sub(1f)).add(1f).mul(0.5f);
            g.train();
            return y;
        }
    }

    private static double l1(Tensor a, Tensor b) {
        return Losses.l1(a, b, Reduction.MEAN).item();
    }

    /** The outline of each digit {@code [N, 1, H, W]}: 1 on stroke pixels (> 0.5) with a background 4-neighbour, else 0. */
    static Tensor outline(Tensor digits) {
        int n = digits.size(0), h = digits.size(2), w = digits.size(3);
        float[] v = digits.contiguous().toFloatArray(), e = new float[v.length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int k = (i * h + y) * w + x;
                    if (v[k] <= STROKE) continue;
                    boolean border = y == 0 || x == 0 || y == h - 1 || x == w - 1
                            || v[k - w] <= STROKE || v[k + w] <= STROKE || v[k - 1] <= STROKE || v[k + 1] <= STROKE;
                    if (border) e[k] = 1f;
                }
            }
        }
        return Tensor.adopt(e, n, 1, h, w);
    }
}
