// Generates Keras-semantics reference fixtures for NetForge with TensorFlow.js (CPU).
//
//   cd fixtures-gen && npm ci && node generate.mjs
//
// Writes one JSON file per model plus index.json into
// ../processor/src/test/resources/keras-fixtures/ (see README.md for the format).
// Models are Sequential chains (model(...)) or functional graphs built with
// tf.model({inputs, outputs}) (graph(...)): branches, shortcuts and merges.
// Every output is also cross-checked against an independent float64 implementation
// of the Keras semantics (reference.mjs), run on the same graph; the run fails if they disagree.

import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceLayer, referenceMerge, referenceParamCount, ELEMENTWISE, MERGES } from './reference.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(HERE, '..', 'processor', 'src', 'test', 'resources', 'keras-fixtures');
const CASES = 2;
const TOLERANCE = 1e-4; // max |tfjs - reference| / max(1, |reference|), float32 vs float64
const INPUT = 'input'; // the InputLayer's name in functional models, and what `inbound` calls the model input

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
/**
 * A functional model: build(x) takes the model input (an InputLayer named "input") and returns
 * the output, calling tf.layers.*(...).apply(...) with explicit layer names.
 */
function graph(name, description, input, build, opts = {}) {
  if (MODELS.some((m) => m.name === name)) throw new Error(`duplicate model ${name}`);
  MODELS.push({ name, description, input, build, opts });
}
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

// ---------------------------------------------------------------- version-1 single-input layers (chains)
// Conv2DTranspose: output in * S + max(K - S, 0) ('valid'), in * S ('same', which drops
// floor(max(K - S, 0) / 2) rows/columns at the top/left of the full result); kernel (KH, KW, F, CIN).
const convT = (args) => L('conv2dTranspose', { name: 'deconv', filters: 2, ...args });
model('conv_transpose_k3_s2_valid', 'Conv2DTranspose(2, 3x3, stride 2, valid) on 4x5x3 -> 9x11x2 (in*S + K-S)', [4, 5, 3], [convT({ kernelSize: 3, strides: 2 })]);
model('conv_transpose_k3_s2_same', 'Conv2DTranspose(2, 3x3, stride 2, same) on 4x5x3 -> 8x10x2 (of the full 9x11, 0 dropped at the top/left, 1 at the bottom/right)', [4, 5, 3], [convT({ kernelSize: 3, strides: 2, padding: 'same' })]);
model('conv_transpose_k4_s2_same', 'Conv2DTranspose(2, 4x4, stride 2, same) on 3x4x2 -> 6x8x2 (1 dropped at each side)', [3, 4, 2], [convT({ kernelSize: 4, strides: 2, padding: 'same' })]);
model('conv_transpose_k5_s2_same_relu', 'Conv2DTranspose(3, 5x5, stride 2, same, relu) on 3x3x2 -> 6x6x3 (1 dropped at the top/left, 2 at the bottom/right)', [3, 3, 2], [convT({ filters: 3, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' })]);
model('conv_transpose_k2_s3_valid', 'Conv2DTranspose(2, 2x2, stride 3, valid) on 3x4x2 -> 9x12x2 (kernel smaller than stride: rows/columns of bias only)', [3, 4, 2], [convT({ kernelSize: 2, strides: 3 })]);
model('conv_transpose_k3x2_s1x2_same', 'Conv2DTranspose(3, kernel 3x2, strides (1,2), same) on 4x3x2 -> 4x6x3', [4, 3, 2], [convT({ filters: 3, kernelSize: [3, 2], strides: [1, 2], padding: 'same' })]);
model('conv_transpose_k3_s1_valid_nobias', 'Conv2DTranspose(3, 3x3, stride 1, valid, useBias=false) on 4x4x2 -> 6x6x3 (in + K - 1)', [4, 4, 2], [convT({ filters: 3, kernelSize: 3, useBias: false })]);
model('conv_transpose_k2_s2_tanh_conv', 'Conv2DTranspose(4, 2x2, stride 2, valid, tanh) then Conv2D(2, 3x3, valid) on 3x3x3 -> 6x6x4 -> 4x4x2', [3, 3, 3], [
  convT({ filters: 4, kernelSize: 2, strides: 2, activation: 'tanh' }),
  conv({ filters: 2, kernelSize: 3 }),
]);
// UpSampling2D (nearest). tfjs needs `size` as an array (a number is not expanded).
model('upsampling_2x2', 'UpSampling2D((2,2)) nearest on 3x4x2 -> 6x8x2', [3, 4, 2], [L('upSampling2d', { name: 'up', size: [2, 2] })]);
model('upsampling_2x3_conv', 'UpSampling2D((2,3)) nearest then Conv2D(3, 3x3, same) on 3x2x2 -> 6x6x3', [3, 2, 2], [
  L('upSampling2d', { name: 'up', size: [2, 3] }),
  conv({ kernelSize: 3, padding: 'same' }),
]);
model('upsampling_3x1', 'Conv2D(2, 1x1) then UpSampling2D((3,1)) on 2x3x2 -> 6x3x2', [2, 3, 2], [
  conv({ filters: 2, kernelSize: 1 }),
  L('upSampling2d', { name: 'up', size: [3, 1] }),
]);
// SeparableConv2D: depthwise (KH, KW, CIN, DM) without bias, pointwise (1, 1, CIN*DM, F), bias F.
const sep = (args) => L('separableConv2d', { name: 'sepconv', filters: 4, kernelSize: 3, ...args });
model('separable_k3_same', 'SeparableConv2D(4, 3x3, same) on 5x5x3', [5, 5, 3], [sep({ padding: 'same' })]);
model('separable_k3_valid_m2', 'SeparableConv2D(5, 3x3, valid, depthMultiplier 2) on 6x5x3 -> 4x3x5 (pointwise over 6 channels)', [6, 5, 3], [sep({ filters: 5, depthMultiplier: 2 })]);
model('separable_s2_same_even', 'SeparableConv2D(4, 3x3, stride 2, same) on 8x8x2 -> 4x4x4 (pad 0/1)', [8, 8, 2], [sep({ strides: 2, padding: 'same' })]);
model('separable_k2x3_s2_valid_relu', 'SeparableConv2D(3, kernel 2x3, stride 2, valid, relu) on 7x8x2 -> 3x3x3', [7, 8, 2], [sep({ filters: 3, kernelSize: [2, 3], strides: 2, activation: 'relu' })]);
model('separable_d2_same', 'SeparableConv2D(4, 3x3, dilation 2, same) on 7x7x2 -> 7x7x4 (pad 2/2)', [7, 7, 2], [sep({ dilationRate: 2, padding: 'same' })]);
model('separable_d2_valid_m2_nobias', 'SeparableConv2D(3, 3x3, dilation 2, valid, depthMultiplier 2, useBias=false) on 7x8x2 -> 3x4x3', [7, 8, 2], [sep({ filters: 3, dilationRate: 2, depthMultiplier: 2, useBias: false })]);
// Reshape (no data moves).
model('reshape_image_to_vector_dense', 'Conv2D(3, 3x3, valid, relu), Reshape((27,)), Dense(4) on 5x5x2', [5, 5, 2], [
  conv({ kernelSize: 3, activation: 'relu' }),
  L('reshape', { name: 'reshape', targetShape: [27] }),
  L('dense', { name: 'dense', units: 4 }),
]);
model('reshape_vector_to_image_conv', 'Dense(24, tanh), Reshape((2,3,4)), Conv2D(3, 2x2, valid) on a vector of 5 -> 1x2x3', [5], [
  L('dense', { name: 'dense', units: 24, activation: 'tanh' }),
  L('reshape', { name: 'reshape', targetShape: [2, 3, 4] }),
  conv({ kernelSize: 2 }),
]);
model('reshape_image_to_image_conv', 'Reshape((6,4,2)) of a 4x6x2 input then Conv2D(2, 3x3, same)', [4, 6, 2], [
  L('reshape', { name: 'reshape', targetShape: [6, 4, 2] }),
  conv({ filters: 2, kernelSize: 3, padding: 'same' }),
]);
// The LeakyReLU layer with its alpha (the layer's default 0.3 is in leaky_relu_default).
model('leaky_relu_alpha_0_01', 'Conv2D(3, 3x3, same) then LeakyReLU(alpha=0.01)', [4, 4, 2], [
  L('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }),
  L('leakyReLU', { name: 'leaky', alpha: 0.01 }),
]);
model('leaky_relu_alpha_0_dense', 'Dense(6) then LeakyReLU(alpha=0) (a ReLU)', [5], [
  L('dense', { name: 'dense', units: 6 }),
  L('leakyReLU', { name: 'leaky', alpha: 0 }),
]);
// Cropping2D(((top, bottom), (left, right))).
model('cropping_t1_b2_l0_r1', 'Cropping2D(((1,2),(0,1))) on 6x5x2 -> 3x4x2', [6, 5, 2], [L('cropping2D', { name: 'crop', cropping: [[1, 2], [0, 1]] })]);
model('cropping_int_1', 'Cropping2D(1) on 5x6x2 -> 3x4x2', [5, 6, 2], [L('cropping2D', { name: 'crop', cropping: 1 })]);
model('cropping_pair_2_1_conv', 'Cropping2D((2,1)) (2 rows top and bottom, 1 column left and right) on 7x6x2 -> 3x4x2, then Conv2D(3, 2x2, valid)', [7, 6, 2], [
  L('cropping2D', { name: 'crop', cropping: [2, 1] }),
  conv({ kernelSize: 2 }),
]);
model('conv_cropping_flatten_dense', 'Conv2D(3, 3x3, same, relu), Cropping2D(((0,1),(1,0))), Flatten, Dense(4) on 5x5x2', [5, 5, 2], [
  conv({ kernelSize: 3, padding: 'same', activation: 'relu' }),
  L('cropping2D', { name: 'crop', cropping: [[0, 1], [1, 0]] }),
  L('flatten', { name: 'flatten' }),
  L('dense', { name: 'dense', units: 4 }),
]);
// Rescaling: x * scale + offset (tfjs 4.22 has the preprocessing layer).
model('rescaling_1_255_conv', 'Rescaling(1/255) then Conv2D(3, 3x3, same) on 4x4x3', [4, 4, 3], [
  L('rescaling', { name: 'rescale', scale: 1 / 255 }),
  conv({ kernelSize: 3, padding: 'same' }),
]);
model('rescaling_offset_conv', 'Rescaling(1/127.5, offset=-1) then Conv2D(3, 3x3, valid) on 5x5x2', [5, 5, 2], [
  L('rescaling', { name: 'rescale', scale: 1 / 127.5, offset: -1 }),
  conv({ kernelSize: 3 }),
]);
model('rescaling_dense', 'Dense(6) then Rescaling(2.5, offset=0.25) on a vector of 4', [4], [
  L('dense', { name: 'dense', units: 6 }),
  L('rescaling', { name: 'rescale', scale: 2.5, offset: 0.25 }),
]);

// ---------------------------------------------------------------- functional (graph) models
// Built with tf.input / layer.apply / tf.model. `layers` is tfjs's `model.layers` without the
// InputLayer: the order Keras's functional models use (by depth from the output, deepest first,
// ties in the order a depth-first walk from the output meets them), which is also the
// get_weights() order. Each layer records the names it takes ("input" is the model input).
const A = (factory, args, inputs) => {
  if (typeof tf.layers[factory] !== 'function') {
    throw new Error(`tf.layers.${factory} does not exist in tfjs ${tf.version.tfjs}`);
  }
  return tf.layers[factory](args).apply(inputs);
};

// ResNet v1 basic block (two 3x3 convolutions, BatchNormalization), Keras applications naming.
function basicBlock(x, filters, prefix, { stride = 1, project = false } = {}) {
  let shortcut = x;
  if (project) {
    shortcut = A('conv2d', { name: `${prefix}_0_conv`, filters, kernelSize: 1, strides: stride, useBias: false }, x);
    shortcut = A('batchNormalization', { name: `${prefix}_0_bn`, epsilon: 1.001e-5 }, shortcut);
  }
  let y = A('conv2d', { name: `${prefix}_1_conv`, filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false }, x);
  y = A('batchNormalization', { name: `${prefix}_1_bn`, epsilon: 1.001e-5 }, y);
  y = A('activation', { name: `${prefix}_1_relu`, activation: 'relu' }, y);
  y = A('conv2d', { name: `${prefix}_2_conv`, filters, kernelSize: 3, padding: 'same', useBias: false }, y);
  y = A('batchNormalization', { name: `${prefix}_2_bn`, epsilon: 1.001e-5 }, y);
  y = A('add', { name: `${prefix}_add` }, [shortcut, y]);
  return A('activation', { name: `${prefix}_out`, activation: 'relu' }, y);
}
function stem(x, filters, { strides = 1 } = {}) {
  let y = A('conv2d', { name: 'stem_conv', filters, kernelSize: 3, strides, padding: 'same', useBias: false }, x);
  y = A('batchNormalization', { name: 'stem_bn', epsilon: 1.001e-5 }, y);
  return A('reLU', { name: 'stem_relu' }, y);
}
const head = (y, units) => A('dense', { name: 'predictions', units, activation: 'softmax' },
  A('globalAveragePooling2d', { name: 'avg_pool' }, y));

graph('resnet_identity_block', 'ResNet basic block with an identity shortcut on 6x6x3: stem Conv2D(8,3x3,same,no bias), BN, ReLU; block Conv2D(8,3x3) BN relu Conv2D(8,3x3) BN, Add([stem, block]), relu; GlobalAveragePooling2D, Dense(4, softmax)', [6, 6, 3],
  (x) => head(basicBlock(stem(x, 8), 8, 'conv2_block1'), 4));
graph('resnet_projection_block', 'ResNet basic block with a projection shortcut on 8x8x4: stem; main Conv2D(8,3x3,s2,same) BN relu Conv2D(8,3x3) BN; shortcut Conv2D(8,1x1,s2) BN; Add([shortcut, main]), relu; GAP, Dense(3, softmax). model.layers interleaves the two branches by depth', [8, 8, 4],
  (x) => head(basicBlock(stem(x, 4), 8, 'conv3_block1', { stride: 2, project: true }), 3));
graph('resnet_small', 'Small ResNet on 10x10x3: stem Conv2D(8,3x3) BN ReLU, identity block (8), projection block (16, stride 2), identity block (16), GAP, Dense(5, softmax)', [10, 10, 3], (x) => {
  let y = stem(x, 8);
  y = basicBlock(y, 8, 'conv2_block1');
  y = basicBlock(y, 16, 'conv3_block1', { stride: 2, project: true });
  y = basicBlock(y, 16, 'conv3_block2');
  return head(y, 5);
});

// MobileNetV2 inverted residual block (Keras applications naming): expand 1x1 conv, BN, ReLU6,
// depthwise 3x3, BN, ReLU6, linear 1x1 projection, BN, Add when stride 1 and channels agree.
function invertedResidual(x, inChannels, { expansion, filters, stride, block, relu6Layer = true, skipFromInput }) {
  const prefix = `block_${block}_`;
  const relu6 = (name, t) => (relu6Layer ? A('reLU', { name, maxValue: 6 }, t) : A('activation', { name, activation: 'relu6' }, t));
  let y = A('conv2d', { name: `${prefix}expand`, filters: inChannels * expansion, kernelSize: 1, padding: 'same', useBias: false }, x);
  y = A('batchNormalization', { name: `${prefix}expand_BN`, epsilon: 1e-3, momentum: 0.999 }, y);
  y = relu6(`${prefix}expand_relu`, y);
  if (stride === 2) {
    const size = y.shape[1];
    const pad = size % 2 === 0 ? [[0, 1], [0, 1]] : [[1, 1], [1, 1]];
    y = A('zeroPadding2d', { name: `${prefix}pad`, padding: pad }, y);
  }
  y = A('depthwiseConv2d', { name: `${prefix}depthwise`, kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false }, y);
  y = A('batchNormalization', { name: `${prefix}depthwise_BN`, epsilon: 1e-3, momentum: 0.999 }, y);
  y = relu6(`${prefix}depthwise_relu`, y);
  y = A('conv2d', { name: `${prefix}project`, filters, kernelSize: 1, padding: 'same', useBias: false }, y);
  y = A('batchNormalization', { name: `${prefix}project_BN`, epsilon: 1e-3, momentum: 0.999 }, y);
  if (stride === 1 && inChannels === filters) return A('add', { name: `${prefix}add` }, [skipFromInput ?? x, y]);
  return y;
}
graph('mobilenetv2_block_input_residual', 'MobileNetV2 inverted residual block on 5x5x8: expand Conv2D(48,1x1) BN ReLU(6), DepthwiseConv2D(3x3,same) BN ReLU(6), linear Conv2D(8,1x1) BN, Add([model input, projection])', [5, 5, 8],
  (x) => invertedResidual(x, 8, { expansion: 6, filters: 8, stride: 1, block: 1 }));
graph('mobilenetv2_two_blocks', "MobileNetV2-style net on 12x12x3: stem Conv2D(8,3x3,s2,same) BN relu6 Activation; block 1 (expand 3, ZeroPadding2D((0,1),(0,1)), DepthwiseConv2D stride 2 valid, project 8, no residual); block 2 (expand 6, depthwise same, project 8, Add); Conv2D(16,1x1) BN ReLU(6); GAP; Dense(3, softmax). Uses both Activation('relu6') and ReLU(maxValue=6)", [12, 12, 3], (x) => {
  let y = A('conv2d', { name: 'Conv1', filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }, x);
  y = A('batchNormalization', { name: 'bn_Conv1', epsilon: 1e-3, momentum: 0.999 }, y);
  y = A('activation', { name: 'Conv1_relu', activation: 'relu6' }, y);
  y = invertedResidual(y, 8, { expansion: 3, filters: 8, stride: 2, block: 1, relu6Layer: false });
  y = invertedResidual(y, 8, { expansion: 6, filters: 8, stride: 1, block: 2 });
  y = A('conv2d', { name: 'Conv_1', filters: 16, kernelSize: 1, useBias: false }, y);
  y = A('batchNormalization', { name: 'Conv_1_bn', epsilon: 1e-3, momentum: 0.999 }, y);
  y = A('reLU', { name: 'out_relu', maxValue: 6 }, y);
  return head(y, 3);
});

// DenseNet-style: each conv block's output is concatenated to everything before it.
graph('densenet_concat', 'DenseNet-style block on 6x6x4: two conv blocks (BN, ReLU, Conv2D(4,3x3,same,no bias)) each concatenated to its input (the first to the model input: 4 -> 8 -> 12 channels), transition BN, ReLU, Conv2D(6,1x1), AveragePooling2D(2), then GAP, Dense(3, softmax)', [6, 6, 4], (x) => {
  let y = x;
  for (const b of [1, 2]) {
    let z = A('batchNormalization', { name: `conv2_block${b}_0_bn`, epsilon: 1.001e-5 }, y);
    z = A('activation', { name: `conv2_block${b}_0_relu`, activation: 'relu' }, z);
    z = A('conv2d', { name: `conv2_block${b}_1_conv`, filters: 4, kernelSize: 3, padding: 'same', useBias: false }, z);
    y = A('concatenate', { name: `conv2_block${b}_concat` }, [y, z]);
  }
  y = A('batchNormalization', { name: 'pool2_bn', epsilon: 1.001e-5 }, y);
  y = A('activation', { name: 'pool2_relu', activation: 'relu' }, y);
  y = A('conv2d', { name: 'pool2_conv', filters: 6, kernelSize: 1, useBias: false }, y);
  y = A('averagePooling2d', { name: 'pool2_pool', poolSize: 2 }, y);
  return head(y, 3);
});
graph('inception_concat_four_way', 'Inception-style fan-out on 5x5x2: Conv2D(3,1x1,relu), Conv2D(4,3x3,same,relu), MaxPooling2D(3,s1,same) and the model input concatenated (3+4+2+2 = 11 channels), then Conv2D(2,1x1)', [5, 5, 2], (x) => {
  const a = A('conv2d', { name: 'branch1x1', filters: 3, kernelSize: 1, activation: 'relu' }, x);
  const b = A('conv2d', { name: 'branch3x3', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, x);
  const c = A('maxPooling2d', { name: 'branch_pool', poolSize: 3, strides: 1, padding: 'same' }, x);
  const cat = A('concatenate', { name: 'mixed' }, [a, b, c, x]);
  return A('conv2d', { name: 'out', filters: 2, kernelSize: 1 }, cat);
});

// One tensor read by several merges, every merge kind tfjs has; a tensor given twice to one merge.
graph('fanout_merges', 'Fan-out on 5x5x3: t = Conv2D(4,3x3,same,tanh) feeds a = Conv2D(4,1x1), b = Conv2D(4,3x3,same,sigmoid), Add([t,a]), Multiply([t,b]), Maximum([a,t,b]), Minimum([b,t]); Average of those four; Conv2D(2,1x1)', [5, 5, 3], (x) => {
  const t = A('conv2d', { name: 'trunk', filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' }, x);
  const a = A('conv2d', { name: 'branch_a', filters: 4, kernelSize: 1 }, t);
  const b = A('conv2d', { name: 'branch_b', filters: 4, kernelSize: 3, padding: 'same', activation: 'sigmoid' }, t);
  const merged = [
    A('add', { name: 'sum_ta' }, [t, a]),
    A('multiply', { name: 'prod_tb' }, [t, b]),
    A('maximum', { name: 'max_atb' }, [a, t, b]),
    A('minimum', { name: 'min_bt' }, [b, t]),
  ];
  const avg = A('average', { name: 'mean' }, merged);
  return A('conv2d', { name: 'out', filters: 2, kernelSize: 1 }, avg);
});
graph('merge_repeated_input', 'The same tensor twice in one merge on 4x4x2: t = Conv2D(3,3x3,same,tanh); Add([t,t]) (= 2t), Multiply([t,t]) (= t^2), Add of those, Concatenate([s, t, s]) (9 channels), Conv2D(2,1x1)', [4, 4, 2], (x) => {
  const t = A('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh' }, x);
  const dbl = A('add', { name: 'twice' }, [t, t]);
  const sq = A('multiply', { name: 'square' }, [t, t]);
  const s = A('add', { name: 'sum' }, [dbl, sq]);
  const cat = A('concatenate', { name: 'cat' }, [s, t, s]);
  return A('conv2d', { name: 'out', filters: 2, kernelSize: 1 }, cat);
});
graph('merges_read_input', 'Merges reading the model input directly on 4x4x3: c = Conv2D(3,3x3,same); s = Add([input, c]); p = Multiply([s, input]); Maximum([input, p]), Minimum([p, input]); Average([max, min, input]); Concatenate([input, avg]) (6 channels); Conv2D(2,1x1)', [4, 4, 3], (x) => {
  const c = A('conv2d', { name: 'conv', filters: 3, kernelSize: 3, padding: 'same' }, x);
  const s = A('add', { name: 'sum' }, [x, c]);
  const p = A('multiply', { name: 'prod' }, [s, x]);
  const mx = A('maximum', { name: 'max' }, [x, p]);
  const mn = A('minimum', { name: 'min' }, [p, x]);
  const av = A('average', { name: 'mean' }, [mx, mn, x]);
  const cat = A('concatenate', { name: 'cat' }, [x, av]);
  return A('conv2d', { name: 'out', filters: 2, kernelSize: 1 }, cat);
});
graph('vector_merges', 'Merges of vectors on an input of 6: d1 = Dense(5,tanh), d2 = Dense(5,relu), d3 = Dense(5) of d1; Add, Multiply, Maximum, Minimum, Average of them; Concatenate([d1, input, avg]) (5+6+5 = 16); Dense(3, softmax)', [6], (x) => {
  const d1 = A('dense', { name: 'd1', units: 5, activation: 'tanh' }, x);
  const d2 = A('dense', { name: 'd2', units: 5, activation: 'relu' }, x);
  const d3 = A('dense', { name: 'd3', units: 5 }, d1);
  const s = A('add', { name: 'sum' }, [d1, d2, d3]);
  const p = A('multiply', { name: 'prod' }, [d2, d3]);
  const mx = A('maximum', { name: 'max' }, [s, p]);
  const mn = A('minimum', { name: 'min' }, [d3, s, d1]);
  const av = A('average', { name: 'mean' }, [mx, mn]);
  const cat = A('concatenate', { name: 'cat' }, [d1, x, av]);
  return A('dense', { name: 'predictions', units: 3, activation: 'softmax' }, cat);
});

// U-Net-like: skip connections concatenated after upsampling.
graph('unet_small', 'U-Net-like on 8x8x2: encoder Conv2D(4,3x3,same,relu) [8x8], MaxPool 2, Conv2D(8,3x3,same,relu) [4x4], MaxPool 2, Conv2D(8,3x3,same,relu) [2x2]; decoder UpSampling2D(2) + Conv2D(8,2x2,same), Concatenate with the 4x4 skip, Conv2D(8,3x3,same,relu), Conv2DTranspose(4,3x3,s2,same), Concatenate with the 8x8 skip, Conv2D(2,1x1,sigmoid)', [8, 8, 2], (x) => {
  const c1 = A('conv2d', { name: 'enc1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, x);
  const p1 = A('maxPooling2d', { name: 'pool1', poolSize: 2 }, c1);
  const c2 = A('conv2d', { name: 'enc2', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }, p1);
  const p2 = A('maxPooling2d', { name: 'pool2', poolSize: 2 }, c2);
  const c3 = A('conv2d', { name: 'bottleneck', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }, p2);
  const u2 = A('upSampling2d', { name: 'up2', size: [2, 2] }, c3);
  const u2c = A('conv2d', { name: 'up2_conv', filters: 8, kernelSize: 2, padding: 'same' }, u2);
  const m2 = A('concatenate', { name: 'skip2' }, [c2, u2c]);
  const c4 = A('conv2d', { name: 'dec2', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }, m2);
  const u1 = A('conv2dTranspose', { name: 'up1', filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, c4);
  const m1 = A('concatenate', { name: 'skip1' }, [c1, u1]);
  return A('conv2d', { name: 'out', filters: 2, kernelSize: 1, activation: 'sigmoid' }, m1);
});
graph('unet_valid_cropping', 'Original-U-Net-style (valid convolutions, cropped skip) on 12x12x1: Conv2D(4,3x3,relu) x2 [8x8], MaxPool 2 [4x4], Conv2D(8,3x3,relu) [2x2], Conv2DTranspose(4,2x2,s2,valid) [4x4], Cropping2D(2) of the 8x8 skip, Concatenate [4x4x8], Conv2D(4,3x3,relu) [2x2], Conv2D(1,1x1,sigmoid)', [12, 12, 1], (x) => {
  const c1 = A('conv2d', { name: 'enc1a', filters: 4, kernelSize: 3, activation: 'relu' }, x);
  const c1b = A('conv2d', { name: 'enc1b', filters: 4, kernelSize: 3, activation: 'relu' }, c1);
  const p1 = A('maxPooling2d', { name: 'pool1', poolSize: 2 }, c1b);
  const c2 = A('conv2d', { name: 'enc2', filters: 8, kernelSize: 3, activation: 'relu' }, p1);
  const up = A('conv2dTranspose', { name: 'up1', filters: 4, kernelSize: 2, strides: 2 }, c2);
  const crop = A('cropping2D', { name: 'crop1', cropping: 2 }, c1b);
  const cat = A('concatenate', { name: 'skip1' }, [crop, up]);
  const c3 = A('conv2d', { name: 'dec1', filters: 4, kernelSize: 3, activation: 'relu' }, cat);
  return A('conv2d', { name: 'out', filters: 1, kernelSize: 1, activation: 'sigmoid' }, c3);
});
// Xception entry-flow block: separable convolutions with a strided 1x1 projection shortcut.
graph('xception_block', 'Xception entry-flow block on 8x8x4: SeparableConv2D(8,3x3,same,no bias) BN ReLU SeparableConv2D(8,3x3,same,no bias) BN MaxPooling2D(3,s2,same); shortcut Conv2D(8,1x1,s2,no bias) BN; Add; LeakyReLU(0.1); GAP; Dense(2)', [8, 8, 4], (x) => {
  let r = A('conv2d', { name: 'block2_res_conv', filters: 8, kernelSize: 1, strides: 2, padding: 'same', useBias: false }, x);
  r = A('batchNormalization', { name: 'block2_res_bn' }, r);
  let y = A('separableConv2d', { name: 'block2_sepconv1', filters: 8, kernelSize: 3, padding: 'same', useBias: false }, x);
  y = A('batchNormalization', { name: 'block2_sepconv1_bn' }, y);
  y = A('activation', { name: 'block2_sepconv2_act', activation: 'relu' }, y);
  y = A('separableConv2d', { name: 'block2_sepconv2', filters: 8, kernelSize: 3, padding: 'same', useBias: false }, y);
  y = A('batchNormalization', { name: 'block2_sepconv2_bn' }, y);
  y = A('maxPooling2d', { name: 'block2_pool', poolSize: 3, strides: 2, padding: 'same' }, y);
  y = A('add', { name: 'add' }, [y, r]);
  y = A('leakyReLU', { name: 'leaky', alpha: 0.1 }, y);
  y = A('globalAveragePooling2d', { name: 'avg_pool' }, y);
  return A('dense', { name: 'predictions', units: 2 }, y);
});
// Keras's Subtract: tfjs 4.22 has no subtract layer (no tf.layers.subtract, no Subtract class).
graph('merge_subtract', 'Subtract([Conv2D(3,1x1), input]) on 4x4x3', [4, 4, 3], (x) => {
  const c = A('conv2d', { name: 'conv', filters: 3, kernelSize: 1 }, x);
  return A('subtract', { name: 'diff' }, [c, x]);
}, { expectUnsupported: true });

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
    case 'Conv2DTranspose':
      return { filters: c.filters, kernelSize: pair(c.kernelSize), strides: pair(c.strides), padding: c.padding,
        activation: c.activation, useBias: c.useBias };
    case 'SeparableConv2D': // tfjs's getConfig() leaves depthMultiplier out
      return { filters: c.filters, kernelSize: pair(c.kernelSize), strides: pair(c.strides), padding: c.padding,
        dilationRate: pair(c.dilationRate), depthMultiplier: layer.depthMultiplier, activation: c.activation, useBias: c.useBias };
    case 'UpSampling2D':
      return { size: pair(c.size), interpolation: c.interpolation };
    case 'Reshape':
      return { targetShape: [...c.targetShape] };
    case 'Cropping2D':
      return { cropping: c.cropping.map((p) => [...p]) };
    case 'Rescaling':
      return { scale: c.scale, offset: c.offset };
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
      return {};
    case 'Concatenate':
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
  const functional = typeof spec.build === 'function';

  let m;
  if (functional) {
    const input = tf.input({ shape: spec.input, name: INPUT });
    m = tf.model({ inputs: input, outputs: spec.build(input), name: spec.name });
  } else {
    m = tf.sequential({ name: spec.name });
    spec.layers.forEach(([factory, args], i) => {
      const a = { ...args };
      if (i === 0) a.inputShape = spec.input;
      m.add(tf.layers[factory](a));
    });
  }
  // Keras's model.layers order (tfjs's Container uses Keras's algorithm), without the InputLayer.
  const layers = m.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  const names = new Set([INPUT, ...layers.map((layer) => layer.name)]);
  if (names.size !== layers.length + 1) throw new Error(`${spec.name}: layer names not unique (or one is "${INPUT}")`);
  // The names each layer takes: Keras's inbound layers (a merge's in call order).
  const inbound = layers.map((layer, i) => {
    if (!functional) return [i === 0 ? INPUT : layers[i - 1].name];
    if (layer.inboundNodes.length !== 1) throw new Error(`${spec.name}/${layer.name}: shared layers are not supported`);
    return layer.inboundNodes[0].inboundLayers.map((l) => l.name);
  });
  if (functional) {
    const placed = new Set([INPUT]);
    layers.forEach((layer, i) => {
      for (const n of inbound[i]) if (!placed.has(n)) throw new Error(`${spec.name}/${layer.name}: input ${n} comes later`);
      placed.add(layer.name);
    });
    if (m.outputs.length !== 1 || m.outputs[0].sourceLayer !== layers[layers.length - 1]) {
      throw new Error(`${spec.name}: the output is not the last of model.layers`);
    }
  }

  // Set weights layer by layer, in Keras get_weights() order.
  const layerWeights = [];
  const notes = [];
  for (const layer of layers) {
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
  if (layers.some(needsOpOverride)) {
    notes.push('tfjs 4.22 DepthwiseConv2D layer ignores dilationRate (call() passes null) and reports an undilated output shape; '
      + 'this layer was computed with the tf.depthwiseConv2d op (which honours dilations), its outputShape is the computed one.');
  }

  // Inputs.
  const inSize = spec.input.reduce((a, b) => a * b, 1);
  const cases = [];
  const layersOut = layers.map((layer, i) => ({
    className: layer.getClassName(),
    name: layer.name,
    inbound: functional ? inbound[i] : undefined,
    config: kerasConfig(layer),
    outputShape: null,
    paramCount: layer.countParams(),
    weights: layerWeights[i].map((w) => ({ name: w.name, shape: w.shape })),
  }));
  const last = layers.length - 1;
  const lastIsHardSigmoid = layers[last].getConfig().activation === 'hardSigmoid';

  let worst = 0;
  for (let k = 0; k < CASES; k++) {
    const input = new Float64Array(inSize);
    for (let i = 0; i < inSize; i++) input[i] = Math.fround(uniform(rng, -1, 1));
    const x0 = tf.tensor(Float32Array.from(input), [1, ...spec.input], 'float32');
    // Layer by layer, each layer on the outputs of its inbound layers.
    const values = new Map([[INPUT, x0]]);
    let preLast = null;
    const shapes = [];
    layers.forEach((layer, i) => {
      const ins = inbound[i].map((n) => values.get(n));
      if (i === last && lastIsHardSigmoid) preLast = runLayer(layer, ins[0], { linearActivation: true });
      const y = layer.getClassName() in MERGES ? layer.apply(ins) : runLayer(layer, ins[0]);
      shapes.push(y.shape.slice(1));
      values.set(layer.name, y);
    });
    const output = Array.from(values.get(layers[last].name).dataSync());
    // Whole-model predict must agree where tfjs layers are used as is.
    if (!layers.some(needsOpOverride)) {
      let p;
      try {
        p = m.predict(x0);
      } catch (e) {
        // tfjs 4.22's graph executor frees a tensor too early when one layer takes it twice and
        // another layer takes it too; the layer-by-layer outputs stand (the reference checks them).
        if (!inbound.some((names) => new Set(names).size < names.length)) throw e;
        if (k === 0) {
          notes.push(`tfjs 4.22 model.predict fails on this graph (${e.name}: ${e.message}): its executor frees a tensor that one layer `
            + 'takes twice before its last use. The outputs here are the layer-by-layer ones (each layer applied to its inbound '
            + 'tensors), which the float64 reference confirms.');
        }
      }
      if (p) {
        const d = maxRelDiff(Array.from(p.dataSync()), output);
        p.dispose();
        if (d > 1e-6) throw new Error(`${spec.name}: model.predict differs from layer-by-layer apply by ${d}`);
      }
    }
    // Independent reference, on the same graph.
    const refs = new Map([[INPUT, { shape: [...spec.input], data: input }]]);
    layers.forEach((layer, i) => {
      const w = {};
      for (const lw of layerWeights[i]) w[lw.kind] = Float64Array.from(lw.values);
      const ins = inbound[i].map((n) => refs.get(n));
      const { className, config } = layersOut[i];
      const r = className in MERGES ? referenceMerge(className, config, ins)
        : referenceLayer({ className, config, weights: w }, ins[0]);
      if (r.shape.join() !== shapes[i].join()) {
        throw new Error(`${spec.name}/${layer.name}: shape tfjs ${shapes[i]} vs reference ${r.shape}`);
      }
      const pc = referenceParamCount(layersOut[i], ins[0].shape);
      if (pc !== layersOut[i].paramCount) throw new Error(`${spec.name}/${layer.name}: params ${layersOut[i].paramCount} vs ${pc}`);
      refs.set(layer.name, r);
    });
    const d = maxRelDiff(output, refs.get(layers[last].name).data);
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
    for (const t of new Set(values.values())) if (t !== x0) t.dispose();
    x0.dispose();
    shapes.forEach((s, i) => {
      const reported = layers[i].outputShape.slice(1);
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
    functional: functional || undefined,
    outputShape: layersOut[last].outputShape,
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
  let worstFunctional = 0;
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
    if (doc.functional) worstFunctional = Math.max(worstFunctional, worst);
    index.push({ name: spec.name, file: `${spec.name}.json`, description: spec.description,
      input: spec.input, outputShape: doc.outputShape, layers: doc.layers.map((l) => l.className), totalParams: doc.totalParams,
      functional: doc.functional });
  }
  const indexText = toJson({ tfjsVersion: tf.version.tfjs, count: index.length, fixtures: index, unsupportedByTfjs: unsupported }) + '\n';
  writeFileSync(join(OUT_DIR, 'index.json'), indexText);
  total += indexText.length;
  console.log(`wrote ${index.length} fixtures + index.json to ${OUT_DIR}`);
  console.log(`total size ${(total / 1024).toFixed(1)} KiB; worst tfjs-vs-reference relative difference ${worstAll.toExponential(2)} `
    + `(functional models ${worstFunctional.toExponential(2)})`);
  if (tf.memory().numTensors > 200) console.warn(`leaked tensors: ${tf.memory().numTensors}`);
}

await main();
