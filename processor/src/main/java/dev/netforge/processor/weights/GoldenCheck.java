package dev.netforge.processor.weights;

import dev.netforge.Padding;
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
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.model.LayerDeclaration.MergeDeclaration;
import dev.netforge.processor.reference.ReferenceGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden check at compile time: the declared network is evaluated on the golden input with
 * {@link ReferenceGraph} (plain loops in double inside each layer, written from Keras's semantics,
 * sharing no code with the generated class or the kernels) and every output must be within
 * {@link #TOLERANCE} of what the training framework gave. So a file whose weights do not mean
 * what the declared model computes fails the build, not the first run.
 */
final class GoldenCheck {
    /** Absolute tolerance on each output, as the bundled run-time check uses. */
    static final double TOLERANCE = 1e-4;

    private GoldenCheck() {
    }

    /** Null when the outputs agree, else the message naming the first output that differs. */
    static String check(int[] input, List<LayerDeclaration> declarations, List<List<Integer>> inputs,
                        float[] parameters, float[] goldenInput, float[] goldenOutput) {
        List<ReferenceGraph.Node> nodes = new ArrayList<>();
        for (LayerDeclaration d : declarations) {
            nodes.add(node(d));
        }
        float[] actual = ReferenceGraph.forward(input, nodes, inputs, parameters, goldenInput);
        int worst = -1;
        double worstError = 0;
        int first = -1;
        for (int i = 0; i < actual.length; i++) {
            double error = Math.abs(actual[i] - goldenOutput[i]);
            if (!(error <= TOLERANCE)) {
                first = first < 0 ? i : first;
                if (!(error <= worstError)) {
                    worst = i;
                    worstError = error;
                }
            }
        }
        if (first < 0) {
            return null;
        }
        return "golden check failed: the declared network with these weights gives output[" + first + "] = "
                + (float) actual[first] + " where the training framework gave " + goldenOutput[first] + " (largest"
                + " difference " + (float) worstError + " at output[" + worst + "], tolerance " + TOLERANCE + "); the"
                + " weights do not compute what the framework computed: check the file's preprocessing layers and the"
                + " golden files";
    }

    /** A declared layer as a node of the reference evaluator's graph. */
    static ReferenceGraph.Node node(LayerDeclaration declaration) {
        return declaration instanceof MergeDeclaration merge ? new ReferenceGraph.Merge(merge.op().kerasName())
                : new ReferenceGraph.Single(reference(declaration));
    }

    /** A single-input declared layer as the reference evaluator's plain record. */
    static RefLayer reference(LayerDeclaration declaration) {
        return declaration.accept(new LayerDeclaration.Visitor<RefLayer>() {
            @Override
            public RefLayer conv2D(Conv2DDeclaration c) {
                    int[] k = LayerDeclaration.pair(c.kernel());
                    int[] s = LayerDeclaration.pair(c.strides());
                    int[] dil = LayerDeclaration.pair(c.dilation());
                    return (new RefLayer.Conv2D(c.filters(), k[0], k[1], s[0], s[1], dil[0], dil[1],
                            c.padding() == Padding.SAME, DeclaredLayers.keras(c.activation()), c.useBias()));
            }

            @Override
            public RefLayer depthwiseConv2D(DepthwiseConv2DDeclaration c) {
                    int[] k = LayerDeclaration.pair(c.kernel());
                    int[] s = LayerDeclaration.pair(c.strides());
                    int[] dil = LayerDeclaration.pair(c.dilation());
                    return (new RefLayer.DepthwiseConv2D(k[0], k[1], s[0], s[1], dil[0], dil[1],
                            c.padding() == Padding.SAME, c.depthMultiplier(), DeclaredLayers.keras(c.activation()), c.useBias()));
            }

            @Override
            public RefLayer pool(PoolDeclaration p) {
                    int[] w = LayerDeclaration.pair(p.pool());
                    int[] s = p.strides().length == 0 ? w : LayerDeclaration.pair(p.strides());
                    boolean same = p.padding() == Padding.SAME;
                    return (p.average() ? new RefLayer.AvgPool(w[0], w[1], s[0], s[1], same)
                            : new RefLayer.MaxPool(w[0], w[1], s[0], s[1], same));
            }

            @Override
            public RefLayer globalPool(GlobalPoolDeclaration g) {
                    return (g.average() ? new RefLayer.GlobalAvgPool() : new RefLayer.GlobalMaxPool());
            }

            @Override
            public RefLayer flatten(FlattenDeclaration declaration) {
                    return (new RefLayer.Flatten());
            }

            @Override
            public RefLayer dense(DenseDeclaration dense) {
                    return (new RefLayer.Dense(dense.units(), DeclaredLayers.keras(dense.activation()), dense.useBias()));
            }

            @Override
            public RefLayer batchNormalization(BatchNormalizationDeclaration b) {
                    return (new RefLayer.BatchNorm(b.epsilon()));
            }

            @Override
            public RefLayer zeroPadding(ZeroPaddingDeclaration z) {
                    int[] tblr = LayerDeclaration.sides(z.padding());
                    return (new RefLayer.ZeroPadding(tblr[0], tblr[1], tblr[2], tblr[3]));
            }

            @Override
            public RefLayer dropout(DropoutDeclaration drop) {
                    return (new RefLayer.Dropout(drop.rate()));
            }

            @Override
            public RefLayer activation(ActivationDeclaration a) {
                    return (new RefLayer.ActivationLayer(DeclaredLayers.keras(a.activation())));
            }

            @Override
            public RefLayer upSampling(UpSamplingDeclaration u) {
                    int[] size = LayerDeclaration.pair(u.size());
                    return (new RefLayer.UpSampling2D(size[0], size[1]));
            }

            @Override
            public RefLayer conv2DTranspose(Conv2DTransposeDeclaration t) {
                    int[] k = LayerDeclaration.pair(t.kernel());
                    int[] s = LayerDeclaration.pair(t.strides());
                    return (new RefLayer.Conv2DTranspose(t.filters(), k[0], k[1], s[0], s[1], t.padding() == Padding.SAME,
                            DeclaredLayers.keras(t.activation()), t.useBias()));
            }

            @Override
            public RefLayer separableConv2D(SeparableConv2DDeclaration c) {
                    int[] k = LayerDeclaration.pair(c.kernel());
                    int[] s = LayerDeclaration.pair(c.strides());
                    int[] dil = LayerDeclaration.pair(c.dilation());
                    return (new RefLayer.SeparableConv2D(c.filters(), k[0], k[1], s[0], s[1], dil[0], dil[1],
                            c.padding() == Padding.SAME, c.depthMultiplier(), DeclaredLayers.keras(c.activation()), c.useBias()));
            }

            @Override
            public RefLayer reshape(ReshapeDeclaration r) {
                    return (new RefLayer.Reshape(r.shape()));
            }

            @Override
            public RefLayer leakyReLU(LeakyReLUDeclaration l) {
                    return (new RefLayer.LeakyReLU(l.alpha()));
            }

            @Override
            public RefLayer rescaling(LayerDeclaration.RescalingDeclaration r) {
                return new RefLayer.Rescaling(r.scale(), r.offset());
            }

            @Override
            public RefLayer cropping(LayerDeclaration.CroppingDeclaration c) {
                int[] tblr = LayerDeclaration.sides(c.cropping());
                return new RefLayer.Cropping2D(tblr[0], tblr[1], tblr[2], tblr[3]);
            }

            @Override
            public RefLayer merge(MergeDeclaration merge) {
                throw new IllegalArgumentException("a merge is a graph node, not a single-input layer");
            }
        });
    }


}
