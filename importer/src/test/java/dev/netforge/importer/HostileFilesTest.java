package dev.netforge.importer;

import static dev.netforge.importer.OnnxBuilder.floatAttr;
import static dev.netforge.importer.OnnxBuilder.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import io.jhdf.ObjectHeader;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.filter.Filter;
import io.jhdf.object.message.SymbolTableMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files made to hurt the importer: each must end in a {@link WeightFormatException} that names the
 * problem, within a few seconds, and (for decompression bombs) without allocating what the bomb
 * inflates to. Every file is generated here, small, with jHDF's writer, the test builders or raw bytes.
 */
class HostileFilesTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    /** What a bomb inflates to, and a bound on what reading it may allocate: far below it. */
    private static final int BOMB = 256 << 20;
    private static final long ALLOCATION_BOUND = 48L << 20;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ helpers

    /** Runs {@code read} within {@link #LIMIT}; it must throw a WeightFormatException containing {@code expected}. */
    private static WeightFormatException refused(String expected, Executable read) {
        return refused(expected, Long.MAX_VALUE, read);
    }

    /** As {@link #refused(String, Executable)}, allocating less than {@code maxBytes} on the way (all threads). */
    private static WeightFormatException refused(String expected, long maxBytes, Executable read) {
        WeightFormatException e = assertTimeoutPreemptively(LIMIT, () -> {
            long before = allocatedBytes();
            WeightFormatException x = assertThrows(WeightFormatException.class, read);
            long spent = allocatedBytes() - before;
            assertTrue(spent < maxBytes, "allocated " + spent + " bytes while refusing: " + x.getMessage());
            return x;
        });
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    /** Bytes allocated so far by the live threads (the reads under test run in one, plus jHDF's pool). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long v : t.getThreadAllocatedBytes(t.getAllThreadIds())) {
            sum += Math.max(v, 0);
        }
        return sum;
    }

    private static final String DENSE_MODEL = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
            + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 4], \"name\": \"in\"}},"
            + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 2, \"activation\": \"linear\","
            + " \"use_bias\": true}}]}}";
    private static final float[] KERNEL = SyntheticKeras.data(8, 1);

    /** A legacy Keras .h5 of one Dense layer (4 -> 2) whose kernel is written with {@code kernelOptions}. */
    private static byte[] denseH5(DatasetCreationOptions kernelOptions) {
        return SyntheticKeras.writeH5(f -> {
            f.putAttribute("model_config", DENSE_MODEL);
            f.putAttribute("keras_version", "2.12.0");
            WritableGroup mw = f.putGroup("model_weights");
            mw.putAttribute("layer_names", new String[] {"dense"});
            WritableGroup layer = mw.putGroup("dense");
            layer.putAttribute("weight_names", new String[] {"dense/kernel:0", "dense/bias:0"});
            WritableGroup g = layer.putGroup("dense");
            g.putDataset("kernel:0", SyntheticKeras.nested(KERNEL, new int[] {4, 2}), kernelOptions);
            g.putDataset("bias:0", new float[] {0.5f, -0.5f});
        });
    }

    /** An HDF5 filter for jHDF's writer: {@code id} and {@code name} as stored, {@code encode} producing the chunk. */
    private static Filter filter(int id, String name, UnaryOperator<byte[]> encode) {
        return new Filter() {
            @Override
            public int getId() {
                return id;
            }

            @Override
            public String getName() {
                return name;
            }

            @Override
            public byte[] decode(byte[] encodedData, int[] filterData) {
                throw new UnsupportedOperationException("the importer must refuse before decoding");
            }

            @Override
            public byte[] encode(byte[] data, int[] filterData) {
                return encode.apply(data);
            }
        };
    }

    /** zlib data (as the HDF5 deflate filter stores it) of {@link #BOMB} zero bytes: about 250 KB. */
    private static byte[] zlibBomb() {
        Deflater d = new Deflater(9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < BOMB / zeros.length; i++) {
            d.setInput(zeros);
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ HDF5 filters

    @Test
    void lz4FilteredWeightsAreRefusedBeforeTheirDataIsRead() {
        // HDF5-LZ4 framing: total size, block size, then a block whose LZ4 sequence copies from 64 KB
        // before the start of its output: the input lz4-java 1.8.0 turned into a crash or heap bytes
        ByteBuffer frame = ByteBuffer.allocate(8 + 4 + 4 + 4).order(ByteOrder.BIG_ENDIAN);
        frame.putLong(32).putInt(32).putInt(4).put(new byte[] {0x0f, 0x00, (byte) 0xff, (byte) 0xff});
        byte[] file = denseH5(DatasetCreationOptions.builder().chunkDimensions(4, 2)
                .filter(filter(32004, "lz4", data -> frame.array())).build());
        refused("dataset /model_weights/dense/dense/kernel:0 uses the HDF5 filter lz4 (id 32004), which Keras does"
                + " not write; only deflate (gzip), shuffle, fletcher32 and lzf are read",
                () -> KerasReader.read(file, "lz4.h5"));
    }

    @ParameterizedTest(name = "{1} ({0})")
    @CsvSource({"32001, blosc", "4, szip", "307, bzip2", "32015, zstd", "32008, bitshuffle", "40000, unknown"})
    void filtersKerasDoesNotWriteAreRefused(int id, String name) {
        // ids below 256 carry no name in the file: the message names them from the registry
        byte[] file = denseH5(DatasetCreationOptions.builder().chunkDimensions(4, 2)
                .filter(filter(id, id < 256 || id == 40000 ? "undefined" : name, data -> data)).build());
        WeightFormatException e = refused("uses the HDF5 filter " + name + " (id " + id + ")",
                () -> KerasReader.read(file, "f.h5"));
        assertTrue(e.getMessage().startsWith("f.h5: layer 'dense' (Dense): dataset /model_weights/dense/dense/kernel:0"),
                e.getMessage());
    }

    @Test
    void gzipAndShuffleAsH5pyWritesThemStillRead() throws Exception {
        byte[] file = denseH5(DatasetCreationOptions.builder().chunkDimensions(2, 2).shuffle().deflate().build());
        ImportedModel m = KerasReader.read(file, "gzip.h5");
        assertArrayEquals(KERNEL, m.layers().get(0).weights().get(0).data());
    }

    @Test
    void aFilterPipelineH5pyNeverWritesIsRefused() {
        byte[] file = denseH5(DatasetCreationOptions.builder().chunkDimensions(2, 2).deflate().shuffle().build());
        refused("has the filter pipeline [deflate, shuffle], not one h5py writes", () -> KerasReader.read(file, "o.h5"));
    }

    @Test
    void aGzipChunkInflatingFarBeyondItsSizeIsRefusedWithoutSpendingTheMemory() {
        byte[] bomb = zlibBomb();
        byte[] file = denseH5(DatasetCreationOptions.builder().chunkDimensions(4, 2)
                .filter(filter(1, "deflate", data -> bomb)).build());
        assertTrue(file.length < 1 << 20, "a small file: " + file.length);
        refused("the deflate chunk at [0, 0] of dataset /model_weights/dense/dense/kernel:0 inflates to more than the"
                + " 32 bytes a chunk holds", ALLOCATION_BOUND, () -> KerasReader.read(file, "bomb.h5"));
    }

    @Test
    void lzfParametersClaimingMoreThanAChunkAreRefused() {
        // jHDF allocates the third lzf parameter's size before decoding
        byte[] file = denseH5(DatasetCreationOptions.builder().chunkDimensions(4, 2)
                .filter(filter(32000, "lzf", data -> data), 4, 2, Integer.MAX_VALUE).build());
        refused("has lzf parameters [4, 2, 2147483647] for chunks of 32 bytes", ALLOCATION_BOUND,
                () -> KerasReader.read(file, "lzf.h5"));
    }

    // ------------------------------------------------------------------ HDF5 structure

    @Test
    void weightsNestedDeeperThanKerasEverNestsAreRefused() {
        String deep = "g/".repeat(100) + "kernel";
        byte[] file = SyntheticKeras.legacyH5(DENSE_MODEL, "2.12.0",
                Map.of("dense", List.of(SyntheticKeras.w("kernel", 1, 4, 2), SyntheticKeras.w("bias", 2, 2))),
                (layer, w) -> w.equals("kernel") ? deep : w);
        refused("is nested 101 groups deep; Keras nests weights a few levels deep (at most 64 accepted)",
                () -> KerasReader.read(file, "deep.h5"));
    }

    @Test
    void aGroupIndexListingItsNextNode64TimesPerLevelIsRefusedAtOnce() throws Exception {
        // mnist.h5 (old-style groups, as h5py writes them) with a new root-group B-tree: four levels
        // whose nodes each list the node below 64 times, down to the real leaf: jHDF alone would
        // visit that leaf 64^4 times
        byte[] b = TestFiles.bytes(TestFiles.keras("kilj4eden_mnist", "mnist.h5"));
        long tree;
        long heap;
        try (HdfFile f = HdfFile.fromBytes(b)) {
            assertEquals(0, f.getUserBlockSize());
            SymbolTableMessage stm = ObjectHeader.readObjectHeader(f.getHdfBackingStorage(), f.getAddress())
                    .getMessageOfType(SymbolTableMessage.class);
            tree = stm.getBTreeAddress();
            heap = stm.getLocalHeapAddress();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b);
        long below = tree;
        for (int level = 1; level <= 4; level++) {
            long at = out.size();
            // sized for 2 x 64 entries, as HDF5 allocates nodes (and as much as jHDF reads of one)
            ByteBuffer node = ByteBuffer.allocate(8 + 16 + 128 * 16 + 8).order(ByteOrder.LITTLE_ENDIAN);
            node.put("TREE".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) level).putShort((short) 64);
            node.putLong(-1).putLong(-1); // no siblings
            for (int i = 0; i < 64; i++) {
                node.putLong(0).putLong(below); // key (a name's heap offset), child
            }
            node.putLong(0);
            out.writeBytes(node.array());
            below = at;
        }
        byte[] file = out.toByteArray();
        // the root group's symbol table message (and the superblock's cached copy) now point at the new root
        int patched = replaceAll(file, le(tree, heap), le(below, heap));
        assertTrue(patched >= 1);
        assertTrue(file.length < b.length + 24 * 1024);
        refused("fanout.h5: group /: B-tree node " + tree + " is reached twice (the index is not a tree)",
                () -> KerasReader.read(file, "fanout.h5"));
    }

    @Test
    void aFixedArrayChunkIndexClaimingBillionsOfEntriesIsRefused() {
        // jHDF writes chunked datasets with a fixed-array index ("FAHD": signature, version, client id,
        // entry size, page bits, entry count, data block address, checksum) and sizes a list by the count
        byte[] file = denseH5(DatasetCreationOptions.builder().chunkDimensions(1, 2).build());
        int at = CorruptionTest.indexOf(file, "FAHD".getBytes(StandardCharsets.US_ASCII), 0);
        assertTrue(at > 0);
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, bb.getLong(at + 8), "one entry per chunk of the 4 x 2 kernel");
        bb.putLong(at + 8, Integer.MAX_VALUE);
        bb.putInt(at + 24, ChecksumUtils.checksum(Arrays.copyOfRange(file, at, at + 24))); // still a valid header
        refused("dataset /model_weights/dense/dense/kernel:0: its fixed-array chunk index declares 2147483647 entries"
                + " for 4 chunks", ALLOCATION_BOUND, () -> KerasReader.read(file, "fa.h5"));
    }

    private static byte[] le(long a, long b) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(b).array();
    }

    private static int replaceAll(byte[] haystack, byte[] from, byte[] to) {
        int n = 0;
        for (int at = CorruptionTest.indexOf(haystack, from, 0); at >= 0; at = CorruptionTest.indexOf(haystack, from, at + 1)) {
            System.arraycopy(to, 0, haystack, at, to.length);
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ zip bombs

    /** A .keras zip with a deflated entry {@code name} of {@code bytes}, whose directory then declares {@code declared} bytes. */
    private static byte[] kerasZipDeclaring(String name, byte[] bytes, int repeat, long declared) throws IOException {
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.setLevel(9);
            for (String entry : List.of("metadata.json", "config.json", "model.weights.h5")) {
                zip.putNextEntry(new ZipEntry(entry));
                if (entry.equals(name)) {
                    for (int i = 0; i < repeat; i++) {
                        zip.write(bytes);
                    }
                } else {
                    zip.write("{}".getBytes(StandardCharsets.UTF_8));
                }
                zip.closeEntry();
            }
        }
        byte[] z = zipBytes.toByteArray();
        // central directory entries: signature PK\1\2, uncompressed size at +24, name length at +28, name at +46
        for (int p = 0; p + 46 < z.length; p++) {
            ByteBuffer bb = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
            if (bb.getInt(p) == 0x02014b50 && new String(z, p + 46, bb.getShort(p + 28), StandardCharsets.UTF_8).equals(name)) {
                bb.putInt(p + 24, (int) declared);
                return z;
            }
        }
        throw new IllegalStateException("no directory entry " + name);
    }

    @Test
    void aZipEntryInflatingBeyondItsDeclaredSizeIsRefusedWithoutSpendingTheMemory() throws Exception {
        byte[] file = kerasZipDeclaring("config.json", new byte[1 << 20], BOMB >> 20, 1000);
        assertTrue(file.length < 1 << 20, "a small file: " + file.length);
        refused("corrupt zip: zip entry 'config.json' inflates to more than the 1000 bytes it declares", ALLOCATION_BOUND,
                () -> KerasReader.read(file, "bomb.keras"));
    }

    @Test
    void zipEntriesDeclaringMoreThanTheirCapAreRefusedBeforeInflating() throws Exception {
        // refused on the declared size alone: the content does not matter
        byte[] json = kerasZipDeclaring("config.json", new byte[16], 1, 100 << 20);
        refused("zip entry 'config.json' is too large to import (104857600 bytes; at most 67108864)", ALLOCATION_BOUND,
                () -> KerasReader.read(json, "big.keras"));
        byte[] weights = kerasZipDeclaring("model.weights.h5", new byte[16], 1, 0xfffffffeL);
        refused("zip entry 'model.weights.h5' is too large to import (4294967294 bytes; at most " + Files2.sizeLimit() + ")",
                ALLOCATION_BOUND, () -> KerasReader.read(weights, "big.keras"));
    }

    @Test
    void aZipEntryDeclaringMoreThanItHoldsAllocatesOnlyWhatItHolds() throws Exception {
        // incompressible, so that the claim passes the deflate-ratio plausibility check
        byte[] noise = new byte[300_000];
        new Random(1).nextBytes(noise);
        long declared = Math.min(100 << 20, Files2.sizeLimit());
        byte[] file = kerasZipDeclaring("model.weights.h5", noise, 1, declared);
        refused("zip entry 'model.weights.h5' inflates to 300000 bytes, declared " + declared, ALLOCATION_BOUND,
                () -> KerasReader.read(file, "claim.keras"));
    }

    // ------------------------------------------------------------------ not a regular file

    @Test
    void aSymbolicLinkToDevZeroIsRefusedBeforeReading() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero");
        Path link = Files.createSymbolicLink(dir.resolve("zero.h5"), Path.of("/dev/zero"));
        refused("zero.h5: not a regular file but a device, named pipe or socket (/dev/zero)",
                () -> KerasReader.read(link));
        refused("zero.h5: not a regular file", () -> OnnxReader.read(link));
    }

    @Test
    void aNamedPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("pipe.onnx");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            made = false; // no mkfifo on this machine
        }
        assumeTrue(made, "mkfifo is not available");
        refused("pipe.onnx: not a regular file but a device, named pipe or socket", () -> OnnxReader.read(fifo));
        refused("pipe.onnx: not a regular file", () -> Importer.read(fifo));
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Path d = Files.createDirectory(dir.resolve("model.keras"));
        refused("model.keras: not a regular file but a directory", () -> KerasReader.read(d));
    }

    @Test
    void aFileWhoseContentOutgrowsItsSizeIsRefused() {
        // /proc files are regular files of size 0 that still produce bytes
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isRegularFile(status), "no /proc");
        refused("status: grew while being read (beyond 0 bytes)", () -> KerasReader.read(status));
    }

    @Test
    void aSymbolicLinkToARegularModelFileIsFollowed() throws Exception {
        Path target = TestFiles.keras("kilj4eden_mnist", "mnist.h5");
        Path link = Files.createSymbolicLink(dir.resolve("linked.h5"), target);
        assertEquals(KerasReader.read(target), KerasReader.read(link));
    }

    // ------------------------------------------------------------------ shape arithmetic

    private static String sequential(String input, String... layers) {
        return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [{\"class_name\": \"InputLayer\","
                + " \"config\": {\"batch_input_shape\": [null, " + input + "], \"name\": \"in\"}}, "
                + String.join(", ", layers) + "]}}";
    }

    /** A layer with weights after the one under test (jHDF cannot write a file without any). */
    private static final String DENSE_AFTER = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1}}";
    private static final Map<String, List<SyntheticKeras.W>> DENSE_AFTER_WEIGHTS =
            Map.of("out", List.of(SyntheticKeras.w("kernel", 1, 1, 1), SyntheticKeras.w("bias", 2, 1)));

    @Test
    void zeroPaddingThatOverflowsAnIntIsRefusedNotWrapped() {
        // 6 + 2 * (2^31 - 1) wrapped to 4 before
        byte[] file = SyntheticKeras.legacyH5(sequential("6, 6, 1", "{\"class_name\": \"ZeroPadding2D\", \"config\":"
                + " {\"name\": \"pad\", \"padding\": 2147483647}}", DENSE_AFTER), "2.12.0", DENSE_AFTER_WEIGHTS, (l, w) -> w);
        refused("layer 'pad' (ZeroPadding2D): padded height is 4294967300, more than the largest dimension (2147483647)",
                () -> KerasReader.read(file, "pad.h5"));
    }

    @Test
    void flatteningDimensionsWhoseProductOverflowsIsRefused() {
        byte[] file = SyntheticKeras.legacyH5(sequential("2147483647, 2147483647, 2147483647",
                "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}", DENSE_AFTER), "2.12.0",
                DENSE_AFTER_WEIGHTS, (l, w) -> w);
        refused("layer 'flat' (Flatten): flattened size of [2147483647, 2147483647, 2147483647] is 4611686014132420609",
                () -> KerasReader.read(file, "flat.h5"));
    }

    @Test
    void aHugeStrideWithSamePaddingGivesOnePixelAsKerasDoes() throws Exception {
        // (in + stride - 1) overflowed an int and refused a model Keras builds (output 1 x 1)
        byte[] file = SyntheticKeras.legacyH5(sequential("6, 6, 1", "{\"class_name\": \"Conv2D\", \"config\": {\"name\":"
                        + " \"conv\", \"filters\": 2, \"kernel_size\": [3, 3], \"strides\": [2147483647, 2147483647],"
                        + " \"padding\": \"same\", \"activation\": \"linear\", \"use_bias\": true}}"), "2.12.0",
                Map.of("conv", List.of(SyntheticKeras.w("kernel", 1, 3, 3, 1, 2), SyntheticKeras.w("bias", 2, 2))),
                (l, w) -> l + "/" + w + ":0");
        ImportedModel m = KerasReader.read(file, "stride.h5");
        assertArrayEquals(new int[] {1, 1, 2}, m.outputShapes().get(0));
    }

    // ------------------------------------------------------------------ ONNX attribute values

    private static void onnxRefused(String expected, OnnxBuilder b) {
        byte[] file = b.build();
        refused(expected, () -> OnnxReader.read(file, "m.onnx"));
    }

    private static OnnxBuilder dropout(OnnxBuilder.Pb... attrs) {
        return new OnnxBuilder().input("x", 1, 4).output("y", 1, 4).node("Dropout", names("x"), names("y"), attrs);
    }

    @Test
    void dropoutRatiosOutsideZeroToOneAreRefused() {
        onnxRefused("Dropout node '/Dropout_0': attribute 'ratio' is NaN, not a finite number",
                dropout(floatAttr("ratio", Float.NaN)));
        onnxRefused("Dropout node '/Dropout_0': dropout ratio 7.0 is not in [0, 1)", dropout(floatAttr("ratio", 7f)));
        onnxRefused("Dropout node '/Dropout_0': dropout ratio 1.0 is not in [0, 1)", dropout(floatAttr("ratio", 1f)));
        onnxRefused("dropout ratio NaN is not in [0, 1)", new OnnxBuilder().initializer("r", new float[] {Float.NaN})
                .input("x", 1, 4).output("y", 1, 4).node("Dropout", names("x", "r"), names("y")));
    }

    private static OnnxBuilder batchNorm(OnnxBuilder.Pb... attrs) {
        float[] two = {1f, 1f};
        return new OnnxBuilder().initializer("g", two, 2).initializer("b", two, 2).initializer("m", two, 2)
                .initializer("v", two, 2).input("x", 1, 2, 3, 3).output("y", 1, 2, 3, 3)
                .node("BatchNormalization", names("x", "g", "b", "m", "v"), names("y"), attrs);
    }

    @Test
    void batchNormalizationEpsilonMustBeFiniteAndPositive() {
        onnxRefused("BatchNormalization node '/BatchNormalization_0': attribute 'epsilon' is NaN, not a finite number",
                batchNorm(floatAttr("epsilon", Float.NaN)));
        onnxRefused("BatchNormalization node '/BatchNormalization_0': epsilon -1.0E30 is not positive",
                batchNorm(floatAttr("epsilon", -1e30f)));
        onnxRefused("epsilon 0.0 is not positive", batchNorm(floatAttr("epsilon", 0f)));
        onnxRefused("attribute 'epsilon' is Infinity, not a finite number",
                batchNorm(floatAttr("epsilon", Float.POSITIVE_INFINITY)));
    }

    @Test
    void otherFloatAttributesMustBeFinite() {
        onnxRefused("Gemm node '/Gemm_0': attribute 'alpha' is -Infinity, not a finite number",
                new OnnxBuilder().initializer("w", new float[8], 4, 2).input("x", 1, 4).output("y", 1, 2)
                        .node("Gemm", names("x", "w"), names("y"), floatAttr("alpha", Float.NEGATIVE_INFINITY)));
        onnxRefused("Constant node '/Constant_0': attribute 'value_float' is NaN, not a finite number",
                new OnnxBuilder().input("x", 1, 4).output("y", 1, 4)
                        .node("Constant", names(), names("r"), floatAttr("value_float", Float.NaN))
                        .node("Dropout", names("x", "r"), names("y")));
    }
}
