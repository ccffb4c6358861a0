package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.models.ImageMetrics;
import io.shendu.models.Resize;
import io.shendu.models.SrDiscriminator;
import io.shendu.models.SrResNet;
import io.shendu.nn.Losses;
import io.shendu.nn.Module;
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
 * Lecture: super-resolution, SRResNet against SRGAN (Ledig et al. 2017). The digits are shrunk 2× with bicubic
 * interpolation (28 × 28 → 14 × 14) and three methods bring them back: bicubic upscaling, SRResNet trained on the
 * pixel MSE, and SRGAN (the same network, started from the SRResNet weights as in the paper, then trained with
 * MSE plus 10⁻³ × an adversarial loss against {@link SrDiscriminator}). The paper's table: PSNR and SSIM on held-out
 * images; the adversarial term trades a little of both for sharper strokes. Figure {@code super-resolution.png}:
 * input / bicubic / SRResNet / SRGAN / original.
 */
public final class SuperResolutionDemo implements Demo {

    /** The sizes of one run. */
    private record Settings(int trainImages, int testImages, int resnetEpochs, int ganEpochs, int batch, int channels, int blocks) {}

    private static final Settings FULL = new Settings(8000, 1000, 3, 1, 32, 16, 4);
    private static final Settings QUICK = new Settings(128, 64, 1, 1, 32, 4, 1);
    private static final int SCALE = 2, SIDE = 28, ROWS = 8;
    private static final double ADVERSARIAL_WEIGHT = 1e-3;

    @Override
    public String name() {
        return "super-resolution";
    }

    @Override
    public String description() {
        return "2× super-resolution of the digits: bicubic vs SRResNet vs SRGAN, PSNR/SSIM table; super-resolution.png";
    }

    /** Low- and high-resolution digits for training and for the held-out table. */
    private record Pairs(Tensor trainLow, Tensor trainHigh, Tensor testLow, Tensor testHigh) {}

    @Override
    public void run(DemoContext ctx) throws Exception {
        Settings s = ctx.quick() ? QUICK : FULL;
        PrintWriter out = ctx.out();
        long start = System.nanoTime();
        Tensor trainHigh = Mnist.embedded(Split.TRAIN).subset(0, s.trainImages()).images();
        Tensor testHigh = Mnist.embedded(Split.TEST).subset(0, s.testImages()).images();
        Pairs data = new Pairs(shrink(trainHigh), trainHigh, shrink(testHigh), testHigh);
        out.printf("%d training and %d held-out digits, %d×%d shrunk to %d×%d with bicubic interpolation%n",
                s.trainImages(), s.testImages(), SIDE, SIDE, SIDE / SCALE, SIDE / SCALE);

        Generator gen = new Generator(ctx.seed());
        SrResNet resnet = new SrResNet(SCALE, s.channels(), s.blocks(), gen);
        out.printf("SRResNet: %d residual blocks of %d channels, %,d parameters; MSE, Adam 1e-3, %d epoch(s)%n", s.blocks(),
                s.channels(), resnet.parameterCount(), s.resnetEpochs());
        trainResnet(ctx, s, resnet, data);

        SrResNet srgan = new SrResNet(SCALE, s.channels(), s.blocks(), gen);
        srgan.loadStateDict(resnet.stateDict(), true);
        SrDiscriminator disc = new SrDiscriminator(SIDE, s.channels(), gen);
        out.printf("SRGAN: the SRResNet weights, then MSE + %.0e × adversarial against a %,d-parameter discriminator, "
                + "Adam 1e-4, %d epoch(s)%n", ADVERSARIAL_WEIGHT, disc.parameterCount(), s.ganEpochs());
        trainSrgan(ctx, s, srgan, disc, data);

        tableAndFigure(ctx, data, resnet, srgan);
        out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static void trainResnet(DemoContext ctx, Settings s, SrResNet resnet, Pairs data) {
        var opt = new Optimizer<>(resnet.parameters(), Adam.of(1e-3));
        DataLoader shuffler = shuffler(s, ctx.seed());
        for (int epoch = 1; epoch <= s.resnetEpochs(); epoch++) {
            long t0 = System.nanoTime();
            double mse = 0;
            int steps = 0;
            for (int[] idx : batches(shuffler, epoch, s.batch())) {
                Tensor loss = Losses.mse(resnet.forward(rows(data.trainLow(), idx)), rows(data.trainHigh(), idx), Reduction.MEAN);
                opt.zeroGrad();
                loss.backward();
                opt.step();
                mse += loss.item();
                steps++;
            }
            ctx.out().printf(Locale.ROOT, "  epoch %d/%d: train MSE %.5f | held-out PSNR %.2f dB | %.1f s%n", epoch, s.resnetEpochs(),
                    mse / steps, heldOutPsnr(resnet, data), (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * SRGAN's loop: the discriminator learns real high-resolution digits → 1 and upscaled ones → 0; the generator
     * minimises MSE + w·BCE(D(G(x)), 1).
     */
    private static void trainSrgan(DemoContext ctx, Settings s, SrResNet g, SrDiscriminator d, Pairs data) {
        var optG = new Optimizer<>(g.parameters(), Adam.of(1e-4));
        var optD = new Optimizer<>(d.parameters(), Adam.of(1e-4));
        Tensor ones = Tensor.ones(s.batch()), zeros = Tensor.zeros(s.batch());
        DataLoader shuffler = shuffler(s, ctx.seed() + 1);
        for (int epoch = 1; epoch <= s.ganEpochs(); epoch++) {
            long t0 = System.nanoTime();
            double mse = 0, adv = 0, lossD = 0;
            int steps = 0;
            for (int[] idx : batches(shuffler, epoch, s.batch())) {
                Tensor high = rows(data.trainHigh(), idx), fake = g.forward(rows(data.trainLow(), idx));
                Tensor ld = bce(d.forward(high), ones).add(bce(d.forward(fake.detach()), zeros));
                optD.zeroGrad();
                ld.backward();
                optD.step();
                Tensor content = Losses.mse(fake, high, Reduction.MEAN), adversarial = bce(d.forward(fake), ones);
                optG.zeroGrad();
                content.add(adversarial.mul((float) ADVERSARIAL_WEIGHT)).backward();
                optG.step();
                mse += content.item();
                adv += adversarial.item();
                lossD += ld.item();
                steps++;
            }
            ctx.out().printf(Locale.ROOT, "  epoch %d/%d: content MSE %.5f, adversarial %.3f, loss D %.3f | held-out PSNR %.2f dB | %.1f s%n",
                    epoch, s.ganEpochs(), mse / steps, adv / steps, lossD / steps, heldOutPsnr(g, data), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The paper's table on the held-out digits, and the figure: input / bicubic / SRResNet / SRGAN / original. */
    private static void tableAndFigure(DemoContext ctx, Pairs data, SrResNet resnet, SrResNet srgan) throws IOException {
        Tensor low = data.testLow(), high = data.testHigh();
        String[] methods = {"bicubic", "SRResNet", "SRGAN"};
        Tensor[] outputs = {Resize.bicubic(low, SIDE, SIDE).clamp(0f, 1f), upscale(resnet, low), upscale(srgan, low)};
        ctx.out().printf("%nheld-out %d digits, 2× (the paper's table)%n%-10s %8s %8s%n", high.size(0), "method", "PSNR dB", "SSIM");
        for (int m = 0; m < methods.length; m++) {
            ctx.out().printf(Locale.ROOT, "%-10s %8.2f %8.4f%n", methods[m], ImageMetrics.psnr(outputs[m], high, 1),
                    ImageMetrics.ssim(outputs[m], high, 1));
        }
        List<Tensor> cells = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            cells.add(nearest(low.narrow(0, i, 1)));
            for (Tensor t : outputs) cells.add(t.narrow(0, i, 1));
            cells.add(high.narrow(0, i, 1));
        }
        var file = GanDemo.saveGrid(ctx, "super-resolution.png", Tensor.cat(cells, 0), 5,
                new String[] {"input", "bicubic", "SRResNet", "SRGAN", "original"});
        ctx.out().println("figure: " + file);
    }

    private static Tensor bce(Tensor logits, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(logits, target, null, null, Reduction.MEAN);
    }

    private static Tensor shrink(Tensor high) {
        return Resize.bicubic(high, SIDE / SCALE, SIDE / SCALE);
    }

    /** The network's output in eval mode, clamped to the pixel range as a saved picture would be. */
    private static Tensor upscale(Module net, Tensor low) {
        try (var ignored = NoGrad.enter()) {
            net.eval();
            Tensor y = net.forward(low).clamp(0f, 1f);
            net.train();
            return y;
        }
    }

    /** Each pixel repeated SCALE × SCALE: how the low-resolution input looks at the original size. */
    private static Tensor nearest(Tensor low) {
        int n = low.size(0), h = low.size(2), w = low.size(3);
        return low.reshape(n, 1, h, 1, w, 1).expand(n, 1, h, SCALE, w, SCALE).reshape(n, 1, h * SCALE, w * SCALE);
    }

    private static double heldOutPsnr(Module net, Pairs data) {
        return ImageMetrics.psnr(upscale(net, data.testLow()), data.testHigh(), 1);
    }

    /** The index batches of one epoch (full batches only), in the loader's shuffled order. */
    private static List<int[]> batches(DataLoader shuffler, int epoch, int batch) {
        int[] order = shuffler.order(epoch - 1);
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from + batch <= order.length; from += batch) out.add(Arrays.copyOfRange(order, from, from + batch));
        return out;
    }

    private static Tensor rows(Tensor images, int[] idx) {
        return images.indexSelect(0, Tensor.ofInts(idx, idx.length));
    }

    /** Only its {@link DataLoader#order}: a seeded shuffle of the training indices per epoch. */
    private static DataLoader shuffler(Settings s, long seed) {
        return new DataLoader(Mnist.embedded(Split.TRAIN).subset(0, s.trainImages()),
                DataLoader.Options.of(s.batch()).withShuffle(true).withSeed(seed));
    }
}
