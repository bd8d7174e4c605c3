package dev.netforge.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import dev.netforge.shapes.KerasShapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model, as PyTorch (torch.onnx) and tf2onnx export them, and describes it in
 * NetForge's (Keras's) terms: NHWC activations, HWIO convolution kernels, (inputs, units) dense
 * kernels, and for each layer the layers it takes.
 *
 * <p>The graph has one data input and one output; its nodes, in the file's (topological) order,
 * become the layers in that order. Every node computing on the data must reach the output.
 * Understood operators: Conv (grouped and depthwise too; a BatchNormalization the exporter folded
 * is just its bias), ConvTranspose (Conv2DTranspose 'valid' or 'same', or 'valid' followed by a
 * Cropping2D when its pads and output_padding cut another window, as PyTorch's
 * {@code ConvTranspose2d(padding=1, output_padding=1)} does), Relu/Sigmoid/Tanh/Softmax/LogSoftmax, Softplus/Softsign/Mish, Elu and
 * Selu with their default constants, HardSigmoid(1/6, 0.5) (Keras 3's and PyTorch's), Gelu (exact or
 * tanh-approximated) and Clip(0, 6) (ReLU6), fused
 * into the preceding Conv, ConvTranspose or dense layer as its activation when they are its only
 * reader, else an Activation layer; LeakyRelu (LeakyReLU); MaxPool, AveragePool,
 * GlobalAveragePool, GlobalMaxPool; Flatten and Reshape (to (batch, -1), and a vector to
 * (batch, C, H, W)); Gemm, MatMul (+ Add of a constant bias); BatchNormalization, Dropout,
 * Identity; the element-wise merges Add, Sum, Sub, Mul, Max, Min, Mean of tensors of one shape
 * (Keras's Add, Subtract, Multiply, Maximum, Minimum, Average; no broadcasting); Concat along the
 * channels (Concatenate); Resize/Upsample, nearest, by whole factors (UpSampling2D); Transpose
 * between N x C x H x W and N x H x W x C (tf2onnx keeps a Keras model's NHWC input and
 * transposes it). Constant nodes and the integer shape computations exporters write beside the
 * network (Shape, Gather, Unsqueeze, Concat, Slice, ...; e.g. for {@code x.view(x.size(0), -1)})
 * are evaluated where their values are needed.
 *
 * <p>Layout conversions: Conv weights OIHW → HWIO (depthwise: (C·M, 1, KH, KW) → (KH, KW, C, M));
 * ConvTranspose (CIN, F, KH, KW) → (KH, KW, F, CIN); Gemm with {@code transB=1} (U, N) → (N, U).
 * A Flatten of a C×H×W tensor leaves a vector whose order differs from NetForge's H,W,C flattening;
 * that order is followed through the graph (element-wise layers and merges keep it, batch
 * normalization's vectors are permuted) to the dense layer that reads it, whose rows are permuted,
 * or to a Reshape back to the same C×H×W. A Reshape of a dense layer's output to (C, H, W) permutes
 * that layer's columns instead. Shapes are tracked from the graph input, NCHW, through the layers.
 * ONNX padding is mapped to 'valid' (no padding) or 'same' (the pads TensorFlow's 'same' gives for
 * that input size); anything else, like PyTorch's symmetric padding of an even input with stride 2,
 * is reported as a {@link WeightFormatException} because NetForge could not compute the same
 * numbers. So is every other node or graph NetForge cannot compute exactly, with the node's
 * operator and name.
 */
public final class OnnxReader {
    private static final int FLOAT = 1;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    private static final int FLOAT16 = 10;
    private static final int DOUBLE = 11;

    /** Ops that may sit beside the network, computing shapes (e.g. for {@code x.view(x.size(0), -1)}). */
    private static final Set<String> SHAPE_OPS = Set.of("Constant", "Shape", "Gather", "Unsqueeze", "Squeeze",
            "Concat", "Cast", "Slice", "ConstantOfShape", "Identity", "Mul", "Div", "Add", "Sub", "Range", "ReduceProd");
    /** The element-wise merging operators and the Keras merge each one is. */
    private static final Map<String, String> MERGES = Map.of("Add", "Add", "Sum", "Add", "Sub", "Subtract",
            "Mul", "Multiply", "Max", "Maximum", "Min", "Minimum", "Mean", "Average");
    private static final Map<String, String> ACTIVATIONS = Map.ofEntries(Map.entry("Relu", "relu"),
            Map.entry("Sigmoid", "sigmoid"), Map.entry("Tanh", "tanh"), Map.entry("Softmax", "softmax"),
            Map.entry("LogSoftmax", "log_softmax"), Map.entry("Softplus", "softplus"), Map.entry("Softsign", "softsign"),
            Map.entry("Mish", "mish"));
    /** ONNX's defaults for Selu, float32 as the operator spec writes them. */
    private static final float SELU_ALPHA = 1.67326319217681884765625f;
    private static final float SELU_GAMMA = 1.05070102214813232421875f;

    private final String fileName;
    private final byte[] bytes;

    // the parsed model
    private long irVersion = -1;
    private String producerName = "";
    private String producerVersion = "";
    private final Map<String, Long> opsets = new HashMap<>();
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final Map<String, OnnxTensor> constants = new LinkedHashMap<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final List<String> initializerNames = new ArrayList<>();

    private OnnxReader(byte[] bytes, String fileName) {
        this.bytes = bytes;
        this.fileName = fileName;
    }

    /** Reads an ONNX file. */
    public static ImportedModel read(Path file) throws IOException {
        return read(Files2.readAll(file), String.valueOf(file.getFileName()));
    }

    /** Reads an ONNX model from the bytes of a file; {@code fileName} names it in error messages. */
    public static ImportedModel read(byte[] bytes, String fileName) throws WeightFormatException {
        if (bytes.length == 0) {
            throw new WeightFormatException(fileName, "empty file");
        }
        if (Hdf5.signatureOffset(bytes) >= 0 || ZipArchive.looksLikeZip(bytes)) {
            throw new WeightFormatException(fileName, "not an ONNX model: this is "
                    + (ZipArchive.looksLikeZip(bytes) ? "a zip archive (a Keras .keras file?)" : "an HDF5 file (a Keras .h5 file?)")
                    + "; use KerasReader");
        }
        OnnxReader r = new OnnxReader(bytes, fileName);
        try {
            r.parseModel();
        } catch (WeightFormatException e) {
            throw new WeightFormatException(fileName, "not a valid ONNX model: "
                    + e.getMessage().substring(fileName.length() + 2), e);
        }
        return r.convert();
    }

    // ================================================================ protobuf → model

    private record ValueInfo(String name, int elemType, Object[] dims) {
    }

    private record OnnxNode(int index, String name, String opType, String domain, List<String> inputs,
                            List<String> outputs, Map<String, Attr> attrs) {
        String label() {
            return opType + (name.isEmpty() ? " node #" + index : " node '" + name + "'");
        }
    }

    private record Attr(String name, int type, Float f, Long i, String s, OnnxTensor t, float[] floats, long[] ints) {
    }

    /** A tensor as stored: the data stays in the file buffer (raw) or in the lists it was parsed into. */
    private static final class OnnxTensor {
        String name = "";
        final ProtoReader.LongList dims = new ProtoReader.LongList();
        int dataType;
        int rawStart = -1;
        int rawLength;
        final ProtoReader.FloatList floatData = new ProtoReader.FloatList();
        final ProtoReader.LongList int64Data = new ProtoReader.LongList();
        final ProtoReader.LongList int32Data = new ProtoReader.LongList();
        boolean external;
    }

    private void parseModel() throws WeightFormatException {
        ProtoReader m = new ProtoReader(bytes, 0, bytes.length, fileName, "ModelProto");
        boolean haveGraph = false;
        while (m.hasNext()) {
            switch (m.next()) {
                case 1:
                    m.once("ir_version");
                    m.requireWire(ProtoReader.VARINT, "ir_version");
                    irVersion = m.varint();
                    break;
                case 2:
                    m.once("producer_name");
                    producerName = m.string("producer_name");
                    break;
                case 3:
                    m.once("producer_version");
                    producerVersion = m.string("producer_version");
                    break;
                case 7:
                    m.once("graph");
                    parseGraph(m.message("graph"));
                    haveGraph = true;
                    break;
                case 8:
                    parseOpset(m.message("opset_import"));
                    break;
                default:
                    m.skip();
            }
        }
        if (irVersion < 1 || irVersion > 100) {
            throw new WeightFormatException(fileName, irVersion < 0 ? "no ir_version (field 1): not an ONNX model"
                    : "implausible ir_version " + irVersion);
        }
        if (!haveGraph) {
            throw new WeightFormatException(fileName, "no graph (field 7): not an ONNX model, or truncated");
        }
        if (opsets.isEmpty()) {
            throw new WeightFormatException(fileName, "no opset_import (field 8): truncated or not an ONNX model");
        }
    }

    private void parseOpset(ProtoReader p) throws WeightFormatException {
        String domain = "";
        long version = -1;
        while (p.hasNext()) {
            switch (p.next()) {
                case 1:
                    p.once("opset domain");
                    domain = p.string("opset domain");
                    break;
                case 2:
                    p.once("opset version");
                    p.requireWire(ProtoReader.VARINT, "opset version");
                    version = p.varint();
                    break;
                default:
                    p.skip();
            }
        }
        opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
    }

    private void parseGraph(ProtoReader g) throws WeightFormatException {
        while (g.hasNext()) {
            switch (g.next()) {
                case 1:
                    nodes.add(parseNode(g.message("node"), nodes.size()));
                    break;
                case 5: {
                    OnnxTensor t = parseTensor(g.message("initializer"));
                    initializerNames.add(t.name);
                    if (constants.put(t.name, t) != null) {
                        throw g.fail("two initializers named '" + t.name + "'");
                    }
                    break;
                }
                case 11:
                    inputs.add(parseValueInfo(g.message("input")));
                    break;
                case 12:
                    outputs.add(parseValueInfo(g.message("output")));
                    break;
                default:
                    g.skip(); // name, value_info, doc_string, sparse initializers, ...
            }
        }
    }

    private OnnxNode parseNode(ProtoReader p, int index) throws WeightFormatException {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = null;
        String domain = "";
        Map<String, Attr> attrs = new LinkedHashMap<>();
        while (p.hasNext()) {
            switch (p.next()) {
                case 1:
                    in.add(p.string("node input"));
                    break;
                case 2:
                    out.add(p.string("node output"));
                    break;
                case 3:
                    p.once("node name");
                    name = p.string("node name");
                    break;
                case 4:
                    p.once("op_type");
                    op = p.string("op_type");
                    break;
                case 5: {
                    Attr a = parseAttr(p.message("attribute"));
                    if (attrs.put(a.name, a) != null) {
                        throw p.fail("node '" + name + "' has two attributes named '" + a.name + "'");
                    }
                    break;
                }
                case 7:
                    p.once("node domain");
                    domain = p.string("node domain");
                    break;
                default:
                    p.skip();
            }
        }
        if (op == null || op.isEmpty()) {
            throw p.fail("node #" + index + " ('" + name + "') has no op_type");
        }
        if (out.isEmpty() || out.get(0).isEmpty()) {
            throw p.fail(op + " node #" + index + " ('" + name + "') has no output");
        }
        return new OnnxNode(index, name, op, domain, in, out, attrs);
    }

    private Attr parseAttr(ProtoReader p) throws WeightFormatException {
        String name = null;
        int type = 0;
        Float f = null;
        Long i = null;
        String s = null;
        OnnxTensor t = null;
        ProtoReader.FloatList floats = new ProtoReader.FloatList();
        ProtoReader.LongList ints = new ProtoReader.LongList();
        while (p.hasNext()) {
            switch (p.next()) {
                case 1:
                    p.once("attribute name");
                    name = p.string("attribute name");
                    break;
                case 2:
                    p.once("attribute f");
                    p.requireWire(ProtoReader.I32, "attribute f");
                    f = Float.intBitsToFloat(p.fixed32());
                    break;
                case 3:
                    p.once("attribute i");
                    p.requireWire(ProtoReader.VARINT, "attribute i");
                    i = p.varint();
                    break;
                case 4: {
                    p.once("attribute s");
                    int start = p.lengthDelimited("attribute s");
                    s = new String(p.buffer(), start, p.position() - start, java.nio.charset.StandardCharsets.UTF_8);
                    break;
                }
                case 5:
                    p.once("attribute t");
                    t = parseTensor(p.message("attribute t"));
                    break;
                case 7:
                    p.floats(floats, "attribute floats");
                    break;
                case 8:
                    p.varints(ints, "attribute ints");
                    break;
                case 20:
                    p.once("attribute type");
                    p.requireWire(ProtoReader.VARINT, "attribute type");
                    type = (int) p.varint();
                    break;
                default:
                    p.skip();
            }
        }
        if (name == null || name.isEmpty()) {
            throw p.fail("an attribute without a name");
        }
        return new Attr(name, type, f, i, s, t, floats.toArray(), ints.toArray());
    }

    private OnnxTensor parseTensor(ProtoReader p) throws WeightFormatException {
        OnnxTensor t = new OnnxTensor();
        while (p.hasNext()) {
            switch (p.next()) {
                case 1:
                    p.varints(t.dims, "tensor dims");
                    break;
                case 2:
                    p.once("tensor data_type");
                    p.requireWire(ProtoReader.VARINT, "tensor data_type");
                    t.dataType = (int) p.varint();
                    break;
                case 4:
                    p.floats(t.floatData, "tensor float_data");
                    break;
                case 5:
                    p.varints(t.int32Data, "tensor int32_data");
                    break;
                case 7:
                    p.varints(t.int64Data, "tensor int64_data");
                    break;
                case 8:
                    p.once("tensor name");
                    t.name = p.string("tensor name");
                    break;
                case 9:
                    p.once("tensor raw_data");
                    t.rawStart = p.lengthDelimited("tensor raw_data");
                    t.rawLength = p.position() - t.rawStart;
                    break;
                case 10:
                    p.doubles(t.floatData, "tensor double_data");
                    break;
                case 13:
                    t.external = true;
                    p.skip();
                    break;
                case 14:
                    p.once("tensor data_location");
                    p.requireWire(ProtoReader.VARINT, "tensor data_location");
                    t.external |= p.varint() == 1;
                    break;
                default:
                    p.skip();
            }
        }
        return t;
    }

    private ValueInfo parseValueInfo(ProtoReader p) throws WeightFormatException {
        String name = "";
        int elemType = 0;
        List<Object> dims = null;
        while (p.hasNext()) {
            int f = p.next();
            if (f == 1) {
                p.once("value name");
                name = p.string("value name");
            } else if (f == 2) {
                p.once("value type");
                ProtoReader type = p.message("value type");
                while (type.hasNext()) {
                    if (type.next() == 1) { // tensor_type
                        ProtoReader tt = type.message("tensor_type");
                        while (tt.hasNext()) {
                            int g = tt.next();
                            if (g == 1) {
                                tt.once("elem_type");
                                tt.requireWire(ProtoReader.VARINT, "elem_type");
                                elemType = (int) tt.varint();
                            } else if (g == 2) {
                                tt.once("shape");
                                dims = new ArrayList<>();
                                ProtoReader shape = tt.message("shape");
                                while (shape.hasNext()) {
                                    if (shape.next() == 1) {
                                        ProtoReader dim = shape.message("dim");
                                        Object d = null;
                                        while (dim.hasNext()) {
                                            int h = dim.next();
                                            if (h == 1) {
                                                dim.once("dim_value");
                                                dim.requireWire(ProtoReader.VARINT, "dim_value");
                                                d = dim.varint();
                                            } else if (h == 2) {
                                                dim.once("dim_param");
                                                d = dim.string("dim_param");
                                            } else {
                                                dim.skip();
                                            }
                                        }
                                        dims.add(d);
                                    } else {
                                        shape.skip();
                                    }
                                }
                            } else {
                                tt.skip();
                            }
                        }
                    } else {
                        type.skip();
                    }
                }
            } else {
                p.skip();
            }
        }
        return new ValueInfo(name, elemType, dims == null ? null : dims.toArray());
    }

    // ================================================================ tensors

    private int[] dimsOf(OnnxTensor t, String what) throws WeightFormatException {
        int[] d = new int[t.dims.size()];
        long n = 1;
        for (int i = 0; i < d.length; i++) {
            long v = t.dims.get(i);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw fail(what + " '" + t.name + "' has invalid dimension " + v);
            }
            d[i] = (int) v;
            n *= v;
            if (n > Integer.MAX_VALUE - 8) {
                throw fail(what + " '" + t.name + "' is too large: " + Arrays.toString(t.dims.toArray()));
            }
        }
        return d;
    }

    private static int count(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The float values of a constant tensor, checked against its dims (nothing allocated before the check). */
    private float[] floats(OnnxTensor t, String what) throws WeightFormatException {
        if (t.external) {
            throw fail(what + " '" + t.name + "' is stored in an external file; export with the weights inside the .onnx");
        }
        int n = count(dimsOf(t, what));
        if (t.rawStart >= 0) {
            int width = switch (t.dataType) {
                case FLOAT -> 4;
                case DOUBLE -> 8;
                case FLOAT16 -> 2;
                default -> throw fail(what + " '" + t.name + "' has data type " + t.dataType + ", not a float type");
            };
            if ((long) n * width != t.rawLength) {
                throw fail(what + " '" + t.name + "' has dims " + Arrays.toString(t.dims.toArray()) + " (" + n
                        + " values) but " + t.rawLength + " bytes of raw data");
            }
            ByteBuffer bb = ByteBuffer.wrap(bytes, t.rawStart, t.rawLength).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[n];
            if (width == 4) {
                bb.asFloatBuffer().get(out);
                return out;
            }
            for (int i = 0; i < n; i++) {
                out[i] = switch (width) {
                    case 4 -> bb.getFloat();
                    case 8 -> (float) bb.getDouble();
                    default -> halfToFloat(bb.getShort());
                };
            }
            return out;
        }
        if (t.dataType == FLOAT || t.dataType == DOUBLE) {
            if (t.floatData.size() != n) {
                throw fail(what + " '" + t.name + "' has dims " + Arrays.toString(t.dims.toArray()) + " (" + n
                        + " values) but " + t.floatData.size() + " stored values");
            }
            return t.floatData.toArray();
        }
        if (t.dataType == FLOAT16) {
            if (t.int32Data.size() != n) {
                throw fail(what + " '" + t.name + "' has " + n + " values but " + t.int32Data.size() + " stored");
            }
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = halfToFloat((short) t.int32Data.get(i));
            }
            return out;
        }
        throw fail(what + " '" + t.name + "' has data type " + t.dataType + ", not a float type");
    }

    /** The integer values of a constant tensor (INT64 or INT32). */
    private long[] longs(OnnxTensor t, String what) throws WeightFormatException {
        int n = count(dimsOf(t, what));
        if (t.rawStart >= 0) {
            int width = t.dataType == INT64 ? 8 : t.dataType == INT32 ? 4 : -1;
            if (width < 0) {
                throw fail(what + " '" + t.name + "' has data type " + t.dataType + ", not an integer type");
            }
            if ((long) n * width != t.rawLength) {
                throw fail(what + " '" + t.name + "' has " + n + " values but " + t.rawLength + " bytes of raw data");
            }
            ByteBuffer bb = ByteBuffer.wrap(bytes, t.rawStart, t.rawLength).order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = width == 8 ? bb.getLong() : bb.getInt();
            }
            return out;
        }
        ProtoReader.LongList l = t.dataType == INT64 ? t.int64Data : t.int32Data;
        if (l.size() != n) {
            throw fail(what + " '" + t.name + "' has " + n + " values but " + l.size() + " stored");
        }
        return l.toArray();
    }

    // ================================================================ graph → layers

    /**
     * One data tensor of the graph as the converter knows it: the layer computing it
     * ({@link ImportedModel#INPUT} for the graph input); its ONNX shape without the batch, {C, H, W},
     * {H, W, C} when {@code hwc} (tf2onnx keeps Keras's layout up to its first Transpose), or {F}, null
     * when unknown; its NetForge shape; and for a vector that is a flattened C×H×W tensor, the
     * {C, H, W} whose order NetForge's (H, W, C) differs from.
     */
    private record Value(int layer, int[] onnx, boolean hwc, int[] nf, int[] permutation) {
    }

    /** An integer tensor of rank 0 or 1 computed beside the network (a shape, an index, an axis list). */
    private record Ints(long[] v, boolean scalar) {
    }

    /** Largest integer tensor the shape evaluation keeps (shapes have a handful of values). */
    private static final int MAX_SHAPE_VALUES = 64;

    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    /** Nodes converted together with an earlier node (a fused activation, a MatMul's bias Add). */
    private final Set<Integer> done = new HashSet<>();
    private final List<ImportedLayer> layers = new ArrayList<>();
    /** For each layer, the layers it takes ({@link ImportedModel#INPUT} for the graph input). */
    private final List<List<Integer>> connections = new ArrayList<>();
    /** For each layer, the data tensor it reads (null for a merge) and the one it writes. */
    private final List<String> layerInputs = new ArrayList<>();
    private final List<String> layerOutputs = new ArrayList<>();
    private final Map<String, Value> values = new LinkedHashMap<>();
    /** For each data tensor, who computes it, for messages. */
    private final Map<String, String> producers = new HashMap<>();
    private final Map<String, Ints> shapeValues = new HashMap<>();
    private final Map<String, Integer> autoNames = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private String graphOutput;

    // The tensor being converted: a node's data input when its conversion starts, its output at the end.
    /** ONNX-side shape without batch: {C, H, W} (or {H, W, C} when {@link #hwc}) or {F}; null if unknown. */
    private int[] onnxShape;
    /** Whether a 3-D {@link #onnxShape} is H, W, C (an N x H x W x C tensor, as tf2onnx writes). */
    private boolean hwc;
    /** NetForge-side shape: {H, W, C} or {N}; null if unknown. */
    private int[] nfShape;
    /** Set by a Flatten of a C×H×W tensor: the {C, H, W} whose order the next dense layer must undo. */
    private int[] pendingPermutation;
    /** The layer computing the current tensor, and the layers and tensor the next layer added reads. */
    private int currentLayer;
    private List<Integer> currentInputs;
    private String currentInputName;
    /** The last node converted by the current step (a fused activation comes after its convolution). */
    private int lastNode;

    private ImportedModel convert() throws WeightFormatException {
        for (OnnxNode n : nodes) {
            if (!n.domain.isEmpty() && !n.domain.equals("ai.onnx")) {
                throw fail(n.label() + " is from operator domain '" + n.domain + "', not the standard one");
            }
            if (n.opType.equals("Constant")) {
                if (n.outputs.size() != 1) {
                    throw fail(n.label() + " has " + n.outputs.size() + " outputs");
                }
                constants.put(n.outputs.get(0), constantValue(n));
            }
            if (n.opType.equals("Identity") && n.inputs.size() == 1 && n.outputs.size() == 1
                    && constants.containsKey(n.inputs.get(0)) && !constants.containsKey(n.outputs.get(0))) {
                // an exporter's alias of a weight (torch.onnx writes one for a parameter used twice)
                constants.put(n.outputs.get(0), constants.get(n.inputs.get(0)));
            }
            for (String in : n.inputs) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        List<ValueInfo> dataInputs = new ArrayList<>();
        for (ValueInfo v : inputs) {
            if (!constants.containsKey(v.name)) {
                dataInputs.add(v);
            }
        }
        if (dataInputs.isEmpty()) {
            throw fail("the graph has no data input");
        }
        if (dataInputs.size() > 1) {
            List<String> names = new ArrayList<>();
            for (ValueInfo v : dataInputs) {
                names.add("'" + v.name + "'" + readers(v.name));
            }
            throw fail("the graph has " + dataInputs.size() + " data inputs, " + String.join(", ", names)
                    + ": a NetForge model has one input");
        }
        if (outputs.size() != 1) {
            List<String> names = new ArrayList<>();
            for (ValueInfo v : outputs) {
                names.add("'" + v.name + "'" + writer(v.name));
            }
            throw fail("the graph has " + outputs.size() + " outputs" + (names.isEmpty() ? "" : ", " + String.join(", ", names))
                    + ": a NetForge model has one output");
        }
        ValueInfo input = dataInputs.get(0);
        graphOutput = outputs.get(0).name;
        int[] inputShape = inputShape(input);
        values.put(input.name, new Value(ImportedModel.INPUT, onnxShape, hwc, nfShape, null));
        producers.put(input.name, "the graph input");

        for (OnnxNode n : nodes) {
            if (done.contains(n.index) || n.opType.equals("Constant")) {
                continue;
            }
            if (readsData(n)) {
                convertNode(n);
            } else {
                if (!SHAPE_OPS.contains(n.opType)) {
                    throw fail(n.label() + " does not depend on the graph input: only shape computations (Shape, "
                            + "Gather, Concat, ...) may sit beside the network");
                }
                evaluate(n);
            }
        }

        Value out = values.get(graphOutput);
        if (out == null) {
            throw fail("the graph output '" + graphOutput + "'" + writer(graphOutput) + " does not depend on the graph input");
        }
        if (out.permutation != null) {
            throw fail("the model's output is a flattened C x H x W tensor, whose element order differs in NetForge (H, W, C)");
        }
        for (String tensor : values.keySet()) {
            if (!tensor.equals(graphOutput) && dataConsumers(tensor).isEmpty()) {
                String who = producers.get(tensor);
                throw fail((who.equals("the graph input") ? "the graph input '" + tensor + "' is not used by any node"
                        : who + " computes '" + tensor + "', which no node uses and which is not the graph output")
                        + ": every layer of a NetForge model must reach its output");
            }
        }
        if (!layers.isEmpty() && out.layer != layers.size() - 1) {
            throw fail("the graph output '" + graphOutput + "' is not computed by the last layer");
        }
        for (String name : initializerNames) {
            if (!consumers.containsKey(name)) {
                // Legal ONNX, but PyTorch never writes one, and silently dropping weights is worse than refusing.
                throw fail("initializer '" + name + "' is not used by any node: corrupt, or not a graph this importer understands");
            }
        }
        String producer = (producerName + " " + producerVersion).trim();
        return new ImportedModel("onnx", producer.isEmpty() ? "unknown" : producer, inputShape, layers, connections);
    }

    /** Whether {@code n} computes on the network's data (a Shape node only reads its size). */
    private boolean readsData(OnnxNode n) {
        if (n.opType.equals("Shape")) {
            return false;
        }
        for (String in : n.inputs) {
            if (values.containsKey(in)) {
                return true;
            }
        }
        return false;
    }

    /** The nodes computing on {@code tensor} (its Shape nodes read only its size). */
    private List<OnnxNode> dataConsumers(String tensor) {
        List<OnnxNode> users = new ArrayList<>();
        for (OnnxNode n : consumers.getOrDefault(tensor, List.of())) {
            if (!n.opType.equals("Shape")) {
                users.add(n);
            }
        }
        return users;
    }

    /** " (read by X node 'a', ...)" for a message, or "". */
    private String readers(String tensor) {
        List<String> l = new ArrayList<>();
        for (OnnxNode n : consumers.getOrDefault(tensor, List.of())) {
            l.add(n.label());
        }
        return l.isEmpty() ? "" : " (read by " + String.join(", ", l) + ")";
    }

    /** " (from X node 'a')" for a message, or "". */
    private String writer(String tensor) {
        for (OnnxNode n : nodes) {
            if (n.outputs.contains(tensor)) {
                return " (from " + n.label() + ")";
            }
        }
        return "";
    }

    private OnnxTensor constantValue(OnnxNode n) throws WeightFormatException {
        Attr a = n.attrs.get("value");
        if (a != null && a.t != null) {
            a.t.name = n.outputs.get(0);
            return a.t;
        }
        OnnxTensor t = new OnnxTensor();
        t.name = n.outputs.get(0);
        Float f = floatAttr(n, "value_float");
        if (f != null) {
            t.dataType = FLOAT;
            t.floatData.add(f);
        } else if ((a = n.attrs.get("value_floats")) != null) {
            t.dataType = FLOAT;
            t.dims.add(a.floats.length);
            for (float v : a.floats) {
                if (!Float.isFinite(v)) {
                    throw fail(n.label() + ": attribute 'value_floats' holds " + v + ", not a finite number");
                }
                t.floatData.add(v);
            }
        } else if ((a = n.attrs.get("value_int")) != null && a.i != null) {
            t.dataType = INT64;
            t.int64Data.add(a.i);
        } else if ((a = n.attrs.get("value_ints")) != null) {
            t.dataType = INT64;
            t.dims.add(a.ints.length);
            for (long v : a.ints) {
                t.int64Data.add(v);
            }
        } else {
            throw fail(n.label() + " has no supported value attribute");
        }
        return t;
    }

    private int[] inputShape(ValueInfo input) throws WeightFormatException {
        if (input.elemType != 0 && input.elemType != FLOAT) {
            throw fail("the input '" + input.name + "' has element type " + input.elemType + ", not float");
        }
        onnxShape = null;
        nfShape = null;
        hwc = false;
        if (input.dims == null) {
            return null;
        }
        int rank = input.dims.length;
        if (rank != 4 && rank != 2) {
            throw fail("the input '" + input.name + "' has rank " + rank + "; N x C x H x W or N x F expected");
        }
        int[] d = new int[rank - 1];
        for (int i = 1; i < rank; i++) {
            if (!(input.dims[i] instanceof Long v) || v < 1 || v > Integer.MAX_VALUE) {
                return null; // a symbolic or missing size: the input shape is not fixed
            }
            d[i - 1] = (int) (long) v;
        }
        onnxShape = d;
        // tf2onnx keeps a Keras model's N x H x W x C input and transposes it to N x C x H x W for its first node
        hwc = rank == 4 && readByTransposeToChw(input.name);
        nfShape = rank == 4 && !hwc ? new int[] {d[1], d[2], d[0]} : d.clone();
        return nfShape.clone();
    }

    /** Whether a node reads {@code tensor} through a Transpose from N x H x W x C to N x C x H x W. */
    private boolean readByTransposeToChw(String tensor) {
        for (OnnxNode n : dataConsumers(tensor)) {
            Attr perm = n.attrs.get("perm");
            if (n.opType.equals("Transpose") && perm != null && Arrays.equals(perm.ints, new long[] {0, 3, 1, 2})) {
                return true;
            }
        }
        return false;
    }

    /** Converts a node that computes on the network's data (and the nodes fused with it). */
    private void convertNode(OnnxNode n) throws WeightFormatException {
        for (int i = 1; i < n.outputs.size(); i++) {
            String o = n.outputs.get(i);
            if (!o.isEmpty() && (consumers.containsKey(o) || o.equals(graphOutput))) {
                throw fail(n.label() + (n.opType.equals("Dropout") ? ": its mask output is used"
                        : ": its output #" + i + " ('" + o + "') is used; NetForge computes only a node's first output"));
            }
        }
        String op = n.opType;
        int before = layers.size();
        lastNode = n.index;
        String produced;
        if (MERGES.containsKey(op)) {
            produced = merge(n);
        } else if (op.equals("Concat")) {
            produced = concat(n);
        } else {
            String in = n.inputs.isEmpty() ? "" : n.inputs.get(0);
            for (int i = 1; i < n.inputs.size(); i++) {
                if (values.containsKey(n.inputs.get(i))) {
                    throw fail(n.label() + " takes the network's tensor '" + n.inputs.get(i) + "' as its input #" + i
                            + (values.containsKey(in) ? ", where a constant is expected" : " and not as its first input"));
                }
            }
            load(values.get(in));
            currentInputs = List.of(currentLayer);
            currentInputName = in;
            produced = step(n);
        }
        if (values.containsKey(produced)) {
            String who = producers.get(produced);
            throw fail(n.label() + " writes '" + produced + "', which " + (who.equals("the graph input")
                    ? "is the graph input" : who + " already computes") + ": the graph has a cycle");
        }
        for (OnnxNode user : consumers.getOrDefault(produced, List.of())) {
            if (user.index <= lastNode) {
                throw fail(user.label() + " reads '" + produced + "' before " + n.label() + " computes it: the graph has"
                        + " a cycle, or its nodes are not in topological order");
            }
        }
        if (layers.size() > before) {
            layerOutputs.set(currentLayer, produced);
        }
        values.put(produced, new Value(currentLayer, onnxShape, hwc, nfShape, pendingPermutation));
        producers.put(produced, nodes.get(lastNode).label()); // a fused activation writes it, not its Conv
    }

    private void load(Value v) {
        currentLayer = v.layer;
        onnxShape = v.onnx;
        hwc = v.hwc;
        nfShape = v.nf;
        pendingPermutation = v.permutation;
    }

    /** Converts {@code n}, whose first input is the current tensor (and nodes fused with it); returns its output. */
    private String step(OnnxNode n) throws WeightFormatException {
        String op = n.opType;
        switch (op) {
            case "Conv":
                return fuseActivation(conv(n), out(n));
            case "ConvTranspose":
                return fuseActivation(convTranspose(n), out(n));
            case "Gemm":
                return fuseActivation(gemm(n), out(n));
            case "MatMul":
                return matMul(n);
            case "MaxPool":
            case "AveragePool":
                pool(n);
                return out(n);
            case "GlobalAveragePool":
            case "GlobalMaxPool": {
                requireChw(n);
                add(n, op.equals("GlobalMaxPool") ? "GlobalMaxPool" : "GlobalAvgPool", new LinkedHashMap<>(), List.of(), null);
                onnxShape = new int[] {onnxShape[0], 1, 1};
                return out(n);
            }
            case "Flatten": {
                long axis = intAttr(n, "axis", 1);
                if (axis != 1 && !(axis == -3 && onnxShape != null && onnxShape.length == 3)) {
                    throw fail(n.label() + " flattens from axis " + axis + "; only axis 1 (keep the batch) is supported");
                }
                flatten(n);
                return out(n);
            }
            case "Reshape":
                reshape(n);
                return out(n);
            case "Transpose":
                transpose(n);
                return out(n);
            case "Resize":
            case "Upsample":
                resize(n);
                return out(n);
            case "BatchNormalization":
                batchNorm(n);
                return out(n);
            case "Dropout": {
                double rate = 0.5;
                Float ratio = floatAttr(n, "ratio");
                if (ratio != null) {
                    rate = ratio;
                } else if (n.inputs.size() > 1 && !n.inputs.get(1).isEmpty()) {
                    rate = constantFloats(n, 1, "ratio")[0];
                }
                if (!(rate >= 0 && rate < 1)) { // also false for NaN
                    throw fail(n.label() + ": dropout ratio " + rate + " is not in [0, 1)");
                }
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("rate", cleanDouble((float) rate));
                add(n, "Dropout", a, List.of(), null);
                return out(n);
            }
            case "LeakyRelu": {
                Float alpha = floatAttr(n, "alpha");
                float slope = alpha == null ? 0.01f : alpha;
                if (!(slope >= 0)) {
                    throw fail(n.label() + ": alpha " + slope + " is below 0; NetForge's LeakyReLU needs alpha >= 0");
                }
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("alpha", cleanDouble(slope));
                add(n, "LeakyReLU", a, List.of(), null);
                return out(n);
            }
            case "Identity":
                return out(n);
            case "Cast":
                if (intAttr(n, "to", FLOAT) != FLOAT) {
                    throw fail(n.label() + " casts the network's tensor to data type " + intAttr(n, "to", FLOAT)
                            + "; NetForge computes in float");
                }
                return out(n);
            default: {
                String act = activationName(n);
                if (act != null) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("activation", act);
                    add(n, "Activation", a, List.of(), null);
                    return out(n);
                }
                if (op.equals("Clip")) {
                    Float[] range = clipRange(n);
                    throw fail(n.label() + " clips to [" + (range[0] == null ? "-inf" : range[0]) + ", "
                            + (range[1] == null ? "inf" : range[1]) + "]; only Clip(0, 6) (ReLU6) and Clip(0, inf) (ReLU)"
                            + " can be imported");
                }
                throw fail("unsupported ONNX operator: " + n.label());
            }
        }
    }

    private String out(OnnxNode n) throws WeightFormatException {
        if (n.outputs.isEmpty() || n.outputs.get(0).isEmpty()) {
            throw fail(n.label() + " has no output");
        }
        return n.outputs.get(0);
    }

    /** If the only consumer of {@code produced} is an activation, fuses it into {@code layer}. */
    private String fuseActivation(int layerIndex, String produced) throws WeightFormatException {
        if (produced.equals(graphOutput)) {
            return produced;
        }
        List<OnnxNode> users = consumers.getOrDefault(produced, List.of());
        if (users.size() == 1 && users.get(0).inputs.get(0).equals(produced)) {
            OnnxNode act = users.get(0);
            ImportedLayer l = layers.get(layerIndex);
            String name = activationName(act);
            if (name != null && "linear".equals(l.string("activation"))) {
                for (int i = 1; i < act.inputs.size(); i++) {
                    if (act.inputs.get(i).equals(produced)) {
                        return produced; // Clip(x, x, ...): not an activation of x
                    }
                }
                Map<String, Object> a = new LinkedHashMap<>(l.attributes());
                a.put("activation", name);
                layers.set(layerIndex, new ImportedLayer(l.name(), l.kind(), a, l.weights()));
                done.add(act.index);
                lastNode = act.index;
                return out(act);
            }
        }
        return produced;
    }

    /** The Keras activation node {@code n} computes, or null when it is not an activation NetForge has. */
    private String activationName(OnnxNode n) throws WeightFormatException {
        if (ACTIVATIONS.containsKey(n.opType)) {
            return activationOf(n);
        }
        switch (n.opType) {
            case "Elu": {
                Float alpha = floatAttr(n, "alpha");
                if (alpha != null && alpha != 1f) {
                    throw fail(n.label() + ": alpha " + alpha + "; NetForge's ELU is Keras's, alpha 1");
                }
                return "elu";
            }
            case "Selu": {
                Float alpha = floatAttr(n, "alpha");
                Float gamma = floatAttr(n, "gamma");
                if (alpha != null && alpha != SELU_ALPHA || gamma != null && gamma != SELU_GAMMA) {
                    throw fail(n.label() + ": alpha " + alpha + ", gamma " + gamma + "; NetForge's SELU has"
                            + " the standard constants (ONNX's defaults)");
                }
                return "selu";
            }
            case "HardSigmoid": {
                // Keras 3's hard_sigmoid is relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1): PyTorch's Hardsigmoid
                Float alpha = floatAttr(n, "alpha");
                Float beta = floatAttr(n, "beta");
                float a = alpha == null ? 0.2f : alpha, b = beta == null ? 0.5f : beta;
                if (a != (float) (1.0 / 6.0) || b != 0.5f) {
                    throw fail(n.label() + " computes clip(" + a + " x + " + b + ", 0, 1); NetForge's HARD_SIGMOID"
                            + " is clip(x / 6 + 0.5, 0, 1) (Keras 3, PyTorch's Hardsigmoid)");
                }
                return "hard_sigmoid";
            }
            case "Gelu": {
                String approximate = stringAttr(n, "approximate", "none");
                switch (approximate) {
                    case "none":
                        return "gelu";
                    case "tanh":
                        return "gelu_tanh";
                    default:
                        throw fail(n.label() + ": approximate '" + approximate + "' is not 'none' or 'tanh'");
                }
            }
            default:
                break;
        }
        if (n.opType.equals("Clip")) {
            Float[] range = clipRange(n);
            if (range[0] != null && range[0] == 0f && range[1] == null) {
                return "relu";
            }
            if (range[0] != null && range[0] == 0f && range[1] != null && range[1] == 6f) {
                return "relu6";
            }
        }
        return null;
    }

    /** A Clip's {min, max}, null where unbounded: attributes before opset 11, constant inputs from 11 on. */
    private Float[] clipRange(OnnxNode n) throws WeightFormatException {
        Float[] range = new Float[2];
        String[] names = {"min", "max"};
        for (int i = 0; i < 2; i++) {
            if (n.attrs.containsKey(names[i])) {
                range[i] = floatAttr(n, names[i]);
            } else if (n.inputs.size() > i + 1 && !n.inputs.get(i + 1).isEmpty()) {
                range[i] = constantFloats(n, i + 1, names[i])[0];
                if (!Float.isFinite(range[i])) {
                    throw fail(n.label() + ": its " + names[i] + " is " + range[i] + ", not a finite number");
                }
            }
            // opset 6 wrote the float range's ends for "unbounded"
            if (range[i] != null && Math.abs(range[i]) >= Float.MAX_VALUE) {
                range[i] = null;
            }
        }
        return range;
    }

    private String activationOf(OnnxNode n) throws WeightFormatException {
        String act = ACTIVATIONS.get(n.opType);
        if (act.equals("softmax") || act.equals("log_softmax")) {
            long opset = opsets.getOrDefault("", 13L);
            long axis = intAttr(n, "axis", opset >= 13 ? -1 : 1);
            boolean vector = onnxShape != null && onnxShape.length == 1;
            boolean ok;
            if (onnxShape == null) {
                ok = false;
            } else if (vector) {
                ok = axis == 1 || axis == -1;
            } else if (hwc) {
                ok = axis == 3 || axis == -1; // N x H x W x C: the channels are last in ONNX too
            } else if (opset >= 13) {
                ok = axis == 1 || axis == -3; // the channel axis: NetForge's last axis
            } else {
                ok = (axis == 1 || axis == -3) && onnxShape[1] == 1 && onnxShape[2] == 1;
            }
            if (!ok) {
                throw fail(n.label() + " over axis " + axis + " of a tensor of shape "
                        + (onnxShape == null ? "unknown" : Arrays.toString(onnxShape))
                        + ": only a softmax over the channels or features can be imported");
            }
        }
        return act;
    }

    // ---------------------------------------------------------------- merges

    /** Add, Sum, Sub, Mul, Max, Min, Mean of tensors of one shape: Keras's merging layers. */
    private String merge(OnnxNode n) throws WeightFormatException {
        List<Value> ins = mergeInputs(n);
        if (ins.size() == 1) { // Sum, Max, Min or Mean of one tensor: the tensor
            load(ins.get(0));
            return out(n);
        }
        Value first = ins.get(0);
        for (Value v : ins) {
            if (v.onnx == null || first.onnx == null) {
                throw fail(n.label() + ": the size of its inputs is not fixed in the graph (symbolic dimensions); "
                        + "export with a fixed input shape");
            }
            if (!Arrays.equals(v.onnx, first.onnx) || v.hwc != first.hwc || !Arrays.equals(v.nf, first.nf)
                    || !Arrays.equals(v.permutation, first.permutation)) {
                List<String> shapes = new ArrayList<>();
                for (Value w : ins) {
                    shapes.add(Arrays.toString(w.onnx));
                }
                throw fail(n.label() + " broadcasts its inputs of shapes " + String.join(" and ", shapes)
                        + " (without the batch): NetForge's " + MERGES.get(n.opType)
                        + " takes tensors of one shape, element by element");
            }
        }
        return addMerge(n, MERGES.get(n.opType), ins, first.onnx);
    }

    /** The inputs of a merging node, every one a tensor the network computes (no constants). */
    private List<Value> mergeInputs(OnnxNode n) throws WeightFormatException {
        List<Value> ins = new ArrayList<>();
        for (String in : n.inputs) {
            Value v = values.get(in);
            if (v == null) {
                throw fail(n.label() + " combines the network's tensor with " + (in.isEmpty() ? "a missing input"
                        : (constants.containsKey(in) ? "the constant '" : "the computed shape value '") + in + "'")
                        + ": only element-wise merges of tensors of one shape that the network computes (broadcasting"
                        + " nothing) can be imported");
            }
            ins.add(v);
        }
        if (ins.isEmpty()) {
            throw fail(n.label() + " has no inputs");
        }
        return ins;
    }

    private String addMerge(OnnxNode n, String kind, List<Value> ins, int[] onnx) throws WeightFormatException {
        Value first = ins.get(0);
        List<Integer> from = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (Value v : ins) {
            from.add(v.layer);
            shapes.add(v.nf);
        }
        currentInputs = from;
        currentInputName = null;
        hwc = first.hwc;
        pendingPermutation = first.permutation;
        add(n, kind, new LinkedHashMap<>(), List.of(), null, shapes);
        onnxShape = onnx;
        checkAgree(n);
        return out(n);
    }

    /** Concat along the channels: axis 1 of N x C x H x W (3 of N x H x W x C), or 1 of N x F. */
    private String concat(OnnxNode n) throws WeightFormatException {
        List<Value> ins = mergeInputs(n);
        if (!n.attrs.containsKey("axis")) {
            throw fail(n.label() + " has no axis");
        }
        long axis = intAttr(n, "axis", 1);
        Value first = ins.get(0);
        if (first.onnx == null) {
            throw fail(n.label() + ": the size of its inputs is not fixed in the graph (symbolic dimensions); "
                    + "export with a fixed input shape");
        }
        int rank = first.onnx.length + 1;
        long norm = axis < 0 ? axis + rank : axis;
        int channelAxis = rank == 4 && first.hwc ? 3 : 1;
        if (norm != channelAxis) {
            throw fail(n.label() + " concatenates along axis " + axis + " of " + shapeText(first)
                    + "; only the channel axis (1 of N x C x H x W, which is NetForge's last axis) can be imported");
        }
        if (ins.size() == 1) {
            load(first);
            return out(n);
        }
        int at = channelAxis - 1; // in the shape without the batch
        long channels = 0;
        for (Value v : ins) {
            boolean fits = v.onnx != null && v.onnx.length == first.onnx.length && v.hwc == first.hwc
                    && v.nf != null && first.nf != null && v.nf.length == first.nf.length;
            for (int d = 0; fits && d < first.onnx.length; d++) {
                fits = d == at || v.onnx[d] == first.onnx[d];
            }
            if (!fits) {
                List<String> shapes = new ArrayList<>();
                for (Value w : ins) {
                    shapes.add(shapeText(w));
                }
                throw fail(n.label() + " concatenates tensors of shapes " + String.join(" and ", shapes)
                        + ": all sizes but the channels must be equal");
            }
            if (v.permutation != null) {
                throw fail(n.label() + " concatenates a flattened C x H x W tensor, whose element order differs in"
                        + " NetForge (H, W, C)");
            }
            channels += v.onnx[at];
        }
        if (channels > Integer.MAX_VALUE - 8) {
            throw fail(n.label() + " concatenates " + channels + " channels, more than an array holds");
        }
        int[] onnx = first.onnx.clone();
        onnx[at] = (int) channels;
        return addMerge(n, "Concatenate", ins, onnx);
    }

    private static String shapeText(Value v) {
        if (v.onnx == null) {
            return "an unknown shape";
        }
        int[] d = v.onnx;
        return d.length == 3 ? (v.hwc ? "N x H x W x C " : "N x C x H x W ") + Arrays.toString(d) : "N x F " + Arrays.toString(d);
    }

    // ---------------------------------------------------------------- layout moves

    /** A Transpose between N x C x H x W and N x H x W x C: NetForge's data stays where it is. */
    private void transpose(OnnxNode n) throws WeightFormatException {
        Attr p = n.attrs.get("perm");
        if (onnxShape == null) {
            throw fail(n.label() + ": the input size is not fixed in the graph (symbolic dimensions); "
                    + "export with a fixed input shape");
        }
        int rank = onnxShape.length + 1;
        long[] perm = p == null ? null : p.ints;
        if (perm == null) { // ONNX's default: reverse the axes
            perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        long[] identity = rank == 4 ? new long[] {0, 1, 2, 3} : new long[] {0, 1};
        if (Arrays.equals(perm, identity)) {
            return;
        }
        if (rank == 4 && !hwc && Arrays.equals(perm, new long[] {0, 2, 3, 1})) {
            hwc = true;
            onnxShape = new int[] {onnxShape[1], onnxShape[2], onnxShape[0]};
            return;
        }
        if (rank == 4 && hwc && Arrays.equals(perm, new long[] {0, 3, 1, 2})) {
            hwc = false;
            onnxShape = new int[] {onnxShape[2], onnxShape[0], onnxShape[1]};
            return;
        }
        throw fail(n.label() + " permutes the axes of " + shapeText(new Value(0, onnxShape, hwc, null, null)) + " by "
                + Arrays.toString(perm) + "; only the moves between N x C x H x W and N x H x W x C can be imported");
    }

    /** Resize or Upsample, nearest, by whole factors on the two spatial axes: UpSampling2D. */
    private void resize(OnnxNode n) throws WeightFormatException {
        if (onnxShape == null) {
            throw fail(n.label() + ": the input size is not fixed in the graph (symbolic dimensions); "
                    + "export with a fixed input shape");
        }
        if (onnxShape.length != 3) {
            throw fail(n.label() + " needs an N x C x H x W input but gets " + Arrays.toString(onnxShape));
        }
        String mode = stringAttr(n, "mode", "nearest");
        if (!mode.equals("nearest")) {
            throw fail(n.label() + " interpolates with mode '" + mode + "'; only 'nearest' (UpSampling2D) can be imported");
        }
        long opset = opsets.getOrDefault("", 13L);
        boolean upsample = n.opType.equals("Upsample");
        // how an output position maps to an input position; opset-10 Resize left the rounding to the runtime
        String transform = upsample || opset < 11 ? "asymmetric" : stringAttr(n, "coordinate_transformation_mode", "half_pixel");
        List<String> roundings = upsample ? List.of("floor") : opset < 11 ? List.of("floor", "round_prefer_floor")
                : List.of(stringAttr(n, "nearest_mode", "round_prefer_floor"));
        if (!upsample && opset >= 18 && !stringAttr(n, "keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            throw fail(n.label() + " has keep_aspect_ratio_policy '" + stringAttr(n, "keep_aspect_ratio_policy", "")
                    + "'; only 'stretch' can be imported");
        }
        int[] physical = {1, onnxShape[0], onnxShape[1], onnxShape[2]}; // N x C x H x W, or N x H x W x C
        int[] spatial = hwc ? new int[] {1, 2} : new int[] {2, 3};
        long[] axes = {0, 1, 2, 3};
        Attr axesAttr = n.attrs.get("axes");
        if (axesAttr != null) {
            axes = axesAttr.ints.clone();
            for (int i = 0; i < axes.length; i++) {
                axes[i] = axes[i] < 0 ? axes[i] + 4 : axes[i];
            }
        }
        double[] scale = {1, 1, 1, 1};
        float[] scales = null;
        Ints sizes = null;
        if (upsample) {
            Attr s = n.attrs.get("scales");
            scales = s != null ? s.floats : floats(constant(n, 1, "scales"), "scales");
        } else {
            int scalesInput = opset < 11 ? 1 : 2;
            if (n.inputs.size() > scalesInput && !n.inputs.get(scalesInput).isEmpty()) {
                OnnxTensor t = constants.get(n.inputs.get(scalesInput));
                if (t == null) {
                    throw fail(n.label() + ": its scales '" + n.inputs.get(scalesInput) + "' are computed in the graph;"
                            + " export with constant scales (scale_factor)");
                }
                scales = floats(t, "scales");
                if (scales.length == 0) {
                    scales = null; // opset 11-12 write an empty tensor when the sizes are given
                }
            }
            if (scales == null && opset >= 11 && n.inputs.size() > 3 && !n.inputs.get(3).isEmpty()) {
                sizes = intsOf(n.inputs.get(3));
                if (sizes == null || sizes.scalar) {
                    throw fail(n.label() + ": its sizes '" + n.inputs.get(3) + "' are computed in a way the importer"
                            + " cannot evaluate; export with constant scales (scale_factor)");
                }
            }
            if (scales == null && sizes == null) {
                throw fail(n.label() + " has neither scales nor sizes");
            }
        }
        int count = scales != null ? scales.length : sizes.v.length;
        if (count != axes.length) {
            throw fail(n.label() + " gives " + count + " scales or sizes for " + axes.length + " axes");
        }
        for (int i = 0; i < count; i++) {
            if (axes[i] < 0 || axes[i] > 3) {
                throw fail(n.label() + " resizes axis " + axes[i] + " of a 4-D tensor");
            }
            int axis = (int) axes[i];
            if (scales != null) {
                scale[axis] = scales[i];
            } else {
                long size = sizes.v[i];
                scale[axis] = size % physical[axis] == 0 ? (double) (size / physical[axis]) : -1;
            }
        }
        int[] factor = new int[2];
        for (int axis = 0; axis < 4; axis++) {
            boolean isSpatial = axis == spatial[0] || axis == spatial[1];
            double s = scale[axis];
            boolean whole = s >= 1 && s <= 65536 && s == Math.rint(s);
            if (!whole || (!isSpatial && s != 1)) {
                throw fail(n.label() + " scales its " + (hwc ? "N x H x W x C " : "N x C x H x W ") + "input "
                        + Arrays.toString(physical) + " by " + (scales != null ? Arrays.toString(scales) : "sizes "
                        + Arrays.toString(sizes.v)) + "; only whole factors on the height and width can be imported");
            }
            if (isSpatial) {
                int f = (int) s;
                for (String rounding : roundings) {
                    if (!nearestRepeats(physical[axis], f, transform, rounding, n)) {
                        throw fail(n.label() + " with coordinate_transformation_mode '" + transform + "' and nearest_mode '"
                                + rounding + "' does not repeat each input row and column " + f + " times, as UpSampling2D does");
                    }
                }
                factor[axis == spatial[0] ? 0 : 1] = f;
            }
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("size", factor);
        add(n, "UpSampling2D", a, List.of(), null);
        long h = (long) onnxShape[hwc ? 0 : 1] * factor[0];
        long w = (long) onnxShape[hwc ? 1 : 2] * factor[1];
        onnxShape = hwc ? new int[] {(int) h, (int) w, onnxShape[2]} : new int[] {onnxShape[0], (int) h, (int) w};
        checkAgree(n);
    }

    /**
     * Whether ONNX's nearest resize of {@code in} positions by the whole factor {@code f} reads input
     * position {@code floor(i / f)} for every output position i, as UpSampling2D does.
     */
    private boolean nearestRepeats(int in, int f, String transform, String rounding, OnnxNode n) throws WeightFormatException {
        long out = (long) in * f;
        long edge = Math.min(out, 4096); // the mapping is periodic: its start and its end show any difference
        for (long j = 0; j < 2 * edge; j++) {
            long i = j < edge ? j : out - 2 * edge + j;
            if (i < 0 || (j >= edge && i < edge)) {
                continue; // a short axis: its start is all of it
            }
            double x = switch (transform) {
                case "half_pixel" -> (i + 0.5) / f - 0.5;
                case "pytorch_half_pixel" -> out > 1 ? (i + 0.5) / f - 0.5 : 0;
                case "align_corners" -> out == 1 ? 0 : i * (double) (in - 1) / (out - 1);
                case "asymmetric" -> i / (double) f;
                case "tf_half_pixel_for_nn" -> (i + 0.5) / f;
                default -> throw fail(n.label() + " has coordinate_transformation_mode '" + transform
                        + "', which UpSampling2D does not compute");
            };
            double fl = Math.floor(x);
            double frac = x - fl;
            double r = switch (rounding) {
                case "floor" -> fl;
                case "ceil" -> Math.ceil(x);
                case "round_prefer_floor" -> frac <= 0.5 ? fl : fl + 1;
                case "round_prefer_ceil" -> frac < 0.5 ? fl : fl + 1;
                default -> throw fail(n.label() + " has unknown nearest_mode '" + rounding + "'");
            };
            long index = (long) Math.max(0, Math.min(in - 1, r));
            if (index != i / f) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- shape computations beside the network

    /** The integer tensor {@code name}: a constant or a value computed beside the network; null when unknown. */
    private Ints intsOf(String name) {
        Ints v = shapeValues.get(name);
        if (v != null) {
            return v;
        }
        OnnxTensor t = constants.get(name);
        if (t == null || (t.dataType != INT64 && t.dataType != INT32) || t.dims.size() > 1
                || (t.dims.size() == 1 && (t.dims.get(0) < 0 || t.dims.get(0) > MAX_SHAPE_VALUES))) {
            return null;
        }
        try {
            return new Ints(longs(t, "constant"), t.dims.size() == 0);
        } catch (WeightFormatException e) {
            return null;
        }
    }

    /**
     * Computes a node beside the network when it is one of the integer shape computations exporters
     * write (PyTorch's {@code x.view(x.size(0), -1)}, sizes for a Resize); anything else stays unknown.
     */
    private void evaluate(OnnxNode n) {
        if (n.outputs.size() != 1 || n.outputs.get(0).isEmpty()) {
            return;
        }
        Ints v;
        try {
            v = evaluated(n);
        } catch (ArithmeticException | IndexOutOfBoundsException | WeightFormatException e) {
            v = null; // a value nothing may need: it is refused where a layer needs it
        }
        if (v != null && v.v.length <= MAX_SHAPE_VALUES) {
            shapeValues.put(n.outputs.get(0), v);
        }
    }

    private Ints evaluated(OnnxNode n) throws WeightFormatException {
        List<Ints> in = new ArrayList<>();
        for (String name : n.inputs) {
            in.add(name.isEmpty() ? null : intsOf(name));
        }
        switch (n.opType) {
            case "Shape": {
                Value x = values.get(n.inputs.get(0));
                if (x == null || x.onnx == null) {
                    return null;
                }
                long[] dims = new long[x.onnx.length + 1];
                dims[0] = 1; // NetForge computes one sample at a time
                for (int i = 0; i < x.onnx.length; i++) {
                    dims[i + 1] = x.onnx[i];
                }
                int start = (int) clampAxis(intAttr(n, "start", 0), dims.length);
                int end = (int) clampAxis(intAttr(n, "end", dims.length), dims.length);
                return new Ints(Arrays.copyOfRange(dims, start, Math.max(start, end)), false);
            }
            case "Identity":
                return in.get(0);
            case "Cast": {
                long to = intAttr(n, "to", 0);
                return to == INT64 || to == INT32 ? in.get(0) : null;
            }
            case "Gather": {
                Ints data = in.get(0);
                Ints idx = in.size() > 1 ? in.get(1) : null;
                if (data == null || idx == null || data.scalar || intAttr(n, "axis", 0) != 0) {
                    return null;
                }
                long[] out = new long[idx.v.length];
                for (int i = 0; i < out.length; i++) {
                    long k = idx.v[i] < 0 ? idx.v[i] + data.v.length : idx.v[i];
                    if (k < 0 || k >= data.v.length) {
                        return null;
                    }
                    out[i] = data.v[(int) k];
                }
                return new Ints(out, idx.scalar);
            }
            case "Unsqueeze": {
                Ints data = in.get(0);
                long[] axes = n.attrs.containsKey("axes") ? n.attrs.get("axes").ints
                        : in.size() > 1 && in.get(1) != null ? in.get(1).v : null;
                return data != null && data.scalar && axes != null && axes.length == 1 && (axes[0] == 0 || axes[0] == -1)
                        ? new Ints(data.v, false) : null;
            }
            case "Squeeze": {
                Ints data = in.get(0);
                return data != null && !data.scalar && data.v.length == 1 ? new Ints(data.v, true) : null;
            }
            case "Concat": {
                long axis = intAttr(n, "axis", 0);
                if (axis != 0 && axis != -1) {
                    return null;
                }
                List<Long> out = new ArrayList<>();
                for (Ints i : in) {
                    if (i == null || i.scalar) {
                        return null;
                    }
                    for (long x : i.v) {
                        out.add(x);
                    }
                }
                return new Ints(out.stream().mapToLong(Long::longValue).toArray(), false);
            }
            case "Slice": {
                Ints data = in.get(0);
                if (data == null || data.scalar) {
                    return null;
                }
                long[] starts;
                long[] ends;
                long[] axes;
                long[] steps = {1};
                if (n.attrs.containsKey("starts")) { // before opset 10
                    starts = n.attrs.get("starts").ints;
                    ends = n.attrs.containsKey("ends") ? n.attrs.get("ends").ints : null;
                    axes = n.attrs.containsKey("axes") ? n.attrs.get("axes").ints : new long[] {0};
                } else {
                    starts = in.size() > 1 && in.get(1) != null ? in.get(1).v : null;
                    ends = in.size() > 2 && in.get(2) != null ? in.get(2).v : null;
                    axes = in.size() > 3 && in.get(3) != null ? in.get(3).v : new long[] {0};
                    if (in.size() > 4 && !n.inputs.get(4).isEmpty()) {
                        if (in.get(4) == null) {
                            return null;
                        }
                        steps = in.get(4).v;
                    }
                }
                if (starts == null || ends == null || starts.length != 1 || ends.length != 1 || axes.length != 1
                        || (axes[0] != 0 && axes[0] != -1) || steps.length != 1 || steps[0] != 1) {
                    return null;
                }
                int len = data.v.length;
                int from = (int) clampAxis(starts[0], len);
                int to = (int) clampAxis(ends[0], len);
                return new Ints(Arrays.copyOfRange(data.v, from, Math.max(from, to)), false);
            }
            case "Mul":
            case "Div":
            case "Add":
            case "Sub": {
                if (in.size() != 2 || in.get(0) == null || in.get(1) == null) {
                    return null;
                }
                Ints a = in.get(0);
                Ints b = in.get(1);
                int len = Math.max(a.v.length, b.v.length);
                if ((a.v.length != len && a.v.length != 1) || (b.v.length != len && b.v.length != 1)) {
                    return null;
                }
                long[] out = new long[len];
                for (int i = 0; i < len; i++) {
                    long x = a.v[a.v.length == 1 ? 0 : i];
                    long y = b.v[b.v.length == 1 ? 0 : i];
                    out[i] = switch (n.opType) {
                        case "Mul" -> Math.multiplyExact(x, y);
                        case "Div" -> x / y; // ArithmeticException for 0: unknown
                        case "Add" -> Math.addExact(x, y);
                        default -> Math.subtractExact(x, y);
                    };
                }
                return new Ints(out, a.scalar && b.scalar);
            }
            case "ReduceProd": {
                Ints data = in.get(0);
                if (data == null || data.scalar || n.attrs.containsKey("axes") || in.size() > 1) {
                    return null;
                }
                long p = 1;
                for (long x : data.v) {
                    p = Math.multiplyExact(p, x);
                }
                return intAttr(n, "keepdims", 1) != 0 ? new Ints(new long[] {p}, false) : new Ints(new long[] {p}, true);
            }
            default:
                return null;
        }
    }

    /** A start or end index clamped into [0, length], negative ones counted from the end (as ONNX's Slice). */
    private static long clampAxis(long i, int length) {
        long v = i < 0 ? i + length : i;
        return Math.max(0, Math.min(length, v));
    }

    private int conv(OnnxNode n) throws WeightFormatException {
        requireChw(n);
        if (n.inputs.size() < 2) {
            throw fail(n.label() + " has no weight input");
        }
        OnnxTensor wt = constant(n, 1, "weight");
        int[] wd = dimsOf(wt, "weight");
        if (wd.length != 4) {
            throw fail(n.label() + ": weight '" + wt.name + "' has rank " + wd.length + "; only 2-D convolutions are supported");
        }
        int o = wd[0];
        int i = wd[1];
        int kh = wd[2];
        int kw = wd[3];
        int c = onnxShape[0];
        long group = intAttr(n, "group", 1);
        if (group < 1 || c % group != 0 || o % group != 0 || c / group != i) {
            throw fail(n.label() + ": weight " + Arrays.toString(wd) + " with group=" + group + " does not fit "
                    + c + " input channels");
        }
        int[] kernel = ints2(n, "kernel_shape", new int[] {kh, kw});
        if (kernel[0] != kh || kernel[1] != kw) {
            throw fail(n.label() + ": kernel_shape " + Arrays.toString(kernel) + " differs from the weight's " + kh + "x" + kw);
        }
        int[] strides = ints2(n, "strides", new int[] {1, 1});
        int[] dil = ints2(n, "dilations", new int[] {1, 1});
        boolean depthwise = group > 1 && group == c && i == 1;
        String kind = depthwise ? "DepthwiseConv2D" : "Conv2D";
        String name = layerName(n, kind, wt.name);
        String padding;
        int[] pads = pads(n, kernel, strides, dil);
        if (kerasPadding(pads, kernel, strides, dil)) {
            padding = padding(n, kernel, strides, dil, false);
        } else {
            // Pads that are neither 'valid' nor TensorFlow's 'same' (PyTorch's padding=1 with stride 2 on
            // an even size pads both sides; TF only the bottom/right): the zeros as a ZeroPadding2D
            // layer of their own, named after the convolution, which then pads nothing.
            Map<String, Object> zp = new LinkedHashMap<>();
            zp.put("paddingValues", new int[] {pads[0], pads[2], pads[1], pads[3]}); // top, bottom, left, right
            addNamed(n, uniqueName(name + "_pad"), "ZeroPadding2D", zp, List.of(), null);
            padding = "valid";
        }
        float[] w = floats(wt, "weight");
        float[] bias = null;
        if (n.inputs.size() > 2 && !n.inputs.get(2).isEmpty()) {
            OnnxTensor bt = constant(n, 2, "bias");
            bias = floats(bt, "bias");
            if (bias.length != o) {
                throw fail(n.label() + ": bias '" + bt.name + "' has " + bias.length + " values for " + o + " filters");
            }
        }
        Map<String, Object> a = new LinkedHashMap<>();
        List<Tensor> weights = new ArrayList<>();
        if (depthwise) {
            int m = o / c;
            a.put("kernel", kernel);
            a.put("strides", strides);
            a.put("dilation", dil);
            a.put("padding", padding);
            a.put("depthMultiplier", m);
            a.put("activation", "linear");
            a.put("useBias", bias != null);
            float[] k = new float[w.length];
            for (int ch = 0; ch < c; ch++) {
                for (int mm = 0; mm < m; mm++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            k[((y * kw + x) * c + ch) * m + mm] = w[((ch * m + mm) * kh + y) * kw + x];
                        }
                    }
                }
            }
            weights.add(new Tensor("depthwise_kernel", new int[] {kh, kw, c, m}, k));
        } else {
            a.put("filters", o);
            a.put("kernel", kernel);
            a.put("strides", strides);
            a.put("dilation", dil);
            a.put("padding", padding);
            a.put("activation", "linear");
            a.put("useBias", bias != null);
            if (group != 1) {
                a.put("groups", (int) group);
            }
            float[] k = new float[w.length];
            for (int f = 0; f < o; f++) {
                for (int ci = 0; ci < i; ci++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            k[((y * kw + x) * i + ci) * o + f] = w[((f * i + ci) * kh + y) * kw + x];
                        }
                    }
                }
            }
            weights.add(new Tensor("kernel", new int[] {kh, kw, i, o}, k));
        }
        if (bias != null) {
            weights.add(new Tensor("bias", new int[] {o}, bias));
        }
        int index = addNamed(n, name, kind, a, weights, null);
        int[] hw = onnxSpatial(n, kernel, strides, dil, false);
        onnxShape = new int[] {o, hw[0], hw[1]};
        checkAgree(n);
        return index;
    }

    private void pool(OnnxNode n) throws WeightFormatException {
        requireChw(n);
        Attr ks = n.attrs.get("kernel_shape");
        if (ks == null || ks.ints.length != 2) {
            throw fail(n.label() + " has no 2-D kernel_shape");
        }
        int[] kernel = ints2(n, "kernel_shape", null);
        int[] strides = ints2(n, "strides", new int[] {1, 1});
        int[] dil = ints2(n, "dilations", new int[] {1, 1});
        if (dil[0] != 1 || dil[1] != 1) {
            throw fail(n.label() + " has dilations " + Arrays.toString(dil) + "; pooling dilation is not supported");
        }
        boolean ceil = intAttr(n, "ceil_mode", 0) != 0;
        String padding = padding(n, kernel, strides, dil, ceil);
        boolean avg = n.opType.equals("AveragePool");
        if (avg && padding.equals("same") && intAttr(n, "count_include_pad", 0) != 0) {
            throw fail(n.label() + " counts padded zeros in its averages (count_include_pad=1); "
                    + "NetForge (like Keras) averages only real inputs");
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("pool", kernel);
        a.put("strides", strides);
        a.put("padding", padding);
        add(n, avg ? "AvgPool" : "MaxPool", a, List.of(), null);
        int[] hw = onnxSpatial(n, kernel, strides, dil, ceil);
        onnxShape = new int[] {onnxShape[0], hw[0], hw[1]};
        checkAgree(n);
    }

    /** ONNX's own output size (pads given explicitly or by auto_pad). */
    private int[] onnxSpatial(OnnxNode n, int[] k, int[] s, int[] d, boolean ceil) throws WeightFormatException {
        int[] pads = pads(n, k, s, d);
        int[] out = new int[2];
        for (int a = 0; a < 2; a++) {
            long span = (long) d[a] * (k[a] - 1) + 1;
            long room = onnxShape[a + 1] + (long) pads[a] + pads[a + 2] - span;
            if (room < 0) {
                throw fail(n.label() + ": the window (" + span + ") is larger than the padded input "
                        + Arrays.toString(onnxShape));
            }
            long size = (ceil ? (room + s[a] - 1) / s[a] : room / s[a]) + 1;
            if (size > Integer.MAX_VALUE) {
                throw fail(n.label() + ": output size " + size + " on axis " + a + " of padded input "
                        + Arrays.toString(onnxShape) + " is more than the largest dimension (" + Integer.MAX_VALUE + ")");
            }
            out[a] = (int) size;
        }
        return out;
    }

    /** The explicit pads {top, left, bottom, right} of a node (auto_pad resolved for the current size). */
    private int[] pads(OnnxNode n, int[] k, int[] s, int[] d) throws WeightFormatException {
        String auto = stringAttr(n, "auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET": {
                Attr p = n.attrs.get("pads");
                if (p == null) {
                    return new int[4];
                }
                if (p.ints.length != 4) {
                    throw fail(n.label() + " has pads " + Arrays.toString(p.ints) + "; 4 values expected");
                }
                int[] out = new int[4];
                for (int i = 0; i < 4; i++) {
                    if (p.ints[i] < 0 || p.ints[i] > 1_000_000) {
                        throw fail(n.label() + " has invalid pads " + Arrays.toString(p.ints));
                    }
                    out[i] = (int) p.ints[i];
                }
                return out;
            }
            case "VALID":
                return new int[4];
            case "SAME_UPPER":
            case "SAME_LOWER": {
                int[] out = new int[4];
                for (int a = 0; a < 2; a++) {
                    int total = tfSameTotal(onnxShape[a + 1], k[a], s[a], d[a]);
                    int small = total / 2;
                    out[a] = auto.equals("SAME_UPPER") ? small : total - small;
                    out[a + 2] = total - out[a];
                }
                return out;
            }
            default:
                throw fail(n.label() + " has unknown auto_pad '" + auto + "'");
        }
    }

    private static int tfSameTotal(int in, int k, int s, int d) {
        long out = (in + (long) s - 1) / s; // in long: in + s - 1 can pass Integer.MAX_VALUE
        // at most (s - 1) + d * (k - 1) with ints2's bounds on k, s and d: an int
        return (int) Math.max((out - 1) * s + (long) d * (k - 1) + 1 - in, 0);
    }

    /** Whether convolution pads are all zero or exactly TensorFlow's 'same' ones for the current input. */
    private boolean kerasPadding(int[] p, int[] k, int[] s, int[] d) {
        boolean zero = true;
        boolean same = true;
        for (int a = 0; a < 2; a++) {
            int total = tfSameTotal(onnxShape[a + 1], k[a], s[a], d[a]);
            zero &= p[a] == 0 && p[a + 2] == 0;
            same &= p[a] == total / 2 && p[a + 2] == total - total / 2;
        }
        return zero || same;
    }

    /** Maps a node's padding to 'valid' or 'same', or fails when neither gives the same numbers. */
    private String padding(OnnxNode n, int[] k, int[] s, int[] d, boolean ceil) throws WeightFormatException {
        int[] p = pads(n, k, s, d);
        boolean zero = p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0;
        if (zero) {
            if (ceil) {
                for (int a = 0; a < 2; a++) {
                    int room = onnxShape[a + 1] - k[a];
                    if (room >= 0 && room % s[a] != 0) {
                        throw fail(n.label() + " uses ceil_mode on input " + Arrays.toString(onnxShape)
                                + ", which keeps a partial window that 'valid' pooling drops");
                    }
                }
            }
            return "valid";
        }
        boolean same = true;
        for (int a = 0; a < 2; a++) {
            int total = tfSameTotal(onnxShape[a + 1], k[a], s[a], d[a]);
            int before = total / 2;
            if (p[a] != before || p[a + 2] != total - before) {
                same = false;
            }
        }
        if (same) {
            // with TF's pads the floor output equals ceil(in / s); ceil_mode must not add a window
            int[] hw = onnxSpatial(n, k, s, d, ceil);
            for (int a = 0; a < 2; a++) {
                if (hw[a] != (onnxShape[a + 1] + s[a] - 1) / s[a]) {
                    same = false;
                }
            }
        }
        if (!same) {
            throw fail(n.label() + " pads " + Arrays.toString(p) + " (top, left, bottom, right) on input "
                    + onnxShape[1] + "x" + onnxShape[2] + " with kernel " + k[0] + "x" + k[1] + " and stride "
                    + s[0] + "x" + s[1] + ": neither 'valid' nor TensorFlow's 'same', so NetForge cannot reproduce it");
        }
        return "same";
    }

    /**
     * ConvTranspose: Keras's Conv2DTranspose, whose result is the full transposed convolution cut
     * to rows/columns [0, in*S + max(K-S, 0)) ('valid') or [floor(max(K-S, 0) / 2), that + in*S)
     * ('same'); ONNX cuts [pad_begin, full + output_padding - pad_end). Weights (CIN, F, KH, KW) →
     * (KH, KW, F, CIN).
     */
    private int convTranspose(OnnxNode n) throws WeightFormatException {
        requireChw(n);
        OnnxTensor wt = constant(n, 1, "weight");
        int[] wd = dimsOf(wt, "weight");
        if (wd.length != 4) {
            throw fail(n.label() + ": weight '" + wt.name + "' has rank " + wd.length + "; only 2-D transposed convolutions are supported");
        }
        int cin = wd[0];
        int f = wd[1];
        int kh = wd[2];
        int kw = wd[3];
        long group = intAttr(n, "group", 1);
        if (group != 1) {
            throw fail(n.label() + " is grouped (group=" + group + "); NetForge's Conv2DTranspose has no groups");
        }
        if (cin != onnxShape[0]) {
            throw fail(n.label() + ": weight " + Arrays.toString(wd) + " does not fit " + onnxShape[0] + " input channels");
        }
        int[] kernel = ints2(n, "kernel_shape", new int[] {kh, kw});
        if (kernel[0] != kh || kernel[1] != kw) {
            throw fail(n.label() + ": kernel_shape " + Arrays.toString(kernel) + " differs from the weight's " + kh + "x" + kw);
        }
        int[] strides = ints2(n, "strides", new int[] {1, 1});
        int[] dil = ints2(n, "dilations", new int[] {1, 1});
        if (dil[0] != 1 || dil[1] != 1) {
            throw fail(n.label() + " has dilations " + Arrays.toString(dil) + "; NetForge's Conv2DTranspose has no dilation");
        }
        int[] outPad = new int[2];
        Attr op = n.attrs.get("output_padding");
        if (op != null) {
            if (op.ints.length != 2 || op.ints[0] < 0 || op.ints[1] < 0 || op.ints[0] > 65536 || op.ints[1] > 65536) {
                throw fail(n.label() + " has output_padding " + Arrays.toString(op.ints) + "; two sizes >= 0 expected");
            }
            outPad = new int[] {(int) op.ints[0], (int) op.ints[1]};
        }
        long[] full = new long[2];
        for (int a = 0; a < 2; a++) {
            full[a] = (long) strides[a] * (onnxShape[a + 1] - 1) + kernel[a];
        }
        long[] pads = transposedPads(n, full, outPad, strides);
        boolean valid = true;
        boolean same = true;
        long[] size = new long[2];
        for (int a = 0; a < 2; a++) {
            long in = onnxShape[a + 1];
            int k = kernel[a];
            int s = strides[a];
            size[a] = full[a] + outPad[a] - pads[a] - pads[a + 2];
            valid &= pads[a] == 0 && size[a] == in * s + Math.max(k - s, 0);
            same &= pads[a] == Math.max(k - s, 0) / 2 && size[a] == in * s;
        }
        // Otherwise ONNX's window is Keras's 'valid' result cropped (PyTorch's ConvTranspose2d(k 3, s 2,
        // padding 1, output_padding 1) doubles the size one row and column off Keras's 'same'): rows
        // [pad_begin, full + output_padding - pad_end) of [0, in*S + max(K-S, 0)), which must lie inside.
        int[] crop = null;
        if (!valid && !same) {
            crop = new int[4];
            boolean inside = true;
            for (int a = 0; a < 2; a++) {
                long kerasValid = KerasShapes.transposeOutput(onnxShape[a + 1], kernel[a], strides[a], false);
                long end = full[a] + outPad[a] - pads[a + 2];
                inside &= size[a] >= 1 && end <= kerasValid;
                crop[2 * a] = (int) Math.min(pads[a], Integer.MAX_VALUE);
                crop[2 * a + 1] = (int) Math.max(Math.min(kerasValid - end, Integer.MAX_VALUE), 0);
            }
            if (!inside) {
                throw fail(n.label() + " pads " + Arrays.toString(pads) + " (top, left, bottom, right) with"
                        + " output_padding " + Arrays.toString(outPad) + " on input " + onnxShape[1] + "x" + onnxShape[2]
                        + " with kernel " + kh + "x" + kw + " and stride " + strides[0] + "x" + strides[1] + ": its output"
                        + " reaches beyond Keras's 'valid' transposed convolution, so NetForge cannot reproduce it");
            }
        }
        if (size[0] > Integer.MAX_VALUE || size[1] > Integer.MAX_VALUE) {
            throw fail(n.label() + ": output " + size[0] + "x" + size[1] + " is too large");
        }
        float[] w = floats(wt, "weight");
        float[] bias = null;
        if (n.inputs.size() > 2 && !n.inputs.get(2).isEmpty()) {
            OnnxTensor bt = constant(n, 2, "bias");
            bias = floats(bt, "bias");
            if (bias.length != f) {
                throw fail(n.label() + ": bias '" + bt.name + "' has " + bias.length + " values for " + f + " filters");
            }
        }
        float[] k = new float[w.length];
        for (int ci = 0; ci < cin; ci++) {
            for (int fo = 0; fo < f; fo++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        k[((y * kw + x) * f + fo) * cin + ci] = w[((ci * f + fo) * kh + y) * kw + x];
                    }
                }
            }
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("filters", f);
        a.put("kernel", kernel);
        a.put("strides", strides);
        a.put("dilation", new int[] {1, 1});
        a.put("padding", same && !valid ? "same" : "valid");
        a.put("activation", "linear");
        a.put("useBias", bias != null);
        List<Tensor> weights = new ArrayList<>();
        weights.add(new Tensor("kernel", new int[] {kh, kw, f, cin}, k));
        if (bias != null) {
            weights.add(new Tensor("bias", new int[] {f}, bias));
        }
        int index = add(n, "Conv2DTranspose", a, weights, wt.name);
        if (crop != null) { // an activation fused into the convolution is the same before or after the crop
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cropping", crop);
            add(n, "Cropping2D", c, List.of(), null);
        }
        onnxShape = new int[] {f, (int) size[0], (int) size[1]};
        checkAgree(n);
        return index;
    }

    /**
     * A ConvTranspose's pads {top, left, bottom, right}: explicit, or from auto_pad or output_shape,
     * whose odd paddings ONNX versions and runtimes split differently (refused).
     */
    private long[] transposedPads(OnnxNode n, long[] full, int[] outPad, int[] strides) throws WeightFormatException {
        String auto = stringAttr(n, "auto_pad", "NOTSET");
        Attr shape = n.attrs.get("output_shape");
        long[] pads = new long[4];
        if (auto.equals("VALID")) {
            return pads;
        }
        if (auto.equals("NOTSET") && shape == null) {
            Attr p = n.attrs.get("pads");
            if (p == null) {
                return pads;
            }
            if (p.ints.length != 4) {
                throw fail(n.label() + " has pads " + Arrays.toString(p.ints) + "; 4 values expected");
            }
            for (int i = 0; i < 4; i++) {
                if (p.ints[i] < 0 || p.ints[i] > 1_000_000) {
                    throw fail(n.label() + " has invalid pads " + Arrays.toString(p.ints));
                }
                pads[i] = p.ints[i];
            }
            return pads;
        }
        if (!auto.equals("NOTSET") && !auto.equals("SAME_UPPER") && !auto.equals("SAME_LOWER")) {
            throw fail(n.label() + " has unknown auto_pad '" + auto + "'");
        }
        if (shape != null && shape.ints.length != 2 && shape.ints.length != 4) {
            throw fail(n.label() + " has output_shape " + Arrays.toString(shape.ints) + "; 2 sizes expected");
        }
        for (int a = 0; a < 2; a++) {
            long out = shape != null ? shape.ints[shape.ints.length - 2 + a] : (long) onnxShape[a + 1] * strides[a];
            long total = full[a] + outPad[a] - out;
            if (total < 0 || out < 1) {
                throw fail(n.label() + ": output size " + out + " needs a padding of " + total + ", which ONNX does not define");
            }
            if (total % 2 != 0) {
                throw fail(n.label() + " leaves an odd padding (" + total + ") to split by its "
                        + (shape != null ? "output_shape" : "auto_pad " + auto) + ", which ONNX versions and runtimes"
                        + " split differently; export with explicit pads");
            }
            pads[a] = total / 2;
            pads[a + 2] = total / 2;
        }
        return pads;
    }

    private int gemm(OnnxNode n) throws WeightFormatException {
        if (intAttr(n, "transA", 0) != 0) {
            throw fail(n.label() + " transposes its data input (transA=1)");
        }
        Float alpha = floatAttr(n, "alpha");
        Float beta = floatAttr(n, "beta");
        if (alpha != null && alpha != 1f) {
            throw fail(n.label() + " has alpha=" + alpha + "; only 1 is supported");
        }
        boolean transB = intAttr(n, "transB", 0) != 0;
        OnnxTensor bt = constant(n, 1, "weight");
        int[] bd = dimsOf(bt, "weight");
        if (bd.length != 2) {
            throw fail(n.label() + ": weight '" + bt.name + "' has shape " + Arrays.toString(bd) + ", not 2-D");
        }
        int units = transB ? bd[0] : bd[1];
        int inputs = transB ? bd[1] : bd[0];
        float[] w = floats(bt, "weight");
        float[] kernel = w;
        if (transB) {
            kernel = new float[w.length];
            for (int r = 0; r < inputs; r++) {
                for (int u = 0; u < units; u++) {
                    kernel[r * units + u] = w[u * inputs + r];
                }
            }
        }
        float[] bias = null;
        if (n.inputs.size() > 2 && !n.inputs.get(2).isEmpty()) {
            if (beta != null && beta != 1f) {
                throw fail(n.label() + " has beta=" + beta + "; only 1 is supported");
            }
            bias = biasVector(n, 2, units);
        }
        return dense(n, inputs, units, kernel, bias, bt.name);
    }

    private String matMul(OnnxNode n) throws WeightFormatException {
        OnnxTensor bt = constant(n, 1, "weight");
        int[] bd = dimsOf(bt, "weight");
        if (bd.length != 2) {
            throw fail(n.label() + ": weight '" + bt.name + "' has shape " + Arrays.toString(bd) + ", not 2-D");
        }
        float[] kernel = floats(bt, "weight");
        String produced = out(n);
        float[] bias = null;
        List<OnnxNode> users = consumers.getOrDefault(produced, List.of());
        if (!produced.equals(graphOutput) && users.size() == 1 && users.get(0).opType.equals("Add")) {
            OnnxNode add = users.get(0);
            int other = add.inputs.get(0).equals(produced) ? 1 : 0;
            if (add.inputs.size() == 2 && constants.containsKey(add.inputs.get(other))) {
                bias = biasVector(add, other, bd[1]);
                done.add(add.index);
                lastNode = add.index;
                produced = out(add);
            }
        }
        int index = dense(n, bd[0], bd[1], kernel, bias, bt.name);
        return fuseActivation(index, produced);
    }

    private float[] biasVector(OnnxNode n, int input, int units) throws WeightFormatException {
        OnnxTensor ct = constant(n, input, "bias");
        int[] cd = dimsOf(ct, "bias");
        float[] c = floats(ct, "bias");
        if (c.length != units || cd.length > 2 || (cd.length == 2 && cd[0] != 1)) {
            throw fail(n.label() + ": bias '" + ct.name + "' has shape " + Arrays.toString(cd) + " for " + units + " units");
        }
        return c;
    }

    private int dense(OnnxNode n, int inputs, int units, float[] kernel, float[] bias, String weightName)
            throws WeightFormatException {
        if (onnxShape != null && onnxShape.length != 1) {
            throw fail(n.label() + " is applied to a " + onnxShape.length + "-D tensor " + Arrays.toString(onnxShape)
                    + "; a dense layer needs a flattened input");
        }
        if (onnxShape != null && onnxShape[0] != inputs) {
            throw fail(n.label() + ": weight has " + inputs + " inputs but the layer receives " + onnxShape[0]);
        }
        if (pendingPermutation != null) {
            kernel = permuteRows(kernel, units, pendingPermutation);
            pendingPermutation = null;
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("units", units);
        a.put("activation", "linear");
        a.put("useBias", bias != null);
        List<Tensor> w = new ArrayList<>();
        w.add(new Tensor("kernel", new int[] {inputs, units}, kernel));
        if (bias != null) {
            w.add(new Tensor("bias", new int[] {units}, bias));
        }
        int index = add(n, "Dense", a, w, weightName);
        onnxShape = new int[] {units};
        checkAgree(n);
        return index;
    }

    /**
     * Rows of a kernel fed by a flattened C×H×W tensor, reordered for NetForge's H×W×C flattening:
     * NetForge row (h·W + w)·C + c takes ONNX row c·H·W + h·W + w.
     */
    static float[] permuteRows(float[] kernel, int units, int[] chw) {
        int c = chw[0];
        int h = chw[1];
        int w = chw[2];
        float[] out = new float[kernel.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int from = (ch * h + y) * w + x;
                    int to = (y * w + x) * c + ch;
                    System.arraycopy(kernel, from * units, out, to * units, units);
                }
            }
        }
        return out;
    }

    private void flatten(OnnxNode n) throws WeightFormatException {
        if (onnxShape == null) {
            throw fail(n.label() + ": the input size is unknown, so the flattened order cannot be converted");
        }
        if (onnxShape.length == 3) {
            int c = onnxShape[0];
            int h = onnxShape[1];
            int w = onnxShape[2];
            // NetForge flattens H, W, C; ONNX C, H, W. They agree when the spatial size is 1x1 or
            // there is one channel, or when NetForge's tensor is already a vector (global pooling),
            // or when the ONNX tensor is N x H x W x C itself (tf2onnx).
            boolean sameOrder = hwc || (h * w == 1) || c == 1 || (nfShape != null && nfShape.length == 1);
            if (!sameOrder) {
                pendingPermutation = onnxShape.clone();
            }
            long total = (long) c * h <= Integer.MAX_VALUE ? (long) c * h * w : Long.MAX_VALUE; // never wraps
            if (total > Integer.MAX_VALUE - 8) {
                throw fail(n.label() + ": flattened size " + c + " x " + h + " x " + w + " is more than an array holds");
            }
            onnxShape = new int[] {(int) total};
            hwc = false;
        }
        add(n, "Flatten", new LinkedHashMap<>(), List.of(), null);
        checkAgree(n);
    }

    private void reshape(OnnxNode n) throws WeightFormatException {
        if (n.inputs.size() < 2 || n.inputs.get(1).isEmpty()) {
            throw fail(n.label() + " has no shape input");
        }
        String shapeName = n.inputs.get(1);
        Ints target = intsOf(shapeName);
        if (target == null && constants.containsKey(shapeName)) {
            longs(constants.get(shapeName), "shape"); // says what is wrong with it
        }
        if (target == null || target.scalar) {
            // A computed shape the importer cannot evaluate, as PyTorch exports x.view(x.size(0), -1) for an
            // input of symbolic size: accepted when a dense layer follows.
            List<OnnxNode> next = consumers.getOrDefault(out(n), List.of());
            if (next.size() != 1 || !(next.get(0).opType.equals("Gemm") || next.get(0).opType.equals("MatMul"))) {
                throw fail(n.label() + " reshapes to a computed shape not followed by a dense layer; cannot tell it flattens");
            }
            flatten(n);
            return;
        }
        long[] s = target.v;
        if (onnxShape == null) {
            if (s.length == 2 && (s[0] == -1 || s[0] == 0 || s[0] == 1) && s[1] == -1) {
                flatten(n); // says the size is unknown
            }
            throw fail(n.label() + ": the input size is not fixed in the graph (symbolic dimensions); "
                    + "export with a fixed input shape");
        }
        long[] in = new long[onnxShape.length + 1];
        in[0] = 1;
        long total = 1;
        try {
            for (int i = 0; i < onnxShape.length; i++) {
                in[i + 1] = onnxShape[i];
                total = Math.multiplyExact(total, onnxShape[i]);
            }
        } catch (ArithmeticException e) {
            throw fail(n.label() + ": its input " + Arrays.toString(onnxShape) + " has more values than a long counts");
        }
        long[] to = new long[s.length];
        int infer = -1;
        long known = 1;
        boolean allowZero = intAttr(n, "allowzero", 0) != 0;
        for (int i = 0; i < s.length; i++) {
            long d = s[i];
            if (d == 0 && !allowZero) {
                if (i >= in.length) {
                    throw fail(n.label() + " copies axis " + i + " of a " + in.length + "-D tensor");
                }
                d = in[i];
            }
            if (d == -1 && infer < 0) {
                infer = i;
                continue;
            }
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw fail(n.label() + " reshapes to " + Arrays.toString(s) + ", not a valid shape");
            }
            to[i] = d;
            try {
                known = Math.multiplyExact(known, d);
            } catch (ArithmeticException e) {
                throw fail(n.label() + " reshapes to " + Arrays.toString(s) + ", more values than a long counts");
            }
        }
        if (infer >= 0) {
            to[infer] = known == 0 || total % known != 0 ? -1 : total / known;
        }
        if (known == 0 || (infer >= 0 ? to[infer] < 1 : known != total)) {
            throw fail(n.label() + " reshapes " + Arrays.toString(in) + " to " + Arrays.toString(s)
                    + ": the number of values differs");
        }
        if (to.length == 2 && to[0] == 1) {
            flatten(n);
        } else if (Arrays.equals(to, in)) {
            return; // the same shape: nothing moves
        } else if (to.length == 4 && to[0] == 1 && onnxShape.length == 1) {
            toImage(n, (int) to[1], (int) to[2], (int) to[3]);
        } else {
            throw fail(n.label() + " reshapes " + Arrays.toString(in) + " to " + Arrays.toString(to)
                    + "; only flattening to (batch, -1) and a vector to (batch, C, H, W) can be imported");
        }
    }

    /** A Reshape of a vector to N x C x H x W (or N x H x W x C feeding a Transpose to it, as tf2onnx writes). */
    private void toImage(OnnxNode n, int a, int b, int c) throws WeightFormatException {
        List<OnnxNode> users = dataConsumers(out(n));
        boolean toHwc = !users.isEmpty();
        for (OnnxNode u : users) {
            Attr perm = u.attrs.get("perm");
            toHwc &= u.opType.equals("Transpose") && perm != null && Arrays.equals(perm.ints, new long[] {0, 3, 1, 2});
        }
        int[] shape;
        if (toHwc) { // H, W, C: NetForge's own order
            if (pendingPermutation != null) {
                throw fail(n.label() + " reshapes a flattened C x H x W tensor to H x W x C");
            }
            shape = new int[] {a, b, c};
        } else { // C, H, W: NetForge must hold the vector in H, W, C order
            int[] chw = {a, b, c};
            boolean sameOrder = a == 1 || (long) b * c == 1;
            if (pendingPermutation != null) {
                if (!Arrays.equals(pendingPermutation, chw)) {
                    throw fail(n.label() + " reshapes a flattened " + pendingPermutation[0] + " x " + pendingPermutation[1]
                            + " x " + pendingPermutation[2] + " tensor to " + a + " x " + b + " x " + c + " (C, H, W)");
                }
            } else if (!sameOrder && !permuteProducerColumns(n.inputs.get(0), chw)) {
                throw fail(n.label() + " reshapes a vector to " + a + " x " + b + " x " + c + " (C, H, W), whose element"
                        + " order differs in NetForge (H, W, C); the importer converts it only when a dense layer"
                        + " computes that vector for this Reshape alone");
            }
            shape = new int[] {b, c, a};
        }
        pendingPermutation = null;
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("shape", shape);
        add(n, "Reshape", attrs, List.of(), null);
        onnxShape = new int[] {a, b, c};
        hwc = toHwc;
        checkAgree(n);
    }

    /**
     * Makes the dense layer computing {@code tensor} (possibly through activations, dropout and batch
     * normalization that compute it for this use alone) write its units in H, W, C order for the
     * C×H×W shape {@code chw}, by permuting its kernel's columns and its bias. False when no such layer.
     */
    private boolean permuteProducerColumns(String tensor, int[] chw) {
        List<Integer> chain = new ArrayList<>();
        String t = tensor;
        while (true) {
            Value v = values.get(t);
            if (v == null || v.layer < 0 || t.equals(graphOutput) || dataConsumers(t).size() != 1
                    || !t.equals(layerOutputs.get(v.layer))) {
                return false;
            }
            ImportedLayer l = layers.get(v.layer);
            chain.add(v.layer);
            if (l.kind().equals("Dense")) {
                break;
            }
            if (!Set.of("Activation", "LeakyReLU", "Dropout", "BatchNormalization").contains(l.kind())) {
                return false;
            }
            t = layerInputs.get(v.layer);
        }
        for (int index : chain) {
            ImportedLayer l = layers.get(index);
            List<Tensor> w = new ArrayList<>();
            for (Tensor x : l.weights()) {
                boolean columns = l.kind().equals("Dense") && x.name().equals("kernel");
                w.add(new Tensor(x.name(), x.shape(), columns ? permuteColumns(x.data(), x.shape()[0], chw)
                        : permuteRows(x.data(), 1, chw)));
            }
            layers.set(index, new ImportedLayer(l.name(), l.kind(), l.attributes(), w));
        }
        return true;
    }

    /** Columns of a (rows, C·H·W) kernel reordered so that NetForge column (h·W + w)·C + c is ONNX column c·H·W + h·W + w. */
    static float[] permuteColumns(float[] kernel, int rows, int[] chw) {
        int units = chw[0] * chw[1] * chw[2];
        float[] out = new float[kernel.length];
        float[] row = new float[units];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(kernel, r * units, row, 0, units);
            float[] permuted = permuteRows(row, 1, chw);
            System.arraycopy(permuted, 0, out, r * units, units);
        }
        return out;
    }

    private void batchNorm(OnnxNode n) throws WeightFormatException {
        if (intAttr(n, "training_mode", 0) != 0) {
            throw fail(n.label() + " is in training mode");
        }
        if (n.attrs.containsKey("spatial") && intAttr(n, "spatial", 1) != 1) {
            throw fail(n.label() + " is not spatial (spatial=0)");
        }
        if (n.inputs.size() < 5) {
            throw fail(n.label() + " has " + n.inputs.size() + " inputs, 5 expected");
        }
        if (onnxShape != null && onnxShape.length == 3 && hwc) {
            throw fail(n.label() + " normalises axis 1 of an N x H x W x C tensor (the rows), not the channels");
        }
        int channels = onnxShape == null ? -1 : onnxShape[0];
        String[] names = {"gamma", "beta", "moving_mean", "moving_variance"};
        List<Tensor> w = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] v = floats(constant(n, i + 1, names[i]), names[i]);
            if (channels < 0) {
                channels = v.length;
            }
            if (v.length != channels) {
                throw fail(n.label() + ": " + names[i] + " has " + v.length + " values for " + channels + " channels");
            }
            if (pendingPermutation != null) {
                v = permuteRows(v, 1, pendingPermutation);
            }
            w.add(new Tensor(names[i], new int[] {channels}, v));
        }
        Float eps = floatAttr(n, "epsilon");
        if (eps != null && !(eps > 0)) {
            throw fail(n.label() + ": epsilon " + eps + " is not positive");
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("epsilon", cleanDouble(eps == null ? 1e-5f : eps));
        a.put("center", true);
        a.put("scale", true);
        add(n, "BatchNormalization", a, w, n.inputs.get(1));
        checkAgree(n);
    }

    /** IEEE 754 binary16 bits to float (Float.float16ToFloat arrived only in Java 20). */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** The double whose shortest decimal form is the float's: 1e-5f gives 1.0E-5, not 9.99999974737875E-6. */
    private static double cleanDouble(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    // ---------------------------------------------------------------- layer bookkeeping

    private int add(OnnxNode n, String kind, Map<String, Object> attrs, List<Tensor> weights, String weightName)
            throws WeightFormatException {
        return add(n, kind, attrs, weights, weightName, null);
    }

    /** Appends a layer reading {@link #currentInputs}; {@code mergeShapes}: the NetForge shapes a merge takes. */
    private int add(OnnxNode n, String kind, Map<String, Object> attrs, List<Tensor> weights, String weightName,
            List<int[]> mergeShapes) throws WeightFormatException {
        return addNamed(n, layerName(n, kind, weightName), kind, attrs, weights, mergeShapes);
    }

    /** {@link #add} with the layer's name already chosen (by {@link #layerName} or {@link #uniqueName}). */
    private int addNamed(OnnxNode n, String name, String kind, Map<String, Object> attrs, List<Tensor> weights,
            List<int[]> mergeShapes) throws WeightFormatException {
        ImportedLayer layer = new ImportedLayer(name, kind, attrs, weights);
        try {
            nfShape = mergeShapes == null ? Shapes.output(layer, nfShape) : Shapes.output(layer, mergeShapes);
        } catch (IllegalArgumentException e) {
            throw fail(n.label() + ": " + e.getMessage());
        }
        layers.add(layer);
        connections.add(currentInputs);
        layerInputs.add(currentInputName);
        layerOutputs.add(null);
        currentLayer = layers.size() - 1;
        // the next layer of the same step reads this one
        currentInputs = List.of(currentLayer);
        currentInputName = null;
        return currentLayer;
    }

    /** Checks that the tracked NetForge shape is the tracked ONNX shape in NetForge order. */
    private void checkAgree(OnnxNode n) throws WeightFormatException {
        if (onnxShape == null || nfShape == null) {
            return;
        }
        int[] expected = onnxShape.length == 3 && !hwc ? new int[] {onnxShape[1], onnxShape[2], onnxShape[0]} : onnxShape;
        boolean pooled = onnxShape.length == 3 && nfShape.length == 1 && (long) onnxShape[0] * onnxShape[1] * onnxShape[2]
                == nfShape[0] && (hwc ? onnxShape[0] * onnxShape[1] : onnxShape[1] * onnxShape[2]) == 1;
        if (!Arrays.equals(expected, nfShape) && !pooled) {
            throw fail(n.label() + ": output " + Arrays.toString(onnxShape) + " (ONNX, " + (hwc ? "H,W,C" : "C,H,W")
                    + ") does not match " + Arrays.toString(nfShape) + " (NetForge)");
        }
    }

    private String layerName(OnnxNode n, String kind, String weightName) {
        String base = null;
        if (weightName != null && weightName.contains(".")) {
            base = weightName.substring(0, weightName.lastIndexOf('.')); // conv1.weight -> conv1
        } else if (n.name.matches("/.+/[A-Za-z]+(_\\d+)?")) {
            // PyTorch: /features/features.0/Conv, /layer1/layer1.0/conv1/Conv, /layer1/layer1.0/Add
            // (each part is a module's name past its last non-numeric atom: layer1.0.conv1 is conv1,
            // layer2.0.downsample.0 is downsample.0): rebuilt as layer1.0.conv1, layer2.0.downsample.0
            String module = "";
            for (String part : n.name.substring(1, n.name.lastIndexOf('/')).split("/")) {
                String last = module.substring(module.lastIndexOf('.') + 1);
                module = module.isEmpty() ? part : part.startsWith(last + ".")
                        ? module + part.substring(last.length()) : module + "." + part;
            }
            base = LayerKinds.MERGES.contains(kind) && !module.matches("[0-9.]+") ? module + "." + autoName(kind) : module;
        } else if (n.name.matches("[^/]+(/[^/]+)+") && !n.name.contains(":")) {
            // tf2onnx: model/conv2d/BiasAdd, StatefulPartitionedCall/model/dense/MatMul: the Keras layer's name
            String[] parts = n.name.split("/");
            base = parts[parts.length - 2];
        }
        // nn.Sequential positions ("0", "3") make poor names: use Keras's automatic names instead
        if (base == null || base.isEmpty() || base.matches("[0-9.]+") || usedNames.contains(base)) {
            String auto = autoName(kind);
            do {
                int k = autoNames.merge(auto, 1, Integer::sum) - 1;
                base = k == 0 ? auto : auto + "_" + k;
            } while (usedNames.contains(base));
        }
        usedNames.add(base);
        return base;
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... if taken; reserved. */
    private String uniqueName(String base) {
        String name = base;
        for (int k = 1; usedNames.contains(name); k++) {
            name = base + "_" + k;
        }
        usedNames.add(name);
        return name;
    }

    /** Keras's automatic layer name for a kind. */
    private static String autoName(String kind) {
        return switch (kind) {
            case "Conv2D" -> "conv2d";
            case "DepthwiseConv2D" -> "depthwise_conv2d";
            case "Conv2DTranspose" -> "conv2d_transpose";
            case "MaxPool" -> "max_pooling2d";
            case "AvgPool" -> "average_pooling2d";
            case "GlobalAvgPool" -> "global_average_pooling2d";
            case "GlobalMaxPool" -> "global_max_pooling2d";
            case "BatchNormalization" -> "batch_normalization";
            case "UpSampling2D" -> "up_sampling2d";
            case "LeakyReLU" -> "leaky_re_lu";
            default -> kind.toLowerCase(Locale.ROOT);
        };
    }

    // ---------------------------------------------------------------- attribute helpers

    private void requireChw(OnnxNode n) throws WeightFormatException {
        if (onnxShape == null) {
            throw fail(n.label() + ": the input size is not fixed in the graph (symbolic dimensions); "
                    + "export with a fixed input shape");
        }
        if (onnxShape.length != 3 || hwc) {
            throw fail(n.label() + " needs an N x C x H x W input but gets " + (hwc ? "N x H x W x C " : "")
                    + Arrays.toString(onnxShape));
        }
    }

    private OnnxTensor constant(OnnxNode n, int input, String what) throws WeightFormatException {
        if (n.inputs.size() <= input || n.inputs.get(input).isEmpty()) {
            throw fail(n.label() + " has no " + what + " input");
        }
        OnnxTensor t = constants.get(n.inputs.get(input));
        if (t == null) {
            throw fail(n.label() + ": its " + what + " '" + n.inputs.get(input) + "' is not an initializer or constant");
        }
        return t;
    }

    private float[] constantFloats(OnnxNode n, int input, String what) throws WeightFormatException {
        float[] v = floats(constant(n, input, what), what);
        if (v.length != 1) {
            throw fail(n.label() + ": " + what + " has " + v.length + " values, 1 expected");
        }
        return v;
    }

    /**
     * Float attribute {@code name} of {@code n}, or null when absent (or not a float). NaN and
     * infinities are refused here, by name: no attribute NetForge reads means anything with them,
     * and NaN slips through any range check written as {@code x < lo || x > hi}.
     */
    private Float floatAttr(OnnxNode n, String name) throws WeightFormatException {
        Attr a = n.attrs.get(name);
        if (a == null || a.f == null) {
            return null;
        }
        if (!Float.isFinite(a.f)) {
            throw fail(n.label() + ": attribute '" + name + "' is " + a.f + ", not a finite number");
        }
        return a.f;
    }

    private long intAttr(OnnxNode n, String name, long dflt) throws WeightFormatException {
        Attr a = n.attrs.get(name);
        if (a == null) {
            return dflt;
        }
        if (a.i == null) {
            throw fail(n.label() + ": attribute '" + name + "' is not an integer");
        }
        return a.i;
    }

    private String stringAttr(OnnxNode n, String name, String dflt) {
        Attr a = n.attrs.get(name);
        return a == null || a.s == null ? dflt : a.s;
    }

    private int[] ints2(OnnxNode n, String name, int[] dflt) throws WeightFormatException {
        Attr a = n.attrs.get(name);
        if (a == null) {
            if (dflt == null) {
                throw fail(n.label() + " has no '" + name + "'");
            }
            return dflt.clone();
        }
        if (a.ints.length != 2 || a.ints[0] < 1 || a.ints[1] < 1 || a.ints[0] > 65536 || a.ints[1] > 65536) {
            throw fail(n.label() + ": '" + name + "' is " + Arrays.toString(a.ints) + ", not two positive sizes");
        }
        return new int[] {(int) a.ints[0], (int) a.ints[1]};
    }

    private WeightFormatException fail(String problem) {
        return new WeightFormatException(fileName, problem);
    }
}
