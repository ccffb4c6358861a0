package io.shendu.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer, for fixtures, safetensors headers and checkpoint metadata.
 *
 * <p>{@link #parse} gives {@code LinkedHashMap<String, Object>} for objects (in file order), {@code List<Object>}
 * for arrays, {@code String}, {@code Boolean}, {@code null}, and {@link Number} for numbers, which keeps the
 * original text so that a float32 value written as its shortest decimal comes back bit-exact. Duplicate keys,
 * trailing text, bad escapes, lone surrogates and nesting deeper than {@value #MAX_DEPTH} are errors.
 */
public final class Json {

    /** Deepest nesting of arrays and objects accepted, so that a hostile file cannot overflow the stack. */
    public static final int MAX_DEPTH = 512;

    private Json() {}

    /** A JSON number, kept as its text: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    public record Number(String text) {

        public Number {
            if (text == null || scanNumber(text, 0) != text.length()) {
                throw new IllegalArgumentException("JSON: not a JSON number: " + text);
            }
        }

        /** True if the text has no fraction and no exponent. */
        public boolean isIntegerLiteral() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        public double doubleValue() {
            return Double.parseDouble(text);
        }

        /** The nearest float to the decimal text (exact for a float written as its shortest decimal). */
        public float floatValue() {
            return Float.parseFloat(text);
        }

        /** The value as a long; fails if it is not a whole number in range ({@code 2.0} and {@code 1e3} are fine). */
        public long longValue() {
            try {
                if (isIntegerLiteral()) return Long.parseLong(text);
                return new BigDecimal(text).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("JSON: number " + text + " is not an integer in the range of a long");
            }
        }

        /** The value as an int; fails if it is not a whole number in range. */
        public int intValue() {
            long v = longValue();
            if (v != (int) v) throw new IllegalArgumentException("JSON: number " + text + " is out of the range of an int");
            return (int) v;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Parses one JSON value; the whole text must be that value, with optional surrounding whitespace. */
    public static Object parse(String text) {
        return new Parser(text).parseDocument();
    }

    /** Compact JSON for a tree of Map (String keys), List, String, Number, Boolean, null and {@link Number}. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, null).value(value, 0);
        return out.toString();
    }

    /** Like {@link #write}, indented by two spaces, one member or element per line. */
    public static String writePretty(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, "  ").value(value, 0);
        return out.toString();
    }

    /**
     * The end of the number starting at {@code start}, or {@code ~i} (negative) where position {@code i} breaks
     * the grammar.
     */
    private static int scanNumber(CharSequence s, int start) {
        int i = start;
        int n = s.length();
        if (i < n && s.charAt(i) == '-') i++;
        if (i < n && s.charAt(i) == '0') {
            i++;
        } else {
            int d = digits(s, i);
            if (d == i) return ~i;
            i = d;
        }
        if (i < n && s.charAt(i) == '.') {
            int d = digits(s, i + 1);
            if (d == i + 1) return ~d;
            i = d;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
            int d = digits(s, j);
            if (d == j) return ~d;
            i = d;
        }
        return i;
    }

    private static int digits(CharSequence s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i;
    }

    /** Recursive descent over the text; {@code pos} is the offset of the next unread character. */
    private static final class Parser {
        private final String s;
        private int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        Object parseDocument() {
            skipWhitespace();
            Object v = value();
            skipWhitespace();
            if (pos < s.length()) throw error("expected end of input");
            return v;
        }

        private Object value() {
            if (pos >= s.length()) throw error("expected a value");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("expected a value");
                }
            };
        }

        private Map<String, Object> object() {
            enter();
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') throw error("expected a string key");
                int keyAt = pos;
                String key = string();
                if (map.containsKey(key)) {
                    throw new IllegalArgumentException("JSON: at offset " + keyAt + ": duplicate key " + quote(key));
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value());
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    depth--;
                    return map;
                } else {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            enter();
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value());
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == ']') {
                    pos++;
                    depth--;
                    return list;
                } else {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw new IllegalArgumentException("JSON: at offset " + pos + ": nesting deeper than " + MAX_DEPTH);
            }
        }

        private String string() {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("JSON: at offset " + pos + ": unterminated string starting at offset " + start);
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                } else if (c == '\\') {
                    escape(sb);
                } else if (c < 0x20) {
                    throw error("expected a character or '\"' (control characters must be escaped)");
                } else if (Character.isSurrogate(c)) {
                    if (!Character.isHighSurrogate(c) || pos + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(pos + 1))) {
                        throw error("expected a character (not a lone surrogate)");
                    }
                    sb.append(c).append(s.charAt(pos + 1));
                    pos += 2;
                } else {
                    sb.append(c);
                    pos++;
                }
            }
        }

        /** Reads one escape at {@code pos} (the backslash); a high surrogate must be followed by a low one. */
        private void escape(StringBuilder sb) {
            pos++;
            if (pos >= s.length()) throw error("expected an escape character");
            char e = s.charAt(pos);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    pos++;
                    char u = hex4();
                    if (Character.isLowSurrogate(u)) {
                        throw new IllegalArgumentException("JSON: at offset " + (pos - 6) + ": lone low surrogate \\u"
                                + Integer.toHexString(u).toUpperCase());
                    }
                    if (Character.isHighSurrogate(u)) {
                        if (!s.startsWith("\\u", pos)) throw error("expected a low surrogate escape \\uDC00-\\uDFFF");
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            pos -= 6;
                            throw error("expected a low surrogate escape \\uDC00-\\uDFFF");
                        }
                        sb.append(u).append(low);
                    } else {
                        sb.append(u);
                    }
                    return;
                }
                default -> throw error("expected one of \" \\ / b f n r t u after '\\'");
            }
            pos++;
        }

        private char hex4() {
            int v = 0;
            for (int k = 0; k < 4; k++) {
                char c = pos < s.length() ? s.charAt(pos) : 0;
                // Not Character.digit, which also accepts non-ASCII digits.
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) throw error("expected a hexadecimal digit");
                v = v * 16 + d;
                pos++;
            }
            return (char) v;
        }

        private Number number() {
            int end = scanNumber(s, pos);
            if (end < 0) {
                pos = ~end;
                throw error("expected a digit");
            }
            Number n = new Number(s.substring(pos, end));
            pos = end;
            return n;
        }

        private Object literal(String word, Object v) {
            for (int k = 0; k < word.length(); k++) {
                if (pos >= s.length() || s.charAt(pos) != word.charAt(k)) throw error("expected '" + word + "'");
                pos++;
            }
            return v;
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private int peek() {
            return pos < s.length() ? s.charAt(pos) : -1;
        }

        private void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("JSON: at offset " + pos + ": " + expected + " but found " + found());
        }

        private String found() {
            if (pos >= s.length()) return "end of input";
            char c = s.charAt(pos);
            return c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
        }
    }

    /** Writes a value tree; {@code indent} null means compact. */
    private record Writer(StringBuilder out, String indent) {

        void value(Object v, int depth) {
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON: cannot write nesting deeper than " + MAX_DEPTH + " (a cycle?)");
            switch (v) {
                case null -> out.append("null");
                case String str -> out.append(quote(str));
                case Boolean b -> out.append(b);
                case Number n -> out.append(n.text());
                case java.lang.Number n -> out.append(number(n));
                case Map<?, ?> map -> object(map, depth);
                case List<?> list -> array(list, depth);
                default -> throw new IllegalArgumentException("JSON: cannot write a " + v.getClass().getName()
                        + "; expected Map, List, String, Number, Boolean or null");
            }
        }

        private void object(Map<?, ?> map, int depth) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON: object keys must be strings, got " + e.getKey());
                }
                if (!first) out.append(',');
                first = false;
                newline(depth + 1);
                out.append(quote(key)).append(indent == null ? ":" : ": ");
                value(e.getValue(), depth + 1);
            }
            if (!first) newline(depth);
            out.append('}');
        }

        private void array(List<?> list, int depth) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(',');
                newline(depth + 1);
                value(list.get(i), depth + 1);
            }
            if (!list.isEmpty()) newline(depth);
            out.append(']');
        }

        private void newline(int depth) {
            if (indent == null) return;
            out.append('\n');
            out.append(indent.repeat(depth));
        }

        /** Shortest text that parses back to the same double (or float, for a Float). */
        private static String number(java.lang.Number n) {
            return switch (n) {
                case Double d -> finite(d, Double.isFinite(d), Double.toString(d));
                case Float f -> finite(f, Float.isFinite(f), Float.toString(f));
                case Integer i -> i.toString();
                case Long l -> l.toString();
                case Short sh -> sh.toString();
                case Byte b -> b.toString();
                case BigInteger bi -> bi.toString();
                case BigDecimal bd -> bd.toString();
                default -> throw new IllegalArgumentException("JSON: cannot write a number of type " + n.getClass().getName());
            };
        }

        private static String finite(Object value, boolean finite, String text) {
            if (!finite) throw new IllegalArgumentException("JSON: cannot write " + value + ": JSON has no NaN or infinities");
            return text;
        }
    }

    /** The string as a JSON string literal, with quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // The reader rejects lone surrogates, so the writer does not produce them.
                        throw new IllegalArgumentException("JSON: cannot write a string with a lone surrogate U+"
                                + Integer.toHexString(c).toUpperCase() + " at index " + i);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
