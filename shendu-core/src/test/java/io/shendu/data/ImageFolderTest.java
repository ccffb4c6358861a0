package io.shendu.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {

    @TempDir
    Path root;

    private static void grey(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (value + x + y) % 256);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static void rgb(Path file, int w, int h, int r, int g, int b) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r << 16 | g << 8 | b);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void classesAreSortedSubFoldersAndGreyValuesAreExact() throws IOException {
        grey(root.resolve("b-dog/2.png"), 3, 2, 100);
        grey(root.resolve("b-dog/1.png"), 3, 2, 50);
        grey(root.resolve("a-cat/x.PNG"), 3, 2, 200);
        Files.writeString(root.resolve("a-cat/notes.txt"), "not an image");
        Files.writeString(root.resolve("README"), "ignored");
        TensorDataset ds = ImageFolder.load(root, 1);
        assertEquals(List.of("a-cat", "b-dog"), ds.classes());
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {0, 1, 1}, ds.labels().toIntArray());
        assertArrayEquals(new float[] {50 / 255f, 51 / 255f, 52 / 255f, 51 / 255f, 52 / 255f, 53 / 255f},
                ds.get(1).input().toFloatArray()); // b-dog/1.png comes before 2.png
        assertEquals(200 / 255f, ds.get(0).input().get(0, 0, 0));
        TensorDataset asRgb = ImageFolder.load(root, 3);
        assertArrayEquals(new int[] {3, 2, 3}, asRgb.get(2).input().shape());
        assertEquals(100 / 255f, asRgb.get(2).input().get(2, 0, 0));
    }

    @Test
    void colourImagesGiveRgbPlanesOrLuma() throws IOException {
        rgb(root.resolve("red/a.png"), 2, 2, 255, 0, 0);
        rgb(root.resolve("teal/a.png"), 2, 2, 0, 128, 128);
        TensorDataset ds = ImageFolder.load(root, 3);
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, ds.get(0).input().toFloatArray());
        assertArrayEquals(new float[] {0, 128 / 255f, 128 / 255f}, new float[] {ds.get(1).input().get(0, 1, 1),
                ds.get(1).input().get(1, 1, 1), ds.get(1).input().get(2, 1, 1)});
        TensorDataset grey = ImageFolder.load(root, 1);
        assertEquals(255 * 299 / 1000f / 255f, grey.get(0).input().get(0, 0, 0), 1e-6f);
        assertEquals(128 * 701 / 1000f / 255f, grey.get(1).input().get(0, 0, 0), 1e-6f);
    }

    @Test
    void badFoldersAndImagesAreNamed() throws IOException {
        var e = assertThrows(DataFileException.class, () -> ImageFolder.load(root, 1));
        assertEquals("ImageFolder: " + root + " has no sub-folders; expected one per class, holding its images", e.getMessage());

        grey(root.resolve("one/a.png"), 4, 4, 0);
        grey(root.resolve("one/b.png"), 4, 5, 0);
        e = assertThrows(DataFileException.class, () -> ImageFolder.load(root, 1));
        assertEquals("ImageFolder: " + root.resolve("one/b.png") + " is 4 × 5 (width × height), expected 4 × 4 like "
                + root.resolve("one/a.png") + "; resize the images first", e.getMessage());

        Files.delete(root.resolve("one/b.png"));
        Files.createDirectories(root.resolve("two"));
        e = assertThrows(DataFileException.class, () -> ImageFolder.load(root, 1));
        assertTrue(e.getMessage().startsWith("ImageFolder: class folder " + root.resolve("two") + " has no images"), e.getMessage());

        Files.writeString(root.resolve("two/broken.png"), "not really a png");
        e = assertThrows(DataFileException.class, () -> ImageFolder.load(root, 1));
        assertTrue(e.getMessage().startsWith("ImageFolder: " + root.resolve("two/broken.png")), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(root, 2));
        e = assertThrows(DataFileException.class, () -> ImageFolder.load(root.resolve("missing"), 1));
        assertEquals("ImageFolder: " + root.resolve("missing") + " is not a directory", e.getMessage());
    }
}
