#!/usr/bin/env python3
"""Independent reference values for harness/stats/anytime_t (the anytime-valid t CS).

The C++ side uses the closed form of the scale-invariant Bayes factor of the one-sample t-test
with a N(0, g) prior on the standardised effect and the right-Haar prior 1/sigma on sigma
(Rouder et al. 2009). Here the same Bayes factor is computed by numerical integration of the
marginal likelihoods (scipy.integrate.dblquad over delta and log sigma), with no use of the
closed form, and the critical t* solving BF(t*, n) = 1/alpha by brentq on that closed form
written independently. Run with Debian's python3 (scipy 1.10):

    /usr/bin/python3 tests/stats/reference/anytime_t_reference.py

It writes anytime_t_reference.json next to itself.
"""

import json
import math
import os

import numpy as np
from scipy import integrate, optimize, stats


def bf_by_integration(x, mu0, g):
    """p(x | H1) / p(x | H0) with priors delta ~ N(0, g), sigma ~ 1/sigma (both share sigma)."""
    x = np.asarray(x, dtype=float)
    n = len(x)

    def lik(mu, sigma):
        return np.exp(np.sum(stats.norm.logpdf(x, mu, sigma)))

    # sigma = exp(u): the 1/sigma prior is du; integrate u over a wide range around log sd.
    s = np.std(x, ddof=1)
    u_lo, u_hi = math.log(s) - 8.0, math.log(s) + 8.0
    h0, _ = integrate.quad(lambda u: lik(mu0, math.exp(u)), u_lo, u_hi, limit=200)
    h1, _ = integrate.dblquad(
        lambda d, u: lik(mu0 + d * math.exp(u), math.exp(u)) * stats.norm.pdf(d, 0, math.sqrt(g)),
        u_lo, u_hi, lambda u: -12 * math.sqrt(g), lambda u: 12 * math.sqrt(g),
        epsabs=0, epsrel=1e-10)
    return h1 / h0


def bf_closed(t, n, g):
    nu = n - 1
    a = 1 + n * g
    return a ** -0.5 * ((1 + t * t / nu) / (1 + t * t / (a * nu))) ** ((nu + 1) / 2)


def t_star(n, alpha, g):
    if 0.5 * (n - 1) * math.log(1 + n * g) <= math.log(1 / alpha):
        return None
    return optimize.brentq(lambda t: bf_closed(t, n, g) - 1 / alpha, 0, 1e6, xtol=1e-14)


def main():
    rng = np.random.default_rng(20261124)
    cases = []
    for n, mu0, g in [(4, 0.0, 1.0), (6, 0.3, 1.0), (10, -0.2, 0.5), (15, 0.1, 2.0)]:
        x = list(rng.normal(0.4, 1.0, n))
        xbar, s = np.mean(x), np.std(x, ddof=1)
        t = (xbar - mu0) / (s / math.sqrt(n))
        cases.append({"x": x, "mu0": mu0, "g": g, "t": t,
                      "bf_integrated": bf_by_integration(x, mu0, g)})
    stars = []
    for n, alpha, g in [(4, 0.05, 1.0), (8, 0.05, 1.0), (8, 0.00625, 1.0), (30, 0.05, 1.0),
                        (30, 0.00625, 1.0), (12, 0.01, 0.5)]:
        stars.append({"n": n, "alpha": alpha, "g": g, "t_star": t_star(n, alpha, g)})
    out = {"bayes_factor": cases, "t_star": stars}
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "anytime_t_reference.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
