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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * and the runtime alone: magic {@code NFW3}, the parameter count and values, the golden input and
 * output (lengths, then values; 0 when absent), the files it was made from (a count, then for each
 * the UTF-8 length and bytes of its absolute path, empty when the compiler gave no file, its size, its
 * last-modified time in milliseconds (-1 when unknown) and its 32-byte SHA-256:
 * {@code dev.netforge.runtime.StaleWeightsCheck} reads them to tell a stale bundle at load time), all
 * big-endian, then a CRC-32 of everything before it.
 *
 * <p>Files are looked up in {@code -Anetforge.weightsDir} first (when given), then on the source
 * path, the class output and the class path.
 */
public final class WeightBundler {
    public static final int MAGIC = 0x4E465733; // "NFW3"

    private WeightBundler() {
    }

    /** A problem with the weights, on a layer (its index) or, with {@code layerIndex -1}, on the model. */
    public record Problem(int layerIndex, String attribute, String message) {
    }

    /**
     * A file the bundle was made from: its absolute path, or "" when the compiler gave no file (an
     * in-memory or jar entry), its size, its last-modified time (milliseconds since the epoch, -1 when
     * unknown) and its SHA-256.
     */
    public record Source(String path, long size, long modified, byte[] sha256) {
    }

    /** The bundle to write, or the problems found. */
    public record Outcome(float[] parameters, float[] goldenInput, float[] goldenOutput, List<String> skipped,
                          List<Source> sources, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * A file's contents, where they came from, and its last-modified time taken before they were read
     * (a change while they are read then shows as a later time, which makes the load-time check hash).
     */
    private record Found(byte[] bytes, String path, long modified) {
        Source source() {
            try {
                return new Source(path, bytes.length, modified, MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * @param weightsDir {@code -Anetforge.weightsDir}, absolute, or null: looked in first, as
     *                   {@code <dir>/<package path>/<name>} ({@code <dir>/<name>} for an absolute name)
     */
    public static Outcome load(Filer filer, Path weightsDir, String packageName, String weights, String golden,
                               Network network, List<LayerDeclaration> declarations) {
        List<Problem> problems = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        Found found = read(filer, weightsDir, packageName, weights);
        if (found == null) {
            problems.add(new Problem(-1, "weights", "weights \"" + weights + "\" not found " + whereLooked(weightsDir,
                    packageName, weights) + "; Maven: put it in src/main/resources/" + packageDirectory(packageName,
                    weights) + " (packaged in the jar), or keep it out of the jar in a directory named by"
                    + " -Anetforge.weightsDir=<dir> (as <dir>/" + packageDirectory(packageName, weights) + "), or name"
                    + " it absolutely with a leading /"));
            return new Outcome(null, null, null, List.of(), List.of(), problems);
        }
        byte[] bytes = found.bytes();
        sources.add(found.source());
        ImportedModel model;
        try {
            model = Importer.read(bytes, weights);
        } catch (WeightFormatException e) {
            problems.add(new Problem(-1, "weights", "cannot read weights \"" + weights + "\": " + e.getMessage()));
            return new Outcome(null, null, null, List.of(), List.of(), problems);
        } catch (RuntimeException e) {
            problems.add(new Problem(-1, "weights", "cannot read weights \"" + weights + "\": " + e));
            return new Outcome(null, null, null, List.of(), List.of(), problems);
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
            Found input = read(filer, weightsDir, packageName, golden + "-input.f32");
            Found output = read(filer, weightsDir, packageName, golden + "-output.f32");
            goldenInput = input == null ? null : floats(input.bytes());
            goldenOutput = output == null ? null : floats(output.bytes());
            if (input != null && output != null) {
                sources.add(input.source());
                sources.add(output.source());
            }
            if (goldenInput == null || goldenOutput == null) {
                problems.add(new Problem(-1, "golden", "golden files \"" + golden + "-input.f32\" and \"" + golden
                        + "-output.f32\" (raw little-endian float32) not found " + whereLooked(weightsDir, packageName,
                        golden + "-input.f32")));
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
        return new Outcome(result.parameters(), goldenInput, goldenOutput, result.skipped(), List.copyOf(sources),
                problems);
    }

    /** The file's last-modified time in milliseconds, or -1 when there is no file or it cannot be read. */
    private static long modified(String path) {
        if (path.isEmpty()) {
            return -1;
        }
        try {
            return Files.getLastModifiedTime(Path.of(path)).toMillis();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
        data.writeInt(outcome.sources().size());
        for (Source source : outcome.sources()) {
            byte[] path = source.path().getBytes(StandardCharsets.UTF_8);
            data.writeInt(path.length);
            data.write(path);
            data.writeLong(source.size());
            data.writeLong(source.modified());
            data.write(source.sha256());
        }
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

    /**
     * A resource relative to the package (or absolute with a leading '/'), from the first location that
     * has it: the weights directory, the source path, the class output, the class path.
     */
    private static Found read(Filer filer, Path weightsDir, String packageName, String name) {
        String pkg = name.startsWith("/") ? "" : packageName;
        String relative = name.startsWith("/") ? name.substring(1) : name;
        if (weightsDir != null) {
            Path file = inWeightsDir(weightsDir, pkg, relative);
            if (Files.isRegularFile(file)) {
                try {
                    String path = file.toAbsolutePath().normalize().toString();
                    long modified = modified(path);
                    return new Found(Files.readAllBytes(file), path, modified);
                } catch (IOException e) {
                    // unreadable: try the other locations
                }
            }
        }
        for (StandardLocation location : List.of(StandardLocation.SOURCE_PATH, StandardLocation.CLASS_OUTPUT,
                StandardLocation.CLASS_PATH)) {
            try {
                FileObject file = filer.getResource(location, pkg, relative);
                String path = path(file.toUri());
                long modified = modified(path);
                try (InputStream in = file.openInputStream()) {
                    return new Found(in.readAllBytes(), path, modified);
                }
            } catch (IOException | IllegalArgumentException e) {
                // not in this location; try the next
            }
        }
        return null;
    }

    private static Path inWeightsDir(Path weightsDir, String pkg, String relative) {
        return (pkg.isEmpty() ? weightsDir : weightsDir.resolve(pkg.replace('.', '/'))).resolve(relative).normalize();
    }

    /** The absolute path of a {@code file:} URI, else "" (nothing to check later). */
    static String path(URI uri) {
        if (uri == null || !"file".equalsIgnoreCase(uri.getScheme())) {
            return "";
        }
        try {
            return Path.of(uri).toAbsolutePath().normalize().toString();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException | SecurityException e) {
            return "";
        }
    }

    /** Where a file was looked for, for a message: "as a resource of package 'p' on ...". */
    private static String whereLooked(Path weightsDir, String packageName, String name) {
        String pkg = name.startsWith("/") ? "" : packageName;
        String relative = name.startsWith("/") ? name.substring(1) : name;
        String resource = (name.startsWith("/") ? "as the resource " + name : pkg.isEmpty()
                ? "as a resource of the unnamed package" : "as a resource of package '" + pkg + "'")
                + " on the source path, the class output or the class path";
        if (weightsDir == null) {
            return resource;
        }
        return "as " + inWeightsDir(weightsDir, pkg, relative) + " (-Anetforge.weightsDir"
                + (Files.isDirectory(weightsDir) ? "" : ", a directory that does not exist") + ") nor " + resource;
    }

    /** "a/b/" for package a.b and a relative name, "" for the unnamed package or an absolute name. */
    private static String packageDirectory(String packageName, String name) {
        if (name.startsWith("/")) {
            String relative = name.substring(1);
            int slash = relative.lastIndexOf('/');
            return slash < 0 ? "" : relative.substring(0, slash + 1);
        }
        return packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
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
