package dev.netforge.processor.model;

import dev.netforge.Activation;
import dev.netforge.Padding;

/**
 * A layer exactly as the user wrote it, attribute values copied out of the annotation and not yet
 * checked. Validation turns a list of these into a {@link Network} or into problems that name the
 * layer and the attribute at fault. The attribute names are the annotation's method names, so a
 * problem can be placed on the exact {@code AnnotationValue}. Arrays are copied in and out.
 */
public sealed interface LayerDeclaration {

    /**
     * One method a kind: adding a kind adds a method here, and the compiler then names every
     * visitor (every place in the processor that must handle the new kind).
     */
    interface Visitor<R> {
        R conv2D(Conv2DDeclaration declaration);

        R depthwiseConv2D(DepthwiseConv2DDeclaration declaration);

        R pool(PoolDeclaration declaration);

        R globalPool(GlobalPoolDeclaration declaration);

        R flatten(FlattenDeclaration declaration);

        R dense(DenseDeclaration declaration);

        R batchNormalization(BatchNormalizationDeclaration declaration);

        R zeroPadding(ZeroPaddingDeclaration declaration);

        R dropout(DropoutDeclaration declaration);

        R activation(ActivationDeclaration declaration);

        R merge(MergeDeclaration declaration);

        R upSampling(UpSamplingDeclaration declaration);

        R conv2DTranspose(Conv2DTransposeDeclaration declaration);

        R separableConv2D(SeparableConv2DDeclaration declaration);

        R reshape(ReshapeDeclaration declaration);

        R leakyReLU(LeakyReLUDeclaration declaration);

        R rescaling(RescalingDeclaration declaration);

        R cropping(CroppingDeclaration declaration);
    }

    /** Calls the visitor's method for this kind. */
    <R> R accept(Visitor<R> visitor);

    /** An {@code int[]} attribute of one value for both axes or {@code {height, width}}, as two values. */
    static int[] pair(int[] oneOrTwo) {
        return oneOrTwo.length == 1 ? new int[] {oneOrTwo[0], oneOrTwo[0]} : oneOrTwo.clone();
    }

    /**
     * A border attribute ({@code @ZeroPadding2D}, {@code @Cropping2D}) of one value (all sides), two
     * ({@code {vertical, horizontal}}) or four, as {@code {top, bottom, left, right}}.
     */
    static int[] sides(int[] values) {
        return values.length == 1 ? new int[] {values[0], values[0], values[0], values[0]}
                : values.length == 2 ? new int[] {values[0], values[0], values[1], values[1]} : values.clone();
    }
    String name();

    /** The annotation's simple name, as the user wrote it: {@code Conv2D}, {@code MaxPool}, ... */
    String annotationName();

    record Conv2DDeclaration(String name, int filters, int[] kernel, int[] strides, Padding padding,
                             int[] dilation, Activation activation, boolean useBias) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv2D(this);
        }

        public Conv2DDeclaration {
            kernel = kernel.clone();
            strides = strides.clone();
            dilation = dilation.clone();
        }

        public String annotationName() {
            return "Conv2D";
        }

        @Override
        public int[] kernel() {
            return kernel.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }

        @Override
        public int[] dilation() {
            return dilation.clone();
        }
    }

    record DepthwiseConv2DDeclaration(String name, int[] kernel, int[] strides, Padding padding, int depthMultiplier,
                                      int[] dilation, Activation activation, boolean useBias)
            implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.depthwiseConv2D(this);
        }

        public DepthwiseConv2DDeclaration {
            kernel = kernel.clone();
            strides = strides.clone();
            dilation = dilation.clone();
        }

        public String annotationName() {
            return "DepthwiseConv2D";
        }

        @Override
        public int[] kernel() {
            return kernel.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }

        @Override
        public int[] dilation() {
            return dilation.clone();
        }
    }

    /** {@code @MaxPool} or {@code @AvgPool}: the same attributes, a different reduction. */
    record PoolDeclaration(String name, boolean average, int[] pool, int[] strides, Padding padding)
            implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pool(this);
        }

        public PoolDeclaration {
            pool = pool.clone();
            strides = strides.clone();
        }

        public String annotationName() {
            return average ? "AvgPool" : "MaxPool";
        }

        @Override
        public int[] pool() {
            return pool.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }
    }

    record GlobalPoolDeclaration(String name, boolean average) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.globalPool(this);
        }

        public String annotationName() {
            return average ? "GlobalAveragePooling2D" : "GlobalMaxPooling2D";
        }
    }

    record FlattenDeclaration(String name) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.flatten(this);
        }

        public String annotationName() {
            return "Flatten";
        }
    }

    record DenseDeclaration(String name, int units, Activation activation, boolean useBias)
            implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dense(this);
        }

        public String annotationName() {
            return "Dense";
        }
    }

    record BatchNormalizationDeclaration(String name, double epsilon) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.batchNormalization(this);
        }

        public String annotationName() {
            return "BatchNormalization";
        }
    }

    record ZeroPaddingDeclaration(String name, int[] padding) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.zeroPadding(this);
        }

        public ZeroPaddingDeclaration {
            padding = padding.clone();
        }

        public String annotationName() {
            return "ZeroPadding2D";
        }

        @Override
        public int[] padding() {
            return padding.clone();
        }
    }

    record DropoutDeclaration(String name, double rate) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropout(this);
        }

        public String annotationName() {
            return "Dropout";
        }
    }

    record ActivationDeclaration(String name, Activation activation) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.activation(this);
        }

        public String annotationName() {
            return "ActivationLayer";
        }
    }

    /** A merging layer ({@code @Add}, {@code @Concatenate}, ...); its inputs come from {@code @From}. */
    record MergeDeclaration(String name, MergeOp op) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.merge(this);
        }

        public String annotationName() {
            return op.kerasName();
        }
    }

    record UpSamplingDeclaration(String name, int[] size) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.upSampling(this);
        }

        public UpSamplingDeclaration {
            size = size.clone();
        }

        public String annotationName() {
            return "UpSampling2D";
        }

        @Override
        public int[] size() {
            return size.clone();
        }
    }

    record Conv2DTransposeDeclaration(String name, int filters, int[] kernel, int[] strides, Padding padding,
                                      Activation activation, boolean useBias) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv2DTranspose(this);
        }

        public Conv2DTransposeDeclaration {
            kernel = kernel.clone();
            strides = strides.clone();
        }

        public String annotationName() {
            return "Conv2DTranspose";
        }

        @Override
        public int[] kernel() {
            return kernel.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }
    }

    record SeparableConv2DDeclaration(String name, int filters, int[] kernel, int[] strides, Padding padding,
                                      int depthMultiplier, int[] dilation, Activation activation, boolean useBias)
            implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.separableConv2D(this);
        }

        public SeparableConv2DDeclaration {
            kernel = kernel.clone();
            strides = strides.clone();
            dilation = dilation.clone();
        }

        public String annotationName() {
            return "SeparableConv2D";
        }

        @Override
        public int[] kernel() {
            return kernel.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }

        @Override
        public int[] dilation() {
            return dilation.clone();
        }
    }

    record ReshapeDeclaration(String name, int[] shape) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.reshape(this);
        }

        public ReshapeDeclaration {
            shape = shape.clone();
        }

        public String annotationName() {
            return "Reshape";
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    record LeakyReLUDeclaration(String name, float alpha) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.leakyReLU(this);
        }

        public String annotationName() {
            return "LeakyReLU";
        }
    }

    record RescalingDeclaration(String name, double scale, double offset) implements LayerDeclaration {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.rescaling(this);
        }

        public String annotationName() {
            return "Rescaling";
        }
    }

    /** {@code @Cropping2D}: one, two or four values, as {@code @ZeroPadding2D}. */
    record CroppingDeclaration(String name, int[] cropping) implements LayerDeclaration {
        public CroppingDeclaration {
            cropping = cropping.clone();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.cropping(this);
        }

        public String annotationName() {
            return "Cropping2D";
        }

        @Override
        public int[] cropping() {
            return cropping.clone();
        }
    }
}
