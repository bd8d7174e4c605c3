#!/usr/bin/python3
"""Train the NetForge "MnistNet" architecture on Fashion-MNIST and export
everything the Java sample and tests need.

What it does
------------
1. Reads Fashion-MNIST from the Debian package ``dataset-fashion-mnist``
   (``/usr/share/datasets/fashion-mnist/*.gz``, idx format).
2. Trains, with fixed seeds and deterministic algorithms, the network

       Conv2d(1,32,3) ReLU MaxPool2d(2) Conv2d(32,64,3) ReLU MaxPool2d(2)
       Flatten Linear(1600,128) ReLU Linear(128,10)      (+ Softmax(dim=1) on export)

   with CrossEntropy on the logits, Adam (lr 1e-3), batch 64, EPOCHS epochs.
   Input scaling: pixel / 255.0 as float32, no mean/std normalisation.
3. Writes into samples/src/main/resources/dev/netforge/samples/fashion/:
     fashion_mnist.onnx              model incl. softmax, input "input" (1,1,28,28),
                                     output "probabilities", opset 13, weights embedded
     test-images-1000.u8             first 1000 test images, raw uint8, 784 bytes each
     test-labels-1000.u8             their labels, 1 byte each
     pytorch-probabilities-1000.f32  PyTorch softmax output (eval, batch 1, float32 LE), 1000x10
     pytorch-predictions-1000.u8     argmax per image, 1 byte each
     netforge-parameters.f32         weights in NetForge/Keras layout (HWIO kernels,
                                     dense rows in H,W,C order), float32 LE, 225,034 floats
     golden-input.f32                image 0 scaled to [0,1], 784 floats
     golden-output.f32               its 10 probabilities
     metadata.json                   accuracies, seed, versions, checks, file descriptions
   and checks the converted weights with an independent numpy NHWC forward pass
   (max abs difference to PyTorch must be < 1e-5).

How to run (from the repository root)
-------------------------------------
    apt-get install python3-torch python3-onnx dataset-fashion-mnist
    /usr/bin/python3 samples/training/train_fashion_mnist.py

Use Debian's /usr/bin/python3 (where python3-torch is installed), not another
python3 that may be first on PATH.  ``python3-onnx`` is optional: it is only
used to check the exported graph.

CI does NOT run this script; its outputs are committed.  Runtime (CPU only,
torch.set_num_threads(2)): about 6 minutes on 2 idle cores (60-80 s per
epoch); 13 minutes were measured while other builds shared the two cores.
samples/training/verify_fashion_outputs.py re-checks the outputs in seconds.
"""

import gzip
import hashlib
import json
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn

SEED = 20240607
EPOCHS = 5
BATCH_SIZE = 64
LEARNING_RATE = 1e-3
SLICE = 1000
OPSET = 13

DATA_DIR = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(REPO_ROOT, "samples", "src", "main", "resources",
                       "dev", "netforge", "samples", "fashion")

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


# --------------------------------------------------------------------------- data

def read_idx(path):
    """Read a gzipped idx file (big-endian header) into a uint8 numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if (magic >> 8) != 0x08:  # 0x08 = unsigned byte
        raise ValueError("%s: unexpected idx type in magic 0x%08x" % (path, magic))
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims).copy()


def load(kind):
    images = read_idx(os.path.join(DATA_DIR, "%s-images-idx3-ubyte.gz" % kind))
    labels = read_idx(os.path.join(DATA_DIR, "%s-labels-idx1-ubyte.gz" % kind))
    assert images.shape[1:] == (28, 28) and images.shape[0] == labels.shape[0]
    return images, labels


def to_input(images_u8):
    """uint8 (N,28,28) -> float32 (N,1,28,28) in [0,1]: pixel / 255.0."""
    return torch.from_numpy(images_u8.astype(np.float32) / np.float32(255.0)).unsqueeze(1)


# -------------------------------------------------------------------------- model

def build_model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3),      # 0
        nn.ReLU(),                # 1
        nn.MaxPool2d(2),          # 2
        nn.Conv2d(32, 64, 3),     # 3
        nn.ReLU(),                # 4
        nn.MaxPool2d(2),          # 5
        nn.Flatten(),             # 6
        nn.Linear(1600, 128),     # 7
        nn.ReLU(),                # 8
        nn.Linear(128, 10),       # 9
    )


# -------------------------------------------------------- NetForge layout + numpy

def to_netforge_layout(model):
    """Convert PyTorch parameters (OIHW, (out,in) dense, C,H,W flatten) to
    NetForge/Keras layout (HWIO, (in,out) dense, H,W,C flatten)."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    conv1_k = sd["0.weight"].transpose(2, 3, 1, 0)              # (3,3,1,32)
    conv1_b = sd["0.bias"]                                       # (32,)
    conv2_k = sd["3.weight"].transpose(2, 3, 1, 0)              # (3,3,32,64)
    conv2_b = sd["3.bias"]                                       # (64,)
    w1 = sd["7.weight"]                                          # (128,1600), cols in C,H,W order
    dense1_k = w1.reshape(128, 64, 5, 5).transpose(2, 3, 1, 0).reshape(1600, 128)  # rows H,W,C
    dense1_b = sd["7.bias"]                                      # (128,)
    dense2_k = sd["9.weight"].T                                  # (128,10)
    dense2_b = sd["9.bias"]                                      # (10,)
    parts = [
        ("conv1.kernel", conv1_k), ("conv1.bias", conv1_b),
        ("conv2.kernel", conv2_k), ("conv2.bias", conv2_b),
        ("dense1.kernel", dense1_k), ("dense1.bias", dense1_b),
        ("dense2.kernel", dense2_k), ("dense2.bias", dense2_b),
    ]
    return [(name, np.ascontiguousarray(a, dtype=np.float32)) for name, a in parts]


def np_conv2d_valid_nhwc(x, k, b):
    """x (H,W,C), k (KH,KW,C,F) HWIO, stride 1, no padding (cross-correlation)."""
    kh, kw, c, f = k.shape
    oh, ow = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    cols = np.empty((oh, ow, kh, kw, c), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j, :] = x[i:i + oh, j:j + ow, :]
    return cols.reshape(oh * ow, kh * kw * c).dot(k.reshape(kh * kw * c, f)).reshape(oh, ow, f) + b


def np_maxpool2_nhwc(x):
    h, w, c = x.shape
    h2, w2 = h // 2, w // 2  # floor, like PyTorch/Keras 'valid'
    x = x[:h2 * 2, :w2 * 2, :].reshape(h2, 2, w2, 2, c)
    return x.max(axis=(1, 3))


def np_forward_nhwc(x_hwc, params):
    p = dict(params)
    x = np.maximum(np_conv2d_valid_nhwc(x_hwc, p["conv1.kernel"], p["conv1.bias"]), 0)
    x = np_maxpool2_nhwc(x)
    x = np.maximum(np_conv2d_valid_nhwc(x, p["conv2.kernel"], p["conv2.bias"]), 0)
    x = np_maxpool2_nhwc(x)                         # (5,5,64)
    x = x.reshape(1600)                             # H,W,C order
    x = np.maximum(x.dot(p["dense1.kernel"]) + p["dense1.bias"], 0)
    z = x.dot(p["dense2.kernel"]) + p["dense2.bias"]
    z = z - z.max()
    e = np.exp(z)
    return e / e.sum()


# --------------------------------------------------------------------------- main

def write_raw(name, array, dtype):
    path = os.path.join(OUT_DIR, name)
    a = np.ascontiguousarray(array).astype(dtype, copy=False)
    with open(path, "wb") as f:
        f.write(a.tobytes(order="C"))
    return path


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    t_start = time.time()
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.set_num_threads(2)
    os.makedirs(OUT_DIR, exist_ok=True)

    train_x_u8, train_y = load("train")
    test_x_u8, test_y = load("t10k")
    print("train %s, test %s" % (train_x_u8.shape, test_x_u8.shape))
    train_x = to_input(train_x_u8)
    train_t = torch.from_numpy(train_y.astype(np.int64))
    test_x = to_input(test_x_u8)

    model = build_model()
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)
    n = train_x.shape[0]
    epoch_log = []

    for epoch in range(1, EPOCHS + 1):
        model.train()
        t0 = time.time()
        perm = torch.randperm(n, generator=gen)
        total_loss, correct = 0.0, 0
        for s in range(0, n, BATCH_SIZE):
            idx = perm[s:s + BATCH_SIZE]
            xb, yb = train_x[idx], train_t[idx]
            opt.zero_grad()
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            total_loss += loss.item() * xb.shape[0]
            correct += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            test_pred = torch.cat([model(test_x[i:i + 1000]).argmax(1)
                                   for i in range(0, test_x.shape[0], 1000)]).numpy()
        test_acc = float((test_pred == test_y).mean())
        rec = {"epoch": epoch, "train_loss": total_loss / n, "train_accuracy": correct / n,
               "test_accuracy": test_acc, "seconds": round(time.time() - t0, 1)}
        epoch_log.append(rec)
        print("epoch %d  loss %.4f  train acc %.4f  test acc %.4f  (%.1fs)" % (
            epoch, rec["train_loss"], rec["train_accuracy"], test_acc, rec["seconds"]))
    train_seconds = time.time() - t_start

    # Exported model = trained layers + softmax.
    export_model = nn.Sequential(*list(model.children()), nn.Softmax(dim=1))
    export_model.eval()

    # Full test set accuracy.
    with torch.no_grad():
        full_pred = torch.cat([export_model(test_x[i:i + 1000]).argmax(1)
                               for i in range(0, test_x.shape[0], 1000)]).numpy()
    full_acc = float((full_pred == test_y).mean())

    # First SLICE test images, batch size 1, eval mode, float32.
    slice_u8 = test_x_u8[:SLICE]
    slice_y = test_y[:SLICE]
    probs = np.empty((SLICE, 10), dtype=np.float32)
    with torch.no_grad():
        for i in range(SLICE):
            probs[i] = export_model(test_x[i:i + 1]).numpy()[0]
    preds = probs.argmax(1).astype(np.uint8)
    slice_acc = float((preds == slice_y).mean())
    print("accuracy: first %d test images %.4f, full test set %.4f" % (SLICE, slice_acc, full_acc))

    write_raw("test-images-1000.u8", slice_u8.reshape(SLICE, 784), np.uint8)
    write_raw("test-labels-1000.u8", slice_y, np.uint8)
    write_raw("pytorch-probabilities-1000.f32", probs, "<f4")
    write_raw("pytorch-predictions-1000.u8", preds, np.uint8)

    # NetForge-layout parameters + independent numpy check.
    params = to_netforge_layout(model)
    flat = np.concatenate([a.ravel() for _, a in params]).astype("<f4")
    assert flat.size == 225034, flat.size
    write_raw("netforge-parameters.f32", flat, "<f4")
    reread = np.fromfile(os.path.join(OUT_DIR, "netforge-parameters.f32"), dtype="<f4")
    offs, re_params = 0, []
    for name, a in params:
        re_params.append((name, reread[offs:offs + a.size].reshape(a.shape)))
        offs += a.size
    n_check = 20
    max_diff = 0.0
    np_agree = 0
    for i in range(n_check):
        x_hwc = (slice_u8[i].astype(np.float32) / np.float32(255.0)).reshape(28, 28, 1)
        p = np_forward_nhwc(x_hwc, re_params)
        max_diff = max(max_diff, float(np.abs(p - probs[i]).max()))
        np_agree += int(p.argmax() == preds[i])
    print("numpy NHWC (NetForge layout) vs PyTorch, %d images: max abs diff %.3e, argmax agree %d/%d"
          % (n_check, max_diff, np_agree, n_check))
    if not (max_diff < 1e-5 and np_agree == n_check):
        sys.exit("FAILED: converted parameters do not reproduce PyTorch's output")

    # Golden single example.
    golden_in = slice_u8[0].astype(np.float32) / np.float32(255.0)
    write_raw("golden-input.f32", golden_in.reshape(784), "<f4")
    write_raw("golden-output.f32", probs[0], "<f4")

    # ONNX export.
    onnx_path = os.path.join(OUT_DIR, "fashion_mnist.onnx")
    torch.onnx.export(export_model, test_x[0:1], onnx_path,
                      export_params=True, opset_version=OPSET, do_constant_folding=True,
                      input_names=["input"], output_names=["probabilities"])
    onnx_size = os.path.getsize(onnx_path)
    print("ONNX: %s, %d bytes" % (onnx_path, onnx_size))
    if onnx_size >= 1024 * 1024:
        sys.exit("FAILED: ONNX file is 1 MiB or larger")
    onnx_info = {"opset": OPSET, "bytes": onnx_size}
    try:
        import onnx
        from onnx import numpy_helper
        m = onnx.load(onnx_path)
        onnx.checker.check_model(m)
        onnx_info["node_op_types"] = [node.op_type for node in m.graph.node]
        onnx_info["initializers"] = {t.name: list(t.dims) for t in m.graph.initializer}
        onnx_info["opset_imports"] = {o.domain or "ai.onnx": o.version for o in m.opset_import}
        # Every trained tensor must be embedded bit-exactly.
        inits = [numpy_helper.to_array(t) for t in m.graph.initializer]
        for k, v in model.state_dict().items():
            v = v.numpy()
            assert any(a.shape == v.shape and np.array_equal(a, v) for a in inits), k
        print("ONNX nodes: %s" % onnx_info["node_op_types"])
    except ImportError:
        onnx_info["node_op_types"] = "onnx python module not installed: not inspected"

    files = {
        "fashion_mnist.onnx": "PyTorch model incl. final Softmax(dim=1); input 'input' float32 "
                              "(1,1,28,28) NCHW in [0,1]; output 'probabilities' (1,10); opset 13; "
                              "weights embedded",
        "test-images-1000.u8": "first 1000 Fashion-MNIST test images, raw uint8, 784 bytes each, row-major",
        "test-labels-1000.u8": "their 1000 labels (0-9), one byte each",
        "pytorch-probabilities-1000.f32": "PyTorch softmax output for those images (eval mode, batch 1, "
                                          "float32), little-endian float32, 1000 x 10 row-major",
        "pytorch-predictions-1000.u8": "argmax of each row of pytorch-probabilities-1000.f32, one byte each",
        "netforge-parameters.f32": "trained weights in NetForge/Keras layout, little-endian float32, "
                                   "concatenated: conv1 kernel (3,3,1,32) HWIO, conv1 bias (32), conv2 "
                                   "kernel (3,3,32,64) HWIO, conv2 bias (64), dense1 kernel (1600,128) "
                                   "with rows in H,W,C order of the 5x5x64 tensor, dense1 bias (128), "
                                   "dense2 kernel (128,10), dense2 bias (10); 225034 floats",
        "golden-input.f32": "test image 0 scaled to [0,1] (pixel/255), 784 little-endian float32; "
                            "same order for NCHW 1x1x28x28 and NHWC 1x28x28x1",
        "golden-output.f32": "PyTorch probabilities for golden-input.f32, 10 little-endian float32",
        "metadata.json": "this file",
        "LICENSE-fashion-mnist.txt": "Fashion-MNIST copyright and MIT (Expat) licence",
    }
    sizes = {}
    for name in files:
        path = os.path.join(OUT_DIR, name)
        if name not in ("metadata.json",) and os.path.exists(path):
            sizes[name] = {"bytes": os.path.getsize(path), "sha256": sha256(path)}

    metadata = {
        "model": "MnistNet",
        "dataset": "Fashion-MNIST (Debian package dataset-fashion-mnist)",
        "architecture": "Conv2d(1,32,3) ReLU MaxPool2d(2) Conv2d(32,64,3) ReLU MaxPool2d(2) Flatten "
                        "Linear(1600,128) ReLU Linear(128,10) Softmax(dim=1)",
        "input_scaling": "pixel / 255.0 as float32, no mean/std normalisation",
        "class_names": CLASS_NAMES,
        "accuracy_first_1000": slice_acc,
        "accuracy_full_test_10000": full_acc,
        "epochs": EPOCHS,
        "batch_size": BATCH_SIZE,
        "optimizer": "Adam",
        "learning_rate": LEARNING_RATE,
        "seed": SEED,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "torch_threads": torch.get_num_threads(),
        "training_seconds": round(train_seconds, 1),
        "epoch_log": epoch_log,
        "parameter_count": int(flat.size),
        "parameter_layout": [{"name": nm, "shape": list(a.shape)} for nm, a in params],
        "numpy_vs_torch_max_abs_diff": max_diff,
        "numpy_vs_torch_images_checked": n_check,
        "onnx": onnx_info,
        "files": {k: dict(description=v, **sizes.get(k, {})) for k, v in files.items()},
    }
    with open(os.path.join(OUT_DIR, "metadata.json"), "w") as f:
        json.dump(metadata, f, indent=2)
        f.write("\n")
    print("total %.1fs; outputs in %s" % (time.time() - t_start, OUT_DIR))


if __name__ == "__main__":
    main()
