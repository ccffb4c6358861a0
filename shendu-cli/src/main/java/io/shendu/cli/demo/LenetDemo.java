package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.models.Models;
import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Module;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Tensor;
import io.shendu.train.Callback;
import io.shendu.train.Evaluation;
import io.shendu.train.EpochLogs;
import io.shendu.train.Trainer;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lecture: LeNet-5 on handwritten digits. The zoo's {@code lenet5} trained with Adam on the embedded MNIST
 * digits; the test accuracy, the confusion matrix, and the digits it gets wrong, a few as text and a grid of them
 * in {@code lenet-misclassified.png} (true label, prediction and its probability under each).
 */
public final class LenetDemo implements Demo {

    private static final int SIDE = 28, GRID_COLUMNS = 8, GRID_ROWS = 3, SCALE = 2;

    /** A test digit the network got wrong. */
    private record Mistake(Tensor image, int truth, int predicted, double probability) {}

    @Override
    public String name() {
        return "lenet";
    }

    @Override
    public String description() {
        return "LeNet-5 trained on the embedded MNIST digits; accuracy, confusion matrix, misclassified digits";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        PrintWriter out = ctx.out();
        TensorDataset train = Mnist.embedded(Split.TRAIN), test = Mnist.embedded(Split.TEST);
        if (ctx.quick()) {
            train = train.subset(0, 2000);
            test = test.subset(0, 500);
        }
        int epochs = ctx.quick() ? 1 : 3;
        Module model = Models.create("lenet5", Models.Options.mnist().withSeed(ctx.seed()));
        out.printf("LeNet-5 (%,d parameters), Adam α = 0.002, batch 64, %d epoch(s) on %,d digits; %,d test digits%n",
                model.parameterCount(), epochs, train.size(), test.size());
        DataLoader trainLoader = new DataLoader(train, DataLoader.Options.of(64).withShuffle(true).withSeed(ctx.seed()));
        DataLoader testLoader = new DataLoader(test, DataLoader.Options.of(500));
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Trainer trainer = new Trainer(model, new Optimizer<>(model.parameters(), Adam.of(2e-3)), ce::forward,
                Trainer.Options.epochs(epochs)).withCallbacks(new Callback() {
                    @Override
                    public void onEpochEnd(Trainer t, EpochLogs l) {
                        out.printf(Locale.ROOT, "epoch %d: train loss %.4f, train accuracy %.4f, test accuracy %.4f (%.1f s)%n",
                                l.epoch(), l.trainLoss(), l.trainAccuracy(), l.valAccuracy(), l.seconds());
                    }
                });
        trainer.fit(trainLoader, testLoader);

        Evaluation ev = trainer.evaluate(testLoader);
        out.printf(Locale.ROOT, "test accuracy: %.4f (%d/%d), %d misclassified%n", ev.accuracy(), ev.correct(), ev.count(), ev.count() - ev.correct());
        out.print(ev.confusionTable());
        List<Mistake> mistakes = mistakes(model, test);
        out.println("some misclassified digits:");
        out.print(ascii(mistakes.subList(0, Math.min(3, mistakes.size()))));
        drawGrid(ctx.file("lenet-misclassified.png"), mistakes);
        out.println("figure: " + ctx.file("lenet-misclassified.png"));
    }

    /** The test digits the model gets wrong, in data-set order. */
    private static List<Mistake> mistakes(Module model, TensorDataset test) {
        model.eval();
        Tensor probabilities;
        try (NoGrad ignored = NoGrad.enter()) {
            probabilities = model.forward(test.images()).softmax(1);
        }
        int[] predicted = probabilities.argmax(1).toIntArray();
        List<Mistake> out = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            int truth = test.label(i);
            if (predicted[i] != truth) {
                out.add(new Mistake(test.get(i).input(), truth, predicted[i], probabilities.get(i, predicted[i])));
            }
        }
        return out;
    }

    /** Digits side by side as characters, darker characters for darker ink. */
    private static String ascii(List<Mistake> mistakes) {
        String ramp = " .:-=+*#%@";
        StringBuilder sb = new StringBuilder();
        for (Mistake m : mistakes) sb.append(String.format(Locale.ROOT, "%-30s", "true " + m.truth() + " → " + m.predicted()
                + String.format(Locale.ROOT, " (p=%.2f)", m.probability())));
        sb.append('\n');
        for (int row = 2; row < SIDE - 2; row += 2) {   // MNIST centres each digit in the middle 20×20
            for (Mistake m : mistakes) {
                float[] pixels = m.image().toFloatArray();
                StringBuilder line = new StringBuilder();
                for (int col = 0; col < SIDE; col++) {
                    float v = Math.max(pixels[row * SIDE + col], pixels[(row + 1) * SIDE + col]);
                    line.append(ramp.charAt(Math.min(ramp.length() - 1, (int) (v * ramp.length()))));
                }
                sb.append(line).append("  ");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Up to 24 mistakes, each digit with "true → predicted" under it. */
    private static void drawGrid(Path file, List<Mistake> mistakes) throws java.io.IOException {
        int cell = SIDE * SCALE, labelHeight = 18, margin = 8;
        int cw = (DemoOutput.WIDTH - 2 * margin) / GRID_COLUMNS, ch = cell + labelHeight + 6;
        BufferedImage img = new BufferedImage(DemoOutput.WIDTH, 30 + GRID_ROWS * ch, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("LeNet-5: misclassified test digits, true → predicted (probability)", margin, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < Math.min(mistakes.size(), GRID_COLUMNS * GRID_ROWS); i++) {
            Mistake m = mistakes.get(i);
            int x0 = margin + (i % GRID_COLUMNS) * cw, y0 = 30 + (i / GRID_COLUMNS) * ch;
            float[] pixels = m.image().toFloatArray();
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int grey = 255 - Math.round(255 * Math.min(1f, Math.max(0f, pixels[y * SIDE + x])));
                    g.setColor(new Color(grey, grey, grey));
                    g.fillRect(x0 + x * SCALE, y0 + y * SCALE, SCALE, SCALE);
                }
            }
            g.setColor(new Color(0xB0, 0x20, 0x20));
            g.drawString(m.truth() + "→" + m.predicted() + String.format(Locale.ROOT, " (%.2f)", m.probability()), x0, y0 + cell + 14);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
