package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.data.Batch;
import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.models.DcganDiscriminator;
import io.shendu.models.DcganGenerator;
import io.shendu.models.LeNet5;
import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Losses;
import io.shendu.nn.Module;
import io.shendu.nn.Reduction;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import io.shendu.train.Trainer;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Lecture: generative adversarial networks. A DCGAN (Radford et al. 2015) learns to draw the embedded MNIST digits
 * from noise, then a conditional DCGAN learns to draw the digit it is asked for. Both train as the paper: Adam
 * (lr 2e-4, β₁ 0.5), BCE with logits, the discriminator on a real and a generated batch, then the generator
 * against it. A LeNet-5 trained here on real digits judges the samples: the share it classifies with confidence
 * ≥ 0.9 (are they digits at all?) and its class histogram (are all ten modes there, or did the GAN collapse?).
 * Figures: {@code gan-samples.png} and {@code gan-conditional.png} (row d: "draw a d"), and one of each per epoch
 * in {@code gan-epochs/}.
 * With {@code SHENDU_GAN_DIGIT=7} in the environment the conditional generator also draws a page of sevens.
 */
public final class GanDemo implements Demo {

    /** The sizes of one run. */
    private record Settings(int trainImages, int epochs, int batch, int features, int latent, int samples, int judgeEpochs) {}

    private static final Settings FULL = new Settings(8000, 5, 32, 32, 100, 1000, 3);
    private static final Settings QUICK = new Settings(256, 1, 32, 8, 16, 100, 1);
    private static final double CONFIDENT = 0.9;
    private static final int CLASSES = 10;
    /** The sub-folder of the per-epoch sample grids. */
    private static final String EPOCHS_DIR = "gan-epochs";

    @Override
    public String name() {
        return "gan";
    }

    @Override
    public String description() {
        return "DCGAN and conditional DCGAN on the digits, judged by a LeNet-5; gan-samples.png, gan-conditional.png";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        Settings s = ctx.quick() ? QUICK : FULL;
        int digit = requestedDigit();
        PrintWriter out = ctx.out();
        long start = System.nanoTime();
        TensorDataset train = Mnist.embedded(Split.TRAIN).subset(0, s.trainImages());
        Module judge = trainJudge(ctx, s, train);
        TensorDataset real = Mnist.embedded(Split.TEST).subset(0, s.samples());
        report(out, "real test digits", classify(judge, real.images(), real.labels().toIntArray()), "labelled");

        Generator gen = new Generator(ctx.seed());
        Gan plain = new Gan(new DcganGenerator(s.latent(), s.features(), 0, gen), new DcganDiscriminator(s.features(), 0, gen));
        out.printf("DCGAN: latent %d, generator %,d and discriminator %,d parameters, %d epochs of %d images%n", s.latent(),
                plain.g().parameterCount(), plain.d().parameterCount(), s.epochs(), train.size());
        Tensor noise = Tensor.randn(new Generator(ctx.seed() + 1), 64, s.latent());
        train(ctx, s, plain, train, gen, "gan-samples", e -> sampleGrid(ctx, plain, noise, null, 8, e));
        report(out, "DCGAN", score(judge, plain, s.samples(), new Generator(ctx.seed() + 2)), null);

        out.printf("conditional DCGAN: the label's embedding joins the noise (generator) and the image (discriminator)%n");
        Gan cond = new Gan(new DcganGenerator(s.latent(), s.features(), CLASSES, gen),
                new DcganDiscriminator(s.features(), CLASSES, gen));
        Tensor columns = Tensor.randn(new Generator(ctx.seed() + 3), CLASSES, s.latent());
        Tensor rowNoise = Tensor.stack(java.util.Collections.nCopies(CLASSES, columns), 0).reshape(CLASSES * CLASSES, s.latent());
        train(ctx, s, cond, train, gen, "gan-conditional", e -> sampleGrid(ctx, cond, rowNoise, rowLabels(), CLASSES, e));
        report(out, "conditional DCGAN", score(judge, cond, s.samples(), new Generator(ctx.seed() + 2)), "requested");
        if (digit >= 0) drawRequested(ctx, cond, digit);
        out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    // ---------------------------------------------------------------- training

    /** A generator and its discriminator; labels are passed only to the conditional pair. */
    private record Gan(DcganGenerator g, DcganDiscriminator d) {
        Tensor generate(Tensor z, Tensor labels) {
            return g.numClasses() > 0 ? g.forward(z, labels) : g.forward(z);
        }

        Tensor discriminate(Tensor x, Tensor labels) {
            return d.numClasses() > 0 ? d.forward(x, labels) : d.forward(x);
        }
    }

    private interface EpochEnd {
        void run(String epochTag) throws IOException;
    }

    private static void train(DemoContext ctx, Settings s, Gan gan, TensorDataset data, Generator gen, String figure,
                              EpochEnd draw) throws IOException {
        var optG = new Optimizer<>(gan.g().parameters(), Adam.of(2e-4).withBetas(0.5, 0.999));
        var optD = new Optimizer<>(gan.d().parameters(), Adam.of(2e-4).withBetas(0.5, 0.999));
        var loader = new DataLoader(data, DataLoader.Options.of(s.batch()).withShuffle(true).withDropLast(true).withSeed(ctx.seed()));
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double lossD = 0, lossG = 0, dReal = 0, dFake = 0;
            int steps = 0;
            try (DataLoader.Epoch batches = loader.epoch(epoch - 1)) {
                while (batches.hasNext()) {
                    Batch b = batches.next();
                    double[] r = step(gan, b.inputs().mul(2f).sub(1f), b.labels(), optG, optD, gen);
                    lossD += r[0];
                    lossG += r[1];
                    dReal += r[2];
                    dFake += r[3];
                    steps++;
                }
            }
            ctx.out().printf(Locale.ROOT, "  epoch %d/%d: loss D %.3f, G %.3f | D(x) %.3f, D(G(z)) %.3f | %.1f s%n", epoch,
                    s.epochs(), lossD / steps, lossG / steps, dReal / steps, dFake / steps, (System.nanoTime() - t0) / 1e9);
            draw.run("-epoch" + epoch);
        }
        draw.run("");
        ctx.out().println("figure: " + ctx.file(figure + ".png") + " (and " + EPOCHS_DIR + "/" + figure + "-epochN.png)");
    }

    /**
     * One step on real images in [−1, 1]: the discriminator learns real → 1, generated → 0; then the generator
     * learns to make the updated discriminator say 1 (the "non-saturating" loss of Goodfellow et al.).
     * Returns the two losses and the discriminator's mean probabilities on the real and the generated batch.
     */
    private static double[] step(Gan gan, Tensor real, Tensor labels, Optimizer<Adam> optG, Optimizer<Adam> optD, Generator gen) {
        int n = real.size(0);
        Tensor ones = Tensor.ones(n), zeros = Tensor.zeros(n);
        Tensor fake = gan.generate(gan.g().noise(n, gen), labels);
        Tensor onReal = gan.discriminate(real, labels), onFake = gan.discriminate(fake.detach(), labels);
        Tensor lossD = bce(onReal, ones).add(bce(onFake, zeros));
        optD.zeroGrad();
        lossD.backward();
        optD.step();
        Tensor lossG = bce(gan.discriminate(fake, labels), ones);
        optG.zeroGrad();
        lossG.backward();
        optG.step();
        return new double[] {lossD.item(), lossG.item(), onReal.detach().sigmoid().mean().item(), onFake.detach().sigmoid().mean().item()};
    }

    private static Tensor bce(Tensor logits, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(logits, target, null, null, Reduction.MEAN);
    }

    // ---------------------------------------------------------------- judging

    /** A LeNet-5 trained on the real digits; it prints its test accuracy. */
    private static Module trainJudge(DemoContext ctx, Settings s, TensorDataset train) {
        long t0 = System.nanoTime();
        var judge = new LeNet5(CLASSES, new Generator(ctx.seed()));
        var trainer = new Trainer(judge, new Optimizer<>(judge.parameters(), Adam.of(1e-3)), new CrossEntropyLoss()::forward,
                Trainer.Options.epochs(s.judgeEpochs()));
        trainer.fit(new DataLoader(train, DataLoader.Options.of(64).withShuffle(true).withSeed(ctx.seed())), null);
        TensorDataset test = Mnist.embedded(Split.TEST);
        double acc = trainer.evaluate(new DataLoader(test, DataLoader.Options.of(500))).accuracy();
        ctx.out().printf(Locale.ROOT, "judge: LeNet-5 trained %d epoch(s) on %d real digits, test accuracy %.4f on %d (%.1f s)%n",
                s.judgeEpochs(), train.size(), acc, test.size(), (System.nanoTime() - t0) / 1e9);
        judge.eval();
        return judge;
    }

    /** What the judge makes of n images: confident share, class histogram, and the share classified as they should be. */
    private record Score(int samples, double confident, int[] histogram, double asExpected) {}

    private static Score score(Module judge, Gan gan, int n, Generator gen) {
        int[] requested = new int[n];
        for (int i = 0; i < n; i++) requested[i] = i % CLASSES;
        Tensor images;
        try (var ignored = NoGrad.enter()) {
            gan.g().eval();
            images = gan.generate(gan.g().noise(n, gen), Tensor.ofInts(requested, n)).add(1f).mul(0.5f);
            gan.g().train();
        }
        return classify(judge, images, gan.g().numClasses() > 0 ? requested : null);
    }

    /** The judge's verdict on images in [0, 1]; {@code expected} (or null) are the classes they should show. */
    private static Score classify(Module judge, Tensor images, int[] expected) {
        int n = images.size(0);
        float[] p;
        try (var ignored = NoGrad.enter()) {
            p = judge.forward(images).softmax(1).toFloatArray();
        }
        int[] histogram = new int[CLASSES];
        int confident = 0, asExpected = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < CLASSES; c++) if (p[i * CLASSES + c] > p[i * CLASSES + best]) best = c;
            histogram[best]++;
            if (p[i * CLASSES + best] >= CONFIDENT) confident++;
            if (expected != null && best == expected[i]) asExpected++;
        }
        return new Score(n, (double) confident / n, histogram, expected != null ? (double) asExpected / n : Double.NaN);
    }

    private static void report(PrintWriter out, String what, Score s, String expectedAs) {
        out.printf(Locale.ROOT, "%s: %d samples, judged confident (p >= %.1f): %.3f%n", what, s.samples(), CONFIDENT, s.confident());
        StringBuilder h = new StringBuilder();
        int covered = 0;
        for (int c = 0; c < CLASSES; c++) {
            h.append(c == 0 ? "" : " ").append(c).append(':').append(s.histogram()[c]);
            if (s.histogram()[c] * 100 >= s.samples()) covered++; // a mode counts when it holds at least 1% of the samples
        }
        out.printf("%s: class histogram %s; modes covered (>= 1%% of samples) %d/%d%n", what, h, covered, CLASSES);
        if (!Double.isNaN(s.asExpected())) out.printf(Locale.ROOT, "%s: classified as %s %.3f%n", what, expectedAs, s.asExpected());
    }

    /** The digit asked for in SHENDU_GAN_DIGIT, or −1 when it is not set; checked before any training. */
    private static int requestedDigit() {
        String env = System.getenv("SHENDU_GAN_DIGIT");
        if (env == null || env.isBlank()) return -1;
        String d = env.trim();
        if (d.length() != 1 || d.charAt(0) < '0' || d.charAt(0) > '9') {
            throw new IllegalArgumentException("SHENDU_GAN_DIGIT must be a digit 0-9, got '" + env + "'");
        }
        return d.charAt(0) - '0';
    }

    /** 100 samples of {@code digit} from the conditional generator into gan-digit-{digit}.png. */
    private static void drawRequested(DemoContext ctx, Gan cond, int digit) throws IOException {
        int[] labels = new int[100];
        java.util.Arrays.fill(labels, digit);
        Tensor images;
        try (var ignored = NoGrad.enter()) {
            cond.g().eval();
            images = cond.generate(cond.g().noise(100, new Generator(ctx.seed() + 4)), Tensor.ofInts(labels, 100));
            cond.g().train();
        }
        Path file = saveGrid(ctx, "gan-digit-" + digit + ".png", images.add(1f).mul(0.5f), 10, null);
        ctx.out().println("requested digit " + digit + ": " + file);
    }

    // ---------------------------------------------------------------- pictures

    private static void sampleGrid(DemoContext ctx, Gan gan, Tensor noise, Tensor labels, int cols, String tag) throws IOException {
        String stem = gan.g().numClasses() > 0 ? "gan-conditional" : "gan-samples";
        String name = tag.isEmpty() ? stem + ".png" : EPOCHS_DIR + "/" + stem + tag + ".png";
        Tensor images;
        try (var ignored = NoGrad.enter()) {
            gan.g().eval();
            images = gan.generate(noise, labels);
            gan.g().train();
        }
        saveGrid(ctx, name, images.add(1f).mul(0.5f), cols, null);
    }

    /** Labels 0, 0, ..., 1, 1, ...: row d of the conditional grid asks for digit d. */
    private static Tensor rowLabels() {
        int[] labels = new int[CLASSES * CLASSES];
        for (int i = 0; i < labels.length; i++) labels[i] = i / CLASSES;
        return Tensor.ofInts(labels, labels.length);
    }

    private static final int ZOOM = 2, GAP = 2, TITLE = 16;

    /**
     * Saves grey images {@code [N, 1, H, W]} with values in [0, 1] (clamped) as a PNG grid of {@code cols} columns,
     * each pixel drawn {@code ZOOM} × {@code ZOOM}; with {@code titles}, a line of text above each column.
     */
    static Path saveGrid(DemoContext ctx, String name, Tensor images, int cols, String[] titles) throws IOException {
        int n = images.size(0), h = images.size(2), w = images.size(3), rows = (n + cols - 1) / cols;
        int cellW = w * ZOOM + GAP, cellH = h * ZOOM + GAP, top = titles == null ? 0 : TITLE;
        if (titles != null) cellW = Math.max(cellW, widestTitle(titles) + 3 * GAP);
        var img = new BufferedImage(cols * cellW + GAP, top + rows * cellH + GAP, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        float[] v = images.contiguous().toFloatArray();
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % cols) * cellW + (cellW - GAP - w * ZOOM) / 2, y0 = top + GAP + (i / cols) * cellH;
            for (int y = 0; y < h * ZOOM; y++) {
                for (int x = 0; x < w * ZOOM; x++) {
                    int grey = Math.round(255 * Math.clamp(v[i * h * w + (y / ZOOM) * w + x / ZOOM], 0f, 1f));
                    img.getRaster().setSample(x0 + x, y0 + y, 0, grey); // the raster: setRGB would convert to linear grey
                }
            }
        }
        if (titles != null) {
            g.setColor(Color.BLACK);
            for (int c = 0; c < titles.length; c++) {
                g.drawString(titles[c], GAP + c * cellW + (cellW - GAP - metrics.stringWidth(titles[c])) / 2, TITLE - 4);
            }
        }
        g.dispose();
        Path file = ctx.file(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** The width in pixels of the widest title in the default font. */
    private static int widestTitle(String[] titles) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int m = 0;
        for (String t : titles) m = Math.max(m, g.getFontMetrics().stringWidth(t));
        g.dispose();
        return m;
    }
}
