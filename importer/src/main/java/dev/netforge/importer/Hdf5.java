package dev.netforge.importer;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The HDF5 part of the Keras readers: opens an in-memory HDF5 image with jHDF after checking the
 * superblock ourselves, and turns every failure of jHDF on damaged input (runtime exceptions, and
 * the {@link OutOfMemoryError} or {@link StackOverflowError} that a corrupt size or a cycle can
 * provoke inside it) into a {@link WeightFormatException} naming the file and the object being read.
 */
final class Hdf5 implements AutoCloseable {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final HdfFile file;
    private final String fileName;
    private final long length;
    /** [start, end) byte ranges of contiguous datasets read so far, with their paths, to detect overlaps. */
    private final List<long[]> ranges = new ArrayList<>();
    private final List<String> rangeNames = new ArrayList<>();

    private Hdf5(HdfFile file, String fileName, long length) {
        this.file = file;
        this.fileName = fileName;
        this.length = length;
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
            return new Hdf5(HdfFile.fromBytes(bytes), fileName, bytes.length);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
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
            return file.getAttributes().containsKey(name);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
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
            a = node.getAttribute(name);
            if (a == null) {
                return null;
            }
            if (a.isEmpty()) {
                return List.of();
            }
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
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
            Attribute a = node.getAttribute(name);
            if (a == null || a.isEmpty()) {
                return null;
            }
            return a.getData();
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw corrupt("attribute '" + name + "' of " + path(node), e);
        }
    }

    HdfFile root() {
        return file;
    }

    /** The child at relative {@code path} below {@code group}, or null when there is none. */
    Node child(Group group, String path) throws WeightFormatException {
        try {
            Node n = group;
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                if (!(n instanceof Group g)) {
                    return null;
                }
                n = g.getChildren().get(part);
                if (n == null) {
                    return null;
                }
            }
            return n;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw corrupt("'" + path + "' below " + path(group), e);
        }
    }

    /** The names of the children of {@code group}, in the file's order. */
    List<String> childNames(Group group) throws WeightFormatException {
        try {
            return new ArrayList<>(group.getChildren().keySet());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw corrupt("the members of " + path(group), e);
        }
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
            boolean filtered = !ds.getFilters().isEmpty();
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
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw corrupt("dataset " + where, e);
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
        if (e instanceof OutOfMemoryError) {
            return "a declared size is impossibly large (" + type + ")";
        }
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
