package io.shendu.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e-3, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": []} ");
        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("a", "b", "e"), new ArrayList<>(map.keySet()));
        List<?> a = assertInstanceOf(List.class, map.get("a"));
        assertEquals(new Json.Number("1"), a.get(0));
        assertEquals(new Json.Number("-2.5e-3"), a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        assertEquals(Boolean.FALSE, a.get(3));
        assertNull(a.get(4));
        assertEquals(Map.of("c", "d"), map.get("b"));
        assertEquals(List.of(), map.get("e"));
        assertEquals("x", Json.parse("\"x\""));
        assertEquals(new Json.Number("0"), Json.parse("0"));
    }

    @Test
    void numbersKeepTheirText() {
        Json.Number n = (Json.Number) Json.parse("0.100000001");
        assertEquals("0.100000001", n.text());
        assertEquals(0.100000001, n.doubleValue());
        assertEquals(Float.parseFloat("0.100000001"), n.floatValue());
        // The shortest decimal of a float parses back to exactly that float, not to the nearest double.
        float f = 0.1f + 0.2f;
        Json.Number shortest = (Json.Number) Json.parse(Float.toString(f));
        assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(shortest.floatValue()));
        assertEquals(-0.0f, ((Json.Number) Json.parse("-0")).floatValue());
        assertTrue(Float.floatToIntBits(((Json.Number) Json.parse("-0")).floatValue()) != 0, "-0 keeps its sign");
        assertEquals(2.5e20, ((Json.Number) Json.parse("2.5e+20")).doubleValue());
    }

    @Test
    void integerAccessorsAreChecked() {
        assertEquals(42, new Json.Number("42").intValue());
        assertEquals(-9007199254740993L, new Json.Number("-9007199254740993").longValue());
        assertEquals(3, new Json.Number("3.0").intValue());
        assertEquals(1000, new Json.Number("1e3").intValue());
        assertTrue(new Json.Number("7").isIntegerLiteral());
        assertFalse(new Json.Number("7.0").isIntegerLiteral());
        assertThrows(IllegalArgumentException.class, () -> new Json.Number("2.5").intValue());
        assertThrows(IllegalArgumentException.class, () -> new Json.Number("2147483648").intValue());
        assertThrows(IllegalArgumentException.class, () -> new Json.Number("9223372036854775808").longValue());
        assertThrows(IllegalArgumentException.class, () -> new Json.Number("+1"));
        assertThrows(IllegalArgumentException.class, () -> new Json.Number("1.5 "));
        assertThrows(IllegalArgumentException.class, () -> new Json.Number(""));
        assertThrows(IllegalArgumentException.class, () -> new Json.Number("NaN"));
    }

    @Test
    void decodesEscapesAndSurrogatePairs() {
        assertEquals("\"\\/\b\f\n\r\t", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("é€", Json.parse("\"\\u00e9\\u20AC\""));
        assertEquals("😀", Json.parse("\"\\uD83D\\uDE00\""));
        assertEquals("😀", Json.parse("\"😀\""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // input | message fragment
        "`{\"a\": 1 x`            | at offset 8: expected ',' or '}' but found 'x'",
        "`[1, 2`                  | at offset 5: expected ',' or ']' but found end of input",
        "`[1,]`                   | at offset 3: expected a value but found ']'",
        "`{\"a\" 1}`              | at offset 5: expected ':' but found '1'",
        "`{1: 2}`                 | at offset 1: expected a string key but found '1'",
        "`{\"a\": 1, \"a\": 2}`   | at offset 9: duplicate key \"a\"",
        "`[1] 2`                  | at offset 4: expected end of input but found '2'",
        "`\"abc`                  | at offset 4: unterminated string starting at offset 0",
        "`\"a\\qb\"`              | at offset 3: expected one of",
        "`\"\\u12G4\"`            | at offset 5: expected a hexadecimal digit but found 'G'",
        "`\"\\uD83D\"`            | at offset 7: expected a low surrogate escape",
        "`\"\\uD83D\\u0041\"`     | at offset 7: expected a low surrogate escape",
        "`\"\\uDE00\"`            | at offset 1: lone low surrogate",
        "`-`                      | at offset 1: expected a digit but found end of input",
        "`1.`                     | at offset 2: expected a digit but found end of input",
        "`1e+`                    | at offset 3: expected a digit but found end of input",
        "`01`                     | at offset 1: expected end of input but found '1'",
        "`.5`                     | at offset 0: expected a value but found '.'",
        "`NaN`                    | at offset 0: expected a value but found 'N'",
        "`tru`                    | at offset 3: expected 'true' but found end of input",
        "`nul1`                   | at offset 3: expected 'null' but found '1'",
        "``                       | at offset 0: expected a value but found end of input",
        "`[1 /* c */]`            | at offset 3: expected ',' or ']' but found '/'",
    })
    void rejectsMalformedInput(String input, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(input));
        assertTrue(e.getMessage().startsWith("JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), () -> "message '" + e.getMessage() + "' lacks '" + message + "'");
    }

    @Test
    void rejectsUnescapedControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("\"a\nb\""));
        assertTrue(e.getMessage().contains("at offset 2") && e.getMessage().contains("U+000A"), e.getMessage());
    }

    @Test
    void acceptsOnlyAsciiHexDigitsAndDigits() {
        // Arabic-Indic digits are digits to Character.digit, but not to JSON.
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\u\u0661\u0662\u0663\u0664\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[\u0661]"));
        assertEquals("\u00ff", Json.parse("\"\\u00fF\""));
    }

    @Test
    void limitsNesting() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
        String deep = "[".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than " + Json.MAX_DEPTH), e.getMessage());
    }

    @Test
    void writesCompactAndPretty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a\"b\\c\n\u0001");
        m.put("values", Arrays.asList(1, 2L, 0.1, 1e-5f, null, true));
        m.put("empty", Map.of());
        m.put("none", List.of());
        m.put("exact", new Json.Number("1.50"));
        assertEquals("{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"values\":[1,2,0.1,1.0E-5,null,true],\"empty\":{},"
                + "\"none\":[],\"exact\":1.50}", Json.write(m));
        assertEquals("""
                {
                  "name": "a\\"b\\\\c\\n\\u0001",
                  "values": [
                    1,
                    2,
                    0.1,
                    1.0E-5,
                    null,
                    true
                  ],
                  "empty": {},
                  "none": [],
                  "exact": 1.50
                }""", Json.writePretty(m));
        assertEquals(m.toString(), Json.parse(Json.writePretty(m)).toString());
    }

    @Test
    void doublesRoundTrip() {
        double[] values = {0.1, 1.0 / 3, -2.5e-300, Double.MAX_VALUE, Double.MIN_VALUE, 123456789.0, -0.0};
        for (double d : values) {
            Json.Number n = (Json.Number) Json.parse(Json.write(d));
            assertEquals(Double.doubleToLongBits(d), Double.doubleToLongBits(n.doubleValue()), () -> "round trip of " + d);
        }
        float f = 0.3f;
        assertEquals(f, ((Json.Number) Json.parse(Json.write(f))).floatValue());
        assertEquals("12345678901234567890.5", Json.write(new BigDecimal("12345678901234567890.5")));
    }

    @Test
    void rejectsValuesJsonCannotHold() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN)).getMessage().contains("NaN"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Float.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "a")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write("\uD83D"));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.write(cycle)).getMessage().contains("deeper"));
    }

    @Test
    void writesUnicodeAsIs() {
        assertEquals("\"é😀\"", Json.write("é😀"));
        assertEquals("é😀", Json.parse(Json.write("é😀")));
    }
}
