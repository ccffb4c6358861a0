package io.shendu.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFileTest {

    @TempDir
    Path dir;

    private static final byte[] IMAGES = IdxFiles.bytes(new int[] {2, 2, 3}, new int[] {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255});

    @Test
    void readsRawAndGzipTheSame() {
        IdxFile raw = IdxFile.read(IdxFiles.write(dir.resolve("a-idx3-ubyte"), IMAGES), 3);
        IdxFile gz = IdxFile.read(IdxFiles.write(dir.resolve("b.anything"), IdxFiles.gzip(IMAGES)), 3);
        for (IdxFile f : new IdxFile[] {raw, gz}) {
            assertArrayEquals(new int[] {2, 2, 3}, f.shape());
            assertEquals(2, f.count());
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}, f.toInts());
            float[] unit = f.toUnitFloats();
            assertEquals(0f, unit[0]);
            assertEquals(1 / 255f, unit[1]);
            assertEquals(1f, unit[11]);
            assertEquals(16, f.offsetOf(0));
        }
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope-idx1-ubyte");
        var e = assertThrows(DataFileException.class, () -> IdxFile.read(missing, 1));
        assertEquals(missing + ": file not found", e.getMessage());
    }

    @Test
    void wrongMagicNumberSaysExpectedAndFound() {
        var e = assertThrows(DataFileException.class, () -> IdxFile.parse(IMAGES, "labels.idx", 1));
        assertEquals("labels.idx: bad magic number at offset 0: expected 0x00000801 (unsigned bytes, 1 dimension), found 0x00000803",
                e.getMessage());
        byte[] floats = IMAGES.clone();
        floats[2] = 0x0D; // IDX float data
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(floats, "f", 3));
        assertTrue(e.getMessage().contains("expected 0x00000803 (unsigned bytes, 3 dimensions), found 0x00000D03"), e.getMessage());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0};
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(png, "x.png", 1));
        assertTrue(e.getMessage().contains("found 0x89504E47"), e.getMessage());
    }

    @Test
    void truncatedFilesSayWhereTheyEnd() {
        var e = assertThrows(DataFileException.class, () -> IdxFile.parse(new byte[] {0, 0, 8}, "t", 1));
        assertEquals("t: truncated: 3 bytes, expected at least 4 (the magic number 0x00000801)", e.getMessage());
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(Arrays.copyOf(IMAGES, 10), "t", 3));
        assertEquals("t: truncated header: 10 bytes, expected 16 (magic number and 3 sizes)", e.getMessage());
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(Arrays.copyOf(IMAGES, IMAGES.length - 1), "t", 3));
        assertEquals("t: truncated: the header declares 2 × 2 × 3 = 12 bytes from offset 16, so the data should end at "
                + "offset 28, but it ends at offset 27", e.getMessage());
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(Arrays.copyOf(IMAGES, IMAGES.length + 5), "t", 3));
        assertTrue(e.getMessage().startsWith("t: unexpected bytes after the data:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("but it ends at offset 33"), e.getMessage());
    }

    @Test
    void nonPositiveSizeIsRejected() {
        byte[] b = IMAGES.clone();
        b[11] = 0; // second size: 2 -> 0
        var e = assertThrows(DataFileException.class, () -> IdxFile.parse(b, "z", 3));
        assertEquals("z: size of dimension 1 at offset 8 must be positive, found 0", e.getMessage());
        byte[] huge = IMAGES.clone();
        huge[4] = (byte) 0x80;
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(huge, "h", 3));
        assertTrue(e.getMessage().contains("found -2147483646"), e.getMessage());
    }

    @Test
    void corruptOrTruncatedGzipIsNamed() {
        byte[] gz = IdxFiles.gzip(IdxFiles.bytes(new int[] {500}, new int[500]));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        var e = assertThrows(DataFileException.class, () -> IdxFile.parse(cut, "cut.gz", 1));
        assertTrue(e.getMessage().startsWith("cut.gz: truncated or corrupt gzip data (" + cut.length + " compressed bytes)"),
                e.getMessage());
        byte[] tiny = Arrays.copyOf(gz, 3);
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(tiny, "tiny.gz", 1));
        assertTrue(e.getMessage().startsWith("tiny.gz: truncated or corrupt gzip data (3 compressed bytes)"), e.getMessage());
        // Concatenated gzip members (as `cat a.gz b.gz`) decompress to the concatenation.
        byte[] idx = IdxFiles.bytes(new int[] {500}, new int[500]);
        byte[] head = IdxFiles.gzip(Arrays.copyOf(idx, 100)), tail = IdxFiles.gzip(Arrays.copyOfRange(idx, 100, idx.length));
        byte[] joined = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, joined, head.length, tail.length);
        assertEquals(500, IdxFile.parse(joined, "joined.gz", 1).count());
        byte[] bad = gz.clone();
        for (int i = 10; i < 16; i++) bad[i] = (byte) 0xFF;
        e = assertThrows(DataFileException.class, () -> IdxFile.parse(bad, "bad.gz", 1));
        assertTrue(e.getMessage().startsWith("bad.gz: "), e.getMessage());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }
}
