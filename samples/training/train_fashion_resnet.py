#!/usr/bin/python3
"""Train a small ResNet (ResNet-8: a stem and three basic blocks) on Fashion-MNIST with PyTorch
and export what the Java sample FashionResNet and its test need.

What it does
------------
1. Reads Fashion-MNIST from the Debian package ``dataset-fashion-mnist``
   (``/usr/share/datasets/fashion-mnist/*.gz``, idx format), exactly as
   train_fashion_mnist.py does (same input scaling: pixel / 255.0, no normalisation).
2. Trains, with fixed seeds and deterministic algorithms, the network

       conv1 3x3 16 (padding 1) + bn1 + ReLU                              28x28x16
       layer1.0: BasicBlock 16 -> 16, stride 1, identity shortcut         28x28x16
       layer2.0: BasicBlock 16 -> 32, stride 2, 1x1 projection + BN       14x14x32
       layer3.0: BasicBlock 32 -> 64, stride 2, 1x1 projection + BN        7x7x64
       global average pool, fc Linear(64, 10)                  (+ Softmax(dim=1) on export)

   (torchvision's BasicBlock: conv3x3 BN ReLU conv3x3 BN, + shortcut, ReLU; convolutions
   without bias, padding 1) with CrossEntropy on the logits, Adam, a one-cycle learning rate
   schedule, batch BATCH_SIZE, EPOCHS epochs.
3. Writes into samples/src/main/resources/dev/netforge/samples/fashion/:
     fashion_resnet.onnx               eval-mode export incl. softmax (BatchNorm folded into the
                                       convolutions by the exporter), input "input" (1,1,28,28),
                                       output "probabilities" (1,10), opset 13
     resnet-golden-input.f32           test image 0 scaled to [0,1], 784 floats
     resnet-golden-output.f32          PyTorch's 10 probabilities for it
     resnet-metadata.json              accuracies, seed, versions, checks, per-epoch log
   and into samples/src/test/resources/dev/netforge/samples/fashion/:
     resnet-pytorch-probabilities-1000.f32  PyTorch softmax output (eval, batch 1, float32 LE),
                                            1000 x 10, for the 1,000 shipped test images
     resnet-pytorch-predictions-1000.u8     argmax per image
   The 1,000 test images and labels (test-images-1000.u8, test-labels-1000.u8) are the ones
   train_fashion_mnist.py wrote; this script reads them back and checks they are the first 1,000
   of the test set.
4. Checks the ONNX file independently: a numpy forward pass (float64, NCHW) over its initializers
   and nodes must reproduce PyTorch's probabilities on all 1,000 images within 1e-5.

How to run (from the repository root)
-------------------------------------
    apt-get install python3-torch python3-onnx dataset-fashion-mnist
    /usr/bin/python3 samples/training/train_fashion_resnet.py

CI does NOT run this script; its outputs are committed.
samples/training/verify_fashion_resnet.py re-checks the outputs in seconds.
"""

import os

# Threads that sleep instead of spinning while they wait: with the two cores shared with other
# work, spinning OpenMP threads made an epoch several times slower. No effect on the numbers.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gzip  # noqa: E402
import hashlib
import json
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn

SEED = 20240607
EPOCHS = 8
BATCH_SIZE = 128
MAX_LEARNING_RATE = 3e-3
WEIGHT_DECAY = 1e-4
SLICE = 1000
OPSET = 13

DATA_DIR = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(REPO_ROOT, "samples", "src", "main", "resources",
                       "dev", "netforge", "samples", "fashion")
TEST_OUT_DIR = os.path.join(REPO_ROOT, "samples", "src", "test", "resources",
                            "dev", "netforge", "samples", "fashion")
ONNX_NAME = "fashion_resnet.onnx"

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

def conv3x3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: conv3x3 BN ReLU conv3x3 BN, + (identity | 1x1 conv + BN), ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = conv3x3(cin, cout, stride)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = conv3x3(cout, cout)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class FashionResNet(nn.Module):
    def __init__(self, softmax=False):
        super().__init__()
        self.conv1 = conv3x3(1, 16)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.layer1 = nn.Sequential(BasicBlock(16, 16, 1))
        self.layer2 = nn.Sequential(BasicBlock(16, 32, 2))
        self.layer3 = nn.Sequential(BasicBlock(32, 64, 2))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, 10)
        self.softmax = softmax

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = torch.flatten(self.avgpool(x), 1)
        x = self.fc(x)
        return torch.softmax(x, dim=1) if self.softmax else x


# ---------------------------------------------------------- numpy ONNX evaluator

def onnx_forward_numpy(model_proto, x_nchw):
    """Evaluate the exported graph in float64 with numpy: only the operators this model's
    export contains (Conv, Relu, Add, GlobalAveragePool, Flatten, Gemm, Softmax, Identity)."""
    from onnx import numpy_helper, helper
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model_proto.graph.initializer}
    env[model_proto.graph.input[0].name] = x_nchw.astype(np.float64)
    for node in model_proto.graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        ins = [env[i] for i in node.input if i]
        op = node.op_type
        if op == "Conv":
            x, w = ins[0], ins[1]
            b = ins[2] if len(ins) > 2 else np.zeros(w.shape[0])
            assert attrs.get("group", 1) == 1 and list(attrs.get("dilations", [1, 1])) == [1, 1]
            sh, sw = attrs.get("strides", [1, 1])
            pt, pl, pb, pr = attrs.get("pads", [0, 0, 0, 0])
            x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
            n, c, h, wd = x.shape
            f, _, kh, kw = w.shape
            oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
            out = np.zeros((n, f, oh, ow))
            for i in range(kh):
                for j in range(kw):
                    patch = x[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
                    out += np.einsum("fc,nchw->nfhw", w[:, :, i, j], patch)
            y = out + b[None, :, None, None]
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "GlobalAveragePool":
            y = ins[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Flatten":
            assert attrs.get("axis", 1) == 1
            y = ins[0].reshape(ins[0].shape[0], -1)
        elif op == "Gemm":
            a, b = ins[0], ins[1]
            assert attrs.get("transB", 0) == 1 and attrs.get("transA", 0) == 0
            y = attrs.get("alpha", 1.0) * a.dot(b.T) + attrs.get("beta", 1.0) * ins[2]
        elif op == "Softmax":
            z = ins[0] - ins[0].max(axis=1, keepdims=True)
            e = np.exp(z)
            y = e / e.sum(axis=1, keepdims=True)
        elif op == "Identity":
            y = ins[0]
        else:
            raise ValueError("numpy evaluator: unexpected operator " + op)
        env[node.output[0]] = y
    return env[model_proto.graph.output[0].name]


# --------------------------------------------------------------------------- main

def write_raw(directory, name, array, dtype):
    path = os.path.join(directory, name)
    a = np.ascontiguousarray(array).astype(dtype, copy=False)
    with open(path, "wb") as f:
        f.write(a.tobytes(order="C"))
    return path


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def evaluate(model, x, batch=1000):
    with torch.no_grad():
        return torch.cat([model(x[i:i + batch]).argmax(1) for i in range(0, x.shape[0], batch)]).numpy()


def main():
    t_start = time.time()
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.set_num_threads(2)
    os.makedirs(OUT_DIR, exist_ok=True)
    os.makedirs(TEST_OUT_DIR, exist_ok=True)

    train_x_u8, train_y = load("train")
    test_x_u8, test_y = load("t10k")
    print("train %s, test %s" % (train_x_u8.shape, test_x_u8.shape))
    shipped = np.fromfile(os.path.join(OUT_DIR, "test-images-1000.u8"), np.uint8).reshape(SLICE, 28, 28)
    shipped_labels = np.fromfile(os.path.join(OUT_DIR, "test-labels-1000.u8"), np.uint8)
    if not (np.array_equal(shipped, test_x_u8[:SLICE]) and np.array_equal(shipped_labels, test_y[:SLICE])):
        sys.exit("FAILED: test-images-1000.u8 / test-labels-1000.u8 are not the first 1000 test images")
    train_x = to_input(train_x_u8)
    train_t = torch.from_numpy(train_y.astype(np.int64))
    test_x = to_input(test_x_u8)

    model = FashionResNet()
    n_params = sum(p.numel() for p in model.parameters())
    print("parameters: %d" % n_params)
    opt = torch.optim.Adam(model.parameters(), lr=MAX_LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    n = train_x.shape[0]
    steps_per_epoch = (n + BATCH_SIZE - 1) // BATCH_SIZE
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=MAX_LEARNING_RATE, epochs=EPOCHS,
                                                steps_per_epoch=steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)
    epoch_log = []
    max_steps = int(os.environ.get("RESNET_MAX_STEPS", "0"))  # > 0: a timing trial, no outputs

    for epoch in range(1, EPOCHS + 1):
        model.train()
        t0 = time.time()
        perm = torch.randperm(n, generator=gen)
        total_loss, correct, seen = 0.0, 0, 0
        for step, s in enumerate(range(0, n, BATCH_SIZE)):
            if max_steps and step >= max_steps:
                print("%d steps in %.1fs" % (step, time.time() - t0))
                return
            idx = perm[s:s + BATCH_SIZE]
            xb, yb = train_x[idx], train_t[idx]
            opt.zero_grad()
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * xb.shape[0]
            correct += (logits.argmax(1) == yb).sum().item()
            seen += xb.shape[0]
        model.eval()
        test_acc = float((evaluate(model, test_x) == test_y).mean())
        rec = {"epoch": epoch, "train_loss": total_loss / seen, "train_accuracy": correct / seen,
               "test_accuracy": test_acc, "seconds": round(time.time() - t0, 1)}
        epoch_log.append(rec)
        print("epoch %d  loss %.4f  train acc %.4f  test acc %.4f  (%.1fs)" % (
            epoch, rec["train_loss"], rec["train_accuracy"], test_acc, rec["seconds"]), flush=True)
    train_seconds = time.time() - t_start

    # Exported model = the trained model + softmax, eval mode (BatchNorm uses its running statistics).
    model.softmax = True
    model.eval()
    full_acc = float((evaluate(model, test_x) == test_y).mean())

    # The 1,000 shipped test images, batch size 1, eval mode, float32.
    probs = np.empty((SLICE, 10), dtype=np.float32)
    with torch.no_grad():
        for i in range(SLICE):
            probs[i] = model(test_x[i:i + 1]).numpy()[0]
    preds = probs.argmax(1).astype(np.uint8)
    slice_acc = float((preds == test_y[:SLICE]).mean())
    print("accuracy: first %d test images %.4f, full test set %.4f" % (SLICE, slice_acc, full_acc))
    top2 = np.sort(probs, axis=1)[:, -2:]
    margins = top2[:, 1] - top2[:, 0]
    closest = int(margins.argmin())

    write_raw(TEST_OUT_DIR, "resnet-pytorch-probabilities-1000.f32", probs, "<f4")
    write_raw(TEST_OUT_DIR, "resnet-pytorch-predictions-1000.u8", preds, np.uint8)
    write_raw(OUT_DIR, "resnet-golden-input.f32", test_x[0].numpy().reshape(784), "<f4")
    write_raw(OUT_DIR, "resnet-golden-output.f32", probs[0], "<f4")

    # ONNX export (eval mode: the exporter folds each BatchNorm into the Conv before it).
    onnx_path = os.path.join(OUT_DIR, ONNX_NAME)
    torch.onnx.export(model, test_x[0:1], onnx_path,
                      export_params=True, opset_version=OPSET, do_constant_folding=True,
                      input_names=["input"], output_names=["probabilities"])
    onnx_size = os.path.getsize(onnx_path)
    print("ONNX: %s, %d bytes" % (onnx_path, onnx_size))
    onnx_info = {"opset": OPSET, "bytes": onnx_size}
    import onnx
    m = onnx.load(onnx_path)
    onnx.checker.check_model(m)
    onnx_info["node_op_types"] = [node.op_type for node in m.graph.node]
    onnx_info["nodes"] = [node.name for node in m.graph.node]
    onnx_info["initializers"] = {t.name: list(t.dims) for t in m.graph.initializer}
    onnx_info["opset_imports"] = {o.domain or "ai.onnx": o.version for o in m.opset_import}
    print("ONNX nodes: %s" % " ".join(onnx_info["node_op_types"]))
    x_slice = test_x[:SLICE].numpy()
    onnx_probs = np.concatenate([onnx_forward_numpy(m, x_slice[i:i + 100]) for i in range(0, SLICE, 100)])
    onnx_diff = float(np.abs(onnx_probs - probs).max())
    onnx_agree = int((onnx_probs.argmax(1) == preds).sum())
    print("ONNX file, numpy float64 NCHW vs PyTorch, %d images: max abs diff %.3e, argmax agree %d/%d"
          % (SLICE, onnx_diff, onnx_agree, SLICE))
    if not (onnx_diff < 1e-5 and onnx_agree == SLICE):
        sys.exit("FAILED: the ONNX file does not reproduce PyTorch's output")

    files = {
        ONNX_NAME: "eval-mode torch.onnx.export of the model incl. final Softmax(dim=1), BatchNorm folded "
                   "into the convolutions; input 'input' float32 (1,1,28,28) NCHW in [0,1]; output "
                   "'probabilities' (1,10); opset 13; weights embedded",
        "resnet-golden-input.f32": "test image 0 scaled to [0,1] (pixel/255), 784 little-endian float32",
        "resnet-golden-output.f32": "PyTorch probabilities for resnet-golden-input.f32, 10 little-endian float32",
        "resnet-metadata.json": "this file",
        "../../../../../../test/resources/dev/netforge/samples/fashion/resnet-pytorch-probabilities-1000.f32":
            "PyTorch softmax output for test-images-1000.u8 (eval mode, batch 1, float32), "
            "little-endian float32, 1000 x 10 row-major",
        "../../../../../../test/resources/dev/netforge/samples/fashion/resnet-pytorch-predictions-1000.u8":
            "argmax of each row of resnet-pytorch-probabilities-1000.f32, one byte each",
    }
    sizes = {}
    for name in files:
        path = os.path.normpath(os.path.join(OUT_DIR, name))
        if name != "resnet-metadata.json" and os.path.exists(path):
            sizes[name] = {"bytes": os.path.getsize(path), "sha256": sha256(path)}

    metadata = {
        "model": "FashionResNet (ResNet-8: stem + three basic blocks)",
        "dataset": "Fashion-MNIST (Debian package dataset-fashion-mnist)",
        "architecture": "conv1 Conv2d(1,16,3,p1) BN ReLU; layer1.0 BasicBlock(16,16,stride 1, identity); "
                        "layer2.0 BasicBlock(16,32,stride 2, 1x1 projection+BN); layer3.0 BasicBlock(32,64,"
                        "stride 2, 1x1 projection+BN); AdaptiveAvgPool2d(1) Flatten Linear(64,10) Softmax(dim=1)",
        "input_scaling": "pixel / 255.0 as float32, no mean/std normalisation",
        "class_names": CLASS_NAMES,
        "accuracy_first_1000": slice_acc,
        "accuracy_full_test_10000": full_acc,
        "correct_first_1000": int((preds == test_y[:SLICE]).sum()),
        "closest_call_first_1000": {"image": closest, "top2_margin": float(margins[closest])},
        "epochs": EPOCHS,
        "batch_size": BATCH_SIZE,
        "optimizer": "Adam, weight_decay %g, OneCycleLR max_lr %g" % (WEIGHT_DECAY, MAX_LEARNING_RATE),
        "seed": SEED,
        "torch_version": torch.__version__,
        "onnx_version": onnx.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "torch_threads": torch.get_num_threads(),
        "training_seconds": round(train_seconds, 1),
        "epoch_log": epoch_log,
        "parameter_count_pytorch": int(n_params),
        "onnx_numpy_vs_torch_max_abs_diff": onnx_diff,
        "onnx": onnx_info,
        "files": {k.split("/")[-1]: dict(description=v, **sizes.get(k, {})) for k, v in files.items()},
    }
    with open(os.path.join(OUT_DIR, "resnet-metadata.json"), "w") as f:
        json.dump(metadata, f, indent=2)
        f.write("\n")
    print("total %.1fs; outputs in %s and %s" % (time.time() - t_start, OUT_DIR, TEST_OUT_DIR))


if __name__ == "__main__":
    main()
