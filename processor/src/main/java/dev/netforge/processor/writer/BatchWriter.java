package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netforge.Activation;
import dev.netforge.processor.kinds.DenseKind;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.writer.MemoryPlan.Buffer;
import dev.netforge.processor.writer.MemoryPlan.Step;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the nested class {@code XForward.Batch}, whose {@code forward(inputs, outputs, count)} runs
 * several inputs in one call. Its arrays belong to it, not to {@code XForward}, so an instance that
 * never runs batches pays nothing for them. The Dense layers at
 * the end of a network (its "dense tail": a chain of Dense steps, as after the Flatten or global
 * pooling of a classifier, or the whole of an MLP) run on up to 64 rows at a time through
 * {@code Kernels.denseBatch}, which reads each weight once per four rows instead of once per row:
 * the weights of those layers are most of a classifier's and do not stay in the caches between
 * two single calls. The layers before the tail run row by row, as {@code forward} runs them. Every
 * row's result is bit for bit what {@code forward} gives it alone ({@code denseBatch} accumulates
 * each sum in {@code dense}'s order).
 */
final class BatchWriter {
    /**
     * The batch arrays hold about this many floats (1 MB each): up to 64 rows, as many as fit (a
     * multiple of four, the kernel's group), since the kernel reads the tail's weights once per call
     * of that many rows; at least one row, for a tail wider than that.
     */
    static final int ARRAY_FLOATS = 1 << 18;

    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

    private final Network network;
    private final List<Step> steps;
    private final int[] firstTensor;
    /** The index of the first step of the dense tail; {@code steps.size()} when there is none. */
    private final int tail;
    /** The widest row of the tail: its input or any of its outputs. */
    private final int width;
    /** Rows the dense tail takes at a time: 1 to 64, a multiple of 4 from 4 on. */
    private final int rows;

    BatchWriter(Network network, MemoryPlan plan, int[] firstTensor) {
        this.network = network;
        this.steps = plan.steps();
        this.firstTensor = firstTensor.clone();
        this.tail = tailStart(steps);
        int widest = 0;
        for (int s = tail; s < steps.size(); s++) {
            widest = Math.max(widest, Math.max(steps.get(s).layer().input().size(), steps.get(s).output().size()));
        }
        this.width = widest;
        int fit = widest == 0 ? 0 : Math.max(1, Math.min(64, ARRAY_FLOATS / widest));
        this.rows = fit >= 4 ? fit / 4 * 4 : fit;
    }

    /**
     * The first step of the longest suffix of Dense steps that each read the step before (the first
     * one: the step before it, or the network input), with nothing fused but a folded normalization.
     */
    static int tailStart(List<Step> steps) {
        int start = steps.size();
        while (start > 0) {
            Step step = steps.get(start - 1);
            boolean dense = step.layer() instanceof DenseKind.Spec && step.fusedAdd() == null && step.fusedPool() == null
                    && step.sources().size() == 1;
            Buffer expected = start - 1 == 0 ? Buffer.INPUT : steps.get(start - 2).target();
            if (!dense || !step.source().equals(expected)) {
                break;
            }
            start--;
        }
        return start;
    }

    private boolean hasTail() {
        return tail < steps.size();
    }

    /** Floats a {@code Batch} allocates besides its {@code XForward}. */
    long floats() {
        return network.input().size() + (hasTail() ? 2L * rows * width : network.output().size());
    }

    /**
     * The methods {@code XForward} gets: the steps before the tail on one row, in parts of bounded
     * size ({@code layerCalls}: the calls {@code forward} makes), which read its scratch arrays.
     */
    List<MethodSpec> headMethods(List<CodeBlock> layerCalls) {
        if (!hasTail() || tail == 0) {
            return List.of();
        }
        return ForwardWriter.split("batchHead", layerCalls.subList(0, tail),
                List.of(ParameterSpec.builder(FLOATS, "input").build()), false, ForwardWriter.TENSORS);
    }

    /** {@code XForward.Batch}. */
    TypeSpec type(ClassName forwardClass, ClassName weightsClass, TextWriter text) {
        TypeSpec.Builder type = TypeSpec.classBuilder("Batch")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Runs many inputs per call: {@link #forward(float[], float[], int)}. $L\n\n",
                        hasTail() ? "The Dense layers the network ends with run on up to " + rows + " inputs at a time\n"
                                + "and read their weights once per call of that many, not once per input; the layers\n"
                                + "before them run input by input, as {@code " + forwardClass.simpleName() + ".forward} runs them."
                                : "(The network ends in no Dense layers, so the inputs run one by one.)")
                .addJavadoc("<p>One per thread, as {@code $T}; it holds its own instance of it and $L floats of\n"
                        + "arrays of its own, so an instance that never runs batches pays nothing for them.\n",
                        forwardClass, SummaryTable.number(floats()));
        type.addField(FieldSpec.builder(forwardClass, "net", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addField(FieldSpec.builder(FLOATS, "batchInput", Modifier.PRIVATE, Modifier.FINAL).build());
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Builds a batch runner over shared weights, allocating all it will use.\n")
                .addParameter(weightsClass, "weights")
                .addStatement("this.net = new $T(weights)", forwardClass)
                .addStatement("this.batchInput = new float[INPUT_SIZE]");
        if (hasTail()) {
            type.addField(FieldSpec.builder(FLOATS, "batchRowsA", Modifier.PRIVATE, Modifier.FINAL).build());
            type.addField(FieldSpec.builder(FLOATS, "batchRowsB", Modifier.PRIVATE, Modifier.FINAL).build());
            constructor.addStatement("this.batchRowsA = new float[$L]", rows * width)
                    .addStatement("this.batchRowsB = new float[$L]", rows * width);
        } else {
            type.addField(FieldSpec.builder(FLOATS, "batchOutput", Modifier.PRIVATE, Modifier.FINAL).build());
            constructor.addStatement("this.batchOutput = new float[OUTPUT_SIZE]");
        }
        type.addMethod(constructor.build());
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Runs the network on {@code count} inputs, one after the other in {@code inputs}, into\n"
                        + "{@code outputs}; each result is exactly what {@link $T#forward(float[], float[])} gives\n"
                        + "that input. Allocates nothing.\n\n", forwardClass)
                .addJavadoc("@param inputs  {@code count * INPUT_SIZE} values (or more), input {@code i} from {@code i * INPUT_SIZE}\n"
                        + "@param outputs receives {@code count * OUTPUT_SIZE} values, output {@code i} from\n"
                        + "    {@code i * OUTPUT_SIZE}; a different array from inputs\n"
                        + "@param count   how many inputs, 0 or more\n"
                        + "@throws IllegalArgumentException if count is negative, an array is too short, or they are the same array\n"
                        + "@throws NullPointerException if an array is null\n")
                .addParameter(FLOATS, "inputs")
                .addParameter(FLOATS, "outputs")
                .addParameter(TypeName.INT, "count")
                // the text is the forward class's Text (see TextWriter)
                .addCode(text.nullCheck("inputs", TextWriter.INPUTS))
                .addCode(text.nullCheck("outputs", TextWriter.OUTPUTS))
                .beginControlFlow("if (count < 0)")
                .addCode(text.raise("negativeCount", "count"))
                .endControlFlow()
                .beginControlFlow("if (inputs.length < (long) count * INPUT_SIZE)")
                .addCode(text.raise("inputsLength", "inputs.length, count"))
                .endControlFlow()
                .beginControlFlow("if (outputs.length < (long) count * OUTPUT_SIZE)")
                .addCode(text.raise("outputsLength", "outputs.length, count"))
                .endControlFlow()
                .beginControlFlow("if (inputs == outputs)")
                .addCode(text.raise("sameBatchArrays", ""))
                .endControlFlow();
        if (!hasTail()) {
            forward.beginControlFlow("for (int i = 0; i < count; i++)")
                    .addStatement("System.arraycopy(inputs, i * INPUT_SIZE, batchInput, 0, INPUT_SIZE)")
                    .addStatement("net.forward(batchInput, batchOutput)")
                    .addStatement("System.arraycopy(batchOutput, 0, outputs, i * OUTPUT_SIZE, OUTPUT_SIZE)")
                    .endControlFlow();
            return type.addMethod(forward.build()).build();
        }
        int rowWidth = steps.get(tail).layer().input().size();
        forward.beginControlFlow("for (int first = 0; first < count; first += $L)", rows)
                .addStatement("int rows = Math.min($L, count - first)", rows);
        if (tail == 0) {
            forward.addStatement("System.arraycopy(inputs, first * INPUT_SIZE, batchRowsA, 0, rows * INPUT_SIZE)");
        } else {
            forward.beginControlFlow("for (int r = 0; r < rows; r++)")
                    .addStatement("System.arraycopy(inputs, (first + r) * INPUT_SIZE, batchInput, 0, INPUT_SIZE)");
            for (int part = 0; part * ForwardWriter.STATEMENTS_PER_METHOD < tail; part++) {
                forward.addStatement("net.batchHead$L(batchInput)", part);
            }
            forward.addStatement("System.arraycopy(net.$L, 0, batchRowsA, r * $L, $L)",
                    steps.get(tail - 1).target().name(), rowWidth, rowWidth)
                    .endControlFlow();
        }
        List<MethodSpec> tailParts = tailMethods();
        for (MethodSpec part : tailParts) {
            forward.addStatement("$N(rows)", part);
        }
        forward.addStatement("System.arraycopy($L, 0, outputs, first * OUTPUT_SIZE, rows * OUTPUT_SIZE)",
                        (steps.size() - tail) % 2 == 0 ? "batchRowsA" : "batchRowsB")
                .endControlFlow();
        return type.addMethod(forward.build()).addMethods(tailParts).build();
    }

    /**
     * The tail's Dense layers on {@code rows} rows, from batchRowsA, alternating between the two
     * arrays; in methods of at most {@code STATEMENTS_PER_METHOD / 2} layers, so that a long tail
     * stays under HotSpot's size limit for compiling a method.
     */
    private List<MethodSpec> tailMethods() {
        List<MethodSpec> parts = new ArrayList<>();
        int perPart = ForwardWriter.STATEMENTS_PER_METHOD / 2;
        for (int from = tail; from < steps.size(); from += perPart) {
            int to = Math.min(steps.size(), from + perPart);
            MethodSpec.Builder method = MethodSpec.methodBuilder("batchTail" + parts.size())
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Dense layers of the tail on {@code rows} rows: $L.\n", describe(from, to))
                    .addParameter(TypeName.INT, "rows")
                    .addStatement("float[][] tensors = net.weights.tensors");
            for (int s = from; s < to; s++) {
                addDense(method, s);
            }
            parts.add(method.build());
        }
        return parts;
    }

    private void addDense(MethodSpec.Builder method, int s) {
        Step step = steps.get(s);
        DenseKind.Spec dense = (DenseKind.Spec) step.layer();
        boolean even = (s - tail) % 2 == 0;
        String from = even ? "batchRowsA" : "batchRowsB";
        String to = even ? "batchRowsB" : "batchRowsA";
        List<String> weights = LayerWriter.weightParameters(step);
        int bias = weights.indexOf("bias");
        Activation activation = step.activation();
        method.addStatement("KERNELS.denseBatch($L, $L, rows, tensors[$L], $L, $L, $L, $L)", from,
                dense.input().size(), firstTensor[s] + weights.indexOf("kernel"), dense.units(),
                bias < 0 ? "null" : "tensors[" + (firstTensor[s] + bias) + "]", to, activation == Activation.RELU);
        if (activation != Activation.RELU && activation != Activation.LINEAR) {
            method.beginControlFlow("for (int r = 0; r < rows; r++)")
                    .addCode(ActivationWriter.applyInPlace(activation, to, "r * " + dense.units(), dense.units()))
                    .endControlFlow();
        }
    }

    private String describe(int from, int to) {
        StringBuilder names = new StringBuilder();
        for (int s = from; s < to; s++) {
            names.append(s > from ? ", " : "").append(steps.get(s).describeLayers(network.layers()));
        }
        return names.toString();
    }
}
