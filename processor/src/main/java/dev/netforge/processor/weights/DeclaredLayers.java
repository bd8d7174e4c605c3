package dev.netforge.processor.weights;

import dev.netforge.Activation;
import dev.netforge.Padding;
import dev.netforge.importer.ModelMatcher;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerDeclaration.ActivationDeclaration;
import dev.netforge.processor.model.LayerDeclaration.BatchNormalizationDeclaration;
import dev.netforge.processor.model.LayerDeclaration.Conv2DDeclaration;
import dev.netforge.processor.model.LayerDeclaration.DenseDeclaration;
import dev.netforge.processor.model.LayerDeclaration.DepthwiseConv2DDeclaration;
import dev.netforge.processor.model.LayerDeclaration.DropoutDeclaration;
import dev.netforge.processor.model.LayerDeclaration.FlattenDeclaration;
import dev.netforge.processor.model.LayerDeclaration.GlobalPoolDeclaration;
import dev.netforge.processor.model.LayerDeclaration.PoolDeclaration;
import dev.netforge.processor.model.LayerDeclaration.ZeroPaddingDeclaration;
import dev.netforge.processor.model.LayerDeclaration.Conv2DTransposeDeclaration;
import dev.netforge.processor.model.LayerDeclaration.LeakyReLUDeclaration;
import dev.netforge.processor.model.LayerDeclaration.ReshapeDeclaration;
import dev.netforge.processor.model.LayerDeclaration.SeparableConv2DDeclaration;
import dev.netforge.processor.model.LayerDeclaration.UpSamplingDeclaration;
import dev.netforge.processor.model.LayerDeclaration.MergeDeclaration;
import dev.netforge.processor.reading.DeclaredModel;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.WeightTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
            String kind = d.accept(new LayerDeclaration.Visitor<String>() {
                @Override
                public String conv2D(Conv2DDeclaration c) {
                    a.put("filters", c.filters());
                    window(a, c.kernel(), c.strides(), c.dilation(), c.padding());
                    a.put("activation", keras(c.activation()));
                    a.put("useBias", c.useBias());
                    return "Conv2D";
                }

                @Override
                public String depthwiseConv2D(DepthwiseConv2DDeclaration c) {
                    window(a, c.kernel(), c.strides(), c.dilation(), c.padding());
                    a.put("depthMultiplier", c.depthMultiplier());
                    a.put("activation", keras(c.activation()));
                    a.put("useBias", c.useBias());
                    return "DepthwiseConv2D";
                }

                @Override
                public String pool(PoolDeclaration p) {
                    int[] pool = LayerDeclaration.pair(p.pool());
                    a.put("pool", pool);
                    a.put("strides", p.strides().length == 0 ? pool : LayerDeclaration.pair(p.strides()));
                    a.put("padding", padding(p.padding()));
                    return p.average() ? "AvgPool" : "MaxPool";
                }

                @Override
                public String globalPool(GlobalPoolDeclaration g) {
                    return g.average() ? "GlobalAvgPool" : "GlobalMaxPool";
                }

                @Override
                public String flatten(FlattenDeclaration declaration) {
                    return "Flatten";
                }

                @Override
                public String dense(DenseDeclaration dense) {
                    a.put("units", dense.units());
                    a.put("activation", keras(dense.activation()));
                    a.put("useBias", dense.useBias());
                    return "Dense";
                }

                @Override
                public String batchNormalization(BatchNormalizationDeclaration b) {
                    a.put("epsilon", b.epsilon());
                    a.put("center", true);
                    a.put("scale", true);
                    return "BatchNormalization";
                }

                @Override
                public String zeroPadding(ZeroPaddingDeclaration z) {
                    a.put("paddingValues", LayerDeclaration.sides(z.padding()));
                    return "ZeroPadding2D";
                }

                @Override
                public String dropout(DropoutDeclaration drop) {
                    a.put("rate", drop.rate());
                    return "Dropout";
                }

                @Override
                public String activation(ActivationDeclaration act) {
                    a.put("activation", keras(act.activation()));
                    return "Activation";
                }

                @Override
                public String upSampling(UpSamplingDeclaration u) {
                    a.put("size", LayerDeclaration.pair(u.size()));
                    return "UpSampling2D";
                }

                @Override
                public String conv2DTranspose(Conv2DTransposeDeclaration t) {
                    a.put("filters", t.filters());
                    window(a, t.kernel(), t.strides(), new int[] {1}, t.padding());
                    a.put("activation", keras(t.activation()));
                    a.put("useBias", t.useBias());
                    return "Conv2DTranspose";
                }

                @Override
                public String separableConv2D(SeparableConv2DDeclaration c) {
                    a.put("filters", c.filters());
                    window(a, c.kernel(), c.strides(), c.dilation(), c.padding());
                    a.put("depthMultiplier", c.depthMultiplier());
                    a.put("activation", keras(c.activation()));
                    a.put("useBias", c.useBias());
                    return "SeparableConv2D";
                }

                @Override
                public String reshape(ReshapeDeclaration r) {
                    a.put("shape", r.shape());
                    return "Reshape";
                }

                @Override
                public String merge(MergeDeclaration merge) {
                    return merge.op().kerasName();
                }

                @Override
                public String leakyReLU(LeakyReLUDeclaration l) {
                    a.put("alpha", (double) l.alpha());
                    return "LeakyReLU";
                }

                @Override
                public String rescaling(LayerDeclaration.RescalingDeclaration r) {
                    a.put("scale", r.scale());
                    a.put("offset", r.offset());
                    return "Rescaling";
                }

                @Override
                public String cropping(LayerDeclaration.CroppingDeclaration c) {
                    a.put("cropping", LayerDeclaration.sides(c.cropping()));
                    return "Cropping2D";
                }
            });
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
                return declaration instanceof ActivationDeclaration ? "value" : "activation";
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
                return key;
            case "shape":
                return "value";
            case "from":
                return DeclaredModel.FROM;
            default:
                return null; // groups, keepdims, center, scale: nothing the user wrote
        }
    }

    private static void window(Map<String, Object> a, int[] kernel, int[] strides, int[] dilation, Padding padding) {
        a.put("kernel", LayerDeclaration.pair(kernel));
        a.put("strides", LayerDeclaration.pair(strides));
        a.put("dilation", LayerDeclaration.pair(dilation));
        a.put("padding", padding(padding));
    }


    private static String padding(Padding p) {
        return p == Padding.SAME ? "same" : "valid";
    }

    /** The Keras name of an activation: {@code RELU6} is {@code relu6}. */
    static String keras(Activation a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
