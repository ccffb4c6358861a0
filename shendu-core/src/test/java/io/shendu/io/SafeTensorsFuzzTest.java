package io.shendu.io;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds thousands of mutated safetensors files to the reader: each must either parse into tensors that agree with
 * their own header or fail with the documented {@link IllegalArgumentException} naming the file — never another
 * exception, a hang, or an OutOfMemoryError.
 */
class SafeTensorsFuzzTest {

    private static final int CASES = 4000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void mutatedFilesFailCleanly() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Generator g = new Generator(2024);
        tensors.put("conv.weight", Tensor.randn(g, 4, 1, 3, 3));
        tensors.put("conv.bias", Tensor.randn(g, 4));
        tensors.put("bn.num_batches_tracked", Tensor.ofInts(new int[] {7}));
        tensors.put("fc.weight", Tensor.randn(g, 3, 5));
        Path original = dir.resolve("model.safetensors");
        SafeTensors.write(original, tensors, Map.of("format", "pt"));
        byte[] base = Files.readAllBytes(original);
        int headerLength = (int) ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0);

        int parsed = 0, rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = mutate(base, headerLength, g);
            try {
                SafeTensors.Contents c = SafeTensors.parse(original, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
                for (Tensor t : c.tensors().values()) assertTrue(t.numel() >= 0);
                parsed++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("safetensors: " + original), e.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("case " + i + ": undocumented " + t, t);
            }
        }
        assertTrue(rejected > CASES / 4, "most mutations must be rejected, got " + rejected);
        assertTrue(parsed > 0, "mutations of the data bytes only must still parse");
    }

    private static byte[] mutate(byte[] base, int headerLength, Generator g) {
        byte[] b = base.clone();
        switch (g.nextInt(7)) {
            case 0 -> { // flip random bytes anywhere
                for (int k = 0, n = 1 + g.nextInt(4); k < n; k++) b[g.nextInt(b.length)] ^= (byte) (1 + g.nextInt(255));
            }
            case 1 -> { // truncate
                b = java.util.Arrays.copyOf(b, g.nextInt(b.length));
            }
            case 2 -> { // append garbage
                b = java.util.Arrays.copyOf(b, b.length + 1 + g.nextInt(64));
            }
            case 3 -> { // a wild header length, up to 2^63
                long len = switch (g.nextInt(4)) {
                    case 0 -> g.nextLong();
                    case 1 -> headerLength + g.nextInt(17) - 8;
                    case 2 -> Long.MAX_VALUE;
                    default -> 100_000_001L;
                };
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len);
            }
            case 4 -> { // change one digit of the header (shapes, offsets)
                int pos = 8 + g.nextInt(headerLength);
                if (b[pos] >= '0' && b[pos] <= '9') b[pos] = (byte) ('0' + g.nextInt(10));
                else b[pos] = (byte) "0123456789,[]{}\":-e".charAt(g.nextInt(19));
            }
            case 5 -> { // replace the header text with a crafted one: huge shapes, negative and overflowing offsets
                String[] crafted = {
                    "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,8]}}",
                    "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,99999999999999999999]}}",
                    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1e3],\"data_offsets\":[0,4]}}",
                    "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"__metadata__\":{\"k\":1}}",
                    "{\"__metadata__\":[]}",
                    "{" + "[".repeat(5000) + "}",
                    "{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                };
                byte[] h = crafted[g.nextInt(crafted.length)].getBytes(StandardCharsets.UTF_8);
                byte[] data = new byte[g.nextInt(16)];
                java.util.Arrays.fill(data, (byte) 0x7f);
                ByteBuffer nb = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
                nb.putLong(h.length).put(h).put(data);
                b = nb.array();
            }
            default -> { // data bytes only: must still parse
                int dataStart = 8 + headerLength;
                if (b.length > dataStart) b[dataStart + g.nextInt(b.length - dataStart)] ^= (byte) 0x5a;
            }
        }
        return b;
    }
}
