package dev.netforge.processor.reading;

import dev.netforge.Activation;
import dev.netforge.Padding;

/**
 * The attributes of one layer annotation as plain Java values (defaults included), which is all a
 * layer kind sees of javac when it reads its declaration. A value javac could not resolve raises
 * {@link UnreadableValueException}.
 */
public interface AnnotationReader {
    int intValue(String attribute) throws UnreadableValueException;

    double doubleValue(String attribute) throws UnreadableValueException;

    float floatValue(String attribute) throws UnreadableValueException;

    boolean booleanValue(String attribute) throws UnreadableValueException;

    /** An {@code int[]} attribute; a single value written without braces is one element. */
    int[] intArray(String attribute) throws UnreadableValueException;

    /** The {@code padding} attribute. */
    Padding padding() throws UnreadableValueException;

    Activation activation(String attribute) throws UnreadableValueException;
}
