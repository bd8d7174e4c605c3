package dev.netforge.importer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes ONNX protobuf for tests: just the fields OnnxReader reads, with the spec's field numbers.
 * Public for the processor's tests, which build ONNX graphs with it too.
 */
public final class OnnxBuilder {
    /** A protobuf message being written. */
    public static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Pb tag(int field, int wire) {
            return raw(((long) field << 3) | wire);
        }

        public Pb raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        public Pb varint(int field, long v) {
            return tag(field, 0).raw(v);
        }

        public Pb bytes(int field, byte[] b) {
            tag(field, 2).raw(b.length);
            out.writeBytes(b);
            return this;
        }

        public Pb string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        public Pb msg(int field, Pb m) {
            return bytes(field, m.toBytes());
        }

        public Pb float32(int field, float f) {
            tag(field, 5);
            int bits = Float.floatToRawIntBits(f);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
            return this;
        }

        public Pb packed(int field, long... values) {
            Pb p = new Pb();
            for (long v : values) {
                p.raw(v);
            }
            return bytes(field, p.toBytes());
        }

        public byte[] toBytes() {
            return out.toByteArray();
        }
    }

    private final List<Pb> nodes = new ArrayList<>();
    private final List<Pb> initializers = new ArrayList<>();
    private final List<Pb> inputs = new ArrayList<>();
    private final List<Pb> outputs = new ArrayList<>();
    private long opset = 13;
    private String producer = "builder";
    private String producerVersion = "0.1";

    /** The producer_name and producer_version written, e.g. "pytorch", "2.1.0" or "tf2onnx", "1.16.1". */
    public OnnxBuilder producer(String name, String version) {
        producer = name;
        producerVersion = version;
        return this;
    }

    public OnnxBuilder opset(long v) {
        opset = v;
        return this;
    }

    /** A float initializer stored as raw little-endian data. */
    public OnnxBuilder initializer(String name, float[] data, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            bb.putFloat(f);
        }
        initializers.add(new Pb().packed(1, dims).varint(2, 1).string(8, name).bytes(9, bb.array()));
        return this;
    }

    /** A float initializer stored in float_data (packed). */
    public OnnxBuilder initializerFloatData(String name, float[] data, long... dims) {
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

    public OnnxBuilder initializerInt64(String name, long[] data, long... dims) {
        initializers.add(new Pb().packed(1, dims).varint(2, 7).packed(7, data).string(8, name));
        return this;
    }

    public OnnxBuilder rawInitializer(Pb tensor) {
        initializers.add(tensor);
        return this;
    }

    public OnnxBuilder input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
        return this;
    }

    public OnnxBuilder output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
        return this;
    }

    public static Pb valueInfo(String name, long... dims) {
        Pb shape = new Pb();
        for (long d : dims) {
            shape.msg(1, d < 0 ? new Pb().string(2, "N") : new Pb().varint(1, d));
        }
        Pb tensorType = new Pb().varint(1, 1).msg(2, shape);
        return new Pb().string(1, name).msg(2, new Pb().msg(1, tensorType));
    }

    public OnnxBuilder node(String op, String[] in, String[] out, Pb... attrs) {
        return namedNode("/" + op + "_" + nodes.size(), op, in, out, attrs);
    }

    /** A node with the given name, e.g. PyTorch's {@code /layer1/layer1.0/conv1/Conv}. */
    public OnnxBuilder namedNode(String name, String op, String[] in, String[] out, Pb... attrs) {
        Pb n = new Pb();
        for (String s : in) {
            n.string(1, s);
        }
        for (String s : out) {
            n.string(2, s);
        }
        n.string(3, name).string(4, op);
        for (Pb a : attrs) {
            n.msg(5, a);
        }
        nodes.add(n);
        return this;
    }

    public static Pb ints(String name, long... v) {
        return new Pb().string(1, name).packed(8, v).varint(20, 7);
    }

    public static Pb intAttr(String name, long v) {
        return new Pb().string(1, name).varint(3, v).varint(20, 2);
    }

    public static Pb floatAttr(String name, float v) {
        return new Pb().string(1, name).float32(2, v).varint(20, 1);
    }

    public static Pb floatsAttr(String name, float... v) {
        Pb p = new Pb();
        for (float f : v) {
            int bits = Float.floatToRawIntBits(f);
            for (int i = 0; i < 4; i++) {
                p.out.write(bits >>> (8 * i));
            }
        }
        return new Pb().string(1, name).bytes(7, p.toBytes()).varint(20, 6);
    }

    public static Pb stringAttr(String name, String v) {
        return new Pb().string(1, name).string(4, v).varint(20, 3);
    }

    public static Pb tensorAttr(String name, Pb tensor) {
        return new Pb().string(1, name).msg(5, tensor).varint(20, 4);
    }

    public byte[] build() {
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
        return new Pb().varint(1, 8).string(2, producer).string(3, producerVersion).msg(7, g)
                .msg(8, new Pb().string(1, "").varint(2, opset)).toBytes();
    }

    public static String[] names(String... s) {
        return s;
    }
}
