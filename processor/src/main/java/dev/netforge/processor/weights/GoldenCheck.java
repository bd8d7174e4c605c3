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
import java.util.Locale;

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
            nodes.add(d instanceof MergeDeclaration merge ? new ReferenceGraph.Merge(merge.op().kerasName())
                    : new ReferenceGraph.Single(reference(List.of(d)).get(0)));
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

    /** The declared layers as the reference evaluator's plain records. */
    static List<RefLayer> reference(List<LayerDeclaration> declarations) {
        List<RefLayer> out = new ArrayList<>();
        for (LayerDeclaration d : declarations) {
            if (d instanceof Conv2DDeclaration c) {
                int[] k = pair(c.kernel());
                int[] s = pair(c.strides());
                int[] dil = pair(c.dilation());
                out.add(new RefLayer.Conv2D(c.filters(), k[0], k[1], s[0], s[1], dil[0], dil[1],
                        c.padding() == Padding.SAME, keras(c.activation()), c.useBias()));
            } else if (d instanceof DepthwiseConv2DDeclaration c) {
                int[] k = pair(c.kernel());
                int[] s = pair(c.strides());
                int[] dil = pair(c.dilation());
                out.add(new RefLayer.DepthwiseConv2D(k[0], k[1], s[0], s[1], dil[0], dil[1],
                        c.padding() == Padding.SAME, c.depthMultiplier(), keras(c.activation()), c.useBias()));
            } else if (d instanceof PoolDeclaration p) {
                int[] w = pair(p.pool());
                int[] s = p.strides().length == 0 ? w : pair(p.strides());
                boolean same = p.padding() == Padding.SAME;
                out.add(p.average() ? new RefLayer.AvgPool(w[0], w[1], s[0], s[1], same)
                        : new RefLayer.MaxPool(w[0], w[1], s[0], s[1], same));
            } else if (d instanceof GlobalPoolDeclaration g) {
                out.add(g.average() ? new RefLayer.GlobalAvgPool() : new RefLayer.GlobalMaxPool());
            } else if (d instanceof FlattenDeclaration) {
                out.add(new RefLayer.Flatten());
            } else if (d instanceof DenseDeclaration dense) {
                out.add(new RefLayer.Dense(dense.units(), keras(dense.activation()), dense.useBias()));
            } else if (d instanceof BatchNormalizationDeclaration b) {
                out.add(new RefLayer.BatchNorm(b.epsilon()));
            } else if (d instanceof ZeroPaddingDeclaration z) {
                int[] p = z.padding();
                int[] tblr = p.length == 1 ? new int[] {p[0], p[0], p[0], p[0]}
                        : p.length == 2 ? new int[] {p[0], p[0], p[1], p[1]} : p;
                out.add(new RefLayer.ZeroPadding(tblr[0], tblr[1], tblr[2], tblr[3]));
            } else if (d instanceof DropoutDeclaration drop) {
                out.add(new RefLayer.Dropout(drop.rate()));
            } else if (d instanceof ActivationDeclaration a) {
                out.add(new RefLayer.ActivationLayer(keras(a.activation())));
            } else if (d instanceof UpSamplingDeclaration u) {
                int[] size = pair(u.size());
                out.add(new RefLayer.UpSampling2D(size[0], size[1]));
            } else if (d instanceof Conv2DTransposeDeclaration t) {
                int[] k = pair(t.kernel());
                int[] s = pair(t.strides());
                out.add(new RefLayer.Conv2DTranspose(t.filters(), k[0], k[1], s[0], s[1], t.padding() == Padding.SAME,
                        keras(t.activation()), t.useBias()));
            } else if (d instanceof SeparableConv2DDeclaration c) {
                int[] k = pair(c.kernel());
                int[] s = pair(c.strides());
                int[] dil = pair(c.dilation());
                out.add(new RefLayer.SeparableConv2D(c.filters(), k[0], k[1], s[0], s[1], dil[0], dil[1],
                        c.padding() == Padding.SAME, c.depthMultiplier(), keras(c.activation()), c.useBias()));
            } else if (d instanceof ReshapeDeclaration r) {
                out.add(new RefLayer.Reshape(r.shape()));
            } else if (d instanceof LeakyReLUDeclaration l) {
                out.add(new RefLayer.LeakyReLU(l.alpha()));
            } else {
                throw new AssertionError("a layer kind the golden check does not know: " + d.annotationName());
            }
        }
        return out;
    }

    private static int[] pair(int[] v) {
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    private static String keras(dev.netforge.Activation a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
