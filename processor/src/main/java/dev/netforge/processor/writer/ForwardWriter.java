package dev.netforge.processor.writer;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netforge.Activation;
import dev.netforge.processor.kinds.BatchNormalizationKind;
import dev.netforge.processor.kinds.Conv2DKind;
import dev.netforge.processor.kinds.DenseKind;
import dev.netforge.processor.kinds.DepthwiseConv2DKind;
import dev.netforge.processor.kinds.SeparableConv2DKind;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.model.WeightTensor;
import dev.netforge.processor.writer.MemoryPlan.Buffer;
import dev.netforge.processor.writer.MemoryPlan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code XForward} for a validated {@link Network}: a pure function of the network (and of
 * whether {@code @Generated} is available), so the same model always gives the same source.
 *
 * <p>Shape of the generated class: literal size constants; a nested immutable {@code Weights}
 * holding the parameter vector cut into per-tensor arrays (shared by any number of instances);
 * per-instance scratch arrays allocated in the constructor; {@code forward} calling one
 * specialised static method per computing layer. Anything whose length grows with the number of
 * layers (the calls in {@code forward}, the weight loading, the summary text) is spread over
 * methods of at most {@link #STATEMENTS_PER_METHOD} statements, so no method nears HotSpot's
 * 8,000-byte compile limit.
 */
public final class ForwardWriter {
    static final String PROCESSOR = "dev.netforge.processor.NetForgeProcessor";
    /** Each statement of a split method compiles to well under 100 bytes of bytecode. */
    static final int STATEMENTS_PER_METHOD = 48;

    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName FLOAT_ARRAYS = ArrayTypeName.of(FLOATS);
    /** The first statement of a method that passes weight tensors to layer methods. */
    static final CodeBlock TENSORS = CodeBlock.of("float[][] tensors = weights.tensors;\n");

    private final Network network;
    private final MemoryPlan plan;
    private final ClassName forwardClass;
    private final ClassName weightsClass;
    /** For each step, the index of its first prepared array in {@code Weights.tensors}. */
    private final int[] firstTensor;
    /** Statements that fill {@code Weights.tensors} from the parameter vector, one block per array or fold. */
    private final List<CodeBlock> loads = new ArrayList<>();
    private int tensorCount;
    private final BatchWriter batch;
    /** Every string of the class, which lives in its nested {@code Text}. */
    private final TextWriter text;
    private boolean foldsNorm;
    private boolean affineNorm;

    private ForwardWriter(Network network) {
        this.network = network;
        this.plan = MemoryPlan.of(network);
        this.forwardClass = ClassName.get(network.packageName(), network.forwardClassName());
        this.weightsClass = forwardClass.nestedClass("Weights");
        this.text = new TextWriter(forwardClass);
        this.firstTensor = new int[plan.steps().size()];
        long[] offsets = new long[network.layers().size()];
        long offset = 0;
        for (int i = 0; i < network.layers().size(); i++) {
            offsets[i] = offset;
            for (WeightTensor tensor : WeightTensor.of(network.layers().get(i))) {
                offset += tensor.size();
            }
        }
        for (int s = 0; s < plan.steps().size(); s++) {
            firstTensor[s] = tensorCount;
            prepareWeights(plan.steps().get(s), offsets);
        }
        this.batch = new BatchWriter(network, plan, firstTensor);
    }

    /**
     * The statements that turn a step's slice of the parameter vector into the arrays its method
     * takes: plain copies, or a kernel and bias with a BatchNormalization folded in, or a standalone
     * BatchNormalization's per-channel scale and shift.
     */
    private void prepareWeights(Step step, long[] offsets) {
        int first = tensorCount;
        cutWeights(step, offsets);
        LayerSpec layer = step.layer();
        if (layer instanceof SeparableConv2DKind.Spec separable) {
            // the pointwise half runs on the kernels as a 1x1 convolution: repack its kernel for them
            loads.add(CodeBlock.builder().addStatement("tensors[$L] = KERNELS.prepareConv2d(tensors[$L], 1, 1, $L, $L)",
                    first + 1, first + 1, separable.depthwiseOutput().channels(), separable.filters()).build());
        } else if (LayerWriter.usesKernels(step) && !(layer instanceof DepthwiseConv2DKind.Spec)) {
            // The kernels may want their own layout (repacked once, here, for the implementation in use);
            // a depthwise kernel they take as Keras stores it.
            CodeBlock prepare = layer instanceof DenseKind.Spec dense
                    ? CodeBlock.of("KERNELS.prepareDense(tensors[$L], $L, $L)", first, dense.input().size(), dense.units())
                    : CodeBlock.of("KERNELS.prepareConv2d(tensors[$L], $L, $L, $L, $L)", first,
                            ((Conv2DKind.Spec) layer).window().height(), ((Conv2DKind.Spec) layer).window().width(),
                            layer.input().channels(), ((Conv2DKind.Spec) layer).filters());
            loads.add(CodeBlock.builder().addStatement("tensors[$L] = $L", first, prepare).build());
        }
    }

    /**
     * A BatchNormalization's arguments to the preparation helpers: where gamma, beta, the moving mean
     * and the moving variance start ({@code -1} for a gamma or beta the layer does not have), and
     * the channels.
     */
    private static String normOffsets(BatchNormalizationKind.Spec norm, long offset) {
        // where each tensor starts, in the order and sizes of the one arithmetic (KerasWeights)
        Map<String, Long> starts = new HashMap<>();
        long at = offset;
        for (WeightTensor tensor : WeightTensor.of(norm)) {
            starts.put(tensor.role(), at);
            at += tensor.size();
        }
        return starts.getOrDefault("gamma", -1L) + ", " + starts.getOrDefault("beta", -1L) + ", "
                + starts.get("moving_mean") + ", " + starts.get("moving_variance") + ", " + norm.input().channels();
    }

    private void cutWeights(Step step, long[] offsets) {
        LayerSpec layer = step.layer();
        List<WeightTensor> tensors = WeightTensor.of(layer);
        long offset = offsets[step.layerIndex()];
        int first = tensorCount;
        if (layer instanceof BatchNormalizationKind.Spec norm) {
            affineNorm = true;
            loads.add(CodeBlock.builder()
                    .add("// $L: scale and shift from gamma, beta, moving mean and variance\n", layer.name())
                    .addStatement("batchNormAffine(parameters, tensors, $L, $L, $L)", first, normOffsets(norm, offset),
                            norm.epsilon())
                    .build());
            tensorCount += 2;
            return;
        }
        if (step.foldedNorm() != null) {
            foldsNorm = true;
            BatchNormalizationKind.Spec norm = step.foldedNorm();
            int normIndex = network.layers().indexOf(norm);
            long kernel = tensors.get(0).size();
            loads.add(CodeBlock.builder()
                    .add("// $L kernel $L and bias with $L folded in\n", layer.name(), tensors.get(0).describeShape(),
                            norm.name())
                    .addStatement("foldBatchNorm(parameters, tensors, $L, $L, $L, $L, $L, $L)", first, offset, kernel,
                            tensors.size() > 1 ? offset + kernel : -1, normOffsets(norm, offsets[normIndex]),
                            norm.epsilon())
                    .build());
            tensorCount += 2;
            return;
        }
        for (WeightTensor tensor : tensors) {
            loads.add(CodeBlock.builder()
                    .add("// $L $L $L\n", layer.name(), tensor.role(), tensor.describeShape())
                    .addStatement("tensors[$L] = $T.copyOfRange(parameters, $L, $L)",
                            tensorCount++, java.util.Arrays.class, offset, offset + tensor.size())
                    .build());
            offset += tensor.size();
        }
    }

    /**
     * Weights bundled at compile time: the resource beside the generated class, whether it has a
     * golden pair, where the weights came from, the file's layers left out as the identity at
     * inference (the summary lists them), and the model's source file name ({@code Net.java}, for the
     * message of a stale bundle).
     */
    public record Bundle(String resource, boolean golden, String source, List<String> skipped, String modelFile) {
        public Bundle {
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * The generated class; with a {@code bundle}, also a no-argument constructor over the bundled weights.
     *
     * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} exists on the
     *                            target platform (not when compiling with {@code --release 8})
     * @param bundle              weights bundled at compile time, or null
     */
    public static JavaFile write(Network network, boolean generatedAnnotation, Bundle bundle) {
        return new ForwardWriter(network).javaFile(generatedAnnotation, bundle);
    }

    private JavaFile javaFile(boolean generatedAnnotation, Bundle bundle) {
        List<String> summary = new ArrayList<>(SummaryTable.lines(network, plan));
        if (bundle != null) {
            summary.add("Weights: \"" + bundle.source() + "\", bundled at compile time" + (bundle.skipped().isEmpty()
                    ? "" : "; its layers " + String.join(", ", bundle.skipped()) + " are the identity at inference"
                    + " and were skipped"));
        }
        TypeSpec.Builder type = TypeSpec.classBuilder(forwardClass)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The forward pass of {@link $L}, generated by NetForge from its annotations.\n\n",
                        network.qualifiedModelName())
                .addJavadoc("<pre>\n$L</pre>\n\n", htmlEscape(String.join("\n", summary)) + "\n")
                .addJavadoc("<p>Build one {@link Weights} from the parameter vector (Keras's {@code get_weights()}\n"
                        + "flattened and joined, layer by layer, kernel then bias) and one instance per thread:\n"
                        + "instances share the weights and own only their scratch arrays.\n");
        if (generatedAnnotation) {
            type.addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
                    .addMember("value", "$S", PROCESSOR)
                    .addMember("comments", "$S", "from " + network.qualifiedModelName())
                    .build());
        }
        type.addField(constant("INPUT_SIZE", network.input().size(),
                "Values in one input, a " + network.input() + " tensor stored flat, channels last."));
        type.addField(constant("OUTPUT_SIZE", network.output().size(),
                "Values in one output, a " + network.output() + " tensor stored flat, channels last."));
        type.addField(constant("PARAMETER_COUNT", Math.toIntExact(network.parameterCount()),
                "Length of the parameter vector: Keras's {@code model.count_params()}."));
        if (plan.steps().stream().anyMatch(LayerWriter::usesKernels)) {
            ClassName kernels = ClassName.get("dev.netforge.runtime", "Kernels");
            type.addField(FieldSpec.builder(kernels, "KERNELS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The runtime's kernels, chosen once per JVM: the Vector API ones when\n"
                            + "{@code --add-modules jdk.incubator.vector} is given, else plain Java (which print a one-line hint at the first forward).\n")
                    .initializer("$T.get()", kernels).build());
        }
        type.addType(weights(bundle));
        type.addField(FieldSpec.builder(weightsClass, "weights", Modifier.PRIVATE, Modifier.FINAL).build());
        for (String scratch : scratchArrays()) {
            type.addField(FieldSpec.builder(FLOATS, scratch, Modifier.PRIVATE, Modifier.FINAL).build());
        }
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Builds an instance from the parameter vector (copied, so the caller may reuse it).\n\n"
                        + "@throws IllegalArgumentException if it does not hold exactly {@link #PARAMETER_COUNT} values\n"
                        + "@throws NullPointerException if it is null\n")
                .addParameter(FLOATS, "parameters")
                .addStatement("this($T.of(parameters))", weightsClass)
                .build());
        type.addMethod(instanceConstructor());
        if (bundle != null) {
            type.addMethod(MethodSpec.constructorBuilder()
                    .addModifiers(Modifier.PUBLIC)
                    .addJavadoc("Builds an instance over the weights bundled at compile time (see {@link Weights#bundled()}).\n")
                    .addStatement("this($T.bundled())", weightsClass)
                    .build());
        }
        type.addMethod(MethodSpec.methodBuilder("weights")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("The weights this instance computes with, to build more instances that share them.\n")
                .returns(weightsClass)
                .addStatement("return weights")
                .build());
        type.addMethod(forward());
        type.addMethods(splitForward());
        type.addMethods(batch.headMethods(layerCalls()));
        type.addType(batch.type(forwardClass, weightsClass, text));
        type.addMethods(LayerByLayer.methods(plan, network, firstTensor, this::layerMethodName, text));
        type.addMethod(MethodSpec.methodBuilder("summary")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The model summary, as Keras's {@code model.summary()} prints it, plus multiply-accumulates\n"
                        + "per layer and the memory an instance holds.\n")
                .returns(String.class)
                .addStatement("return $L", text.summary())
                .build());
        type.addType(text.type(network, summary, plan.steps().stream()
                .map(step -> step.describeLayers(network.layers())).toList()));
        for (int s = 0; s < plan.steps().size(); s++) {
            Step step = plan.steps().get(s);
            type.addMethod(LayerWriter.method(layerMethod(step.layerIndex()), step, describe(s)));
        }
        if (plan.steps().stream().anyMatch(step -> step.activation() == Activation.SOFTMAX)) {
            type.addMethod(ActivationWriter.softmaxHelper());
        }
        if (plan.steps().stream().anyMatch(step -> step.activation() == Activation.GELU)) {
            type.addMethod(ActivationWriter.erfcHelper());
        }
        return JavaFile.builder(network.packageName(), type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    private String layerMethodName(Step step) {
        return layerMethod(step.layerIndex());
    }

    private TypeSpec weights(Bundle bundle) {
        TypeSpec.Builder weights = TypeSpec.classBuilder(weightsClass)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The parameters of {@link $L}, cut into one array per weight tensor. Immutable once built, so\n"
                        + "one instance serves any number of {@link $T} instances on any threads.\n",
                        network.qualifiedModelName(), forwardClass)
                .addField(FieldSpec.builder(FLOAT_ARRAYS, "tensors", Modifier.PRIVATE, Modifier.FINAL).build());
        List<MethodSpec> parts = split("load", loads,
                List.of(ParameterSpec.builder(FLOATS, "parameters").build()), false, null);
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(FLOATS, "parameters")
                .addStatement("tensors = new float[$L][]", tensorCount);
        for (MethodSpec part : parts) {
            constructor.addStatement("$N(parameters)", part);
        }
        weights.addMethod(constructor.build());
        weights.addMethods(parts);
        if (foldsNorm) {
            weights.addMethod(WeightPreparation.foldBatchNorm());
        }
        if (bundle != null) {
            BundledWeightsLoader.addTo(weights, forwardClass, weightsClass, bundle);
        }
        if (affineNorm) {
            weights.addMethod(WeightPreparation.batchNormAffine());
        }
        weights.addMethod(parameterTable());
        weights.addMethod(MethodSpec.methodBuilder("of")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Cuts the parameter vector into the model's weight tensors (copying it).\n\n"
                        + "@param parameters Keras's {@code model.get_weights()} flattened and joined: layers in\n"
                        + "    declaration order, for each its kernel then its bias\n"
                        + "@throws IllegalArgumentException if it does not hold exactly {@link #PARAMETER_COUNT} values\n"
                        + "    (naming the first tensor it cuts short), or holds a NaN or infinite value or a negative\n"
                        + "    BatchNormalization variance (naming the layer, the tensor and the index)\n")
                .returns(weightsClass)
                .addParameter(FLOATS, "parameters")
                .addStatement("$T.requireNonNull(parameters, $S)", java.util.Objects.class, "parameters")
                .addStatement("$T.check($S, parameterTable(), parameters)",
                        ClassName.get("dev.netforge.runtime", "ParameterCheck"), network.modelName())
                .addStatement("return new $T(parameters)", weightsClass)
                .build());
        return weights.build();
    }

    /**
     * The tensor table {@code ParameterCheck} reads: {@code layer/role/d0xd1x...;} a tensor, in
     * chunks that each stay well inside a class file's 65,535-byte constant.
     */
    private MethodSpec parameterTable() {
        List<String> tensors = new ArrayList<>();
        for (LayerSpec layer : network.layers()) {
            for (WeightTensor tensor : WeightTensor.of(layer)) {
                StringBuilder dims = new StringBuilder();
                for (int d : tensor.shape()) {
                    dims.append(dims.length() > 0 ? "x" : "").append(d);
                }
                tensors.add(layer.name() + '/' + tensor.role() + '/' + dims + ';');
            }
        }
        List<String> chunks = TextWriter.chunks(tensors);
        MethodSpec.Builder method = MethodSpec.methodBuilder("parameterTable")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(ArrayTypeName.of(String.class));
        if (chunks.size() > 200) {
            throw new IllegalStateException("tensor table of " + chunks.size() + " chunks");
        }
        method.addStatement("return new String[] {$L}", chunks.stream()
                .map(c -> CodeBlock.of("$S", c).toString())
                .collect(java.util.stream.Collectors.joining(", ")));
        return method.build();
    }

    private MethodSpec instanceConstructor() {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Builds an instance over shared weights; it allocates only its own scratch arrays ($L).\n",
                        scratchDescription())
                .addParameter(weightsClass, "weights")
                .addCode(text.nullCheck("weights", TextWriter.WEIGHTS))
                .addStatement("this.weights = weights");
        for (int k = 0; k < plan.scratchSizes().size(); k++) {
            constructor.addStatement("this.$L = new float[$L]", MemoryPlan.scratchName(k), plan.scratchSizes().get(k));
        }
        if (plan.padSize() > 0) {
            constructor.addStatement("this.pad = new float[$L]", plan.padSize());
        }
        if (plan.middleSize() > 0) {
            constructor.addStatement("this.middle = new float[$L]", plan.middleSize());
        }
        int[] largest = MemoryPlan.largestKernelConvolution(plan.steps());
        if (largest != null) {
            // The kernels' own size rule, on the largest dimensions: an upper bound for every convolution.
            constructor.addStatement("this.kernelScratch = new float[$T.convScratch($L, $L, $L, $L)]",
                    ClassName.get("dev.netforge.runtime", "Kernels"), largest[0], largest[1], largest[2], largest[3]);
        }
        return constructor.build();
    }

    private String scratchDescription() {
        return SummaryTable.number(plan.scratchBytes() / Float.BYTES) + " floats";
    }

    private List<String> scratchArrays() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < plan.scratchSizes().size(); k++) {
            names.add(MemoryPlan.scratchName(k));
        }
        if (plan.padSize() > 0) {
            names.add("pad");
        }
        if (plan.middleSize() > 0) {
            names.add("middle");
        }
        if (plan.steps().stream().anyMatch(LayerWriter::usesKernelScratch)) {
            names.add("kernelScratch");
        }
        return names;
    }

    private MethodSpec forward() {
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Runs the network on one input. Allocates nothing.\n\n"
                        + "<p>Not thread-safe: an instance's scratch arrays are reused by every call, so use one\n"
                        + "instance per thread (they may share one {@link Weights}). NaN and infinite inputs are not\n"
                        + "rejected; they propagate as IEEE 754 arithmetic (and Keras) would.\n\n"
                        + "@param input  {@link #INPUT_SIZE} values, a $L tensor, channels last\n"
                        + "@param output receives {@link #OUTPUT_SIZE} values, a $L tensor; a different array from input\n"
                        + "@throws IllegalArgumentException if an array has the wrong length, or they are the same array\n"
                        + "@throws NullPointerException if an array is null\n", network.input(), network.output())
                .addParameter(FLOATS, "input")
                .addParameter(FLOATS, "output")
                // the text is Text's: see TextWriter (no string constant here, so none to resolve in a call)
                .addCode(text.nullCheck("input", TextWriter.INPUT))
                .addCode(text.nullCheck("output", TextWriter.OUTPUT))
                .beginControlFlow("if (input.length != INPUT_SIZE)")
                .addCode(text.raise("inputLength", "input.length"))
                .endControlFlow()
                .beginControlFlow("if (output.length != OUTPUT_SIZE)")
                .addCode(text.raise("outputLength", "output.length"))
                .endControlFlow()
                .beginControlFlow("if (input == output)")
                .addCode(text.raise("sameArrays", ""))
                .endControlFlow();
        List<CodeBlock> calls = layerCalls();
        if (calls.size() <= STATEMENTS_PER_METHOD) {
            forward.addStatement("float[][] tensors = weights.tensors");
            calls.forEach(forward::addCode);
        } else {
            for (int part = 0; part * STATEMENTS_PER_METHOD < calls.size(); part++) {
                forward.addStatement("forwardPart$L(input, output)", part);
            }
        }
        return forward.build();
    }

    /** With many layers, {@code forward} calls parts of at most {@link #STATEMENTS_PER_METHOD} layers. */
    private List<MethodSpec> splitForward() {
        List<CodeBlock> calls = layerCalls();
        if (calls.size() <= STATEMENTS_PER_METHOD) {
            return List.of();
        }
        return split("forwardPart", calls, List.of(ParameterSpec.builder(FLOATS, "input").build(),
                ParameterSpec.builder(FLOATS, "output").build()), false, TENSORS);
    }

    /** One statement per computing layer: {@code layer0(input, scratchA, tensors[0], tensors[1]);}. */
    private List<CodeBlock> layerCalls() {
        List<CodeBlock> calls = new ArrayList<>();
        if (plan.steps().isEmpty()) {
            calls.add(CodeBlock.builder().addStatement("System.arraycopy(input, 0, output, 0, INPUT_SIZE)").build());
        }
        for (int s = 0; s < plan.steps().size(); s++) {
            Step step = plan.steps().get(s);
            CodeBlock.Builder call = CodeBlock.builder().add("$L(", layerMethod(step.layerIndex()));
            for (Buffer source : step.sources()) {
                call.add("$L, ", source.name());
            }
            call.add("$L", step.target().name());
            if (LayerWriter.usesPadArray(step)) {
                call.add(", pad");
            }
            if (LayerWriter.usesMiddleArray(step)) {
                call.add(", middle");
            }
            if (LayerWriter.usesKernelScratch(step)) {
                call.add(", kernelScratch");
            }
            int weights = LayerWriter.weightParameters(step).size();
            for (int t = 0; t < weights; t++) {
                call.add(", tensors[$L]", firstTensor[s] + t);
            }
            calls.add(CodeBlock.builder().addStatement("$L", call.add(")").build()).build());
        }
        return calls;
    }

    /** The javadoc line of a step's method: the layers it computes, what, and its activation. */
    private String describe(int stepIndex) {
        Step step = plan.steps().get(stepIndex);
        return step.describeLayers(network.layers()) + ": " + LayerWriter.describe(step.layer())
                + (step.foldedNorm() == null ? "" : ", " + step.foldedNorm().name() + " folded into the weights")
                + (step.fusedAdd() == null ? "" : ", plus " + residualName(step) + " (" + step.fusedAdd().name()
                        + ", added as the kernels store)")
                + (step.activation() == Activation.LINEAR ? "" : ", " + step.activation());
    }

    /** The name of a fused Add's other input: the residual the step adds. */
    private String residualName(Step step) {
        int add = network.layers().indexOf(step.fusedAdd());
        for (int producer : network.inputs().get(add)) {
            if (!step.coveredLayers().contains(producer)) {
                return network.producerName(producer);
            }
        }
        throw new IllegalStateException("a fused Add reads a tensor outside its step");
    }

    /** Layer methods are named by position, so no layer name can collide with a generated member. */
    static String layerMethod(int layerIndex) {
        return "layer" + layerIndex;
    }

    /** Spreads whole statements over private methods {@code name0, name1, ...} of bounded size. */
    static List<MethodSpec> split(String name, List<CodeBlock> statements, List<ParameterSpec> parameters,
                                  boolean isStatic, CodeBlock preamble) {
        List<MethodSpec> parts = new ArrayList<>();
        for (int part = 0; part * STATEMENTS_PER_METHOD < statements.size(); part++) {
            MethodSpec.Builder method = MethodSpec.methodBuilder(name + part)
                    .addModifiers(Modifier.PRIVATE)
                    .addParameters(parameters);
            if (isStatic) {
                method.addModifiers(Modifier.STATIC);
            }
            if (preamble != null) {
                method.addCode(preamble);
            }
            statements.subList(part * STATEMENTS_PER_METHOD,
                    Math.min(statements.size(), (part + 1) * STATEMENTS_PER_METHOD)).forEach(method::addCode);
            parts.add(method.build());
        }
        return parts;
    }

    private static FieldSpec constant(String name, int value, String javadoc) {
        return FieldSpec.builder(TypeName.INT, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", javadoc)
                .initializer("$L", value)
                .build();
    }

    private static String htmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
                .replace("*/", "*&#47;");
    }
}
