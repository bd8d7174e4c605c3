package dev.netforge.processor.weights;

import dev.netforge.importer.ModelMatcher;
import dev.netforge.processor.kinds.ActivationKind;
import dev.netforge.processor.kinds.LayerKinds;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.WeightTensor;
import dev.netforge.processor.reading.DeclaredModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared layers in the importer's vocabulary ({@code ImportedLayer}'s kinds and attribute
 * keys), so {@link ModelMatcher} compares them with a file's layers; and back, the annotation
 * attribute a file attribute corresponds to, so a difference is reported on what the user wrote.
 */
final class DeclaredLayers {
    private DeclaredLayers() {
    }

    /** {@code declarations} and {@code specs} are the same layers, as written and as validated. */
    static List<ModelMatcher.Declared> of(List<LayerDeclaration> declarations, List<LayerSpec> specs) {
        List<ModelMatcher.Declared> out = new ArrayList<>();
        for (int i = 0; i < declarations.size(); i++) {
            LayerDeclaration d = declarations.get(i);
            Map<String, Object> a = new LinkedHashMap<>();
            String kind = LayerKinds.vocabulary(d, a);
            List<int[]> shapes = WeightTensor.of(specs.get(i)).stream().map(WeightTensor::shape).toList();
            out.add(new ModelMatcher.Declared(i, d.name(), kind, a, shapes));
        }
        return out;
    }

    /** The annotation attribute of {@code declaration} that holds the importer's {@code key}, or null. */
    static String annotationAttribute(LayerDeclaration declaration, String key) {
        if (key == null) {
            return null;
        }
        switch (key) {
            case "pool":
            case "paddingValues":
            case "cropping":
                return "value";
            case "activation":
                return declaration instanceof ActivationKind.Declaration ? "value" : "activation";
            case "filters":
            case "kernel":
            case "strides":
            case "dilation":
            case "padding":
            case "useBias":
            case "units":
            case "epsilon":
            case "depthMultiplier":
            case "alpha":
            case "size":
            case "scale":
            case "offset":
            case "center":
                return key;
            case "shape":
                return "value";
            case "from":
                return DeclaredModel.FROM;
            default:
                return null; // groups, keepdims, center, scale: nothing the user wrote
        }
    }
}
