package dev.netforge.importer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A small, defensive reader of zip archives held in memory (what a Keras {@code .keras} file is).
 * Supports stored and deflated entries, checks every declared offset and size against the bytes
 * actually present before using it, and checks each entry's CRC-32 and size after extraction, so
 * that truncation and most corruption surface as a {@link WeightFormatException}.
 * ZIP64, encryption and multi-disk archives are rejected with a clear message.
 */
final class ZipArchive {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int CEN_SIG = 0x02014b50;
    private static final int LOC_SIG = 0x04034b50;
    private final byte[] b;
    private final String fileName;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private record Entry(String name, int method, int flags, long crc, long compressedSize, long size, long localOffset) {
    }

    private ZipArchive(byte[] bytes, String fileName) {
        this.b = bytes;
        this.fileName = fileName;
    }

    static boolean looksLikeZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
    }

    /** Parses the central directory of {@code bytes}. */
    static ZipArchive open(byte[] bytes, String fileName) throws WeightFormatException {
        ZipArchive z = new ZipArchive(bytes, fileName);
        z.readDirectory();
        return z;
    }

    /** The entry names, in central-directory order. */
    Iterable<String> names() {
        return entries.keySet();
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    private void readDirectory() throws WeightFormatException {
        // The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes.
        int eocd = -1;
        for (int p = b.length - 22; p >= 0 && p >= b.length - 22 - 65535; p--) {
            if (u32(p) == EOCD_SIG && p + 22 + u16(p + 20) == b.length) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw fail(looksLikeZip(b)
                    ? "truncated or corrupt zip: no end-of-central-directory record at the end of the file"
                    : "not a zip archive (no end-of-central-directory record)");
        }
        int disk = u16(eocd + 4);
        int cdDisk = u16(eocd + 6);
        int countThisDisk = u16(eocd + 8);
        int count = u16(eocd + 10);
        long cdSize = u32(eocd + 12);
        long cdOffset = u32(eocd + 16);
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            throw fail("ZIP64 archives are not supported");
        }
        if (disk != 0 || cdDisk != 0 || countThisDisk != count) {
            throw fail("multi-disk zip archives are not supported (or the directory record is corrupt)");
        }
        if (cdOffset + cdSize > eocd) {
            throw fail("corrupt zip: the central directory (offset " + cdOffset + ", " + cdSize
                    + " bytes) does not end before the end record at " + eocd);
        }
        int p = (int) cdOffset;
        int end = (int) (cdOffset + cdSize);
        for (int i = 0; i < count; i++) {
            if (p + 46 > end) {
                throw fail("corrupt zip: central directory entry " + i + " runs past the directory");
            }
            if (u32(p) != CEN_SIG) {
                throw fail("corrupt zip: bad signature of central directory entry " + i + " at byte " + p);
            }
            int flags = u16(p + 8);
            int method = u16(p + 10);
            long crc = u32(p + 16);
            long csize = u32(p + 20);
            long size = u32(p + 24);
            int nameLen = u16(p + 28);
            int extraLen = u16(p + 30);
            int commentLen = u16(p + 32);
            long local = u32(p + 42);
            if (p + 46L + nameLen + extraLen + commentLen > end) {
                throw fail("corrupt zip: central directory entry " + i + " runs past the directory");
            }
            String name = new String(b, p + 46, nameLen, StandardCharsets.UTF_8);
            if (csize == 0xffffffffL || size == 0xffffffffL || local == 0xffffffffL) {
                throw fail("ZIP64 entry '" + name + "' is not supported");
            }
            if (entries.put(name, new Entry(name, method, flags, crc, csize, size, local)) != null) {
                throw fail("corrupt zip: entry '" + name + "' appears twice");
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        if (p != end) {
            throw fail("corrupt zip: the central directory has " + (end - p) + " unexplained bytes");
        }
        for (Entry e : entries.values()) {
            localDataStart(e); // every entry's local header must agree with the directory
        }
    }

    /** Checks the local header of {@code e} against the directory; returns where its data starts. */
    private long localDataStart(Entry e) throws WeightFormatException {
        String what = "zip entry '" + e.name + "'";
        long lp = e.localOffset;
        if (lp + 30 > b.length) {
            throw fail("truncated or corrupt zip: the local header of " + what + " at byte " + lp + " is past the end");
        }
        int l = (int) lp;
        if (u32(l) != LOC_SIG) {
            throw fail("corrupt zip: bad local header signature for " + what + " at byte " + l);
        }
        int localMethod = u16(l + 8);
        int nameLen = u16(l + 26);
        int extraLen = u16(l + 28);
        if (localMethod != e.method) {
            throw fail("corrupt zip: " + what + " has compression method " + localMethod
                    + " in its local header but " + e.method + " in the directory");
        }
        if (l + 30L + nameLen > b.length
                || !e.name.equals(new String(b, l + 30, nameLen, StandardCharsets.UTF_8))) {
            throw fail("corrupt zip: the local header at byte " + l + " does not name " + what);
        }
        long dataStart = l + 30L + nameLen + extraLen;
        if (dataStart + e.compressedSize > b.length) {
            throw fail("truncated zip: " + what + " needs bytes up to " + (dataStart + e.compressedSize)
                    + " but the file has " + b.length);
        }
        return dataStart;
    }

    /**
     * The uncompressed bytes of entry {@code name}, checked against its size and CRC-32; null when
     * absent. An entry that declares more than {@code limit} bytes is refused before anything is
     * inflated, and one that inflates to more than it declares is refused as soon as it does, so
     * the memory and work spent are bounded by the bytes actually produced, never by a claim.
     */
    byte[] read(String name, long limit) throws WeightFormatException {
        Entry e = entries.get(name);
        if (e == null) {
            return null;
        }
        String what = "zip entry '" + name + "'";
        if ((e.flags & 1) != 0) {
            throw fail(what + " is encrypted");
        }
        if (e.size > limit) {
            throw fail(what + " is too large to import (" + e.size + " bytes; at most " + limit + ")");
        }
        if (e.method == 8 && e.size > e.compressedSize * 1032L + 1024) {
            // deflate cannot expand more than about 1032:1; a larger claim is a corrupt size
            throw fail("corrupt zip: " + what + " claims " + e.size + " bytes from " + e.compressedSize + " compressed");
        }
        long dataStart = localDataStart(e);
        byte[] out;
        if (e.method == 0) {
            if (e.compressedSize != e.size) {
                throw fail("corrupt zip: stored " + what + " has compressed size " + e.compressedSize
                        + " but size " + e.size);
            }
            out = new byte[(int) e.size];
            System.arraycopy(b, (int) dataStart, out, 0, out.length);
        } else if (e.method == 8) {
            out = inflate(e, (int) dataStart, what);
        } else {
            throw fail(what + " uses unsupported compression method " + e.method);
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc) {
            throw fail("corrupt zip: CRC-32 of " + what + " is " + Long.toHexString(crc.getValue())
                    + ", expected " + Long.toHexString(e.crc));
        }
        return out;
    }

    /**
     * Inflates {@code e} into a buffer that grows with the output (the declared size is only an
     * upper bound, as a forged one must not decide what is allocated) and stops one byte past the
     * declared size.
     */
    private byte[] inflate(Entry e, int start, String what) throws WeightFormatException {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(b, start, (int) e.compressedSize);
            byte[] out = new byte[(int) Math.min(e.size + 1, 1 << 16)];
            long n = 0;
            while (true) {
                if (n == out.length) {
                    if (n > e.size) {
                        throw fail("corrupt zip: " + what + " inflates to more than the " + e.size
                                + " bytes it declares");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(e.size + 1, 2 * n));
                }
                int k = inf.inflate(out, (int) n, out.length - (int) n);
                if (k == 0) {
                    break; // finished, or needs input or a dictionary it will never get
                }
                n += k;
            }
            if (n != e.size || !inf.finished()) {
                throw fail("corrupt zip: " + what + " inflates to " + n + " bytes, declared " + e.size
                        + (inf.finished() ? "" : " (the deflate data ends early)"));
            }
            return n == out.length ? out : Arrays.copyOf(out, (int) n);
        } catch (DataFormatException ex) {
            throw new WeightFormatException(fileName, "corrupt zip: " + what + " is not valid deflate data: "
                    + ex.getMessage(), ex);
        } finally {
            inf.end();
        }
    }

    private int u16(int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private long u32(int p) {
        return ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (long) (b[p + 3] & 0xff) << 24);
    }

    private WeightFormatException fail(String problem) {
        return new WeightFormatException(fileName, problem);
    }
}
