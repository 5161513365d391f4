#!/usr/bin/env python3
"""Claim 1's nightly protocol in Python eager PyTorch: the reference the ensemble executor is
measured against (issue 11). Same runs as `claimcheck run geglu-vs-relu-mnist --profile nightly`
(read from a run store, so the arms, batch sizes, learning rates and init seeds are exactly the
plan's), same models (bias-free FFN_ReLU / FFN_GeGLU, x @ W, exact GELU), same init (a generator
seeded with the run's init_seed, torch.randn(rows, cols) * 0.02 in the constructor's order: the
very same initial weights), same optimizer (torch.optim.Adam, defaults), same data (MNIST IDX,
pixels / 255, one epoch, last partial batch kept, per-step divergence check), evaluation on the
whole test set. The data order comes from torch.randperm (not claimcheck's Fisher-Yates), so the
numbers agree statistically, not bit for bit. Runs go to `--workers` processes with one intra-op
thread each (claimcheck's executor before ensembles did the same with threads).

The venv's torch (2.13, the LibTorch the C++ build links; ci/setup.sh makes .venv/):
  .venv/bin/python bench/claim1_protocol.py --runs STORE_DIR/geglu-vs-relu-mnist.jsonl
(STORE_DIR: a store holding the nightly runs, e.g. from `claimcheck run geglu-vs-relu-mnist
--profile nightly --store STORE_DIR`)
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def load_mnist(directory):
    def images(name):
        return read_idx(os.path.join(directory, name)).reshape(-1, 784).float() / 255.0

    def labels(name):
        return read_idx(os.path.join(directory, name)).long()

    return (images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


class FfnRelu(torch.nn.Module):
    def __init__(self, hidden, gen):
        super().__init__()
        self.w_in = torch.nn.Parameter(torch.randn(784, hidden, generator=gen) * 0.02)
        self.w_out = torch.nn.Parameter(torch.randn(hidden, 10, generator=gen) * 0.02)

    def forward(self, x):
        return torch.relu(x @ self.w_in) @ self.w_out


class FfnGeglu(torch.nn.Module):
    def __init__(self, hidden, gen):
        super().__init__()
        self.w_in = torch.nn.Parameter(torch.randn(784, hidden, generator=gen) * 0.02)
        self.w_gate = torch.nn.Parameter(torch.randn(784, hidden, generator=gen) * 0.02)
        self.w_out = torch.nn.Parameter(torch.randn(hidden, 10, generator=gen) * 0.02)

    def forward(self, x):
        return ((x @ self.w_in) * F.gelu(x @ self.w_gate)) @ self.w_out


DATA = None


def init_worker(directory):
    global DATA
    torch.set_num_threads(1)
    DATA = load_mnist(directory)


def train(config):
    train_x, train_y, test_x, test_y = DATA
    model_type = {"ffn-relu": FfnRelu, "ffn-geglu": FfnGeglu}[config["model"]["type"]]
    model = model_type(config["model"]["options"]["hidden"],
                       torch.Generator().manual_seed(config["init_seed"]))
    t = config["training"]
    optimizer = torch.optim.Adam(model.parameters(), lr=t["lr"])
    data_gen = torch.Generator().manual_seed(config["data_seed"])
    n, batch = train_x.shape[0], t["batch"]
    steps_per_epoch = (n + batch - 1) // batch
    diverged, steps, loss_value = False, 0, float("nan")
    for step in range(t["epochs"] * steps_per_epoch):
        start = (step % steps_per_epoch) * batch
        if start == 0:
            order = torch.randperm(n, generator=data_gen)
        idx = order[start:start + batch]
        loss = F.cross_entropy(model(train_x.index_select(0, idx)), train_y.index_select(0, idx))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        steps += 1
        loss_value = loss.item()
        if not math.isfinite(loss_value):
            diverged = True
            break
    with torch.no_grad():
        logits = model(test_x)
        accuracy = (logits.argmax(1) == test_y).double().mean().item()
    return {"model": config["model"]["type"], "hidden": config["model"]["options"]["hidden"],
            "batch": batch, "lr": t["lr"], "steps": steps, "diverged": diverged,
            "final_train_loss": loss_value, "test_accuracy": accuracy}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", required=True, help="a claimcheck run store (JSONL) of the protocol")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--data", default=os.path.join(
        os.environ.get("CLAIMCHECK_DATA", os.path.expanduser("~/.cache/claimcheck/data")), "mnist"))
    parser.add_argument("--out", help="write the per-run results here (JSONL)")
    args = parser.parse_args()
    configs, seen = [], set()
    with open(args.runs) as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                if record["key"] not in seen:
                    seen.add(record["key"])
                    configs.append(record["config"])
    # Longest runs first (batch 8 has 8x the steps), as the C++ executor schedules its groups.
    configs.sort(key=lambda c: -(60000 // c["training"]["batch"]) * (30 + c["training"]["batch"]))
    start = time.monotonic()
    ctx = mp.get_context("fork")
    with ctx.Pool(args.workers, initializer=init_worker, initargs=(args.data,)) as pool:
        results = list(pool.imap_unordered(train, configs, chunksize=1))
    wall = time.monotonic() - start
    if args.out:
        with open(args.out, "w") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")
    print(f"python eager: {len(results)} runs, {args.workers} processes x 1 thread, "
          f"wall {wall:.1f} s, diverged {sum(r['diverged'] for r in results)}")


if __name__ == "__main__":
    sys.exit(main())
