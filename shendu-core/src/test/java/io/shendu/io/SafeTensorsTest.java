package io.shendu.io;

import io.shendu.tensor.DType;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesOrderValuesAndMetadata() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("fc.weight", Tensor.of(new float[] {1.5f, -2f, 3.25f, 0f, 1e-20f, -0f}, 2, 3));
        in.put("fc.bias", Tensor.vector(7f, 8f));
        in.put("bn.num_batches_tracked", Tensor.ofInts(new int[] {42}));
        in.put("empty", Tensor.zeros(0, 3));
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, in, Map.of("format", "pt"));
        SafeTensors.Contents out = SafeTensors.read(file);
        assertEquals(java.util.List.of("fc.weight", "fc.bias", "bn.num_batches_tracked", "empty"), java.util.List.copyOf(out.tensors().keySet()));
        assertArrayEquals(in.get("fc.weight").toFloatArray(), out.tensors().get("fc.weight").toFloatArray());
        assertArrayEquals(new int[] {2, 3}, out.tensors().get("fc.weight").shape());
        assertEquals(DType.INT32, out.tensors().get("bn.num_batches_tracked").dtype());
        assertEquals(42, out.tensors().get("bn.num_batches_tracked").item());
        assertArrayEquals(new int[] {0, 3}, out.tensors().get("empty").shape());
        assertEquals(Map.of("format", "pt"), out.metadata());
    }

    @Test
    void writesTheStandardLayout() throws IOException {
        Path file = dir.resolve("one.safetensors");
        SafeTensors.write(file, Map.of("x", Tensor.vector(1f, 2f)), Map.of());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertEquals(0, n % 8);
        String header = new String(Files.readAllBytes(file), 8, (int) n, StandardCharsets.UTF_8).strip();
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(1f, b.getFloat((int) (8 + n)));
        assertEquals(2f, b.getFloat((int) (8 + n + 4)));
    }

    @Test
    void readsHalfDoubleAndIntegerDtypes() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[6,14]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[14,16]}}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f));
        data.putShort((short) (Float.floatToIntBits(3f) >>> 16));
        data.putDouble(0.25);
        data.put((byte) 200).put((byte) 7);
        SafeTensors.Contents c = SafeTensors.read(file(header, data.array()));
        assertArrayEquals(new float[] {1.5f, -2f}, c.tensors().get("h").toFloatArray());
        assertEquals(3f, c.tensors().get("b").item());
        assertEquals(0.25f, c.tensors().get("d").item());
        assertArrayEquals(new int[] {200, 7}, c.tensors().get("u").toIntArray());
    }

    @Test
    void rejectsEveryKindOfCorruption() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertCorrupt(file(ok, new byte[4]), "cover 8 bytes of data but the file holds 4");
        assertCorrupt(file(ok, new byte[12]), "cover 8 bytes of data but the file holds 12");
        assertCorrupt(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "= 12 bytes but its data_offsets span 8");
        assertCorrupt(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                new byte[12]), "starts at data offset 8 but the previous tensor ends at 4");
        assertCorrupt(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                new byte[8]), "starts at data offset 4 but the previous tensor ends at 8");
        assertCorrupt(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                new byte[8]), "duplicate");
        assertCorrupt(file("{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "unsupported dtype Q7");
        assertCorrupt(file("[1, 2]", new byte[0]), "must be a JSON object");
        assertCorrupt(file("{\"a\":", new byte[0]), "not valid JSON");
        assertCorrupt(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "non-negative");
        assertCorrupt(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]), "before it begins");

        Path huge = dir.resolve("huge.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).putLong(0);
        Files.write(huge, b.array());
        assertCorrupt(huge, "exceeds the cap");
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(100).putInt(0).array());
        assertCorrupt(truncated, "header length 100 but only 4 bytes follow");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[3]);
        assertCorrupt(tiny, "expected an 8-byte header length");
        Path badUtf8 = dir.resolve("utf8.safetensors");
        Files.write(badUtf8, ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(2).put((byte) 0xC3).put((byte) 0x28).array());
        assertCorrupt(badUtf8, "not valid UTF-8");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SafeTensors.read(missing));
        assertTrue(e.getMessage().contains("file not found") && e.getMessage().contains("nope.safetensors"), e.getMessage());
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, Map.of("x", Tensor.vector(1f)), Map.of());
        SafeTensors.write(file, Map.of("x", Tensor.vector(2f)), Map.of());
        assertEquals(2f, SafeTensors.read(file).tensors().get("x").item());
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("w.safetensors"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    private Path file(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = Files.createTempFile(dir, "case", ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static void assertCorrupt(Path file, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains(file.getFileName().toString()),
                "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }
}
