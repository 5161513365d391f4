#!/usr/bin/python3
"""After `bash .ci/run`: checks that every smoke claim's analysis from the main job
(runs/reports/<claim>/smoke/report.json) is identical to the one from its ctest re-run
(build/claim-runs/smoke/reports/<claim>/report.json), i.e. the smoke claims trained twice gave the
same numbers. The environment fingerprint is left out (the git commit is the same anyway).

  python3 ci/compare_smoke_twice.py [checkout (default: this one)]

Exit 0 when every claim is identical, 1 otherwise (or when a ctest report is missing).
"""
import glob
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ok = True
mains = sorted(glob.glob(f"{root}/runs/reports/*/smoke/report.json"))
if not mains:
    sys.exit(f"no main-job reports under {root}/runs/reports: run `bash .ci/run` first")
for main in mains:
    claim = main.split("/")[-3]
    again = f"{root}/build/claim-runs/smoke/reports/{claim}/report.json"
    if not os.path.exists(again):
        print(f"{claim}: no ctest report at {again}")
        ok = False
        continue
    a = json.load(open(main))["analysis"]
    b = json.load(open(again))["analysis"]
    a.pop("fingerprint", None)
    b.pop("fingerprint", None)
    same = a == b
    ok &= same
    print(f"{claim}: main job and ctest analyses identical: {same} "
          f"({len(a['runs'])} runs, {len(a['hypotheses'])} hypotheses)")
sys.exit(0 if ok else 1)
