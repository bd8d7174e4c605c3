// Generates Keras-semantics reference fixtures for NetForge with TensorFlow.js (CPU).
//
//   cd fixtures-gen && npm ci && node generate.mjs
//
// Writes one JSON file per model plus index.json into
// ../processor/src/test/resources/keras-fixtures/ (see README.md for the format).
// Every output is also cross-checked against an independent float64 implementation
// of the Keras semantics (reference.mjs); the run fails if they disagree.

import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceLayer, referenceParamCount, ELEMENTWISE } from './reference.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(HERE, '..', 'processor', 'src', 'test', 'resources', 'keras-fixtures');
const CASES = 2;
const TOLERANCE = 1e-4; // max |tfjs - reference| / max(1, |reference|), float32 vs float64

// ---------------------------------------------------------------- seeded PRNG
function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const uniform = (rng, lo, hi) => lo + (hi - lo) * rng();

// ---------------------------------------------------------------- model specs
const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'relu6', 'elu', 'selu',
  'softplus', 'swish', 'gelu', 'hardSigmoid'];
// tfjs-only extras: softsign, mish, and gelu_new (= Keras gelu(approximate=True)).
const EXTRA_ACTIVATIONS = ['softsign', 'mish', 'gelu_new'];

const MODELS = [];
/**
 * name, description, input shape (no batch), layers: [[factory, args], ...],
 * opts: { weightRange: [lo, hi] for kernels/biases (default [-0.5, 0.5]) }
 */
function model(name, description, input, layers, opts = {}) {
  if (MODELS.some((m) => m.name === name)) throw new Error(`duplicate model ${name}`);
  MODELS.push({ name, description, input, layers, opts });
}
const L = (factory, args = {}) => [factory, args];
const WIDE = { weightRange: [-4, 4] };

// Activations as a Dense activation, a Conv2D activation and a standalone Activation layer.
for (const a of [...ACTIVATIONS, ...EXTRA_ACTIVATIONS]) {
  const extra = EXTRA_ACTIVATIONS.includes(a) ? ' (tfjs extra activation)' : '';
  model(`dense_act_${a}`, `Dense(5, activation='${a}') on a vector of 6${extra}`, [6],
    [L('dense', { name: 'dense', units: 5, activation: a })]);
  model(`dense_wide_act_${a}`,
    `Dense(16, activation='${a}') on 8 inputs with weights in [-4, 4] so pre-activations span about +-10 (saturation, clipping)${extra}`,
    [8], [L('dense', { name: 'dense', units: 16, activation: a })], WIDE);
  model(`conv_act_${a}`, `Conv2D(4, 3x3, same, activation='${a}') on 5x5x3${extra}`, [5, 5, 3],
    [L('conv2d', { name: 'conv', filters: 4, kernelSize: 3, padding: 'same', activation: a })]);
  model(`activation_layer_${a}`, `Conv2D(3, 3x3, same, linear) then a standalone Activation('${a}') layer on 4x4x2${extra}`,
    [4, 4, 2], [
      L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }),
      L('activation', { name: 'act', activation: a }),
    ]);
}

// Advanced activation layers.
model('leaky_relu_default', 'Conv2D(3, 3x3, same) then LeakyReLU() with the tfjs default alpha (0.3)', [4, 4, 2], [
  L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }),
  L('leakyReLU', { name: 'leaky' }),
]);
model('leaky_relu_alpha_0_2', 'Conv2D(3, 3x3, same) then LeakyReLU(alpha=0.2)', [4, 4, 2], [
  L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }),
  L('leakyReLU', { name: 'leaky', alpha: 0.2 }),
]);
model('leaky_relu_dense_default', 'Dense(8) then LeakyReLU() (default alpha) on a vector', [6], [
  L('dense', { name: 'dense', units: 8 }),
  L('leakyReLU', { name: 'leaky' }),
]);
model('relu_layer', 'Conv2D(3, 3x3, same) then ReLU() layer (no max value)', [4, 4, 2], [
  L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }),
  L('reLU', { name: 'relu' }),
]);
model('relu_layer_max6_wide', 'Conv2D(4, 3x3, same) with weights in [-4, 4] then ReLU(maxValue=6): values clip at 0 and 6', [5, 5, 2], [
  L('conv2d', { name: 'conv', filters: 4, kernelSize: 3, padding: 'same' }),
  L('reLU', { name: 'relu6', maxValue: 6 }),
], WIDE);
model('relu_layer_max6_dense_wide', 'Dense(16) with weights in [-4, 4] then ReLU(maxValue=6)', [8], [
  L('dense', { name: 'dense', units: 16 }),
  L('reLU', { name: 'relu6', maxValue: 6 }),
], WIDE);
model('elu_layer', 'Conv2D(3, 3x3, same) then ELU() layer (alpha 1)', [4, 4, 2], [
  L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }),
  L('elu', { name: 'elu' }),
]);
model('softmax_layer_conv', 'Conv2D(4, 3x3, same) then Softmax(axis=-1) layer: softmax over channels per pixel', [4, 4, 2], [
  L('conv2d', { name: 'conv', filters: 4, kernelSize: 3, padding: 'same' }),
  L('softmax', { name: 'softmax', axis: -1 }),
]);
model('softmax_layer_dense', 'Dense(6) then Softmax(axis=-1) layer', [5], [
  L('dense', { name: 'dense', units: 6 }),
  L('softmax', { name: 'softmax', axis: -1 }),
]);

// Conv2D geometry.
const conv = (args) => L('conv2d', { name: 'conv', filters: 3, ...args });
model('conv_7x9x3_k3_valid', 'Conv2D(4, 3x3, valid) on odd-sized 7x9x3 -> 5x7x4', [7, 9, 3], [conv({ filters: 4, kernelSize: 3 })]);
model('conv_7x9x3_k3_same', 'Conv2D(4, 3x3, same) on odd-sized 7x9x3 -> 7x9x4', [7, 9, 3], [conv({ filters: 4, kernelSize: 3, padding: 'same' })]);
model('conv_7x9x3_k5_valid_relu', 'Conv2D(4, 5x5, valid, relu) on 7x9x3 -> 3x5x4', [7, 9, 3], [conv({ filters: 4, kernelSize: 5, activation: 'relu' })]);
model('conv_k2x3_valid', 'Conv2D(3, kernel 2x3, valid) on 6x7x2 -> 5x5x3', [6, 7, 2], [conv({ kernelSize: [2, 3] })]);
model('conv_k2x3_same', "Conv2D(3, kernel 2x3, same) on 6x7x2: even kernel height pads 0 top / 1 bottom", [6, 7, 2], [conv({ kernelSize: [2, 3], padding: 'same' })]);
model('conv_k3x1_valid', 'Conv2D(3, kernel 3x1, valid) on 6x5x2 -> 4x5x3', [6, 5, 2], [conv({ kernelSize: [3, 1] })]);
model('conv_k3x1_same', 'Conv2D(3, kernel 3x1, same) on 6x5x2', [6, 5, 2], [conv({ kernelSize: [3, 1], padding: 'same' })]);
model('conv_k3_s2_same_odd', 'Conv2D(3, 3x3, stride 2, same) on 7x7x2 -> 4x4 (pad 1/1)', [7, 7, 2], [conv({ kernelSize: 3, strides: 2, padding: 'same' })]);
model('conv_k3_s2_same_even', 'Conv2D(3, 3x3, stride 2, same) on 8x8x2 -> 4x4 (pad 0 top-left / 1 bottom-right, TF style)', [8, 8, 2], [conv({ kernelSize: 3, strides: 2, padding: 'same' })]);
model('conv_k3_s2_same_7x8', 'Conv2D(3, 3x3, stride 2, same) on 7x8x2 -> 4x4 (rows pad 1/1, cols pad 0/1)', [7, 8, 2], [conv({ kernelSize: 3, strides: 2, padding: 'same' })]);
model('conv_k2_s2_same_odd', 'Conv2D(3, 2x2, stride 2, same) on 7x7x2 -> 4x4 (pad 0/1)', [7, 7, 2], [conv({ kernelSize: 2, strides: 2, padding: 'same' })]);
model('conv_k3_s2_valid_odd', 'Conv2D(3, 3x3, stride 2, valid) on 7x7x2 -> 3x3', [7, 7, 2], [conv({ kernelSize: 3, strides: 2 })]);
model('conv_k3_s2_valid_even', 'Conv2D(3, 3x3, stride 2, valid) on 8x8x2 -> 3x3 (last row/col unused)', [8, 8, 2], [conv({ kernelSize: 3, strides: 2 })]);
model('conv_k3_s3_same', 'Conv2D(3, 3x3, stride 3, same) on 8x8x1 -> 3x3 (pad 0/1)', [8, 8, 1], [conv({ kernelSize: 3, strides: 3, padding: 'same' })]);
model('conv_k3_s1x2_same', 'Conv2D(3, 3x3, strides (1,2), same) on 6x7x2 -> 6x4', [6, 7, 2], [conv({ kernelSize: 3, strides: [1, 2], padding: 'same' })]);
model('conv_k3_s1x2_valid', 'Conv2D(3, 3x3, strides (1,2), valid) on 6x7x2 -> 4x3', [6, 7, 2], [conv({ kernelSize: 3, strides: [1, 2] })]);
model('conv_k3_d2_valid', 'Conv2D(3, 3x3, dilation 2, valid) on 7x8x2 -> 3x4', [7, 8, 2], [conv({ kernelSize: 3, dilationRate: 2 })]);
model('conv_k3_d2_same', 'Conv2D(3, 3x3, dilation 2, same) on 7x8x2 -> 7x8 (pad 2/2)', [7, 8, 2], [conv({ kernelSize: 3, dilationRate: 2, padding: 'same' })]);
model('conv_k3_d2x1_same', 'Conv2D(3, 3x3, dilation (2,1), same) on 6x6x2', [6, 6, 2], [conv({ kernelSize: 3, dilationRate: [2, 1], padding: 'same' })]);
model('conv_k2_d3_same', 'Conv2D(3, 2x2, dilation 3, same) on 6x6x2: effective kernel 4, pad 1/2', [6, 6, 2], [conv({ kernelSize: 2, dilationRate: 3, padding: 'same' })]);
model('conv_nobias_relu', 'Conv2D(4, 3x3, valid, relu, useBias=false) on 5x5x2', [5, 5, 2], [conv({ filters: 4, kernelSize: 3, activation: 'relu', useBias: false })]);
model('conv_k1', 'Conv2D(5, 1x1) on 4x4x3 (pointwise)', [4, 4, 3], [conv({ filters: 5, kernelSize: 1 })]);
model('conv_conv_stack', 'Conv2D(4, 3x3, same, relu) then Conv2D(3, 3x3, valid, tanh) on 6x6x2', [6, 6, 2], [
  L('conv2d', { name: 'conv1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
  L('conv2d', { name: 'conv2', filters: 3, kernelSize: 3, activation: 'tanh' }),
]);
model('conv_flatten_dense', 'Conv2D(3, 3x3, valid, relu) on 6x6x2, Flatten (HWC order), Dense(5)', [6, 6, 2], [
  L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, activation: 'relu' }),
  L('flatten', { name: 'flatten' }),
  L('dense', { name: 'dense', units: 5 }),
]);

// Pooling, applied directly to the input (values in [-1, 1], so windows that are all
// negative show whether padded positions are ignored).
const pool = (kind, args) => L(kind === 'max' ? 'maxPooling2d' : 'averagePooling2d', { name: `${kind}pool`, ...args });
for (const kind of ['max', 'avg']) {
  const K = kind === 'max' ? 'MaxPooling2D' : 'AveragePooling2D';
  model(`${kind}pool_p2_valid_7x7`, `${K}(2) valid on 7x7x3 -> 3x3 (last row/col dropped)`, [7, 7, 3], [pool(kind, { poolSize: 2 })]);
  model(`${kind}pool_p2_same_7x7`, `${K}(2, strides 2, same) on 7x7x3 -> 4x4 (pad 0/1, padded positions ignored)`, [7, 7, 3], [pool(kind, { poolSize: 2, strides: 2, padding: 'same' })]);
  model(`${kind}pool_p3_s2_valid_7x7`, `${K}(3, strides 2) valid on 7x7x3 -> 3x3`, [7, 7, 3], [pool(kind, { poolSize: 3, strides: 2 })]);
  model(`${kind}pool_p3_s2_same_8x8`, `${K}(3, strides 2, same) on 8x8x3 -> 4x4 (pad 0/1)`, [8, 8, 3], [pool(kind, { poolSize: 3, strides: 2, padding: 'same' })]);
  model(`${kind}pool_p3_s1_same_5x5`, `${K}(3, strides 1, same) on 5x5x3 -> 5x5 (pad 1/1; corners see 4 real inputs)`, [5, 5, 3], [pool(kind, { poolSize: 3, strides: 1, padding: 'same' })]);
  model(`${kind}pool_p2_s1_valid_5x5`, `${K}(2, strides 1) valid on 5x5x3 -> 4x4`, [5, 5, 3], [pool(kind, { poolSize: 2, strides: 1 })]);
  model(`${kind}pool_p2_s3_valid_8x8`, `${K}(2, strides 3) valid on 8x8x3 -> 3x3 (stride larger than pool)`, [8, 8, 3], [pool(kind, { poolSize: 2, strides: 3 })]);
  model(`${kind}pool_p2x3_valid_6x7`, `${K}(pool 2x3) valid on 6x7x3 -> 3x2 (strides default to the pool size)`, [6, 7, 3], [pool(kind, { poolSize: [2, 3] })]);
  model(`${kind}pool_p2x3_s1x2_same_5x7`, `${K}(pool 2x3, strides (1,2), same) on 5x7x3 -> 5x4`, [5, 7, 3], [pool(kind, { poolSize: [2, 3], strides: [1, 2], padding: 'same' })]);
}
model('conv_relu_maxpool', 'Conv2D(4, 3x3, valid, relu) on 7x7x2 then MaxPooling2D(2) -> 2x2x4', [7, 7, 2], [
  L('conv2d', { name: 'conv', filters: 4, kernelSize: 3, activation: 'relu' }),
  L('maxPooling2d', { name: 'pool', poolSize: 2 }),
]);

// Global pooling.
model('global_avgpool_5x6x3', 'GlobalAveragePooling2D on 5x6x3 -> 3', [5, 6, 3], [L('globalAveragePooling2d', { name: 'gap' })]);
model('global_maxpool_5x6x3', 'GlobalMaxPooling2D on 5x6x3 -> 3', [5, 6, 3], [L('globalMaxPooling2d', { name: 'gmp' })]);
model('conv_gap_dense', 'Conv2D(4, 3x3, same, relu), GlobalAveragePooling2D, Dense(3, softmax) on 6x6x2', [6, 6, 2], [
  L('conv2d', { name: 'conv', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
  L('globalAveragePooling2d', { name: 'gap' }),
  L('dense', { name: 'dense', units: 3, activation: 'softmax' }),
]);
model('conv_gmp_dense', 'Conv2D(4, 3x3, same), GlobalMaxPooling2D, Dense(3) on 6x6x2', [6, 6, 2], [
  L('conv2d', { name: 'conv', filters: 4, kernelSize: 3, padding: 'same' }),
  L('globalMaxPooling2d', { name: 'gmp' }),
  L('dense', { name: 'dense', units: 3 }),
]);

// DepthwiseConv2D.
const dw = (args) => L('depthwiseConv2d', { name: 'dwconv', kernelSize: 3, ...args });
model('dw_m1_valid', 'DepthwiseConv2D(3x3, multiplier 1, valid) on 6x6x3 -> 4x4x3', [6, 6, 3], [dw({})]);
model('dw_m1_same', 'DepthwiseConv2D(3x3, multiplier 1, same) on 5x5x3', [5, 5, 3], [dw({ padding: 'same' })]);
model('dw_m2_same', 'DepthwiseConv2D(3x3, multiplier 2, same) on 5x5x2 -> 5x5x4 (output channel c*2+m)', [5, 5, 2], [dw({ depthMultiplier: 2, padding: 'same' })]);
model('dw_m2_valid_relu', 'DepthwiseConv2D(3x3, multiplier 2, valid, relu) on 6x5x2 -> 4x3x4', [6, 5, 2], [dw({ depthMultiplier: 2, activation: 'relu' })]);
model('dw_s2_same_odd', 'DepthwiseConv2D(3x3, stride 2, same) on 7x7x3 -> 4x4x3 (pad 1/1)', [7, 7, 3], [dw({ strides: 2, padding: 'same' })]);
model('dw_s2_same_even', 'DepthwiseConv2D(3x3, stride 2, same) on 8x8x3 -> 4x4x3 (pad 0/1)', [8, 8, 3], [dw({ strides: 2, padding: 'same' })]);
model('dw_s2_valid', 'DepthwiseConv2D(3x3, stride 2, valid) on 7x7x2 -> 3x3x2', [7, 7, 2], [dw({ strides: 2 })]);
model('dw_k2x3_s2_same_m2', 'DepthwiseConv2D(kernel 2x3, stride 2, same, multiplier 2) on 7x8x2 -> 4x4x4', [7, 8, 2], [dw({ kernelSize: [2, 3], strides: 2, padding: 'same', depthMultiplier: 2 })]);
model('dw_nobias', 'DepthwiseConv2D(3x3, same, useBias=false) on 5x5x3', [5, 5, 3], [dw({ padding: 'same', useBias: false })]);
model('dw_d2_same', 'DepthwiseConv2D(3x3, dilation 2, same) on 7x7x2 -> 7x7x2 (computed with the tf.depthwiseConv2d op: the tfjs layer ignores dilationRate)', [7, 7, 2], [dw({ dilationRate: 2, padding: 'same' })]);
model('dw_d2_valid_m2', 'DepthwiseConv2D(3x3, dilation 2, valid, multiplier 2) on 7x8x2 -> 3x4x4 (computed with the tf.depthwiseConv2d op: the tfjs layer ignores dilationRate)', [7, 8, 2], [dw({ dilationRate: 2, depthMultiplier: 2 })]);
model('dw_d2_valid_gap_dense', 'DepthwiseConv2D(3x3, dilation 2, valid) on 7x7x3 -> 3x3x3, GlobalAveragePooling2D, Dense(2) (dilated depthwise computed with the tf.depthwiseConv2d op)', [7, 7, 3], [
  dw({ dilationRate: 2 }),
  L('globalAveragePooling2d', { name: 'gap' }),
  L('dense', { name: 'dense', units: 2 }),
]);

// BatchNormalization (inference: moving statistics).
const bn = (args = {}) => L('batchNormalization', { name: 'bn', ...args });
model('conv_bn', 'Conv2D(4, 3x3, same) then BatchNormalization on 5x5x2', [5, 5, 2], [conv({ filters: 4, kernelSize: 3, padding: 'same' }), bn()]);
model('conv_nobias_bn_relu', 'Conv2D(4, 3x3, same, useBias=false), BatchNormalization, ReLU() on 5x5x2', [5, 5, 2], [
  conv({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }), bn(), L('reLU', { name: 'relu' }),
]);
model('dw_bn', 'DepthwiseConv2D(3x3, same) then BatchNormalization on 5x5x3', [5, 5, 3], [dw({ padding: 'same' }), bn()]);
model('dense_bn', 'Dense(5) then BatchNormalization on a vector of 6', [6], [L('dense', { name: 'dense', units: 5 }), bn()]);
model('maxpool_bn', 'MaxPooling2D(2) on 6x6x3 then standalone BatchNormalization', [6, 6, 3], [pool('max', { poolSize: 2 }), bn()]);
model('bn_on_input', 'BatchNormalization as the first layer on 4x4x3', [4, 4, 3], [bn()]);
model('conv_bn_eps_0_1', 'Conv2D(3, 3x3, same) then BatchNormalization(epsilon=0.1) on 4x4x2', [4, 4, 2], [conv({ kernelSize: 3, padding: 'same' }), bn({ epsilon: 0.1 })]);
model('conv_bn_eps_1e_5', 'Conv2D(3, 3x3, same) then BatchNormalization(epsilon=1e-5) on 4x4x2', [4, 4, 2], [conv({ kernelSize: 3, padding: 'same' }), bn({ epsilon: 1e-5 })]);
model('conv_bn_no_scale', 'Conv2D(3, 3x3, same) then BatchNormalization(scale=false): weights beta, moving_mean, moving_variance', [4, 4, 2], [conv({ kernelSize: 3, padding: 'same' }), bn({ scale: false })]);
model('dense_bn_no_center_no_scale', 'Dense(5) then BatchNormalization(center=false, scale=false): weights moving_mean, moving_variance only', [6], [
  L('dense', { name: 'dense', units: 5 }), bn({ center: false, scale: false }),
]);

// ZeroPadding2D.
model('zeropad_t1_b2_l0_r3', 'ZeroPadding2D(((1,2),(0,3))) on 4x5x2 -> 7x8x2 (top 1, bottom 2, left 0, right 3)', [4, 5, 2], [
  L('zeroPadding2d', { name: 'pad', padding: [[1, 2], [0, 3]] }),
]);
model('zeropad_t1_b2_l0_r3_conv', 'ZeroPadding2D(((1,2),(0,3))) then Conv2D(3, 3x3, valid) on 4x5x2 -> 5x6x3', [4, 5, 2], [
  L('zeroPadding2d', { name: 'pad', padding: [[1, 2], [0, 3]] }),
  conv({ kernelSize: 3 }),
]);
model('zeropad_int_1', 'ZeroPadding2D(1) on 3x4x2 -> 5x6x2', [3, 4, 2], [L('zeroPadding2d', { name: 'pad', padding: 1 })]);
model('zeropad_pair_2_1', 'ZeroPadding2D((2,1)) on 3x4x2: 2 rows top and bottom, 1 column left and right -> 7x6x2', [3, 4, 2], [
  L('zeroPadding2d', { name: 'pad', padding: [2, 1] }),
]);
model('zeropad_b1_r1_conv_s2_valid', 'ZeroPadding2D(((0,1),(0,1))) then Conv2D(3, 3x3, stride 2, valid) on 8x8x2 -> 4x4x3 (MobileNet-v1 downsampling idiom)', [8, 8, 2], [
  L('zeroPadding2d', { name: 'pad', padding: [[0, 1], [0, 1]] }),
  conv({ kernelSize: 3, strides: 2 }),
]);

// Dropout (identity at inference), Flatten, MLPs.
model('dropout_dense', 'Dense(8, relu), Dropout(0.5), Dense(3) on a vector of 6', [6], [
  L('dense', { name: 'dense1', units: 8, activation: 'relu' }),
  L('dropout', { name: 'dropout', rate: 0.5 }),
  L('dense', { name: 'dense2', units: 3 }),
]);
model('conv_dropout_flatten_dense', 'Conv2D(3, 3x3, valid, relu), Dropout(0.25), Flatten, Dense(4) on 5x5x2', [5, 5, 2], [
  conv({ kernelSize: 3, activation: 'relu' }),
  L('dropout', { name: 'dropout', rate: 0.25 }),
  L('flatten', { name: 'flatten' }),
  L('dense', { name: 'dense', units: 4 }),
]);
model('mlp_3layer', 'Dense(8, relu), Dense(6, tanh), Dense(4, softmax) on 10', [10], [
  L('dense', { name: 'dense1', units: 8, activation: 'relu' }),
  L('dense', { name: 'dense2', units: 6, activation: 'tanh' }),
  L('dense', { name: 'dense3', units: 4, activation: 'softmax' }),
]);
model('dense_nobias', 'Dense(4, useBias=false) on 6', [6], [L('dense', { name: 'dense', units: 4, useBias: false })]);

// Layers/options that Keras accepts but tfjs 4.22 rejects: tried on every run, expected to
// throw, listed in index.json under "unsupportedByTfjs" (the run fails if one starts working,
// so that a fixture gets written for it).
model('mlp_flatten_vector', 'Flatten of a vector (a no-op in Keras) then Dense(4) on 6', [6], [
  L('flatten', { name: 'flatten' }),
  L('dense', { name: 'dense', units: 4 }),
], { expectUnsupported: true });
model('elu_layer_alpha_0_5', 'Conv2D(3, 3x3, same) then ELU(alpha=0.5)', [4, 4, 2], [
  L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }),
  L('elu', { name: 'elu', alpha: 0.5 }),
], { expectUnsupported: true });

// Whole networks.
model('mnistnet_12x12', 'MnistNet-like: Conv2D(4,3x3,relu), MaxPool(2), Conv2D(8,3x3,relu), MaxPool(2), Flatten, Dense(16,relu), Dense(10,softmax) on 12x12x1', [12, 12, 1], [
  L('conv2d', { name: 'conv1', filters: 4, kernelSize: 3, activation: 'relu' }),
  L('maxPooling2d', { name: 'pool1', poolSize: 2 }),
  L('conv2d', { name: 'conv2', filters: 8, kernelSize: 3, activation: 'relu' }),
  L('maxPooling2d', { name: 'pool2', poolSize: 2 }),
  L('flatten', { name: 'flatten' }),
  L('dense', { name: 'dense1', units: 16, activation: 'relu' }),
  L('dense', { name: 'output', units: 10, activation: 'softmax' }),
]);
model('mnistnet_14x14_same', 'MnistNet variant with same padding: Conv2D(4,3x3,same,relu), MaxPool(2), Conv2D(6,3x3,same,relu), MaxPool(2,same), Flatten, Dense(12,relu), Dense(10,softmax) on 14x14x1', [14, 14, 1], [
  L('conv2d', { name: 'conv1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
  L('maxPooling2d', { name: 'pool1', poolSize: 2 }),
  L('conv2d', { name: 'conv2', filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
  L('maxPooling2d', { name: 'pool2', poolSize: 2, padding: 'same' }),
  L('flatten', { name: 'flatten' }),
  L('dense', { name: 'dense1', units: 12, activation: 'relu' }),
  L('dense', { name: 'output', units: 10, activation: 'softmax' }),
]);
model('mobilenet_block', 'MobileNet-style block on 9x9x3: Conv2D(8,3x3,s2,same,no bias), BN, ReLU(6), DepthwiseConv2D(3x3,same,no bias), BN, ReLU(6), Conv2D(16,1x1,no bias), BN, GlobalAveragePooling2D, Dense(5,softmax)', [9, 9, 3], [
  L('conv2d', { name: 'conv1', filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
  L('batchNormalization', { name: 'conv1_bn' }),
  L('reLU', { name: 'conv1_relu', maxValue: 6 }),
  L('depthwiseConv2d', { name: 'conv_dw_1', kernelSize: 3, padding: 'same', useBias: false }),
  L('batchNormalization', { name: 'conv_dw_1_bn' }),
  L('reLU', { name: 'conv_dw_1_relu', maxValue: 6 }),
  L('conv2d', { name: 'conv_pw_1', filters: 16, kernelSize: 1, useBias: false }),
  L('batchNormalization', { name: 'conv_pw_1_bn' }),
  L('globalAveragePooling2d', { name: 'gap' }),
  L('dense', { name: 'predictions', units: 5, activation: 'softmax' }),
]);
model('mobilenet_block_dw_s2', 'MobileNet-style block on 8x8x3 with a strided depthwise: Conv2D(6,3x3,same,no bias), BN, ReLU(6), DepthwiseConv2D(3x3,s2,same,no bias), BN, relu6 Activation, Conv2D(12,1x1,no bias), BN, ReLU(6), GlobalAveragePooling2D, Dropout(0.2), Dense(4,softmax)', [8, 8, 3], [
  L('conv2d', { name: 'conv1', filters: 6, kernelSize: 3, padding: 'same', useBias: false }),
  L('batchNormalization', { name: 'conv1_bn' }),
  L('reLU', { name: 'conv1_relu', maxValue: 6 }),
  L('depthwiseConv2d', { name: 'conv_dw_1', kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
  L('batchNormalization', { name: 'conv_dw_1_bn' }),
  L('activation', { name: 'conv_dw_1_relu', activation: 'relu6' }),
  L('conv2d', { name: 'conv_pw_1', filters: 12, kernelSize: 1, useBias: false }),
  L('batchNormalization', { name: 'conv_pw_1_bn' }),
  L('reLU', { name: 'conv_pw_1_relu', maxValue: 6 }),
  L('globalAveragePooling2d', { name: 'gap' }),
  L('dropout', { name: 'dropout', rate: 0.2 }),
  L('dense', { name: 'predictions', units: 4, activation: 'softmax' }),
]);

// ---------------------------------------------------------------- helpers
const f32 = (x) => Number(Math.fround(x).toPrecision(9));
const pair = (v) => (Array.isArray(v) ? (v.length === 1 ? [v[0], v[0]] : [...v]) : [v, v]);

function kerasConfig(layer) {
  const cls = layer.getClassName();
  const c = layer.getConfig();
  switch (cls) {
    case 'Conv2D':
      return { filters: c.filters, kernelSize: pair(c.kernelSize), strides: pair(c.strides), padding: c.padding,
        dilationRate: pair(c.dilationRate), activation: c.activation, useBias: c.useBias };
    case 'DepthwiseConv2D':
      return { kernelSize: pair(c.kernelSize), strides: pair(c.strides), padding: c.padding,
        dilationRate: pair(c.dilationRate), depthMultiplier: c.depthMultiplier, activation: c.activation, useBias: c.useBias };
    case 'Dense':
      return { units: c.units, activation: c.activation, useBias: c.useBias };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return { poolSize: pair(c.poolSize), strides: pair(c.strides), padding: c.padding };
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'Flatten':
      return {};
    case 'BatchNormalization':
      return { axis: c.axis, epsilon: c.epsilon, momentum: c.momentum, center: c.center, scale: c.scale };
    case 'ZeroPadding2D':
      return { padding: c.padding.map((p) => [...p]) };
    case 'Dropout':
      return { rate: c.rate };
    case 'Activation':
      return { activation: c.activation };
    case 'ReLU':
      return { maxValue: c.maxValue == null ? null : c.maxValue };
    case 'LeakyReLU':
    case 'ELU':
      return { alpha: c.alpha };
    case 'Softmax':
      return { axis: c.axis };
    default:
      throw new Error(`no config extractor for ${cls}`);
  }
}

function weightKind(originalName) {
  return originalName.split('/').pop();
}

/** Generates a value for each element of a layer weight (float64, rounded to f32 later). */
function randomWeight(kind, size, rng, range) {
  const [lo, hi] = range;
  const v = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    if (kind === 'gamma' || kind === 'moving_variance') v[i] = uniform(rng, 0.5, 1.5);
    else if (kind === 'beta' || kind === 'moving_mean') v[i] = uniform(rng, -0.5, 0.5);
    else v[i] = uniform(rng, lo, hi);
  }
  return v;
}

const needsOpOverride = (layer) => layer.getClassName() === 'DepthwiseConv2D'
  && pair(layer.getConfig().dilationRate).some((d) => d !== 1);

/** Runs one layer on a batch-1 tensor the way Keras would. */
function runLayer(layer, x, { linearActivation = false } = {}) {
  if (needsOpOverride(layer) || linearActivation) {
    return tf.tidy(() => {
      const c = layer.getConfig();
      const [kernel, bias] = layer.getWeights();
      let y;
      if (layer.getClassName() === 'DepthwiseConv2D') {
        y = tf.depthwiseConv2d(x, kernel, pair(c.strides), c.padding, 'NHWC', pair(c.dilationRate));
      } else if (layer.getClassName() === 'Conv2D') {
        y = tf.conv2d(x, kernel, pair(c.strides), c.padding, 'NHWC', pair(c.dilationRate));
      } else if (layer.getClassName() === 'Dense') {
        y = tf.matMul(x, kernel);
      } else if (layer.getClassName() === 'Activation') {
        return x.clone();
      } else {
        throw new Error(`no op path for ${layer.getClassName()}`);
      }
      if (c.useBias) y = tf.add(y, bias);
      if (!linearActivation) y = layer.activation.apply(y);
      return y;
    });
  }
  return layer.apply(x); // training defaults to false: BN uses moving stats, Dropout is identity
}

function maxRelDiff(got, want) {
  let m = 0;
  for (let i = 0; i < want.length; i++) {
    m = Math.max(m, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  }
  return m;
}

// Compact JSON: objects indented, arrays of scalars (and arrays of such arrays) on one line.
function toJson(value, indent = '') {
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    const flat = value.every((v) => v === null || typeof v !== 'object'
      || (Array.isArray(v) && v.every((w) => w === null || typeof w !== 'object')));
    if (flat) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${toJson(value[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------- generation
async function generate(spec) {
  const seed = fnv1a(spec.name);
  const rng = mulberry32(seed);
  const range = spec.opts.weightRange ?? [-0.5, 0.5];

  const m = tf.sequential({ name: spec.name });
  spec.layers.forEach(([factory, args], i) => {
    const a = { ...args };
    if (i === 0) a.inputShape = spec.input;
    m.add(tf.layers[factory](a));
  });

  // Set weights layer by layer, in Keras get_weights() order.
  const layerWeights = [];
  const notes = [];
  for (const layer of m.layers) {
    const vals = layer.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      return tf.tensor(Float32Array.from(randomWeight(weightKind(w.originalName), size, rng, range)), w.shape, 'float32');
    });
    if (vals.length) layer.setWeights(vals);
    const read = layer.getWeights().map((t, j) => ({
      name: layer.weights[j].originalName,
      kind: weightKind(layer.weights[j].originalName),
      shape: [...t.shape],
      values: Array.from(t.dataSync()),
    }));
    vals.forEach((t) => t.dispose());
    layerWeights.push(read);
  }
  const kerasOrderNames = layerWeights.flat().map((w) => w.name);
  const tfjsOrderNames = m.weights.map((w) => w.originalName);
  const weightsOrderDiffers = kerasOrderNames.join() !== tfjsOrderNames.join();
  if (weightsOrderDiffers) {
    notes.push('tfjs model.getWeights() lists all trainable weights first and the BatchNormalization moving_mean/moving_variance last; '
      + '"weights" here is in Keras get_weights() order (layer by layer: gamma, beta, moving_mean, moving_variance). '
      + 'See "tfjsGetWeightsOrder".');
  }
  if (m.layers.some(needsOpOverride)) {
    notes.push('tfjs 4.22 DepthwiseConv2D layer ignores dilationRate (call() passes null) and reports an undilated output shape; '
      + 'this layer was computed with the tf.depthwiseConv2d op (which honours dilations), its outputShape is the computed one.');
  }

  // Inputs.
  const inSize = spec.input.reduce((a, b) => a * b, 1);
  const cases = [];
  const layersOut = m.layers.map((layer, i) => ({
    className: layer.getClassName(),
    name: layer.name,
    config: kerasConfig(layer),
    outputShape: null,
    paramCount: layer.countParams(),
    weights: layerWeights[i].map((w) => ({ name: w.name, shape: w.shape })),
  }));
  const lastIsHardSigmoid = (() => {
    const last = m.layers[m.layers.length - 1];
    return last.getConfig().activation === 'hardSigmoid';
  })();

  let worst = 0;
  for (let k = 0; k < CASES; k++) {
    const input = new Float64Array(inSize);
    for (let i = 0; i < inSize; i++) input[i] = Math.fround(uniform(rng, -1, 1));
    const x0 = tf.tensor(Float32Array.from(input), [1, ...spec.input], 'float32');
    // Layer by layer.
    let x = x0;
    let preLast = null;
    const shapes = [];
    m.layers.forEach((layer, i) => {
      if (i === m.layers.length - 1 && lastIsHardSigmoid) preLast = runLayer(layer, x, { linearActivation: true });
      const y = runLayer(layer, x);
      shapes.push(y.shape.slice(1));
      if (x !== x0) x.dispose();
      x = y;
    });
    const output = Array.from(x.dataSync());
    // Whole-model predict must agree where tfjs layers are used as is.
    if (!m.layers.some(needsOpOverride)) {
      const p = m.predict(x0);
      const d = maxRelDiff(Array.from(p.dataSync()), output);
      p.dispose();
      if (d > 1e-6) throw new Error(`${spec.name}: model.predict differs from layer-by-layer apply by ${d}`);
    }
    // Independent reference.
    let r = { shape: [...spec.input], data: input };
    m.layers.forEach((layer, i) => {
      const w = {};
      for (const lw of layerWeights[i]) w[lw.kind] = Float64Array.from(lw.values);
      const before = r.shape;
      r = referenceLayer({ className: layersOut[i].className, config: layersOut[i].config, weights: w }, r);
      if (r.shape.join() !== shapes[i].join()) {
        throw new Error(`${spec.name}/${layer.name}: shape tfjs ${shapes[i]} vs reference ${r.shape}`);
      }
      const pc = referenceParamCount(layersOut[i], before);
      if (pc !== layersOut[i].paramCount) throw new Error(`${spec.name}/${layer.name}: params ${layersOut[i].paramCount} vs ${pc}`);
    });
    const d = maxRelDiff(output, r.data);
    worst = Math.max(worst, d);
    if (d > TOLERANCE) throw new Error(`${spec.name}: tfjs vs reference max rel diff ${d}`);

    const c = { input: Array.from(input, f32), output: output.map(f32) };
    if (preLast) {
      const k3 = tf.tidy(() => tf.div(tf.relu6(tf.add(preLast, 3)), 6));
      c.outputKeras3 = Array.from(k3.dataSync(), f32);
      const refK3 = Array.from(preLast.dataSync(), ELEMENTWISE.hardSigmoidKeras3);
      const d3 = maxRelDiff(c.outputKeras3, refK3);
      if (d3 > TOLERANCE) throw new Error(`${spec.name}: keras3 hard sigmoid mismatch ${d3}`);
      k3.dispose();
      preLast.dispose();
    }
    cases.push(c);
    if (x !== x0) x.dispose();
    x0.dispose();
    shapes.forEach((s, i) => {
      const reported = m.layers[i].outputShape.slice(1);
      if (layersOut[i].outputShape === null) {
        layersOut[i].outputShape = s;
        if (reported.join() !== s.join()) layersOut[i].tfjsReportedOutputShape = reported;
      }
    });
  }

  const totalParams = m.countParams();
  const doc = {
    name: spec.name,
    description: spec.description,
    tfjsVersion: tf.version.tfjs,
    backend: tf.getBackend(),
    seed,
    weightRange: range,
    input: spec.input,
    outputShape: layersOut[layersOut.length - 1].outputShape,
    layers: layersOut,
    totalParams,
    weightsOrder: 'keras',
    tfjsGetWeightsOrder: weightsOrderDiffers ? tfjsOrderNames : undefined,
    notes: notes.length ? notes : undefined,
    weights: layerWeights.flat().flatMap((w) => w.values.map(f32)),
    cases,
  };
  if (lastIsHardSigmoid) {
    doc.notes = [...(doc.notes ?? []),
      '"output" is tfjs hardSigmoid = clip(0.2*x + 0.5, 0, 1) (Keras 2); "outputKeras3" is the same pre-activation through Keras 3 hard_sigmoid = relu6(x + 3) / 6.'];
  }
  if (doc.weights.length !== totalParams) throw new Error(`${spec.name}: weights ${doc.weights.length} != params ${totalParams}`);
  m.dispose();
  return { doc, worst };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error('cpu backend not active');
  mkdirSync(OUT_DIR, { recursive: true });
  for (const f of readdirSync(OUT_DIR)) if (f.endsWith('.json')) unlinkSync(join(OUT_DIR, f));
  const index = [];
  let total = 0;
  let worstAll = 0;
  const unsupported = [];
  for (const spec of MODELS) {
    if (spec.opts.expectUnsupported) {
      let error = null;
      try { await generate(spec); } catch (e) { error = `${e.name}: ${e.message}`; }
      if (error === null) throw new Error(`${spec.name} was expected to be unsupported by tfjs but worked: turn it into a fixture`);
      unsupported.push({ name: spec.name, description: spec.description, error });
      continue;
    }
    const { doc, worst } = await generate(spec);
    const text = toJson(doc) + '\n';
    writeFileSync(join(OUT_DIR, `${spec.name}.json`), text);
    total += text.length;
    worstAll = Math.max(worstAll, worst);
    index.push({ name: spec.name, file: `${spec.name}.json`, description: spec.description,
      input: spec.input, outputShape: doc.outputShape, layers: doc.layers.map((l) => l.className), totalParams: doc.totalParams });
  }
  const indexText = toJson({ tfjsVersion: tf.version.tfjs, count: index.length, fixtures: index, unsupportedByTfjs: unsupported }) + '\n';
  writeFileSync(join(OUT_DIR, 'index.json'), indexText);
  total += indexText.length;
  console.log(`wrote ${index.length} fixtures + index.json to ${OUT_DIR}`);
  console.log(`total size ${(total / 1024).toFixed(1)} KiB; worst tfjs-vs-reference relative difference ${worstAll.toExponential(2)}`);
  if (tf.memory().numTensors > 200) console.warn(`leaked tensors: ${tf.memory().numTensors}`);
}

await main();
