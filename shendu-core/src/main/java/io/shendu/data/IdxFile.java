package io.shendu.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of the MNIST files (LeCun et al.): a big-endian magic number {@code 0x000008R} — two zero bytes,
 * the type code {@code 0x08} (unsigned byte), the rank R — then R 32-bit sizes, then the bytes in row-major
 * order. A gzip-compressed file is recognised by its first two bytes ({@code 1f 8b}), whatever its name.
 * Every header field and the data length are checked; a mismatch is a {@link DataFileException} naming the file,
 * the offset, and what was expected and found.
 */
public final class IdxFile {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) UNIT[i] = i / 255f; // as PyTorch's ToTensor: byte / 255
    }

    private final String source;
    private final int[] shape;
    private final byte[] bytes;
    private final int dataOffset;

    private IdxFile(String source, int[] shape, byte[] bytes, int dataOffset) {
        this.source = source;
        this.shape = shape;
        this.bytes = bytes;
        this.dataOffset = dataOffset;
    }

    /** Reads an IDX file of unsigned bytes and the given rank (3 for images, 1 for labels), raw or gzip. */
    public static IdxFile read(Path file, int rank) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFileException(file + ": file not found", e);
        } catch (IOException e) {
            throw new DataFileException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(raw, file.toString(), rank);
    }

    /** Reads an IDX stream, raw or gzip; {@code source} names it in error messages. */
    public static IdxFile read(InputStream in, String source, int rank) {
        try {
            return parse(in.readAllBytes(), source, rank);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read", e);
        }
    }

    /** Parses IDX bytes (gunzipped first if they start with the gzip magic). */
    public static IdxFile parse(byte[] raw, String source, int rank) {
        byte[] bytes = isGzip(raw) ? gunzip(raw, source) : raw;
        int magic = UNSIGNED_BYTE << 8 | rank;
        if (bytes.length < 4) {
            throw new DataFileException(source + ": truncated: " + bytes.length + " bytes, expected at least 4 (the magic number "
                    + hex(magic) + ")");
        }
        int found = readInt(bytes, 0);
        if (found != magic) {
            throw new DataFileException(source + ": bad magic number at offset 0: expected " + hex(magic)
                    + " (unsigned bytes, " + rank + " dimension" + (rank == 1 ? "" : "s") + "), found " + hex(found));
        }
        int header = 4 + 4 * rank;
        if (bytes.length < header) {
            throw new DataFileException(source + ": truncated header: " + bytes.length + " bytes, expected " + header
                    + " (magic number and " + rank + " sizes)");
        }
        int[] shape = new int[rank];
        long numel = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = readInt(bytes, 4 + 4 * d);
            if (shape[d] <= 0) {
                throw new DataFileException(source + ": size of dimension " + d + " at offset " + (4 + 4 * d)
                        + " must be positive, found " + shape[d]);
            }
            numel *= shape[d];
        }
        long expectedEnd = header + numel;
        if (bytes.length != expectedEnd) {
            String what = bytes.length < expectedEnd ? "truncated" : "unexpected bytes after the data";
            throw new DataFileException(source + ": " + what + ": the header declares " + describe(shape) + " = " + numel
                    + " bytes from offset " + header + ", so the data should end at offset " + expectedEnd
                    + ", but it ends at offset " + bytes.length);
        }
        return new IdxFile(source, shape, bytes, header);
    }

    /** The file (or resource) this was read from. */
    public String source() {
        return source;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The size of the first dimension: the number of images or labels. */
    public int count() {
        return shape[0];
    }

    /** The byte at flat position {@code i}, as 0..255. */
    public int unsignedByte(int i) {
        return bytes[dataOffset + i] & 0xFF;
    }

    /** Offset in the (decompressed) file of flat position {@code i}, for error messages. */
    public int offsetOf(int i) {
        return dataOffset + i;
    }

    /** Every byte as a float in [0, 1] (byte / 255). */
    public float[] toUnitFloats() {
        float[] out = new float[bytes.length - dataOffset];
        for (int i = 0; i < out.length; i++) out[i] = UNIT[bytes[dataOffset + i] & 0xFF];
        return out;
    }

    /** Every byte as an int in 0..255. */
    public int[] toInts() {
        int[] out = new int[bytes.length - dataOffset];
        for (int i = 0; i < out.length; i++) out[i] = bytes[dataOffset + i] & 0xFF;
        return out;
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B;
    }

    private static byte[] gunzip(byte[] raw, String source) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
            // Reading into an array of the size the gzip trailer states saves the copies of readAllBytes (about
            // 20% for Fashion-MNIST). The trailer only holds the last member's size mod 2^32, so it is a hint.
            byte[] out = new byte[sizeHint(raw)];
            int n = in.readNBytes(out, 0, out.length);
            byte[] rest = in.readAllBytes();
            if (n == out.length && rest.length == 0) return out;
            byte[] all = Arrays.copyOf(out, n + rest.length);
            System.arraycopy(rest, 0, all, n, rest.length);
            return all;
        } catch (ZipException e) {
            throw new DataFileException(source + ": corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(source + ": truncated or corrupt gzip data (" + raw.length + " compressed bytes): "
                    + e.getMessage(), e);
        }
    }

    private static int sizeHint(byte[] gz) {
        int n = gz.length;
        if (n < 18) return 0; // shorter than a gzip header and trailer: let the stream report it
        long size = (gz[n - 4] & 0xFFL) | (gz[n - 3] & 0xFFL) << 8 | (gz[n - 2] & 0xFFL) << 16 | (gz[n - 1] & 0xFFL) << 24;
        long deflateMaxRatio = 1032; // no valid deflate stream expands more
        return (int) Math.min(size, Math.min(n * deflateMaxRatio, Integer.MAX_VALUE - 8));
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    static String describe(int[] shape) {
        return Arrays.toString(shape).replace(", ", " × ").replace("[", "").replace("]", "");
    }
}
