package dev.netforge.samples;

import dev.netforge.Activation;
import dev.netforge.ActivationLayer;
import dev.netforge.BatchNormalization;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.DepthwiseConv2D;
import dev.netforge.Dropout;
import dev.netforge.GlobalAveragePooling2D;
import dev.netforge.Layer;
import dev.netforge.Model;
import dev.netforge.Padding;
import dev.netforge.ZeroPadding2D;

/**
 * MobileNet v1 (alpha 1.0, 224x224x3) as {@code keras.applications.MobileNet} builds it, layer names
 * included, with the classifier on top as a Dense(1000): Keras counts 4,253,864 parameters (of which
 * 21,888 are BatchNormalization moving statistics) and so does {@link MobileNetV1Forward#PARAMETER_COUNT}.
 * Every BatchNormalization here directly follows a convolution without activation, so it is folded
 * into that convolution's weights when they are built, and the ReLU6 after it runs in the same loop.
 */
@Model(input = {224, 224, 3})
public class MobileNetV1 {
    @Conv2D(filters = 32, kernel = 3, strides = 2, padding = Padding.SAME, useBias = false) Layer conv1;
    @BatchNormalization Layer conv1_bn;
    @ActivationLayer(Activation.RELU6) Layer conv1_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_1;
    @BatchNormalization Layer conv_dw_1_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_1_relu;
    @Conv2D(filters = 64, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_1;
    @BatchNormalization Layer conv_pw_1_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_1_relu;
    @ZeroPadding2D({0, 1, 0, 1}) Layer conv_pad_2;
    @DepthwiseConv2D(kernel = 3, strides = 2, useBias = false) Layer conv_dw_2;
    @BatchNormalization Layer conv_dw_2_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_2_relu;
    @Conv2D(filters = 128, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_2;
    @BatchNormalization Layer conv_pw_2_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_2_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_3;
    @BatchNormalization Layer conv_dw_3_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_3_relu;
    @Conv2D(filters = 128, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_3;
    @BatchNormalization Layer conv_pw_3_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_3_relu;
    @ZeroPadding2D({0, 1, 0, 1}) Layer conv_pad_4;
    @DepthwiseConv2D(kernel = 3, strides = 2, useBias = false) Layer conv_dw_4;
    @BatchNormalization Layer conv_dw_4_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_4_relu;
    @Conv2D(filters = 256, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_4;
    @BatchNormalization Layer conv_pw_4_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_4_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_5;
    @BatchNormalization Layer conv_dw_5_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_5_relu;
    @Conv2D(filters = 256, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_5;
    @BatchNormalization Layer conv_pw_5_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_5_relu;
    @ZeroPadding2D({0, 1, 0, 1}) Layer conv_pad_6;
    @DepthwiseConv2D(kernel = 3, strides = 2, useBias = false) Layer conv_dw_6;
    @BatchNormalization Layer conv_dw_6_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_6_relu;
    @Conv2D(filters = 512, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_6;
    @BatchNormalization Layer conv_pw_6_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_6_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_7;
    @BatchNormalization Layer conv_dw_7_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_7_relu;
    @Conv2D(filters = 512, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_7;
    @BatchNormalization Layer conv_pw_7_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_7_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_8;
    @BatchNormalization Layer conv_dw_8_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_8_relu;
    @Conv2D(filters = 512, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_8;
    @BatchNormalization Layer conv_pw_8_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_8_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_9;
    @BatchNormalization Layer conv_dw_9_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_9_relu;
    @Conv2D(filters = 512, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_9;
    @BatchNormalization Layer conv_pw_9_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_9_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_10;
    @BatchNormalization Layer conv_dw_10_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_10_relu;
    @Conv2D(filters = 512, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_10;
    @BatchNormalization Layer conv_pw_10_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_10_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_11;
    @BatchNormalization Layer conv_dw_11_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_11_relu;
    @Conv2D(filters = 512, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_11;
    @BatchNormalization Layer conv_pw_11_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_11_relu;
    @ZeroPadding2D({0, 1, 0, 1}) Layer conv_pad_12;
    @DepthwiseConv2D(kernel = 3, strides = 2, useBias = false) Layer conv_dw_12;
    @BatchNormalization Layer conv_dw_12_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_12_relu;
    @Conv2D(filters = 1024, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_12;
    @BatchNormalization Layer conv_pw_12_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_12_relu;
    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer conv_dw_13;
    @BatchNormalization Layer conv_dw_13_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_dw_13_relu;
    @Conv2D(filters = 1024, kernel = 1, padding = Padding.SAME, useBias = false) Layer conv_pw_13;
    @BatchNormalization Layer conv_pw_13_bn;
    @ActivationLayer(Activation.RELU6) Layer conv_pw_13_relu;
    @GlobalAveragePooling2D Layer global_average_pooling2d;
    @Dropout(rate = 0.001) Layer dropout;
    @Dense(units = 1000, activation = Activation.SOFTMAX) Layer predictions;
}
