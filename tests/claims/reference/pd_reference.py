#!/usr/bin/env python3
"""Independent prediction differences from claimcheck's stored artifacts (numpy only).

Reads every predictions artifact of the given runs (store records + artifact files, the format
in harness/claims/artifacts.h), recomputes per arm the pairwise Delta_1 (total variation),
Delta_1^L (true label) and Delta_H (top-1 disagreement, first max wins) of Shamir et al. 2020
(arXiv 2010.09931) as plain loops over numpy arrays, and prints JSON:
  {arm: {"pairs": {measure: [upper triangle, row-major]}, "mean": {measure: mean}}}
Shares no code with the C++ side. Usage:
  pd_reference.py <store.jsonl> <store dir> <arm> [<arm> ...]
"""

import json
import sys

import numpy as np


def load(store_dir, record):
    ref = record["artifacts"]["predictions"]
    with open(f"{store_dir}/{ref['file']}", "rb") as f:
        data = f.read()
    first = data.index(b"\n")
    second = data.index(b"\n", first + 1)
    assert data[:first] == b"claimcheck-artifact"
    header = json.loads(data[first + 1:second])
    rows, cols = header["rows"], header["cols"]
    body = data[second + 1:]
    p = np.frombuffer(body[:rows * cols * 4], dtype="<f4").reshape(rows, cols).astype(np.float64)
    y = np.frombuffer(body[rows * cols * 4:], dtype="<i8")
    return p, y


def measures(p1, p2, y):
    tv = np.mean(0.5 * np.abs(p1 - p2).sum(axis=1))
    rows = np.arange(len(y))
    true_label = np.mean(np.abs(p1[rows, y] - p2[rows, y]))
    top1 = np.mean(np.argmax(p1, axis=1) != np.argmax(p2, axis=1))
    return {"total-variation": float(tv), "true-label": float(true_label), "top-1": float(top1)}


def main():
    store, store_dir, arms = sys.argv[1], sys.argv[2], sys.argv[3:]
    records = {}
    for line in open(store):
        r = json.loads(line)
        if r["role"] == "replicate":
            records[(r["arm"], r["index"])] = r  # a later line supersedes an earlier one
    out = {}
    for arm in arms:
        indices = sorted(i for (a, i) in records if a == arm)
        models = [load(store_dir, records[(arm, i)]) for i in indices]
        pairs = {"total-variation": [], "true-label": [], "top-1": []}
        for i in range(len(models)):
            for j in range(i + 1, len(models)):
                assert np.array_equal(models[i][1], models[j][1]), "labels differ"
                for k, v in measures(models[i][0], models[j][0], models[i][1]).items():
                    pairs[k].append(v)
        out[arm] = {"pairs": pairs, "mean": {k: float(np.mean(v)) for k, v in pairs.items()}}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
