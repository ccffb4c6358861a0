package io.shendu.cli;

import io.shendu.autograd.NoGrad;
import io.shendu.io.Checkpoint;
import io.shendu.models.Models;
import io.shendu.nn.Module;
import io.shendu.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shendu predict}: the top classes of image files under a checkpoint. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Classify image files (PNG, JPEG) with a checkpoint.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A checkpoint JSON (e.g. runs/x/best.json).")
    Path checkpoint;

    @Option(names = "--top", defaultValue = "3", description = "How many classes to show. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--invert", description = "Invert grey levels (for dark digits on a light background; MNIST is light on dark).")
    boolean invert;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint c = Checkpoint.load(checkpoint);
        Models.Options o = CheckpointModels.options(c, checkpoint);
        Module net = CheckpointModels.load(checkpoint, new int[] {o.inChannels(), o.imageSize(), o.imageSize()}, o.numClasses());
        for (Path file : images) {
            Tensor x = read(file, o.inChannels(), o.imageSize());
            float[] p;
            try (NoGrad ignored = NoGrad.enter()) {
                p = net.forward(x).softmax(1).toFloatArray();
            }
            Integer[] order = new Integer[p.length];
            for (int i = 0; i < p.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
            StringBuilder sb = new StringBuilder(file.toString()).append(':');
            for (int k = 0; k < Math.min(top, p.length); k++) {
                sb.append(String.format(Locale.ROOT, "  %d (%.1f%%)", order[k], 100 * p[order[k]]));
            }
            out.println(sb);
        }
        return 0;
    }

    private Tensor read(Path file, int channels, int size) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such image file");
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the image: " + e.getMessage(), e);
        }
        if (img == null) throw new IllegalArgumentException(file + ": not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
        if (img.getWidth() != size || img.getHeight() != size) {
            throw new IllegalArgumentException(file + ": expected a " + size + "×" + size + " image, found "
                    + img.getWidth() + "×" + img.getHeight());
        }
        float[] v = new float[channels * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (channels == 1) {
                    float grey = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                    v[y * size + x] = invert ? 1 - grey : grey;
                } else {
                    int[] ch = {r, g, b};
                    for (int c = 0; c < channels; c++) v[(c * size + y) * size + x] = ch[c % 3] / 255f;
                }
            }
        }
        return Tensor.of(v, 1, channels, size, size);
    }
}
