#!/usr/bin/env python3
"""Fails on an upward #include between the harness folders (issue 17).

The layers, lowest first: each folder may include its own and lower folders only.

    harness/base < harness/stats < harness/env < harness/data < models < harness/train
    < harness/claims < harness/report < harness/pipeline < harness/cli

Usage: layering_test.py <repository root>. Prints every violation as file:line and exits 1; a
self-test first checks that the checker catches a planted upward include.
"""
import pathlib
import re
import sys

LAYERS = ["harness/base", "harness/stats", "harness/env", "harness/data", "models",
          "harness/train", "harness/claims", "harness/report", "harness/pipeline", "harness/cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"((?:harness/[a-z_]+)|models)/')


def layer_of(path: str):
    for i, name in enumerate(LAYERS):
        if path == name or path.startswith(name + "/"):
            return i
    return None


def violations(root: pathlib.Path, files):
    found = []
    for f in files:
        rel = f.relative_to(root).as_posix()
        own = layer_of(rel)
        if own is None:
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = layer_of(m.group(1))
            if target is not None and target > own:
                found.append(f"{rel}:{n}: {LAYERS[own]} includes {m.group(1)}, a layer above it")
    return found


def sources(root: pathlib.Path):
    for top in ("harness", "models"):
        for f in sorted((root / top).rglob("*")):
            if f.suffix in (".h", ".cpp"):
                yield f


def self_test(tmp: pathlib.Path):
    (tmp / "harness/stats").mkdir(parents=True, exist_ok=True)
    planted = tmp / "harness/stats/planted.cpp"
    planted.write_text('#include "harness/stats/ok.h"\n#include "harness/claims/spec.h"\n')
    got = violations(tmp, [planted])
    assert len(got) == 1 and "planted.cpp:2" in got[0], got


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        self_test(pathlib.Path(tmp))
    found = violations(root, list(sources(root)))
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} upward include(s): move the code down, or the include up")
        sys.exit(1)
    print(f"ok: no upward include among {len(LAYERS)} layers")


if __name__ == "__main__":
    main()
