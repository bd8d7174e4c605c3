package dev.netforge.importer.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, strict JSON parser (RFC 8259) without dependencies.
 *
 * <p>Values map to Java as follows: object → unmodifiable {@code Map<String, Object>} keeping the
 * order of the keys; array → unmodifiable {@code List<Object>}; string → {@link String};
 * number → {@link Long} when written without fraction or exponent and it fits, otherwise
 * {@link Double}; {@code true}/{@code false} → {@link Boolean}; {@code null} → {@code null}.
 *
 * <p>Strictness: exactly one value with optional surrounding whitespace; no comments, no trailing
 * commas, no single quotes, no leading zeros or '+' signs, no unescaped control characters in
 * strings, only the escapes of RFC 8259, duplicate keys in one object are rejected, and nesting is
 * limited to {@value #MAX_DEPTH} levels (so malicious input cannot overflow the stack). The only
 * optional relaxation is {@link #parsePython(String)}, which also accepts the {@code NaN},
 * {@code Infinity} and {@code -Infinity} tokens that Python's {@code json.dumps} writes by
 * default (and therefore may appear in Keras configurations).
 */
public final class Json {
    /** Deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 512;

    private final String text;
    private final boolean allowNonFinite;
    private int pos;
    private int depth;

    private Json(String text, boolean allowNonFinite) {
        this.text = text;
        this.allowNonFinite = allowNonFinite;
    }

    /** Parses strict RFC 8259 JSON. */
    public static Object parse(String text) throws JsonException {
        return parse(text, false);
    }

    /** Parses JSON as Python's {@code json} module writes it: strict JSON plus NaN and ±Infinity. */
    public static Object parsePython(String text) throws JsonException {
        return parse(text, true);
    }

    private static Object parse(String text, boolean allowNonFinite) throws JsonException {
        if (text == null) {
            throw new JsonException("no JSON text (null)", 0);
        }
        Json p = new Json(text, allowNonFinite);
        p.skipWhitespace();
        Object value = p.readValue();
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the JSON value");
        }
        return value;
    }

    private Object readValue() throws JsonException {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON text, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                expectWord("true");
                return Boolean.TRUE;
            case 'f':
                expectWord("false");
                return Boolean.FALSE;
            case 'n':
                expectWord("null");
                return null;
            case 'N':
                if (allowNonFinite) {
                    expectWord("NaN");
                    return Double.NaN;
                }
                throw error("unexpected " + describeHere() + ", expected a value");
            case 'I':
                if (allowNonFinite) {
                    expectWord("Infinity");
                    return Double.POSITIVE_INFINITY;
                }
                throw error("unexpected " + describeHere() + ", expected a value");
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw error("unexpected " + describeHere() + ", expected a value");
        }
    }

    private Map<String, Object> readObject() throws JsonException {
        enter();
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key in an object, found " + describeHere());
            }
            int keyPos = pos;
            String key = readString();
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':' after an object key, found " + describeHere());
            }
            pos++;
            skipWhitespace();
            Object value = readValue();
            if (map.containsKey(key)) {
                throw new JsonException("duplicate key \"" + key + "\" in an object", keyPos);
            }
            map.put(key, value);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                depth--;
                return Collections.unmodifiableMap(map);
            } else {
                throw error("expected ',' or '}' in an object, found " + describeHere());
            }
        }
    }

    private List<Object> readArray() throws JsonException {
        enter();
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(readValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                depth--;
                return Collections.unmodifiableList(list);
            } else {
                throw error("expected ',' or ']' in an array, found " + describeHere());
            }
        }
    }

    private void enter() throws JsonException {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String readString() throws JsonException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw new JsonException("unterminated string", start);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s;
                if (sb == null) {
                    s = text.substring(runStart, pos);
                } else {
                    sb.append(text, runStart, pos);
                    s = sb.toString();
                }
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("unescaped control character U+" + hex4(c) + " in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(text, runStart, pos);
            pos++;
            if (pos >= text.length()) {
                throw new JsonException("unterminated string", start);
            }
            char e = text.charAt(pos);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u': {
                    if (pos + 4 >= text.length()) {
                        throw error("incomplete \\u escape");
                    }
                    int v = 0;
                    for (int i = 1; i <= 4; i++) {
                        int d = Character.digit(text.charAt(pos + i), 16);
                        if (d < 0) {
                            throw error("invalid hex digit in a \\u escape");
                        }
                        v = v * 16 + d;
                    }
                    sb.append((char) v);
                    pos += 4;
                    break;
                }
                default:
                    throw error("invalid escape \\" + printable(e) + " in a string");
            }
            pos++;
            runStart = pos;
        }
    }

    private Object readNumber() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
            if (allowNonFinite && text.startsWith("Infinity", pos)) {
                pos += "Infinity".length();
                return Double.NEGATIVE_INFINITY;
            }
        }
        char c = peek();
        if (c == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else if (c >= '1' && c <= '9') {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("expected a digit in a number, found " + describeHere());
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point, found " + describeHere());
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent, found " + describeHere());
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        String token = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(token);
            } catch (NumberFormatException tooBig) {
                // falls through to double
            }
        }
        return Double.parseDouble(token);
    }

    private void expectWord(String word) throws JsonException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describeHere() + ", expected '" + word + "'");
        }
        pos += word.length();
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "end of text";
        }
        return "'" + printable(text.charAt(pos)) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c >= 0x7f ? "U+" + hex4(c) : String.valueOf(c);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    private JsonException error(String message) {
        return new JsonException(message, pos);
    }
}
