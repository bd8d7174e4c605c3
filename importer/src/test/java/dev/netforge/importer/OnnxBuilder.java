package dev.netforge.importer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes ONNX protobuf for tests: just the fields OnnxReader reads, with the spec's field numbers. */
final class OnnxBuilder {
    /** A protobuf message being written. */
    static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pb tag(int field, int wire) {
            return raw(((long) field << 3) | wire);
        }

        Pb raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Pb varint(int field, long v) {
            return tag(field, 0).raw(v);
        }

        Pb bytes(int field, byte[] b) {
            tag(field, 2).raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Pb string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Pb msg(int field, Pb m) {
            return bytes(field, m.toBytes());
        }

        Pb float32(int field, float f) {
            tag(field, 5);
            int bits = Float.floatToRawIntBits(f);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
            return this;
        }

        Pb packed(int field, long... values) {
            Pb p = new Pb();
            for (long v : values) {
                p.raw(v);
            }
            return bytes(field, p.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    private final List<Pb> nodes = new ArrayList<>();
    private final List<Pb> initializers = new ArrayList<>();
    private final List<Pb> inputs = new ArrayList<>();
    private final List<Pb> outputs = new ArrayList<>();
    private long opset = 13;

    OnnxBuilder opset(long v) {
        opset = v;
        return this;
    }

    /** A float initializer stored as raw little-endian data. */
    OnnxBuilder initializer(String name, float[] data, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            bb.putFloat(f);
        }
        initializers.add(new Pb().packed(1, dims).varint(2, 1).string(8, name).bytes(9, bb.array()));
        return this;
    }

    /** A float initializer stored in float_data (packed). */
    OnnxBuilder initializerFloatData(String name, float[] data, long... dims) {
        Pb fd = new Pb();
        for (float f : data) {
            int bits = Float.floatToRawIntBits(f);
            for (int i = 0; i < 4; i++) {
                fd.out.write(bits >>> (8 * i));
            }
        }
        initializers.add(new Pb().packed(1, dims).varint(2, 1).bytes(4, fd.toBytes()).string(8, name));
        return this;
    }

    OnnxBuilder initializerInt64(String name, long[] data, long... dims) {
        initializers.add(new Pb().packed(1, dims).varint(2, 7).packed(7, data).string(8, name));
        return this;
    }

    OnnxBuilder rawInitializer(Pb tensor) {
        initializers.add(tensor);
        return this;
    }

    OnnxBuilder input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
        return this;
    }

    OnnxBuilder output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
        return this;
    }

    static Pb valueInfo(String name, long... dims) {
        Pb shape = new Pb();
        for (long d : dims) {
            shape.msg(1, d < 0 ? new Pb().string(2, "N") : new Pb().varint(1, d));
        }
        Pb tensorType = new Pb().varint(1, 1).msg(2, shape);
        return new Pb().string(1, name).msg(2, new Pb().msg(1, tensorType));
    }

    OnnxBuilder node(String op, String[] in, String[] out, Pb... attrs) {
        Pb n = new Pb();
        for (String s : in) {
            n.string(1, s);
        }
        for (String s : out) {
            n.string(2, s);
        }
        n.string(3, "/" + op + "_" + nodes.size()).string(4, op);
        for (Pb a : attrs) {
            n.msg(5, a);
        }
        nodes.add(n);
        return this;
    }

    static Pb ints(String name, long... v) {
        return new Pb().string(1, name).packed(8, v).varint(20, 7);
    }

    static Pb intAttr(String name, long v) {
        return new Pb().string(1, name).varint(3, v).varint(20, 2);
    }

    static Pb floatAttr(String name, float v) {
        return new Pb().string(1, name).float32(2, v).varint(20, 1);
    }

    static Pb stringAttr(String name, String v) {
        return new Pb().string(1, name).string(4, v).varint(20, 3);
    }

    static Pb tensorAttr(String name, Pb tensor) {
        return new Pb().string(1, name).msg(5, tensor).varint(20, 4);
    }

    byte[] build() {
        Pb g = new Pb();
        for (Pb n : nodes) {
            g.msg(1, n);
        }
        g.string(2, "test_graph");
        for (Pb t : initializers) {
            g.msg(5, t);
        }
        for (Pb i : inputs) {
            g.msg(11, i);
        }
        for (Pb o : outputs) {
            g.msg(12, o);
        }
        return new Pb().varint(1, 8).string(2, "builder").string(3, "0.1").msg(7, g)
                .msg(8, new Pb().string(1, "").varint(2, opset)).toBytes();
    }

    static String[] names(String... s) {
        return s;
    }
}
