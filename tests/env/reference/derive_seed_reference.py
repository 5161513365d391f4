#!/usr/bin/env python3
"""Independent implementation of claimcheck::env::derive_seed (harness/env/seed.h).

FNV-1a 64 over claim_id 0x1F arm 0x1F decimal(replicate), then the splitmix64 finaliser.
Prints the known answers that tests/env/seed_test.cpp asserts. Run: python3 derive_seed_reference.py
"""
M = 2**64 - 1


def fnv1a(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for c in data:
        h ^= c
        h = (h * 0x100000001B3) & M
    return h


def mix(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


CASES = [
    ("geglu-vs-relu-mnist", "relu", 0),
    ("geglu-vs-relu-mnist", "geglu", 0),
    ("geglu-vs-relu-mnist", "relu", 1),
    ("", "", 0),
    ("claim", "arm", -3),
    ("activation-reproducibility", "swiglu", 123456789),
]
SEP = "\x1f"
if __name__ == "__main__":
    for claim, arm, rep in CASES:
        seed = mix(fnv1a((claim + SEP + arm + SEP + str(rep)).encode()))
        print(f'{{"{claim}", "{arm}", {rep}, 0x{seed:016x}ULL}},')
    print(f"hash_seed(\"\") = 0x{mix(fnv1a(b'')):016x}ULL")
