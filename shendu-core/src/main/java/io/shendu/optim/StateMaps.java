package io.shendu.optim;

import io.shendu.io.Json;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads values back from a state dict: built in memory (Java numbers) or parsed from a checkpoint's JSON
 * ({@link Json.Number}). Errors name the key and what was found.
 */
final class StateMaps {

    private StateMaps() {}

    static double number(Map<String, Object> map, String key) {
        return toDouble(require(map, key), key);
    }

    static long integer(Map<String, Object> map, String key) {
        Object v = require(map, key);
        if (v instanceof Json.Number n) return n.longValue();
        if (v instanceof Integer || v instanceof Long) return ((java.lang.Number) v).longValue();
        throw new IllegalArgumentException("state dict: '" + key + "' is not an integer: " + v);
    }

    static int integerAsInt(Map<String, Object> map, String key) {
        long v = integer(map, key);
        if (v != (int) v) throw new IllegalArgumentException("state dict: '" + key + "' is out of the int range: " + v);
        return (int) v;
    }

    static boolean bool(Map<String, Object> map, String key) {
        if (require(map, key) instanceof Boolean b) return b;
        throw new IllegalArgumentException("state dict: '" + key + "' is not a boolean: " + map.get(key));
    }

    static String string(Map<String, Object> map, String key) {
        if (require(map, key) instanceof String s) return s;
        throw new IllegalArgumentException("state dict: '" + key + "' is not a string: " + map.get(key));
    }

    static double[] numbers(Map<String, Object> map, String key) {
        List<Object> list = list(require(map, key), key);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = toDouble(list.get(i), key + "[" + i + "]");
        return out;
    }

    static List<Object> doubles(double... values) {
        List<Object> out = new ArrayList<>(values.length);
        for (double v : values) out.add(v);
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String what) {
        if (node instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException("state dict: " + what + " is not a map: " + node);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String what) {
        if (node instanceof List<?> l) return (List<Object>) l;
        throw new IllegalArgumentException("state dict: " + what + " is not a list: " + node);
    }

    /** A float array saved as a Tensor (as a checkpoint's safetensors gives it back) or as a float[]. */
    static float[] floats(Object node, String what) {
        if (node instanceof Tensor t) return t.toFloatArray();
        if (node instanceof float[] a) return a.clone();
        throw new IllegalArgumentException("state dict: " + what + " is not a tensor: " + node);
    }

    private static Object require(Map<String, Object> map, String key) {
        if (!map.containsKey(key)) throw new IllegalArgumentException("state dict: '" + key + "' is missing (keys: " + map.keySet() + ")");
        return map.get(key);
    }

    private static double toDouble(Object v, String what) {
        if (v instanceof Json.Number n) return n.doubleValue();
        if (v instanceof java.lang.Number n) return n.doubleValue();
        throw new IllegalArgumentException("state dict: '" + what + "' is not a number: " + v);
    }
}
