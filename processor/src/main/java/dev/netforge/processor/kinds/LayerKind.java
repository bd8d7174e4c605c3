package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.WeightTensor;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/**
 * Everything the processor does with one kind of layer (or one family: the two pools, the two
 * global pools, the seven merges), from the annotation to the generated statements: read it,
 * check it with Keras's arithmetic, list its weights, write its code, describe it, and name it in
 * the importer's vocabulary and the reference evaluator's. Each kind is one class that implements
 * this interface and nests its two records, {@code Declaration} (as written) and {@code Spec}
 * (resolved); {@link LayerKinds#ALL} registers it. What is decided across kinds stays in the
 * pipeline: which layers fuse ({@code MemoryPlan}), which run on the runtime kernels and how their
 * weights are prepared ({@code LayerWriter}, {@code ForwardWriter}). A merge, the one kind with
 * several inputs, is checked with all of them ({@code LayerCheck.inputs()}) and written over
 * {@code in0, in1, ...}. The reference evaluator ({@code reference/}) stays separate on purpose,
 * as the independent check of what this writes.
 *
 * @param <D> the kind's declaration record
 * @param <S> the kind's resolved record
 */
public interface LayerKind<D extends LayerDeclaration, S extends LayerSpec> {

    /** The simple names of the annotations that declare this kind: {@code "MaxPool", "AvgPool"}. */
    List<String> annotationNames();

    /** The declaration of field {@code field}, annotated {@code @annotationName}, from its attributes. */
    D read(String field, String annotationName, AnnotationReader attributes) throws UnreadableValueException;

    /** The rank after the layer (1 vector, 3 image, 0 unknown), known even when its sizes are not. */
    int outputRank(D declaration, int inputRank);

    /**
     * Checks the layer on its input ({@link LayerCheck#input()}, null when not known: then only
     * the attributes and the rank are checked) and resolves it; null after reporting through
     * {@code check}, or when the input is not known.
     */
    S check(D declaration, LayerCheck check);

    /** The weight tensors in Keras's {@code get_weights()} order; empty for a layer without. */
    List<WeightTensor> weights(S spec);

    /**
     * The names of the prepared weight arrays the layer's method takes, in order; {@code bias} is
     * whether it takes a bias (its own, or a folded BatchNormalization's).
     */
    List<String> weightParameters(S spec, boolean bias);

    /** The statements of the layer's method, reading {@code in} and writing {@code out}. */
    CodeBlock body(S spec, LayerCode code);

    /** The summary line of the layer (its javadoc and the generated summary). */
    default String describe(S spec) {
        return spec.kerasName() + ", " + spec.input() + " -> " + spec.output();
    }

    /**
     * The layer in the importer's vocabulary ({@code ImportedLayer}): puts its attributes under
     * the importer's keys into {@code attributes} and returns the importer's kind.
     */
    String vocabulary(D declaration, Map<String, Object> attributes);

    /** The layer as the reference evaluator's record (for the compile-time golden check). */
    RefLayer reference(D declaration);

    /** A kind without weights (pooling, reshaping, element-wise layers): no tensors, no weight parameters. */
    interface Weightless<D extends LayerDeclaration, S extends LayerSpec> extends LayerKind<D, S> {
        @Override
        default List<WeightTensor> weights(S spec) {
            return List.of();
        }

        @Override
        default List<String> weightParameters(S spec, boolean bias) {
            return List.of();
        }
    }
}
