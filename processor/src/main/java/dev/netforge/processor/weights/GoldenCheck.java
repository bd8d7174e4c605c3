package dev.netforge.processor.weights;

import dev.netforge.processor.kinds.LayerKinds;
import dev.netforge.processor.kinds.MergeKind;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.reference.RefLayer;
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
        return declaration instanceof MergeKind.Declaration merge ? new ReferenceGraph.Merge(merge.op().kerasName())
                : new ReferenceGraph.Single(reference(declaration));
    }

    /** A single-input declared layer as the reference evaluator's plain record. */
    static RefLayer reference(LayerDeclaration declaration) {
        return LayerKinds.reference(declaration);
    }
}
