package io.shendu.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end: a short training run, then every kind of bad input. */
class MainTest {

    @TempDir
    static Path dir;
    static Path run;

    record Result(int status, String out, String err) {}

    static Result shendu(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainOneEpoch() {
        run = dir.resolve("run");
        Result r = shendu("train", "--epochs", "1", "--output", run.toString(), "--seed", "3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*test accuracy: 0\\.\\d{4} \\(\\d+/2000\\)\\s*"), r.out());
    }

    @Test
    void trainWritesCheckpointsHistoryAndCurves() throws Exception {
        for (String f : new String[] {"last.json", "best.json", "history.csv", "history.json", "loss.png", "accuracy.png"}) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        double acc = Double.parseDouble(Files.readAllLines(run.resolve("history.csv")).get(1).split(",")[4]);
        assertTrue(acc > 0.85, "one epoch of LeNet-5 on the digits reaches well above chance: " + acc);
    }

    @Test
    void evalReportsAccuracyPerClassAndConfusion() {
        Result r = shendu("eval", "--checkpoint", run.resolve("best.json").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("class 9") && r.out().contains("predicted") && r.out().contains("test accuracy: "), r.out());
    }

    @Test
    void predictClassifiesAnImage() throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 4; y < 24; y++) img.getRaster().setSample(14, y, 0, 255); // a vertical stroke: a "1"
        Path png = dir.resolve("one.png");
        ImageIO.write(img, "png", png.toFile());
        Result r = shendu("predict", "--checkpoint", run.resolve("best.json").toString(), png.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith(png + ":") && r.out().contains("%)"), r.out());
    }

    @Test
    void resumeEndsWithTheSameWeightsAsAnUninterruptedRun() throws Exception {
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        assertEquals(0, shendu("train", "--epochs", "2", "--seed", "9", "--output", straight.toString()).status());
        assertEquals(0, shendu("train", "--epochs", "2", "--stop-after", "1", "--seed", "9", "--output", resumed.toString()).status());
        Result r = shendu("train", "--epochs", "2", "--seed", "9", "--resume", "--output", resumed.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("resuming lenet5 after epoch 1"), r.out());
        var a = io.shendu.io.Checkpoint.load(straight.resolve("last.json")).weights();
        var b = io.shendu.io.Checkpoint.load(resumed.resolve("last.json")).weights();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v.toFloatArray(), b.get(k).toFloatArray(), k));
        assertEquals(3, Files.readAllLines(resumed.resolve("history.csv")).size(), "history keeps epoch 1 and adds epoch 2");
    }

    @Test
    void summaryAndList() {
        Result r = shendu("summary", "--model", "lenet5");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Total params: 61,706"), r.out());
        assertTrue(shendu("summary", "--list").out().contains("lenet5"));
    }

    @Test
    void badInputGivesOneLineAndStatusOne() throws Exception {
        expectError(shendu("train", "--model", "resnet9000"), "unknown model 'resnet9000'");
        expectError(shendu("train", "--optimizer", "adamax", "--epochs", "0", "--output", dir.resolve("o1").toString()), "unknown optimizer 'adamax'");
        expectError(shendu("train", "--data-dir", dir.resolve("nowhere").toString()), "nowhere");
        expectError(shendu("eval", "--checkpoint", dir.resolve("missing.json").toString()), "missing.json");

        BufferedImage big = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        Path png = dir.resolve("big.png");
        ImageIO.write(big, "png", png.toFile());
        expectError(shendu("predict", "--checkpoint", run.resolve("best.json").toString(), png.toString()), "expected a 28×28 image, found 32×32");

        // A corrupt weights file: the error names it, and nothing is overwritten.
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.copy(run.resolve("last.json"), broken.resolve("last.json"));
        String weights = (String) ((Map<?, ?>) io.shendu.io.Json.parse(Files.readString(run.resolve("last.json")))).get("weights");
        byte[] bytes = Files.readAllBytes(run.resolve(weights));
        Files.write(broken.resolve(weights), java.util.Arrays.copyOf(bytes, bytes.length - 10));
        expectError(shendu("eval", "--checkpoint", broken.resolve("last.json").toString()), weights);

        // An existing run is never overwritten without --resume, and a checkpoint for another model is refused.
        long before = Files.getLastModifiedTime(run.resolve("last.json")).toMillis();
        expectError(shendu("train", "--epochs", "1", "--output", run.toString()), "already holds a checkpoint");
        expectError(shendu("train", "--model", "mlp", "--resume", "--epochs", "2", "--output", run.toString()), "is for model 'lenet5', not 'mlp'");
        assertEquals(before, Files.getLastModifiedTime(run.resolve("last.json")).toMillis());
    }

    private static void expectError(Result r, String fragment) {
        assertEquals(1, r.status(), "exit status for: " + r.err() + r.out());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "exactly one line, no stack trace: " + r.err());
        assertTrue(lines[0].startsWith("shendu: ") && lines[0].contains(fragment), "'" + lines[0] + "' should name '" + fragment + "'");
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
