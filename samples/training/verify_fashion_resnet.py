#!/usr/bin/python3
"""Check the committed Fashion-MNIST ResNet outputs without retraining (seconds).

Run from the repository root:
    /usr/bin/python3 samples/training/verify_fashion_resnet.py

Needs python3-torch (it imports train_fashion_resnet.py, which imports torch; nothing is
trained) and python3-onnx.  Not run by CI.  It checks:
  * every file has the expected size and the SHA-256 recorded in resnet-metadata.json;
  * the ONNX file passes onnx.checker and has the expected operators;
  * its weights, run through an independent numpy float64 NCHW evaluation of its graph, reproduce
    resnet-pytorch-probabilities-1000.f32 on all 1,000 shipped images (and its argmax);
  * the accuracy on the slice is the metadata's; the golden pair is image 0 and its probabilities.
"""

import hashlib
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from train_fashion_resnet import OUT_DIR, TEST_OUT_DIR, ONNX_NAME, onnx_forward_numpy  # noqa: E402

EXPECTED_BYTES = {
    (TEST_OUT_DIR, "resnet-pytorch-probabilities-1000.f32"): 40000,
    (TEST_OUT_DIR, "resnet-pytorch-predictions-1000.u8"): 1000,
    (OUT_DIR, "resnet-golden-input.f32"): 784 * 4,
    (OUT_DIR, "resnet-golden-output.f32"): 40,
    (OUT_DIR, "test-images-1000.u8"): 784000,
    (OUT_DIR, "test-labels-1000.u8"): 1000,
}
EXPECTED_OPS = (["Conv", "Relu", "Conv", "Relu", "Conv", "Add", "Relu"]
                + ["Conv", "Conv", "Relu", "Conv", "Add", "Relu"] * 2
                + ["GlobalAveragePool", "Flatten", "Gemm", "Softmax"])


def main():
    ok = True
    meta = json.load(open(os.path.join(OUT_DIR, "resnet-metadata.json")))
    for (directory, name), size in EXPECTED_BYTES.items():
        actual = os.path.getsize(os.path.join(directory, name))
        print("%-40s %8d bytes %s" % (name, actual, "ok" if actual == size else "EXPECTED %d" % size))
        ok &= actual == size
    for name, info in meta["files"].items():
        if "sha256" not in info:
            continue
        directory = OUT_DIR if os.path.exists(os.path.join(OUT_DIR, name)) else TEST_OUT_DIR
        with open(os.path.join(directory, name), "rb") as f:
            same = hashlib.sha256(f.read()).hexdigest() == info["sha256"]
        print("%-40s sha256 %s" % (name, "ok" if same else "DIFFERS from resnet-metadata.json"))
        ok &= same

    images = np.fromfile(os.path.join(OUT_DIR, "test-images-1000.u8"), np.uint8).reshape(1000, 1, 28, 28)
    labels = np.fromfile(os.path.join(OUT_DIR, "test-labels-1000.u8"), np.uint8)
    probs = np.fromfile(os.path.join(TEST_OUT_DIR, "resnet-pytorch-probabilities-1000.f32"), "<f4").reshape(1000, 10)
    preds = np.fromfile(os.path.join(TEST_OUT_DIR, "resnet-pytorch-predictions-1000.u8"), np.uint8)
    x = images.astype(np.float32) / np.float32(255.0)

    import onnx
    m = onnx.load(os.path.join(OUT_DIR, ONNX_NAME))
    onnx.checker.check_model(m)
    ops = [n.op_type for n in m.graph.node if n.op_type != "Identity"]
    print("ONNX ops (without Identity): %s" % " ".join(ops))
    ok &= ops == EXPECTED_OPS
    onnx_probs = np.concatenate([onnx_forward_numpy(m, x[i:i + 100]) for i in range(0, 1000, 100)])
    d = float(np.abs(onnx_probs - probs).max())
    agree = int((onnx_probs.argmax(1) == preds).sum())
    print("ONNX weights, numpy float64 NCHW vs PyTorch, 1000 images: max abs diff %.3e, argmax agree %d/1000"
          % (d, agree))
    ok &= d < 1e-5 and agree == 1000

    acc = float((preds == labels).mean())
    print("accuracy on the slice %.4f (metadata %.4f; full test set %.4f)"
          % (acc, meta["accuracy_first_1000"], meta["accuracy_full_test_10000"]))
    ok &= acc == meta["accuracy_first_1000"] and bool((probs.argmax(1) == preds).all())

    gi = np.fromfile(os.path.join(OUT_DIR, "resnet-golden-input.f32"), "<f4")
    go = np.fromfile(os.path.join(OUT_DIR, "resnet-golden-output.f32"), "<f4")
    golden_ok = bool((gi == x[0].reshape(784)).all() and (go == probs[0]).all())
    print("golden input/output match image 0: %s" % golden_ok)
    ok &= golden_ok

    print("ALL OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
