package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.WeightTensor;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.writer.LayerCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of layer kinds: a new kind is one line in {@link #ALL}. The pipeline reaches the
 * kinds only through here: the reader looks a kind up by its annotation, and everything later asks
 * a layer's own kind ({@link LayerDeclaration#kind()}, {@link LayerSpec#kind()}).
 */
public final class LayerKinds {
    /** Every kind, in the order the runtime's annotations were added. */
    public static final List<LayerKind<?, ?>> ALL = List.of(
            Conv2DKind.INSTANCE,
            DepthwiseConv2DKind.INSTANCE,
            PoolKind.INSTANCE,
            GlobalPoolKind.INSTANCE,
            FlattenKind.INSTANCE,
            DenseKind.INSTANCE,
            BatchNormalizationKind.INSTANCE,
            ZeroPaddingKind.INSTANCE,
            DropoutKind.INSTANCE,
            ActivationKind.INSTANCE,
            MergeKind.INSTANCE,
            UpSamplingKind.INSTANCE,
            Conv2DTransposeKind.INSTANCE,
            SeparableConv2DKind.INSTANCE,
            ReshapeKind.INSTANCE,
            LeakyReLUKind.INSTANCE,
            RescalingKind.INSTANCE,
            CroppingKind.INSTANCE);

    private static final Map<String, LayerKind<?, ?>> BY_ANNOTATION = byAnnotation();

    private LayerKinds() {
    }

    private static Map<String, LayerKind<?, ?>> byAnnotation() {
        Map<String, LayerKind<?, ?>> kinds = new LinkedHashMap<>();
        for (LayerKind<?, ?> kind : ALL) {
            for (String name : kind.annotationNames()) {
                if (kinds.put(name, kind) != null) {
                    throw new IllegalStateException("two kinds read @" + name);
                }
            }
        }
        return Map.copyOf(kinds);
    }

    /** The simple names of every layer annotation. */
    public static List<String> annotationNames() {
        return ALL.stream().flatMap(kind -> kind.annotationNames().stream()).toList();
    }

    /** The kind an annotation (by simple name) declares, or null when it declares none. */
    public static LayerKind<?, ?> forAnnotation(String simpleName) {
        return BY_ANNOTATION.get(simpleName);
    }

    public static int outputRank(LayerDeclaration declaration, int inputRank) {
        return of(declaration.kind()).outputRank(declaration, inputRank);
    }

    public static LayerSpec check(LayerDeclaration declaration, LayerCheck check) {
        return of(declaration.kind()).check(declaration, check);
    }

    public static String vocabulary(LayerDeclaration declaration, Map<String, Object> attributes) {
        return of(declaration.kind()).vocabulary(declaration, attributes);
    }

    public static RefLayer reference(LayerDeclaration declaration) {
        return of(declaration.kind()).reference(declaration);
    }

    public static List<WeightTensor> weights(LayerSpec spec) {
        return of(spec.kind()).weights(spec);
    }

    public static List<String> weightParameters(LayerSpec spec, boolean bias) {
        return of(spec.kind()).weightParameters(spec, bias);
    }

    public static CodeBlock body(LayerSpec spec, LayerCode code) {
        return of(spec.kind()).body(spec, code);
    }

    public static String describe(LayerSpec spec) {
        return of(spec.kind()).describe(spec);
    }

    /**
     * The one unchecked cast: a record's {@code kind()} is the kind that nests it, so its kind
     * takes it as its own {@code D} or {@code S}.
     */
    @SuppressWarnings("unchecked")
    private static LayerKind<LayerDeclaration, LayerSpec> of(LayerKind<?, ?> kind) {
        return (LayerKind<LayerDeclaration, LayerSpec>) kind;
    }
}
