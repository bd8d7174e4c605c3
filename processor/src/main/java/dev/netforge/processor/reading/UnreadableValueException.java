package dev.netforge.processor.reading;

/**
 * A value that cannot be read. Without a message javac has reported the cause already; with one
 * (a constant this processor does not know: runtime and processor versions differ) it is ours
 * to report.
 */
public final class UnreadableValueException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String attribute;

    UnreadableValueException(String attribute) {
        this(attribute, null);
    }

    UnreadableValueException(String attribute, String message) {
        super(message);
        this.attribute = attribute;
    }

    String attribute() {
        return attribute;
    }
}
