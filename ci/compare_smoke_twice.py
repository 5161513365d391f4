#!/usr/bin/python3
"""Trains every smoke claim twice and checks that both give identical analyses: once in the
checkout's store runs/ (the main job's and the smoke claim tests': what this build trained there
is reused) and once afresh in a store of its own, in another process. The same spec, seeds,
device and build must give the same numbers, whatever store or process they were trained in.
The environment fingerprint is left out of the comparison (it is the same machine anyway).

  python3 ci/compare_smoke_twice.py [--claimcheck BIN] [--work DIR] [checkout]

BIN defaults to <checkout>/build/claimcheck; DIR (the fresh store, emptied first) to
<checkout>/build/smoke-twice. About as long as the main job (7-8 minutes on two cores), so it is
ctest's ci.SmokeTrainedTwice, labelled reproducibility and nightly: outside the default run.
Exit 0 when every claim is identical, 1 otherwise (or when a claim's report is missing).
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("checkout", nargs="?",
                    default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
parser.add_argument("--claimcheck", help="the claimcheck binary (default <checkout>/build/claimcheck)")
parser.add_argument("--work", help="the fresh store (default <checkout>/build/smoke-twice)")
args = parser.parse_args()
root = os.path.abspath(args.checkout)
binary = args.claimcheck or f"{root}/build/claimcheck"
work = args.work or f"{root}/build/smoke-twice"
if not os.access(binary, os.X_OK):
    sys.exit(f"no claimcheck binary at {binary}: build first (bash ci/setup.sh --no-run)")


def run_all(store, reports):
    """`claimcheck run --all --profile smoke` into `store`; exit 1 (a claim moved) is a verdict,
    not a failure of this check."""
    cmd = [binary, "--claims-dir", f"{root}/claims", "--baselines-dir", f"{root}/baselines",
           "run", "--all", "--profile", "smoke", "--store", store]
    print("+", " ".join(cmd), flush=True)
    code = subprocess.run(cmd, cwd=root, stdout=subprocess.DEVNULL).returncode
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: exit {code}")
    return sorted(glob.glob(f"{reports}/*/smoke/report.json"))


shutil.rmtree(work, ignore_errors=True)
mains = run_all(f"{root}/runs", f"{root}/runs/reports")
if not mains:
    sys.exit(f"no smoke reports under {root}/runs/reports")
run_all(work, f"{work}/reports")
ok = True
for main in mains:
    claim = main.split("/")[-3]
    again = f"{work}/reports/{claim}/smoke/report.json"
    if not os.path.exists(again):
        print(f"{claim}: no report of the fresh store at {again}")
        ok = False
        continue
    a = json.load(open(main))["analysis"]
    b = json.load(open(again))["analysis"]
    a.pop("fingerprint", None)
    b.pop("fingerprint", None)
    same = a == b
    ok &= same
    print(f"{claim}: runs/ and a fresh store give identical analyses: {same} "
          f"({len(a['runs'])} runs, {len(a['hypotheses'])} hypotheses)")
sys.exit(0 if ok else 1)
