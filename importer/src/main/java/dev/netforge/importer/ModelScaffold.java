package dev.netforge.importer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * {@link ImportedModel#parameters()}; a layer whose input is not the field above it gets
 * {@code @From} (merges always do). A layer that is the identity at inference and has no
 * annotation (GaussianNoise, ActivityRegularization, ...) is a comment {@code // skipped: ...}, and so
 * is a Flatten of a vector (PyTorch's {@code torch.flatten} after global pooling), which NetForge
 * warns about because it does nothing.
 * A layer NetForge cannot declare exactly makes the scaffold refuse the whole file, listing every
 * such layer ({@link UnsupportedLayersException}); with {@code allowUnsupported} it becomes a
 * comment {@code // unsupported: <kind> <name> (<why>)} for people who edit the class by hand.
 */
public final class ModelScaffold {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "_");
    private ModelScaffold() {
    }

    /** Thrown when the file holds layers NetForge cannot declare exactly; lists every one of them. */
    public static final class UnsupportedLayersException extends RuntimeException {
        private final List<String> layers;

        UnsupportedLayersException(List<String> layers) {
            super(layers.size() + (layers.size() == 1 ? " layer" : " layers") + " NetForge cannot declare exactly:\n  "
                    + String.join("\n  ", layers));
            this.layers = List.copyOf(layers);
        }

        /** One line a layer: kind, name and the reason. */
        public List<String> layers() {
            return layers;
        }
    }

    /**
     * The source of class {@code className} (made a legal identifier) declaring {@code model}.
     *
     * @throws UnsupportedLayersException when a layer cannot be declared exactly
     */
    public static String javaSource(ImportedModel model, String className) {
        return javaSource(model, className, false);
    }

    /**
     * As {@link #javaSource(ImportedModel, String)}; with {@code allowUnsupported}, a layer NetForge
     * cannot declare is written as a {@code // unsupported:} comment instead.
     */
    public static String javaSource(ImportedModel model, String className, boolean allowUnsupported) {
        return javaSource(model, className, allowUnsupported, "", null);
    }

    /**
     * As {@link #javaSource(ImportedModel, String, boolean)}, in package {@code packageName} (none if
     * empty) and, when {@code weights} is not null and every layer could be declared, with
     * {@code weights = "<weights>"} in {@code @Model}: the file the processor reads the parameters from
     * at compile time, a resource of that package.
     */
    public static String javaSource(ImportedModel model, String className, boolean allowUnsupported,
            String packageName, String weights) {
        List<String> refused = unsupportedLayers(model);
        if (!refused.isEmpty() && !allowUnsupported) {
            throw new UnsupportedLayersException(refused);
        }
        StringBuilder sb = new StringBuilder();
        if (!packageName.isEmpty()) {
            sb.append("package ").append(packageName).append(";\n\n");
        }
        sb.append("import dev.netforge.*;\n");
        String file = weights == null || !refused.isEmpty() ? "" : ", weights = " + stringLiteral(weights);
        int[] in = model.inputShape();
        if (in == null) {
            sb.append("// the file does not fix the input shape: fill it in\n");
            sb.append("@Model(input = {}").append(file).append(")\n");
        } else {
            sb.append("@Model(input = ").append(intArray(in)).append(file).append(")\n");
        }
        sb.append("public class ").append(className(className)).append(" {\n");
        List<ImportedLayer> layers = model.layers();
        Set<String> used = new HashSet<>();
        if (!model.isChain()) {
            used.add("input"); // "input" names the model's input in @From
        }
        // A skipped layer has no field: whoever reads it reads what it reads.
        String[] ids = new String[layers.size()];
        int[] value = new int[layers.size()];
        boolean[] vectorFlatten = vectorFlattens(model);
        for (int i = 0; i < layers.size(); i++) {
            if (skippable(layers.get(i)) || vectorFlatten[i]) {
                int producer = model.inputs().get(i).get(0);
                value[i] = producer == ImportedModel.INPUT ? ImportedModel.INPUT : value[producer];
            } else {
                ids[i] = identifier(layers.get(i).name(), used);
                value[i] = i;
            }
        }
        int previous = ImportedModel.INPUT;
        for (int i = 0; i < layers.size(); i++) {
            ImportedLayer layer = layers.get(i);
            String from = "";
            if (ids[i] != null) {
                List<String> names = new ArrayList<>();
                List<Integer> producers = new ArrayList<>();
                for (int p : model.inputs().get(i)) {
                    int v = p == ImportedModel.INPUT ? ImportedModel.INPUT : value[p];
                    producers.add(v);
                    names.add("\"" + (v == ImportedModel.INPUT ? "input" : ids[v]) + "\"");
                }
                if (LayerKinds.MERGES.contains(layer.kind()) || !producers.equals(List.of(previous))) {
                    from = names.size() == 1 ? "@From(" + names.get(0) + ") " : "@From({" + String.join(", ", names) + "}) ";
                }
                previous = i;
            }
            sb.append("    ").append(vectorFlatten[i] ? "// skipped: Flatten " + layer.name() + " (of a vector, which it"
                    + " leaves as it is)" : line(layer, ids[i], from, model.producer())).append('\n');
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** Every layer of {@code model} NetForge cannot declare exactly: kind, name and the reason, one a line. */
    public static List<String> unsupportedLayers(ImportedModel model) {
        List<String> refused = new ArrayList<>();
        for (ImportedLayer layer : model.layers()) {
            String why = skippable(layer) ? null : LayerKinds.unsupportedBecause(layer, model.producer());
            if (why != null) {
                refused.add(layer.kind() + " '" + layer.name() + "': " + why);
            }
        }
        return refused;
    }

    private static String stringLiteral(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** For each layer, whether it is a Flatten of a vector (known shapes only): left out, with a comment. */
    private static boolean[] vectorFlattens(ImportedModel model) {
        boolean[] out = new boolean[model.layers().size()];
        List<int[]> shapes;
        try {
            shapes = model.outputShapes();
        } catch (IllegalArgumentException e) {
            return out; // shapes that do not fit: the processor will say where
        }
        for (int i = 0; i < out.length; i++) {
            List<Integer> from = model.inputs().get(i);
            if (model.layers().get(i).kind().equals("Flatten") && from.size() == 1) {
                int[] in = from.get(0) == ImportedModel.INPUT ? model.inputShape() : shapes.get(from.get(0));
                out[i] = in != null && in.length == 1;
            }
        }
        return out;
    }

    /** An identity at inference without an annotation of its own: left out, with a comment. */
    private static boolean skippable(ImportedLayer l) {
        return LayerKinds.identityAtInference(l) && !LayerKinds.DECLARABLE.contains(l.kind());
    }

    /** The field declaring {@code l} as {@code id}, with {@code from} ({@code "@From(...) "} or empty). */
    private static String line(ImportedLayer l, String id, String from, String producer) {
        if (skippable(l)) {
            return "// skipped: " + l.kind() + " " + l.name() + " (the identity at inference)";
        }
        String why = LayerKinds.unsupportedBecause(l, producer);
        if (why != null) {
            return unsupported(l, why);
        }
        String activation = l.has("activation") ? LayerKinds.activationConstant(l.string("activation"), producer) : null;
        List<String> e = new ArrayList<>();
        String annotation;
        switch (l.kind()) {
            case "Conv2D":
            case "DepthwiseConv2D": {
                boolean depthwise = l.kind().equals("DepthwiseConv2D");
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
                if (Boolean.FALSE.equals(l.bool("center"))) {
                    e.add("center = false");
                }
                if (Boolean.FALSE.equals(l.bool("scale"))) {
                    e.add("scale = false");
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
            case "UpSampling2D": {
                int[] size = l.ints("size");
                if (size != null && (size[0] != 2 || size[1] != 2)) {
                    e.add("size = " + pair(size));
                }
                annotation = "UpSampling2D";
                break;
            }
            case "Conv2DTranspose":
            case "SeparableConv2D": {
                boolean separable = l.kind().equals("SeparableConv2D");
                e.add("filters = " + l.integer("filters"));
                e.add("kernel = " + pair(l.ints("kernel")));
                int[] s = l.ints("strides");
                if (s[0] != 1 || s[1] != 1) {
                    e.add("strides = " + pair(s));
                }
                if ("same".equals(l.string("padding"))) {
                    e.add("padding = Padding.SAME");
                }
                if (separable && l.integer("depthMultiplier") != 1) {
                    e.add("depthMultiplier = " + l.integer("depthMultiplier"));
                }
                int[] d = l.ints("dilation");
                if (separable && d != null && (d[0] != 1 || d[1] != 1)) {
                    e.add("dilation = " + pair(d));
                }
                activationAndBias(l, activation, e);
                annotation = l.kind();
                break;
            }
            case "Reshape":
                e.add(intArray(l.ints("shape")));
                annotation = "Reshape";
                break;
            case "Rescaling":
                e.add("scale = " + l.real("scale"));
                if (l.real("offset") != 0) {
                    e.add("offset = " + l.real("offset"));
                }
                annotation = "Rescaling";
                break;
            case "Cropping2D": {
                int[] p = l.ints("cropping"); // top, bottom, left, right
                if (p[0] == p[1] && p[1] == p[2] && p[2] == p[3]) {
                    e.add(String.valueOf(p[0]));
                } else if (p[0] == p[1] && p[2] == p[3]) {
                    e.add("{" + p[0] + ", " + p[2] + "}");
                } else {
                    e.add(intArray(p));
                }
                annotation = "Cropping2D";
                break;
            }
            case "LeakyReLU": {
                Double alpha = l.real("alpha");
                if (alpha != null && (float) (double) alpha != 0.3f) {
                    e.add("alpha = " + (float) (double) alpha + "f");
                }
                annotation = "LeakyReLU";
                break;
            }
            case "Add":
            case "Subtract":
            case "Multiply":
            case "Average":
            case "Maximum":
            case "Minimum":
            case "Concatenate":
                annotation = l.kind(); // the inputs come in @From
                break;
            default:
                throw new AssertionError("a declarable kind the scaffold does not write: " + l.kind());
        }
        return "@" + annotation + (e.isEmpty() ? "" : "(" + String.join(", ", e) + ")") + " " + from + "Layer "
                + id + ";";
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
        return "// unsupported: " + l.kind() + " " + l.name() + " (" + detail + ")"
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
