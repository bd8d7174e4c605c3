package dev.netforge.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
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
 * Reads an ONNX model (as exported from PyTorch) whose graph is a single chain of layers, and
 * describes it in NetForge's (Keras's) terms: NHWC activations, HWIO convolution kernels,
 * (inputs, units) dense kernels.
 *
 * <p>Understood operators: Conv (grouped and depthwise too), Relu/Sigmoid/Tanh/Softmax/LogSoftmax
 * (fused into the preceding Conv or dense layer as its activation, else an Activation layer),
 * MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, Flatten and flattening Reshapes, Gemm,
 * MatMul (+ Add of a constant bias), BatchNormalization, Dropout and Identity; Constant nodes and
 * the shape computations PyTorch emits for {@code x.view(x.size(0), -1)} are accepted beside the chain.
 *
 * <p>Layout conversions: Conv weights OIHW → HWIO (depthwise: (C·M, 1, KH, KW) → (KH, KW, C, M));
 * Gemm with {@code transB=1} (U, N) → (N, U); and the first dense layer after a Flatten of a
 * C×H×W tensor gets its rows permuted from PyTorch's C,H,W order to NetForge's H,W,C order (the
 * shapes are tracked from the graph input, NCHW, through the layers). ONNX padding is mapped to
 * 'valid' (no padding) or 'same' (the pads TensorFlow's 'same' gives for that input size);
 * anything else, like PyTorch's symmetric padding of an even input with stride 2, is reported as
 * a {@link WeightFormatException} because NetForge could not compute the same numbers.
 */
public final class OnnxReader {
    private static final int FLOAT = 1;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    private static final int FLOAT16 = 10;
    private static final int DOUBLE = 11;

    /** Ops that may sit beside the chain, computing shapes (e.g. for {@code x.view(x.size(0), -1)}). */
    private static final Set<String> SHAPE_OPS = Set.of("Constant", "Shape", "Gather", "Unsqueeze", "Squeeze",
            "Concat", "Cast", "Slice", "ConstantOfShape", "Identity", "Mul", "Div", "Range", "ReduceProd");
    private static final Map<String, String> ACTIVATIONS = Map.of("Relu", "relu", "Sigmoid", "sigmoid",
            "Tanh", "tanh", "Softmax", "softmax", "LogSoftmax", "log_softmax");

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

    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final Set<Integer> onChain = new HashSet<>();
    private final List<ImportedLayer> layers = new ArrayList<>();
    private final Map<String, Integer> autoNames = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();

    /** ONNX-side shape of the current tensor without batch: {C, H, W} or {F}; null if unknown. */
    private int[] onnxShape;
    /** NetForge-side shape of the current tensor: {H, W, C} or {N}; null if unknown. */
    private int[] nfShape;
    /** Set by a Flatten of a C×H×W tensor: the {C, H, W} whose order the next dense layer must undo. */
    private int[] pendingPermutation;

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
            for (String in : n.inputs) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        ValueInfo input = null;
        for (ValueInfo v : inputs) {
            if (!constants.containsKey(v.name)) {
                if (input != null) {
                    throw fail("the graph has several data inputs ('" + input.name + "', '" + v.name
                            + "'): only single-input chains can be imported");
                }
                input = v;
            }
        }
        if (input == null) {
            throw fail("the graph has no data input");
        }
        if (outputs.size() != 1) {
            throw fail("the graph has " + outputs.size() + " outputs: only single-output chains can be imported");
        }
        String output = outputs.get(0).name;
        int[] inputShape = inputShape(input);

        String cur = input.name;
        while (!cur.equals(output)) {
            cur = step(cur, output);
        }
        if (pendingPermutation != null) {
            throw fail("the model's output is a flattened C x H x W tensor, whose element order differs in NetForge (H, W, C)");
        }
        for (String name : initializerNames) {
            if (!consumers.containsKey(name)) {
                // Legal ONNX, but PyTorch never writes one, and silently dropping weights is worse than refusing.
                throw fail("initializer '" + name + "' is not used by any node: corrupt, or not a graph this importer understands");
            }
        }
        for (OnnxNode n : nodes) {
            if (!onChain.contains(n.index) && !SHAPE_OPS.contains(n.opType)) {
                throw fail(n.label() + " is not part of the chain from the input to the output: "
                        + "only sequential models can be imported");
            }
        }
        String producer = (producerName + " " + producerVersion).trim();
        return new ImportedModel("onnx", producer.isEmpty() ? "unknown" : producer, inputShape, layers);
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
        if (input.dims == null) {
            onnxShape = null;
            nfShape = null;
            return null;
        }
        int rank = input.dims.length;
        if (rank != 4 && rank != 2) {
            throw fail("the input '" + input.name + "' has rank " + rank + "; N x C x H x W or N x F expected");
        }
        int[] d = new int[rank - 1];
        for (int i = 1; i < rank; i++) {
            if (!(input.dims[i] instanceof Long v) || v < 1 || v > Integer.MAX_VALUE) {
                onnxShape = null;
                nfShape = null;
                return null; // a symbolic or missing size: the input shape is not fixed
            }
            d[i - 1] = (int) (long) v;
        }
        onnxShape = d;
        nfShape = rank == 4 ? new int[] {d[1], d[2], d[0]} : d.clone();
        return nfShape.clone();
    }

    /** Converts the node consuming {@code cur} (and nodes fused with it); returns the new current tensor. */
    private String step(String cur, String output) throws WeightFormatException {
        OnnxNode n = soleConsumer(cur);
        if (!onChain.add(n.index)) {
            throw fail(n.label() + " is reached twice: the graph has a cycle");
        }
        String op = n.opType;
        if (n.inputs.isEmpty() || !n.inputs.get(0).equals(cur)) {
            throw fail(n.label() + " takes the data tensor '" + cur + "' not as its first input");
        }
        switch (op) {
            case "Conv":
                return fuseActivation(conv(n), out(n), output);
            case "Gemm":
                return fuseActivation(gemm(n), out(n), output);
            case "MatMul":
                return matMul(n, output);
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
            case "BatchNormalization":
                batchNorm(n);
                return out(n);
            case "Dropout": {
                if (n.outputs.size() > 1 && !n.outputs.get(1).isEmpty() && consumers.containsKey(n.outputs.get(1))) {
                    throw fail(n.label() + ": its mask output is used");
                }
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
            case "Identity":
                return out(n);
            default:
                if (ACTIVATIONS.containsKey(op)) {
                    String act = activationOf(n);
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("activation", act);
                    add(n, "Activation", a, List.of(), null);
                    return out(n);
                }
                throw fail("unsupported ONNX operator: " + n.label());
        }
    }

    private OnnxNode soleConsumer(String tensor) throws WeightFormatException {
        List<OnnxNode> users = new ArrayList<>();
        for (OnnxNode n : consumers.getOrDefault(tensor, List.of())) {
            if (!n.opType.equals("Shape")) { // shape queries feed the shape computations beside the chain
                users.add(n);
            }
        }
        if (users.size() != 1) {
            throw fail("tensor '" + tensor + "' is used by " + users.size() + " nodes"
                    + (users.isEmpty() ? " and is not the graph output" : " " + labels(users))
                    + ": only sequential chains can be imported");
        }
        return users.get(0);
    }

    private static String labels(List<OnnxNode> ns) {
        List<String> l = new ArrayList<>();
        for (OnnxNode n : ns) {
            l.add(n.label());
        }
        return l.toString();
    }

    private String out(OnnxNode n) throws WeightFormatException {
        if (n.outputs.isEmpty() || n.outputs.get(0).isEmpty()) {
            throw fail(n.label() + " has no output");
        }
        return n.outputs.get(0);
    }

    /** If the only consumer of {@code produced} is an activation, fuses it into {@code layer}. */
    private String fuseActivation(int layerIndex, String produced, String output) throws WeightFormatException {
        if (produced.equals(output)) {
            return produced;
        }
        List<OnnxNode> users = consumers.getOrDefault(produced, List.of());
        if (users.size() == 1 && ACTIVATIONS.containsKey(users.get(0).opType)) {
            OnnxNode act = users.get(0);
            ImportedLayer l = layers.get(layerIndex);
            if ("linear".equals(l.string("activation"))) {
                Map<String, Object> a = new LinkedHashMap<>(l.attributes());
                a.put("activation", activationOf(act));
                layers.set(layerIndex, new ImportedLayer(l.name(), l.kind(), a, l.weights()));
                onChain.add(act.index);
                return out(act);
            }
        }
        return produced;
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
        String padding = padding(n, kernel, strides, dil, false);
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
        String kind;
        List<Tensor> weights = new ArrayList<>();
        if (group > 1 && group == c && i == 1) {
            kind = "DepthwiseConv2D";
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
            kind = "Conv2D";
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
        int index = add(n, kind, a, weights, wt.name);
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

    private String matMul(OnnxNode n, String output) throws WeightFormatException {
        OnnxTensor bt = constant(n, 1, "weight");
        int[] bd = dimsOf(bt, "weight");
        if (bd.length != 2) {
            throw fail(n.label() + ": weight '" + bt.name + "' has shape " + Arrays.toString(bd) + ", not 2-D");
        }
        float[] kernel = floats(bt, "weight");
        String produced = out(n);
        float[] bias = null;
        List<OnnxNode> users = consumers.getOrDefault(produced, List.of());
        if (!produced.equals(output) && users.size() == 1 && users.get(0).opType.equals("Add")) {
            OnnxNode add = users.get(0);
            int other = add.inputs.get(0).equals(produced) ? 1 : 0;
            if (add.inputs.size() == 2 && constants.containsKey(add.inputs.get(other))) {
                bias = biasVector(add, other, bd[1]);
                onChain.add(add.index);
                produced = out(add);
            }
        }
        int index = dense(n, bd[0], bd[1], kernel, bias, bt.name);
        return fuseActivation(index, produced, output);
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
            // there is one channel, or when NetForge's tensor is already a vector (global pooling).
            boolean sameOrder = (h * w == 1) || c == 1 || (nfShape != null && nfShape.length == 1);
            if (!sameOrder) {
                pendingPermutation = onnxShape.clone();
            }
            onnxShape = new int[] {c * h * w};
        }
        add(n, "Flatten", new LinkedHashMap<>(), List.of(), null);
        checkAgree(n);
    }

    private void reshape(OnnxNode n) throws WeightFormatException {
        if (n.inputs.size() < 2) {
            throw fail(n.label() + " has no shape input");
        }
        String shapeName = n.inputs.get(1);
        if (constants.containsKey(shapeName)) {
            long[] s = longs(constants.get(shapeName), "shape");
            long total = 1;
            if (onnxShape != null) {
                for (int d : onnxShape) {
                    total *= d;
                }
            }
            boolean flat = s.length == 2 && (s[0] == -1 || s[0] == 0 || s[0] == 1)
                    && (s[1] == -1 || (onnxShape != null && s[1] == total))
                    && !(s[0] == -1 && s[1] == -1);
            if (s.length == 2 && s[0] == -1 && onnxShape != null && s[1] == total) {
                flat = true;
            }
            if (!flat) {
                throw fail(n.label() + " reshapes to " + Arrays.toString(s) + "; only flattening to (batch, -1) is supported");
            }
        } else {
            // A computed shape, as PyTorch exports x.view(x.size(0), -1): accepted when a dense layer follows.
            List<OnnxNode> next = consumers.getOrDefault(out(n), List.of());
            if (next.size() != 1 || !(next.get(0).opType.equals("Gemm") || next.get(0).opType.equals("MatMul"))) {
                throw fail(n.label() + " reshapes to a computed shape not followed by a dense layer; cannot tell it flattens");
            }
        }
        flatten(n);
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
        ImportedLayer layer = new ImportedLayer(layerName(n, kind, weightName), kind, attrs, weights);
        try {
            nfShape = Shapes.output(layer, nfShape);
        } catch (IllegalArgumentException e) {
            throw fail(n.label() + ": " + e.getMessage());
        }
        layers.add(layer);
        return layers.size() - 1;
    }

    /** Checks that the tracked NetForge shape is the tracked ONNX shape in NetForge order. */
    private void checkAgree(OnnxNode n) throws WeightFormatException {
        if (onnxShape == null || nfShape == null) {
            return;
        }
        int[] expected = onnxShape.length == 3 ? new int[] {onnxShape[1], onnxShape[2], onnxShape[0]} : onnxShape;
        if (!Arrays.equals(expected, nfShape)) {
            throw fail(n.label() + ": output " + Arrays.toString(onnxShape) + " (ONNX, C,H,W) does not match "
                    + Arrays.toString(nfShape) + " (NetForge)");
        }
    }

    private String layerName(OnnxNode n, String kind, String weightName) {
        String base = null;
        if (weightName != null && weightName.contains(".")) {
            base = weightName.substring(0, weightName.lastIndexOf('.')); // conv1.weight -> conv1
        } else if (n.name.matches("/.+/[A-Za-z]+(_\\d+)?")) {
            String inner = n.name.substring(1, n.name.lastIndexOf('/')); // /features/features.0/Conv
            base = inner.substring(inner.lastIndexOf('/') + 1);
        }
        // nn.Sequential positions ("0", "3") make poor names: use Keras's automatic names instead
        if (base == null || base.isEmpty() || base.matches("[0-9.]+") || usedNames.contains(base)) {
            String auto = switch (kind) {
                case "Conv2D" -> "conv2d";
                case "DepthwiseConv2D" -> "depthwise_conv2d";
                case "MaxPool" -> "max_pooling2d";
                case "AvgPool" -> "average_pooling2d";
                case "GlobalAvgPool" -> "global_average_pooling2d";
                case "GlobalMaxPool" -> "global_max_pooling2d";
                case "BatchNormalization" -> "batch_normalization";
                default -> kind.toLowerCase(Locale.ROOT);
            };
            do {
                int k = autoNames.merge(auto, 1, Integer::sum) - 1;
                base = k == 0 ? auto : auto + "_" + k;
            } while (usedNames.contains(base));
        }
        usedNames.add(base);
        return base;
    }

    // ---------------------------------------------------------------- attribute helpers

    private void requireChw(OnnxNode n) throws WeightFormatException {
        if (onnxShape == null) {
            throw fail(n.label() + ": the input size is not fixed in the graph (symbolic dimensions); "
                    + "export with a fixed input shape");
        }
        if (onnxShape.length != 3) {
            throw fail(n.label() + " needs an N x C x H x W input but gets " + Arrays.toString(onnxShape));
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
