package dev.netforge.importer;

import java.util.Map;
import java.util.Set;

/**
 * The importer's vocabulary of layer kinds, in one place: which kinds NetForge declares, which
 * file layers are the identity at inference (and so may be left out of a declared model), and
 * the activation names NetForge computes exactly.
 */
public final class LayerKinds {
    /** Kinds of {@link ImportedLayer} that have a NetForge annotation. */
    public static final Set<String> DECLARABLE = Set.of("Conv2D", "DepthwiseConv2D", "Dense", "MaxPool", "AvgPool",
            "GlobalAvgPool", "GlobalMaxPool", "Flatten", "BatchNormalization", "Dropout", "ZeroPadding2D",
            "Activation", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
            "UpSampling2D", "Conv2DTranspose", "SeparableConv2D", "Reshape", "LeakyReLU", "Rescaling", "Cropping2D");

    /** The merging kinds (their Keras class names): several inputs, no weights. */
    public static final Set<String> MERGES = Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
            "Concatenate");

    /** Merges whose result does not depend on the order of their inputs. */
    public static final Set<String> COMMUTATIVE = Set.of("Add", "Multiply", "Average", "Maximum", "Minimum");

    /**
     * Keras classes that return their input unchanged at inference; a declared model may leave them
     * out. (Dropout and SpatialDropout2D arrive as kind {@code Dropout}.)
     */
    public static final Set<String> IDENTITY_AT_INFERENCE = Set.of("Dropout", "SpatialDropout1D",
            "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
            "ActivityRegularization", "InputLayer", "Identity", "RandomFlip", "RandomRotation", "RandomZoom",
            "RandomTranslation", "RandomContrast", "RandomBrightness");

    /** Keras activation names and the {@code dev.netforge.Activation} constant with the same definition. */
    public static final Map<String, String> ACTIVATIONS = Map.ofEntries(Map.entry("linear", "LINEAR"),
            Map.entry("relu", "RELU"), Map.entry("sigmoid", "SIGMOID"), Map.entry("tanh", "TANH"),
            Map.entry("softmax", "SOFTMAX"), Map.entry("relu6", "RELU6"), Map.entry("leaky_relu", "LEAKY_RELU"),
            Map.entry("elu", "ELU"), Map.entry("selu", "SELU"), Map.entry("hard_sigmoid", "HARD_SIGMOID"),
            Map.entry("swish", "SWISH"), Map.entry("silu", "SWISH"), Map.entry("gelu", "GELU"),
            Map.entry("softplus", "SOFTPLUS"), Map.entry("mish", "MISH"), Map.entry("softsign", "SOFTSIGN"),
            // no Keras file names it (Keras serialises gelu without its flag): ONNX's Gelu(approximate="tanh")
            Map.entry("gelu_tanh", "GELU_TANH"));

    private LayerKinds() {
    }

    /** Whether a file layer of this kind leaves the values as they are at inference. */
    public static boolean identityAtInference(ImportedLayer layer) {
        return IDENTITY_AT_INFERENCE.contains(layer.kind())
                || layer.kind().equals("Activation") && "linear".equals(layer.string("activation"));
    }

    /**
     * The {@code Activation} constant that computes exactly what the file's activation computes, or
     * null when NetForge has none. Keras 1 and 2 defined {@code hard_sigmoid} as
     * {@code clip(0.2 x + 0.5, 0, 1)}; NetForge's is Keras 3's {@code relu6(x + 3) / 6}.
     */
    public static String activationConstant(String kerasName, String producer) {
        if ("hard_sigmoid".equals(kerasName) && producer.matches("Keras [12]\\..*")) {
            return null;
        }
        return ACTIVATIONS.get(kerasName);
    }

    /**
     * Why NetForge cannot declare this file layer exactly, or null when it can. The reasons name the
     * attribute at fault, so a user can tell a missing layer kind from an unsupported setting.
     */
    public static String unsupportedBecause(ImportedLayer l, String producer) {
        if (!DECLARABLE.contains(l.kind())) {
            return "NetForge has no " + l.kind() + " layer";
        }
        if (l.has("activation") && activationConstant(l.string("activation"), producer) == null) {
            String act = l.string("activation");
            return act.equals("hard_sigmoid") ? "activation hard_sigmoid of " + producer
                    + " is clip(0.2 x + 0.5, 0, 1), not NetForge's (Keras 3's) relu6(x + 3) / 6"
                    : "activation " + act + " is not one NetForge computes";
        }
        if (l.has("groups")) {
            return "grouped convolution (groups " + l.integer("groups") + ")";
        }
        if (Boolean.TRUE.equals(l.bool("keepDims"))) {
            return "keepdims=True";
        }
        return null;
    }
}
