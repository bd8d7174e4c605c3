package dev.netforge.importer.json;

/** Malformed JSON text: the message says what is wrong and at which character offset. */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public JsonException(String message, int offset) {
        super(message + " (at character " + offset + ")");
        this.offset = offset;
    }

    /** Character offset in the JSON text where the problem was found. */
    public int offset() {
        return offset;
    }
}
