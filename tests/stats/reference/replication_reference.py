#!/usr/bin/env python3
"""Independent float64 reference for the replication probability of a verdict
(harness/stats/replication.h: implied_se, p_condition, replication_verdicts).

Model (flat-prior normal approximation: Goodman 1992, "A comment on replication, p-values and
evidence", Stat Med 11:875-879; Killeen 2005's p_rep is the same model), written here from the
definitions, independently of the C++ code. Inputs are one hypothesis of an analysis JSON:
estimate d, ci {lo, hi, confidence}, kind, direction, margin m, p_value p, holm_p, verdict (final),
design, optional "sequential" (object) and "bound" (CV-of-PD hypotheses); alpha is the claim's.

1. CV form: with "bound", lo, hi and d are taken minus bound and the hypothesis is
   superiority, direction less, m = 0 (the CV lies below its bound).
2. s = (hi - lo) / (2 z), z = Phi^-1((1 + confidence) / 2): the standard error the interval implies.
3. decide(lo, hi) is harness/stats/verdict.h (direction less mirrors [lo, hi] to [-hi, -lo]).
4. The p condition (a decided verdict also needs its Holm-adjusted p below alpha,
   claims/analysis.cpp apply_holm; skipped entirely for a "sequential" hypothesis, decided by its
   confidence sequence at alpha/m already):
   * boundary b = 0 unless design is "paired"; paired: superiority b = +m (greater) / -m (less),
     non-inferiority b = -m (greater) / +m (less). TOST = (kind == equivalence).
   * Holm multiplier c = max(1, holm_p / p) (1 when p = 0); z_h = Phi^-1(1 - alpha / c) (TOST),
     Phi^-1(1 - alpha / (2 c)) otherwise.
   * the test's own standard error s_p, read off its p: distance = m - |d| (TOST), |d - b|
     otherwise; when 0 < p < (0.5 TOST, 1 otherwise) and distance > 0, z_obs = Phi^-1(1 - p)
     (TOST), Phi^-1(1 - p / 2) otherwise, and s_p = distance / z_obs if z_obs > 0; else s_p = s.
   * w = z_h s_p (+inf for a two-sided p of 1: never passes); the condition passes at an estimate e iff |e| < m - w (TOST), |e - b| > w
     otherwise. At e = d it passes iff holm_p < alpha whenever s_p came from p.
5. A replication shifts everything by D ~ N(0, 2 s^2): its verdict V(D) = decide(lo + D, hi + D),
   made inconclusive when that is supported/refuted and the p condition fails at d + D.
   s == 0: V(0) with probability 1.
6. P(v) = the Gaussian mass of {D : V(D) = v}, in closed form by interval arithmetic on D: the
   interval's verdict sets (in the mirrored frame, t = m for superiority, -m for non-inferiority)
       supported {D > t - L}, refuted {D < t - H}                (superiority, non-inferiority)
       supported {-m - L < D < m - H}, refuted {D > m - L} u {D < -m - H}   (equivalence)
   intersected with the p condition's D-set
       {|d + D| < m - w} (TOST; empty when w >= m), {d + D < b - w} u {d + D > b + w} (otherwise),
   and P(inconclusive) is the mass of everything else (the interval's inconclusive set plus the
   decided parts the p condition demotes).
7. The replication probability of a hypothesis is P(V = its stored final "verdict"); V(0) is
   what the analysis gives for the stored numbers (the CI verdict, demoted when holm_p >= alpha)
   and is reported beside it.

Every mass is evaluated with scipy.stats.norm (cdf/sf chosen so that no mass is a difference of
two numbers near 1) and cross-checked by Monte Carlo (10^6 draws of D per case, numpy
default_rng(seed 20261203 + case index)), which evaluates V(D) directly in the unmirrored frame
with the rules of 3-5 (no interval arithmetic); the JSON carries both.

Run with the project venv (numpy 2.4.6, scipy 1.17.1, Python 3.11.7; any python3 with numpy and
scipy will do, Debian's bare python3 here has no scipy):

    .venv/bin/python tests/stats/reference/replication_reference.py

It writes replication_reference.json next to itself and prints the known-answer table and the
C++ initializer lines (inputs to 17 significant digits, probabilities to 12)
    {"name", "kind", "direction", "design", margin, bound_or_nan, lo, hi, estimate, confidence,
     alpha, p, holm_p, sequential, "verdict", p_sup, p_ref, p_inc},
The module is importable (no side effect on import): replication_probability(hypothesis, alpha)
takes one hypothesis of an analysis JSON (baselines/<claim>/<profile>.json); analyse() gives
everything, v0 included.
"""

import json
import math
import os

import numpy as np
from scipy.stats import norm

SQRT2 = math.sqrt(2.0)
VERDICTS = ("supported", "refuted", "inconclusive")
INF = math.inf


# --- the verdict rule (harness/stats/verdict.h), written from its documentation ---------------

def decide(lo, hi, kind, direction, margin):
    if math.isnan(lo) or math.isnan(hi) or lo > hi:
        raise ValueError(f"decide: bad interval [{lo}, {hi}]")
    if not math.isfinite(margin) or margin < 0 or (kind == "equivalence" and margin == 0):
        raise ValueError(f"decide: bad margin {margin} for {kind}")
    if direction == "less":
        lo, hi = -hi, -lo
    elif direction != "greater":
        raise ValueError(f"decide: bad direction {direction}")
    m = margin
    if kind == "superiority":
        return "supported" if lo > m else "refuted" if hi < m else "inconclusive"
    if kind == "non-inferiority":
        return "supported" if lo > -m else "refuted" if hi < -m else "inconclusive"
    if kind == "equivalence":
        if -m < lo and hi < m:
            return "supported"
        if lo > m or hi < -m:
            return "refuted"
        return "inconclusive"
    raise ValueError(f"decide: bad kind {kind}")


# --- the model ------------------------------------------------------------------------------------

def implied_se(lo, hi, confidence):
    """(hi - lo) / (2 z), z = Phi^-1((1 + confidence) / 2)."""
    return (hi - lo) / (2.0 * norm.ppf(0.5 * (1.0 + confidence)))


def holm_multiplier(p_value, holm_p):
    c = holm_p / p_value if p_value > 0 else 1.0
    return max(c, 1.0)


def cv_form(h):
    """(kind, direction, margin, lo, hi, d) of a hypothesis, a CV-of-PD one ("bound") taken as
    superiority "less" at margin 0 of (value - bound)."""
    ci = h["ci"]
    lo, hi, d = float(ci["lo"]), float(ci["hi"]), float(h["estimate"])
    if h.get("bound") is not None:
        b = float(h["bound"])
        return "superiority", "less", 0.0, lo - b, hi - b, d - b
    return h["kind"], h["direction"], float(h["margin"]), lo, hi, d


def boundary(design, kind, direction, margin):
    """b, the value the design's test is against (unmirrored frame; 0 unless paired)."""
    if design != "paired" or kind == "equivalence":
        return 0.0
    sign = 1.0 if direction == "greater" else -1.0
    return sign * margin if kind == "superiority" else -sign * margin


def p_condition(d, p, holm_p, alpha, kind, b, margin, se):
    """{tost, boundary, c, z_h, s_p, s_p_from_p, half_width}: the test's condition, passing at
    e iff |e| < margin - half_width (tost) or |e - boundary| > half_width."""
    tost = kind == "equivalence"
    c = holm_multiplier(p, holm_p)
    z_h = float(norm.isf(alpha / c)) if tost else float(norm.isf(alpha / (2.0 * c)))
    distance = (margin - abs(d)) if tost else abs(d - b)
    s_p, from_p = se, False
    if 0.0 < p < (0.5 if tost else 1.0) and distance > 0.0:
        z_obs = float(norm.isf(p)) if tost else float(norm.isf(p / 2.0))
        if z_obs > 0.0:
            s_p, from_p = distance / z_obs, True
    # A two-sided p of 1 (the test sees nothing: a least favourable comparison, a permutation
    # p at its ceiling) never passes: its replication is as blunt.
    half_width = float("inf") if (not tost and p >= 1.0) else z_h * s_p
    return {"tost": tost, "boundary": b, "c": c, "z_h": z_h, "s_p": s_p, "s_p_from_p": from_p,
            "half_width": half_width}


def passes(cond, e, margin):
    """The p condition at estimate(s) e (scalar or numpy array)."""
    if cond is None:
        return np.ones_like(e, dtype=bool) if isinstance(e, np.ndarray) else True
    w = cond["half_width"]
    if cond["tost"]:
        return np.abs(e) < margin - w
    return np.abs(e - cond["boundary"]) > w


# --- interval arithmetic on D (lists of disjoint open intervals (a, b), a < b) -------------------

def _norm_set(s):
    out = []
    for a, b in sorted((a, b) for a, b in s if a < b):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def intersect(x, y):
    return _norm_set([(max(a, c), min(b, d)) for a, b in x for c, d in y])


def complement(x):
    out, prev = [], -INF
    for a, b in _norm_set(x):
        out.append((prev, a))
        prev = b
    out.append((prev, INF))
    return _norm_set(out)


def _mass(a, b):
    """P(a < Z < b) for Z ~ N(0, 1), a <= b, without cancellation in either tail."""
    if b <= a:
        return 0.0
    if a >= 0:
        return float(norm.sf(a) - norm.sf(b))
    if b <= 0:
        return float(norm.cdf(b) - norm.cdf(a))
    return float(1.0 - norm.cdf(a) - norm.sf(b))


def mass(x, sig):
    return sum(_mass(a / sig, b / sig) for a, b in _norm_set(x))


def ci_sets(lo, hi, kind, direction, margin):
    """The D-sets on which decide(lo + D, hi + D) is supported / refuted / inconclusive."""
    if direction == "less":  # mirror: [-hi - D, -lo - D]; the sets are then negated back
        sup, ref = ci_sets(-hi, -lo, kind, "greater", margin)[:2]
        neg = lambda s: _norm_set([(-b, -a) for a, b in s])  # noqa: E731
        sup, ref = neg(sup), neg(ref)
    else:
        m = margin
        if kind in ("superiority", "non-inferiority"):
            t = m if kind == "superiority" else -m
            sup, ref = [(t - lo, INF)], [(-INF, t - hi)]
        else:
            sup = _norm_set([(-m - lo, m - hi)])  # empty when hi - lo >= 2m
            ref = _norm_set([(m - lo, INF), (-INF, -m - hi)])
    return sup, ref, complement(sup + ref)


def p_set(cond, d, margin):
    """The D-set on which the p condition passes at d + D (everything when cond is None)."""
    if cond is None:
        return [(-INF, INF)]
    w = cond["half_width"]
    if cond["tost"]:
        r = margin - w
        return _norm_set([(-r - d, r - d)]) if r > 0 else []
    b = cond["boundary"]
    return _norm_set([(-INF, b - w - d), (b + w - d, INF)])


def verdict_at(delta, lo, hi, d, kind, direction, margin, cond):
    """V(D) for one D, straight from the rules (no interval arithmetic)."""
    v = decide(lo + delta, hi + delta, kind, direction, margin)
    if v != "inconclusive" and not passes(cond, d + delta, margin):
        return "inconclusive"
    return v


def replication_verdicts(lo, hi, d, se, kind, direction, margin, cond):
    """Closed-form P(supported), P(refuted), P(inconclusive) of V(D), D ~ N(0, 2 se^2), with the
    sets behind them."""
    if not (math.isfinite(se) and se >= 0):
        raise ValueError(f"replication_verdicts: bad se {se}")
    decide(lo, hi, kind, direction, margin)  # validates everything
    sup, ref, inc = ci_sets(lo, hi, kind, direction, margin)
    ps = p_set(cond, d, margin)
    fail = complement(ps)
    sets = {"supported": intersect(sup, ps), "refuted": intersect(ref, ps),
            "inconclusive": _norm_set(inc + intersect(sup, fail) + intersect(ref, fail))}
    if se == 0:
        v = verdict_at(0.0, lo, hi, d, kind, direction, margin, cond)
        return {k: float(k == v) for k in VERDICTS}, sets
    sig = SQRT2 * se
    return {k: mass(sets[k], sig) for k in VERDICTS}, sets


def monte_carlo(lo, hi, d, se, kind, direction, margin, cond, draws=10**6, seed=0):
    """The same three probabilities by simulation: decide() and the p condition vectorised in the
    unmirrored frame (b is the signed boundary), no interval arithmetic."""
    delta = np.random.default_rng(seed).normal(0.0, SQRT2 * se, draws)
    a, z = lo + delta, hi + delta
    m = margin
    if direction == "greater":
        above, below = (lambda x: a > x), (lambda x: z < x)  # noqa: E731
    else:  # "less": the claim is about -effect; lo > x there is hi < -x here
        above, below = (lambda x: z < -x), (lambda x: a > -x)  # noqa: E731
    if kind == "superiority":
        sup, ref = above(m), below(m)
    elif kind == "non-inferiority":
        sup, ref = above(-m), below(-m)
    else:
        sup, ref = (-m < a) & (z < m), (a > m) | (z < -m)
    ok = passes(cond, d + delta, m)
    sup, ref = sup & ok, ref & ok
    ps, pr = float(sup.mean()), float(ref.mean())
    return {"supported": ps, "refuted": pr, "inconclusive": 1.0 - ps - pr}


def analyse(h, alpha):
    """Everything about one hypothesis of an analysis JSON: its CV form, se, p condition, the
    three probabilities, V(0) and the replication probability of h["verdict"]."""
    kind, direction, m, lo, hi, d = cv_form(h)
    conf = float(h["ci"]["confidence"])
    se = implied_se(lo, hi, conf)
    seq = h.get("sequential") is not None
    design = h.get("design", "paired")
    b = boundary(design, kind, direction, m)
    cond = None if seq else p_condition(d, float(h["p_value"]), float(h["holm_p"]), alpha, kind,
                                        b, m, se)
    probs, sets = replication_verdicts(lo, hi, d, se, kind, direction, m, cond)
    return {"kind": kind, "direction": direction, "margin": m, "lo": lo, "hi": hi, "estimate": d,
            "design": design, "se": se, "sequential": seq, "cond": cond, "probs": probs,
            "sets": sets, "v0": verdict_at(0.0, lo, hi, d, kind, direction, m, cond),
            "ci_verdict": decide(lo, hi, kind, direction, m),
            "replication_probability": probs[h["verdict"]]}


def replication_probability(h, alpha):
    """P(an independent replication's verdict == h["verdict"])."""
    return analyse(h, alpha)["replication_probability"]


# --- known-answer cases ---------------------------------------------------------------------------

Z95 = float(norm.ppf(0.975))
ALPHA = 0.05


def _normal_p(kind, b, margin, est, se):
    """A p-value consistent with the interval (normal approximation): two-sided at the design's
    boundary b for superiority / non-inferiority, TOST's max one-sided p for equivalence; est is
    in the CV form already."""
    if se == 0:
        return 0.0
    if kind == "equivalence":
        return float(max(norm.cdf((est - margin) / se), norm.cdf((-margin - est) / se)))
    return float(min(1.0, 2.0 * norm.sf(abs(est - b) / se)))


def make_case(name, kind, direction, margin, est, se, conf=0.95, alpha=ALPHA, c=1.0,
              sequential=False, p_value=None, holm_p=None, design="paired", bound=None):
    """est, se are in the CV form (est - bound); the stored interval and estimate are raw."""
    z = float(norm.ppf(0.5 * (1.0 + conf)))
    shift = 0.0 if bound is None else bound
    k, dr, m = ("superiority", "less", 0.0) if bound is not None else (kind, direction, margin)
    lo, hi = est - z * se, est + z * se
    p = _normal_p(k, boundary(design, k, dr, m), m, est, se) if p_value is None else p_value
    hp = min(1.0, c * p) if holm_p is None else holm_p
    ci_verdict = decide(lo, hi, k, dr, m)
    verdict = ci_verdict if (sequential or ci_verdict == "inconclusive" or hp < alpha) \
        else "inconclusive"
    h = {"id": name, "kind": kind, "direction": direction, "design": design, "margin": margin,
         "estimate": est + shift, "ci": {"lo": lo + shift, "hi": hi + shift, "confidence": conf},
         "alpha": alpha, "p_value": p, "holm_p": hp, "ci_verdict": ci_verdict,
         "verdict": verdict}
    if bound is not None:
        h["bound"] = bound
    if sequential:
        h["sequential"] = {}
    return h


def cases():
    k95 = SQRT2 * float(norm.ppf(0.95))  # k with Phi(k / sqrt 2) = 0.95 (2.32617...)
    seq_conf = 0.99375  # a confidence sequence at alpha / m, m = 8
    out = [
        # superiority, greater. The two k cases: m = 0, lo = k, s = 1, p = 2 Phi(-d) (the
        # interval's own test), c = 1: the p condition's edge d + D > 1.96 is lo + D > 0.
        make_case("sup-greater-k1", "superiority", "greater", 0.0, 1.0 + Z95, 1.0),
        make_case("sup-greater-k2.326", "superiority", "greater", 0.0, k95 + Z95, 1.0),
        make_case("sup-greater-refuted", "superiority", "greater", 0.1, -0.3, 0.1),
        make_case("sup-greater-inconclusive", "superiority", "greater", 0.1, 0.15, 0.1),
        # superiority, less (paired b = -m)
        make_case("sup-less-supported", "superiority", "less", 0.05, -0.4, 0.12),
        make_case("sup-less-refuted", "superiority", "less", 0.0, 0.02, 0.008),
        make_case("sup-less-inconclusive", "superiority", "less", 0.0, -0.01, 0.008),
        # non-inferiority, greater (threshold -m, paired b = -m)
        make_case("ni-greater-supported", "non-inferiority", "greater", 0.2, 0.1, 0.1),
        make_case("ni-greater-refuted", "non-inferiority", "greater", 0.2, -0.6, 0.1),
        make_case("ni-greater-inconclusive", "non-inferiority", "greater", 0.2, -0.1, 0.1),
        # non-inferiority, less (supported when hi < m, paired b = +m)
        make_case("ni-less-supported", "non-inferiority", "less", 0.02, -0.002, 0.005),
        make_case("ni-less-refuted", "non-inferiority", "less", 0.02, 0.05, 0.01),
        make_case("ni-less-inconclusive", "non-inferiority", "less", 0.02, 0.015, 0.005),
        # equivalence, greater. TOST's p is >= 0.5 whenever the CI lies past a margin, so a
        # final "refuted" exists only for a sequential hypothesis (its p condition is skipped).
        make_case("eq-greater-supported", "equivalence", "greater", 1.0, 0.2, 0.2),
        make_case("eq-greater-refuted-sequential", "equivalence", "greater", 1.0, 1.9, 0.25,
                  conf=seq_conf, sequential=True, holm_p=1.0),
        make_case("eq-greater-inconclusive", "equivalence", "greater", 1.0, 0.7, 0.2),
        # equivalence, less (the rule is symmetric under the mirror)
        make_case("eq-less-supported", "equivalence", "less", 0.01, 0.001, 0.0015),
        make_case("eq-less-refuted-sequential", "equivalence", "less", 0.01, -0.03, 0.005,
                  conf=seq_conf, sequential=True, holm_p=1.0),
        make_case("eq-less-inconclusive", "equivalence", "less", 0.01, -0.008, 0.002),
        # equivalence refuted by the CI with TOST's real p (~0.996 >= 0.5, so s_p = s): Holm
        # makes the verdict inconclusive, and so does the p condition at every D
        make_case("eq-refuted-tost-p", "equivalence", "greater", 1.0, 1.8, 0.3),
        # Holm: c = 4 keeps the verdict but raises z_h (the p condition's edge passes lo's) ...
        make_case("holm-c4-supported", "superiority", "greater", 0.0, 0.9, 0.3, c=4.0),
        # ... c = 10 sends holm_p past alpha: ci_verdict supported, verdict inconclusive
        make_case("holm-c10-downgraded", "superiority", "greater", 0.0, 0.7, 0.3, c=10.0),
        # equivalence with Holm (one-sided z_h), kept and downgraded
        make_case("holm-c3-equivalence", "equivalence", "less", 0.5, 0.05, 0.12, c=3.0),
        make_case("holm-c10-equivalence-downgraded", "equivalence", "greater", 0.5, 0.2, 0.12,
                  c=10.0),
        # permutation designs (b = 0): a random-search p larger than the interval implies
        # (normal p 0.0124 at d / s = 2.5; the permutation gave 0.03, so s_p = 1.15 s) ...
        make_case("perm-random-search", "superiority", "greater", 0.0, 0.01, 0.004,
                  design="random-search", p_value=0.03, holm_p=0.03),
        # ... with a margin: the interval is past m, the test is against 0 (b = 0, not m)
        make_case("perm-random-search-margin", "superiority", "greater", 0.004, 0.0125, 0.004,
                  design="random-search", p_value=0.006, holm_p=0.018),
        # ... a permutation p of 1 (s_p = s) on an inconclusive interval
        make_case("perm-p-one", "superiority", "greater", 0.0, -0.002, 0.01,
                  design="random-search", p_value=1.0, holm_p=1.0),
        # prediction difference (b = 0), direction less, CI refuted, Holm-downgraded
        make_case("pd-refuted-holm-downgraded", "superiority", "less", 0.0, 0.0192, 0.0083,
                  design="prediction-difference", p_value=0.0390625, holm_p=0.1171875),
        # CV of PD below a bound: the form is superiority "less" at 0 of (CV - bound)
        make_case("cv-bound-supported", "superiority", "less", 0.0, -0.028, 0.008,
                  design="prediction-difference", bound=0.05, p_value=0.004, holm_p=0.012),
        make_case("cv-bound-inconclusive", "superiority", "less", 0.0, -0.0004, 0.0344,
                  design="prediction-difference", bound=0.05, p_value=0.86, holm_p=0.86),
        # equivalence interval wider than 2m: P(supported) = 0; TOST's pass set |d + D| < m - w
        # is empty (w > m), so the p condition demotes every refuted shift too: P(inc) = 1 ...
        make_case("eq-wider-than-2m", "equivalence", "greater", 0.5, 0.1, 1.0),
        # ... unless sequential (no p condition): then P(refuted) > 0, P(supported) still 0
        make_case("eq-wider-than-2m-sequential", "equivalence", "less", 0.5, -0.6, 0.5,
                  conf=seq_conf, sequential=True, holm_p=1.0),
        # zero width (s = 0, p = 0 so c = 1 and s_p = 0): the point's verdict with probability 1
        make_case("zero-width", "superiority", "greater", 0.0, 0.3, 0.0),
        make_case("zero-width-equivalence-supported", "equivalence", "less", 0.1, -0.05, 0.0),
        # sequential (0.99375 confidence sequence; p condition skipped, the large Holm ratio
        # is ignored)
        make_case("sequential-supported", "superiority", "greater", 0.0, 0.205, 0.0718,
                  conf=seq_conf, sequential=True, p_value=0.0053, holm_p=0.0423),
    ]
    return out


def _sig(x):
    return float(f"{x:.12g}")


def _set_json(s):
    return [[a if math.isfinite(a) else ("-inf" if a < 0 else "inf"),
             b if math.isfinite(b) else ("-inf" if b < 0 else "inf")] for a, b in s]


def _lit(x, digits):
    """A C++ double literal with `digits` significant digits (NAN for NaN)."""
    if math.isnan(x):
        return "NAN"
    s = f"{x:.{digits}g}"
    return s if any(ch in s for ch in ".en") else s + ".0"


def main():
    table = []
    worst = 0.0
    for i, h in enumerate(cases()):
        a = analyse(h, h["alpha"])
        assert a["v0"] == h["verdict"], (h["id"], a["v0"], h["verdict"])
        mc = monte_carlo(a["lo"], a["hi"], a["estimate"], a["se"], a["kind"], a["direction"],
                         a["margin"], a["cond"], seed=20261203 + i)
        total = sum(a["probs"].values())
        assert abs(total - 1.0) < 1e-12, (h["id"], total)
        dev = max(abs(mc[k] - a["probs"][k]) for k in VERDICTS)
        worst = max(worst, dev)
        cond = a["cond"] or {}
        table.append({
            "name": h["id"], "kind": h["kind"], "direction": h["direction"],
            "design": h["design"], "margin": h["margin"], "bound": h.get("bound"),
            "lo": h["ci"]["lo"], "hi": h["ci"]["hi"],
            "estimate": h["estimate"], "confidence": h["ci"]["confidence"], "alpha": h["alpha"],
            "p_value": h["p_value"], "holm_p": h["holm_p"],
            "sequential": "sequential" in h, "ci_verdict": h["ci_verdict"],
            "verdict": h["verdict"], "v0": a["v0"], "se": _sig(a["se"]),
            "boundary": cond.get("boundary"), "tost": cond.get("tost"),
            "holm_multiplier": _sig(cond["c"]) if cond else None,
            "z_h": _sig(cond["z_h"]) if cond else None,
            "s_p": _sig(cond["s_p"]) if cond else None,
            "s_p_from_p": cond.get("s_p_from_p"),
            "half_width": (_sig(cond["half_width"]) if math.isfinite(cond["half_width"]) else "inf") if cond else None,
            "delta_sets": {k: _set_json(a["sets"][k]) for k in VERDICTS},
            "p_supported": _sig(a["probs"]["supported"]),
            "p_refuted": _sig(a["probs"]["refuted"]),
            "p_inconclusive": _sig(a["probs"]["inconclusive"]),
            "replication_probability": _sig(a["replication_probability"]),
            "mc_supported": mc["supported"], "mc_refuted": mc["refuted"],
            "mc_inconclusive": mc["inconclusive"], "mc_max_abs_dev": dev,
        })
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "replication_reference.json"), "w") as f:
        json.dump({"model": "flat-prior normal approximation (Goodman 1992; Killeen 2005), "
                            "interval verdict shifted by D ~ N(0, 2 s^2), demoted where the "
                            "p condition (test's own s_p, Holm's z_h) fails at d + D",
                   "mc_draws": 10**6, "cases": table}, f, indent=1)
        f.write("\n")

    print(f"{'case':34} {'kind':15} {'dir':7} {'design':21} {'verdict':12} {'P(sup)':>18} "
          f"{'P(ref)':>18} {'P(inc)':>18} {'p_rep':>18} {'MC dev':>8}")
    for r in table:
        print(f"{r['name']:34} {r['kind']:15} {r['direction']:7} {r['design']:21} "
              f"{r['verdict']:12} {r['p_supported']:18.12g} {r['p_refuted']:18.12g} "
              f"{r['p_inconclusive']:18.12g} {r['replication_probability']:18.12g} "
              f"{r['mc_max_abs_dev']:8.1e}")
    print("every case: V(0) == verdict (asserted)")
    print(f"max |MC - closed form| over all cases and verdicts: {worst:.2e} (10^6 draws)")
    print()
    print("// name, kind, direction, design, margin, bound, lo, hi, estimate, confidence, alpha, p,"
          " holm_p, sequential, verdict, p_supported, p_refuted, p_inconclusive")
    for r in table:
        bound = math.nan if r["bound"] is None else r["bound"]
        nums = ", ".join(_lit(r[k] if k != "bound" else bound, 17) for k in (
            "margin", "bound", "lo", "hi", "estimate", "confidence", "alpha", "p_value",
            "holm_p"))
        outs = ", ".join(_lit(r[k], 12) for k in ("p_supported", "p_refuted", "p_inconclusive"))
        print(f'{{"{r["name"]}", "{r["kind"]}", "{r["direction"]}", "{r["design"]}", {nums}, '
              f'{"true" if r["sequential"] else "false"}, "{r["verdict"]}", {outs}}},')


if __name__ == "__main__":
    main()
