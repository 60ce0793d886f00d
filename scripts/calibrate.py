#!/usr/bin/env python3
"""Fits the constants of src/align/confidence.rs by leave-one-family-out cross-validation.

The development families are Text+Berg (de-fr), MAC (zh-en), Bible (eight pairs, four
scripts) and the seeds (pt-id, en-pt, en-id, and the independently written en-fr articles as
pairs that are not translations). From each family it builds document pairs that are
translations (whole documents, and windows of 3 to 150 gold beads) and pairs that are not
(a window against a distant window of the same translation or another chapter, and across
families), runs the aligner on all of them (examples/diagnose.rs, raw posteriors), and fits:

1. the translation test: the log odds as a linear function of the permutation test's
   statistic (a logistic regression);
2. the calibration: Platt's logistic map of a bead's raw posterior (discounted as 3 says),
   one slope, an offset for pair beads and one for null beads, fitted on the beads of whole
   documents against gold (a bead is right when the identical bead is in the gold);
3. the temperature of the forward-backward pass that gives the raw posteriors, and the
   prior of the bead types the search does not build (UNBUILT_PRIOR: a bead's raw posterior
   is discounted by the odds of the merges with a neighbour that the inventory lacks): the
   pair of TEMPERATURES and UNBUILT_PRIORS whose fits have the least mean held-out ECE over
   the families of at least MIN_BEADS beads. The seeds' 39 beads put their ECE at a chance
   floor of about 0.1, and it swings by 0.03 between neighbouring choices (one bead
   crossing a band's edge), which would decide the choice by noise; they are still fitted
   on and reported.

Each family weighs the same in a fit. For each family it fits on the other three and
reports the held-out figures: the test's accuracy on that family's pairs and warnings on its
whole translations, and the expected calibration error (ten bands) of its beads. Then it
prints the constants fitted on all four families, which is what the code carries.

With --test-by-size it also prints the test's statistic by the size of the sample, for the
pairs that are translations and those that are not: why the threshold does not depend on it
(see docs/alignment-decisions.md).

Usage: scripts/calibrate.py [--shared DIR] [--temperatures T ...] [--unbuilt-priors P ...]
                            [--test-by-size]   (needs ../shared/bench; Python 3, no packages)
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sibling import load  # noqa: E402
ef = load("eval-families.py")

BANDS = [0.2, 0.5, 0.8]
WINDOWS = [3, 5, 10, 25, 60, 150]

# The forward-backward temperatures tried; the one with the least mean held-out ECE wins.
TEMPERATURES = [1.0, 1.25, 1.5, 1.75, 2.0, 2.5]

# The priors of a bead type the search does not build tried (None: no discount).
UNBUILT_PRIORS = [None, -16.0, -14.0, -13.0, -12.0, -11.0, -10.0, -9.0, -8.0]

# A family's held-out ECE counts in the choice of the temperature and prior when its
# whole documents hold at least this many beads.
MIN_BEADS = 100

# The calibration maps tried: Platt's (a slope and two offsets), or an offset for null
# beads alone (pair beads keep their raw posterior).
FORMS = ["platt", "null offset"]


def read_lines(path):
    return Path(path).read_text(encoding="utf-8").splitlines()


def window(src, tgt, gold, start, count):
    sel = gold[start : start + count]
    return [src[i] for s, _, _ in sel for i in s], [tgt[j] for _, t, _ in sel for j in t]


def build_jobs(shared):
    """(family, kind, label, payload, gold) where kind is 'doc' (with gold) or 'window'; a
    doc also carries the beads of the gold's defensible other readings (`ef.alternatives`)."""
    rng = random.Random(1)
    docs = []
    readings = {}
    for fam, items in ef.families(shared).items():
        for name, s, t, g, _, _ in items:
            docs.append((fam, name, read_lines(s), read_lines(t), ef.parse_beads(Path(g).read_text(encoding="utf-8"))))
            readings[(fam, name)] = ef.alternatives(g)
    jobs = []
    for fam, name, src, tgt, gold in docs:
        jobs.append((fam, "doc", 1, {"src": src, "tgt": tgt}, gold, readings[(fam, name)]))
        n = len(gold)
        for w in WINDOWS:
            if w * 2 > n:
                continue
            for _ in range(3):
                k = rng.randrange(0, n - w)
                s, t = window(src, tgt, gold, k, w)
                jobs.append((fam, "window", 1, {"src": s, "tgt": t}, None))
                # Not translations: the same source window against a distant target window
                # of the same document, or a window of another document of the family.
                others = [d for d in docs if d[0] == fam and d[1] != name and fam != "seeds" and fam != "bible"]
                if others and rng.random() < 0.5:
                    o = rng.choice(others)
                    k2 = rng.randrange(0, max(1, len(o[4]) - w))
                    _, t2 = window(o[2], o[3], o[4], k2, w)
                else:
                    k2 = (k + n // 2) % (n - w)
                    if abs(k2 - k) < w:
                        continue
                    _, t2 = window(src, tgt, gold, k2, w)
                jobs.append((fam, "window", 0, {"src": s, "tgt": t2}, None))
    # Across families: different languages and subjects.
    for _ in range(24):
        a, b = rng.sample(docs, 2)
        if a[0] == b[0]:
            continue
        w = rng.choice(WINDOWS)
        s, _ = window(a[2], a[3], a[4], rng.randrange(0, max(1, len(a[4]) - w)), w)
        _, t = window(b[2], b[3], b[4], rng.randrange(0, max(1, len(b[4]) - w)), w)
        jobs.append((a[0], "window", 0, {"src": s, "tgt": t}, None))
    seeds = ROOT / "alignments" / "seeds"
    for fr in ["000", "001"]:
        jobs.append(("seeds", "window", 0, {"src": read_lines(seeds / "002.en.sent"), "tgt": read_lines(seeds / f"{fr}.fr.sent")}, None))
    return jobs


def diagnose(jobs, temperature=None):
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--features", "tuning", "--example", "diagnose"],
        cwd=ROOT,
        check=True,
    )
    binary = ROOT / "target" / "release" / "examples" / "diagnose"
    payload = "".join(json.dumps(job[3], ensure_ascii=False) + "\n" for job in jobs)
    env = dict(os.environ)
    if temperature is not None:
        env["TEMPERATURE"] = str(temperature)
    run = subprocess.run([str(binary)], input=payload, capture_output=True, text=True, check=True, env=env)
    return [json.loads(line) for line in run.stdout.splitlines()]


def fit_logistic(rows, dims, l2=1e-3, iters=50):
    """Weighted logistic regression by Newton's method: rows are (features, label, weight)."""
    w = [0.0] * dims
    for _ in range(iters):
        grad = [0.0] * dims
        hess = [[0.0] * dims for _ in range(dims)]
        for x, y, wt in rows:
            z = sum(a * b for a, b in zip(w, x))
            p = 1 / (1 + math.exp(-max(min(z, 30), -30)))
            for i in range(dims):
                grad[i] += wt * (p - y) * x[i]
                for j in range(dims):
                    hess[i][j] += wt * p * (1 - p) * x[i] * x[j]
        for i in range(dims):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return w


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def test_features(result):
    """The test statistic (the gain per square root of the sample) and a constant."""
    return [result["gain"] / math.sqrt(max(result["units"], 1)), 1.0]


def bead_rows(job, result, temperature, unbuilt, either_reading=False):
    """Each bead's features (the logit of its discounted posterior, pair, null) and whether
    it is right (in the gold, or with `either_reading` in one of its other readings);
    `unbuilt` is the prior of the bead types the search does not build."""
    gold = {(s, t) for s, t, _ in job[4]} | (job[5] if either_reading else set())
    rows = []
    for (s0, sn, t0, tn, p), rivals in zip(result["beads"], result["rivals"]):
        s = tuple(range(int(s0), int(s0) + int(sn)))
        t = tuple(range(int(t0), int(t0) + int(tn)))
        if unbuilt is not None and rivals is not None:
            p /= 1 + math.exp(min(rivals + unbuilt / temperature, 50))
        p = min(max(p, 1e-6), 1 - 1e-6)
        pair = 1.0 if s and t else 0.0
        rows.append(([math.log(p / (1 - p)), pair, 1 - pair], 1 if (s, t) in gold else 0))
    return rows


def balanced(rows_by_family):
    """Rows weighted so that each family weighs the same, and all weigh as many rows."""
    families = [rows for rows in rows_by_family.values() if rows]
    total = sum(len(rows) for rows in families)
    return [(x, y, total / (len(families) * len(rows))) for rows in families for x, y in rows]


def ece(pairs):
    bands = [[0, 0.0, 0] for _ in range(10)]
    for c, y in pairs:
        b = min(int(c * 10), 9)
        bands[b][0] += 1
        bands[b][1] += c
        bands[b][2] += y
    total = sum(b[0] for b in bands)
    return sum(abs(b[1] - b[2]) for b in bands) / max(total, 1)


def logistic(z):
    return 1 / (1 + math.exp(-max(min(z, 30), -30)))


def fit_offset(rows):
    """The offset b of z = logit + b·x[0] that fits rows (x, y, weight, logit) best."""
    b = 0.0
    for _ in range(50):
        grad = hess = 0.0
        for x, y, wt, logit in rows:
            p = logistic(logit + b * x[0])
            grad += wt * (p - y) * x[0]
            hess += wt * p * (1 - p) * x[0] * x[0]
        step = grad / (hess + 1e-2)
        b -= step
        if abs(step) < 1e-9:
            break
    return b


def log_loss(pairs):
    return sum(-math.log(c if y else 1 - c) for c, y in pairs) / max(len(pairs), 1)


def evaluate(jobs, results, form, temperature, unbuilt):
    """Fits and scores every held-out family on the aligner's `results` at one temperature
    and prior of the unbuilt bead types: (rows, mean held-out ECE of the families of at
    least MIN_BEADS beads, fit)."""
    fams = sorted({j[0] for j in jobs})
    test_rows = {f: [] for f in fams}
    cal_rows = {f: [] for f in fams}
    either_rows = {f: [] for f in fams}
    for job, result in zip(jobs, results):
        test_rows[job[0]].append((test_features(result), job[2], job))
        if job[1] == "doc":
            cal_rows[job[0]] += bead_rows(job, result, temperature, unbuilt)
            either_rows[job[0]] += bead_rows(job, result, temperature, unbuilt, either_reading=True)

    def fit(held_out):
        t = balanced({f: [(x, y) for x, y, _ in test_rows[f]] for f in fams if f != held_out})
        votes = fit_logistic(t, 2, l2=1e-2)
        c = balanced({f: cal_rows[f] for f in fams if f != held_out})
        if form == "platt":
            cal = fit_logistic(c, 3, l2=1e-2)
        else:
            # Slope one and no offset for pair beads: only null beads get an offset.
            cal = [1.0, 0.0, fit_offset([([x[2]], y, wt, x[0]) for x, y, wt in c])]
        return votes, cal

    rows = []
    for held in fams:
        votes, cal = fit(held)
        right = warned = whole = 0
        for x, y, job in test_rows[held]:
            p = logistic(sum(a * b for a, b in zip(votes, x)))
            right += (p >= 0.5) == (y == 1)
            if job[1] == "doc":
                whole += 1
                warned += p < 0.5
        raw = [(1 / (1 + math.exp(-x[0])), y) for x, y in cal_rows[held]]
        calibrated = [(logistic(sum(a * b for a, b in zip(cal, x))), y) for x, y in cal_rows[held]]
        either = [(c, y) for (c, _), (_, y) in zip(calibrated, either_rows[held])]
        rows.append((held, right, len(test_rows[held]), warned, whole, ece(raw), ece(calibrated), log_loss(calibrated), ece(either)))
    counted = [r[6] for r in rows if len(cal_rows[r[0]]) >= MIN_BEADS]
    mean = sum(counted) / len(counted)
    return rows, mean, fit(None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--temperatures", type=float, nargs="+", default=TEMPERATURES,
                    help="the temperatures to try (default: all of TEMPERATURES)")
    ap.add_argument("--unbuilt-priors", type=float, nargs="*", default=None,
                    help="the priors of unbuilt bead types to try (default: UNBUILT_PRIORS; none given: no discount only)")
    ap.add_argument("--test-by-size", action="store_true",
                    help="also print the test's statistic by the sample's size")
    args = ap.parse_args()
    priors = UNBUILT_PRIORS if args.unbuilt_priors is None else [None] + args.unbuilt_priors
    jobs = build_jobs(Path(args.shared))
    best = None
    print("| temperature, unbuilt prior, calibration | mean held-out ECE (families of MIN_BEADS) | mean held-out ECE | mean held-out log loss | held-out ECE by family |")
    print("|---|---|---|---|---|")
    for temperature in args.temperatures:
        # One run of the aligner per temperature serves every prior and form of the map.
        results = diagnose(jobs, temperature)
        for unbuilt in priors:
            for form in FORMS:
                rows, mean, fitted = evaluate(jobs, results, form, temperature, unbuilt)
                by_family = ", ".join(f"{r[0]} {r[6]:.3f}" for r in rows)
                mean_ece = sum(r[6] for r in rows) / len(rows)
                mean_loss = sum(r[7] for r in rows) / len(rows)
                print(f"| {temperature}, {unbuilt}, {form} | {mean:.4f} | {mean_ece:.4f} | {mean_loss:.4f} | {by_family} |", flush=True)
                if best is None or mean < best[1]:
                    best = (temperature, mean, rows, fitted, form, unbuilt, results)
    temperature, _, rows, (votes, cal), form, unbuilt, results = best
    print()
    print(f"At the temperature, unbuilt prior and calibration with the least mean held-out ECE, {temperature}, {unbuilt}, {form}:")
    print()
    print("| held-out family | test: right / pairs | warnings on whole translations | ECE raw | ECE calibrated | ECE calibrated, either reading of the gold counted right |")
    print("|---|---|---|---|---|---|")
    for held, right, total, warned, whole, raw, calibrated, _, either in rows:
        print(f"| {held} | {right} / {total} | {warned} of {whole} | {raw:.3f} | {calibrated:.3f} | {either:.3f} |")
    print()
    print("Fitted on all families (the constants in src/align/confidence.rs and align/mod.rs):")
    print(f"DEFAULT_TEMPERATURE = {temperature}")
    print(f"UNBUILT_PRIOR = {unbuilt}  (None: no discount)")
    print(f"Z_VOTE = {votes[0]:.3f}  Z_OFFSET = {votes[1]:.3f}")
    print(f"SLOPE = {cal[0]:.3f}  PAIR_OFFSET = {cal[1]:.3f}  NULL_OFFSET = {cal[2]:.3f}")
    if args.test_by_size:
        print_test_by_size(jobs, results)


def print_test_by_size(jobs, results):
    """The test's statistic by the sample's sentences, for pairs that are not translations
    and pairs that are, and the gain per sentence of the translations by family: the first
    does not move with the size, the second grows with its square root, at a rate that
    differs from family to family."""
    limits = [20, 50, 100, 200, 400, None]
    cells = {}
    rates = {}
    for job, result in zip(jobs, results):
        units = result["units"]
        if not units:
            continue
        z = result["gain"] / math.sqrt(units)
        band = next(k for k, limit in enumerate(limits) if limit is None or units < limit)
        cells.setdefault((band, job[2]), []).append(z)
        if job[2] and units >= 50:
            rates.setdefault(job[0], []).append(result["gain"] / units)

    def quantile(values, q):
        return sorted(values)[min(int(q * len(values)), len(values) - 1)]

    print()
    print("The test's statistic by the sample's sentences (both sides):")
    print()
    print("| sentences | not translations: pairs, median, 90%, highest | translations: pairs, lowest, 10%, median |")
    print("|---|---|---|")
    for k, limit in enumerate(limits):
        low = limits[k - 1] if k else 0
        label = f"{low} to {limit - 1}" if limit else f"{low} or more"
        null, real = cells.get((k, 0), []), cells.get((k, 1), [])
        null_cell = (f"{len(null)}, {quantile(null, 0.5):.2f}, {quantile(null, 0.9):.2f}, {max(null):.2f}"
                     if null else "0")
        real_cell = (f"{len(real)}, {min(real):.2f}, {quantile(real, 0.1):.2f}, {quantile(real, 0.5):.2f}"
                     if real else "0")
        print(f"| {label} | {null_cell} | {real_cell} |")
    print()
    print("Gain per sentence of the translations of 50 sentences or more: " + "; ".join(
        f"{fam} {len(values)} pairs, lowest {min(values):.3f}, median {quantile(values, 0.5):.3f}"
        for fam, values in sorted(rates.items())))


if __name__ == "__main__":
    main()
