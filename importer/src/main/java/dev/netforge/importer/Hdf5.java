package dev.netforge.importer;

import io.jhdf.AbstractNode;
import io.jhdf.HdfFile;
import io.jhdf.ObjectHeader;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.AttributeInfoMessage;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessage;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessageV4;
import io.jhdf.object.message.FilterPipelineMessage;
import io.jhdf.object.message.FilterPipelineMessage.FilterInfo;
import io.jhdf.object.message.LinkInfoMessage;
import io.jhdf.object.message.SymbolTableMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The HDF5 part of the Keras readers: opens an in-memory HDF5 image with jHDF after checking the
 * superblock ourselves, checks what jHDF would trust before it walks or allocates (group nesting,
 * member and chunk indexes, filters, sizes a chunk inflates to), and turns every failure of jHDF
 * on damaged input (runtime exceptions, and the {@link StackOverflowError} of a cycle in the
 * structures jHDF follows recursively, such as object header continuations) into a
 * {@link WeightFormatException} naming the file and the object being read.
 */
final class Hdf5 implements AutoCloseable {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /**
     * The deepest a path below the group it is looked up from may reach. Keras nests weights a few
     * levels deep; jHDF builds each node's path from its parents', so a path thousands of groups
     * deep costs time quadratic in its depth (a legal 2.2 MB file 15,000 groups deep never finished).
     */
    static final int MAX_DEPTH = 64;
    private static final int DEFLATE = 1;
    private static final int SHUFFLE = 2;
    private static final int FLETCHER32 = 3;
    private static final int LZF = 32000;
    /** Names of other registered HDF5 filters, for messages: a file stores names only for ids from 256 up. */
    private static final Map<Integer, String> FILTER_NAMES = Map.of(4, "szip", 5, "nbit", 6, "scaleoffset",
            307, "bzip2", 32001, "blosc", 32004, "lz4", 32008, "bitshuffle", 32015, "zstd");

    private final HdfFile file;
    private final String fileName;
    private final long length;
    private final Hdf5Index index;
    /** Addresses of the objects whose member and attribute storage was checked. */
    private final Set<Long> checkedObjects = new HashSet<>();
    /** [start, end) byte ranges of contiguous datasets read so far, with their paths, to detect overlaps. */
    private final List<long[]> ranges = new ArrayList<>();
    private final List<String> rangeNames = new ArrayList<>();

    private Hdf5(HdfFile file, byte[] bytes, String fileName) {
        this.file = file;
        this.fileName = fileName;
        this.length = bytes.length;
        this.index = new Hdf5Index(bytes, file.getUserBlockSize(), file.getHdfBackingStorage().getSizeOfOffsets(),
                file.getHdfBackingStorage().getSizeOfLengths(), fileName);
    }

    /** Offset of the HDF5 signature (0, 512, 1024, ... as HDF5 allows a user block), or -1. */
    static long signatureOffset(byte[] b) {
        for (long off = 0; off + SIGNATURE.length <= b.length; off = off == 0 ? 512 : off * 2) {
            if (Arrays.equals(b, (int) off, (int) off + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                return off;
            }
            if (off > (1L << 30)) {
                break;
            }
        }
        return -1;
    }

    /** Opens {@code bytes} (an HDF5 image); {@code fileName} names it in messages. */
    static Hdf5 open(byte[] bytes, String fileName) throws WeightFormatException {
        long sig = signatureOffset(bytes);
        if (sig < 0) {
            throw new WeightFormatException(fileName, "not an HDF5 file (no HDF5 signature)");
        }
        checkSuperblock(bytes, (int) sig, fileName);
        try {
            return new Hdf5(HdfFile.fromBytes(bytes), bytes, fileName);
        } catch (RuntimeException | StackOverflowError e) {
            throw new WeightFormatException(fileName, "corrupt HDF5 structure: " + describe(e), e);
        }
    }

    /**
     * Reads the superblock fields jHDF trusts (sizes of offsets and lengths, base and end-of-file
     * addresses) and rejects impossible values and files shorter than the end-of-file address the
     * superblock declares — the reliable sign of a truncated HDF5 file.
     */
    private static void checkSuperblock(byte[] b, int sig, String fileName) throws WeightFormatException {
        int p = sig + 8;
        if (b.length < p + 4) {
            throw new WeightFormatException(fileName, "truncated: the file ends inside the HDF5 superblock");
        }
        int version = b[p] & 0xff;
        int offsetSize;
        int lengthSize;
        int addrStart;
        switch (version) {
            case 0:
            case 1:
                offsetSize = b.length > p + 5 ? b[p + 5] & 0xff : 0;
                lengthSize = b.length > p + 6 ? b[p + 6] & 0xff : 0;
                addrStart = p + (version == 0 ? 16 : 20);
                break;
            case 2:
            case 3:
                offsetSize = b[p + 1] & 0xff;
                lengthSize = b[p + 2] & 0xff;
                addrStart = p + 4;
                break;
            default:
                throw new WeightFormatException(fileName, "unsupported or corrupt HDF5 superblock version " + version);
        }
        if (offsetSize != 2 && offsetSize != 4 && offsetSize != 8) {
            throw new WeightFormatException(fileName, "corrupt HDF5 superblock: size of offsets is " + offsetSize);
        }
        if (lengthSize != 2 && lengthSize != 4 && lengthSize != 8) {
            throw new WeightFormatException(fileName, "corrupt HDF5 superblock: size of lengths is " + lengthSize);
        }
        // v0/v1: base address, free-space address, end-of-file address; v2/v3: base, extension, end-of-file.
        int eofAt = addrStart + 2 * offsetSize;
        if (b.length < eofAt + offsetSize) {
            throw new WeightFormatException(fileName, "truncated: the file ends inside the HDF5 superblock");
        }
        long base = readUnsigned(b, addrStart, offsetSize);
        long eof = readUnsigned(b, eofAt, offsetSize);
        if (base < 0 || eof < 0 || base > b.length) {
            throw new WeightFormatException(fileName, "corrupt HDF5 superblock: base address " + base
                    + ", end-of-file address " + eof);
        }
        if (base + eof > b.length) {
            throw new WeightFormatException(fileName, "truncated: the HDF5 superblock declares " + (base + eof)
                    + " bytes but the file has " + b.length);
        }
    }

    private static long readUnsigned(byte[] b, int at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v; // negative when the top bit of an 8-byte value is set: rejected by the caller
    }

    /** Whether the root group has attribute {@code name} (whatever its value). */
    boolean hasRootAttribute(String name) throws WeightFormatException {
        try {
            checkStorage(file);
            return file.getAttributes().containsKey(name);
        } catch (RuntimeException | StackOverflowError e) {
            throw corrupt("the attributes of /", e);
        }
    }

    /** A root attribute as a string, or null when absent. */
    String rootStringAttribute(String name) throws WeightFormatException {
        return stringAttribute(file, name);
    }

    /** Attribute {@code name} of {@code node} as a string (string, one-element string array or bytes), or null. */
    String stringAttribute(Node node, String name) throws WeightFormatException {
        Object v = attributeValue(node, name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof String[] a && a.length == 1) {
            return a[0];
        }
        if (v instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        throw new WeightFormatException(fileName, "attribute '" + name + "' of " + path(node)
                + " is not a string but " + v.getClass().getSimpleName());
    }

    /**
     * Attribute {@code name} of {@code node} as a list of strings (an HDF5 string array, a single
     * string, or byte strings); an empty attribute gives an empty list, an absent one null.
     */
    List<String> stringListAttribute(Node node, String name) throws WeightFormatException {
        Attribute a;
        try {
            checkStorage(node);
            a = node.getAttribute(name);
            if (a == null) {
                return null;
            }
            if (a.isEmpty()) {
                return List.of();
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw corrupt("attribute '" + name + "' of " + path(node), e);
        }
        Object v = attributeValue(node, name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof String[] arr) {
            for (String s : arr) {
                if (s == null) {
                    throw new WeightFormatException(fileName, "attribute '" + name + "' of " + path(node)
                            + " contains a null string");
                }
            }
            return List.of(arr);
        }
        if (v instanceof byte[][] arr) {
            List<String> out = new ArrayList<>();
            for (byte[] x : arr) {
                out.add(new String(x, StandardCharsets.UTF_8));
            }
            return out;
        }
        throw new WeightFormatException(fileName, "attribute '" + name + "' of " + path(node)
                + " is not a list of strings but " + v.getClass().getSimpleName());
    }

    private Object attributeValue(Node node, String name) throws WeightFormatException {
        try {
            checkStorage(node);
            Attribute a = node.getAttribute(name);
            if (a == null || a.isEmpty()) {
                return null;
            }
            return a.getData();
        } catch (RuntimeException | StackOverflowError e) {
            throw corrupt("attribute '" + name + "' of " + path(node), e);
        }
    }

    HdfFile root() {
        return file;
    }

    /** The child at relative {@code path} below {@code group}, or null when there is none. */
    Node child(Group group, String path) throws WeightFormatException {
        String[] parts = path.split("/");
        long depth = Arrays.stream(parts).filter(p -> !p.isEmpty()).count();
        if (depth > MAX_DEPTH) {
            throw new WeightFormatException(fileName, "'" + (path.length() > 60 ? path.substring(0, 60) + "..." : path)
                    + "' below " + path(group) + " is nested " + depth + " groups deep; Keras nests weights a few"
                    + " levels deep (at most " + MAX_DEPTH + " accepted)");
        }
        try {
            Node n = group;
            for (String part : parts) {
                if (part.isEmpty()) {
                    continue;
                }
                if (!(n instanceof Group g)) {
                    return null;
                }
                checkStorage(g);
                n = g.getChildren().get(part);
                if (n == null) {
                    return null;
                }
            }
            return n;
        } catch (RuntimeException | StackOverflowError e) {
            throw corrupt("'" + path + "' below " + path(group), e);
        }
    }

    /** The names of the children of {@code group}, in the file's order. */
    List<String> childNames(Group group) throws WeightFormatException {
        try {
            checkStorage(group);
            return new ArrayList<>(group.getChildren().keySet());
        } catch (RuntimeException | StackOverflowError e) {
            throw corrupt("the members of " + path(group), e);
        }
    }

    /**
     * Checks, once per object and before jHDF lists its members or reads its attributes, how they
     * are stored: the member index of an old-style group is walked by {@link Hdf5Index}, and dense
     * storage (a fractal heap indexed by a version-2 B-tree, used by HDF5 1.8 for groups with many
     * links or objects with many attributes) is refused. h5py writes it only when asked for the
     * newest file format, which Keras never does, and jHDF would follow its B-tree unchecked and
     * size a list by the record count it states.
     */
    private void checkStorage(Node node) throws WeightFormatException {
        if (!checkedObjects.add(node.getAddress())) {
            return;
        }
        ObjectHeader oh = header(node);
        if (oh.hasMessageOfType(SymbolTableMessage.class)) {
            index.checkGroup(oh.getMessageOfType(SymbolTableMessage.class).getBTreeAddress(), "group " + path(node));
        }
        if (oh.hasMessageOfType(LinkInfoMessage.class)
                && oh.getMessageOfType(LinkInfoMessage.class).getBTreeNameIndexAddress() != -1) {
            throw new WeightFormatException(fileName, "group " + path(node) + " keeps its members in HDF5 dense"
                    + " storage (a fractal heap and a v2 B-tree), which Keras files do not use");
        }
        if (oh.hasMessageOfType(AttributeInfoMessage.class)
                && oh.getMessageOfType(AttributeInfoMessage.class).getFractalHeapAddress() != -1) {
            throw new WeightFormatException(fileName, path(node) + " keeps its attributes in HDF5 dense storage"
                    + " (a fractal heap and a v2 B-tree), which Keras files do not use");
        }
    }

    private ObjectHeader header(Node node) {
        // the root group is the HdfFile itself, which does not expose its header
        return node instanceof AbstractNode n ? n.getHeader()
                : ObjectHeader.readObjectHeader(file.getHdfBackingStorage(), node.getAddress());
    }

    /**
     * Reads a floating-point dataset as float32, after checking its shape against {@code expected}
     * (null: any shape, bounded by the file size) so that nothing is allocated for a corrupt size.
     */
    Tensor readFloats(Node node, String tensorName, int[] expected, String context) throws WeightFormatException {
        String where = path(node);
        if (!(node instanceof Dataset ds)) {
            throw new WeightFormatException(fileName, context + ": " + where + " is not a dataset");
        }
        try {
            List<FilterInfo> filters = filters(ds, where, context);
            int[] dims = ds.getDimensions();
            long n = 1;
            for (int d : dims) {
                if (d < 0) {
                    throw new WeightFormatException(fileName, context + ": dataset " + where
                            + " has a negative dimension " + Arrays.toString(dims));
                }
                n *= d;
                if (n > Integer.MAX_VALUE - 8) {
                    throw new WeightFormatException(fileName, context + ": dataset " + where
                            + " is too large " + Arrays.toString(dims));
                }
            }
            if (expected != null && !Shapes.fits(expected, dims)) {
                throw new WeightFormatException(fileName, context + ": " + tensorName + " has shape "
                        + Shapes.show(dims) + " but the configuration implies " + Shapes.show(expected)
                        + " (dataset " + where + ")");
            }
            DataType type = ds.getDataType();
            if (!(type instanceof FloatingPoint fp)) {
                throw new WeightFormatException(fileName, context + ": dataset " + where
                        + " is not floating point (" + type.getClass().getSimpleName() + ")");
            }
            int size = fp.getSize();
            if (size != 2 && size != 4 && size != 8) {
                throw new WeightFormatException(fileName, context + ": dataset " + where
                        + " has unsupported float size " + size + " bytes");
            }
            if (fp.getByteOrder() != ByteOrder.LITTLE_ENDIAN) {
                // Keras (h5py) writes native little-endian floats; a big-endian flag is taken as damage.
                throw new WeightFormatException(fileName, context + ": dataset " + where
                        + " is big-endian; Keras files are little-endian");
            }
            boolean filtered = !filters.isEmpty();
            if (n * size > length && !filtered) {
                throw new WeightFormatException(fileName, context + ": dataset " + where + " declares "
                        + n * size + " bytes, more than the file's " + length);
            }
            if (filtered && n * size > length * 1100L + (1 << 20)) {
                // no HDF5 compression filter expands data more than about 1000:1
                throw new WeightFormatException(fileName, context + ": compressed dataset " + where + " declares "
                        + n * size + " bytes, impossible from a file of " + length);
            }
            if (ds instanceof ContiguousDataset c && n > 0) {
                long start = c.getDataAddress();
                long end = start + n * size;
                if (start < 0 || end > length) {
                    throw new WeightFormatException(fileName, context + ": data of " + where + " lies at bytes "
                            + start + ".." + end + ", outside the file of " + length + " bytes");
                }
                for (int i = 0; i < ranges.size(); i++) {
                    long[] r = ranges.get(i);
                    if (start < r[1] && r[0] < end) {
                        throw new WeightFormatException(fileName, context + ": data of " + where
                                + " overlaps the data of " + rangeNames.get(i) + " (corrupt addresses)");
                    }
                }
                ranges.add(new long[] {start, end});
                rangeNames.add(where);
            }
            if (ds instanceof ChunkedDataset c) {
                checkChunks(c, dims, size, filters, where, context);
            }
            Object data = dims.length == 0 ? ds.getData() : ds.getDataFlat();
            float[] out;
            if (data instanceof float[] f) {
                out = f;
            } else if (data instanceof double[] d) {
                out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) d[i];
                }
            } else if (data instanceof Float f) {
                out = new float[] {f};
            } else if (data instanceof Double d) {
                out = new float[] {d.floatValue()};
            } else {
                throw new WeightFormatException(fileName, context + ": dataset " + where
                        + " did not read as floats (" + (data == null ? "null" : data.getClass().getSimpleName()) + ")");
            }
            if (out.length != n) {
                throw new WeightFormatException(fileName, context + ": dataset " + where + " read "
                        + out.length + " values instead of " + n);
            }
            return new Tensor(tensorName, dims, out);
        } catch (RuntimeException | StackOverflowError e) {
            throw corrupt("dataset " + where, e);
        }
    }

    /**
     * The filters of {@code ds}, read from its header (without building jHDF's pipeline, which
     * fails on unknown filters with a message of its own). Only what h5py writes for Keras is
     * accepted: shuffle, then deflate (gzip) or lzf, then fletcher32, each at most once. Other
     * filters (lz4, blosc, szip, bzip2, zstd, ...) are refused before any data is read: Keras never
     * writes them, and their decoders are native or third-party code that trusts the file.
     */
    private List<FilterInfo> filters(Dataset ds, String where, String context) throws WeightFormatException {
        ObjectHeader oh = header(ds);
        if (!oh.hasMessageOfType(FilterPipelineMessage.class)) {
            return List.of();
        }
        List<FilterInfo> filters = oh.getMessageOfType(FilterPipelineMessage.class).getFilters();
        int stage = 0;
        for (FilterInfo f : filters) {
            int id = f.getId();
            int order = switch (id) {
                case SHUFFLE -> 1;
                case DEFLATE, LZF -> 2;
                case FLETCHER32 -> 3;
                default -> throw new WeightFormatException(fileName, context + ": dataset " + where
                        + " uses the HDF5 filter " + filterName(f) + " (id " + id + "), which Keras does not write;"
                        + " only deflate (gzip), shuffle, fletcher32 and lzf are read");
            };
            if (order <= stage) {
                throw new WeightFormatException(fileName, context + ": dataset " + where + " has the filter pipeline "
                        + filters.stream().map(Hdf5::filterName).toList() + ", not one h5py writes (shuffle, then"
                        + " deflate or lzf, then fletcher32)");
            }
            stage = order;
        }
        return filters;
    }

    private static String filterName(FilterInfo f) {
        return switch (f.getId()) {
            case DEFLATE -> "deflate";
            case SHUFFLE -> "shuffle";
            case FLETCHER32 -> "fletcher32";
            case LZF -> "lzf";
            default -> FILTER_NAMES.getOrDefault(f.getId(), "undefined".equals(f.getName()) ? "unknown" : f.getName());
        };
    }

    /**
     * Checks a chunked dataset before jHDF reads it: the size of its chunks and of their grid, its
     * chunk index (walked when a version-1 B-tree, bounded when a fixed array, refused when a kind
     * only growable datasets use), and that no chunk decompresses to more than a chunk holds. jHDF
     * inflates a chunk completely into a growing buffer and only then copies what the chunk's shape
     * needs, so 250 KB of deflate data could claim 256 MiB; here each chunk is inflated into a small
     * scratch buffer and refused one byte past its size, so the work is bounded by the dataset's
     * declared size.
     */
    private void checkChunks(ChunkedDataset c, int[] dims, int size, List<FilterInfo> filters, String where,
                             String context) throws WeightFormatException {
        int[] chunkDims = c.getChunkDimensions();
        if (chunkDims.length != dims.length) {
            throw new WeightFormatException(fileName, context + ": dataset " + where + " has chunks of rank "
                    + chunkDims.length + " for " + dims.length + " dimensions");
        }
        long chunkBytes = size;
        long chunks = 1;
        for (int i = 0; i < dims.length; i++) {
            if (chunkDims[i] < 1) {
                throw new WeightFormatException(fileName, context + ": dataset " + where + " has chunk dimensions "
                        + Arrays.toString(chunkDims));
            }
            chunkBytes *= chunkDims[i];
            chunks *= (dims[i] + (long) chunkDims[i] - 1) / chunkDims[i];
            if (chunkBytes > Integer.MAX_VALUE || chunks > length / 8) {
                // every stored chunk takes at least 8 bytes of index: more cannot be in the file
                throw new WeightFormatException(fileName, context + ": dataset " + where + " declares chunks of "
                        + Arrays.toString(chunkDims) + " for dimensions " + Arrays.toString(dims)
                        + ", impossible in a file of " + length + " bytes");
            }
        }
        ObjectHeader oh = header(c);
        if (oh.hasMessageOfType(ChunkedDataLayoutMessage.class)) {
            long tree = oh.getMessageOfType(ChunkedDataLayoutMessage.class).getBTreeAddress();
            if (tree != -1) { // -1: no storage allocated
                index.checkChunks(tree, dims.length, context + ": dataset " + where);
            }
        } else if (oh.hasMessageOfType(ChunkedDataLayoutMessageV4.class)) {
            ChunkedDataLayoutMessageV4 v4 = oh.getMessageOfType(ChunkedDataLayoutMessageV4.class);
            switch (v4.getIndexingType()) {
                case ChunkedDataLayoutMessageV4.SINGLE_CHUNK_INDEX, ChunkedDataLayoutMessageV4.IMPLICIT_INDEX -> { }
                case ChunkedDataLayoutMessageV4.FIXED_ARRAY_INDEX -> {
                    if (v4.getAddress() != -1) {
                        index.checkFixedArray(v4.getAddress(), chunks, context + ": dataset " + where);
                    }
                }
                // jHDF sizes their lists by counts they state; only datasets that can grow use them
                default -> throw new WeightFormatException(fileName, context + ": dataset " + where + " indexes its"
                        + " chunks with an HDF5 extensible array or v2 B-tree (for growable datasets), which Keras"
                        + " files do not use");
            }
        }
        boolean deflate = false;
        for (FilterInfo f : filters) {
            int[] data = f.getData();
            // jHDF allocates the lzf output at the size the filter's third parameter states
            if (f.getId() == LZF && (data.length < 3 || data[2] < 0 || data[2] > chunkBytes)) {
                throw new WeightFormatException(fileName, context + ": dataset " + where + " has lzf parameters "
                        + Arrays.toString(data) + " for chunks of " + chunkBytes + " bytes");
            }
            deflate |= f.getId() == DEFLATE;
        }
        if (!deflate || chunks == 0) {
            return;
        }
        byte[] scratch = new byte[(int) Math.min(chunkBytes + 1, 1 << 16)];
        int[] at = new int[dims.length];
        Inflater inf = new Inflater();
        try {
            for (long k = 0; k < chunks; k++) {
                long r = k;
                for (int i = dims.length - 1; i >= 0; i--) {
                    long perAxis = (dims[i] + (long) chunkDims[i] - 1) / chunkDims[i];
                    at[i] = (int) (r % perAxis) * chunkDims[i];
                    r /= perAxis;
                }
                ByteBuffer raw = c.getRawChunkBuffer(at);
                inf.reset();
                inf.setInput(raw);
                long out = 0;
                while (!inf.finished() && out <= chunkBytes) {
                    int n = inf.inflate(scratch);
                    if (n == 0) {
                        break; // truncated, or wants a dictionary: jHDF reports it when it reads the chunk
                    }
                    out += n;
                }
                if (out > chunkBytes) {
                    throw new WeightFormatException(fileName, context + ": the deflate chunk at " + Arrays.toString(at)
                            + " of dataset " + where + " inflates to more than the " + chunkBytes
                            + " bytes a chunk holds (a decompression bomb or corrupt data)");
                }
            }
        } catch (DataFormatException e) {
            throw new WeightFormatException(fileName, context + ": dataset " + where + " has corrupt deflate data: "
                    + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    WeightFormatException corrupt(String what, Throwable e) {
        return new WeightFormatException(fileName, "corrupt HDF5 data while reading " + what + ": " + describe(e), e);
    }

    static String path(Node node) {
        try {
            String p = node.getPath();
            return p.isEmpty() ? "/" : p;
        } catch (RuntimeException e) {
            return "?";
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (e instanceof StackOverflowError) {
            return "the structure refers to itself (" + type + ")";
        }
        return m == null || m.isBlank() ? type : type + ": " + m;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (RuntimeException ignored) {
            // an in-memory file has nothing to release
        }
    }
}
