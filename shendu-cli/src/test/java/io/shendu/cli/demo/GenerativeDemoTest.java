package io.shendu.cli.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code gan}, {@code super-resolution} and {@code image-to-image} demos in quick mode: their numbers and pictures. */
class GenerativeDemoTest {

    @TempDir
    Path dir;

    private String run(String name) throws Exception {
        StringWriter text = new StringWriter();
        long start = System.nanoTime();
        Demos.get(name).run(new DemoContext(new PrintWriter(text, true), dir, true, 42));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 20, name + " --quick took " + seconds + " s");
        return text.toString();
    }

    @Test
    void ganScoresItsSamplesAndDrawsGrids() throws Exception {
        String out = run("gan");
        assertTrue(out.matches("(?s).*judge: LeNet-5 .* test accuracy 0\\.\\d{4} on 2000 .*"), out);
        for (String what : List.of("real test digits", "DCGAN", "conditional DCGAN")) {
            double confident = number(out, "(?m)^" + what + ": \\d+ samples, judged confident \\(p >= 0\\.9\\): (\\d\\.\\d{3})$");
            assertTrue(confident >= 0 && confident <= 1, out);
            Matcher m = Pattern.compile("(?m)^" + what + ": class histogram ((?:\\d:\\d+ ?){10}); modes covered .* (\\d+)/10$").matcher(out);
            assertTrue(m.find(), out);
            int total = 0;
            for (String bin : m.group(1).trim().split(" ")) total += Integer.parseInt(bin.split(":")[1]);
            assertEquals(100, total, "every sample lands in one class: " + m.group(1));
        }
        double asked = number(out, "(?m)^conditional DCGAN: classified as requested (\\d\\.\\d{3})$");
        assertTrue(asked >= 0 && asked <= 1, out);
        double real = number(out, "(?m)^real test digits: classified as labelled (\\d\\.\\d{3})$");
        assertTrue(real >= 0 && real <= 1, out);
        // 8 × 8 samples and 10 × 10 (one row per digit), cells of 28·2 + 2 pixels.
        assertSize("gan-samples.png", 8 * 58 + 2, 8 * 58 + 2);
        assertSize("gan-epochs/gan-samples-epoch1.png", 8 * 58 + 2, 8 * 58 + 2);
        assertSize("gan-conditional.png", 10 * 58 + 2, 10 * 58 + 2);
    }

    @Test
    void superResolutionPrintsThePaperTable() throws Exception {
        String out = run("super-resolution");
        List<double[]> rows = new ArrayList<>();
        for (String method : List.of("bicubic", "SRResNet", "SRGAN")) {
            Matcher m = Pattern.compile("(?m)^" + method + " +(\\d+\\.\\d{2}) +(-?\\d\\.\\d{4})$").matcher(out);
            assertTrue(m.find(), method + " row in\n" + out);
            double psnr = Double.parseDouble(m.group(1)), ssim = Double.parseDouble(m.group(2));
            assertTrue(psnr > 5 && psnr < 60 && ssim > -1 && ssim <= 1, out);
            rows.add(new double[] {psnr, ssim});
        }
        assertTrue(rows.get(0)[0] > 15, "bicubic on 2× digits is far better than noise: " + rows.get(0)[0]);
        BufferedImage img = assertSize("super-resolution.png", -1, -1);
        assertEquals(16 + 8 * 58 + 2, img.getHeight(), "a title line and eight rows");
    }

    @Test
    void imageToImageReportsL1() throws Exception {
        String out = run("image-to-image");
        double copy = number(out, "(?m)^copy the outline +(\\d\\.\\d{4})$");
        double pix2pix = number(out, "(?m)^pix2pix +(\\d\\.\\d{4})$");
        assertTrue(copy > 0 && copy < 1 && pix2pix > 0 && pix2pix < 1, out);
        BufferedImage img = assertSize("image-to-image.png", -1, 16 + 8 * 58 + 2);
        assertTrue(img.getWidth() >= 6 * 58, "six columns: " + img.getWidth());
    }

    @Test
    void outlinesAreTheStrokePixelsNextToTheBackground() {
        float[] v = new float[25];
        for (int y = 1; y <= 3; y++) for (int x = 1; x <= 3; x++) v[y * 5 + x] = 1; // a 3 × 3 block
        float[] e = ImageToImageDemo.outline(io.shendu.tensor.Tensor.of(v, 1, 1, 5, 5)).toFloatArray();
        for (int k = 0; k < 25; k++) assertEquals(k == 12 ? 0f : v[k], e[k], "pixel " + k + ": the centre is inside, the ring is the outline");
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no match for " + regex + " in\n" + out);
        return Double.parseDouble(m.group(1));
    }

    private BufferedImage assertSize(String file, int width, int height) throws Exception {
        BufferedImage img = ImageIO.read(dir.resolve(file).toFile());
        assertNotNull(img, file);
        if (width > 0) assertEquals(width, img.getWidth(), file);
        if (height > 0) assertEquals(height, img.getHeight(), file);
        return img;
    }
}
