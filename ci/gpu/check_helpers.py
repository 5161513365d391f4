"""The JSON side of ci/gpu/check.sh: the claim specs it trains, store comparison, step records.

  check_helpers.py lm-steps CLAIMS_DIR STEPS
      writes CLAIMS_DIR/gpu-lm-steps.json: ConvLM and TinyLSTM (activation-reproducibility's
      sizes) on Tiny Shakespeare for STEPS steps, 2 replicates, profile smoke on CUDA
  check_helpers.py nightly-steps CHECKOUT CLAIMS_DIR STEPS
      for every claim with a nightly profile, a copy with the nightly budget set to STEPS steps
      (epochs removed), so that two budgets time one step without the fixed costs; prints the ids
  check_helpers.py same-stores A B
      compares two run stores (directories of <claim>.jsonl) record by record, leaving out only
      wall_seconds (the one field that measures time); prints JSON, exits 1 when they differ
  check_helpers.py same-metrics A B RTOL
      compares two stores' runs (matched by run key) metric by metric: bitwise-equal count and the
      largest relative difference; exits 1 when a run is missing or a metric differs by > RTOL.
      For stores of two LibTorch versions (other kernels, other rounding), where same-stores is
      too strict
  check_helpers.py step-time STORE_SHORT STORE_LONG CLAIM STEPS_SHORT STEPS_LONG
      prints JSON: seconds per nightly step from the two budgets' wall times
  check_helpers.py record RESULTS NAME STATUS SECONDS RC REASON [OUTPUT_JSON_FILE]
      writes RESULTS/steps/NAME.json
  check_helpers.py summary RESULTS
      writes RESULTS/summary.json from RESULTS/steps/*.json (in the order run), prints a table
"""
import glob
import json
import os
import sys


def lm_steps(claims_dir, steps):
    spec = {
        "id": "gpu-lm-steps",
        "title": "GPU check: ConvLM and TinyLSTM train deterministic steps on CUDA",
        "task": {"type": "char-lm", "dataset": "tinyshakespeare"},
        "training": {"optimizer": {"type": "adamw", "options": {"weight_decay": 0.0}},
                     "lr": 0.003, "steps": int(steps), "batch": 16, "context": 64,
                     "eval_windows": 16},
        "arms": [
            {"name": "convlm", "model": {"type": "convlm", "options": {
                "n_layer": 6, "n_embd": 64, "activation": "gelu"}}},
            {"name": "tinylstm", "model": {"type": "tinylstm", "options": {
                "n_layer": 2, "n_embd": 64, "activation": "gelu"}}},
        ],
        "hypotheses": [{"id": "lstm-lower-loss", "treatment": "tinylstm", "control": "convlm",
                        "metric": "val_loss", "direction": "less"}],
        "profiles": {"smoke": {"replicates": 2, "device": "cuda", "resamples": 999}},
    }
    os.makedirs(claims_dir, exist_ok=True)
    with open(os.path.join(claims_dir, "gpu-lm-steps.json"), "w") as f:
        json.dump(spec, f, indent=2)


def set_steps(training, steps):
    training.pop("epochs", None)
    training["steps"] = steps


def nightly_steps(checkout, claims_dir, steps):
    os.makedirs(claims_dir, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(checkout, "claims", "*.json"))):
        spec = json.load(open(path))
        nightly = spec.get("profiles", {}).get("nightly")
        if nightly is None:
            continue
        set_steps(spec.setdefault("training", {}), int(steps))
        set_steps(nightly.setdefault("training", {}), int(steps))
        with open(os.path.join(claims_dir, os.path.basename(path)), "w") as f:
            json.dump(spec, f, indent=2)
        print(spec["id"])


def records(store):
    out = {}
    for path in sorted(glob.glob(os.path.join(store, "*.jsonl"))):
        rows = []
        for line in open(path):
            if line.strip():
                r = json.loads(line)
                r.pop("wall_seconds", None)
                rows.append(r)
        rows.sort(key=lambda r: r.get("key", ""))
        out[os.path.basename(path)] = rows
    return out


def same_stores(a, b):
    ra, rb = records(a), records(b)
    result = {"files": sorted(ra), "records": sum(len(v) for v in ra.values()), "equal": ra == rb,
              "first_difference": None}
    if not ra:
        result["equal"] = False
        result["first_difference"] = f"no records in {a}"
    elif ra != rb:
        for name in sorted(set(ra) | set(rb)):
            xa, xb = ra.get(name, []), rb.get(name, [])
            if len(xa) != len(xb):
                result["first_difference"] = f"{name}: {len(xa)} vs {len(xb)} records"
                break
            for x, y in zip(xa, xb):
                if x != y:
                    keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
                    result["first_difference"] = {"file": name, "key": x.get("key"),
                                                  "fields": keys,
                                                  "a": {k: x.get(k) for k in keys if k != "fingerprint"},
                                                  "b": {k: y.get(k) for k in keys if k != "fingerprint"}}
                    break
            if result["first_difference"]:
                break
    print(json.dumps(result, indent=2))
    return 0 if result["equal"] else 1


def same_metrics(a, b, rtol):
    def by_key(store):
        return {r["key"]: r for rows in records(store).values() for r in rows}
    ra, rb = by_key(a), by_key(b)
    result = {"runs": len(ra), "missing": sorted(set(ra) ^ set(rb)), "metrics": 0,
              "bitwise_equal": 0, "max_rel_diff": 0.0, "worst": None, "rtol": float(rtol),
              "steps_equal": all(ra[k].get("steps") == rb[k].get("steps") for k in set(ra) & set(rb))}
    for key in sorted(set(ra) & set(rb)):
        for name, x in ra[key].get("metrics", {}).items():
            y = rb[key]["metrics"].get(name)
            result["metrics"] += 1
            if x == y:
                result["bitwise_equal"] += 1
                continue
            rel = abs(x - y) / max(abs(x), abs(y), 1e-12) if y is not None else float("inf")
            if rel > result["max_rel_diff"]:
                result["max_rel_diff"] = rel
                result["worst"] = {"key": key, "arm": ra[key].get("arm"), "metric": name,
                                   "a": x, "b": y}
    result["ok"] = (bool(ra) and not result["missing"] and result["steps_equal"]
                    and result["max_rel_diff"] <= float(rtol))
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


def step_time(short_store, long_store, claim, steps_short, steps_long):
    def one(store):
        rows = records_with_time(os.path.join(store, claim + ".jsonl"))
        if not rows:
            raise SystemExit(f"no run of {claim} in {store}")
        return rows[0]

    a, b = one(short_store), one(long_store)
    n = int(steps_long) - int(steps_short)
    per_step = (b["wall_seconds"] - a["wall_seconds"]) / n
    print(json.dumps({"claim": claim, "arm": b.get("arm"), "steps": [a["steps"], b["steps"]],
                      "wall_seconds": [a["wall_seconds"], b["wall_seconds"]],
                      "seconds_per_step": per_step}))


def records_with_time(path):
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.strip()]


def record(results, name, status, seconds, rc, reason, output_file=None):
    os.makedirs(os.path.join(results, "steps"), exist_ok=True)
    entry = {"name": name, "status": status, "seconds": float(seconds), "rc": int(rc),
             "reason": reason, "log": f"logs/{name}.log"}
    if output_file and os.path.exists(output_file) and os.path.getsize(output_file):
        try:
            entry["outputs"] = json.load(open(output_file))
        except ValueError:
            entry["outputs"] = open(output_file).read()[-4000:]
    order = len(glob.glob(os.path.join(results, "steps", "*.json")))
    entry["order"] = order
    with open(os.path.join(results, "steps", name + ".json"), "w") as f:
        json.dump(entry, f, indent=2)


def summary(results):
    steps = [json.load(open(p)) for p in glob.glob(os.path.join(results, "steps", "*.json"))]
    steps.sort(key=lambda s: s["order"])
    meta_file = os.path.join(results, "meta.json")
    meta = json.load(open(meta_file)) if os.path.exists(meta_file) else {}
    failed = [s["name"] for s in steps if s["status"] not in ("pass", "skipped")]
    out = dict(meta, steps=steps, failed=failed,
               skipped=[s["name"] for s in steps if s["status"] == "skipped"],
               status="fail" if failed else "pass",
               total_seconds=sum(s["seconds"] for s in steps))
    with open(os.path.join(results, "summary.json"), "w") as f:
        json.dump(out, f, indent=2)
    for s in steps:
        print(f"{s['name']:<18} {s['status']:<8} {s['seconds']:7.1f}s  {s['reason']}")
    print(f"{'total':<18} {out['status']:<8} {out['total_seconds']:7.1f}s  "
          f"summary: {os.path.join(results, 'summary.json')}")
    return 1 if failed else 0


def main(argv):
    commands = {"lm-steps": lm_steps, "nightly-steps": nightly_steps, "same-stores": same_stores,
                "same-metrics": same_metrics,
                "step-time": step_time, "record": record, "summary": summary}
    if len(argv) < 2 or argv[1] not in commands:
        sys.exit(__doc__)
    return commands[argv[1]](*argv[2:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
