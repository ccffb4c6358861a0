package io.shendu.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the tests. */
final class IdxFiles {

    private IdxFiles() {}

    /** The bytes of an unsigned-byte IDX file of the given shape; {@code data} values are taken mod 256. */
    static byte[] bytes(int[] shape, int[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + data.length);
        b.putInt(0x0800 | shape.length);
        for (int s : shape) b.putInt(s);
        for (int v : data) b.put((byte) v);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} 28 × 28 images whose pixel p of image i is (i + p) mod 256, and labels i mod 10. */
    static void writeMnist(Path dir, String prefix, int n, boolean gzip) {
        int[] pixels = new int[n * 784];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i / 784 + i % 784) % 256;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        byte[] images = bytes(new int[] {n, 28, 28}, pixels), lab = bytes(new int[] {n}, labels);
        String gz = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + gz), gzip ? gzip(images) : images);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + gz), gzip ? gzip(lab) : lab);
    }
}
