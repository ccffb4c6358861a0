package io.shendu.data;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images sorted into one sub-folder per class ({@code root/cat/1.png, root/dog/7.jpg, ...}), as torchvision's
 * {@code ImageFolder}: classes are the sub-folder names in sorted order, labelled 0, 1, ...; within a class, files
 * are taken in sorted order. PNG, JPEG, BMP and GIF are read through ImageIO; other files and hidden ones are
 * skipped. All images must have the same size (no resizing). The result holds every image in memory as
 * {@code [N, C, H, W]} floats in [0, 1], with {@code C} = 1 (grey, ITU-R 601 luma) or 3 (RGB); alpha is ignored.
 */
public final class ImageFolder {

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolder() {}

    public static TensorDataset load(Path root, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("ImageFolder: channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        if (!Files.isDirectory(root)) throw new DataFileException("ImageFolder: " + root + " is not a directory");
        List<Path> classDirs = list(root).filter(Files::isDirectory).toList();
        if (classDirs.isEmpty()) {
            throw new DataFileException("ImageFolder: " + root + " has no sub-folders; expected one per class, holding its images");
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = list(dir).filter(ImageFolder::isImage).toList();
            if (images.isEmpty()) {
                throw new DataFileException("ImageFolder: class folder " + dir + " has no images (expected ."
                        + String.join(", .", EXTENSIONS.stream().sorted().toList()) + " files)");
            }
            for (Path file : images) {
                files.add(file);
                labels.add(classes.size());
            }
            classes.add(dir.getFileName().toString());
        }
        return read(files, labels, channels, classes);
    }

    private static TensorDataset read(List<Path> files, List<Integer> labels, int channels, List<String> classes) {
        BufferedImage first = decode(files.get(0));
        int h = first.getHeight(), w = first.getWidth(), row = channels * h * w;
        float[] data = new float[files.size() * row];
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = i == 0 ? first : decode(files.get(i));
            if (img.getHeight() != h || img.getWidth() != w) {
                throw new DataFileException("ImageFolder: " + files.get(i) + " is " + img.getWidth() + " × " + img.getHeight()
                        + " (width × height), expected " + w + " × " + h + " like " + files.get(0) + "; resize the images first");
            }
            readPixels(img, channels, data, i * row);
        }
        return new TensorDataset(data, labels.stream().mapToInt(Integer::intValue).toArray(), channels, h, w, classes);
    }

    /**
     * Grey images are read from their raster: {@code getRGB} would pass them through a linear-to-sRGB conversion
     * and change the values.
     */
    private static void readPixels(BufferedImage img, int channels, float[] out, int offset) {
        int h = img.getHeight(), w = img.getWidth(), plane = h * w;
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
        float greyMax = grey ? (1 << cm.getComponentSize(0)) - 1 : 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = offset + y * w + x;
                if (grey) {
                    float v = raster.getSample(x, y, 0) / greyMax;
                    for (int c = 0; c < channels; c++) out[p + c * plane] = v;
                    continue;
                }
                int rgb = img.getRGB(x, y);
                int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
                if (channels == 1) {
                    out[p] = (r * 299 + g * 587 + b * 114) / 1000f / 255f;
                } else {
                    out[p] = r / 255f;
                    out[p + plane] = g / 255f;
                    out[p + 2 * plane] = b / 255f;
                }
            }
        }
    }

    private static BufferedImage decode(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) throw new DataFileException("ImageFolder: " + file + ": not an image ImageIO can read");
            return img;
        } catch (IOException e) {
            throw new DataFileException("ImageFolder: " + file + ": cannot read image: " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Files.isRegularFile(file) && !name.startsWith(".") && dot > 0
                && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList().stream();
        } catch (IOException e) {
            throw new DataFileException("ImageFolder: cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
