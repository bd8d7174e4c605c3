package dev.netforge.processor.reading;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Reads annotation attributes as plain Java values. A value javac could not resolve (the user's
 * code has its own error there, which javac reports) raises {@link UnreadableValueException}, so the
 * model is skipped instead of being checked with a guessed value.
 */
final class AnnotationValues {
    private AnnotationValues() {
    }

    static AnnotationValue explicit(AnnotationMirror mirror, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(attribute)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Object value(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : elements.getElementValuesWithDefaults(mirror).entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(attribute)) {
                return entry.getValue().getValue();
            }
        }
        throw new UnreadableValueException(attribute);
    }

    static int intValue(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof Integer i) {
            return i;
        }
        throw new UnreadableValueException(attribute);
    }

    static double doubleValue(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof Double d) {
            return d;
        }
        throw new UnreadableValueException(attribute);
    }

    static float floatValue(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof Float f) {
            return f;
        }
        throw new UnreadableValueException(attribute);
    }

    static String stringValue(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof String s) {
            return s;
        }
        throw new UnreadableValueException(attribute);
    }

    static boolean booleanValue(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new UnreadableValueException(attribute);
    }

    /** An {@code int[]} attribute; javac gives a single value written without braces as a list too. */
    static int[] intArray(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof Integer single) {
            return new int[] {single};
        }
        if (!(value instanceof List<?> list)) {
            throw new UnreadableValueException(attribute);
        }
        int[] result = new int[list.size()];
        for (int i = 0; i < result.length; i++) {
            Object item = list.get(i) instanceof AnnotationValue v ? v.getValue() : null;
            if (!(item instanceof Integer element)) {
                throw new UnreadableValueException(attribute);
            }
            result[i] = element;
        }
        return result;
    }

    static <E extends Enum<E>> E enumValue(Elements elements, AnnotationMirror mirror, String attribute,
                                           Class<E> type) throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof VariableElement constant) {
            try {
                return Enum.valueOf(type, constant.getSimpleName().toString());
            } catch (IllegalArgumentException e) {
                throw new UnreadableValueException(attribute, attribute + " = " + constant.getSimpleName()
                        + " is not known to this NetForge processor (known: "
                        + java.util.Arrays.toString(type.getEnumConstants())
                        + "); use the same version of netforge-runtime and netforge-processor");
            }
        }
        throw new UnreadableValueException(attribute);
    }

    /** A {@code String[]} attribute; javac gives a single value written without braces as a list too. */
    static List<String> stringArray(Elements elements, AnnotationMirror mirror, String attribute)
            throws UnreadableValueException {
        Object value = value(elements, mirror, attribute);
        if (value instanceof String single) {
            return List.of(single);
        }
        if (!(value instanceof List<?> list)) {
            throw new UnreadableValueException(attribute);
        }
        List<String> result = new java.util.ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof AnnotationValue v && v.getValue() instanceof String element)) {
                throw new UnreadableValueException(attribute);
            }
            result.add(element);
        }
        return List.copyOf(result);
    }
}
