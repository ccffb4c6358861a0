package io.shendu.cli.demo;

import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.models.DigitSegmentation;
import io.shendu.models.Iou;
import io.shendu.models.UNet;
import io.shendu.nn.Losses;
import io.shendu.nn.Reduction;
import io.shendu.optim.Adam;
import io.shendu.optim.CosineAnnealingLR;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import io.shendu.train.Callback;
import io.shendu.train.EpochLogs;
import io.shendu.train.Trainer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * U-Net (Ronneberger et al. 2015) segmenting digits pasted on cluttered, noisy backgrounds: trained with a
 * per-pixel binary cross-entropy on generated images, scored by the mean IoU on held-out images made from
 * unseen test digits, and drawn as input / truth / prediction rows.
 */
public final class UNetDemo implements Demo {

    private static final int SIDE = 32, DEPTH = 3, WIDTH = 8, SHOWN = 10;
    private static final double NOISE = 0.2;

    /** The sizes of a full or a quick run. */
    private record Plan(int trainSize, int testSize, int epochs) {}

    @Override
    public String name() {
        return "unet";
    }

    @Override
    public String description() {
        return "U-Net segments digits on noisy, cluttered backgrounds: mean IoU on held-out images, input/truth/prediction PNG";
    }

    @Override
    public void run(DemoContext ctx) throws IOException {
        long start = System.nanoTime();
        PrintWriter out = ctx.out();
        Plan plan = ctx.quick() ? new Plan(300, 100, 2) : new Plan(3000, 500, 6);
        DigitSegmentation train = DigitSegmentation.generate(Mnist.embedded(Split.TRAIN), plan.trainSize(), SIDE, NOISE,
                new Generator(ctx.seed()));
        DigitSegmentation test = DigitSegmentation.generate(Mnist.embedded(Split.TEST), plan.testSize(), SIDE, NOISE,
                new Generator(ctx.seed() + 1));
        out.printf(Locale.ROOT, "U-Net segmentation: digits on cluttered backgrounds with noise std %.1f, %d×%d; %d training images "
                + "(training digits), %d held out (test digits)%n", NOISE, SIDE, SIDE, train.size(), test.size());

        UNet model = new UNet(1, 1, DEPTH, WIDTH, new Generator(ctx.seed()));
        out.printf(Locale.ROOT, "%s: %,d parameters; %d epochs, batch 32, Adam lr 0.003 with cosine decay, per-pixel BCE with logits%n",
                model.describe(), model.parameterCount(), plan.epochs());
        Optimizer<Adam> opt = new Optimizer<>(model.parameters(), Adam.of(3e-3));
        Callback progress = new Callback() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochLogs logs) {
                out.printf(Locale.ROOT, "  epoch %2d  loss %.4f  (%.1f s)%n", logs.epoch(), logs.trainLoss(), logs.seconds());
                out.flush();
            }
        };
        new Trainer(model, opt, (y, t) -> Losses.binaryCrossEntropyWithLogits(y, t, null, null, Reduction.MEAN),
                Trainer.Options.epochs(plan.epochs()))
                .withScheduler(new CosineAnnealingLR(opt, plan.epochs(), 0))
                .withCallbacks(progress)
                .fit(new DataLoader(train, DataLoader.Options.of(32).withShuffle(true).withSeed(ctx.seed())), null);

        Tensor images = test.images(), masks = test.masks();
        Tensor logits = predict(model, images);
        double iou = Iou.mean(logits, masks);
        out.printf(Locale.ROOT, "held-out mean IoU %.4f (foreground, averaged over %d images); best single threshold on the raw "
                + "image: %.4f%n", iou, test.size(), bestThresholdIou(images, masks));

        Tensor shown = images.narrow(0, 0, SHOWN), truth = masks.narrow(0, 0, SHOWN), predicted = logits.narrow(0, 0, SHOWN);
        List<List<BufferedImage>> rows = List.of(AutoencoderDemo.greyTiles(shown, 3), AutoencoderDemo.greyTiles(truth, 3),
                AutoencoderDemo.greyTiles(predicted.gt(0f).toFloat(), 3), errorTiles(predicted, truth, 3));
        Path file = ctx.file("unet-segmentation.png");
        ImageIO.write(AutoencoderDemo.tileGrid(List.of("input", "truth", "prediction", "errors (red +, blue −)"), rows),
                "png", file.toFile());
        out.printf(Locale.ROOT, "figure: %s%n", file);
        out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** The logits of all images, in batches, in eval mode. */
    private static Tensor predict(UNet model, Tensor images) {
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < images.size(0); i += 100) {
            Tensor batch = images.narrow(0, i, Math.min(100, images.size(0) - i));
            parts.add(AutoencoderDemo.eval(model, m -> m.forward(batch)));
        }
        return Tensor.cat(parts, 0);
    }

    /** The baseline that needs no learning: the mean IoU of {@code image > t} for the best t on a grid. */
    private static double bestThresholdIou(Tensor images, Tensor masks) {
        double best = 0;
        for (int i = 1; i < 20; i++) best = Math.max(best, Iou.mean(images.sub(i / 20f), masks));
        return best;
    }

    /** Correct pixels in grey (foreground white), false positives red, missed foreground blue. */
    private static List<BufferedImage> errorTiles(Tensor logits, Tensor truth, int scale) {
        int n = logits.size(0), h = logits.size(2), w = logits.size(3);
        float[] p = logits.toFloatArray(), t = truth.toFloatArray();
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage tile = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    int k = i * h * w + (y / scale) * w + x / scale;
                    boolean pred = p[k] > 0, fg = t[k] > 0.5f;
                    int rgb = pred == fg ? (fg ? 0xffffff : 0x202020) : pred ? 0xe41a1c : 0x377eb8;
                    tile.setRGB(x, y, rgb);
                }
            }
            out.add(tile);
        }
        return out;
    }
}
