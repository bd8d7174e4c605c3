package dev.netforge.importer;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small Keras-like files (legacy HDF5 and .keras zips) with jHDF's writer, for tests. */
final class SyntheticKeras {
    /** One stored weight: the name Keras would give it, its shape and data. */
    record W(String name, int[] shape, float[] data) {
    }

    private SyntheticKeras() {
    }

    /** Deterministic test data. */
    static float[] data(int n, int seed) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) Math.sin(seed * 1000 + i * 0.37) * (1 + seed);
        }
        return d;
    }

    static W w(String name, int seed, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return new W(name, shape, data(n, seed));
    }

    /** A flat C-order array as the nested Java array jHDF writes. */
    static Object nested(float[] flat, int[] shape) {
        if (shape.length == 1) {
            return flat.clone();
        }
        int inner = flat.length / shape[0];
        int[] rest = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        Object out = Array.newInstance(float.class, shape);
        for (int i = 0; i < shape[0]; i++) {
            float[] part = java.util.Arrays.copyOfRange(flat, i * inner, (i + 1) * inner);
            Array.set(out, i, nested(part, rest));
        }
        return out;
    }

    /**
     * A legacy .h5 file: {@code model_config}, {@code keras_version}, and model_weights/<layer> groups with
     * {@code weight_names}; {@code pathOf} maps (layer, weight name) to the stored name below the layer group.
     */
    static byte[] legacyH5(String config, String kerasVersion, Map<String, List<W>> weights,
                           java.util.function.BiFunction<String, String, String> pathOf) {
        return writeH5(f -> {
            f.putAttribute("model_config", config);
            f.putAttribute("keras_version", kerasVersion);
            f.putAttribute("backend", "tensorflow");
            WritableGroup mw = f.putGroup("model_weights");
            mw.putAttribute("layer_names", weights.keySet().toArray(new String[0]));
            for (Map.Entry<String, List<W>> e : weights.entrySet()) {
                WritableGroup g = mw.putGroup(e.getKey());
                List<String> names = new ArrayList<>();
                for (W w : e.getValue()) {
                    String path = pathOf.apply(e.getKey(), w.name);
                    names.add(path);
                    WritableGroup parent = g;
                    String[] parts = path.split("/");
                    for (int i = 0; i < parts.length - 1; i++) {
                        parent = parent.getChild(parts[i]) instanceof WritableGroup existing ? existing
                                : parent.putGroup(parts[i]);
                    }
                    parent.putDataset(parts[parts.length - 1], nested(w.data, w.shape));
                }
                g.putAttribute("weight_names", names.toArray(new String[0]));
            }
        });
    }

    /** A Keras 3 model.weights.h5: layers/<group>/vars/<i>, groups given in order. */
    static byte[] weightsH5(String root, Map<String, List<W>> groups) {
        return writeH5(f -> {
            WritableGroup layers = f.putGroup(root);
            for (Map.Entry<String, List<W>> e : groups.entrySet()) {
                WritableGroup vars = layers.putGroup(e.getKey()).putGroup("vars");
                for (int i = 0; i < e.getValue().size(); i++) {
                    W w = e.getValue().get(i);
                    vars.putDataset(Integer.toString(i), nested(w.data, w.shape));
                }
            }
            f.putGroup("optimizer").putGroup("vars").putDataset("0", new float[] {1f});
        });
    }

    /** A .keras zip of config.json, metadata.json and model.weights.h5. */
    static byte[] kerasZip(String config, String version, byte[] weightsH5, boolean deflate) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                Map<String, byte[]> entries = new LinkedHashMap<>();
                entries.put("metadata.json", ("{\"keras_version\": \"" + version + "\", \"date_saved\": \"x\"}")
                        .getBytes(StandardCharsets.UTF_8));
                entries.put("config.json", config.getBytes(StandardCharsets.UTF_8));
                entries.put("model.weights.h5", weightsH5);
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    ZipEntry z = new ZipEntry(e.getKey());
                    if (!deflate) {
                        z.setMethod(ZipEntry.STORED);
                        z.setSize(e.getValue().length);
                        CRC32 crc = new CRC32();
                        crc.update(e.getValue());
                        z.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(z);
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Filler {
        void fill(WritableHdfFile f);
    }

    static byte[] writeH5(Filler filler) {
        try {
            Path tmp = Files.createTempFile("netforge-synthetic", ".h5");
            try {
                try (WritableHdfFile f = HdfFile.write(tmp)) {
                    filler.fill(f);
                }
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
