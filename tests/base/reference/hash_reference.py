#!/usr/bin/env python3
"""Independent implementation of claimcheck::base::hash64 / hash_hex (harness/base/hash.h).

FNV-1a 64 over the bytes, then the splitmix64 finaliser (the functions of
tests/env/reference/derive_seed_reference.py, which derive_seed builds on), printed as 16
lower-case hex digits. Prints the known answers that tests/base/hash_test.cpp asserts.
Run: python3 hash_reference.py
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "env" / "reference"))
from derive_seed_reference import fnv1a, mix  # noqa: E402


def hash64(data: bytes) -> int:
    return mix(fnv1a(data))


CASES = [b"", b"a", b"claimcheck", b'{"device":"cpu"}', bytes(range(256))]

if __name__ == "__main__":
    for c in CASES:
        print(f'{{{c!r}, "{hash64(c):016x}"}},')
