package dev.netforge.processor.weights;

import dev.netforge.importer.ImportedModel;
import dev.netforge.importer.Importer;
import dev.netforge.importer.WeightFormatException;
import dev.netforge.importer.ModelMatcher;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.Network;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Compile-time weights: reads the trained model named by {@code @Model(weights = ...)}, fits it to
 * the validated network (every mismatch is a problem on the layer it concerns), and writes the
 * parameter vector, with the optional golden input and output, as a class-path resource beside the
 * generated class. The resource format is NetForge's own and read by generated code with the JDK
 * alone: magic {@code NFW1}, the parameter count and values, the golden input and output (lengths,
 * then values; 0 when absent), all big-endian, then a CRC-32 of everything before it.
 */
public final class WeightBundler {
    public static final int MAGIC = 0x4E465731; // "NFW1"

    private WeightBundler() {
    }

    /** A problem with the weights, on a layer (its index) or, with {@code layerIndex -1}, on the model. */
    public record Problem(int layerIndex, String attribute, String message) {
    }

    /** The bundle to write, or the problems found. */
    public record Outcome(float[] parameters, float[] goldenInput, float[] goldenOutput, List<String> skipped,
                          List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Outcome load(Filer filer, String packageName, String weights, String golden, Network network,
                               List<LayerDeclaration> declarations) {
        List<Problem> problems = new ArrayList<>();
        byte[] bytes = read(filer, packageName, weights);
        if (bytes == null) {
            problems.add(new Problem(-1, "weights", "weights \"" + weights + "\" not found as a resource of package '"
                    + packageName + "' on the source path, the class output or the class path (Maven: put it in"
                    + " src/main/resources/" + packageName.replace('.', '/') + "/, or name it absolutely with a leading /)"));
            return new Outcome(null, null, null, List.of(), problems);
        }
        ImportedModel model;
        try {
            model = Importer.read(bytes, weights);
        } catch (WeightFormatException e) {
            problems.add(new Problem(-1, "weights", "cannot read weights \"" + weights + "\": " + e.getMessage()));
            return new Outcome(null, null, null, List.of(), problems);
        } catch (RuntimeException e) {
            problems.add(new Problem(-1, "weights", "cannot read weights \"" + weights + "\": " + e));
            return new Outcome(null, null, null, List.of(), problems);
        }
        int[] fileInput = model.inputShape();
        if (fileInput != null && !Arrays.equals(fileInput, network.input().dims())) {
            problems.add(new Problem(-1, "input", "input " + network.input() + " does not match the input of \""
                    + weights + "\": " + Arrays.toString(fileInput)));
        }
        ModelMatcher.Result result = ModelMatcher.match(network.modelName(),
                DeclaredLayers.of(declarations, network.layers()), network.inputs(), model, weights);
        for (ModelMatcher.Mismatch mismatch : result.mismatches()) {
            int index = mismatch.index();
            String attribute = index < 0 ? "weights"
                    : DeclaredLayers.annotationAttribute(declarations.get(index), mismatch.attribute());
            problems.add(new Problem(index, attribute, mismatch.message()));
        }
        float[] goldenInput = null, goldenOutput = null;
        if (!golden.isEmpty()) {
            goldenInput = floats(read(filer, packageName, golden + "-input.f32"));
            goldenOutput = floats(read(filer, packageName, golden + "-output.f32"));
            if (goldenInput == null || goldenOutput == null) {
                problems.add(new Problem(-1, "golden", "golden files \"" + golden + "-input.f32\" and \"" + golden
                        + "-output.f32\" not found beside the weights (raw little-endian float32)"));
            } else if (goldenInput.length != network.input().size() || goldenOutput.length != network.output().size()) {
                problems.add(new Problem(-1, "golden", "golden files hold " + goldenInput.length + " inputs and "
                        + goldenOutput.length + " outputs; the model takes " + network.input().size() + " and gives "
                        + network.output().size()));
            }
        }
        if (problems.isEmpty() && goldenInput != null) {
            String failure = GoldenCheck.check(network.input().dims(), declarations, network.inputs(),
                    result.parameters(), goldenInput, goldenOutput);
            if (failure != null) {
                problems.add(new Problem(-1, "golden", failure + " (weights \"" + weights + "\", golden \"" + golden
                        + "\")"));
            }
        }
        return new Outcome(result.parameters(), goldenInput, goldenOutput, result.skipped(), problems);
    }

    /** Writes the bundle next to the generated class; returns the resource's simple name. */
    public static String write(Filer filer, Network network, Outcome outcome, Element origin) throws IOException {
        String name = network.forwardClassName() + ".weights";
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(buffer);
        data.writeInt(MAGIC);
        writeFloats(data, outcome.parameters());
        writeFloats(data, outcome.goldenInput() == null ? new float[0] : outcome.goldenInput());
        writeFloats(data, outcome.goldenOutput() == null ? new float[0] : outcome.goldenOutput());
        data.flush();
        CRC32 crc = new CRC32();
        crc.update(buffer.toByteArray());
        data.writeLong(crc.getValue());
        FileObject resource = filer.createResource(StandardLocation.CLASS_OUTPUT, network.packageName(), name, origin);
        try (OutputStream out = resource.openOutputStream()) {
            buffer.writeTo(out);
        }
        return name;
    }

    private static void writeFloats(DataOutputStream data, float[] values) throws IOException {
        data.writeInt(values.length);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        data.write(bytes.array());
    }

    /** A resource relative to the package (or absolute with a leading '/'), from the first location that has it. */
    private static byte[] read(Filer filer, String packageName, String name) {
        String pkg = name.startsWith("/") ? "" : packageName;
        String relative = name.startsWith("/") ? name.substring(1) : name;
        for (StandardLocation location : List.of(StandardLocation.SOURCE_PATH, StandardLocation.CLASS_OUTPUT,
                StandardLocation.CLASS_PATH)) {
            try {
                FileObject file = filer.getResource(location, pkg, relative);
                try (InputStream in = file.openInputStream()) {
                    return in.readAllBytes();
                }
            } catch (IOException | IllegalArgumentException e) {
                // not in this location; try the next
            }
        }
        return null;
    }

    private static float[] floats(byte[] bytes) {
        if (bytes == null || bytes.length % Float.BYTES != 0) {
            return null;
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
