package io.shendu.cli.demo;

import io.shendu.cli.Main;
import io.shendu.models.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every lecture demo in its quick form, checking the numbers it prints and the figures it draws. */
class LectureDemoTest {

    private static final List<String> DEMOS = List.of("forward", "softmax", "chain-rule", "gate", "backprop", "optimizers",
            "learning-rate", "fitting", "dropout", "batchnorm", "conv1d", "pooling", "lenet", "architectures");

    @TempDir
    Path dir;

    private String run(String name) throws Exception {
        StringWriter text = new StringWriter();
        Demos.get(name).run(new DemoContext(new PrintWriter(text, true), dir, true, 42));
        return text.toString();
    }

    /** Asserts that {@code out} contains {@code expected}, showing the whole output otherwise. */
    private static void assertHas(String out, String expected) {
        assertTrue(out.contains(expected), () -> "expected \"" + expected + "\" in:\n" + out);
    }

    /** The numbers of the line starting with {@code prefix} (after the prefix). */
    private static double[] numbers(String out, String prefix) {
        for (String line : out.split("\n")) {
            if (!line.startsWith(prefix)) continue;
            Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?(e-?\\d+)?").matcher(line.substring(prefix.length()).replace(",", ""));
            List<Double> values = new ArrayList<>();
            while (m.find()) values.add(Double.parseDouble(m.group()));
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
        throw new AssertionError("no line starting with \"" + prefix + "\" in:\n" + out);
    }

    private void assertFigure(String file) throws Exception {
        BufferedImage image = ImageIO.read(dir.resolve(file).toFile());
        assertTrue(image != null && image.getWidth() >= 600 && image.getWidth() <= 700 && image.getHeight() <= 450,
                file + " should be a small PNG");
    }

    @Test
    void listShowsEveryLectureDemo() {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new String[] {"demo", "--list"}, new PrintWriter(out, true), new PrintWriter(new StringWriter())));
        for (String name : DEMOS) assertTrue(out.toString().contains(name + " "), name + " missing from:\n" + out);
    }

    @Test
    void forwardPrintsEachLayersShape() throws Exception {
        String out = run("forward");
        assertHas(out, "h1 = f(W1ᵀx + b1)        [2, 4]");
        assertHas(out, "h2 = f(W2ᵀh1 + b2)       [2, 5]");
        assertHas(out, "h3 = f(W3ᵀh2 + b3)       [2, 4]");
        assertHas(out, "y = W4ᵀh3 + b4           [2, 2]");
        assertHas(out, "max |difference| = 0");
        assertHas(out, "parameters: 75");
    }

    @Test
    void softmaxSumsToOneAndCrossEntropyKeepsItsGradient() throws Exception {
        String out = run("softmax");
        Matcher sums = Pattern.compile("sum = (\\S+)").matcher(out);
        int count = 0;
        while (sums.find()) {
            assertEquals(1.0, Double.parseDouble(sums.group(1)), 1e-6);
            count++;
        }
        assertEquals(3, count, out);
        assertHas(out, "p = [0.1300, 0.8690, 0.0010]");
        assertHas(out, "cross-entropy −log p_cat = 2.0404, ∂/∂s = [-0.8700, 0.8690, 0.0010]");
        double[] ce = numbers(out, "    cross-entropy −log p_cat = 10.0068, ∂/∂s = ");
        double[] mse = numbers(out, "    MSE mean (p − y)²       = 0.6622, ∂/∂s = ");
        assertEquals(-1.0, ce[0], 1e-3);
        assertTrue(Math.abs(mse[0]) < 1e-3, "MSE's gradient vanishes for a confidently wrong answer: " + mse[0]);
    }

    @Test
    void chainRuleGivesMinus12AndGradientsMinus4Minus4And3() throws Exception {
        String out = run("chain-rule");
        assertHas(out, "forward:  q = x + y = 3,  f = q·z = -12");
        assertHas(out, "∂f/∂x = ∂f/∂q·∂q/∂x = -4·1 = -4,  ∂f/∂y = ∂f/∂q·∂q/∂y = -4·1 = -4");
        assertHas(out, "∂f/∂z = q·1 = 3");
        assertHas(out, "autograd: f = -12,  x.grad = -4,  y.grad = -4,  z.grad = 3,  q.grad = -4");
        assertHas(out, "add  a + b     = 2    ∂a = 2, ∂b = 2");
        assertHas(out, "mul  a·b       = -3   ∂a = -2, ∂b = 6");
        assertHas(out, "max  max(a, b) = 3    ∂a = 2, ∂b = 0");
        String dot = Files.readString(dir.resolve("chain-rule.dot"));
        assertTrue(dot.contains("label=\"x\\nscalar\\nvalue -2.000\\ngrad -4.000\"") && dot.contains("grad 3.000"), dot);
    }

    @Test
    void customGatesMatchTheLectureAndPassTheGradientCheck() throws Exception {
        String out = run("gate");
        assertHas(out, "forward z = x·y = -12");
        assertHas(out, "dx = y·dz = -8, dy = x·dz = 6");
        assertHas(out, "f = 0.73");
        assertHas(out, "∂f/∂w = [-0.20, -0.39, 0.20],  ∂f/∂x = [0.39, -0.59]");
        assertHas(out, "MultiplyGate passed");
        assertHas(out, "SigmoidGate  passed");
    }

    @Test
    void backpropByHandEqualsAutograd() throws Exception {
        String out = run("backprop");
        assertHas(out, "hand == autograd: true");
        assertTrue(numbers(out, "max |hand − autograd| = ")[0] <= 1e-6, out);
    }

    @Test
    void everyOptimizerLowersTheLoss() throws Exception {
        String out = run("optimizers");
        for (String rule : List.of("SGD α=0.1 ", "Momentum α=0.1 γ=0.9 ", "Adagrad α=0.01 ", "Adadelta α=1 ", "RMSprop α=0.001 ", "Adam α=0.001 ")) {
            double[] v = numbers(out, rule);   // first loss, final loss, test accuracy, ...
            assertTrue(Double.isFinite(v[0]) && v[1] < v[0], rule + "should lower the loss:\n" + out);
            assertTrue(v[2] > 0.2, rule + "should beat chance:\n" + out);
        }
        assertFigure("optimizers.png");
    }

    @Test
    void theGoodLearningRateBeatsTooSmallAndTooLarge() throws Exception {
        String out = run("learning-rate");
        double[] small = numbers(out, "0.001 "), good = numbers(out, "0.5 "), large = numbers(out, "1.5 "), huge = numbers(out, "20 ");
        // columns after the rate and verdict: first loss, final loss, test accuracy
        assertTrue(good[1] < small[1] && good[1] < large[1], out);
        assertTrue(small[1] > 2.0, "too small hardly moves: " + out);
        assertTrue(huge[0] > 10 || out.contains("diverged"), "far too large blows up: " + out);
        assertFigure("learning-rate.png");
    }

    @Test
    void overFittingShowsAGapThatEachRemedyNarrows() throws Exception {
        String out = run("fitting");
        double[] under = numbers(out, "under-fit"), over = numbers(out, "over-fit");
        // columns: (widths in the label,) train MSE, val MSE, gap
        double overTrain = over[over.length - 3], overGap = over[over.length - 1];
        assertTrue(under[0] > 0.2 && under[1] > 0.2, "a line under-fits: " + out);
        assertTrue(overTrain < 0.05 && overGap > 0.05, "the big network over-fits: " + out);
        assertHas(out, "every remedy narrows the over-fitting network's gap");
        assertTrue(out.contains("gap of " + String.format(java.util.Locale.ROOT, "%.4f", overGap) + ": true"), out);
        assertFigure("fitting.png");
        assertFigure("fitting-curves.png");
    }

    @Test
    void dropoutScalesInTrainingAndIsTheIdentityInEvaluation() throws Exception {
        String out = run("dropout");
        assertHas(out, "(the identity: y == x is true)");
        double[] v = numbers(out, "training mode on 100,000 ones: fraction zeroed = ");
        assertEquals(0.5, v[0], 0.01);
        assertEquals(1.0, v[2], 0.02);
        assertTrue(out.contains("[[0.0000") || out.contains("[[2.0000"), out);
    }

    @Test
    void batchNormMatchesItsFourFormulas() throws Exception {
        String out = run("batchnorm");
        assertHas(out, "equal: true");
        assertHas(out, "y has mean β = [0.0000, 1.0000, -1.0000] and std γ = [1.5000, 1.0000, 0.5000]");
        double[] mu = numbers(out, "1. μ_B  = (1/m) Σ x_i             = ");
        double[] running = numbers(out, "running estimates (momentum 0.1): running_mean = 0.9·0 + 0.1·μ_B = ");
        for (int c = 0; c < 3; c++) assertEquals(0.1 * mu[c], running[c], 2e-4, out);
    }

    @Test
    void conv1dByHandMatchesTheLayer() throws Exception {
        String out = run("conv1d");
        assertHas(out, "y[2] = 1·2 + 0·0 + -1·(-1) = 3");
        assertHas(out, "by hand:                     y = [-1, 3, 3, -2, -5, 1]");
        assertHas(out, "Conv1d(1, 1, 3):             y = [-1, 3, 3, -2, -5, 1]  (length 6)");
        assertHas(out, "Conv1d, padding 1:           y = [-3, -1, 3, 3, -2, -5, 1, 4]  (length 8)");
        assertHas(out, "Conv1d, stride 2:            y = [-1, 3, -5]  (length 3)");
    }

    @Test
    void poolingKeepsTheMaximumAndRoutesItsGradient() throws Exception {
        String out = run("pooling");
        assertHas(out, "by hand: max [3, 2, 2, 4],  average [2, 1, 0.5, 2.5]");
        assertHas(out, "MaxPool1d(2):            y = [3, 2, 2, 4]       ∂Σy/∂x = [0, 1, 1, 0, 0, 1, 1, 0]");
        assertHas(out, "AvgPool1d(2):            y = [2, 1, 0.5, 2.5]   ∂Σy/∂x = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]");
    }

    @Test
    void lenetLearnsTheDigitsAndShowsItsMistakes() throws Exception {
        String out = run("lenet");
        double[] v = numbers(out, "test accuracy: ");   // accuracy (correct/count), misclassified
        assertTrue(v[0] > 0.5, "one short epoch already beats chance by far: " + out);
        assertEquals(v[2] - v[1], v[3], 0, out);
        assertHas(out, "some misclassified digits:");
        assertFigure("lenet-misclassified.png");
    }

    @Test
    void architecturesReportTheirDepthAndParameters() throws Exception {
        String out = run("architectures");
        var known = Models.entries();
        // name, depth, parameters, parameters used in evaluation (torchvision's counts)
        if (known.containsKey("alexnet")) assertRow(out, "alexnet\\s+8\\s+61,100,840\\s+61,100,840");
        if (known.containsKey("googlenet")) assertRow(out, "googlenet\\s+22\\s+[\\d,]+\\s+6,624,904");
        if (known.containsKey("resnet18")) assertRow(out, "resnet18\\s+18\\s+11,689,512\\s+11,689,512");
        assertHas(out, "also in the zoo: ");
        assertHas(out, "lenet5");
    }

    private static void assertRow(String out, String regex) {
        assertTrue(Pattern.compile("(?m)^" + regex + "\\s").matcher(out).find(), () -> "no row /" + regex + "/ in:\n" + out);
    }
}
