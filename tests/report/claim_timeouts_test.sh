#!/usr/bin/env bash
# Every claim test carries its profile's `timeout` (seconds; absent or 0: 1800) as its CTest
# TIMEOUT, read from what CTest itself would run (ctest --show-only=json-v1).
# Usage: claim_timeouts_test.sh <ctest> <build dir> <claims dir>
set -euo pipefail
ctest=$1
build=$2
claims=$3
python=/usr/bin/python3
[ -x "$python" ] || { echo "SKIP: $python (Debian's python3) is not installed"; exit 77; }
"$ctest" --test-dir "$build" --show-only=json-v1 >"$build/claim-timeouts.json"
"$python" - "$build/claim-timeouts.json" "$claims" <<'PY'
import glob, json, os, sys
tests = {t["name"]: t for t in json.load(open(sys.argv[1]))["tests"]}
checked = 0
for spec_file in sorted(glob.glob(os.path.join(sys.argv[2], "*.json"))):
    spec = json.load(open(spec_file))
    for profile, p in spec.get("profiles", {}).items():
        name = f"claim.{spec['id']}.{profile}"
        if name not in tests:
            sys.exit(f"FAIL: {name} is not registered with CTest")
        props = {q["name"]: q["value"] for q in tests[name].get("properties", [])}
        want = p.get("timeout", 0) or 1800
        if float(props.get("TIMEOUT", -1)) != float(want):
            sys.exit(f"FAIL: {name}: TIMEOUT {props.get('TIMEOUT')}, expected {want} from {spec_file}")
        checked += 1
if checked == 0:
    sys.exit("FAIL: no claim tests found")
print(f"ok: {checked} claim tests carry their profile's timeout")
PY
