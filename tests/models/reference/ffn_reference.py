#!/usr/bin/env python3
"""Known answers for tests/models/ffn_test.cpp: the MNIST FFN classifiers (models/ffn.h) on a tiny
hand-chosen case, computed in float64 with numpy/scipy from the formulas of the source
(main_lightning_ver.py), independently of LibTorch:
    elementwise f:  out = f(x @ W_in) @ W_out
    gated (GLU):    out = ((x @ W_in) * f(x @ W_gate)) @ W_out
Every weight and input is a multiple of 1/8, exact in float32, so the C++ test (float32) differs
from these values only by float32 rounding in the products and activations.
Run: python3 tests/models/reference/ffn_reference.py  (prints the values the test hard-codes)."""
import numpy as np
from scipy.special import erf

# in = 3, hidden = 2, out = 2, batch = 2.
X = np.array([[1.0, -0.5, 2.0],
              [-1.5, 0.25, 0.75]])
W_IN = np.array([[0.5, -1.0],
                 [1.5, 0.25],
                 [-0.25, 0.75]])
W_GATE = np.array([[-0.75, 0.5],
                   [0.125, 1.0],
                   [1.0, -0.5]])
W_OUT = np.array([[1.0, -0.5],
                  [0.25, 2.0]])


def relu(z):
    return np.maximum(z, 0.0)


def gelu(z):  # exact erf form, as torch's default
    return 0.5 * z * (1.0 + erf(z / np.sqrt(2.0)))


def swish(z):
    return z / (1.0 + np.exp(-z))


def smelu(z, beta):  # Shamir et al., arXiv 2010.09931, eq. 1
    return np.where(z <= -beta, 0.0, np.where(z >= beta, z, (z + beta) ** 2 / (4.0 * beta)))


ELEMENTWISE = {
    "relu": relu,
    "relu2": lambda z: relu(z) ** 2,
    "gelu": gelu,
    "swish": swish,
    "smelu-0.5": lambda z: smelu(z, 0.5),
}
GATED = {"geglu": gelu, "swiglu": swish}


def main():
    outputs = {name: f(X @ W_IN) @ W_OUT for name, f in ELEMENTWISE.items()}
    outputs.update({name: ((X @ W_IN) * f(X @ W_GATE)) @ W_OUT for name, f in GATED.items()})
    for name, out in outputs.items():  # row-major (batch, class), shortest round-trip repr
        print(f'{{"{name}", {{{", ".join(repr(float(v)) for v in out.ravel())}}}}},')


if __name__ == "__main__":
    main()
