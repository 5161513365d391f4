#!/usr/bin/env python3
"""Independent reference values for tests/stats (claimcheck::stats).

Run with Debian's interpreter (python3-scipy 1.10.1, python3-statsmodels 0.13.5, numpy 1.24):

    /usr/bin/python3 tests/stats/reference/generate_reference.py

It rewrites tests/stats/reference/reference.json, which the C++ tests read at run time. Sources:
  * scipy.stats: bootstrap, ttest_rel, ttest_ind(equal_var=False), permutation_test, mannwhitneyu;
  * statsmodels: multipletests ('holm', 'fdr_bh'), ttost_paired, ttost_ind;
  * by hand (plain loops / brute-force enumeration, no shared code with the C++): the generator,
    expected max of k, prediction differences, power formula, SPRT error probabilities.

Exact BCa: numpy draws the resample indices, theta* is computed here from them, and scipy's own
`bootstrap` turns theta* into the interval (n_resamples=0 with bootstrap_result carrying our
bootstrap_distribution, so scipy's _bca_interval computes z0, the jackknife acceleration and the
percentiles). The same indices are written to the JSON for the C++ side.
"""

import itertools
import json
import math
import os

import numpy as np
import scipy
import scipy.stats as st
from scipy.stats._resampling import BootstrapResult
import statsmodels
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import ttost_ind, ttost_paired

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
MASK = (1 << 64) - 1


# ---------------------------------------------------------------- generator (reference C code)
def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256ss:
    """xoshiro256** 1.0 transcribed from https://prng.di.unimi.it/xoshiro256starstar.c"""

    def __init__(self, seed):
        self.s = []
        for _ in range(4):
            seed, z = splitmix64(seed)
            self.s.append(z)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform_int(self, n):  # Lemire 2019, Algorithm 5
        m = self.next() * n
        low = m & MASK
        if low < n:
            threshold = (2**64 - n) % n
            while low < threshold:
                m = self.next() * n
                low = m & MASK
        return m >> 64


def rng_reference():
    out = {}
    for seed in (0, 42, 2**64 - 1):
        g = Xoshiro256ss(seed)
        out[str(seed)] = {"next_u64": [str(g.next()) for _ in range(6)]}
    g = Xoshiro256ss(7)
    out["uniform_seed7"] = [(g.next() >> 11) * 2.0**-53 for _ in range(5)]
    g = Xoshiro256ss(11)
    out["uniform_int_seed11_n10"] = [g.uniform_int(10) for _ in range(20)]
    g = Xoshiro256ss(11)
    out["uniform_int_seed11_n3e18"] = [str(g.uniform_int(3 * 10**18)) for _ in range(5)]
    fnv = 0xCBF29CE484222325
    for c in b"claim-001":
        fnv = ((fnv ^ c) * 0x100000001B3) & MASK
    out["fnv1a_claim-001"] = str(fnv)
    return out


# ---------------------------------------------------------------- bootstrap, exact indices
def scipy_interval(data, stat, theta_b, method, confidence, paired):
    """scipy.stats.bootstrap's interval for a given bootstrap distribution theta_b.

    scipy compares theta* with theta-hat exactly when counting z0's ties; the C++ side treats
    values within 1e-12 (relative) as ties so that rounding cannot flip the count. The two agree
    unless some theta* lies within 1e-12 of theta-hat without being equal: refuse such data."""
    theta_hat = stat(*data)
    gaps = np.abs(np.asarray(theta_b) - theta_hat)
    scale = max(abs(theta_hat), float(np.max(np.abs(theta_b))))
    assert not np.any((gaps > 0) & (gaps <= 1e-12 * scale)), "near-tie: pick other data"
    prior = BootstrapResult(confidence_interval=None, bootstrap_distribution=np.asarray(theta_b),
                            standard_error=None)
    res = st.bootstrap(data, stat, n_resamples=0, bootstrap_result=prior, method=method,
                       confidence_level=confidence, vectorized=False, paired=paired)
    return [float(res.confidence_interval.low), float(res.confidence_interval.high)]


def bootstrap_exact_cases():
    rng = np.random.default_rng(20240611)
    n, B = 12, 200
    x_norm = np.round(rng.normal(1.0, 2.0, n), 6)
    x_skew = np.round(rng.exponential(1.0, n), 6)
    a = np.round(rng.normal(0.5, 1.0, n), 6)
    b = np.round(a - 0.3 + rng.normal(0.0, 0.7, n), 6)
    idx = rng.integers(0, n, (B, n))
    b2 = np.round(a - 0.1 + rng.normal(0.0, 1.0, n), 6)  # a wins only sometimes
    idx_b = rng.integers(0, n, (B, n))  # second arm's indices for the two-sample case
    cases = []

    def one(name, x, fn, stat_name):
        theta_b = [fn(x[i]) for i in idx]
        cases.append({"name": name, "kind": "one-sample", "statistic": stat_name,
                      "x": x.tolist(), "indices": idx.tolist(), "estimate": fn(x),
                      "intervals": [{"method": m, "confidence": cl,
                                     "ci": scipy_interval((x,), fn, theta_b, m, cl, False)}
                                    for m in ("percentile", "basic", "BCa") for cl in (0.95, 0.9)]})

    one("mean_normal", x_norm, lambda v: float(np.mean(v)), "mean")
    one("mean_skewed", x_skew, lambda v: float(np.mean(v)), "mean")
    one("median_skewed", x_skew, lambda v: float(np.median(v)), "median")  # ties among theta*
    one("sd_skewed", x_skew, lambda v: float(np.std(v, ddof=1)), "sd")

    def paired(name, fn, stat_name, a, b):
        theta_b = [fn(a[i], b[i]) for i in idx]
        cases.append({"name": name, "kind": "paired", "statistic": stat_name,
                      "a": a.tolist(), "b": b.tolist(), "indices": idx.tolist(),
                      "estimate": fn(a, b),
                      "intervals": [{"method": m, "confidence": cl,
                                     "ci": scipy_interval((a, b), fn, theta_b, m, cl, True)}
                                    for m in ("percentile", "basic", "BCa") for cl in (0.95, 0.9)]})

    paired("paired_mean_difference", lambda u, v: float(np.mean(u - v)), "mean_difference", a, b)
    paired("paired_win_rate", lambda u, v: float(np.mean((u > v) + 0.5 * (u == v))), "win_rate", a, b2)
    # a beats b in every pair: every theta* is 1, scipy's BCa is NaN (written as null) and the
    # C++ side must report the case as degenerate.
    paired("paired_win_rate_all_wins", lambda u, v: float(np.mean((u > v) + 0.5 * (u == v))), "win_rate", a, b)

    def mw(u, v):
        return float(st.mannwhitneyu(u, v).statistic / (len(u) * len(v)))

    theta_b = [mw(a[i], b[j]) for i, j in zip(idx, idx_b)]
    cases.append({"name": "two_sample_mann_whitney", "kind": "two-sample",
                  "statistic": "mann_whitney", "a": a.tolist(), "b": b.tolist(),
                  "indices": idx.tolist(), "indices_b": idx_b.tolist(), "estimate": mw(a, b),
                  "intervals": [{"method": m, "confidence": cl,
                                 "ci": scipy_interval((a, b), mw, theta_b, m, cl, False)}
                                for m in ("percentile", "basic", "BCa") for cl in (0.95, 0.9)]})
    return cases


def bootstrap_monte_carlo_case():
    """BCa of the mean paired difference, n = 30, scipy with B = 49,999 under 8 seeds."""
    rng = np.random.default_rng(7)
    n, B = 30, 49999
    a = np.round(rng.gamma(2.0, 1.0, n), 6)
    b = np.round(a - 0.4 + rng.normal(0.0, 0.8, n), 6)
    runs = []
    for seed in range(8):
        res = st.bootstrap((a, b), lambda u, v, axis=-1: np.mean(u - v, axis=axis),
                           paired=True, n_resamples=B, method="BCa", random_state=seed)
        runs.append([float(res.confidence_interval.low), float(res.confidence_interval.high)])
    runs = np.array(runs)
    return {"a": a.tolist(), "b": b.tolist(), "resamples": B, "confidence": 0.95,
            "ci_mean_of_runs": runs.mean(axis=0).tolist(),
            "ci_sd_across_runs": runs.std(axis=0, ddof=1).tolist(), "runs": runs.tolist()}


# ---------------------------------------------------------------- t tests and TOST
def ttest_cases():
    rng = np.random.default_rng(99)
    a = np.round(rng.normal(1.0, 1.0, 9), 6)
    b = np.round(a - 0.5 + rng.normal(0.0, 0.6, 9), 6)
    c = np.round(rng.normal(0.2, 2.0, 14), 6)
    out = {"a": a.tolist(), "b": b.tolist(), "c": c.tolist(), "paired": [], "welch": []}
    for alt in ("two-sided", "greater", "less"):
        for cl in (0.95, 0.8):
            r = st.ttest_rel(a, b, alternative=alt)
            ci = r.confidence_interval(cl)
            out["paired"].append({"alternative": alt, "confidence": cl, "t": float(r.statistic),
                                  "p": float(r.pvalue), "df": float(r.df),
                                  "estimate": float(np.mean(a - b)),
                                  "lo": float(ci.low), "hi": float(ci.high)})
            # Welch: scipy 1.10 gives t and p; df and the CI by the textbook formula.
            w = st.ttest_ind(a, c, equal_var=False, alternative=alt)
            v1, v2 = np.var(a, ddof=1) / len(a), np.var(c, ddof=1) / len(c)
            df = (v1 + v2) ** 2 / (v1**2 / (len(a) - 1) + v2**2 / (len(c) - 1))
            est, se = float(np.mean(a) - np.mean(c)), math.sqrt(v1 + v2)
            if alt == "two-sided":
                q = st.t.ppf(1 - (1 - cl) / 2, df)
                lo, hi = est - q * se, est + q * se
            elif alt == "greater":
                lo, hi = est - st.t.ppf(cl, df) * se, math.inf
            else:
                lo, hi = -math.inf, est + st.t.ppf(cl, df) * se
            out["welch"].append({"alternative": alt, "confidence": cl, "t": float(w.statistic),
                                 "p": float(w.pvalue), "df": float(df), "estimate": est,
                                 "lo": lo, "hi": hi})
    out["tost"] = []
    for margin in (0.5, 1.0, 2.0):
        p, lower, upper = ttost_paired(a, b, -margin, margin)
        pw, lw, uw = ttost_ind(a, c, -margin, margin, usevar="unequal")
        out["tost"].append({"margin": margin,
                            "paired": {"p": float(p), "t_lower": float(lower[0]),
                                       "p_lower": float(lower[1]), "t_upper": float(upper[0]),
                                       "p_upper": float(upper[1]), "df": float(lower[2])},
                            "welch": {"p": float(pw), "t_lower": float(lw[0]),
                                      "p_lower": float(lw[1]), "t_upper": float(uw[0]),
                                      "p_upper": float(uw[1]), "df": float(lw[2])}})
    return out


# ---------------------------------------------------------------- permutation
def permutation_cases():
    rng = np.random.default_rng(5)
    out = []
    for n in (6, 10, 13, 16):
        a = np.round(rng.normal(0.3, 1.0, n), 4)
        b = np.round(rng.normal(0.0, 1.0, n), 4)
        if n == 6:
            b[2] = a[2]  # a zero difference: flipping it changes nothing, still 2^n arrangements
        case = {"n": n, "a": a.tolist(), "b": b.tolist(), "p": {}}
        for alt in ("two-sided", "greater", "less"):
            r = st.permutation_test((a, b), lambda u, v, axis=-1: np.mean(u - v, axis=axis),
                                    permutation_type="samples", alternative=alt,
                                    n_resamples=np.inf, vectorized=True)
            case["p"][alt] = float(r.pvalue)
        case["statistic"] = float(np.mean(a - b))
        out.append(case)
    return out


# ---------------------------------------------------------------- probability of improvement
def improvement_cases():
    a = [0.71, 0.74, 0.69, 0.80, 0.74, 0.77, 0.70]
    b = [0.70, 0.74, 0.72, 0.75, 0.73, 0.74, 0.74, 0.69]
    u = st.mannwhitneyu(a, b).statistic
    wins = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x, y in zip(a, b[:7]))
    return {"a": a, "b": b, "mann_whitney": float(u / (len(a) * len(b))),
            "paired_win_rate_first7": wins / 7.0}


# ---------------------------------------------------------------- expected max (brute force)
def expected_max_cases():
    vals = [0.61, 0.72, 0.55, 0.72, 0.80, 0.66]
    n = len(vals)
    out = {"values": vals, "dodge": [], "tang": []}
    for k in range(1, n + 1):
        # Dodge: mean of the max over all N^k draws with replacement.
        d = sum(max(t) for t in itertools.product(vals, repeat=k)) / n**k
        # Tang: mean of the max over all C(N, k) subsets without replacement.
        subsets = list(itertools.combinations(vals, k))
        t = sum(max(s) for s in subsets) / len(subsets)
        out["dodge"].append(d)
        out["tang"].append(t)
    # Paired difference, exact indices: trials of both arms share hyperparameter draw i.
    rng = np.random.default_rng(8)  # seeds 3-7 gave a theta* ~1e-16 off theta-hat: scipy_interval
    N, k, B = 8, 3, 200
    a = np.round(rng.uniform(0.5, 0.9, N), 4)
    b = np.round(a - 0.02 + rng.normal(0, 0.03, N), 4)
    idx = rng.integers(0, N, (B, N))

    def tang_brute(v):
        subsets = list(itertools.combinations(range(len(v)), k))
        return sum(max(v[list(s)]) for s in subsets) / len(subsets)

    def diff(u, v):
        return float(tang_brute(u) - tang_brute(v))

    theta_b = [diff(a[i], b[i]) for i in idx]
    out["paired"] = {"a": a.tolist(), "b": b.tolist(), "k": k, "indices": idx.tolist(),
                     "estimate": diff(a, b),
                     "percentile_95": np.percentile(theta_b, [2.5, 97.5]).tolist(),
                     "bca_95": scipy_interval((a, b), diff, theta_b, "BCa", 0.95, True)}
    return out


# ---------------------------------------------------------------- prediction difference
def pd_cases():
    rng = np.random.default_rng(11)
    M, N, L = 8, 7, 3
    models = [rng.dirichlet([1.0, 1.0, 1.0], N).round(6) for _ in range(M)]
    for m in models:  # renormalise the rounded rows exactly enough for a probability check
        m[:, -1] = 1.0 - m[:, :-1].sum(axis=1)
    models[2][4] = [0.4, 0.4, 0.2]  # argmax tie: first maximum wins (class 0)
    labels = rng.integers(0, L, N)

    def tv(p, q):
        return sum(0.5 * sum(abs(p[k][l] - q[k][l]) for l in range(L)) for k in range(N)) / N

    def true_label(p, q):
        return sum(abs(p[k][labels[k]] - q[k][labels[k]]) for k in range(N)) / N

    def top1(p, q):
        return sum(1 for k in range(N) if int(np.argmax(p[k])) != int(np.argmax(q[k]))) / N

    def rel(p, q):
        return sum(abs(x - y) / ((x + y) / 2) if x + y > 0 else 0.0 for x, y in zip(p, q)) / len(p)

    def mean_pairs(ms, f):
        pairs = list(itertools.combinations(range(len(ms)), 2))
        return sum(f(ms[i], ms[j]) for i, j in pairs) / len(pairs)

    first4 = models[:4]
    out = {"models": [m.tolist() for m in models], "labels": labels.tolist(), "measures": {}}
    for name, f in (("total-variation", tv), ("true-label", true_label), ("top-1", top1)):
        pair01 = f(models[0], models[1])
        mean4 = mean_pairs(first4, f)
        # Leave-one-model-out jackknife recomputed from predictions, t with M - 1 df.
        loo = np.array([mean_pairs([m for j, m in enumerate(first4) if j != i], f)
                        for i in range(4)])
        se = math.sqrt(3 / 4 * ((loo - loo.mean()) ** 2).sum())
        q = st.t.ppf(0.975, 3)
        # Permutation between groups models[0:4] and models[4:8], all C(8, 4) = 70 splits.
        obs = mean_pairs(models[:4], f) - mean_pairs(models[4:], f)
        null = []
        for grp in itertools.combinations(range(8), 4):
            rest = [i for i in range(8) if i not in grp]
            null.append(mean_pairs([models[i] for i in grp], f) -
                        mean_pairs([models[i] for i in rest], f))
        null = np.array(null)
        gamma = max(1e-14, abs(1e-14 * obs))
        p_greater = float(np.mean(null >= obs - gamma))
        p_less = float(np.mean(null <= obs + gamma))
        out["measures"][name] = {
            "pair01": pair01, "mean_first4": mean4, "jackknife_se_first4": se,
            "jackknife_ci95_first4": [mean4 - q * se, mean4 + q * se],
            "permutation_statistic": obs,
            "permutation_p": {"greater": p_greater, "less": p_less,
                              "two-sided": min(1.0, 2 * min(p_greater, p_less))}}
    probs = [[0.9, 0.2, 0.0, 0.5], [0.7, 0.2, 0.0, 0.6], [0.8, 0.4, 0.1, 0.5]]
    out["relative"] = {"probs": probs, "pair01": rel(probs[0], probs[1]),
                       "mean": mean_pairs(probs, rel)}
    return out


# ---------------------------------------------------------------- multiplicity
def multiplicity_cases():
    ps = [0.01, 0.04, 0.03, 0.005, 0.04, 0.2, 0.5, 0.0]
    return {"p": ps, "holm": multipletests(ps, method="holm")[1].tolist(),
            "bh": multipletests(ps, method="fdr_bh")[1].tolist()}


# ---------------------------------------------------------------- power and SPRT
def power_cases():
    za, zb = st.norm.ppf(0.975), st.norm.ppf(0.8)
    rows = []
    for dz in (0.5, 0.8, 1.0, 1.5, 2.0):
        n = ((za + zb) / dz) ** 2 + za**2 / 2
        rows.append({"dz": dz, "exact": n, "seeds": math.ceil(n)})
    z1 = st.norm.ppf(0.95)
    one_sided = ((z1 + zb) / 0.5) ** 2 + z1**2 / 2
    budget = []
    for seeds, dz in ((10, 1.0), (5, 1.0), (20, 0.5)):
        power = st.norm.cdf(dz * math.sqrt(seeds - za**2 / 2) - za)
        mde = (za + zb) / math.sqrt(seeds - za**2 / 2)
        budget.append({"seeds": seeds, "dz": dz, "power": power, "mde_over_sd": mde})
    return {"two_sided": rows, "one_sided_dz05": one_sided, "budget": budget}


def sprt_error(p_win, rounds, p0=0.5, p1=0.75, alpha=0.05, beta=0.05):
    """P(SPRT says supported / refuted within `rounds` pairs), exact dynamic programming."""
    up, lo = math.log((1 - beta) / alpha), math.log(beta / (1 - alpha))
    w, l = math.log(p1 / p0), math.log((1 - p1) / (1 - p0))
    alive = {0: 1.0}  # wins -> probability, with losses = steps - wins
    supported = refuted = 0.0
    for step in range(1, rounds + 1):
        nxt = {}
        for wins, pr in alive.items():
            for dw, pp in ((1, p_win), (0, 1 - p_win)):
                ww = wins + dw
                llr = ww * w + (step - ww) * l
                if llr >= up:
                    supported += pr * pp
                elif llr <= lo:
                    refuted += pr * pp
                else:
                    nxt[ww] = nxt.get(ww, 0.0) + pr * pp
        alive = nxt
    return supported, refuted


def eb_confidence_sequence(diffs, c=1.0, alpha=0.05):
    """Waudby-Smith & Ramdas (2023) Thm. 2 PrPl-EB CS, written from the paper's notation:
    X in [0,1], mu_t = (1/2 + sum X)/(t+1), sigma2_t = (1/4 + sum (X_i - mu_i)^2)/(t+1),
    lambda_t = min(1/2, sqrt(2 log(2/alpha) / (sigma2_{t-1} t log(1+t)))),
    C_t = sum lambda X / sum lambda +- (log(2/alpha) + sum 4 (X_i - mu_{i-1})^2 psi_E(lambda_i))
    / sum lambda, psi_E(l) = (-log(1-l) - l)/4, mapped back to [-c, c]."""
    xs = [(d + c) / (2 * c) for d in diffs]
    out = []
    for t in range(1, len(xs) + 1):
        mus = [(0.5 + sum(xs[:i])) / (i + 1) for i in range(0, t + 1)]  # mu_0 .. mu_t
        sig2 = [(0.25 + sum((xs[j] - mus[j + 1]) ** 2 for j in range(i))) / (i + 1)
                for i in range(0, t)]  # sigma2_0 .. sigma2_{t-1}
        lam = [min(0.5, math.sqrt(2 * math.log(2 / alpha) /
                                  (sig2[i - 1] * i * math.log(1 + i)))) for i in range(1, t + 1)]
        sl = sum(lam)
        center = sum(l * x for l, x in zip(lam, xs[:t])) / sl
        pen = sum(4 * (xs[i - 1] - mus[i - 1]) ** 2 * (-math.log(1 - lam[i - 1]) - lam[i - 1]) / 4
                  for i in range(1, t + 1))
        width = (math.log(2 / alpha) + pen) / sl
        lo, hi = max(0.0, center - width), min(1.0, center + width)
        out.append([2 * c * lo - c, 2 * c * hi - c])
    return out


def sanitize(obj):
    """Strict JSON: NaN -> null (undefined in scipy), +-inf -> the strings "inf" / "-inf"."""
    if isinstance(obj, dict):
        return {k: sanitize(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [sanitize(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        if math.isnan(obj):
            return None
        if math.isinf(obj):
            return "inf" if obj > 0 else "-inf"
        return float(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def main():
    ref = {
        "provenance": {"script": "tests/stats/reference/generate_reference.py",
                       "scipy": scipy.__version__, "numpy": np.__version__,
                       "statsmodels": statsmodels.__version__},
        "rng": rng_reference(),
        "descriptives": None,
        "bootstrap_exact": bootstrap_exact_cases(),
        "bootstrap_monte_carlo": bootstrap_monte_carlo_case(),
        "ttest": ttest_cases(),
        "permutation": permutation_cases(),
        "improvement": improvement_cases(),
        "expected_max": expected_max_cases(),
        "prediction_difference": pd_cases(),
        "multiplicity": multiplicity_cases(),
        "power": power_cases(),
    }
    x = [3.1, -0.4, 2.2, 7.5, 0.0, 1.25, 2.2, -3.3, 4.8]
    qs = [0.0, 0.025, 0.1, 0.25, 0.5, 0.9, 0.975, 1.0]
    ref["descriptives"] = {"x": x, "mean": float(np.mean(x)), "sd": float(np.std(x, ddof=1)),
                           "q": qs, "quantile": [float(np.quantile(x, q)) for q in qs]}
    s_null, r_null = sprt_error(0.5, 100)
    s_alt, r_alt = sprt_error(0.75, 100)
    ref["sprt"] = {"rounds": 100, "null_supported": s_null, "null_refuted": r_null,
                   "alt_supported": s_alt, "alt_refuted": r_alt}
    rng = np.random.default_rng(21)
    diffs = np.round(np.clip(rng.normal(0.35, 0.5, 40), -2, 2), 4).tolist()
    ref["confidence_sequence"] = {"bound": 2.0, "alpha": 0.05, "differences": diffs,
                                  "intervals": eb_confidence_sequence(diffs, 2.0, 0.05)}
    with open(OUT, "w") as f:
        json.dump(sanitize(ref), f, indent=1, allow_nan=False)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
