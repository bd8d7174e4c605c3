package dev.netforge.importer;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A cursor over one protocol-buffer message in a byte array: just the wire format (varint,
 * 64-bit, length-delimited, 32-bit), with every length checked against the bytes that remain in
 * the enclosing message before anything is allocated. Groups (wire types 3 and 4, unused by
 * ONNX) and malformed varints are rejected.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int I32 = 5;

    private final byte[] b;
    private int pos;
    private final int end;
    private final String fileName;
    private final String context;
    private int field;
    private int wireType;

    ProtoReader(byte[] b, int start, int end, String fileName, String context) {
        this.b = b;
        this.pos = start;
        this.end = end;
        this.fileName = fileName;
        this.context = context;
    }

    boolean hasNext() {
        return pos < end;
    }

    /** Reads the next tag; returns the field number (wire type in {@link #wireType()}). */
    int next() throws WeightFormatException {
        long tag = varint();
        if (tag > 0xffffffffL || tag < 0) {
            throw fail("field tag " + tag + " out of range");
        }
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (field == 0) {
            throw fail("field number 0 at byte " + (pos - 1));
        }
        if (wireType == 3 || wireType == 4 || wireType == 6 || wireType == 7) {
            throw fail("wire type " + wireType + " (field " + field + ") at byte " + (pos - 1));
        }
        return field;
    }

    /**
     * Fails if a singular field occurs twice in this message. Protobuf would let the last one win,
     * but no ONNX writer repeats them, and a repeat is what a corrupted tag byte looks like.
     */
    void once(String what) throws WeightFormatException {
        long bit = field < 64 ? 1L << field : 0;
        if ((seenSingular & bit) != 0) {
            throw fail(what + " (field " + field + ") occurs twice");
        }
        seenSingular |= bit;
    }

    private long seenSingular;

    int wireType() {
        return wireType;
    }

    int position() {
        return pos;
    }

    long varint() throws WeightFormatException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw truncated("inside a varint");
            }
            int x = b[pos++] & 0xff;
            if (shift == 63 && x > 1) {
                throw fail("varint longer than 64 bits at byte " + (pos - 1));
            }
            v |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return v;
            }
        }
        throw fail("varint longer than 10 bytes at byte " + pos);
    }

    int fixed32() throws WeightFormatException {
        need(4, "a 32-bit value");
        int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | (b[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long fixed64() throws WeightFormatException {
        need(8, "a 64-bit value");
        long lo = fixed32() & 0xffffffffL;
        long hi = fixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** Reads the length of a length-delimited field and checks it fits; returns its start offset. */
    int lengthDelimited(String what) throws WeightFormatException {
        requireWire(LEN, what);
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw truncated(what + " declares " + len + " bytes but only " + (end - pos) + " remain");
        }
        int start = pos;
        pos += (int) len;
        return start;
    }

    /** A reader over the embedded message of the current length-delimited field. */
    ProtoReader message(String what) throws WeightFormatException {
        int start = lengthDelimited(what);
        return new ProtoReader(b, start, pos, fileName, context + " > " + what);
    }

    /** The current length-delimited field as a UTF-8 string. */
    String string(String what) throws WeightFormatException {
        int start = lengthDelimited(what);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, start, pos - start)).toString();
        } catch (CharacterCodingException e) {
            throw fail(what + " is not valid UTF-8");
        }
    }

    /** The bytes of the whole array (for views given by offsets). */
    byte[] buffer() {
        return b;
    }

    void requireWire(int expected, String what) throws WeightFormatException {
        if (wireType != expected) {
            throw fail(what + " (field " + field + ") has wire type " + wireType + ", expected " + expected);
        }
    }

    void skip() throws WeightFormatException {
        switch (wireType) {
            case VARINT:
                varint();
                break;
            case I64:
                need(8, "a 64-bit value");
                pos += 8;
                break;
            case LEN:
                lengthDelimited("field " + field);
                break;
            case I32:
                need(4, "a 32-bit value");
                pos += 4;
                break;
            default:
                throw fail("wire type " + wireType);
        }
    }

    /** Reads a repeated varint field, packed or not, into {@code out}. */
    void varints(LongList out, String what) throws WeightFormatException {
        if (wireType == VARINT) {
            out.add(varint());
        } else if (wireType == LEN) {
            ProtoReader packed = message(what);
            while (packed.hasNext()) {
                out.add(packed.varint());
            }
        } else {
            throw fail(what + " has wire type " + wireType);
        }
    }

    /** Reads a repeated 32-bit float field, packed or not, into {@code out}. */
    void floats(FloatList out, String what) throws WeightFormatException {
        if (wireType == I32) {
            out.add(Float.intBitsToFloat(fixed32()));
        } else if (wireType == LEN) {
            int start = lengthDelimited(what);
            int len = pos - start;
            if (len % 4 != 0) {
                throw fail(what + " has " + len + " bytes, not a multiple of 4");
            }
            ByteBuffer bb = ByteBuffer.wrap(b, start, len).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            out.ensure(len / 4);
            for (int i = 0; i < len / 4; i++) {
                out.add(bb.getFloat());
            }
        } else {
            throw fail(what + " has wire type " + wireType);
        }
    }

    /** Reads a repeated 64-bit double field, packed or not, into {@code out} (as floats). */
    void doubles(FloatList out, String what) throws WeightFormatException {
        if (wireType == I64) {
            out.add((float) Double.longBitsToDouble(fixed64()));
        } else if (wireType == LEN) {
            int start = lengthDelimited(what);
            int len = pos - start;
            if (len % 8 != 0) {
                throw fail(what + " has " + len + " bytes, not a multiple of 8");
            }
            ByteBuffer bb = ByteBuffer.wrap(b, start, len).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            out.ensure(len / 8);
            for (int i = 0; i < len / 8; i++) {
                out.add((float) bb.getDouble());
            }
        } else {
            throw fail(what + " has wire type " + wireType);
        }
    }

    private void need(int n, String what) throws WeightFormatException {
        if (end - pos < n) {
            throw truncated("inside " + what);
        }
    }

    private WeightFormatException truncated(String detail) {
        return new WeightFormatException(fileName, "truncated or corrupt ONNX protobuf in " + context + ": " + detail);
    }

    WeightFormatException fail(String detail) {
        return new WeightFormatException(fileName, "corrupt ONNX protobuf in " + context + ": " + detail);
    }

    /** A growable list of longs. */
    static final class LongList {
        private long[] a = new long[8];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        long get(int i) {
            return a[i];
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    /** A growable list of floats. */
    static final class FloatList {
        private float[] a = new float[8];
        private int n;

        /** Makes room for {@code more} elements (callers have checked the bytes exist). */
        void ensure(int more) {
            if (n + more > a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + more));
            }
        }

        void add(float v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
