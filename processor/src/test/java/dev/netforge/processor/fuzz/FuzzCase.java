package dev.netforge.processor.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fuzzed model exactly as it will be written: the {@code @Model} input and each layer's
 * annotation with its explicit attributes, each attribute kept both as the value the oracle
 * reasons about and as the Java text written into the source (so values {@link
 * dev.netforge.processor.testing.ModelSource} cannot express, such as {@code kernel = {}},
 * {@code filters = Integer.MIN_VALUE} or {@code epsilon = Double.NaN}, can be written). Immutable;
 * the shrinker derives smaller cases with the {@code with...} methods.
 *
 * <p>Every source this class writes is valid Java that javac accepts: only the processor can
 * reject it. Each layer field sits on a line of its own, so a diagnostic's line number tells which
 * layer it was reported on.
 */
public record FuzzCase(String className, Attr input, List<Layer> layers, List<String> extraMembers) {
    /** The package of every fuzzed model. */
    public static final String PACKAGE = "fuzz";

    public FuzzCase {
        layers = List.copyOf(layers);
        extraMembers = List.copyOf(extraMembers);
    }

    /** The layer annotations of the runtime, by simple name. */
    public enum Kind {
        CONV2D("Conv2D"), DEPTHWISE("DepthwiseConv2D"), MAX_POOL("MaxPool"), AVG_POOL("AvgPool"),
        GLOBAL_AVG("GlobalAveragePooling2D"), GLOBAL_MAX("GlobalMaxPooling2D"), FLATTEN("Flatten"),
        DENSE("Dense"), BATCH_NORM("BatchNormalization"), ZERO_PADDING("ZeroPadding2D"), DROPOUT("Dropout"),
        ACTIVATION("ActivationLayer");

        public final String annotation;

        Kind(String annotation) {
            this.annotation = annotation;
        }
    }

    /** What is wrong with a layer field itself, beside its annotation. */
    public enum FieldFlaw { NONE, STATIC, WRONG_TYPE, SECOND_ANNOTATION }

    /** An attribute value: what it means and how it is written. */
    public sealed interface Attr {
        String text();
    }

    /** An {@code int[]} attribute, written {@code 3} (one value, no braces) or {@code {3, 5}}. */
    public record Ints(int[] values, boolean braces) implements Attr {
        public Ints {
            values = values.clone();
            if (!braces && values.length != 1) {
                throw new IllegalArgumentException("only one value can be written without braces");
            }
        }

        @Override
        public int[] values() {
            return values.clone();
        }

        @Override
        public String text() {
            if (!braces) {
                return intText(values[0]);
            }
            StringBuilder text = new StringBuilder("{");
            for (int i = 0; i < values.length; i++) {
                text.append(i > 0 ? ", " : "").append(intText(values[i]));
            }
            return text.append('}').toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ints other && Arrays.equals(values, other.values) && braces == other.braces;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) * 31 + (braces ? 1 : 0);
        }
    }

    /** An {@code int} attribute. */
    public record Int(int value) implements Attr {
        @Override
        public String text() {
            return intText(value);
        }
    }

    /** A {@code double} attribute and how it is written ({@code Double.NaN}, {@code 1}, {@code 1.0E-5}). */
    public record Dbl(double value, String text) implements Attr {
        public static Dbl of(double value) {
            String text = Double.isNaN(value) ? "Double.NaN"
                    : value == Double.POSITIVE_INFINITY ? "Double.POSITIVE_INFINITY"
                    : value == Double.NEGATIVE_INFINITY ? "Double.NEGATIVE_INFINITY"
                    : Double.toString(value);
            return new Dbl(value, text);
        }
    }

    /** An {@code Activation} or {@code Padding} constant. */
    public record Enum(String type, String constant) implements Attr {
        @Override
        public String text() {
            return type + "." + constant;
        }
    }

    /** A {@code boolean} attribute. */
    public record Bool(boolean value) implements Attr {
        @Override
        public String text() {
            return Boolean.toString(value);
        }
    }

    /**
     * One layer field: its kind, field name, explicit attributes in the order written (absent ones
     * take the annotation's default), whether the lone {@code value} attribute is written without
     * its name ({@code @MaxPool(2)}), and a flaw of the field itself.
     */
    public record Layer(Kind kind, String field, Map<String, Attr> attributes, boolean shorthand, FieldFlaw flaw) {
        public Layer {
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            Objects.requireNonNull(flaw);
        }

        public Attr attribute(String name) {
            return attributes.get(name);
        }

        public Layer with(String name, Attr value) {
            Map<String, Attr> copy = new LinkedHashMap<>(attributes);
            if (value == null) {
                copy.remove(name);
            } else {
                copy.put(name, value);
            }
            return new Layer(kind, field, copy, shorthand && copy.size() == 1 && copy.containsKey("value"), flaw);
        }

        public Layer withFlaw(FieldFlaw newFlaw) {
            return new Layer(kind, field, attributes, shorthand, newFlaw);
        }

        public Layer withField(String name) {
            return new Layer(kind, name, attributes, shorthand, flaw);
        }

        /** The annotation as written: {@code @Conv2D(filters = 4, kernel = {3, 1})}. */
        public String annotation() {
            StringBuilder text = new StringBuilder("@").append(kind.annotation);
            if (attributes.isEmpty()) {
                return shorthand ? text.append("()").toString() : text.toString();
            }
            if (shorthand && attributes.size() == 1 && attributes.containsKey("value")) {
                return text.append('(').append(attributes.get("value").text()).append(')').toString();
            }
            text.append('(');
            boolean first = true;
            for (Map.Entry<String, Attr> entry : attributes.entrySet()) {
                text.append(first ? "" : ", ").append(entry.getKey()).append(" = ").append(entry.getValue().text());
                first = false;
            }
            return text.append(')').toString();
        }

        /** The whole field line. */
        public String line() {
            String second = flaw == FieldFlaw.SECOND_ANNOTATION
                    ? (kind == Kind.DROPOUT ? "@Flatten " : "@Dropout(rate = 0.5) ") : "";
            String type = flaw == FieldFlaw.WRONG_TYPE ? "Object" : "Layer";
            String modifiers = flaw == FieldFlaw.STATIC ? "static " : "";
            return annotation() + " " + second + modifiers + type + " " + field + ";";
        }
    }

    public String qualifiedName() {
        return PACKAGE + "." + className;
    }

    /** The Java source of the model class. */
    public String source() {
        StringBuilder source = new StringBuilder();
        source.append("package ").append(PACKAGE).append(";\n\n");
        source.append("import dev.netforge.*;\n\n");
        source.append("@Model(input = ").append(input.text()).append(")\n");
        source.append("public class ").append(className).append(" {\n");
        for (Layer layer : layers) {
            source.append("    ").append(layer.line()).append('\n');
        }
        for (String member : extraMembers) {
            source.append("    ").append(member).append('\n');
        }
        return source.append("}\n").toString();
    }

    /** The 1-based source line of the {@code @Model} annotation; the class declaration is the next. */
    public static long modelLine() {
        return 5;
    }

    /** The 1-based source line of layer {@code index}. */
    public static long layerLine(int index) {
        return 7 + index;
    }

    public FuzzCase withLayers(List<Layer> newLayers) {
        return new FuzzCase(className, input, newLayers, extraMembers);
    }

    public FuzzCase withInput(Attr newInput) {
        return new FuzzCase(className, newInput, layers, extraMembers);
    }

    public FuzzCase withClassName(String name) {
        return new FuzzCase(className.equals(name) ? className : name, input, layers, extraMembers);
    }

    public FuzzCase withExtraMembers(List<String> members) {
        return new FuzzCase(className, input, layers, members);
    }

    public FuzzCase withLayer(int index, Layer layer) {
        List<Layer> copy = new ArrayList<>(layers);
        copy.set(index, layer);
        return withLayers(copy);
    }

    static String intText(int value) {
        return value == Integer.MAX_VALUE ? "Integer.MAX_VALUE"
                : value == Integer.MIN_VALUE ? "Integer.MIN_VALUE" : Integer.toString(value);
    }
}
