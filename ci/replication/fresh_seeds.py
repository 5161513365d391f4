#!/usr/bin/env python3
"""Empirical flip rates of the smoke verdicts over fresh seed sets (issue 19, "Measure first").

Reads the reports of `claimcheck run --all --profile smoke --seed-offset K --store DIR_K` for
several K (one store directory per K, each with reports/<claim>/smoke/report.json) and, per
hypothesis, compares each replication's verdict with the committed baseline's (the profile's
own seeds). Beside the empirical flip rate it prints the predicted one, 1 − the baseline verdict's
replication probability as claimcheck computed it (comparison.hypotheses[].baseline_replication,
harness/claims/replication.h), and whether the hypothesis gates (the spec's
profiles.smoke.report_only in --claims-dir). Pooled over the gated hypotheses: flips, their rate
with a Clopper-Pearson 95% interval, and the predicted rate.

  .venv/bin/python ci/replication/fresh_seeds.py STORE_1 STORE_2 ... [--claims-dir claims]

Prints a Markdown table and the pooled summary; exits 0 (it measures, it does not judge).
"""
import argparse
import json
import math
import os
import sys

from scipy.stats import beta


def clopper_pearson(k, n, level=0.95):
    if n == 0:
        return (math.nan, math.nan)
    a = (1 - level) / 2
    lo = 0.0 if k == 0 else beta.ppf(a, k, n - k + 1)
    hi = 1.0 if k == n else beta.ppf(1 - a, k + 1, n - k)
    return (lo, hi)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("stores", nargs="+", help="one store directory per fresh seed set")
    ap.add_argument("--claims-dir", default="claims")
    ap.add_argument("--profile", default="smoke")
    args = ap.parse_args()

    rows = {}  # (claim, id) -> dict
    offsets = []
    for store in args.stores:
        reports = os.path.join(store, "reports")
        if not os.path.isdir(reports):
            sys.exit(f"fresh_seeds.py: {store}: no reports/ (run claimcheck run --all --seed-offset K --store {store})")
        for claim in sorted(os.listdir(reports)):
            path = os.path.join(reports, claim, args.profile, "report.json")
            if not os.path.exists(path):
                continue
            report = json.load(open(path))
            offset = report["analysis"].get("seed_offset", 0)
            if offset == 0:
                sys.exit(f"fresh_seeds.py: {path}: seed offset 0 is the baseline's own seeds, not a replication")
            offsets.append(offset)
            spec = json.load(open(os.path.join(args.claims_dir, claim + ".json")))
            report_only = spec["profiles"][args.profile].get("report_only", {})
            for c in report["comparison"]["hypotheses"]:
                r = rows.setdefault((claim, c["id"]), {
                    "baseline": c["baseline_verdict"],
                    "p_rep": c.get("baseline_replication"),
                    "gated": c["id"] not in report_only,
                    "verdicts": {},
                    "outcomes": {},
                })
                r["verdicts"][offset] = c["verdict"]
                r["outcomes"][offset] = c["outcome"] + (" (within noise)" if c.get("within_noise") else "")
    ks = sorted(set(offsets))
    print(f"# Fresh seed sets {', '.join(map(str, ks))} against the committed {args.profile} baselines\n")
    print("| claim | hypothesis | baseline verdict | P(rep) | decisive | gates | "
          + " | ".join(f"K={k}" for k in ks) + " | flips | predicted flips |")
    print("|---|---|---|---:|:---:|:---:|" + "---|" * len(ks) + "---:|---:|")
    pooled = {True: [0, 0, 0.0], False: [0, 0, 0.0]}  # gated -> [flips, n, predicted flips]
    decisive = [0, 0, 0.0]
    for (claim, hid), r in sorted(rows.items()):
        p = r["p_rep"]
        flips = sum(1 for k in ks if r["verdicts"].get(k) != r["baseline"])
        n = sum(1 for k in ks if k in r["verdicts"])
        predicted = (1 - p) * n if p is not None else math.nan
        cells = []
        for k in ks:
            v = r["verdicts"].get(k, "—")
            cells.append(("**" + v + "**") if v != r["baseline"] else v)
        print(f"| {claim} | `{hid}` | {r['baseline']} | {p:.3f} | {'yes' if p is not None and p >= 0.95 else 'no'} | "
              f"{'yes' if r['gated'] else 'no'} | " + " | ".join(cells) + f" | {flips}/{n} | {predicted:.2f} |")
        g = pooled[r["gated"]]
        g[0] += flips
        g[1] += n
        g[2] += predicted
        if p is not None and p >= 0.95:
            decisive[0] += flips
            decisive[1] += n
            decisive[2] += predicted
    print()
    for name, (f, n, pred) in (("gated", pooled[True]), ("report-only", pooled[False]),
                               ("decisive (P(rep) >= 0.95)", decisive),
                               ("all", [pooled[True][0] + pooled[False][0],
                                        pooled[True][1] + pooled[False][1],
                                        pooled[True][2] + pooled[False][2]])):
        lo, hi = clopper_pearson(f, n)
        rate = f / n if n else math.nan
        print(f"- {name}: {f} flips in {n} replications = {rate:.3f} (95% CI {lo:.3f}–{hi:.3f}); "
              f"predicted {pred:.1f} flips = {pred / n if n else math.nan:.3f}")


if __name__ == "__main__":
    main()
