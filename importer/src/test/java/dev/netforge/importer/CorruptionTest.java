package dev.netforge.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Truncated and bit-flipped copies of the real files must give a {@link WeightFormatException}, or
 * a successful read only where the flipped byte does not matter. How that is decided, per flipped
 * byte (the regions are found independently of the readers: with jHDF's view of the pristine file,
 * the JDK's zip reader, and a walk of the ONNX protobuf):
 * <ul>
 *   <li>Any exception other than {@code WeightFormatException}, or a read that does not finish
 *       within the timeout, fails the test.</li>
 *   <li>A read equal to the original (same layers, attributes and bit-identical weights) means the
 *       byte does not matter (optimizer state, training configuration, unused header fields,
 *       free space) — accepted everywhere except inside zip entries, which are CRC-32 protected
 *       and so must always be detected.</li>
 *   <li>Inside the raw bytes of a model weight: none of these formats has a checksum over weight
 *       values, so the read must succeed and differ from the original in exactly that one float,
 *       by exactly one bit — never anything else.</li>
 *   <li>Inside the 8-byte data address of a weight dataset's layout message (legacy HDF5 has no
 *       checksums on its metadata, and a moved address can still point inside the file): the read
 *       may succeed only with the same architecture and all other tensors bit-identical — the
 *       damage stays in that tensor. (A known limit of the format, reported, not hidden.)</li>
 *   <li>Inside the configuration — JSON or string metadata (model_config, keras_version and
 *       their attribute names; ONNX producer, node and tensor names, attribute names and values):
 *       a changed character or number is often still a valid configuration (a pool of 3 instead
 *       of 2 on an 11x11 input still gives 5x5), so the read may succeed only with a bit-identical
 *       parameter vector (shapes are checked against the configuration, so weights can never be
 *       misassigned); names, producer or attribute values may differ.</li>
 *   <li>Anywhere, a read that differs from the original only in the producer string (a flipped
 *       size or tag can shorten or drop {@code keras_version} or {@code producer_name}) is
 *       accepted: that string is informational and changes nothing NetForge computes.</li>
 *   <li>Anywhere else a successful read that differs from the original fails the test.</li>
 * </ul>
 * By default every byte of the first 2 KiB plus an even sample of the rest (about 1500 more flips
 * per file, and the first 64 bytes of every address and configuration field) is tried; {@code -Dnetforge.corruption.full=true} flips one bit in every byte of every file.
 */
class CorruptionTest {
    private static final boolean FULL = Boolean.getBoolean("netforge.corruption.full");
    private static final int SAMPLE = 1500;

    interface Reader {
        ImportedModel read(byte[] b, String name) throws WeightFormatException;
    }

    /** Byte ranges [start, end) of a file by what they hold. */
    static final class Regions {
        final List<long[]> weightData = new ArrayList<>();
        final List<long[]> addressFields = new ArrayList<>();
        final List<long[]> text = new ArrayList<>();
        final List<long[]> checksummed = new ArrayList<>();

        static boolean in(List<long[]> ranges, long p) {
            for (long[] r : ranges) {
                if (p >= r[0] && p < r[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void legacyKeras26() {
        runAll("kilj4eden_mnist", "mnist.h5", KerasReader::read, this::hdf5Regions);
    }

    @Test
    void legacyKeras215WithBatchNormalization() {
        runAll("erenaktuerk_cifar10_bn", "cifar10_cnn_model.h5", KerasReader::read, this::hdf5Regions);
    }

    @Test
    void keras3Zip() {
        runAll("moonflower_mnist_keras", "mnist_model.keras", KerasReader::read, this::zipRegions);
    }

    @Test
    void pytorchOnnx() {
        runAll(null, TestFiles.ONNX, OnnxReader::read, this::onnxRegions);
    }

    private interface RegionFinder {
        Regions find(byte[] b) throws Exception;
    }

    /** A hang in a reader fails the test instead of stalling the build. */
    private void runAll(String folder, String file, Reader reader, RegionFinder finder) {
        assertTimeoutPreemptively(FULL ? Duration.ofHours(12) : Duration.ofMinutes(10),
                () -> corrupt(folder, file, reader, finder));
    }

    private void corrupt(String folder, String file, Reader reader, RegionFinder finder) throws Exception {
        byte[] pristine = TestFiles.bytes(folder == null ? TestFiles.path(file) : TestFiles.keras(folder, file));
        String name = file.substring(file.lastIndexOf('/') + 1);
        ImportedModel original = reader.read(pristine, name);
        Regions regions = finder.find(pristine);
        assertTrue(!regions.weightData.isEmpty() || !regions.checksummed.isEmpty(), "regions found");

        List<Integer> cuts = truncationPoints(pristine.length, regions);
        for (int cut : cuts) {
            byte[] b = Arrays.copyOf(pristine, cut);
            try {
                reader.read(b, name);
                fail(name + " cut to " + cut + " of " + pristine.length + " bytes was read without an error");
            } catch (WeightFormatException e) {
                assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
            } catch (RuntimeException | Error e) {
                throw new AssertionError(name + " cut to " + cut + " bytes: " + e, e);
            }
        }

        Random random = new Random(42);
        List<int[]> flips = new ArrayList<>();
        for (int p : flipPositions(pristine.length, regions, random)) {
            flips.add(new int[] {p, random.nextInt(8)});
        }
        // the readers keep no state between calls, so the flips can run on all cores
        Map<String, Long> outcomes = new TreeMap<>(flips.parallelStream().map(f -> {
            byte[] b = pristine.clone();
            b[f[0]] ^= (byte) (1 << f[1]);
            return judge(reader, b, name, f[0], f[1], original, regions);
        }).collect(Collectors.groupingBy(o -> o, Collectors.counting())));
        System.out.println("[corruption] " + name + " (" + pristine.length + " bytes): " + cuts.size()
                + " truncations, all rejected; bit flips " + outcomes);
        assertEquals(cuts.size(), new TreeSet<>(cuts).size());
    }

    /** Returns the outcome category, or fails the test. */
    private static String judge(Reader reader, byte[] b, String name, int p, int bit, ImportedModel original,
                                Regions r) {
        String where = name + " with bit " + bit + " of byte " + p + " flipped";
        ImportedModel m;
        try {
            m = reader.read(b, name);
        } catch (WeightFormatException e) {
            if (!e.getMessage().startsWith(name + ": ")) {
                fail(where + ": message does not start with the file name: " + e.getMessage());
            }
            return "rejected";
        } catch (RuntimeException | Error e) {
            throw new AssertionError(where + ": " + e, e);
        }
        if (Regions.in(r.checksummed, p)) {
            fail(where + ": corruption inside a CRC-protected zip entry was not detected");
        }
        if (m.equals(original)) {
            return "no effect";
        }
        if (new ImportedModel(m.format(), original.producer(), m.inputShape(), m.layers()).equals(original)) {
            // e.g. a flipped size or tag shortens or drops keras_version / producer_name: informational only
            return "only the producer string changed";
        }
        float[] a = original.parameters();
        float[] c = m.parameters();
        if (Regions.in(r.weightData, p)) {
            if (!sameArchitecture(original, m) || a.length != c.length) {
                fail(where + " (weight data) changed the architecture:\n" + m);
            }
            int diffs = 0;
            for (int i = 0; i < a.length; i++) {
                int x = Float.floatToRawIntBits(a[i]) ^ Float.floatToRawIntBits(c[i]);
                if (x != 0) {
                    diffs++;
                    if (Integer.bitCount(x) != 1) {
                        fail(where + " (weight data): weight " + i + " differs in " + Integer.bitCount(x) + " bits");
                    }
                }
            }
            if (diffs != 1 || !m.format().equals(original.format()) || !m.producer().equals(original.producer())) {
                fail(where + " (weight data): " + diffs + " weights differ");
            }
            return "one weight bit changed (raw data)";
        }
        if (Regions.in(r.addressFields, p)) {
            if (!sameArchitecture(original, m)) {
                fail(where + " (data address) changed the architecture");
            }
            int changedTensors = 0;
            for (int i = 0; i < m.layers().size(); i++) {
                List<Tensor> x = original.layers().get(i).weights();
                List<Tensor> y = m.layers().get(i).weights();
                for (int t = 0; t < x.size(); t++) {
                    changedTensors += x.get(t).equals(y.get(t)) ? 0 : 1;
                }
            }
            if (changedTensors != 1) {
                fail(where + " (data address) changed " + changedTensors + " tensors");
            }
            return "one tensor moved (HDF5 data address, undetectable)";
        }
        if (Regions.in(r.text, p)) {
            if (TestFiles.firstDifference(a, c) != null) {
                fail(where + " (configuration) changed the weights: " + TestFiles.firstDifference(a, c) + "\n" + m);
            }
            return "configuration value changed, weights intact";
        }
        fail(where + ": read succeeded with a different result:\n" + m + "\noriginal:\n" + original);
        return null;
    }

    private static boolean sameArchitecture(ImportedModel a, ImportedModel b) {
        if (a.layers().size() != b.layers().size() || !Arrays.equals(a.inputShape(), b.inputShape())) {
            return false;
        }
        for (int i = 0; i < a.layers().size(); i++) {
            ImportedLayer x = a.layers().get(i);
            ImportedLayer y = b.layers().get(i);
            if (!new ImportedLayer(x.name(), x.kind(), x.attributes(), List.of())
                    .equals(new ImportedLayer(y.name(), y.kind(), y.attributes(), List.of()))
                    || x.weights().size() != y.weights().size()) {
                return false;
            }
            for (int t = 0; t < x.weights().size(); t++) {
                if (!Arrays.equals(x.weights().get(t).shape(), y.weights().get(t).shape())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Inside headers, inside each weight region, at fixed small sizes and spread over the file. */
    static List<Integer> truncationPoints(int length, Regions r) {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int c : new int[] {0, 1, 2, 3, 4, 7, 8, 9, 12, 16, 24, 32, 48, 50, 64, 96, 100, 128, 200, 256, 300,
                                512, 800, 1000, 1024, 1500, 2048, 3000, 4096, 8192, 10000, 16384, 50000}) {
            if (c < length) {
                cuts.add(c);
            }
        }
        for (int i = 1; i < 64; i++) {
            cuts.add((int) ((long) length * i / 64));
        }
        for (List<long[]> list : List.of(r.weightData, r.checksummed, r.text.subList(0, Math.min(10, r.text.size())))) {
            for (long[] range : list) {
                if (range[1] > range[0]) {
                    cuts.add((int) range[0] + 1);
                    cuts.add((int) ((range[0] + range[1]) / 2));
                    cuts.add((int) range[1] - 1);
                }
            }
        }
        for (int k = 1; k <= 8; k++) {
            cuts.add(length - k);
        }
        cuts.removeIf(c -> c < 0 || c >= length);
        return new ArrayList<>(cuts);
    }

    static List<Integer> flipPositions(int length, Regions r, Random random) {
        TreeSet<Integer> ps = new TreeSet<>();
        if (FULL) {
            for (int p = 0; p < length; p++) {
                ps.add(p);
            }
            return new ArrayList<>(ps);
        }
        for (int p = 0; p < Math.min(length, 2048); p++) {
            ps.add(p);
        }
        int stride = Math.max(1, (length - 2048) / SAMPLE);
        for (int p = 2048; p < length; p += stride) {
            ps.add(Math.min(length - 1, p + random.nextInt(stride)));
        }
        for (List<long[]> list : List.of(r.addressFields, r.text)) {
            for (long[] range : list) {
                for (long p = range[0]; p < range[1] && p < range[0] + 64; p++) {
                    ps.add((int) p);
                }
            }
        }
        return new ArrayList<>(ps);
    }

    // ------------------------------------------------------------------ regions, found independently

    /** Legacy HDF5: model weight data and their layout addresses through jHDF; root string attributes by search. */
    private Regions hdf5Regions(byte[] b) throws IOException {
        Regions r = new Regions();
        try (HdfFile f = HdfFile.fromBytes(b)) {
            collectHdf5(b, (Group) f.getChild("model_weights"), r);
            for (String attr : List.of("model_config", "keras_version", "backend", "training_config")) {
                if (f.getAttribute(attr) != null) {
                    addText(b, (String) f.getAttribute(attr).getData(), r); // the value
                    addText(b, attr, r); // and the attribute's name
                }
            }
        }
        return r;
    }

    private static void collectHdf5(byte[] b, Group g, Regions r) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Group sub) {
                collectHdf5(b, sub, r);
            } else if (n instanceof ContiguousDataset c && n instanceof Dataset d) {
                long start = c.getDataAddress();
                long size = d.getSizeInBytes();
                r.weightData.add(new long[] {start, start + size});
                byte[] pattern = new byte[16];
                for (int i = 0; i < 8; i++) {
                    pattern[i] = (byte) (start >>> (8 * i));
                    pattern[8 + i] = (byte) (size >>> (8 * i));
                }
                int at = indexOf(b, pattern, 0);
                if (at >= 0) {
                    r.addressFields.add(new long[] {at, at + 8});
                }
            } else {
                throw new IllegalStateException("the test expects contiguous datasets: " + n.getPath());
            }
        }
    }

    private static void addText(byte[] b, String text, Regions r) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(b, t, 0);
        if (at < 0) {
            throw new IllegalStateException("attribute text not found in the file");
        }
        r.text.add(new long[] {at, at + t.length});
    }

    /** Keras zip: every entry's stored data is CRC-checked (located via the JDK's zip reader + search). */
    private Regions zipRegions(byte[] b) throws IOException {
        Regions r = new Regions();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(b))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                byte[] data = z.readAllBytes();
                assertEquals(ZipEntry.STORED, e.getMethod(), "the test expects stored entries");
                int at = indexOf(b, data, 0);
                r.checksummed.add(new long[] {at, at + data.length});
            }
        }
        return r;
    }

    /** ONNX: raw_data of every initializer (ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto.raw_data = 9). */
    private Regions onnxRegions(byte[] b) throws WeightFormatException {
        Regions r = new Regions();
        ProtoReader m = new ProtoReader(b, 0, b.length, "test", "model");
        while (m.hasNext()) {
            if (m.next() != 7) {
                m.skip();
                continue;
            }
            ProtoReader g = m.message("graph");
            while (g.hasNext()) {
                int field = g.next();
                if (field == 5) {
                    ProtoReader t = g.message("initializer");
                    while (t.hasNext()) {
                        int tf = t.next();
                        if (tf == 9) {
                            int start = t.lengthDelimited("raw");
                            r.weightData.add(new long[] {start, t.position()});
                        } else if (tf == 8) {
                            int start = t.position();
                            t.skip();
                            r.text.add(new long[] {start, t.position()});
                        } else {
                            t.skip();
                        }
                    }
                } else if (field == 1) {
                    // node names and tensor names are strings: a changed character only renames
                    ProtoReader node = g.message("node");
                    while (node.hasNext()) {
                        int nf = node.next();
                        if (nf == 3) {
                            int start = node.position();
                            node.skip();
                            r.text.add(new long[] {start, node.position()});
                        } else if (nf == 5) {
                            // attribute names and values (kernel_shape, pads, ...) are configuration
                            ProtoReader attr = node.message("attribute");
                            while (attr.hasNext()) {
                                int af = attr.next();
                                int start = attr.position();
                                attr.skip();
                                if (af == 1 || af == 2 || af == 3 || af == 4 || af == 7 || af == 8) {
                                    r.text.add(new long[] {start, attr.position()});
                                }
                            }
                        } else {
                            node.skip();
                        }
                    }
                } else {
                    g.skip();
                }
            }
        }
        // producer name and version
        ProtoReader top = new ProtoReader(b, 0, b.length, "test", "model");
        while (top.hasNext()) {
            int f = top.next();
            int start = top.position();
            top.skip();
            if (f == 2 || f == 3) {
                r.text.add(new long[] {start, top.position()});
            }
        }
        return r;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
