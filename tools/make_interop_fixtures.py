#!/usr/bin/python3
"""Writes the PyTorch reference files of the model-zoo tests.

Run from anywhere with Debian's PyTorch (apt-get install python3-torch python3-torchvision; torch 1.13,
torchvision 0.14.1):  /usr/bin/python3 tools/make_interop_fixtures.py

It writes, relative to the repository root:

shendu-cli/src/test/resources/interop/ (read by RunCommandTest)
  lenet5.safetensors          LeNet-5 (the model_params fixture's definition: conv1, conv2, fc1, fc2, fc3)
                              trained by PyTorch for one epoch on the first 12,000 Fashion-MNIST training images
                              (SGD with momentum, seed 0): real weights, 61,706 parameters, ~241 KB
  lenet5_input.safetensors    "input": the first 8 Fashion-MNIST test images, [8, 1, 28, 28] in [0, 1]
  lenet5_output.safetensors   "output": PyTorch's eval-mode logits for them, [8, 10]
  resnet18_input.safetensors  "input": [2, 3, 32, 32], x[i] = 2 u(i, 1000)
  resnet18_output.safetensors "output": eval-mode logits, [2, 10], of torchvision.models.resnet18(num_classes=10)
                              with the formula weights below (its 45 MB of weights are not stored)

shendu-models/src/test/resources/torchvision_more_models.json (read by ModelParamsFixtureTest)
  the model_params fixture's format for torchvision models the shared fixture leaves out.

Formula weights (RunCommandTest computes the same in Java, bit for bit). u(i, k) is a uniform number in
[-0.5, 0.5) from SplitMix64's finaliser, in unsigned 64-bit arithmetic modulo 2^64:
  z = (i + 1) * 0x9E3779B97F4A7C15 + k * 0xD1B54A32D192ED03
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB
  z = z ^ (z >> 31)
  u = (z >> 11) * 2^-53 - 0.5                      (exact in double precision)
For the k-th entry of the state dict, in state-dict order and counting buffers (k = 0, 1, ...), element i of
the flattened tensor is, computed in double precision and rounded to float32:
  name ends with "num_batches_tracked":  0 (int64)
  name ends with "running_var":          1 + 0.5 u
  rank >= 2 (conv and linear weights):   u * sqrt(24 / fan_in), fan_in = numel / shape[0]
  name ends with "weight" (rank 1):      1 + 0.2 u       (batch-norm scale)
  otherwise (biases, running_mean):      0.2 u
The rank >= 2 weights have He's standard deviation sqrt(2 / fan_in), so activations keep their scale through
the 18 layers. A hash and not a smooth formula such as sin(a i + b k): a sinusoid in i makes every weight
matrix w[o, j] = sin(a (o fan_in + j) + c) of rank 2, and the network then forgets its input by layer 4.

Safetensors files are written with the standard library (json, struct; numpy only converts the data): an
8-byte little-endian header length, the JSON header (padded with spaces to a multiple of 8), then the raw
little-endian data.
"""
import gzip
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INTEROP = os.path.join(ROOT, "shendu-cli", "src", "test", "resources", "interop")
MODELS_RESOURCES = os.path.join(ROOT, "shendu-models", "src", "test", "resources")
FASHION = "/usr/share/datasets/fashion-mnist"


def save_safetensors(path, tensors, metadata=None):
    """tensors: name -> torch tensor (float32 or int64), in file order."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype == torch.float32:
            dtype, data = "F32", t.numpy().astype("<f4").tobytes()
        elif t.dtype == torch.int64:
            dtype, data = "I64", t.numpy().astype("<i8").tobytes()
        else:
            raise ValueError(f"{name}: unsupported dtype {t.dtype}")
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


class LeNet5(nn.Module):
    """The model_params fixture's LeNet-5."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def read_idx(name):
    with gzip.open(os.path.join(FASHION, name), "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def lenet5_files():
    torch.manual_seed(0)
    images = read_idx("train-images-idx3-ubyte.gz")[:12000].float().div(255).unsqueeze(1)
    labels = read_idx("train-labels-idx1-ubyte.gz")[:12000].long()
    model = LeNet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for start in range(0, len(images), 64):
        opt.zero_grad()
        F.cross_entropy(model(images[start:start + 64]), labels[start:start + 64]).backward()
        opt.step()
    model.eval()
    x = read_idx("t10k-images-idx3-ubyte.gz")[:8].float().div(255).unsqueeze(1)
    with torch.no_grad():
        y = model(x)
    truth = read_idx("t10k-labels-idx1-ubyte.gz")[:8].tolist()
    print("lenet5: test predictions", y.argmax(1).tolist(), "labels", truth)
    save_safetensors(os.path.join(INTEROP, "lenet5.safetensors"), model.state_dict(),
                     {"source": "tools/make_interop_fixtures.py", "torch": torch.__version__})
    save_safetensors(os.path.join(INTEROP, "lenet5_input.safetensors"), {"input": x})
    save_safetensors(os.path.join(INTEROP, "lenet5_output.safetensors"), {"output": y})


def uniform(n, k):
    """u(i, k) for i = 0..n-1, as documented above."""
    with np.errstate(over="ignore"):
        z = (np.arange(n, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15) \
            + np.uint64(k) * np.uint64(0xD1B54A32D192ED03)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 - 0.5


def formula_tensor(name, shape, k, dtype):
    """The documented formula weights of state-dict entry k."""
    n = math.prod(shape)
    if name.endswith("num_batches_tracked"):
        return torch.zeros(shape, dtype=dtype)
    u = uniform(n, k)
    if name.endswith("running_var"):
        v = 1 + 0.5 * u
    elif len(shape) >= 2:
        v = u * math.sqrt(24 / (n // shape[0]))
    elif name.endswith("weight"):
        v = 1 + 0.2 * u
    else:
        v = 0.2 * u
    return torch.from_numpy(v.astype(np.float32)).reshape(shape)


def resnet18_files():
    model = torchvision.models.resnet18(weights=None, num_classes=10)
    state = model.state_dict()
    formula = {name: formula_tensor(name, list(t.shape), k, t.dtype) for k, (name, t) in enumerate(state.items())}
    model.load_state_dict(formula)
    model.eval()
    x = torch.from_numpy((2 * uniform(2 * 3 * 32 * 32, 1000)).astype(np.float32)).reshape(2, 3, 32, 32)
    with torch.no_grad():
        y = model(x)
    print("resnet18 formula weights: output", y.tolist())
    save_safetensors(os.path.join(INTEROP, "resnet18_input.safetensors"), {"input": x})
    save_safetensors(os.path.join(INTEROP, "resnet18_output.safetensors"), {"output": y})


def describe(name, args, input_shape):
    """An entry in the format of the model_params fixture."""
    model = getattr(torchvision.models, name)(weights=None, **args)
    params = list(model.named_parameters())
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(input_shape))
    return {
        "name": name, "args": args, "input_shape": input_shape,
        "builder": f"torchvision.models.{name}(weights=None, **args)",
        "output_shape": list(out.shape),
        "total_params": sum(p.numel() for _, p in params),
        "trainable_params": sum(p.numel() for _, p in params if p.requires_grad),
        "num_param_tensors": len(params),
        "param_tensors": [{"name": n, "shape": list(p.shape)} for n, p in params],
    }


def more_models_file():
    entries = [describe("vgg11_bn", {"num_classes": 1000}, [1, 3, 224, 224]),
               describe("vgg13", {"num_classes": 1000}, [1, 3, 224, 224]),
               describe("resnet101", {"num_classes": 1000}, [1, 3, 224, 224]),
               describe("resnet152", {"num_classes": 1000}, [1, 3, 224, 224])]
    doc = {"note": f"torchvision {torchvision.__version__} (torch {torch.__version__}) models that the shared "
                   "model_params fixture leaves out; written by tools/make_interop_fixtures.py",
           "models": entries}
    with open(os.path.join(MODELS_RESOURCES, "torchvision_more_models.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    for e in entries:
        print(f"{e['name']}: {e['total_params']:,} parameters in {e['num_param_tensors']} tensors")


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(INTEROP, exist_ok=True)
    os.makedirs(MODELS_RESOURCES, exist_ok=True)
    lenet5_files()
    resnet18_files()
    more_models_file()
