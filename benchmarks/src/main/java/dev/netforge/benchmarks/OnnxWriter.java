package dev.netforge.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a complete ONNX {@code ModelProto} (IR version 8, default-domain opset 13): one float32
 * graph input and output with fixed shapes, float32 initializers (scalars too, {@link #scalar}) and
 * nodes with integer or integer-list attributes. Nodes name the tensors they read, so a graph that branches and merges
 * (a ResNet's shortcuts: a tensor read by two nodes, an {@link #add} of two) is written node by node
 * in any topological order. Just enough protobuf to hand ONNX Runtime a model built in memory, so
 * the benchmarks need no committed model files. Field numbers are those of {@code onnx.proto3}.
 */
final class OnnxWriter {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int TENSOR_FLOAT = 1;
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_INTS = 7;

    private final List<Message> nodes = new ArrayList<>();
    private final List<Message> initializers = new ArrayList<>();
    private Message input;
    private Message output;

    /** The graph's float32 input. */
    OnnxWriter input(String name, long... dims) {
        input = valueInfo(name, dims);
        return this;
    }

    /** The graph's float32 output. */
    OnnxWriter output(String name, long... dims) {
        output = valueInfo(name, dims);
        return this;
    }

    /** A float32 initializer (a weight tensor), stored as little-endian {@code raw_data}. */
    OnnxWriter initializer(String name, float[] values, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for a tensor of " + count);
        }
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        initializers.add(new Message().packed(1, dims).varint(2, TENSOR_FLOAT).string(8, name).bytes(9, data.array()));
        return this;
    }

    /**
     * A float32 scalar initializer (a tensor of rank 0), for the inputs that opset 13 takes as tensors
     * rather than attributes, such as {@code Clip}'s min and max.
     */
    OnnxWriter scalar(String name, float value) {
        return initializer(name, new float[] {value});
    }

    /** A node of the default domain; {@code attributes} come from {@link #intAttribute} and {@link #intsAttribute}. */
    OnnxWriter node(String opType, List<String> inputs, String output, Message... attributes) {
        Message node = new Message();
        for (String in : inputs) {
            node.string(1, in);
        }
        node.string(2, output).string(3, opType + "_" + nodes.size()).string(4, opType);
        for (Message attribute : attributes) {
            node.message(5, attribute);
        }
        nodes.add(node);
        return this;
    }

    /** An element-wise {@code Add} of two tensors of the same shape, such as a residual block's sum. */
    OnnxWriter add(String a, String b, String output) {
        return node("Add", List.of(a, b), output);
    }

    static Message intAttribute(String name, long value) {
        return new Message().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
    }

    static Message intsAttribute(String name, long... values) {
        return new Message().string(1, name).packed(8, values).varint(20, ATTRIBUTE_INTS);
    }

    /** The serialised {@code ModelProto}. */
    byte[] toBytes() {
        if (input == null || output == null) {
            throw new IllegalStateException("the graph needs an input and an output");
        }
        Message graph = new Message();
        for (Message node : nodes) {
            graph.message(1, node);
        }
        graph.string(2, "netforge_benchmark");
        for (Message initializer : initializers) {
            graph.message(5, initializer);
        }
        graph.message(11, input).message(12, output);
        Message opset = new Message().string(1, "").varint(2, 13);
        return new Message().varint(1, 8).string(2, "netforge-benchmarks").message(7, graph).message(8, opset).toBytes();
    }

    /** ValueInfoProto of a float32 tensor with a fixed shape. */
    private static Message valueInfo(String name, long... dims) {
        Message shape = new Message();
        for (long d : dims) {
            shape.message(1, new Message().varint(1, d));
        }
        Message tensorType = new Message().varint(1, TENSOR_FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }

    /** A protobuf message being written, fields in the order they are added. */
    static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Message tag(int field, int wireType) {
            return unsigned(((long) field << 3) | wireType);
        }

        private Message unsigned(long value) {
            while ((value & ~0x7fL) != 0) {
                out.write((int) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
            return this;
        }

        Message varint(int field, long value) {
            return tag(field, WIRE_VARINT).unsigned(value);
        }

        Message bytes(int field, byte[] value) {
            tag(field, WIRE_LENGTH_DELIMITED).unsigned(value.length);
            out.writeBytes(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.toBytes());
        }

        Message packed(int field, long... values) {
            Message payload = new Message();
            for (long v : values) {
                payload.unsigned(v);
            }
            return bytes(field, payload.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
