// Independent float64 reference forward pass with Keras (TensorFlow backend,
// channels_last) semantics as written in docs/SEMANTICS.md (versions 0 and 1).  It is used only to
// cross-check what TensorFlow.js computes; the fixtures record tfjs's numbers.
//
// A tensor is { shape: [H, W, C] | [N], data: Float64Array } (no batch axis).

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

function erf(x) {
  // High-accuracy erf (series / continued fraction), independent of tfjs's
  // Abramowitz-Stegun 7.1.26 approximation.
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series
    let sum = x, term = x, n = 0;
    while (Math.abs(term) > 1e-17 * Math.abs(sum)) {
      n++;
      term *= -x * x / n;
      sum += term / (2 * n + 1);
      if (n > 200) break;
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }
  // Continued fraction for erfc (Lentz)
  const z = ax;
  let f = z, C = z, D = 0;
  const tiny = 1e-300;
  for (let i = 1; i < 300; i++) {
    const a = i / 2;
    D = z + a * D; if (D === 0) D = tiny; D = 1 / D;
    C = z + a / C; if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const softplus = (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

// Keras 3 definitions, except where the key says "tfjs".
export const ELEMENTWISE = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  sigmoid,
  tanh: Math.tanh,
  relu6: (x) => Math.min(6, Math.max(0, x)),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * (Math.exp(x) - 1)),
  softplus,
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sigmoid(x),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  gelu_new: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
  mish: (x) => x * Math.tanh(softplus(x)),
  // tfjs's hardSigmoid (Keras 2): clip(0.2 x + 0.5, 0, 1)
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  // Keras 3's hard_sigmoid: relu6(x + 3) / 6
  hardSigmoidKeras3: (x) => Math.min(6, Math.max(0, x + 3)) / 6,
};

export function applyActivation(name, t) {
  if (name === 'softmax') {
    const shape = t.shape;
    const C = shape[shape.length - 1];
    const out = new Float64Array(t.data.length);
    for (let base = 0; base < t.data.length; base += C) {
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, t.data[base + c]);
      let s = 0;
      for (let c = 0; c < C; c++) { out[base + c] = Math.exp(t.data[base + c] - m); s += out[base + c]; }
      for (let c = 0; c < C; c++) out[base + c] /= s;
    }
    return { shape, data: out };
  }
  const f = ELEMENTWISE[name];
  if (!f) throw new Error(`reference: unknown activation ${name}`);
  return { shape: t.shape, data: t.data.map(f) };
}

function samePad(inp, k, s, d) {
  const out = Math.ceil(inp / s);
  const total = Math.max((out - 1) * s + d * (k - 1) + 1 - inp, 0);
  return { out, before: Math.floor(total / 2) };
}

function outGeom(inp, k, s, d, padding) {
  if (padding === 'same') return samePad(inp, k, s, d);
  const need = d * (k - 1) + 1;
  if (inp < need) throw new Error('reference: input too small');
  return { out: Math.floor((inp - need) / s) + 1, before: 0 };
}

function conv2d(t, kernel, bias, cfg) {
  const [H, W, CIN] = t.shape;
  const [KH, KW] = cfg.kernelSize, [SH, SW] = cfg.strides, [DH, DW] = cfg.dilationRate;
  const F = cfg.filters;
  const gh = outGeom(H, KH, SH, DH, cfg.padding), gw = outGeom(W, KW, SW, DW, cfg.padding);
  const OH = gh.out, OW = gw.out;
  const out = new Float64Array(OH * OW * F);
  for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let f = 0; f < F; f++) {
    let acc = bias ? bias[f] : 0;
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * SH + kh * DH - gh.before;
      if (ih < 0 || ih >= H) continue;
      for (let kw = 0; kw < KW; kw++) {
        const iw = ow * SW + kw * DW - gw.before;
        if (iw < 0 || iw >= W) continue;
        for (let ci = 0; ci < CIN; ci++) {
          acc += t.data[(ih * W + iw) * CIN + ci] * kernel[((kh * KW + kw) * CIN + ci) * F + f];
        }
      }
    }
    out[(oh * OW + ow) * F + f] = acc;
  }
  return { shape: [OH, OW, F], data: out };
}

function depthwise(t, kernel, bias, cfg) {
  const [H, W, CIN] = t.shape;
  const [KH, KW] = cfg.kernelSize, [SH, SW] = cfg.strides, [DH, DW] = cfg.dilationRate;
  const M = cfg.depthMultiplier;
  const gh = outGeom(H, KH, SH, DH, cfg.padding), gw = outGeom(W, KW, SW, DW, cfg.padding);
  const OH = gh.out, OW = gw.out, CO = CIN * M;
  const out = new Float64Array(OH * OW * CO);
  for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let ci = 0; ci < CIN; ci++) for (let m = 0; m < M; m++) {
    const co = ci * M + m;
    let acc = bias ? bias[co] : 0;
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * SH + kh * DH - gh.before;
      if (ih < 0 || ih >= H) continue;
      for (let kw = 0; kw < KW; kw++) {
        const iw = ow * SW + kw * DW - gw.before;
        if (iw < 0 || iw >= W) continue;
        acc += t.data[(ih * W + iw) * CIN + ci] * kernel[((kh * KW + kw) * CIN + ci) * M + m];
      }
    }
    out[(oh * OW + ow) * CO + co] = acc;
  }
  return { shape: [OH, OW, CO], data: out };
}

function pool(t, cfg, kind) {
  const [H, W, C] = t.shape;
  const [PH, PW] = cfg.poolSize, [SH, SW] = cfg.strides;
  const gh = outGeom(H, PH, SH, 1, cfg.padding), gw = outGeom(W, PW, SW, 1, cfg.padding);
  const OH = gh.out, OW = gw.out;
  const out = new Float64Array(OH * OW * C);
  for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let c = 0; c < C; c++) {
    let m = -Infinity, s = 0, n = 0;
    for (let ph = 0; ph < PH; ph++) {
      const ih = oh * SH + ph - gh.before;
      if (ih < 0 || ih >= H) continue;
      for (let pw = 0; pw < PW; pw++) {
        const iw = ow * SW + pw - gw.before;
        if (iw < 0 || iw >= W) continue;
        const v = t.data[(ih * W + iw) * C + c];
        m = Math.max(m, v); s += v; n++;
      }
    }
    out[(oh * OW + ow) * C + c] = kind === 'max' ? m : s / n;
  }
  return { shape: [OH, OW, C], data: out };
}

function globalPool(t, kind) {
  const [H, W, C] = t.shape;
  const out = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let m = -Infinity, s = 0;
    for (let i = 0; i < H * W; i++) { const v = t.data[i * C + c]; m = Math.max(m, v); s += v; }
    out[c] = kind === 'max' ? m : s / (H * W);
  }
  return { shape: [C], data: out };
}

function dense(t, kernel, bias, cfg) {
  const N = t.data.length, U = cfg.units;
  if (t.shape.length !== 1) throw new Error('reference: Dense expects a vector');
  const out = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    let acc = bias ? bias[u] : 0;
    for (let i = 0; i < N; i++) acc += t.data[i] * kernel[i * U + u];
    out[u] = acc;
  }
  return { shape: [U], data: out };
}

// Keras Conv2DTranspose (no dilation, no output padding): every input pixel scatters
// x * kernel into the full output; kernel (KH, KW, F, CIN), element (kh, kw, f, ci) at
// ((kh * KW + kw) * F + f) * CIN + ci.  Per axis the full result has
// in * S + max(K - S, 0) positions ('valid'); 'same' keeps in * S of them and drops
// floor(max(K - S, 0) / 2) at the top/left (the rest at the bottom/right).
function conv2dTranspose(t, kernel, bias, cfg) {
  const [H, W, CIN] = t.shape;
  const [KH, KW] = cfg.kernelSize, [SH, SW] = cfg.strides;
  const F = cfg.filters;
  const fullH = H * SH + Math.max(KH - SH, 0), fullW = W * SW + Math.max(KW - SW, 0);
  const full = new Float64Array(fullH * fullW * F);
  for (let ih = 0; ih < H; ih++) for (let iw = 0; iw < W; iw++) for (let ci = 0; ci < CIN; ci++) {
    const x = t.data[(ih * W + iw) * CIN + ci];
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) for (let f = 0; f < F; f++) {
      full[((ih * SH + kh) * fullW + (iw * SW + kw)) * F + f] += x * kernel[((kh * KW + kw) * F + f) * CIN + ci];
    }
  }
  let OH = fullH, OW = fullW, top = 0, left = 0;
  if (cfg.padding === 'same') {
    OH = H * SH; OW = W * SW;
    top = Math.floor(Math.max(KH - SH, 0) / 2); left = Math.floor(Math.max(KW - SW, 0) / 2);
  } else if (cfg.padding !== 'valid') {
    throw new Error(`reference: Conv2DTranspose padding ${cfg.padding}`);
  }
  const out = new Float64Array(OH * OW * F);
  for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let f = 0; f < F; f++) {
    out[(oh * OW + ow) * F + f] = full[((oh + top) * fullW + (ow + left)) * F + f] + (bias ? bias[f] : 0);
  }
  return { shape: [OH, OW, F], data: out };
}

// Keras SeparableConv2D: a depthwise convolution (KH, KW, CIN, DM) without bias, then a 1x1
// convolution (1, 1, CIN * DM, F) with the bias.
function separableConv2d(t, depthwiseKernel, pointwiseKernel, bias, cfg) {
  const sh = cfg.strides[0], sw = cfg.strides[1], dh = cfg.dilationRate[0], dw = cfg.dilationRate[1];
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) throw new Error('reference: SeparableConv2D stride > 1 with dilation > 1');
  const d = depthwise(t, depthwiseKernel, null, { ...cfg, depthMultiplier: cfg.depthMultiplier });
  return conv2d(d, pointwiseKernel, bias, { filters: cfg.filters, kernelSize: [1, 1], strides: [1, 1],
    dilationRate: [1, 1], padding: 'valid' });
}

// Keras UpSampling2D, interpolation 'nearest': output (h, w) is input (floor(h / sh), floor(w / sw)).
function upSampling(t, cfg) {
  if (cfg.interpolation !== 'nearest') throw new Error(`reference: UpSampling2D ${cfg.interpolation}`);
  const [H, W, C] = t.shape;
  const [SH, SW] = cfg.size;
  const OH = H * SH, OW = W * SW;
  const out = new Float64Array(OH * OW * C);
  for (let h = 0; h < OH; h++) for (let w = 0; w < OW; w++) for (let c = 0; c < C; c++) {
    out[(h * OW + w) * C + c] = t.data[(Math.floor(h / SH) * W + Math.floor(w / SW)) * C + c];
  }
  return { shape: [OH, OW, C], data: out };
}

// Keras Cropping2D(((top, bottom), (left, right))).
function cropping(t, cfg) {
  const [H, W, C] = t.shape;
  const [[top, bottom], [left, right]] = cfg.cropping;
  const OH = H - top - bottom, OW = W - left - right;
  if (OH < 1 || OW < 1) throw new Error('reference: Cropping2D removes everything');
  const out = new Float64Array(OH * OW * C);
  for (let h = 0; h < OH; h++) for (let w = 0; w < OW; w++) for (let c = 0; c < C; c++) {
    out[(h * OW + w) * C + c] = t.data[((h + top) * W + (w + left)) * C + c];
  }
  return { shape: [OH, OW, C], data: out };
}

/** The Keras merging layers this reference knows (class name -> element-wise reduction). */
export const MERGES = {
  Add: (xs) => xs.reduce((a, b) => a + b),
  Subtract: (xs) => xs[0] - xs[1],
  Multiply: (xs) => xs.reduce((a, b) => a * b),
  Average: (xs) => xs.reduce((a, b) => a + b) / xs.length,
  Maximum: (xs) => Math.max(...xs),
  Minimum: (xs) => Math.min(...xs),
  Concatenate: null, // along the last axis, below
};

/**
 * A Keras merging layer on a list of tensors: Add/Subtract/Multiply/Average/Maximum/Minimum need
 * identical shapes (no broadcasting), Subtract exactly two; Concatenate joins along the last axis
 * (all other sizes equal).
 */
export function referenceMerge(className, config, inputs) {
  if (!(className in MERGES)) throw new Error(`reference: unknown merge ${className}`);
  if (inputs.length < 2) throw new Error(`reference: ${className} needs at least 2 inputs`);
  const shape = inputs[0].shape;
  if (className === 'Concatenate') {
    const rank = shape.length;
    if (config.axis !== -1 && config.axis !== rank) throw new Error(`reference: Concatenate axis ${config.axis}`);
    for (const t of inputs) {
      if (t.shape.length !== rank || t.shape.slice(0, -1).join() !== shape.slice(0, -1).join()) {
        throw new Error(`reference: Concatenate of ${inputs.map((x) => `[${x.shape}]`).join(' and ')}`);
      }
    }
    const channels = inputs.map((t) => t.shape[rank - 1]);
    const C = channels.reduce((a, b) => a + b, 0);
    const pixels = inputs[0].data.length / channels[0];
    const out = new Float64Array(pixels * C);
    for (let p = 0; p < pixels; p++) {
      let at = p * C;
      inputs.forEach((t, k) => {
        for (let c = 0; c < channels[k]; c++) out[at++] = t.data[p * channels[k] + c];
      });
    }
    return { shape: [...shape.slice(0, -1), C], data: out };
  }
  if (className === 'Subtract' && inputs.length !== 2) throw new Error('reference: Subtract needs exactly 2 inputs');
  for (const t of inputs) {
    if (t.shape.join() !== shape.join()) {
      throw new Error(`reference: ${className} of ${inputs.map((x) => `[${x.shape}]`).join(' and ')}`);
    }
  }
  const f = MERGES[className];
  const out = new Float64Array(inputs[0].data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(inputs.map((t) => t.data[i]));
  return { shape: [...shape], data: out };
}

/**
 * layer: { className, config, weights: {name -> Float64Array} } (weight names without
 * the layer prefix: kernel, bias, depthwise_kernel, pointwise_kernel, gamma, beta,
 * moving_mean, moving_variance)
 */
export function referenceLayer(layer, t) {
  const { className, config: cfg, weights: w } = layer;
  switch (className) {
    case 'Conv2D':
      return applyActivation(cfg.activation, conv2d(t, w.kernel, w.bias, cfg));
    case 'DepthwiseConv2D':
      return applyActivation(cfg.activation, depthwise(t, w.depthwise_kernel, w.bias, cfg));
    case 'Dense':
      return applyActivation(cfg.activation, dense(t, w.kernel, w.bias, cfg));
    case 'MaxPooling2D':
      return pool(t, cfg, 'max');
    case 'AveragePooling2D':
      return pool(t, cfg, 'avg');
    case 'GlobalAveragePooling2D':
      return globalPool(t, 'avg');
    case 'GlobalMaxPooling2D':
      return globalPool(t, 'max');
    case 'Flatten':
      return { shape: [t.data.length], data: t.data };
    case 'Dropout':
      return t;
    case 'Activation':
      return applyActivation(cfg.activation, t);
    case 'ReLU': {
      const mv = cfg.maxValue == null ? Infinity : cfg.maxValue;
      return { shape: t.shape, data: t.data.map((x) => Math.min(mv, Math.max(0, x))) };
    }
    case 'LeakyReLU':
      return { shape: t.shape, data: t.data.map((x) => (x < 0 ? cfg.alpha * x : x)) };
    case 'ELU':
      return { shape: t.shape, data: t.data.map((x) => (x > 0 ? x : cfg.alpha * (Math.exp(x) - 1))) };
    case 'Softmax':
      if (cfg.axis !== -1 && cfg.axis !== t.shape.length) throw new Error('reference: softmax axis');
      return applyActivation('softmax', t);
    case 'BatchNormalization': {
      const C = t.shape[t.shape.length - 1];
      const out = new Float64Array(t.data.length);
      for (let i = 0; i < t.data.length; i++) {
        const c = i % C;
        const g = w.gamma ? w.gamma[c] : 1, b = w.beta ? w.beta[c] : 0;
        out[i] = (t.data[i] - w.moving_mean[c]) / Math.sqrt(w.moving_variance[c] + cfg.epsilon) * g + b;
      }
      return { shape: t.shape, data: out };
    }
    case 'Conv2DTranspose':
      return applyActivation(cfg.activation, conv2dTranspose(t, w.kernel, w.bias, cfg));
    case 'SeparableConv2D':
      return applyActivation(cfg.activation, separableConv2d(t, w.depthwise_kernel, w.pointwise_kernel, w.bias, cfg));
    case 'UpSampling2D':
      return upSampling(t, cfg);
    case 'Cropping2D':
      return cropping(t, cfg);
    case 'Reshape': {
      const n = cfg.targetShape.reduce((a, b) => a * b, 1);
      if (n !== t.data.length || cfg.targetShape.some((d) => !(d > 0))) {
        throw new Error(`reference: Reshape of ${t.data.length} values to [${cfg.targetShape}]`);
      }
      return { shape: [...cfg.targetShape], data: t.data };
    }
    case 'Rescaling':
      return { shape: t.shape, data: t.data.map((x) => x * cfg.scale + cfg.offset) };
    case 'ZeroPadding2D': {
      const [H, W, C] = t.shape;
      const [[top, bottom], [left, right]] = cfg.padding;
      const OH = H + top + bottom, OW = W + left + right;
      const out = new Float64Array(OH * OW * C);
      for (let h = 0; h < H; h++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) {
        out[((h + top) * OW + (x + left)) * C + c] = t.data[(h * W + x) * C + c];
      }
      return { shape: [OH, OW, C], data: out };
    }
    default:
      throw new Error(`reference: unsupported layer ${className}`);
  }
}

/** Parameter count per SEMANTICS.md / Keras (merging layers and the other layers without weights: 0). */
export function referenceParamCount(layer, inShape) {
  const cfg = layer.config;
  const cin = inShape[inShape.length - 1];
  switch (layer.className) {
    case 'Conv2D':
      return cfg.kernelSize[0] * cfg.kernelSize[1] * cin * cfg.filters + (cfg.useBias ? cfg.filters : 0);
    case 'DepthwiseConv2D':
      return cfg.kernelSize[0] * cfg.kernelSize[1] * cin * cfg.depthMultiplier
        + (cfg.useBias ? cin * cfg.depthMultiplier : 0);
    case 'Dense':
      return inShape.reduce((a, b) => a * b, 1) * cfg.units + (cfg.useBias ? cfg.units : 0);
    case 'BatchNormalization':
      return cin * (2 + (cfg.center ? 1 : 0) + (cfg.scale ? 1 : 0));
    case 'Conv2DTranspose':
      return cfg.kernelSize[0] * cfg.kernelSize[1] * cfg.filters * cin + (cfg.useBias ? cfg.filters : 0);
    case 'SeparableConv2D':
      return cfg.kernelSize[0] * cfg.kernelSize[1] * cin * cfg.depthMultiplier
        + cin * cfg.depthMultiplier * cfg.filters + (cfg.useBias ? cfg.filters : 0);
    default:
      return 0;
  }
}
