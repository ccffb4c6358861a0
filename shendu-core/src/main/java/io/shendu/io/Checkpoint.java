package io.shendu.io;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint: the model's weights (and any tensors of the optimizer state) in a safetensors file,
 * and a JSON file beside it with the model name and configuration, optimizer and scheduler state, epoch, step,
 * generator states and free-form extras.
 *
 * <p>Crash safety: the weights go to a new file named after the step ({@code last-s000420.safetensors}), then
 * the JSON that points to it replaces the old JSON atomically, and only then is the previous weights file
 * deleted. A process killed at any instant leaves a JSON that names a complete weights file.
 */
public record Checkpoint(String modelName, Map<String, Object> modelConfig, Map<String, Tensor> weights,
                         Map<String, Object> optimizer, Map<String, Object> scheduler, int epoch, long step,
                         Map<String, long[]> generators, Map<String, Object> extra) {

    private static final int FORMAT = 1;
    private static final String TENSOR_REF = "$tensor";

    /** Writes {@code <dir>/<name>.json} and its weights file, replacing an earlier checkpoint of that name. */
    public void save(Path dir, String name) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        weights.forEach((k, v) -> tensors.put("model." + k, v));
        Object optimizerJson = optimizer == null ? null : extractTensors(optimizer, "optimizer", tensors);
        String weightsFile = String.format("%s-s%09d.safetensors", name, step);
        Path previousWeights = weightsFileOf(dir.resolve(name + ".json"));
        SafeTensors.write(dir.resolve(weightsFile), tensors, Map.of("format", "pt", "shendu", "checkpoint"));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("model", modelName);
        json.put("config", modelConfig == null ? Map.of() : modelConfig);
        json.put("weights", weightsFile);
        json.put("epoch", epoch);
        json.put("step", step);
        if (optimizerJson != null) json.put("optimizer", optimizerJson);
        if (scheduler != null) json.put("scheduler", scheduler);
        Map<String, Object> gens = new LinkedHashMap<>();
        if (generators != null) generators.forEach((k, v) -> gens.put(k, toLongStrings(v)));
        json.put("generators", gens);
        json.put("extra", extra == null ? Map.of() : extra);
        AtomicFiles.writeString(dir.resolve(name + ".json"), Json.writePretty(json));

        if (previousWeights != null && !previousWeights.getFileName().toString().equals(weightsFile)) {
            try {
                Files.deleteIfExists(previousWeights);
            } catch (IOException ignored) {
                // a stale weights file is harmless; the JSON no longer names it
            }
        }
    }

    /** Reads {@code <dir>/<name>.json} (or the given JSON file) and the weights it names. */
    public static Checkpoint load(Path jsonFile) {
        String text;
        try {
            text = Files.readString(jsonFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("checkpoint: file not found: " + jsonFile, e);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot read " + jsonFile + ": " + e.getMessage(), e);
        }
        Map<String, Object> json;
        try {
            json = asMap(Json.parse(text), jsonFile, "the top level");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint: " + jsonFile + ": not valid JSON: " + e.getMessage(), e);
        }
        int format = intField(json, "format", jsonFile);
        if (format != FORMAT) throw new IllegalArgumentException("checkpoint: " + jsonFile + ": format " + format + ", expected " + FORMAT);
        String weightsName = stringField(json, "weights", jsonFile);
        Map<String, Tensor> all = SafeTensors.read(jsonFile.resolveSibling(weightsName)).tensors();
        Map<String, Tensor> model = new LinkedHashMap<>();
        all.forEach((k, v) -> { if (k.startsWith("model.")) model.put(k.substring(6), v); });
        Map<String, Object> optimizer = json.containsKey("optimizer")
                ? asMap(restoreTensors(json.get("optimizer"), all, jsonFile), jsonFile, "optimizer") : null;
        Map<String, Object> scheduler = json.containsKey("scheduler") ? asMap(json.get("scheduler"), jsonFile, "scheduler") : null;
        Map<String, long[]> gens = new LinkedHashMap<>();
        asMap(json.getOrDefault("generators", Map.of()), jsonFile, "generators").forEach((k, v) -> gens.put(k, fromLongStrings(v, jsonFile)));
        return new Checkpoint(stringField(json, "model", jsonFile), asMap(json.getOrDefault("config", Map.of()), jsonFile, "config"),
                model, optimizer, scheduler, intField(json, "epoch", jsonFile), longField(json, "step", jsonFile), gens,
                asMap(json.getOrDefault("extra", Map.of()), jsonFile, "extra"));
    }

    /** The states of the given generators, for the {@code generators} field. */
    public static Map<String, long[]> statesOf(Map<String, Generator> generators) {
        Map<String, long[]> out = new LinkedHashMap<>();
        generators.forEach((k, g) -> out.put(k, g.state()));
        return out;
    }

    /** Restores the saved generator states into {@code generators}; every saved name must exist. */
    public void restoreGenerators(Map<String, Generator> targets) {
        generators.forEach((k, state) -> {
            Generator g = targets.get(k);
            if (g == null) throw new IllegalArgumentException("checkpoint: generator '" + k + "' has no counterpart in this model");
            g.setState(state);
        });
    }

    private static Path weightsFileOf(Path json) {
        if (!Files.exists(json)) return null;
        try {
            Object parsed = Json.parse(Files.readString(json, StandardCharsets.UTF_8));
            if (parsed instanceof Map<?, ?> m && m.get("weights") instanceof String w) return json.resolveSibling(w);
        } catch (IOException | IllegalArgumentException ignored) {
            // an unreadable old checkpoint is simply replaced
        }
        return null;
    }

    /** Replaces each tensor in a nested structure by {"$tensor": key}, collecting the tensors. */
    private static Object extractTensors(Object node, String path, Map<String, Tensor> out) {
        if (node instanceof Tensor t) {
            out.put(path, t);
            return Map.of(TENSOR_REF, path);
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, extractTensors(v, path + "." + k, out)));
            return copy;
        }
        if (node instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) copy.add(extractTensors(l.get(i), path + "." + i, out));
            return copy;
        }
        return node;
    }

    private static Object restoreTensors(Object node, Map<String, Tensor> tensors, Path file) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get(TENSOR_REF) instanceof String key) {
                Tensor t = tensors.get(key);
                if (t == null) throw new IllegalArgumentException("checkpoint: " + file + ": tensor '" + key + "' missing from the weights file");
                return t;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, restoreTensors(v, tensors, file)));
            return copy;
        }
        if (node instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            for (Object v : l) copy.add(restoreTensors(v, tensors, file));
            return copy;
        }
        return node;
    }

    private static List<String> toLongStrings(long[] v) {
        List<String> out = new ArrayList<>();
        for (long x : v) out.add(Long.toString(x)); // as strings: JSON readers elsewhere may not keep 64-bit integers exact
        return out;
    }

    private static long[] fromLongStrings(Object v, Path file) {
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException("checkpoint: " + file + ": a generator state must be a list");
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Long.parseLong((String) l.get(i));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("checkpoint: " + file + ": bad generator state entry " + l.get(i));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, Path file, String what) {
        if (!(o instanceof Map<?, ?>)) throw new IllegalArgumentException("checkpoint: " + file + ": " + what + " must be an object");
        return (Map<String, Object>) o;
    }

    private static String stringField(Map<String, Object> json, String key, Path file) {
        if (!(json.get(key) instanceof String s)) throw new IllegalArgumentException("checkpoint: " + file + ": missing string field '" + key + "'");
        return s;
    }

    private static long longField(Map<String, Object> json, String key, Path file) {
        if (!(json.get(key) instanceof Json.Number n)) throw new IllegalArgumentException("checkpoint: " + file + ": missing number field '" + key + "'");
        return n.longValue();
    }

    private static int intField(Map<String, Object> json, String key, Path file) {
        return Math.toIntExact(longField(json, key, file));
    }
}
