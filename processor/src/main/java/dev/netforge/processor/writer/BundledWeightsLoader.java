package dev.netforge.processor.writer;

import dev.netforge.processor.weights.WeightBundler;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.netforge.processor.writer.ForwardWriter.Bundle;
import javax.lang.model.element.Modifier;

/**
 * The code that reads weights bundled at compile time ({@code WeightBundler}'s format) with the
 * JDK and the runtime's {@code StaleWeightsCheck}, checks the CRC and lengths, that the files the
 * bundle was made from have not changed since (where they exist), and runs the golden check when
 * there is one. Loaded once,
 * lazily (double-checked on a volatile field); a load that fails is retried, and fails with its
 * message, on every call.
 */
final class BundledWeightsLoader {
    private static final ClassName STALE_CHECK = ClassName.get("dev.netforge.runtime", "StaleWeightsCheck");

    private BundledWeightsLoader() {
    }

    static void addTo(TypeSpec.Builder weights, ClassName forwardClass, ClassName weightsClass, Bundle bundle) {
        // Not a holder class: a failed load must fail again, with its message, on every attempt (a
        // static initializer that throws leaves only NoClassDefFoundError for the later ones).
        weights.addField(com.palantir.javapoet.FieldSpec.builder(weightsClass, "bundled", Modifier.PRIVATE,
                Modifier.STATIC, Modifier.VOLATILE).build());
        weights.addMethod(MethodSpec.methodBuilder("bundled")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The weights bundled at compile time from {@code @Model(weights = ...)}, read once from the\n"
                        + "class-path resource {@code $L}$L.\n\n"
                        + "<p>The bundle records the absolute path, size, last-modified time and SHA-256 of each file it\n"
                        + "was made from. Where such a file exists (a developer's machine or CI; on a production machine\n"
                        + "it is absent and nothing is checked), it must be unchanged (hashed unless its size and time are\n"
                        + "those recorded): a build tool's incremental compile does not see a replaced weights or golden\n"
                        + "file, and would otherwise keep these weights silently. Run with {@code -D$L=false} to skip\n"
                        + "that check.\n\n"
                        + "@throws IllegalStateException if the resource is missing or damaged, if a file it was made from\n"
                        + "    has changed since (the bundled weights are stale: recompile the model)$L; again on every\n"
                        + "    call\n",
                        bundle.resource(), bundle.golden() ? " and checked against the golden input and output" : "",
                        "netforge.staleCheck",
                        bundle.golden() ? ", or the golden check fails" : "")
                .returns(weightsClass)
                .addStatement("$T weights = bundled", weightsClass)
                .beginControlFlow("if (weights == null)")
                .beginControlFlow("synchronized ($T.class)", weightsClass)
                .addStatement("weights = bundled")
                .beginControlFlow("if (weights == null)")
                .addStatement("weights = loadBundled()")
                .addStatement("bundled = weights")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addStatement("return weights")
                .build());
        MethodSpec.Builder load = MethodSpec.methodBuilder("loadBundled")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(weightsClass)
                .addStatement("byte[] bytes")
                .beginControlFlow("try ($T in = $T.class.getResourceAsStream($S))", java.io.InputStream.class,
                        forwardClass, bundle.resource())
                .beginControlFlow("if (in == null)")
                .addStatement("throw new IllegalStateException($S)", "bundled weights " + bundle.resource()
                        + " not found beside " + forwardClass.simpleName() + ".class")
                .endControlFlow()
                .addStatement("bytes = in.readAllBytes()")
                .nextControlFlow("catch ($T e)", java.io.IOException.class)
                .addStatement("throw new IllegalStateException($S, e)", "cannot read bundled weights " + bundle.resource())
                .endControlFlow()
                .addStatement("$T buffer = $T.wrap(bytes)", java.nio.ByteBuffer.class, java.nio.ByteBuffer.class)
                .addStatement("$T crc = new $T()", java.util.zip.CRC32.class, java.util.zip.CRC32.class)
                .beginControlFlow("if (bytes.length < 24)")
                .addStatement("throw new IllegalStateException($S + bytes.length + $S)", "bundled weights are ",
                        " bytes long: damaged")
                .endControlFlow()
                .addStatement("crc.update(bytes, 0, bytes.length - 8)")
                .beginControlFlow("if (buffer.getInt() != $L || crc.getValue() != buffer.getLong(bytes.length - 8))",
                        String.format("0x%08X", WeightBundler.MAGIC))
                .addStatement("throw new IllegalStateException($S)", "bundled weights " + bundle.resource()
                        + " are damaged (bad magic or checksum); rebuild")
                .endControlFlow()
                .addStatement("float[] parameters = readFloats(buffer, bytes.length)")
                .addStatement("float[] goldenInput = readFloats(buffer, bytes.length)")
                .addStatement("float[] goldenOutput = readFloats(buffer, bytes.length)")
                .addStatement("$T.check(buffer, bytes.length - 8, $S, $S)", STALE_CHECK,
                        forwardClass.simpleName(), bundle.modelFile())
                .addStatement("$T weights = of(parameters)", weightsClass);
        if (bundle.golden()) {
            load.addStatement("float[] actual = new float[OUTPUT_SIZE]")
                    .addStatement("new $T(weights).forward(goldenInput, actual)", forwardClass)
                    .beginControlFlow("for (int i = 0; i < actual.length; i++)")
                    .beginControlFlow("if (!(Math.abs(actual[i] - goldenOutput[i]) <= 1e-4f))")
                    .addStatement("throw new IllegalStateException($S + i + $S + actual[i] + $S + goldenOutput[i]"
                            + " + $S)", "golden check failed: output ", " is ", ", the training framework gave ",
                            "; the weights were not imported as they were trained")
                    .endControlFlow()
                    .endControlFlow();
        } else {
            load.addStatement("assert goldenInput.length == 0 && goldenOutput.length == 0");
        }
        weights.addMethod(load.addStatement("return weights").build());
        weights.addMethod(MethodSpec.methodBuilder("readFloats")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(float[].class)
                .addParameter(java.nio.ByteBuffer.class, "buffer")
                .addParameter(int.class, "length")
                .addStatement("int count = buffer.getInt()")
                .beginControlFlow("if (count < 0 || count > (length - 8 - buffer.position()) / 4)")
                .addStatement("throw new IllegalStateException($S + count + $S)", "bundled weights declare ",
                        " values past their end: damaged")
                .endControlFlow()
                .addStatement("float[] values = new float[count]")
                .addStatement("buffer.asFloatBuffer().get(values)")
                .addStatement("buffer.position(buffer.position() + count * 4)")
                .addStatement("return values")
                .build());
    }
}
