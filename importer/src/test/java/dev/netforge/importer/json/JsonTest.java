package dev.netforge.importer.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesScalars() throws JsonException {
        assertEquals(Boolean.TRUE, Json.parse("true"));
        assertEquals(Boolean.FALSE, Json.parse(" false "));
        assertNull(Json.parse("null"));
        assertEquals(0L, Json.parse("0"));
        assertEquals(-12L, Json.parse("-12"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808")); // beyond long: a double
        assertEquals(0.001, Json.parse("0.001"));
        assertEquals(1e-3, Json.parse("1e-3"));
        assertEquals(-2.5E10, Json.parse("-2.5E+10"));
        assertEquals(0.0, Json.parse("0.0"));
        assertEquals("", Json.parse("\"\""));
    }

    @Test
    void parsesStringEscapes() throws JsonException {
        assertEquals("a\"b\\c/d\be\ff\ng\rh\ti", Json.parse("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\""));
        assertEquals("\u00e9\u4e2d", Json.parse("\"\\u00e9\\u4E2D\""));
        assertEquals("\ud83d\ude00", Json.parse("\"\\ud83d\\ude00\"")); // a surrogate pair
        assertEquals("caf\u00e9 \ud83d\ude00", Json.parse("\"caf\u00e9 \ud83d\ude00\"")); // raw non-ASCII
    }

    @Test
    void parsesNestedStructuresKeepingKeyOrder() throws JsonException {
        Object v = Json.parse("{\"b\": [1, 2.5, \"x\", null, true, {}], \"a\": {\"c\": []}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", Arrays.asList(1L, 2.5, "x", null, true, Map.of()));
        expected.put("a", Map.of("c", List.of()));
        assertEquals(expected, v);
        assertEquals(List.of("b", "a"), List.copyOf(((Map<?, ?>) v).keySet()));
    }

    @Test
    void resultsAreUnmodifiable() throws JsonException {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"a\": [1]}");
        assertThrows(UnsupportedOperationException.class, () -> m.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
    }

    @Test
    void parsesAKerasConfiguration() throws JsonException {
        String text = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": [{\"class_name\":"
                + " \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 28, 28, 1], \"dtype\": \"float32\"}}]}}";
        Map<?, ?> root = (Map<?, ?>) Json.parse(text);
        Map<?, ?> layer = (Map<?, ?>) ((List<?>) ((Map<?, ?>) root.get("config")).get("layers")).get(0);
        assertEquals(Arrays.asList(null, 28L, 28L, 1L), ((Map<?, ?>) layer.get("config")).get("batch_input_shape"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "[", "]", "}", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{a:1}", "{'a':1}",
        "[1 2]", "01", "-", "-a", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5e", "tru", "nul", "True",
        "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"tab\there\"", "\"line\nbreak\"", "1 2", "[] []",
        "NaN", "Infinity", "-Infinity", "{\"a\":1,\"a\":2}", "// c\n1", "/* c */ 1", "[1]x", "\"\\\"",
        "\u00a01", "[\"a\" : 1]"
    })
    void rejectsMalformedJson(String text) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text), text);
        assertTrue(e.getMessage().contains("at character"), e.getMessage());
    }

    @Test
    void nonFiniteNumbersOnlyInPythonMode() throws JsonException {
        assertEquals(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                Json.parsePython("[NaN, Infinity, -Infinity]"));
        assertThrows(JsonException.class, () -> Json.parse("[NaN]"));
        assertThrows(JsonException.class, () -> Json.parsePython("[nan]"));
        assertThrows(JsonException.class, () -> Json.parsePython("[-NaN]"));
    }

    @Test
    void errorsTellWhere() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\": [1, 2,, 3]}"));
        assertEquals(12, e.offset()); // the second comma
        assertTrue(e.getMessage().contains("expected a value"), e.getMessage());
        JsonException dup = assertThrows(JsonException.class, () -> Json.parse("{\"k\": 1, \"k\": 2}"));
        assertTrue(dup.getMessage().contains("duplicate key \"k\""), dup.getMessage());
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() throws JsonException {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
        assertThrows(JsonException.class, () -> Json.parse("{\"a\":".repeat(100_000)));
    }

    @Test
    void truncationAnywhereIsAnError() throws JsonException {
        String text = "{\"layers\": [{\"name\": \"conv\\u0032d\", \"filters\": 32, \"rate\": 0.5, \"use_bias\": true,"
                + " \"x\": null}], \"v\": -1.5e-3}";
        Json.parse(text);
        for (int i = 0; i < text.length(); i++) {
            String cut = text.substring(0, i);
            assertThrows(JsonException.class, () -> Json.parse(cut), cut);
        }
    }

    @Test
    void nullTextIsAnError() {
        assertThrows(JsonException.class, () -> Json.parse(null));
    }
}
