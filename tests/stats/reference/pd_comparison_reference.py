"""Known answers for tests/stats/pd_comparison_test.cpp (harness/stats/pd_comparison.h).

How the values were produced: run `python3 pd_comparison_reference.py > pd_comparison_reference.json`
in this folder (numpy 2.4.6, Python 3.11.7; no other dependency). Everything is computed here from
the definitions, independently of the C++ code:

* swap_exact / swap_sampled: a random symmetric pooled PD matrix of 2M models (A's M then B's,
  seed i at i and M + i), optionally with A's within-arm PDs shifted; the paired swap test is
  enumerated over all 2^M assignments with itertools.product (each seed's two models assigned to
  arms A/B either way), statistic mean PD over A's seed pairs minus B's, two-sided exact p =
  min(1, 2 min(#{t <= t_obs + tol}, #{t >= t_obs - tol}) / 2^M) with scipy 1.10
  permutation_test's tie tolerance tol = max(1e-14, |1e-14 t_obs|). swap_sampled (M = 14,
  2^14 > 9999) gives the exact p the C++ random-pattern p must approach.
* cv: numpy population sd / mean (np.std(ddof=0) / np.mean).
* cv_two_seeds: with M = 2 seeds every self-pair-free resample holds both seeds, so every
  bootstrap CV equals the observed one: the interval is the point, and as every replicate lies
  on one side of a bound away from the CV, the two-sided p is 2 (0 + 1) / (B + 1) either way.
"""
import itertools
import json

import numpy as np


def pooled_matrix(rng, m, shift):
    n = 2 * m
    x = rng.uniform(0.1, 0.3, size=(n, n))
    x = (x + x.T) / 2.0
    np.fill_diagonal(x, 0.0)
    for i in range(m):
        for j in range(m):
            if i != j:
                x[i, j] += shift  # A's within-arm PDs
    return x


def swap_statistic(x, m, assign):
    # assign[i] = 1: seed i's A model is the one at M + i (swapped).
    a_models = [m + i if s else i for i, s in enumerate(assign)]
    b_models = [i if s else m + i for i, s in enumerate(assign)]
    pairs = list(itertools.combinations(range(m), 2))
    a = np.mean([x[a_models[i], a_models[j]] for i, j in pairs])
    b = np.mean([x[b_models[i], b_models[j]] for i, j in pairs])
    return a - b


def exact_swap_p(x, m):
    t_obs = swap_statistic(x, m, [0] * m)
    tol = max(1e-14, abs(1e-14 * t_obs))
    ts = np.array([swap_statistic(x, m, s) for s in itertools.product([0, 1], repeat=m)])
    le = np.sum(ts <= t_obs + tol)
    ge = np.sum(ts >= t_obs - tol)
    return t_obs, min(1.0, 2.0 * min(le, ge) / len(ts)), len(ts)


def swap_case(seed, m, shift):
    rng = np.random.default_rng(seed)
    x = pooled_matrix(rng, m, shift)
    t_obs, p, total = exact_swap_p(x, m)
    return {"seeds": m, "pooled": x.flatten().tolist(), "statistic": t_obs, "p": p,
            "arrangements": total}


def main():
    out = {}
    out["swap_exact"] = [swap_case(1, 3, 0.0), swap_case(2, 4, 0.0), swap_case(3, 5, 0.02),
                         swap_case(4, 6, 0.5), swap_case(5, 8, 0.01)]
    out["swap_sampled"] = swap_case(6, 14, 0.005)
    values = [0.12, 0.15, 0.11, 0.19]
    out["cv"] = {"values": values, "cv": float(np.std(values) / np.mean(values))}
    pds = [0.2, 0.25, 0.3]
    cv = float(np.std(pds) / np.mean(pds))
    resamples = 999
    out["cv_two_seeds"] = {"pds": pds, "cv": cv, "resamples": resamples,
                           "bound_above": cv + 0.05, "p_above": 2.0 / (resamples + 1),
                           "bound_below": cv - 0.05, "p_below": 2.0 / (resamples + 1)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
