package dev.netforge.importer;

import java.util.HashSet;
import java.util.Set;

/**
 * Walks the version-1 B-trees of an HDF5 image (the member index of an old-style group, and the
 * chunk index of a chunked dataset: what h5py writes) before jHDF does, and checks the entry count
 * of a fixed-array chunk index. jHDF follows these trees as the file states them: a node that
 * lists the same child many times over is walked many times over (a 24 KB file whose nodes each
 * name the next one 64 times kept it busy for a minute) and a node that lists itself recurses until
 * the stack overflows. Here each node is visited once, reading only the bytes that jHDF will read,
 * and a node reached twice, a level that does not descend by one, or more members than
 * {@link #MAX_MEMBERS} is a {@link WeightFormatException}.
 */
final class Hdf5Index {
    /**
     * The most members one group may have. Keras writes one group per layer and one dataset per
     * weight; jHDF reads the object header of each member as it lists the group.
     */
    static final int MAX_MEMBERS = 10_000;

    private static final int GROUP_NODE = 0;
    private static final int CHUNK_NODE = 1;

    private final byte[] b;
    private final long base;
    private final int offsetSize;
    private final int lengthSize;
    private final String fileName;

    Hdf5Index(byte[] bytes, long base, int offsetSize, int lengthSize, String fileName) {
        this.b = bytes;
        this.base = base;
        this.offsetSize = offsetSize;
        this.lengthSize = lengthSize;
        this.fileName = fileName;
    }

    /** Checks the member index of an old-style group: its B-tree and the symbol table nodes it lists. */
    void checkGroup(long btreeAddress, String where) throws WeightFormatException {
        Set<Long> nodes = new HashSet<>();
        Set<Long> objects = new HashSet<>();
        int[] members = {0};
        // jHDF reads the keys of inner group nodes with the size of offsets and those of leaves with
        // the size of lengths (equal in every file h5py writes): the walk follows the same bytes
        walk(btreeAddress, GROUP_NODE, -1, offsetSize, lengthSize, nodes, where, snod -> {
            // symbol table node: "SNOD", version, reserved, number of symbols (2 bytes), entries
            long at = absolute(snod, 8, where);
            if (b[(int) at] != 'S' || b[(int) at + 1] != 'N' || b[(int) at + 2] != 'O' || b[(int) at + 3] != 'D') {
                throw fail(where + ": the group index lists a symbol table at " + snod + " that is none");
            }
            int count = u16(at + 6);
            members[0] += count;
            if (members[0] > MAX_MEMBERS) {
                throw fail(where + " has more than " + MAX_MEMBERS + " members");
            }
            long entry = 2L * offsetSize + 24;
            absolute(snod + 8, count * entry, where);
            for (int i = 0; i < count; i++) {
                long e = at + 8 + i * entry; // name offset, object header address, cache type, ...
                if (read(e + 2L * offsetSize, 4) == 2) {
                    continue; // a soft link: its address field means nothing
                }
                long object = read(e + offsetSize, offsetSize);
                if (!objects.add(object)) {
                    // legal HDF5 (two links to one object) but never written by Keras, and each
                    // repetition makes jHDF parse the same object header again
                    throw fail(where + " lists the object at " + object + " twice");
                }
            }
        });
    }

    /** Checks the chunk index (a version-1 B-tree) of a chunked dataset of {@code rank} dimensions. */
    void checkChunks(long btreeAddress, int rank, String where) throws WeightFormatException {
        int key = 8 + 8 * (rank + 1); // chunk size, filter mask, an offset per dimension and one for the element
        walk(btreeAddress, CHUNK_NODE, -1, key, key, new HashSet<>(), where, chunk -> { });
    }

    /**
     * Checks the header of a fixed-array chunk index (HDF5 1.10, as jHDF writes chunked datasets):
     * jHDF sizes its list of chunks by the entry count stated there, which cannot exceed the
     * {@code chunks} of the dataset's chunk grid.
     */
    void checkFixedArray(long address, long chunks, String where) throws WeightFormatException {
        // "FAHD", version, client id, entry size, page bits, number of entries (size of lengths), ...
        long at = absolute(address, 8L + lengthSize, where);
        if (b[(int) at] != 'F' || b[(int) at + 1] != 'A' || b[(int) at + 2] != 'H' || b[(int) at + 3] != 'D') {
            throw fail(where + ": no fixed-array chunk index at " + address);
        }
        long entries = read(at + 8, lengthSize);
        if (entries < 0 || entries > chunks) {
            throw fail(where + ": its fixed-array chunk index declares " + Long.toUnsignedString(entries)
                    + " entries for " + chunks + " chunks");
        }
    }

    private interface Leaf {
        void child(long address) throws WeightFormatException;
    }

    /**
     * Visits the B-tree node at {@code address} and below; {@code level} is the level it must have
     * (-1 for the root). Inner-node keys are {@code innerKey} bytes, leaf keys {@code leafKey}.
     */
    private void walk(long address, int type, int level, int innerKey, int leafKey, Set<Long> visited, String where,
                      Leaf leaf) throws WeightFormatException {
        if (!visited.add(address)) {
            throw fail(where + ": B-tree node " + address + " is reached twice (the index is not a tree)");
        }
        long at = absolute(address, 8 + 2L * offsetSize, where);
        if (b[(int) at] != 'T' || b[(int) at + 1] != 'R' || b[(int) at + 2] != 'E' || b[(int) at + 3] != 'E') {
            throw fail(where + ": no B-tree node at " + address);
        }
        if (b[(int) at + 4] != type) {
            throw fail(where + ": B-tree node " + address + " has node type " + b[(int) at + 4] + ", not " + type);
        }
        int nodeLevel = b[(int) at + 5] & 0xff;
        if (level >= 0 && nodeLevel != level) {
            throw fail(where + ": B-tree node " + address + " has level " + nodeLevel + " below a node of level "
                    + (level + 1));
        }
        int entries = u16(at + 6);
        int key = nodeLevel > 0 ? innerKey : leafKey;
        long keys = absolute(address + 8 + 2L * offsetSize, (long) entries * (key + offsetSize) + key, where);
        for (int i = 0; i < entries; i++) {
            long child = read(keys + (long) i * (key + offsetSize) + key, offsetSize);
            if (nodeLevel > 0) {
                walk(child, type, nodeLevel - 1, innerKey, leafKey, visited, where, leaf);
            } else {
                leaf.child(child);
            }
        }
    }

    /** The position in the image of {@code length} bytes at file address {@code address}, checked. */
    private long absolute(long address, long length, String where) throws WeightFormatException {
        long at = base + address;
        if (address < 0 || at < 0 || length < 0 || at + length > b.length) {
            throw fail(where + ": index data at " + address + " (" + length + " bytes) lies outside the file");
        }
        return at;
    }

    private int u16(long at) {
        return (b[(int) at] & 0xff) | (b[(int) at + 1] & 0xff) << 8;
    }

    private long read(long at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[(int) at + i] & 0xff);
        }
        return v;
    }

    private WeightFormatException fail(String problem) {
        return new WeightFormatException(fileName, problem);
    }
}
