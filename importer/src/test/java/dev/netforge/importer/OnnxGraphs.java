package dev.netforge.importer;

import static dev.netforge.importer.OnnxBuilder.floatAttr;
import static dev.netforge.importer.OnnxBuilder.intAttr;
import static dev.netforge.importer.OnnxBuilder.ints;
import static dev.netforge.importer.OnnxBuilder.names;
import static dev.netforge.importer.OnnxBuilder.stringAttr;

/**
 * ONNX graphs as PyTorch (torch.onnx) and tf2onnx write them, with their weights, for the
 * importer's tests and the processor's (which compile them and compare with ONNX's semantics).
 */
public final class OnnxGraphs {
    private OnnxGraphs() {
    }

    /** Deterministic values in [-0.5, 0.5] shrinking with the seed (OnnxReaderTest.data). */
    public static float[] data(int n, int seed) {
        return OnnxReaderTest.data(n, seed);
    }

    /**
     * torchvision's BasicBlock twice, the second with a projection shortcut (strided 1x1 Conv), each
     * BatchNormalization folded into its Conv by the exporter (weights named onnx::Conv_N), node names
     * as torch.onnx writes them; input 4 x 7 x 9 (rectangular, odd: PyTorch's padding 1 with stride
     * 2 is TensorFlow's 'same' there).
     */
    public static OnnxBuilder resnet(float[][] w) {
        return new OnnxBuilder().producer("pytorch", "2.1.0").opset(17)
                .initializer("onnx::Conv_101", w[0], 4, 4, 3, 3).initializer("onnx::Conv_102", w[1], 4)
                .initializer("onnx::Conv_104", w[2], 4, 4, 3, 3).initializer("onnx::Conv_105", w[3], 4)
                .initializer("onnx::Conv_107", w[4], 4, 4, 3, 3).initializer("onnx::Conv_108", w[5], 4)
                .initializer("onnx::Conv_110", w[6], 8, 4, 3, 3).initializer("onnx::Conv_111", w[7], 8)
                .initializer("onnx::Conv_113", w[8], 8, 8, 3, 3).initializer("onnx::Conv_114", w[9], 8)
                .initializer("onnx::Conv_116", w[10], 8, 4, 1, 1).initializer("onnx::Conv_117", w[11], 8)
                .initializer("fc.weight", w[12], 3, 8).initializer("fc.bias", w[13], 3)
                .input("input", 1, 4, 7, 9).output("logits", 1, 3)
                .namedNode("/conv1/Conv", "Conv", names("input", "onnx::Conv_101", "onnx::Conv_102"), names("/conv1/Conv_output_0"),
                        ints("dilations", 1, 1), intAttr("group", 1), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                        ints("strides", 1, 1))
                .namedNode("/relu/Relu", "Relu", names("/conv1/Conv_output_0"), names("/relu/Relu_output_0"))
                .namedNode("/layer1/layer1.0/conv1/Conv", "Conv", names("/relu/Relu_output_0", "onnx::Conv_104", "onnx::Conv_105"),
                        names("/layer1/layer1.0/conv1/Conv_output_0"), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                        ints("strides", 1, 1))
                .namedNode("/layer1/layer1.0/relu/Relu", "Relu", names("/layer1/layer1.0/conv1/Conv_output_0"),
                        names("/layer1/layer1.0/relu/Relu_output_0"))
                .namedNode("/layer1/layer1.0/conv2/Conv", "Conv", names("/layer1/layer1.0/relu/Relu_output_0", "onnx::Conv_107",
                        "onnx::Conv_108"), names("/layer1/layer1.0/conv2/Conv_output_0"), ints("kernel_shape", 3, 3),
                        ints("pads", 1, 1, 1, 1), ints("strides", 1, 1))
                .namedNode("/layer1/layer1.0/Add", "Add", names("/layer1/layer1.0/conv2/Conv_output_0", "/relu/Relu_output_0"),
                        names("/layer1/layer1.0/Add_output_0"))
                .namedNode("/layer1/layer1.0/relu_1/Relu", "Relu", names("/layer1/layer1.0/Add_output_0"),
                        names("/layer1/layer1.0/relu_1/Relu_output_0"))
                .namedNode("/layer2/layer2.0/conv1/Conv", "Conv", names("/layer1/layer1.0/relu_1/Relu_output_0",
                        "onnx::Conv_110", "onnx::Conv_111"), names("/layer2/layer2.0/conv1/Conv_output_0"),
                        ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .namedNode("/layer2/layer2.0/relu/Relu", "Relu", names("/layer2/layer2.0/conv1/Conv_output_0"),
                        names("/layer2/layer2.0/relu/Relu_output_0"))
                .namedNode("/layer2/layer2.0/conv2/Conv", "Conv", names("/layer2/layer2.0/relu/Relu_output_0", "onnx::Conv_113",
                        "onnx::Conv_114"), names("/layer2/layer2.0/conv2/Conv_output_0"), ints("kernel_shape", 3, 3),
                        ints("pads", 1, 1, 1, 1), ints("strides", 1, 1))
                .namedNode("/layer2/layer2.0/downsample/downsample.0/Conv", "Conv", names("/layer1/layer1.0/relu_1/Relu_output_0",
                        "onnx::Conv_116", "onnx::Conv_117"), names("/layer2/layer2.0/downsample/downsample.0/Conv_output_0"),
                        ints("kernel_shape", 1, 1), ints("pads", 0, 0, 0, 0), ints("strides", 2, 2))
                .namedNode("/layer2/layer2.0/Add", "Add", names("/layer2/layer2.0/conv2/Conv_output_0",
                        "/layer2/layer2.0/downsample/downsample.0/Conv_output_0"), names("/layer2/layer2.0/Add_output_0"))
                .namedNode("/layer2/layer2.0/relu_1/Relu", "Relu", names("/layer2/layer2.0/Add_output_0"),
                        names("/layer2/layer2.0/relu_1/Relu_output_0"))
                .namedNode("/avgpool/GlobalAveragePool", "GlobalAveragePool", names("/layer2/layer2.0/relu_1/Relu_output_0"),
                        names("/avgpool/GlobalAveragePool_output_0"))
                .namedNode("/Flatten", "Flatten", names("/avgpool/GlobalAveragePool_output_0"), names("/Flatten_output_0"),
                        intAttr("axis", 1))
                .namedNode("/fc/Gemm", "Gemm", names("/Flatten_output_0", "fc.weight", "fc.bias"), names("logits"),
                        floatAttr("alpha", 1f), floatAttr("beta", 1f), intAttr("transB", 1));
    }

    public static float[][] resnetWeights() {
        int[] sizes = {144, 4, 144, 4, 144, 4, 288, 8, 576, 8, 32, 8, 24, 3};
        float[][] w = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            w[i] = data(sizes[i], 40 + i);
        }
        return w;
    }

    public static OnnxBuilder unet(float[][] w) {
        // 2 x 8 x 6 -> enc Conv 4 3x3 same + Relu -> MaxPool 2 -> mid Conv 8 3x3 same + Relu
        // -> ConvTranspose 4 2x2 stride 2 -> Concat(up, enc) -> Conv 3 1x1 -> Sigmoid
        return new OnnxBuilder().producer("pytorch", "2.1.0").opset(17)
                .initializer("enc.weight", w[0], 4, 2, 3, 3).initializer("enc.bias", w[1], 4)
                .initializer("mid.weight", w[2], 8, 4, 3, 3).initializer("mid.bias", w[3], 8)
                .initializer("up.weight", w[4], 8, 4, 2, 2).initializer("up.bias", w[5], 4)
                .initializer("out.weight", w[6], 3, 8, 1, 1).initializer("out.bias", w[7], 3)
                .input("x", 1, 2, 8, 6).output("y", 1, 3, 8, 6)
                .namedNode("/enc/Conv", "Conv", names("x", "enc.weight", "enc.bias"), names("e"), ints("kernel_shape", 3, 3),
                        ints("pads", 1, 1, 1, 1))
                .namedNode("/enc_act/Relu", "Relu", names("e"), names("er"))
                .namedNode("/pool/MaxPool", "MaxPool", names("er"), names("p"), ints("kernel_shape", 2, 2), ints("strides", 2, 2))
                .namedNode("/mid/Conv", "Conv", names("p", "mid.weight", "mid.bias"), names("m"), ints("kernel_shape", 3, 3),
                        ints("pads", 1, 1, 1, 1))
                .namedNode("/mid_act/Relu", "Relu", names("m"), names("mr"))
                .namedNode("/up/ConvTranspose", "ConvTranspose", names("mr", "up.weight", "up.bias"), names("u"),
                        ints("dilations", 1, 1), intAttr("group", 1), ints("kernel_shape", 2, 2), ints("pads", 0, 0, 0, 0),
                        ints("strides", 2, 2))
                .namedNode("/Concat", "Concat", names("u", "er"), names("cat"), intAttr("axis", 1))
                .namedNode("/out/Conv", "Conv", names("cat", "out.weight", "out.bias"), names("o"), ints("kernel_shape", 1, 1))
                .namedNode("/Sigmoid", "Sigmoid", names("o"), names("y"));
    }

    public static float[][] unetWeights() {
        int[] sizes = {72, 4, 288, 8, 128, 4, 24, 3};
        float[][] w = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            w[i] = data(sizes[i], 60 + i);
        }
        return w;
    }

    /** Linear -> BatchNorm1d -> ReLU -> view(C, H, W) -> ConvTranspose, as a DCGAN generator starts. */
    public static OnnxBuilder generator(float[][] w) {
        return new OnnxBuilder().producer("pytorch", "2.1.0").opset(17)
                .initializer("fc.weight", w[0], 12, 5).initializer("fc.bias", w[1], 12)
                .initializer("bn.weight", w[2], 12).initializer("bn.bias", w[3], 12)
                .initializer("bn.running_mean", w[4], 12).initializer("bn.running_var", w[5], 12)
                .initializerInt64("shape", new long[] {-1, 3, 2, 2}, 4)
                .initializer("deconv.weight", w[6], 3, 2, 3, 3)
                .input("z", 1, 5).output("img", 1, 2, 5, 5)
                .namedNode("/fc/Gemm", "Gemm", names("z", "fc.weight", "fc.bias"), names("g"), intAttr("transB", 1))
                .namedNode("/bn/BatchNormalization", "BatchNormalization", names("g", "bn.weight", "bn.bias", "bn.running_mean",
                        "bn.running_var"), names("n"), floatAttr("epsilon", 1e-5f))
                .namedNode("/act/Relu", "Relu", names("n"), names("r"))
                .namedNode("/Reshape", "Reshape", names("r", "shape"), names("img0"))
                .namedNode("/deconv/ConvTranspose", "ConvTranspose", names("img0", "deconv.weight"), names("d"),
                        ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 0, 0, 0, 0))
                .namedNode("/Tanh", "Tanh", names("d"), names("img"));
    }

    public static float[][] generatorWeights() {
        float[] var = data(12, 84);
        for (int i = 0; i < var.length; i++) {
            var[i] = 0.5f + Math.abs(var[i]);
        }
        return new float[][] {data(60, 80), data(12, 81), data(12, 82), data(12, 83), data(12, 85), var, data(54, 86)};
    }

    /** A Keras model through tf2onnx: NHWC input, Transposes around the Conv, Reshape (-1, N), MatMul + Add. */
    public static OnnxBuilder tf2onnx(float[][] w) {
        return new OnnxBuilder().producer("tf2onnx", "1.16.1").opset(15)
                .initializer("model/conv2d/Conv2D/ReadVariableOp:0", w[0], 3, 2, 3, 3)
                .initializer("model/conv2d/BiasAdd/ReadVariableOp:0", w[1], 3)
                .initializer("model/dense/MatMul/ReadVariableOp:0", w[2], 3 * 4 * 5, 2)
                .initializer("model/dense/BiasAdd/ReadVariableOp:0", w[3], 2)
                .initializerInt64("const_fold_opt__8", new long[] {-1, 60}, 2)
                .input("input_1", -1, 4, 5, 2).output("dense", -1, 2)
                .namedNode("model/conv2d/BiasAdd__6", "Transpose", names("input_1"), names("model/conv2d/BiasAdd__6:0"),
                        ints("perm", 0, 3, 1, 2))
                .namedNode("model/conv2d/BiasAdd", "Conv", names("model/conv2d/BiasAdd__6:0",
                        "model/conv2d/Conv2D/ReadVariableOp:0", "model/conv2d/BiasAdd/ReadVariableOp:0"),
                        names("model/conv2d/BiasAdd:0"), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                        ints("strides", 1, 1), ints("dilations", 1, 1))
                .namedNode("model/conv2d/Relu", "Relu", names("model/conv2d/BiasAdd:0"), names("model/conv2d/Relu:0"))
                .namedNode("model/conv2d/Relu__8", "Transpose", names("model/conv2d/Relu:0"), names("model/conv2d/Relu__8:0"),
                        ints("perm", 0, 2, 3, 1))
                .namedNode("model/flatten/Reshape", "Reshape", names("model/conv2d/Relu__8:0", "const_fold_opt__8"),
                        names("model/flatten/Reshape:0"))
                .namedNode("model/dense/MatMul", "MatMul", names("model/flatten/Reshape:0", "model/dense/MatMul/ReadVariableOp:0"),
                        names("model/dense/MatMul:0"))
                .namedNode("model/dense/BiasAdd", "Add", names("model/dense/MatMul:0", "model/dense/BiasAdd/ReadVariableOp:0"),
                        names("model/dense/BiasAdd:0"))
                .namedNode("model/dense/Softmax", "Softmax", names("model/dense/BiasAdd:0"), names("dense"), intAttr("axis", -1));
    }

    public static float[][] tf2onnxWeights() {
        return new float[][] {data(54, 91), data(3, 92), data(120, 93), data(2, 94)};
    }

    /**
     * Every merge, activation and layout move in one graph, input 2 x 4 x 6: Conv + Clip(0, 6); LeakyRelu
     * and Sigmoid of it; Sub, Mul, Max, Min, Mean (3 inputs), Sum (3 inputs); MaxPool 2; Resize x2 (ONNX's
     * default half_pixel, round_prefer_floor); Concat with the merges' result; Conv 1x1; Flatten of that and
     * Flatten of the graph input (C, H, W order both), Add, Relu, Gemm, Softmax.
     */
    public static OnnxBuilder mixed(float[][] w) {
        return new OnnxBuilder().producer("pytorch", "2.1.0").opset(17)
                .initializer("a.weight", w[0], 3, 2, 3, 3).initializer("a.bias", w[1], 3)
                .initializer("b.weight", w[2], 2, 6, 1, 1).initializer("b.bias", w[3], 2)
                .initializer("fc.weight", w[4], 5, 48).initializer("fc.bias", w[5], 5)
                .initializer("zero", new float[] {0}).initializer("six", new float[] {6})
                .initializer("scales", new float[] {1, 1, 2, 2}, 4)
                .input("x", 1, 2, 4, 6).output("y", 1, 5)
                .namedNode("/a/Conv", "Conv", names("x", "a.weight", "a.bias"), names("c"), ints("kernel_shape", 3, 3),
                        ints("pads", 1, 1, 1, 1))
                .namedNode("/Clip", "Clip", names("c", "zero", "six"), names("c6"))
                .namedNode("/LeakyRelu", "LeakyRelu", names("c6"), names("l"), floatAttr("alpha", 0.2f))
                .namedNode("/Sigmoid", "Sigmoid", names("c6"), names("s"))
                .namedNode("/Sub", "Sub", names("l", "s"), names("d"))
                .namedNode("/Mul", "Mul", names("d", "s"), names("p"))
                .namedNode("/Max", "Max", names("p", "l"), names("mx"))
                .namedNode("/Min", "Min", names("mx", "s"), names("mn"))
                .namedNode("/Mean", "Mean", names("mn", "l", "s"), names("av"))
                .namedNode("/Sum", "Sum", names("av", "av", "d"), names("sm"))
                .namedNode("/pool/MaxPool", "MaxPool", names("sm"), names("mp"), ints("kernel_shape", 2, 2), ints("strides", 2, 2))
                .namedNode("/up/Resize", "Resize", names("mp", "", "scales"), names("up"), stringAttr("mode", "nearest"))
                .namedNode("/Concat", "Concat", names("up", "sm"), names("cat"), intAttr("axis", 1))
                .namedNode("/b/Conv", "Conv", names("cat", "b.weight", "b.bias"), names("cb"), ints("kernel_shape", 1, 1))
                .namedNode("/Flatten", "Flatten", names("cb"), names("f1"), intAttr("axis", 1))
                .namedNode("/Flatten_1", "Flatten", names("x"), names("f2"), intAttr("axis", 1))
                .namedNode("/Add", "Add", names("f1", "f2"), names("fs"))
                .namedNode("/Relu", "Relu", names("fs"), names("fr"))
                .namedNode("/fc/Gemm", "Gemm", names("fr", "fc.weight", "fc.bias"), names("g"), intAttr("transB", 1))
                .namedNode("/Softmax", "Softmax", names("g"), names("y"), intAttr("axis", 1));
    }

    public static float[][] mixedWeights() {
        return new float[][] {data(54, 100), data(3, 101), data(12, 102), data(2, 103), data(240, 104), data(5, 105)};
    }

    /** A ConvTranspose with 2 input channels and 3 filters of k x k on a 5 x 4 input, as PyTorch writes it. */
    public static OnnxBuilder convTranspose(int k, int s, long[] pads, long[] outputPadding, float[] w, float[] b) {
        OnnxBuilder g = new OnnxBuilder().producer("pytorch", "2.1.0").opset(17)
                .initializer("up.weight", w, 2, 3, k, k).initializer("up.bias", b, 3)
                .input("x", 1, 2, 5, 4).output("y");
        return outputPadding == null
                ? g.namedNode("/up/ConvTranspose", "ConvTranspose", names("x", "up.weight", "up.bias"), names("y"),
                        ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", pads))
                : g.namedNode("/up/ConvTranspose", "ConvTranspose", names("x", "up.weight", "up.bias"), names("y"),
                        ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", pads),
                        ints("output_padding", outputPadding));
    }

    /** A nearest Resize by (fh, fw) of a 2 x 3 x 4 input with the given coordinate mode and rounding. */
    public static OnnxBuilder resize(String transform, String rounding, int fh, int fw) {
        return new OnnxBuilder().opset(17).initializer("scales", new float[] {1, 1, fh, fw}, 4)
                .input("x", 1, 2, 3, 4).output("y")
                .node("Resize", names("x", "", "scales"), names("y"), stringAttr("mode", "nearest"),
                        stringAttr("coordinate_transformation_mode", transform), stringAttr("nearest_mode", rounding));
    }
}
