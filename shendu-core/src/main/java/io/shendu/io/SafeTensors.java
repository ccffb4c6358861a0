package io.shendu.io;

import io.shendu.tensor.DType;
import io.shendu.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional {@code __metadata__} map of
 * strings), then the raw little-endian data. Reading applies every check of the reference implementation:
 * header size cap, UTF-8 JSON object, known dtypes, no duplicate names, dtype × shape equal to the byte
 * length, and offsets that tile the data buffer exactly (contiguous, non-overlapping, nothing left over).
 *
 * <p>Float tensors are written as F32 and int tensors as I64 (PyTorch's index type); F32, F16, BF16, F64 read
 * as float32 and I64, I32, I16, I8, U8, BOOL as int32 (an I64 value outside the int range is an error).
 */
public final class SafeTensors {

    /** The reference implementation's cap on the header (100 MB). */
    public static final long MAX_HEADER_SIZE = 100_000_000L;

    private SafeTensors() {}

    /** Tensors by name (in file order of their data) and the free-form string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {}

    // ------------------------------------------------------------------ write

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
        long offset = 0;
        List<Tensor> order = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("safetensors: '__metadata__' is reserved");
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * (t.dtype() == DType.FLOAT32 ? 4 : 8);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "I64");
            info.put("shape", Arrays.stream(t.shape()).boxed().toList());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            order.add(t);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // keep the data 8-byte aligned, padding with spaces as allowed
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        if (offset > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("safetensors: more than 2 GiB of data is not supported");
        ByteBuffer data = ByteBuffer.allocate((int) offset).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : order) {
            if (t.dtype() == DType.FLOAT32) {
                data.asFloatBuffer().put(t.toFloatArray());
                data.position(data.position() + 4 * t.numel());
            } else {
                for (int v : t.toIntArray()) data.putLong(v);
            }
        }
        data.flip();
        AtomicFiles.write(file, head, data);
    }

    // ------------------------------------------------------------------ read

    /** Reads and validates {@code file}. */
    public static Contents read(Path file) {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) throw corrupt(file, 0, "files over 2 GiB are not supported (" + size + " bytes)");
            buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) { /* fill */ }
            buf.flip();
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("safetensors: file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(file, buf.order(ByteOrder.LITTLE_ENDIAN));
    }

    static Contents parse(Path file, ByteBuffer buf) {
        if (buf.remaining() < 8) throw corrupt(file, 0, "expected an 8-byte header length but the file has " + buf.remaining() + " bytes");
        long n = buf.getLong(0);
        if (n < 0 || n > MAX_HEADER_SIZE) throw corrupt(file, 0, "header length " + Long.toUnsignedString(n) + " exceeds the cap of " + MAX_HEADER_SIZE);
        if (8 + n > buf.limit()) throw corrupt(file, 0, "header length " + n + " but only " + (buf.limit() - 8) + " bytes follow");
        String headerText;
        try {
            headerText = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf.slice(8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(file, 8, "header is not valid UTF-8");
        }
        if (!headerText.startsWith("{")) throw corrupt(file, 8, "header must be a JSON object starting with '{'");
        Object parsed;
        try {
            parsed = Json.parse(headerText.stripTrailing());
        } catch (IllegalArgumentException e) {
            throw corrupt(file, 8, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) throw corrupt(file, 8, "header must be a JSON object");
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (var e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw corrupt(file, 8, "__metadata__ must be an object of strings");
                for (var me : m.entrySet()) {
                    if (!(me.getValue() instanceof String s)) throw corrupt(file, 8, "__metadata__." + me.getKey() + " must be a string");
                    metadata.put((String) me.getKey(), s);
                }
                continue;
            }
            entries.add(entry(file, name, e.getValue()));
        }
        long dataLength = buf.limit() - 8 - n;
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry en : sorted) {
            if (en.begin() != expected) {
                throw corrupt(file, 8 + n + en.begin(), "tensor '" + en.name() + "' starts at data offset " + en.begin()
                        + " but the previous tensor ends at " + expected + " (offsets must be contiguous and non-overlapping)");
            }
            expected = en.end();
        }
        if (expected != dataLength) {
            throw corrupt(file, 8 + n, "tensors cover " + expected + " bytes of data but the file holds " + dataLength);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer data = buf.slice((int) (8 + n), (int) dataLength).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry en : sorted) tensors.put(en.name(), decode(file, en, data, 8 + n));
        return new Contents(tensors, metadata);
    }

    private static Entry entry(Path file, String name, Object value) {
        if (!(value instanceof Map<?, ?> info)) throw corrupt(file, 8, "tensor '" + name + "' must map to an object");
        if (!(info.get("dtype") instanceof String dtype)) throw corrupt(file, 8, "tensor '" + name + "' has no dtype string");
        int width = width(dtype);
        if (width < 0) throw corrupt(file, 8, "tensor '" + name + "' has unsupported dtype " + dtype);
        if (!(info.get("shape") instanceof List<?> shapeList)) throw corrupt(file, 8, "tensor '" + name + "' has no shape list");
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw corrupt(file, 8, "tensor '" + name + "' needs data_offsets [begin, end]");
        }
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegative(file, name, "shape", shapeList.get(i));
            if (d > Integer.MAX_VALUE) throw corrupt(file, 8, "tensor '" + name + "' dimension " + d + " is too large");
            shape[i] = (int) d;
            numel = Math.multiplyExact(numel, d);
        }
        long begin = nonNegative(file, name, "data_offsets", offsets.get(0));
        long end = nonNegative(file, name, "data_offsets", offsets.get(1));
        if (end < begin) throw corrupt(file, 8, "tensor '" + name + "' ends (" + end + ") before it begins (" + begin + ")");
        if (end - begin != numel * width) {
            throw corrupt(file, 8, "tensor '" + name + "' is " + dtype + " " + Arrays.toString(shape) + " = " + numel * width
                    + " bytes but its data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long nonNegative(Path file, String name, String field, Object v) {
        if (!(v instanceof Json.Number num) || !num.isIntegerLiteral()) {
            throw corrupt(file, 8, "tensor '" + name + "' " + field + " must hold integers, found " + v);
        }
        long x;
        try {
            x = num.longValue();
        } catch (RuntimeException e) {
            throw corrupt(file, 8, "tensor '" + name + "' " + field + " value " + num.text() + " is out of range");
        }
        if (x < 0) throw corrupt(file, 8, "tensor '" + name + "' " + field + " must be non-negative, found " + x);
        return x;
    }

    private static int width(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    private static Tensor decode(Path file, Entry en, ByteBuffer data, long base) {
        int n = Math.toIntExact((en.end() - en.begin()) / width(en.dtype()));
        ByteBuffer b = data.slice((int) en.begin(), (int) (en.end() - en.begin())).order(ByteOrder.LITTLE_ENDIAN);
        switch (en.dtype()) {
            case "F32", "F64", "F16", "BF16" -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (en.dtype()) {
                        case "F32" -> b.getFloat(4 * i);
                        case "F64" -> (float) b.getDouble(8 * i);
                        case "F16" -> Float.float16ToFloat(b.getShort(2 * i));
                        default -> Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16);
                    };
                }
                return Tensor.of(v, en.shape());
            }
            default -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    long x = switch (en.dtype()) {
                        case "I64", "U64" -> b.getLong(8 * i);
                        case "I32" -> b.getInt(4 * i);
                        case "U32" -> b.getInt(4 * i) & 0xFFFFFFFFL;
                        case "I16" -> b.getShort(2 * i);
                        case "U16" -> b.getShort(2 * i) & 0xFFFF;
                        case "I8" -> b.get(i);
                        default -> b.get(i) & 0xFF;
                    };
                    if (x != (int) x || en.dtype().equals("U64") && x < 0) {
                        throw corrupt(file, base + en.begin() + (long) i * width(en.dtype()),
                                "tensor '" + en.name() + "' value " + Long.toUnsignedString(x) + " does not fit in int32");
                    }
                    v[i] = (int) x;
                }
                return Tensor.ofInts(v, en.shape());
            }
        }
    }

    private static IllegalArgumentException corrupt(Path file, long offset, String what) {
        return new IllegalArgumentException("safetensors: " + file + ": at byte " + offset + ": " + what);
    }
}
