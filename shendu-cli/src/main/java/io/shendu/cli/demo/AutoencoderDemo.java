package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.models.AutoEncoder;
import io.shendu.models.ConvAutoEncoder;
import io.shendu.models.InputNoise;
import io.shendu.models.KNearest;
import io.shendu.models.Pca;
import io.shendu.models.ReconstructionDataset;
import io.shendu.nn.Losses;
import io.shendu.nn.Module;
import io.shendu.nn.Reduction;
import io.shendu.optim.Adam;
import io.shendu.optim.CosineAnnealingLR;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import io.shendu.train.Callback;
import io.shendu.train.EpochLogs;
import io.shendu.train.Trainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lecture's autoencoder-versus-PCA picture: the test digits projected to 2-D by PCA and by a trained
 * autoencoder (Hinton and Salakhutdinov 2006), side by side and coloured by class, with the 5-nearest-neighbour
 * accuracy of each embedding; and a reconstruction grid that adds a denoising convolutional autoencoder.
 */
public final class AutoencoderDemo implements Demo {

    /** Matplotlib's ten categorical colours, one per digit. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
            new Color(0x17becf)};

    private static final int[] WIDTHS = {784, 512, 128, 2};
    /** Input noise of the 2-D autoencoder: a little denoising spreads the classes apart sooner. */
    private static final double AE_NOISE = 0.2;
    /** Input noise of the convolutional denoising autoencoder. */
    private static final double NOISE = 0.4;
    private static final int SHOWN = 10;

    /** The sizes of a full or a quick run. */
    private record Plan(int trainSize, int testSize, int aeEpochs, int convEpochs, int folds) {}

    @Override
    public String name() {
        return "autoencoder";
    }

    @Override
    public String description() {
        return "MNIST in 2-D: PCA vs a 784-512-128-2 autoencoder (5-NN accuracy, scatter), denoising conv AE reconstructions";
    }

    @Override
    public void run(DemoContext ctx) throws IOException {
        long start = System.nanoTime();
        PrintWriter out = ctx.out();
        Plan plan = ctx.quick() ? new Plan(600, 300, 2, 2, 5) : new Plan(8000, 2000, 30, 8, 10);
        TensorDataset train = Mnist.embedded(Split.TRAIN).subset(0, plan.trainSize());
        TensorDataset test = Mnist.embedded(Split.TEST).subset(0, plan.testSize());
        Tensor testImages = test.images();
        out.printf(Locale.ROOT, "Autoencoder vs PCA on the embedded MNIST digits: fitted on %d training digits, shown on %d test digits%n",
                train.size(), test.size());

        Pca pca = Pca.fit(train.images(), 2);
        double[] ratio = pca.explainedVarianceRatio();
        out.printf(Locale.ROOT, "PCA: the first 2 components explain %.1f%% of the pixel variance (%.1f%% + %.1f%%)%n",
                100 * (ratio[0] + ratio[1]), 100 * ratio[0], 100 * ratio[1]);
        Tensor pcaCodes = pca.transform(testImages);

        AutoEncoder ae = new AutoEncoder(AutoEncoder.options(WIDTHS).withBatchNorm(true).withNoise(AE_NOISE),
                new Generator(ctx.seed()));
        out.printf(Locale.ROOT, "%s: %,d parameters; %d epochs, batch 64, Adam lr 0.003 with cosine decay, MSE loss%n",
                ae.describe(), ae.parameterCount(), plan.aeEpochs());
        fit(ae, train, plan.aeEpochs(), 64, ctx.seed(), out);
        Tensor aeCodes = eval(ae, m -> ae.encode(testImages));

        Generator folds = new Generator(ctx.seed());
        double pcaAccuracy = KNearest.crossValidatedAccuracy(pcaCodes, test.labels(), 5, plan.folds(), folds);
        double aeAccuracy = KNearest.crossValidatedAccuracy(aeCodes, test.labels(), 5, plan.folds(), new Generator(ctx.seed()));
        out.printf(Locale.ROOT, "5-NN accuracy of the 2-D test embeddings (%d-fold cross-validated): PCA %.4f, autoencoder %.4f%n",
                plan.folds(), pcaAccuracy, aeAccuracy);

        ConvAutoEncoder dae = new ConvAutoEncoder(ConvAutoEncoder.options(1, 28, 32, 16, 32).withBatchNorm(true).withNoise(NOISE),
                new Generator(ctx.seed() + 1));
        out.printf(Locale.ROOT, "%s: %,d parameters; %d epochs, batch 128, on inputs with Gaussian noise (std %.1f), clean targets%n",
                dae.describe(), dae.parameterCount(), plan.convEpochs(), NOISE);
        fit(dae, train, plan.convEpochs(), 128, ctx.seed(), out);

        Tensor shown = firstOfEachClass(test);
        Tensor noisy = InputNoise.corrupt(shown, NOISE, new Generator(ctx.seed() + 2));
        Tensor pcaRec = pca.inverseTransform(pca.transform(shown)).reshape(shown.shape());
        Tensor aeRec = eval(ae, m -> m.forward(shown));
        Tensor daeRec = eval(dae, m -> m.forward(noisy));
        out.printf(Locale.ROOT, "test reconstruction MSE: PCA (2 components) %.4f, autoencoder (2-D code) %.4f, "
                        + "denoising conv autoencoder from noisy inputs %.4f (the noisy inputs themselves: %.4f)%n",
                mse(pca.inverseTransform(pcaCodes).reshape(testImages.shape()), testImages),
                mse(eval(ae, m -> m.forward(testImages)), testImages),
                mse(eval(dae, m -> m.forward(InputNoise.corrupt(testImages, NOISE, new Generator(ctx.seed() + 3)))), testImages),
                NOISE * NOISE);

        Path scatter = ctx.file("ae-vs-pca.png");
        ImageIO.write(sideBySide(scatter(pcaCodes, test, "PCA: 5-NN accuracy %.3f".formatted(pcaAccuracy), "PC 1", "PC 2"),
                scatter(aeCodes, test, "Autoencoder %s: 5-NN accuracy %.3f".formatted(java.util.Arrays.toString(WIDTHS), aeAccuracy),
                        "code 1", "code 2")), "png", scatter.toFile());
        Path grid = ctx.file("ae-reconstructions.png");
        ImageIO.write(grid(List.of("original", "PCA, 2 components", "autoencoder, 2-D code", "noisy input (std " + NOISE + ")",
                "denoising conv AE"), List.of(shown, pcaRec, aeRec, noisy, daeRec), 3), "png", grid.toFile());
        out.printf(Locale.ROOT, "figure: %s%nfigure: %s%n", scatter, grid);
        out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Trains {@code model} to reconstruct {@code images} (MSE, Adam 3e-3 with cosine decay), a line per few epochs. */
    private static void fit(Module model, TensorDataset images, int epochs, int batch, long seed, PrintWriter out) {
        Optimizer<Adam> opt = new Optimizer<>(model.parameters(), Adam.of(3e-3));
        int every = Math.max(1, epochs / 6);
        Callback progress = new Callback() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochLogs logs) {
                if (logs.epoch() % every == 0 || logs.epoch() == epochs) {
                    out.printf(Locale.ROOT, "  epoch %2d  loss %.4f  (%.1f s)%n", logs.epoch(), logs.trainLoss(), logs.seconds());
                    out.flush();
                }
            }
        };
        new Trainer(model, opt, (y, t) -> Losses.mse(y, t, Reduction.MEAN), Trainer.Options.epochs(epochs))
                .withScheduler(new CosineAnnealingLR(opt, epochs, 0))
                .withCallbacks(progress)
                .fit(new DataLoader(new ReconstructionDataset(images), DataLoader.Options.of(batch).withShuffle(true).withSeed(seed)), null);
    }

    /** {@code f(model)} in eval mode without a graph. */
    static <M extends Module> Tensor eval(M model, java.util.function.Function<M, Tensor> f) {
        model.eval();
        try (var ignored = NoGrad.enter()) {
            return f.apply(model);
        } finally {
            model.train();
        }
    }

    private static double mse(Tensor a, Tensor b) {
        return Losses.mse(a, b, Reduction.MEAN).item();
    }

    /** The first test image of each class 0–9, in order, then the next ones: {@link #SHOWN} images. */
    private static Tensor firstOfEachClass(TensorDataset test) {
        List<Integer> picked = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < test.size(); i++) {
                if (test.label(i) == c) {
                    picked.add(i);
                    break;
                }
            }
        }
        for (int i = 0; picked.size() < SHOWN; i++) if (!picked.contains(i)) picked.add(i);
        return test.batch(picked.stream().mapToInt(Integer::intValue).limit(SHOWN).toArray()).inputs();
    }

    /** A marker-only scatter of 2-D points, one series per class. */
    private static BufferedImage scatter(Tensor points, TensorDataset data, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(640).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        float[] p = points.toFloatArray();
        for (int c = 0; c < 10; c++) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.label(i) != c) continue;
                xs.add((double) p[2 * i]);
                ys.add((double) p[2 * i + 1]);
            }
            if (xs.isEmpty()) continue;
            XYSeries s = chart.addSeries(Integer.toString(c), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[c]);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static BufferedImage sideBySide(BufferedImage left, BufferedImage right) {
        BufferedImage out = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        return out;
    }

    /**
     * Rows of grey images {@code [N, 1, H, W]} (values clipped to [0, 1]), each row labelled on the left, every
     * pixel drawn as a {@code scale × scale} square. Shared with {@link UNetDemo}.
     */
    static BufferedImage grid(List<String> labels, List<Tensor> rows, int scale) {
        List<List<BufferedImage>> tiles = new ArrayList<>();
        for (Tensor row : rows) tiles.add(greyTiles(row, scale));
        return tileGrid(labels, tiles);
    }

    static List<BufferedImage> greyTiles(Tensor images, int scale) {
        int n = images.size(0), h = images.size(2), w = images.size(3);
        float[] px = images.toFloatArray();
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage tile = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    int v = Math.round(255 * Math.clamp(px[i * h * w + (y / scale) * w + x / scale], 0f, 1f));
                    tile.setRGB(x, y, v << 16 | v << 8 | v);
                }
            }
            out.add(tile);
        }
        return out;
    }

    /** Lays out rows of equally sized tiles with 4-pixel gaps and a label column. */
    static BufferedImage tileGrid(List<String> labels, List<List<BufferedImage>> rows) {
        int tw = rows.getFirst().getFirst().getWidth(), th = rows.getFirst().getFirst().getHeight(), gap = 4, labelWidth = 190;
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        BufferedImage out = new BufferedImage(labelWidth + columns * (tw + gap) + gap, rows.size() * (th + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int r = 0; r < rows.size(); r++) {
            int top = gap + r * (th + gap);
            g.drawString(labels.get(r), 6, top + th / 2 + 5);
            for (int c = 0; c < rows.get(r).size(); c++) g.drawImage(rows.get(r).get(c), labelWidth + gap + c * (tw + gap), top, null);
        }
        g.dispose();
        return out;
    }
}
