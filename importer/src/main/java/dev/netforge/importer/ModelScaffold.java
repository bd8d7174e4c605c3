package dev.netforge.importer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the Java source of an annotated NetForge model class for an imported model, e.g.
 *
 * <pre>{@code
 * import dev.netforge.*;
 * @Model(input = {28, 28, 1})
 * public class MnistNet {
 *     @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv2d;
 *     @MaxPool(2) Layer max_pooling2d;
 *     @Flatten Layer flatten;
 *     @Dense(units = 10, activation = Activation.SOFTMAX) Layer dense;
 * }
 * }</pre>
 *
 * Annotation elements are written only when they differ from their defaults. Layer names become
 * legal, distinct Java identifiers. What NetForge cannot declare yet appears as a comment
 * {@code // unsupported: <kind> ...}; a Dropout, the identity at inference, as {@code // omitted: ...};
 * an Activation layer right after a linear Conv2D or Dense is folded into it (no weights move, so
 * the parameter vector is unchanged).
 */
public final class ModelScaffold {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "_");
    private static final Set<String> ACTIVATIONS = Set.of("linear", "relu", "sigmoid", "tanh", "softmax");

    private ModelScaffold() {
    }

    /** The source of class {@code className} (made a legal identifier) declaring {@code model}. */
    public static String javaSource(ImportedModel model, String className) {
        StringBuilder sb = new StringBuilder();
        sb.append("import dev.netforge.*;\n");
        int[] in = model.inputShape();
        if (in == null) {
            sb.append("// the file does not fix the input shape: fill it in\n");
            sb.append("@Model(input = {})\n");
        } else {
            sb.append("@Model(input = ").append(intArray(in)).append(")\n");
        }
        sb.append("public class ").append(className(className)).append(" {\n");
        Set<String> used = new HashSet<>();
        List<Line> lines = new ArrayList<>();
        for (ImportedLayer layer : model.layers()) {
            Line previous = lines.isEmpty() ? null : lines.get(lines.size() - 1);
            if (layer.kind().equals("Activation") && previous != null && previous.foldable
                    && ACTIVATIONS.contains(layer.string("activation"))) {
                previous.text = previous.text.replace(previous.activationSlot, activationElement(layer.string("activation")));
                previous.foldable = false;
                previous.note = " // + activation layer " + layer.name();
                continue;
            }
            lines.add(line(layer, used));
        }
        for (Line l : lines) {
            sb.append("    ").append(l.text.replace(Line.SLOT, "")).append(l.note).append('\n');
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** One output line; {@code SLOT} marks where a folded activation goes. */
    private static final class Line {
        static final String SLOT = "\u0000ACT\u0000";
        String text;
        String note = "";
        boolean foldable;
        String activationSlot = SLOT;

        Line(String text) {
            this.text = text;
        }
    }

    private static Line line(ImportedLayer l, Set<String> used) {
        String name = l.name();
        switch (l.kind()) {
            case "Conv2D": {
                List<String> problems = new ArrayList<>();
                int[] dil = l.ints("dilation");
                if (dil != null && (dil[0] != 1 || dil[1] != 1)) {
                    problems.add("dilation " + intArray(dil));
                }
                if (l.has("groups")) {
                    problems.add("groups " + l.integer("groups"));
                }
                String act = l.string("activation");
                if (!ACTIVATIONS.contains(act)) {
                    problems.add("activation " + act);
                }
                if (!problems.isEmpty()) {
                    return unsupported(l, String.join(", ", problems));
                }
                List<String> e = new ArrayList<>();
                e.add("filters = " + l.integer("filters"));
                e.add("kernel = " + pair(l.ints("kernel")));
                int[] s = l.ints("strides");
                if (s[0] != 1 || s[1] != 1) {
                    e.add("strides = " + pair(s));
                }
                if ("same".equals(l.string("padding"))) {
                    e.add("padding = Padding.SAME");
                }
                e.add(Line.SLOT);
                if (!l.bool("useBias")) {
                    e.add("useBias = false");
                }
                return annotated("Conv2D", e, act, l, used);
            }
            case "Dense": {
                String act = l.string("activation");
                if (!ACTIVATIONS.contains(act)) {
                    return unsupported(l, "activation " + act);
                }
                List<String> e = new ArrayList<>();
                e.add("units = " + l.integer("units"));
                e.add(Line.SLOT);
                if (!l.bool("useBias")) {
                    e.add("useBias = false");
                }
                return annotated("Dense", e, act, l, used);
            }
            case "MaxPool": {
                int[] pool = l.ints("pool");
                int[] s = l.ints("strides");
                boolean defaultStrides = s[0] == pool[0] && s[1] == pool[1];
                boolean same = "same".equals(l.string("padding"));
                String args;
                if (defaultStrides && !same) {
                    args = pool[0] == 2 && pool[1] == 2 ? "" : "(" + pair(pool) + ")";
                    if (args.isEmpty()) {
                        args = "(2)";
                    }
                } else {
                    List<String> e = new ArrayList<>();
                    e.add("value = " + pair(pool));
                    if (!defaultStrides) {
                        e.add("strides = " + pair(s));
                    }
                    if (same) {
                        e.add("padding = Padding.SAME");
                    }
                    args = "(" + String.join(", ", e) + ")";
                }
                return new Line("@MaxPool" + args + " Layer " + identifier(name, used) + ";");
            }
            case "Flatten":
                return new Line("@Flatten Layer " + identifier(name, used) + ";");
            case "Dropout":
                return new Line("@Dropout(rate = " + l.real("rate") + ") Layer " + identifier(name, used) + ";");
            case "BatchNormalization": {
                Double epsilon = l.real("epsilon");
                String args = epsilon == null || epsilon == 0.001 ? "" : "(epsilon = " + epsilon + ")";
                return new Line("@BatchNormalization" + args + " Layer " + identifier(name, used) + ";");
            }
            case "GlobalAvgPool":
                return new Line("@GlobalAveragePooling2D Layer " + identifier(name, used) + ";");
            case "GlobalMaxPool":
                return new Line("@GlobalMaxPooling2D Layer " + identifier(name, used) + ";");
            case "Activation":
                return unsupported(l, "activation " + l.string("activation") + " as a separate layer");
            default:
                return unsupported(l, null);
        }
    }

    private static Line annotated(String annotation, List<String> elements, String activation, ImportedLayer l,
                                  Set<String> used) {
        String text = "@" + annotation + "(" + String.join(", ", elements) + ") Layer " + identifier(l.name(), used) + ";";
        text = text.replace(", " + Line.SLOT, Line.SLOT);
        Line line = new Line(text);
        if ("linear".equals(activation)) {
            line.foldable = true;
        } else {
            line.text = line.text.replace(Line.SLOT, activationElement(activation));
        }
        line.activationSlot = Line.SLOT;
        return line;
    }

    private static String activationElement(String activation) {
        return ", activation = Activation." + activation.toUpperCase(Locale.ROOT);
    }

    private static Line unsupported(ImportedLayer l, String detail) {
        return new Line("// unsupported: " + l.kind() + " " + l.name() + (detail == null ? "" : " (" + detail + ")")
                + (l.weights().isEmpty() ? "" : ", " + l.parameterCount() + " parameters"));
    }

    private static String pair(int[] v) {
        return v[0] == v[1] ? String.valueOf(v[0]) : "{" + v[0] + ", " + v[1] + "}";
    }

    private static String intArray(int[] v) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return sb.append('}').toString();
    }

    /** A legal Java identifier for a layer name, distinct from those already used. */
    static String identifier(String name, Set<String> used) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(Character.isJavaIdentifierPart(c) && c < 0x80 && c != '$' ? c : '_');
        }
        String id = sb.toString();
        if (id.isEmpty() || !Character.isJavaIdentifierStart(id.charAt(0))) {
            id = "layer_" + id;
        }
        if (KEYWORDS.contains(id)) {
            id = id + "_";
        }
        String base = id;
        for (int k = 2; used.contains(id); k++) {
            id = base + "_" + k;
        }
        used.add(id);
        return id;
    }

    /** A legal Java class name: {@code fashion_mnist} becomes {@code FashionMnist}. */
    static String className(String raw) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isLetterOrDigit(c) && c < 0x80) {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        String s = sb.toString();
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            s = "Model" + s;
        }
        return KEYWORDS.contains(s) ? s + "_" : s;
    }
}
