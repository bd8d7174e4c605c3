package dev.netforge.samples;

import dev.netforge.Activation;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.Layer;
import dev.netforge.MaxPool;
import dev.netforge.Model;
import dev.netforge.Padding;

/**
 * VGG16 as {@code keras.applications.VGG16(include_top=True)} builds it: 13 convolutions in five
 * blocks and three Dense layers on a 224x224x3 image; Keras counts 138,357,544 parameters and so
 * does the generated {@link Vgg16Forward#PARAMETER_COUNT} (checked by a test). Compiled in every build
 * to show the processor on a large model; its weights (528 MB) are not shipped.
 */
@Model(input = {224, 224, 3})
public class Vgg16 {
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block1_conv1;
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block1_conv2;
    @MaxPool(2) Layer block1_pool;
    @Conv2D(filters = 128, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block2_conv1;
    @Conv2D(filters = 128, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block2_conv2;
    @MaxPool(2) Layer block2_pool;
    @Conv2D(filters = 256, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block3_conv1;
    @Conv2D(filters = 256, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block3_conv2;
    @Conv2D(filters = 256, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block3_conv3;
    @MaxPool(2) Layer block3_pool;
    @Conv2D(filters = 512, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block4_conv1;
    @Conv2D(filters = 512, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block4_conv2;
    @Conv2D(filters = 512, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block4_conv3;
    @MaxPool(2) Layer block4_pool;
    @Conv2D(filters = 512, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block5_conv1;
    @Conv2D(filters = 512, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block5_conv2;
    @Conv2D(filters = 512, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block5_conv3;
    @MaxPool(2) Layer block5_pool;
    @Flatten Layer flatten;
    @Dense(units = 4096, activation = Activation.RELU) Layer fc1;
    @Dense(units = 4096, activation = Activation.RELU) Layer fc2;
    @Dense(units = 1000, activation = Activation.SOFTMAX) Layer predictions;
}
