package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netforge.processor.model.Network;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the nested class {@code XForward.Text}, which holds every string of {@code XForward} and of
 * {@code XForward.Batch}: their messages, the summary and {@code forwardByLayer}'s keys.
 *
 * <p>Why: HotSpot resolves all the string constants of a class, allocating each {@code String},
 * the first time C2 is asked to compile one of its methods, in the thread that asks
 * ({@code CompileBroker::compile_method}). For a forward class that thread is a caller of
 * {@code forward}, somewhere in its first thousand calls: 2-7 KB in one call that should allocate
 * nothing. With the text here, the forward classes' constant pools hold no strings (the processor's
 * tests check every generated class), and {@code Text} is loaded only when a message, the summary or
 * {@code forwardByLayer} needs it. Call sites take the text through the methods below.
 */
final class TextWriter {
    /** Arguments whose null {@link #nullCheck} reports, by index into {@code Text.ARGUMENTS}. */
    static final int WEIGHTS = 0;
    static final int INPUT = 1;
    static final int OUTPUT = 2;
    static final int INPUTS = 3;
    static final int OUTPUTS = 4;
    private static final List<String> ARGUMENTS = List.of("weights", "input", "output", "inputs", "outputs");


    private final ClassName text;

    TextWriter(ClassName forwardClass) {
        this.text = forwardClass.nestedClass("Text");
    }

    /** {@code if (variable == null) throw Text.isNull(argument);} */
    CodeBlock nullCheck(String variable, int argument) {
        return CodeBlock.builder()
                .beginControlFlow("if ($L == null)", variable)
                .addStatement("throw $T.isNull($L)", text, argument)
                .endControlFlow()
                .build();
    }

    /** {@code throw Text.<method>(<arguments>);} */
    CodeBlock raise(String method, String arguments) {
        return CodeBlock.builder().addStatement("throw $T.$L($L)", text, method, arguments).build();
    }

    /** An expression: the name of {@code forwardByLayer}'s step {@code step}. */
    CodeBlock stepName(int step) {
        return CodeBlock.of("$T.step($L)", text, step);
    }

    /** An expression: the summary text. */
    CodeBlock summary() {
        return CodeBlock.of("$T.summary()", text);
    }

    /**
     * The class: the exceptions' factories (messages as they were written inline before), the summary
     * in parts of bounded size, and the step names.
     */
    TypeSpec type(Network network, List<String> summaryLines, List<String> stepNames) {
        String model = network.modelName();
        int in = network.input().size();
        int out = network.output().size();
        TypeSpec.Builder type = TypeSpec.classBuilder(text)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The text of this class and of {@link Batch}: kept out of their constant pools, which HotSpot\n"
                        + "resolves whole (allocating every string) in the thread that first has C2 compile one of their\n"
                        + "methods, a caller of {@code forward}. Loaded only when a message, the summary or\n"
                        + "{@code forwardByLayer} needs it.\n")
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        type.addMethod(factory("isNull", NullPointerException.class,
                CodeBlock.of("new String[] {$L}[argument]", String.join(", ",
                        ARGUMENTS.stream().map(a -> CodeBlock.of("$S", a).toString()).toList())), "argument"));
        type.addMethod(factory("inputLength", IllegalArgumentException.class,
                CodeBlock.of("$S + length + $S", "input has ",
                        " values; " + model + " expects " + in + " (" + network.input() + ")"), "length"));
        type.addMethod(factory("outputLength", IllegalArgumentException.class,
                CodeBlock.of("$S + length + $S", "output has ",
                        " values; " + model + " produces " + out + " (" + network.output() + ")"), "length"));
        type.addMethod(factory("sameArrays", IllegalArgumentException.class,
                CodeBlock.of("$S", "input and output must be different arrays")));
        type.addMethod(factory("inputMustHold", IllegalArgumentException.class,
                CodeBlock.of("$S + length", "input must hold " + in + " values, got "), "length"));
        type.addMethod(factory("negativeCount", IllegalArgumentException.class,
                CodeBlock.of("$S + count", "count must be 0 or more, got "), "count"));
        type.addMethod(factory("inputsLength", IllegalArgumentException.class,
                CodeBlock.of("$S + length + $S + count + $S + (long) count * $L", "inputs has ", " values; ",
                        " inputs of " + in + " need ", in), "length", "count"));
        type.addMethod(factory("outputsLength", IllegalArgumentException.class,
                CodeBlock.of("$S + length + $S + count + $S + (long) count * $L", "outputs has ", " values; ",
                        " outputs of " + out + " need ", out), "length", "count"));
        type.addMethod(factory("sameBatchArrays", IllegalArgumentException.class,
                CodeBlock.of("$S", "inputs and outputs must be different arrays")));

        List<CodeBlock> appends = new ArrayList<>();
        for (String line : summaryLines) {
            appends.add(CodeBlock.builder().addStatement("text.append($S).append('\\n')", line).build());
        }
        List<MethodSpec> parts = ForwardWriter.split("summaryPart", appends,
                List.of(ParameterSpec.builder(ClassName.get(StringBuilder.class), "text").build()), true, null);
        MethodSpec.Builder summary = MethodSpec.methodBuilder("summary")
                .addModifiers(Modifier.STATIC)
                .returns(String.class)
                .addStatement("$T text = new $T()", StringBuilder.class, StringBuilder.class);
        for (MethodSpec part : parts) {
            summary.addStatement("$N(text)", part);
        }
        type.addMethod(summary.addStatement("return text.toString()").build());
        type.addMethods(parts);

        // the step names, one per line ('\n' cannot be in a layer name), in constants of bounded size
        List<String> chunks = chunks(stepNames.stream().map(name -> name + "\n").toList());
        CodeBlock.Builder joined = CodeBlock.builder();
        for (int c = 0; c < chunks.size(); c++) {
            joined.add(c == 0 ? "$S" : ", $S", chunks.get(c));
        }
        type.addField(FieldSpec.builder(ArrayTypeName.of(String.class), "STEPS", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL)
                .initializer("String.join($S, $L).split($S)", "", joined.build(), "\n")
                .build());
        type.addMethod(MethodSpec.methodBuilder("step")
                .addModifiers(Modifier.STATIC)
                .returns(String.class)
                .addParameter(TypeName.INT, "step")
                .addStatement("return STEPS[step]")
                .build());
        return type.build();
    }

    /**
     * {@code pieces} joined into strings of a little over 8,000 chars at most, each well inside a class
     * file's 65,535-byte constant (names are Java identifiers: at most 3 bytes a char); a piece is
     * never split.
     */
    static List<String> chunks(List<String> pieces) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String piece : pieces) {
            chunk.append(piece);
            if (chunk.length() > 8_000) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
            }
        }
        chunks.add(chunk.toString());
        return chunks;
    }

    /** {@code static <exception> <name>(int <ints>...) { return new <exception>(<message>); }} */
    private static MethodSpec factory(String name, Class<? extends RuntimeException> exception, CodeBlock message,
                                      String... ints) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.STATIC)
                .returns(exception);
        for (String parameter : ints) {
            method.addParameter(TypeName.INT, parameter);
        }
        return method.addStatement("return new $T($L)", exception, message).build();
    }
}
