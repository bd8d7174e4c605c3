package dev.netforge.importer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the Java source of an annotated NetForge class for an imported model, e.g.
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
 * Annotation elements are written only when they differ from their defaults; a rectangular window
 * is written {@code {3, 5}}. Layer names become legal, distinct Java identifiers. Every layer keeps
 * its own field, in order, so the class's parameter vector is the imported model's
 * {@link ImportedModel#parameters()}. What NetForge cannot declare yet appears as a comment
 * {@code // unsupported: <kind> <name> (<why>)}.
 */
public final class ModelScaffold {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "_");
    /** Keras activation names and the {@code dev.netforge.Activation} constants with the same definition. */
    private static final Map<String, String> ACTIVATIONS = Map.ofEntries(Map.entry("linear", "LINEAR"),
            Map.entry("relu", "RELU"), Map.entry("sigmoid", "SIGMOID"), Map.entry("tanh", "TANH"),
            Map.entry("softmax", "SOFTMAX"), Map.entry("relu6", "RELU6"), Map.entry("leaky_relu", "LEAKY_RELU"),
            Map.entry("elu", "ELU"), Map.entry("selu", "SELU"), Map.entry("hard_sigmoid", "HARD_SIGMOID"),
            Map.entry("swish", "SWISH"), Map.entry("silu", "SWISH"), Map.entry("gelu", "GELU"),
            Map.entry("softplus", "SOFTPLUS"));

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
        // Keras 2's hard_sigmoid was clip(0.2 x + 0.5, 0, 1); NetForge's is Keras 3's relu6(x + 3) / 6.
        boolean oldHardSigmoid = model.producer().matches("Keras [12]\\..*");
        Set<String> used = new HashSet<>();
        for (ImportedLayer layer : model.layers()) {
            sb.append("    ").append(line(layer, used, oldHardSigmoid)).append('\n');
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static String line(ImportedLayer l, Set<String> used, boolean oldHardSigmoid) {
        List<String> problems = new ArrayList<>();
        String activation = null;
        if (l.has("activation")) {
            String act = l.string("activation");
            activation = ACTIVATIONS.get(act);
            if (activation == null || (oldHardSigmoid && act.equals("hard_sigmoid"))) {
                problems.add("activation " + act);
            }
        }
        List<String> e = new ArrayList<>();
        String annotation;
        switch (l.kind()) {
            case "Conv2D":
            case "DepthwiseConv2D": {
                boolean depthwise = l.kind().equals("DepthwiseConv2D");
                if (l.has("groups")) {
                    problems.add("groups " + l.integer("groups"));
                }
                if (!depthwise) {
                    e.add("filters = " + l.integer("filters"));
                }
                e.add("kernel = " + pair(l.ints("kernel")));
                int[] s = l.ints("strides");
                if (s[0] != 1 || s[1] != 1) {
                    e.add("strides = " + pair(s));
                }
                if ("same".equals(l.string("padding"))) {
                    e.add("padding = Padding.SAME");
                }
                if (depthwise && l.integer("depthMultiplier") != 1) {
                    e.add("depthMultiplier = " + l.integer("depthMultiplier"));
                }
                int[] d = l.ints("dilation");
                if (d != null && (d[0] != 1 || d[1] != 1)) {
                    e.add("dilation = " + pair(d));
                }
                activationAndBias(l, activation, e);
                annotation = l.kind();
                break;
            }
            case "Dense":
                e.add("units = " + l.integer("units"));
                activationAndBias(l, activation, e);
                annotation = "Dense";
                break;
            case "MaxPool":
            case "AvgPool": {
                int[] pool = l.ints("pool");
                int[] s = l.ints("strides");
                boolean defaultStrides = s[0] == pool[0] && s[1] == pool[1];
                boolean same = "same".equals(l.string("padding"));
                if (defaultStrides && !same) {
                    e.add(pair(pool)); // @MaxPool(2), @MaxPool({2, 3})
                } else {
                    e.add("value = " + pair(pool));
                    if (!defaultStrides) {
                        e.add("strides = " + pair(s));
                    }
                    if (same) {
                        e.add("padding = Padding.SAME");
                    }
                }
                annotation = l.kind();
                break;
            }
            case "GlobalAvgPool":
            case "GlobalMaxPool":
                if (Boolean.TRUE.equals(l.bool("keepDims"))) {
                    problems.add("keepdims");
                }
                annotation = l.kind().equals("GlobalAvgPool") ? "GlobalAveragePooling2D" : "GlobalMaxPooling2D";
                break;
            case "Flatten":
                annotation = "Flatten";
                break;
            case "Dropout":
                e.add("rate = " + l.real("rate"));
                annotation = "Dropout";
                break;
            case "BatchNormalization": {
                Double epsilon = l.real("epsilon");
                if (epsilon != null && epsilon != 0.001) {
                    e.add("epsilon = " + epsilon);
                }
                if (Boolean.FALSE.equals(l.bool("center")) || Boolean.FALSE.equals(l.bool("scale"))) {
                    problems.add("center=" + l.bool("center") + ", scale=" + l.bool("scale"));
                }
                annotation = "BatchNormalization";
                break;
            }
            case "ZeroPadding2D": {
                int[] p = l.ints("paddingValues"); // top, bottom, left, right
                if (p[0] == p[1] && p[1] == p[2] && p[2] == p[3]) {
                    if (p[0] != 1) {
                        e.add(String.valueOf(p[0]));
                    }
                } else if (p[0] == p[1] && p[2] == p[3]) {
                    e.add("{" + p[0] + ", " + p[2] + "}");
                } else {
                    e.add(intArray(p));
                }
                annotation = "ZeroPadding2D";
                break;
            }
            case "Activation":
                e.add("Activation." + activation);
                annotation = "ActivationLayer";
                break;
            default:
                return unsupported(l, null);
        }
        if (!problems.isEmpty()) {
            return unsupported(l, String.join(", ", problems));
        }
        return "@" + annotation + (e.isEmpty() ? "" : "(" + String.join(", ", e) + ")") + " Layer "
                + identifier(l.name(), used) + ";";
    }

    private static void activationAndBias(ImportedLayer l, String activation, List<String> e) {
        if (activation != null && !activation.equals("LINEAR")) {
            e.add("activation = Activation." + activation);
        }
        if (!l.bool("useBias")) {
            e.add("useBias = false");
        }
    }

    private static String unsupported(ImportedLayer l, String detail) {
        return "// unsupported: " + l.kind() + " " + l.name() + (detail == null ? "" : " (" + detail + ")")
                + (l.weights().isEmpty() ? "" : ", " + l.parameterCount() + " parameters");
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
