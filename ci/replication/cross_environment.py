#!/usr/bin/env python3
"""Cross-environment table: the same claims, profiles and seeds blessed under two environments
(by default Debian's LibTorch 1.13 at 4966ddd^ and pip's LibTorch 2.13 at 4966ddd, the commit that
re-blessed the smoke baselines and geglu-vs-relu-mnist's nightly), hypothesis by hypothesis.

For every baselines/<claim>/<profile>.json present at both revisions (read with `git show`) and
whose content differs between them (an identical file was not re-run, so it says nothing about
the environments; --include-unchanged takes those too), each hypothesis gives:

* its final verdict at OLD -> NEW (and the CI verdict when that differs), "flip" when the final
  verdicts differ;
* both estimates and z = (est_new - est_old) / hypot(s_old, s_new), s each side's standard error
  implied by its interval, (hi - lo) / (2 Phi^-1((1 + confidence) / 2)); |z| > 3.29 is flagged
  (two-sided 0.001);
* the replication probability of the OLD verdict (tests/stats/reference/replication_reference.py,
  flat-prior normal approximation, Goodman 1992: the interval shifted by D ~ N(0, 2 s^2), its
  verdict demoted where the p condition, the test's own standard error read off its p with
  Holm's critical value, fails at the shifted estimate), "decisive" when >= 0.95, and V(0), the
  model's verdict for the stored numbers, when it is not OLD's stored verdict.

Summaries: hypotheses compared, flips, flips among decisive OLD verdicts, |z| > 3.29, Holm over
all compared hypotheses of p = 2 Phi(-|z|) at family-wise alpha 0.01, and the V(0) check at both
revisions: for every compared hypothesis, whether V(0) is its stored verdict (it is whenever the
stored p gives s_p, by construction: the condition at D = 0 is holm_p < alpha), each
disagreement listed with its numbers.

    .venv/bin/python ci/replication/cross_environment.py [--old REV] [--new REV]
        [--include-unchanged] [--repo PATH]

Prints a Markdown table. The z's denominator treats the two runs as independent; they share
seeds, so their estimates are positively correlated and the denominator overstates the spread of
the difference: |z| understates a real environment effect (a small |z| is weak evidence of
sameness, a |z| > 3.29 strong evidence of a difference). Likewise the replication probability
is for fresh seeds, conservative for a same-seed rerun.
"""
import argparse
import json
import math
import os
import subprocess
import sys

from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "stats", "reference"))
import replication_reference as rr  # noqa: E402

Z_FLAG = 3.29
FAMILY_ALPHA = 0.01
DECISIVE = 0.95


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          text=True).stdout


def baseline_files(repo, rev):
    out = git(repo, "ls-tree", "-r", "--name-only", rev, "--", "baselines")
    return {p for p in out.split() if p.count("/") == 2 and p.endswith(".json")}


def blob(repo, rev, path):
    return git(repo, "rev-parse", f"{rev}:{path}").strip()


def load(repo, rev, path):
    return json.loads(git(repo, "show", f"{rev}:{path}"))


def holm(ps):
    """Holm step-down adjusted p-values (same order as ps)."""
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adj = [0.0] * len(ps)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        adj[i] = running
    return adj


def fmt(x, digits=6):
    return f"{x:.{digits}g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", default="4966ddd^")
    ap.add_argument("--new", default="4966ddd")
    ap.add_argument("--repo", default=ROOT)
    ap.add_argument("--include-unchanged", action="store_true",
                    help="also compare files whose content is the same at both revisions")
    args = ap.parse_args()
    repo = args.repo

    common = sorted(baseline_files(repo, args.old) & baseline_files(repo, args.new))
    only = sorted(baseline_files(repo, args.old) ^ baseline_files(repo, args.new))
    rows, skipped, notes, checks = [], [], [], []
    for path in common:
        if blob(repo, args.old, path) == blob(repo, args.new, path) and not args.include_unchanged:
            skipped.append(path)
            continue
        a, b = load(repo, args.old, path), load(repo, args.new, path)
        env = (a.get("fingerprint", {}).get("libtorch", "?"),
               b.get("fingerprint", {}).get("libtorch", "?"))
        claim, profile = path.split("/")[1], path.split("/")[2][:-5]
        new_by_id = {h["id"]: h for h in b["hypotheses"]}
        old_ids = [h["id"] for h in a["hypotheses"]]
        for hid in sorted(set(new_by_id) - set(old_ids)):
            notes.append(f"{claim}/{profile}: {hid} only at {args.new}")
        for h in a["hypotheses"]:
            if h["id"] not in new_by_id:
                notes.append(f"{claim}/{profile}: {h['id']} only at {args.old}")
                continue
            g = new_by_id[h["id"]]
            s_old = rr.implied_se(h["ci"]["lo"], h["ci"]["hi"], h["ci"]["confidence"])
            s_new = rr.implied_se(g["ci"]["lo"], g["ci"]["hi"], g["ci"]["confidence"])
            diff = g["estimate"] - h["estimate"]
            den = math.hypot(s_old, s_new)
            z = diff / den if den > 0 else (0.0 if diff == 0 else math.copysign(math.inf, diff))
            an = rr.analyse(h, float(a["alpha"]))
            bn = rr.analyse(g, float(b["alpha"]))
            for rev, x, ax in ((args.old, h, an), (args.new, g, bn)):
                checks.append({"rev": rev, "claim": claim, "profile": profile, "h": x, "an": ax})
            rows.append({
                "claim": claim, "profile": profile, "id": h["id"], "env": env,
                "kind": h["kind"], "direction": h["direction"],
                "v_old": h["verdict"], "v_new": g["verdict"],
                "ci_old": h["ci_verdict"], "ci_new": g["ci_verdict"],
                "est_old": h["estimate"], "est_new": g["estimate"], "z": z,
                "p": 2.0 * float(norm.sf(abs(z))),
                "prep": an["replication_probability"], "v0_old": an["v0"],
                "seq": an["sequential"],
            })

    adj = holm([r["p"] for r in rows])
    for r, q in zip(rows, adj):
        r["holm"] = q

    print(f"# Cross-environment verdicts: {args.old} -> {args.new}\n")
    envs = sorted({r["env"] for r in rows})
    print("LibTorch (analysis fingerprint): "
          + ", ".join(f"{o} -> {n}" for o, n in envs) + "\n")
    print("| claim | profile | hypothesis | verdict old → new | CI verdict old → new | "
          "estimate old | estimate new | z | \\|z\\|>3.29 | Holm p | P(rep old) | decisive | "
          "flip | note |")
    print("|---|---|---|---|---|---:|---:|---:|:---:|---:|---:|:---:|:---:|---|")
    for r in rows:
        note = []
        if r["seq"]:
            note.append("sequential")
        if r["v_old"] != r["ci_old"]:
            note.append(f"old CI {r['ci_old']} downgraded by Holm")
        if r["v0_old"] != r["v_old"]:
            note.append(f"V(0) old = {r['v0_old']}")
        ci = f"{r['ci_old']} → {r['ci_new']}" if r["ci_old"] != r["ci_new"] else "="
        print(f"| {r['claim']} | {r['profile']} | {r['id']} | {r['v_old']} → {r['v_new']} | {ci} | "
              f"{fmt(r['est_old'], 8)} | {fmt(r['est_new'], 8)} | {r['z']:+.3f} | "
              f"{'**yes**' if abs(r['z']) > Z_FLAG else 'no'} | {fmt(r['holm'], 4)} | "
              f"{r['prep']:.4f} | {'yes' if r['prep'] >= DECISIVE else 'no'} | "
              f"{'**yes**' if r['v_old'] != r['v_new'] else 'no'} | {'; '.join(note)} |")

    flips = [r for r in rows if r["v_old"] != r["v_new"]]
    ci_flips = [r for r in rows if r["ci_old"] != r["ci_new"]]
    decisive = [r for r in rows if r["prep"] >= DECISIVE]
    print("\n## Summary\n")
    print(f"- files compared: {len({(r['claim'], r['profile']) for r in rows})}"
          + (f"; skipped as identical at both revisions: {', '.join(skipped)}" if skipped else "")
          + (f"; present at one revision only: {', '.join(only)}" if only else ""))
    print(f"- hypotheses compared: {len(rows)}")
    print(f"- final-verdict flips: {len(flips)}"
          + (" (" + ", ".join(f"{r['claim']}/{r['profile']}/{r['id']}" for r in flips) + ")"
             if flips else ""))
    print(f"- CI-verdict flips: {len(ci_flips)}"
          + (" (" + ", ".join(f"{r['claim']}/{r['profile']}/{r['id']} {r['ci_old']} → "
                              f"{r['ci_new']} z {r['z']:+.2f}" for r in ci_flips) + ")"
             if ci_flips else ""))
    print(f"- decisive old verdicts (P(rep) >= {DECISIVE}): {len(decisive)}; flips among them: "
          f"{sum(r['v_old'] != r['v_new'] for r in decisive)}")
    print(f"- |z| > {Z_FLAG}: {sum(abs(r['z']) > Z_FLAG for r in rows)}; "
          f"max |z| {max((abs(r['z']) for r in rows), default=0):.3f}")
    print(f"- Holm over {len(rows)} two-sided p = 2Φ(-|z|) at family-wise α = {FAMILY_ALPHA}: "
          f"{sum(q < FAMILY_ALPHA for q in adj)} rejected; smallest adjusted p "
          f"{fmt(min(adj, default=1.0), 4)}")
    for rev in (args.old, args.new):
        cs = [c for c in checks if c["rev"] == rev]
        bad = [c for c in cs if c["an"]["v0"] != c["h"]["verdict"]]
        from_p = sum(bool(c["an"]["cond"] and c["an"]["cond"]["s_p_from_p"]) for c in cs)
        print(f"- V(0) == stored verdict at {rev}: {len(cs) - len(bad)} of {len(cs)} "
              f"(s_p read off p for {from_p}, sequential {sum(c['an']['sequential'] for c in cs)})"
              + (" (disagreeing: " + ", ".join(f"{c['claim']}/{c['profile']}/{c['h']['id']}"
                                             for c in bad) + ")" if bad else ""))
    for n in notes:
        print(f"- {n}")

    print("\n## V(0) against the stored verdict\n")
    print("| revision | claim | profile | hypotheses | V(0) == verdict | sequential | "
          "s_p from p |")
    print("|---|---|---|---:|---:|---:|---:|")
    keys = []
    for c in checks:
        k = (c["rev"], c["claim"], c["profile"])
        if k not in keys:
            keys.append(k)
    for rev in (args.old, args.new):
        for k in [k for k in keys if k[0] == rev]:
            cs = [c for c in checks if (c["rev"], c["claim"], c["profile"]) == k]
            print(f"| {rev} | {k[1]} | {k[2]} | {len(cs)} | "
                  f"{sum(c['an']['v0'] == c['h']['verdict'] for c in cs)} | "
                  f"{sum(c['an']['sequential'] for c in cs)} | "
                  f"{sum(bool(c['an']['cond'] and c['an']['cond']['s_p_from_p']) for c in cs)} |")
    bad = [c for c in checks if c["an"]["v0"] != c["h"]["verdict"]]
    if bad:
        print("\nDisagreements (CV form; s the interval's standard error, b the test's boundary, "
              "w = z_h s_p the p condition's half-width):\n")
        print("| revision | claim/profile/hypothesis | kind dir design m | lo | hi | d | p | "
              "holm_p | c | s | s_p | w | CI verdict | V(0) | stored verdict |")
        print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|")
        for c in bad:
            h, an = c["h"], c["an"]
            cond = an["cond"] or {}
            cell = (lambda key: fmt(cond[key], 6) if key in cond else "—")  # noqa: E731
            print(f"| {c['rev']} | {c['claim']}/{c['profile']}/{h['id']} | {an['kind']} "
                  f"{an['direction']} {an['design']} {fmt(an['margin'])} | {fmt(an['lo'], 8)} | "
                  f"{fmt(an['hi'], 8)} | {fmt(an['estimate'], 8)} | {fmt(h['p_value'], 6)} | "
                  f"{fmt(h['holm_p'], 6)} | {cell('c')} | {fmt(an['se'], 6)} | {cell('s_p')} | "
                  f"{cell('half_width')} | {an['ci_verdict']} | {an['v0']} | {h['verdict']} |")


if __name__ == "__main__":
    main()
