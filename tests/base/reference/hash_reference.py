#!/usr/bin/env python3
"""Independent implementation of claimcheck::base::hash64 / hash_hex (harness/base/hash.h).

FNV-1a 64 over the bytes, then the splitmix64 finaliser, printed as 16 lower-case hex digits.
Prints the known answers that tests/base/hash_test.cpp asserts. Run: python3 hash_reference.py
"""
M = 2**64 - 1


def hash64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for c in data:
        h ^= c
        h = (h * 0x100000001B3) & M
    z = (h + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


CASES = [b"", b"a", b"claimcheck", b'{"device":"cpu"}', bytes(range(256))]

if __name__ == "__main__":
    for c in CASES:
        print(f'{{{c!r}, "{hash64(c):016x}"}},')
