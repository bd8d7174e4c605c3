package dev.netforge.importer;

import dev.netforge.importer.json.Json;
import io.jhdf.HdfFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Variants of the real Keras and ONNX files of the test resources, as a user gets them by editing
 * and re-saving a trained model: a layer inserted into the configuration, an attribute changed.
 * The trained weights are the file's own. Keras 2 {@code .h5} variants are written anew with
 * jHDF's writer (configuration and weights); Keras 3 {@code .keras} variants keep the archive's
 * {@code model.weights.h5} as it is and change {@code config.json}.
 *
 * <p>Public for the processor's tests (the importer's test jar).
 */
public final class RealFileVariants {
    private RealFileVariants() {
    }

    /** The real file {@code folder/file} of the Keras models in the test resources. */
    public static Path kerasModel(String folder, String file) {
        return resource("keras-models/" + folder + "/" + file);
    }

    /** The real Fashion-MNIST ONNX file. */
    public static Path fashionOnnx() {
        return resource(TestFiles.ONNX);
    }

    /** A test resource as a file: copied out when it is read from the test jar. */
    private static Path resource(String name) {
        java.net.URL url = RealFileVariants.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        if (url.getProtocol().equals("file")) {
            return TestFiles.path(name);
        }
        try (java.io.InputStream in = url.openStream()) {
            Path dir = Files.createTempDirectory("netforge-real-files");
            Path file = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
            Files.copy(in, file);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A layer configuration as Keras writes it: {@code {"class_name": ..., "config": {"name": ..., ...}}}. */
    public static Map<String, Object> layer(String className, String name, Object... keyValues) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("trainable", true);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("class_name", className);
        layer.put("config", config);
        return layer;
    }

    /** Inserts {@code layer} after the file's layer named {@code after}. */
    public static Consumer<List<Map<String, Object>>> insertAfter(String after, Map<String, Object> layer) {
        return layers -> layers.add(indexOf(layers, after) + 1, layer);
    }

    /** Sets attribute {@code key} of the file's layer {@code name}. */
    public static Consumer<List<Map<String, Object>>> set(String name, String key, Object value) {
        return layers -> config(layers.get(indexOf(layers, name))).put(key, value);
    }

    /** Makes the file's layer {@code name} take {@code to} where it took {@code from} (a functional model). */
    public static Consumer<List<Map<String, Object>>> rewire(String name, String from, String to) {
        return layers -> {
            Map<String, Object> layer = layers.get(indexOf(layers, name));
            layer.put("inbound_nodes", replaced(layer.get("inbound_nodes"), from, to));
        };
    }

    private static Object replaced(Object v, String from, String to) {
        if (v instanceof String s) {
            return s.equals(from) ? to : s;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, replaced(x, from, to)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(replaced(x, from, to)));
            return out;
        }
        return v;
    }

    /**
     * The bytes of a variant of a real Keras file ({@code .h5} or {@code .keras}) whose layer list is
     * changed by {@code edit}.
     */
    public static byte[] keras(Path real, Consumer<List<Map<String, Object>>> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(real);
        if (ZipArchive.looksLikeZip(bytes)) {
            return kerasZip(bytes, edit);
        }
        return kerasH5(real, edit);
    }

    private static byte[] kerasH5(Path real, Consumer<List<Map<String, Object>>> edit) throws IOException {
        String configText;
        String version;
        try (HdfFile h5 = new HdfFile(real)) {
            configText = (String) h5.getAttribute("model_config").getData();
            version = (String) h5.getAttribute("keras_version").getData();
        }
        Map<String, Object> config = parse(configText);
        edit.accept(layers(config));
        Map<String, List<SyntheticKeras.W>> weights = new LinkedHashMap<>();
        for (ImportedLayer layer : KerasReader.read(real).layers()) {
            if (!layer.weights().isEmpty()) {
                List<SyntheticKeras.W> ws = new ArrayList<>();
                for (Tensor t : layer.weights()) {
                    ws.add(new SyntheticKeras.W(t.name(), t.shape(), t.data()));
                }
                weights.put(layer.name(), ws);
            }
        }
        return SyntheticKeras.legacyH5(write(config), version, weights, (layer, weight) -> layer + "/" + weight + ":0");
    }

    private static byte[] kerasZip(byte[] bytes, Consumer<List<Map<String, Object>>> edit) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        Map<String, Object> config = parse(new String(entries.get("config.json"), StandardCharsets.UTF_8));
        edit.accept(layers(config));
        Map<String, Object> metadata = parse(new String(entries.get("metadata.json"), StandardCharsets.UTF_8));
        return SyntheticKeras.kerasZip(write(config), (String) metadata.get("keras_version"),
                entries.get("model.weights.h5"), true);
    }

    /**
     * The real Fashion-MNIST ONNX file with the operator of its first {@code from} node replaced by
     * {@code to} (same length, so the protobuf stays well-formed): a changed attribute of a real file.
     */
    public static byte[] onnxWithOperator(String from, String to) throws IOException {
        if (from.length() != to.length() || from.length() > 127) {
            throw new IllegalArgumentException("operators of the same short length only");
        }
        byte[] bytes = Files.readAllBytes(fashionOnnx());
        byte[] pattern = ("" + (char) 0x22 + (char) from.length() + from).getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            boolean match = true;
            for (int k = 0; match && k < pattern.length; k++) {
                match = bytes[i + k] == pattern[k];
            }
            if (match) { // NodeProto.op_type is field 4, length-delimited: tag 0x22
                byte[] replacement = to.getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(replacement, 0, bytes, i + 2, replacement.length);
                return bytes;
            }
        }
        throw new IllegalArgumentException("no " + from + " node in the file");
    }

    /**
     * The real Fashion-MNIST ONNX file with one node more: after the first {@code afterOp} node, a
     * node {@code newOp} named {@code name} that reads its output and feeds what it fed (the graph is
     * re-encoded; everything else is kept byte for byte).
     */
    public static byte[] onnxWithExtraNode(String afterOp, String newOp, String name) throws IOException {
        List<Field> model = fields(Files.readAllBytes(fashionOnnx()));
        for (int m = 0; m < model.size(); m++) {
            if (model.get(m).number() != 7) { // ModelProto.graph
                continue;
            }
            List<Field> graph = fields(model.get(m).payload());
            int at = -1;
            String produced = null;
            for (int g = 0; g < graph.size() && at < 0; g++) {
                if (graph.get(g).number() == 1 && afterOp.equals(string(fields(graph.get(g).payload()), 4))) {
                    at = g;
                    produced = string(fields(graph.get(g).payload()), 2);
                }
            }
            if (at < 0) {
                throw new IllegalArgumentException("no " + afterOp + " node");
            }
            String rerouted = produced + "_" + name;
            for (int g = 0; g < graph.size(); g++) { // the readers of the node's output now read the new node's
                if (graph.get(g).number() == 1) {
                    List<Field> node = fields(graph.get(g).payload());
                    for (int k = 0; k < node.size(); k++) {
                        if (node.get(k).number() == 1 && produced.equals(new String(node.get(k).payload(),
                                StandardCharsets.UTF_8))) {
                            node.set(k, Field.len(1, rerouted.getBytes(StandardCharsets.UTF_8)));
                        }
                    }
                    graph.set(g, Field.len(1, encode(node)));
                }
            }
            List<Field> extra = List.of(Field.len(1, produced.getBytes(StandardCharsets.UTF_8)),
                    Field.len(2, rerouted.getBytes(StandardCharsets.UTF_8)),
                    Field.len(3, name.getBytes(StandardCharsets.UTF_8)),
                    Field.len(4, newOp.getBytes(StandardCharsets.UTF_8)));
            graph.add(at + 1, Field.len(1, encode(extra)));
            model.set(m, Field.len(7, encode(graph)));
            return encode(model);
        }
        throw new IllegalArgumentException("no graph");
    }

    /** One protobuf field: its number, wire type and the bytes of its value (a LEN field's payload). */
    private record Field(int number, int wire, byte[] payload) {
        static Field len(int number, byte[] payload) {
            return new Field(number, 2, payload);
        }
    }

    private static List<Field> fields(byte[] bytes) {
        List<Field> out = new ArrayList<>();
        int[] at = {0};
        while (at[0] < bytes.length) {
            long tag = varint(bytes, at);
            int wire = (int) (tag & 7);
            int start = at[0];
            byte[] payload;
            switch (wire) {
                case 0 -> {
                    varint(bytes, at);
                    payload = java.util.Arrays.copyOfRange(bytes, start, at[0]);
                }
                case 1 -> {
                    at[0] += 8;
                    payload = java.util.Arrays.copyOfRange(bytes, start, at[0]);
                }
                case 5 -> {
                    at[0] += 4;
                    payload = java.util.Arrays.copyOfRange(bytes, start, at[0]);
                }
                case 2 -> {
                    int length = (int) varint(bytes, at);
                    payload = java.util.Arrays.copyOfRange(bytes, at[0], at[0] + length);
                    at[0] += length;
                }
                default -> throw new IllegalArgumentException("wire type " + wire);
            }
            out.add(new Field((int) (tag >>> 3), wire, payload));
        }
        return out;
    }

    private static long varint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    private static byte[] encode(List<Field> fields) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Field f : fields) {
            writeVarint(out, ((long) f.number() << 3) | f.wire());
            if (f.wire() == 2) {
                writeVarint(out, f.payload().length);
            }
            out.writeBytes(f.payload());
        }
        return out.toByteArray();
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static String string(List<Field> fields, int number) {
        for (Field f : fields) {
            if (f.number() == number) {
                return new String(f.payload(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ JSON in and out

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text) {
        try {
            return (Map<String, Object>) mutable(Json.parsePython(text));
        } catch (dev.netforge.importer.json.JsonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deep copy that can be edited (the parser's maps and lists are read-only). */
    private static Object mutable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, mutable(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(mutable(x)));
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> layers(Map<String, Object> root) {
        Object c = root.get("config");
        return (List<Map<String, Object>>) (c instanceof List<?> ? c : ((Map<String, Object>) c).get("layers"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> layer) {
        return (Map<String, Object>) layer.get("config");
    }

    private static int indexOf(List<Map<String, Object>> layers, String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (name.equals(config(layers.get(i)).get("name"))) {
                return i;
            }
        }
        throw new IllegalArgumentException("no layer " + name);
    }

    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            sb.append('"');
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sep);
                write(e.getKey(), sb);
                sb.append(": ");
                write(e.getValue(), sb);
                sep = ", ";
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            String sep = "";
            for (Object e : l) {
                sb.append(sep);
                write(e, sb);
                sep = ", ";
            }
            sb.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            throw new IllegalArgumentException("not JSON: " + v.getClass());
        }
    }

    /** Writes {@code bytes} to {@code dir/name} and returns the path. */
    public static Path save(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(Files.createDirectories(dir).resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
