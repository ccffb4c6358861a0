package io.shendu.cli.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code autoencoder} and {@code unet} demos in quick mode: well-formed, sane numbers and their pictures. */
class AutoencoderUNetDemoTest {

    @TempDir
    Path dir;

    /**
     * Runs a demo in quick mode and checks that it costs under 20 s of processor time. Processor time rather than
     * wall time: on a shared build machine the wall time measures the other jobs too.
     */
    private String run(String name) throws Exception {
        StringWriter text = new StringWriter();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long start = os.getProcessCpuTime();
        Demos.get(name).run(new DemoContext(new PrintWriter(text, true), dir, true, 42));
        double seconds = (os.getProcessCpuTime() - start) / 1e9;
        assertTrue(seconds < 20, name + " --quick took " + seconds + " s of processor time");
        return text.toString();
    }

    private static Matcher find(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + out);
        return m;
    }

    private BufferedImage picture(String name) throws Exception {
        BufferedImage img = ImageIO.read(dir.resolve(name).toFile());
        assertNotNull(img, name + " is a readable PNG");
        return img;
    }

    @Test
    void autoencoderBeatsChanceAndDrawsBothFigures() throws Exception {
        String out = run("autoencoder");
        Matcher variance = find(out, "(?m)^PCA: the first 2 components explain (\\d+\\.\\d)% of the pixel variance");
        double explained = Double.parseDouble(variance.group(1));
        assertTrue(explained > 5 && explained < 50, "two components of MNIST explain roughly a fifth: " + explained);
        Matcher knn = find(out, "(?m)^5-NN accuracy of the 2-D test embeddings \\(5-fold cross-validated\\): "
                + "PCA (\\d\\.\\d{4}), autoencoder (\\d\\.\\d{4})$");
        double pca = Double.parseDouble(knn.group(1)), ae = Double.parseDouble(knn.group(2));
        assertTrue(pca > 0.2 && pca < 0.7, "PCA in 2-D is well above chance (0.1) and far from perfect: " + pca);
        assertTrue(ae > 0.15 && ae <= 1, "even two quick epochs beat chance: " + ae);
        Matcher mse = find(out, "(?m)^test reconstruction MSE: PCA \\(2 components\\) (\\d\\.\\d{4}), autoencoder \\(2-D code\\) "
                + "(\\d\\.\\d{4}), denoising conv autoencoder from noisy inputs (\\d\\.\\d{4}) \\(the noisy inputs themselves: (\\d\\.\\d{4})\\)$");
        for (int g = 1; g <= 4; g++) {
            double v = Double.parseDouble(mse.group(g));
            assertTrue(v > 0 && v < 0.5, "an MSE of pixels in [0, 1]: " + v);
        }
        assertTrue(out.contains("figure: " + dir.resolve("ae-vs-pca.png")), out);
        BufferedImage scatter = picture("ae-vs-pca.png"), grid = picture("ae-reconstructions.png");
        assertTrue(scatter.getWidth() > scatter.getHeight(), "two panels side by side");
        assertTrue(grid.getHeight() >= 5 * 84 && grid.getWidth() >= 10 * 84, "5 rows of 10 digits at 3× scale");
    }

    @Test
    void unetReportsIouAndDrawsItsRows() throws Exception {
        String out = run("unet");
        Matcher m = find(out, "(?m)^held-out mean IoU (\\d\\.\\d{4}) \\(foreground, averaged over 100 images\\); "
                + "best single threshold on the raw image: (\\d\\.\\d{4})$");
        double iou = Double.parseDouble(m.group(1)), threshold = Double.parseDouble(m.group(2));
        assertTrue(iou >= 0 && iou <= 1 && threshold >= 0 && threshold <= 1, out);
        assertTrue(iou > 0.3, "two quick epochs already find most strokes: " + iou);
        find(out, "(?m)^  epoch  2  loss \\d\\.\\d{4}");
        BufferedImage grid = picture("unet-segmentation.png");
        assertTrue(grid.getHeight() >= 4 * 96 && grid.getWidth() >= 10 * 96, "4 rows of 10 images of 32 px at 3× scale");
    }
}
