package dev.netforge.processor.model;

import dev.netforge.Activation;
import java.util.List;

/**
 * One layer of a validated network, with every size resolved to a number: the input the writer
 * reads, the output it writes, and the layer's own constants. Immutable; no javac types.
 */
public sealed interface LayerSpec {

    /**
     * One method a kind: adding a kind adds a method here, and the compiler then names every
     * visitor (every place in the processor that must handle the new kind).
     */
    interface Visitor<R> {
        R conv2D(Conv2DSpec layer);

        R depthwiseConv2D(DepthwiseConv2DSpec layer);

        R pool(PoolSpec layer);

        R globalPool(GlobalPoolSpec layer);

        R flatten(FlattenSpec layer);

        R dense(DenseSpec layer);

        R batchNormalization(BatchNormalizationSpec layer);

        R zeroPadding(ZeroPaddingSpec layer);

        R dropout(DropoutSpec layer);

        R activation(ActivationSpec layer);

        R merge(MergeSpec layer);

        R upSampling(UpSamplingSpec layer);

        R conv2DTranspose(Conv2DTransposeSpec layer);

        R separableConv2D(SeparableConv2DSpec layer);

        R reshape(ReshapeSpec layer);

        R leakyReLU(LeakyReLUSpec layer);

        R rescaling(RescalingSpec layer);

        R cropping(CroppingSpec layer);
    }

    /** Calls the visitor's method for this kind. */
    <R> R accept(Visitor<R> visitor);
    /** The field name, which names the layer in diagnostics, the summary and weight files. */
    String name();

    Shape input();

    Shape output();

    /** The Keras class this layer corresponds to, as the summary shows it. */
    String kerasName();

    /** Parameters as Keras counts them. */
    default long parameterCount() {
        return 0;
    }

    /** Multiply-accumulate operations of one forward pass, as the summary reports them. */
    default long multiplyAccumulates() {
        return 0;
    }

    /** The activation the layer applies itself; LINEAR for kinds without one. */
    default Activation activation() {
        return Activation.LINEAR;
    }

    /** Whether the layer adds a bias; false for kinds without one. */
    default boolean useBias() {
        return false;
    }

    /**
     * The window of a convolution that slides over an explicitly zero-padded copy of its input
     * (the shared pad array), else null.
     */
    default Window paddedInputWindow() {
        return null;
    }

    /** Whether the layer leaves the data as it is (Flatten, Dropout): no code runs for it. */
    default boolean movesNoData() {
        return false;
    }

    /** A 2-D convolution; the window carries strides, dilation and the 'same' padding. */
    record Conv2DSpec(String name, Shape input, Shape output, int filters, Window window,
                      Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv2D(this);
        }

        @Override
        public Window paddedInputWindow() {
            return window.padded() ? window : null;
        }

        public String kerasName() {
            return "Conv2D";
        }

        /** Kernel elements, {@code KH * KW * CIN * F}. */
        public long kernelSize() {
            return Sizes.product(window.height(), window.width(), input.channels(), filters);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? filters : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.product(output.height(), output.width(), kernelSize());
        }
    }

    /** Each input channel convolved with its own {@code depthMultiplier} filters. */
    record DepthwiseConv2DSpec(String name, Shape input, Shape output, int depthMultiplier, Window window,
                               Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.depthwiseConv2D(this);
        }

        @Override
        public Window paddedInputWindow() {
            return window.padded() ? window : null;
        }

        public String kerasName() {
            return "DepthwiseConv2D";
        }

        public long kernelSize() {
            return Sizes.product(window.height(), window.width(), input.channels(), depthMultiplier);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? (long) input.channels() * depthMultiplier : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.product(output.height(), output.width(), kernelSize());
        }
    }

    /** Max or average pooling; padded cells never take part (and are not counted by the average). */
    record PoolSpec(String name, Shape input, Shape output, boolean average, Window window) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pool(this);
        }

        public String kerasName() {
            return average ? "AveragePooling2D" : "MaxPooling2D";
        }
    }

    /** The mean or maximum of each channel over the whole image. */
    record GlobalPoolSpec(String name, Shape input, Shape output, boolean average) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.globalPool(this);
        }

        public String kerasName() {
            return average ? "GlobalAveragePooling2D" : "GlobalMaxPooling2D";
        }
    }

    /** Flatten; moves no data because activations are stored flat already. */
    record FlattenSpec(String name, Shape input, Shape output) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.flatten(this);
        }

        public String kerasName() {
            return "Flatten";
        }

        @Override
        public boolean movesNoData() {
            return true;
        }
    }

    /** A fully connected layer; kernel {@code (N, UNITS)} row-major. */
    record DenseSpec(String name, Shape input, Shape output, int units, Activation activation,
                     boolean useBias) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dense(this);
        }

        public String kerasName() {
            return "Dense";
        }

        public long kernelSize() {
            return Sizes.product(input.size(), units);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? units : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return kernelSize();
        }
    }

    /** Inference-time batch normalization over the last axis: gamma, beta, moving mean and variance. */
    record BatchNormalizationSpec(String name, Shape input, Shape output, double epsilon) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.batchNormalization(this);
        }

        public String kerasName() {
            return "BatchNormalization";
        }

        @Override
        public long parameterCount() {
            return 4L * input.channels();
        }
    }

    /** Zeros around an image. */
    record ZeroPaddingSpec(String name, Shape input, Shape output, int top, int bottom, int left, int right)
            implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.zeroPadding(this);
        }

        public String kerasName() {
            return "ZeroPadding2D";
        }
    }

    /** The identity at inference. */
    record DropoutSpec(String name, Shape input, Shape output, double rate) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropout(this);
        }

        public String kerasName() {
            return "Dropout";
        }

        @Override
        public boolean movesNoData() {
            return true;
        }
    }

    /** An activation as a layer of its own. */
    record ActivationSpec(String name, Shape input, Shape output, Activation activation) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.activation(this);
        }

        public String kerasName() {
            return "Activation";
        }

        @Override
        public boolean movesNoData() {
            return activation == Activation.LINEAR;
        }
    }

    /**
     * A merging layer: element-wise over inputs of identical shape, or a concatenation along the
     * last axis. {@link #input()} is the first input; {@link #inputs()} all of them, in order.
     */
    record MergeSpec(String name, List<Shape> inputs, Shape output, MergeOp op) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.merge(this);
        }

        public MergeSpec {
            inputs = List.copyOf(inputs);
        }

        @Override
        public Shape input() {
            return inputs.get(0);
        }

        public String kerasName() {
            return op.kerasName();
        }

        @Override
        public long multiplyAccumulates() {
            return 0;
        }
    }

    /** Nearest-neighbour upsampling: each input cell repeated {@code rows x columns} times. */
    record UpSamplingSpec(String name, Shape input, Shape output, int rows, int columns) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.upSampling(this);
        }

        public String kerasName() {
            return "UpSampling2D";
        }
    }

    /**
     * A transposed convolution; the window carries the kernel and strides, and its pads are what
     * 'same' crops from the full result (top/left; the output size decides the rest).
     */
    record Conv2DTransposeSpec(String name, Shape input, Shape output, int filters, Window window,
                               Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv2DTranspose(this);
        }

        public String kerasName() {
            return "Conv2DTranspose";
        }

        /** Kernel elements, {@code KH * KW * F * CIN}. */
        public long kernelSize() {
            return Sizes.product(window.height(), window.width(), filters, input.channels());
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? filters : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.product(input.height(), input.width(), kernelSize());
        }
    }

    /**
     * A depthwise convolution without bias into {@link #depthwiseOutput()}, then a 1x1 convolution
     * to {@code filters} channels with the bias and the activation.
     */
    record SeparableConv2DSpec(String name, Shape input, Shape output, int filters, int depthMultiplier,
                               Window window, Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.separableConv2D(this);
        }

        @Override
        public Window paddedInputWindow() {
            return window.padded() ? window : null;
        }

        public String kerasName() {
            return "SeparableConv2D";
        }

        /** What the depthwise half writes: the output's height and width, {@code CIN * DM} channels. */
        public Shape depthwiseOutput() {
            return Shape.image(output.height(), output.width(), input.channels() * depthMultiplier);
        }

        public long depthwiseKernelSize() {
            return Sizes.product(window.height(), window.width(), input.channels(), depthMultiplier);
        }

        public long pointwiseKernelSize() {
            return Sizes.product((long) input.channels() * depthMultiplier, filters);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(Sizes.sum(depthwiseKernelSize(), pointwiseKernelSize()), useBias ? filters : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.sum(Sizes.product(output.height(), output.width(), depthwiseKernelSize()),
                    Sizes.product(output.height(), output.width(), pointwiseKernelSize()));
        }
    }

    /** Another shape for the same values: moves no data. */
    record ReshapeSpec(String name, Shape input, Shape output) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.reshape(this);
        }

        public String kerasName() {
            return "Reshape";
        }

        @Override
        public boolean movesNoData() {
            return true;
        }
    }

    /** {@code x >= 0 ? x : alpha * x}, element-wise. */
    record LeakyReLUSpec(String name, Shape input, Shape output, float alpha) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.leakyReLU(this);
        }

        public String kerasName() {
            return "LeakyReLU";
        }
    }

    /** {@code x * scale + offset} with both in float32, as Keras computes it. */
    record RescalingSpec(String name, Shape input, Shape output, float scale, float offset) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.rescaling(this);
        }

        public String kerasName() {
            return "Rescaling";
        }
    }

    /** The image without {@code top} rows, ... at its borders. */
    record CroppingSpec(String name, Shape input, Shape output, int top, int bottom, int left, int right)
            implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.cropping(this);
        }

        public String kerasName() {
            return "Cropping2D";
        }
    }
}
