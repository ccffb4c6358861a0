package io.shendu.data;

import io.shendu.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds thousands of mutated IDX files, raw and gzip, to the reader: each must parse or fail with the documented
 * {@link DataFileException} naming the source — never another exception, a hang, or an OutOfMemoryError (a
 * mutated gzip trailer or size field must not make it allocate gigabytes).
 */
class IdxFuzzTest {

    private static final int CASES = 3000;

    @Test
    @Timeout(120)
    void mutatedFilesFailCleanly() throws Exception {
        Generator g = new Generator(77);
        byte[] raw = images(6, 5, 4, g);
        byte[] gz = gzip(raw);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < CASES; i++) {
            boolean compressed = g.nextInt(2) == 0;
            byte[] bytes = mutate(compressed ? gz : raw, g);
            try {
                IdxFile f = IdxFile.parse(bytes, "fuzz.idx", 3);
                assertTrue(f != null);
                parsed++;
            } catch (DataFileException e) {
                assertTrue(e.getMessage().startsWith("fuzz.idx"), e.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("case " + i + (compressed ? " (gzip)" : " (raw)") + ": undocumented " + t, t);
            }
        }
        assertTrue(rejected > CASES / 4, "most mutations must be rejected, got " + rejected);
        assertTrue(parsed > 0, "pixel-only mutations must still parse");
    }

    private static byte[] images(int n, int rows, int cols, Generator g) {
        byte[] b = new byte[16 + n * rows * cols];
        putInt(b, 0, 0x0803);
        putInt(b, 4, n);
        putInt(b, 8, rows);
        putInt(b, 12, cols);
        for (int i = 16; i < b.length; i++) b[i] = (byte) g.nextInt(256);
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] mutate(byte[] base, Generator g) {
        byte[] b = base.clone();
        switch (g.nextInt(6)) {
            case 0 -> { for (int k = 0, n = 1 + g.nextInt(3); k < n; k++) b[g.nextInt(b.length)] ^= (byte) (1 + g.nextInt(255)); }
            case 1 -> b = java.util.Arrays.copyOf(b, g.nextInt(b.length));
            case 2 -> b = java.util.Arrays.copyOf(b, b.length + 1 + g.nextInt(32));
            case 3 -> { // a size field or the gzip trailer's length set to something wild
                int at = b.length > 4 && (b[0] & 0xff) == 0x1f ? b.length - 4 : 4 + 4 * g.nextInt(3);
                int v = switch (g.nextInt(3)) { case 0 -> Integer.MAX_VALUE; case 1 -> -1; default -> g.nextInt(1 << 20); };
                if ((b[0] & 0xff) == 0x1f) {
                    b[at] = (byte) v; b[at + 1] = (byte) (v >>> 8); b[at + 2] = (byte) (v >>> 16); b[at + 3] = (byte) (v >>> 24);
                } else {
                    putInt(b, at, v);
                }
            }
            case 4 -> b[g.nextInt(Math.min(16, b.length))] = (byte) g.nextInt(256); // header bytes
            default -> { if ((b[0] & 0xff) != 0x1f && b.length > 16) b[16 + g.nextInt(b.length - 16)] ^= 0x33; } // pixels only
        }
        return b;
    }
}
