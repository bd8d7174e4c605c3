#!/usr/bin/python3
"""Check the committed Fashion-MNIST outputs without retraining (a few seconds).

Run from the repository root:
    /usr/bin/python3 samples/training/verify_fashion_outputs.py

Needs python3-torch installed (it imports the numpy forward pass from
train_fashion_mnist.py, which imports torch; nothing is trained) and uses the
onnx module (python3-onnx) when present.  Not run by CI.  It checks:
  * every file has the expected size;
  * netforge-parameters.f32 (NHWC/HWIO layout) run through an independent numpy
    forward pass reproduces pytorch-probabilities-1000.f32 on all 1000 images;
  * the weights embedded in fashion_mnist.onnx, run through a numpy NCHW
    interpretation of its graph, do the same (if the onnx module is installed);
  * golden-input/-output agree with image 0 and its probabilities.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from train_fashion_mnist import OUT_DIR, np_forward_nhwc  # noqa: E402  (no training on import)

SHAPES = [("conv1.kernel", (3, 3, 1, 32)), ("conv1.bias", (32,)),
          ("conv2.kernel", (3, 3, 32, 64)), ("conv2.bias", (64,)),
          ("dense1.kernel", (1600, 128)), ("dense1.bias", (128,)),
          ("dense2.kernel", (128, 10)), ("dense2.bias", (10,))]

EXPECTED_BYTES = {
    "test-images-1000.u8": 784000,
    "test-labels-1000.u8": 1000,
    "pytorch-probabilities-1000.f32": 40000,
    "pytorch-predictions-1000.u8": 1000,
    "netforge-parameters.f32": 225034 * 4,
    "golden-input.f32": 784 * 4,
    "golden-output.f32": 40,
}


def path(name):
    return os.path.join(OUT_DIR, name)


def nchw_forward(x, w):
    """Numpy NCHW/OIHW forward using the PyTorch-layout tensors from the ONNX file."""
    def conv(x, k, b):
        f, c, kh, kw = k.shape
        oh, ow = x.shape[1] - kh + 1, x.shape[2] - kw + 1
        out = np.zeros((f, oh, ow), dtype=np.float64)
        for i in range(kh):
            for j in range(kw):
                out += np.einsum("fc,chw->fhw", k[:, :, i, j], x[:, i:i + oh, j:j + ow])
        return out + b[:, None, None]

    def pool(x):
        c, h, wd = x.shape
        return x[:, :h // 2 * 2, :wd // 2 * 2].reshape(c, h // 2, 2, wd // 2, 2).max(axis=(2, 4))

    x = pool(np.maximum(conv(x, w["0.weight"], w["0.bias"]), 0))
    x = pool(np.maximum(conv(x, w["3.weight"], w["3.bias"]), 0))
    x = x.reshape(-1)                                   # C,H,W order
    x = np.maximum(w["7.weight"].dot(x) + w["7.bias"], 0)
    z = w["9.weight"].dot(x) + w["9.bias"]
    e = np.exp(z - z.max())
    return e / e.sum()


def main():
    ok = True
    for name, size in EXPECTED_BYTES.items():
        actual = os.path.getsize(path(name))
        print("%-32s %8d bytes %s" % (name, actual, "ok" if actual == size else "EXPECTED %d" % size))
        ok &= actual == size
    onnx_size = os.path.getsize(path("fashion_mnist.onnx"))
    print("%-32s %8d bytes %s" % ("fashion_mnist.onnx", onnx_size, "ok" if onnx_size < 1 << 20 else "TOO BIG"))
    ok &= onnx_size < 1 << 20

    images = np.fromfile(path("test-images-1000.u8"), np.uint8).reshape(1000, 28, 28)
    labels = np.fromfile(path("test-labels-1000.u8"), np.uint8)
    probs = np.fromfile(path("pytorch-probabilities-1000.f32"), "<f4").reshape(1000, 10)
    preds = np.fromfile(path("pytorch-predictions-1000.u8"), np.uint8)
    flat = np.fromfile(path("netforge-parameters.f32"), "<f4")
    params, off = [], 0
    for name, shape in SHAPES:
        n = int(np.prod(shape))
        params.append((name, flat[off:off + n].reshape(shape)))
        off += n
    assert off == flat.size
    x = images.astype(np.float32) / np.float32(255.0)

    nhwc = np.stack([np_forward_nhwc(x[i].reshape(28, 28, 1), params) for i in range(1000)])
    d = float(np.abs(nhwc - probs).max())
    agree = int((nhwc.argmax(1) == preds).sum())
    print("NetForge-layout numpy (NHWC) vs PyTorch, 1000 images: max abs diff %.3e, argmax agree %d/1000"
          % (d, agree))
    ok &= d < 1e-5 and agree == 1000
    acc = float((preds == labels).mean())
    meta = json.load(open(path("metadata.json")))
    print("accuracy on slice %.4f (metadata %.4f)" % (acc, meta["accuracy_first_1000"]))
    ok &= acc == meta["accuracy_first_1000"] and bool((probs.argmax(1) == preds).all())

    gi = np.fromfile(path("golden-input.f32"), "<f4")
    go = np.fromfile(path("golden-output.f32"), "<f4")
    golden_ok = bool((gi == x[0].reshape(784)).all() and (go == probs[0]).all())
    print("golden input/output match image 0: %s" % golden_ok)
    ok &= golden_ok

    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        print("onnx module not installed: ONNX graph not checked")
    else:
        m = onnx.load(path("fashion_mnist.onnx"))
        onnx.checker.check_model(m)
        w = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in m.graph.initializer}
        ops = [n.op_type for n in m.graph.node]
        expected_ops = ["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten",
                        "Gemm", "Relu", "Gemm", "Softmax"]
        print("ONNX ops: %s" % " ".join(ops))
        ok &= ops == expected_ops
        onnx_probs = np.stack([nchw_forward(x[i][None].astype(np.float64), w) for i in range(1000)])
        d2 = float(np.abs(onnx_probs - probs).max())
        print("ONNX weights, numpy NCHW vs PyTorch, 1000 images: max abs diff %.3e" % d2)
        ok &= d2 < 1e-5

    print("ALL OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
