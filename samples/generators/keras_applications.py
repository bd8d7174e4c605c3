#!/usr/bin/env python3
"""Writes ResNet50.java and MobileNetV2.java: keras.applications' ResNet50 and MobileNetV2
(alpha 1.0, 224x224x3, with the 1000-class top) as NetForge models, layer names and the order of
Keras's model.layers included, so the parameter vector is get_weights(). Run from the repository
root: python3 samples/generators/keras_applications.py"""

OUT = "samples/src/main/java/dev/netforge/samples/"


def resnet50():
    f = []
    f.append('@ZeroPadding2D(3) Layer conv1_pad;')
    f.append('@Conv2D(filters = 64, kernel = 7, strides = 2) Layer conv1_conv;')
    f.append('@BatchNormalization(epsilon = 1.001e-5) Layer conv1_bn;')
    f.append('@ActivationLayer(Activation.RELU) Layer conv1_relu;')
    f.append('@ZeroPadding2D(1) Layer pool1_pad;')
    f.append('@MaxPool(value = 3, strides = 2) Layer pool1_pool;')
    previous = 'pool1_pool'
    for stage, filters, blocks, stride in ((2, 64, 3, 1), (3, 128, 4, 2), (4, 256, 6, 2), (5, 512, 3, 2)):
        for b in range(1, blocks + 1):
            n = 'conv%d_block%d' % (stage, b)
            s = stride if b == 1 else 1
            strides = '' if s == 1 else ', strides = %d' % s
            f.append('@Conv2D(filters = %d, kernel = 1%s) @From("%s") Layer %s_1_conv;' % (filters, strides, previous, n))
            f.append('@BatchNormalization(epsilon = 1.001e-5) Layer %s_1_bn;' % n)
            f.append('@ActivationLayer(Activation.RELU) Layer %s_1_relu;' % n)
            f.append('@Conv2D(filters = %d, kernel = 3, padding = Padding.SAME) Layer %s_2_conv;' % (filters, n))
            f.append('@BatchNormalization(epsilon = 1.001e-5) Layer %s_2_bn;' % n)
            f.append('@ActivationLayer(Activation.RELU) Layer %s_2_relu;' % n)
            if b == 1:  # Keras lists the projection between the second and third convolutions
                f.append('@Conv2D(filters = %d, kernel = 1%s) @From("%s") Layer %s_0_conv;'
                         % (4 * filters, strides, previous, n))
                f.append('@Conv2D(filters = %d, kernel = 1) @From("%s_2_relu") Layer %s_3_conv;' % (4 * filters, n, n))
                f.append('@BatchNormalization(epsilon = 1.001e-5) @From("%s_0_conv") Layer %s_0_bn;' % (n, n))
                f.append('@BatchNormalization(epsilon = 1.001e-5) @From("%s_3_conv") Layer %s_3_bn;' % (n, n))
                f.append('@Add @From({"%s_0_bn", "%s_3_bn"}) Layer %s_add;' % (n, n, n))
            else:
                f.append('@Conv2D(filters = %d, kernel = 1) Layer %s_3_conv;' % (4 * filters, n))
                f.append('@BatchNormalization(epsilon = 1.001e-5) Layer %s_3_bn;' % n)
                f.append('@Add @From({"%s", "%s_3_bn"}) Layer %s_add;' % (previous, n, n))
            f.append('@ActivationLayer(Activation.RELU) Layer %s_out;' % n)
            previous = n + '_out'
    f.append('@GlobalAveragePooling2D Layer avg_pool;')
    f.append('@Dense(units = 1000, activation = Activation.SOFTMAX) Layer predictions;')
    # the first block's first convolution reads the field above it: no @From needed there
    f = [line.replace(' @From("pool1_pool") Layer conv2_block1_1_conv', ' Layer conv2_block1_1_conv') for line in f]
    return f


def mobilenet_v2():
    f = []
    f.append('@Conv2D(filters = 32, kernel = 3, strides = 2, padding = Padding.SAME, useBias = false) Layer Conv1;')
    f.append('@BatchNormalization Layer bn_Conv1;')
    f.append('@ActivationLayer(Activation.RELU6) Layer Conv1_relu;')
    channels, size, previous = 32, 112, 'Conv1_relu'
    blocks = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6),
              (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6),
              (320, 1, 6)]
    for block_id, (filters, stride, expansion) in enumerate(blocks):
        block_input = previous
        p = 'block_%d_' % block_id if block_id else 'expanded_conv_'
        if block_id:
            f.append('@Conv2D(filters = %d, kernel = 1, padding = Padding.SAME, useBias = false) Layer %sexpand;'
                     % (expansion * channels, p))
            f.append('@BatchNormalization Layer %sexpand_BN;' % p)
            f.append('@ActivationLayer(Activation.RELU6) Layer %sexpand_relu;' % p)
        if stride == 2:  # keras.applications' correct_pad: ((0, 1), (0, 1)) on an even input
            f.append('@ZeroPadding2D(%s) Layer %spad;' % ('{0, 1, 0, 1}' if size % 2 == 0 else '1', p))
            f.append('@DepthwiseConv2D(kernel = 3, strides = 2, useBias = false) Layer %sdepthwise;' % p)
            size //= 2
        else:
            f.append('@DepthwiseConv2D(kernel = 3, padding = Padding.SAME, useBias = false) Layer %sdepthwise;' % p)
        f.append('@BatchNormalization Layer %sdepthwise_BN;' % p)
        f.append('@ActivationLayer(Activation.RELU6) Layer %sdepthwise_relu;' % p)
        f.append('@Conv2D(filters = %d, kernel = 1, padding = Padding.SAME, useBias = false) Layer %sproject;'
                 % (filters, p))
        f.append('@BatchNormalization Layer %sproject_BN;' % p)
        previous = p + 'project_BN'
        if channels == filters and stride == 1:
            f.append('@Add @From({"%s", "%sproject_BN"}) Layer %sadd;' % (block_input, p, p))
            previous = p + 'add'
        channels = filters
    f.append('@Conv2D(filters = 1280, kernel = 1, useBias = false) Layer Conv_1;')
    f.append('@BatchNormalization Layer Conv_1_bn;')
    f.append('@ActivationLayer(Activation.RELU6) Layer out_relu;')
    f.append('@GlobalAveragePooling2D Layer global_average_pooling2d;')
    f.append('@Dense(units = 1000, activation = Activation.SOFTMAX) Layer predictions;')
    return f


def write(name, doc, input_shape, fields):
    imports = sorted({'Activation', 'ActivationLayer', 'Add', 'BatchNormalization', 'Conv2D', 'Dense', 'From',
                      'GlobalAveragePooling2D', 'Layer', 'Model', 'Padding', 'ZeroPadding2D'}
                     | ({'MaxPool'} if name == 'ResNet50' else {'DepthwiseConv2D'}))
    with open(OUT + name + '.java', 'w') as out:
        out.write('package dev.netforge.samples;\n\n')
        for i in imports:
            out.write('import dev.netforge.%s;\n' % i)
        out.write('\n/**\n' + ''.join(' * ' + line + '\n' if line else ' *\n' for line in doc) + ' */\n')
        out.write('@Model(input = %s)\npublic class %s {\n' % (input_shape, name))
        for line in fields:
            out.write('    ' + line + '\n')
        out.write('}\n')


write('ResNet50', [
    'ResNet50 as {@code keras.applications.ResNet50} builds it (224x224x3, the 1000-class top), layer',
    'names and the order of Keras\'s {@code model.layers} included, so the parameter vector is',
    '{@code get_weights()}: Keras counts 25,636,712 parameters (53,120 of them BatchNormalization',
    'moving statistics) and so does {@link ResNet50Forward#PARAMETER_COUNT}. Each stage\'s first block',
    'has a strided 1x1 projection shortcut, which Keras lists between the block\'s second and third',
    'convolutions; the other blocks add their input. Written by {@code samples/generators/keras_applications.py}.',
], '{224, 224, 3}', resnet50())
write('MobileNetV2', [
    'MobileNetV2 (alpha 1.0) as {@code keras.applications.MobileNetV2} builds it (224x224x3, the',
    '1000-class top), layer names and order included: Keras counts 3,538,984 parameters and so does',
    '{@link MobileNetV2Forward#PARAMETER_COUNT}. Inverted residual blocks: a 1x1 expansion, a 3x3',
    'depthwise convolution (zero-padded by ((0, 1), (0, 1)) before a strided one, as Keras\'s',
    '{@code correct_pad}), a linear 1x1 projection, and an identity shortcut when the shapes allow.',
    'Written by {@code samples/generators/keras_applications.py}.',
], '{224, 224, 3}', mobilenet_v2())
