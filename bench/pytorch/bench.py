#!/usr/bin/env python3
"""The PyTorch side of `shendu bench`: the same workloads, printed in the same format.

  python3 bench/pytorch/bench.py train --model lenet5 --epochs 3 --batch 64 --threads 2
  python3 bench/pytorch/bench.py infer --model lenet5 --batch 256 --threads 2

Data: Fashion-MNIST from /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), in memory as
float32 in [0, 1]; no DataLoader workers. Models: mlp 784-256-128-10, lenet5, bncnn; Adam 1e-3; a warm-up of
20 batches is not counted. Needs Debian's python3-torch.
"""
import argparse
import gzip
import statistics
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = struct.unpack(">I", raw[:4])[0]
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split, data_dir):
    prefix = "train" if split == "train" else "t10k"
    x = idx(f"{data_dir}/{prefix}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = idx(f"{data_dir}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def model(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "lenet5":
        return LeNet5()
    if name == "bncnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))
    raise SystemExit(f"unknown model {name}")


def accuracy(net, x, y):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 256):
            correct += (net(x[i:i + 256]).argmax(1) == y[i:i + 256]).sum().item()
    return correct / len(x)


def train(args):
    x, y = load("train", args.data_dir)
    tx, ty = load("test", args.data_dir)
    net = model(args.model)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(args.seed)
    n = len(x) // args.batch * args.batch

    def step(xb, yb):
        opt.zero_grad()
        loss = F.cross_entropy(net(xb), yb)
        loss.backward()
        opt.step()

    net.train()
    perm = torch.randperm(len(x), generator=g)
    for b in range(20):
        idx_b = perm[b * args.batch:(b + 1) * args.batch]
        step(x[idx_b], y[idx_b])
    seconds, rates, acc = [], [], float("nan")
    for e in range(args.epochs):
        net.train()
        perm = torch.randperm(len(x), generator=g)
        t0 = time.perf_counter()
        for i in range(0, n, args.batch):
            idx_b = perm[i:i + args.batch]
            step(x[idx_b], y[idx_b])
        s = time.perf_counter() - t0
        seconds.append(s)
        rates.append(n / s)
        acc = accuracy(net, tx, ty)
        print(f"epoch {e + 1}: {s:.2f} s, {n / s:.0f} img/s, test_acc={acc:.4f}", flush=True)
    print(f"bench train model={args.model} threads={args.threads} batch={args.batch} epochs={args.epochs} "
          f"epoch_s={statistics.median(seconds):.3f} img_per_s={statistics.median(rates):.0f} test_acc={acc:.4f}")


def infer(args):
    tx, _ = load("test", args.data_dir)
    net = model(args.model)
    net.eval()
    rates = []
    with torch.no_grad():
        for p in range(4):
            t0 = time.perf_counter()
            for i in range(0, len(tx), args.batch):
                net(tx[i:i + args.batch])
            if p > 0:
                rates.append(len(tx) / (time.perf_counter() - t0))
    print(f"bench infer model={args.model} threads={args.threads} batch={args.batch} img_per_s={statistics.median(rates):.0f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["train", "infer"])
    ap.add_argument("--model", default="lenet5")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data-dir", default=DATA)
    args = ap.parse_args()
    if args.batch is None:
        args.batch = 64 if args.mode == "train" else 256
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    (train if args.mode == "train" else infer)(args)


if __name__ == "__main__":
    main()
