#!/usr/bin/env python3
"""Alignment accuracy and calibration on every development family, one document at a time.

Families (read from ../shared/bench, never copied into the repository, and from
alignments/seeds):
  textberg  the Bleualign German-French dev document (Text+Berg, OCR)
  mac       six Chinese-English literary chapters (MAC-Dev)
  bible     eight Gospel of Mark pairs in four scripts
  seeds     the PT-ID, EN-PT and EN-ID seed articles

For each family: vecalign's strict and lax F1 (counts summed over the family's documents),
the expected calibration error of the confidence (ten bands, a bead right when the identical
bead is in the gold, as `bitext eval` counts it), a reliability table, and how many documents
the aligner warned "do not look like translations". Then the controls: pairs that are not
translations of each other (chapters of different novels, distant parts of the Gospel, the
seeds' independently written EN-FR articles), on which the warning should fire.

Usage: scripts/eval-families.py [--bin PATH] [--shared DIR] [--report FILE] [--extra ARG ...]
  --bin      the bitext binary (default: target/release/bitext, built if missing)
  --report   also write the tables as Markdown to FILE (docs/accuracy.md is the committed one)
  --extra    further arguments for every `bitext align` call
  --batch    align each family as one `bitext batch` run instead, so that the word
             translations are learned from all of the family's documents at once
  --chunks K cut each document into K documents at the gold's bead boundaries (in the
             temporary folder): a family of one long document per language pair becomes a
             corpus of K, so that what a batch learns across documents can be measured on
             every family, against the same K documents aligned one at a time
  --dump F   write one line per bead: family, document, confidence, right (strict), for
             fitting the calibration (examples/calibrate.rs reads the same families itself)
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sibling import built  # noqa: E402


def families(shared):
    bench = shared / "bench"
    seeds = ROOT / "alignments" / "seeds"
    out = {}
    tb = bench / "textberg"
    if tb.is_dir():
        out["textberg"] = [("dev", tb / "dev.de", tb / "dev.fr", tb / "dev.defr", "de", "fr")]
    mac = bench / "mac"
    if mac.is_dir():
        out["mac"] = [
            (f"{k:03}", mac / f"{k:03}.zh", mac / f"{k:03}.en", mac / f"{k:03}.gold", "zh", "en")
            for k in range(1, 7)
        ]
    bible = bench / "bible"
    if bible.is_dir():
        docs = []
        for gold in sorted(bible.glob("mark.*.gold")):
            pair = gold.name.split(".")[1]
            s, t = pair.split("-")
            docs.append((pair, bible / f"mark.{pair}.{s}", bible / f"mark.{pair}.{t}", gold, s, t))
        out["bible"] = docs
    out["seeds"] = [
        ("pt-id", seeds / "003.pt.sent", seeds / "004.id.sent", seeds / "003-004.pt-id.gold", "pt", "id"),
        ("en-pt", seeds / "002.en.sent", seeds / "003.pt.sent", seeds / "002-003.en-pt.gold", "en", "pt"),
        ("en-id", seeds / "002.en.sent", seeds / "004.id.sent", seeds / "002-004.en-id.gold", "en", "id"),
    ]
    return out


def controls(shared, tmp):
    """Pairs that are not translations of each other."""
    bench = shared / "bench"
    seeds = ROOT / "alignments" / "seeds"
    out = [
        ("seeds EN-FR 002-000", seeds / "002.en.sent", seeds / "000.fr.sent", "en", "fr"),
        ("seeds EN-FR 002-001", seeds / "002.en.sent", seeds / "001.fr.sent", "en", "fr"),
    ]
    mac = bench / "mac"
    if mac.is_dir():
        for a, b in [(1, 2), (3, 5), (6, 4)]:
            out.append((f"mac {a:03}.zh vs {b:03}.en", mac / f"{a:03}.zh", mac / f"{b:03}.en", "zh", "en"))
    bible = bench / "bible"
    if bible.is_dir():
        # The first half of one translation against the second half of another.
        for pair in ["sw-zu", "sw-uk", "uk-lv"]:
            s, t = pair.split("-")
            src = (bible / f"mark.{pair}.{s}").read_text(encoding="utf-8").splitlines()
            tgt = (bible / f"mark.{pair}.{t}").read_text(encoding="utf-8").splitlines()
            a = tmp / f"ctl-{pair}.{s}"
            b = tmp / f"ctl-{pair}.{t}"
            a.write_text("\n".join(src[: len(src) // 2]) + "\n", encoding="utf-8")
            b.write_text("\n".join(tgt[len(tgt) // 2 :]) + "\n", encoding="utf-8")
            out.append((f"bible {pair}, first half vs second half", a, b, s, t))
    tb = bench / "textberg"
    if tb.is_dir() and mac.is_dir():
        out.append(("Text+Berg de vs MAC 001.en", tb / "dev.de", mac / "001.en", "de", "en"))
    return out


def chunked(fam, docs, k, work):
    """Each document cut into k at the gold beads nearest k equal shares of the gold."""
    out = []
    for name, src, tgt, gold_path, sl, tl in docs:
        src_lines = src.read_text(encoding="utf-8").splitlines()
        tgt_lines = tgt.read_text(encoding="utf-8").splitlines()
        gold = parse_beads(gold_path.read_text(encoding="utf-8"))
        starts = [len(gold) * c // k for c in range(k)] + [len(gold)]

        def first(side, b, size):
            # The first sentence at or after gold bead b: where a chunk starts on that side.
            return min((x for s in gold[b:] for x in s[side]), default=size)

        for c in range(k):
            lo, hi = starts[c], starts[c + 1]
            s0, t0 = first(0, lo, len(src_lines)), first(1, lo, len(tgt_lines))
            s1, t1 = first(0, hi, len(src_lines)), first(1, hi, len(tgt_lines))
            stem = work / f"{fam}-{name}-{c}"
            paths = [stem.with_suffix(x) for x in (".src", ".tgt", ".gold")]
            paths[0].write_text("".join(l + "\n" for l in src_lines[s0:s1]), encoding="utf-8")
            paths[1].write_text("".join(l + "\n" for l in tgt_lines[t0:t1]), encoding="utf-8")
            paths[2].write_text(
                "".join(
                    f"[{','.join(str(x - s0) for x in a)}]:[{','.join(str(y - t0) for y in b)}]\n"
                    for a, b, _ in gold[lo:hi]
                ),
                encoding="utf-8",
            )
            out.append((f"{name}-{c}", *paths, sl, tl))
    return out


def parse_beads(text):
    beads = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        left, rest = line.split("]:", 1)
        right, _, conf = rest.partition("]")
        side = lambda s: tuple(int(x) for x in s.strip("[] ").split(",") if x.strip())
        c = conf.lstrip(":").strip()
        beads.append((side(left), side(right), float(c) if c else None))
    return beads


def alternatives(gold_path):
    """The beads of the other readings that the gold's notes name as defensible (the
    `.alt` file beside the gold, `gold beads = other beads` a line; alignments/README.md),
    or an empty set."""
    path = Path(gold_path).with_suffix(".alt")
    if not path.exists():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        for field in line.split("=")[1].split():
            out |= {(s, t) for s, t, _ in parse_beads(field)}
    return out


# A stretch of gold beads shifted by one line: every source line paired with its neighbour's
# translation, as where two translations number the verses of a chapter differently and the
# gold follows the numbers. Found from the lengths alone (no aligner involved), by the most
# likely offset of each 1-1 bead's target line (-1, 0 or +1) under a three-state hidden Markov
# model: the log length ratio of the pair at that offset, with robust (Student-t) tails about
# the pair's median ratio, and a change of offset costing SHIFT_SWITCH nats, so that only a
# long run of beads whose lengths agree better one line over can leave offset 0. On the eight
# Bible pairs the same two stretches come out at costs of 10 to 20.
SHIFT_SWITCH = 15.0


def shifted_gold(src, tgt, gold):
    """The source lines of the gold's 1-1 beads that lie in a stretch shifted by one line,
    with one bead either side of each stretch; `src` and `tgt` the lines, `gold` the beads
    (parse_beads)."""
    import math
    import statistics
    one = [(a[0], b[0]) for a, b, _ in gold if len(a) == 1 and len(b) == 1]
    if len(one) < 20:
        return set()
    log_len = lambda line: math.log(max(1, len(line)))
    ratios = [log_len(tgt[j]) - log_len(src[i]) for i, j in one]
    centre = statistics.median(ratios)
    spread = 1.4826 * statistics.median(abs(r - centre) for r in ratios) or 1.0

    def fit(i, j):
        if not 0 <= j < len(tgt):
            return -50.0
        z = (log_len(tgt[j]) - log_len(src[i]) - centre) / spread
        return -2.0 * math.log1p(z * z / 3.0)

    offsets = (-1, 0, 1)
    score = {d: 0.0 if d == 0 else -SHIFT_SWITCH for d in offsets}
    back = []
    for i, j in one:
        step, came = {}, {}
        for d in offsets:
            prev = max(offsets, key=lambda e: score[e] - (0.0 if e == d else SHIFT_SWITCH))
            step[d] = score[prev] - (0.0 if prev == d else SHIFT_SWITCH) + fit(i, j + d)
            came[d] = prev
        score = step
        back.append(came)
    d = max(offsets, key=lambda e: score[e])
    path = []
    for came in reversed(back):
        path.append(d)
        d = came[d]
    path.reverse()
    flagged = set()
    for k, d in enumerate(path):
        if d != 0:
            for kk in range(max(0, k - 1), min(len(one), k + 2)):
                flagged.add(one[kk][0])
    return flagged


def without_stretch(gold, test, shifted, work, name):
    """Gold and test beads written to files without a shifted stretch: the gold beads with a
    source line in `shifted`, and the test beads with a source line in it or a target line of
    those gold beads."""
    dropped_tgt = {j for a, b, _ in gold if set(a) & shifted for j in b}
    keep_gold = [(a, b, c) for a, b, c in gold if not set(a) & shifted]
    keep_test = [(a, b, c) for a, b, c in test if not set(a) & shifted and not set(b) & dropped_tgt]
    paths = []
    for kind, beads in (("gold", keep_gold), ("test", keep_test)):
        path = work / f"{name}.unshifted.{kind}"
        path.write_text("".join(f"[{','.join(map(str, a))}]:[{','.join(map(str, b))}]"
                                + (f":{c}" if c is not None else "") + "\n" for a, b, c in beads),
                        encoding="utf-8")
        paths.append(path)
    return tuple(paths)


def scores(binary, pairs):
    """vecalign's strict and lax F1 of (gold path, test path) pairs, summed, from `bitext eval`."""
    args = [str(p) for pair in pairs for p in pair]
    run = subprocess.run([str(binary), "eval", "--json", *args], capture_output=True, text=True, check=True)
    total = json.loads(run.stdout)["total"]
    return total["f1_strict"], total["f1_lax"]


def align(binary, src, tgt, sl, tl, extra):
    cmd = [str(binary), "align", "--presegmented", "--format", "beads",
           "--src-lang", sl, "--tgt-lang", tl, *extra, str(src), str(tgt)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {run.stderr}")
    warned = "do not look like translations" in run.stderr
    return parse_beads(run.stdout), warned


def run_batch(binary, fam, docs, work, extra):
    """One `bitext batch` over the family's documents: {name: (beads, warned)}."""
    manifest = work / f"{fam}.manifest"
    manifest.write_text(
        "".join(f"{fam}-{name}\t{src}\t{tgt}\t{sl}\t{tl}\n" for name, src, tgt, _, sl, tl in docs),
        encoding="utf-8",
    )
    out = work / f"{fam}-batch"
    cmd = [str(binary), "batch", str(manifest), "--out-dir", str(out), "--format", "beads",
           "--presegmented", "--quiet", *extra]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {run.stderr}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    warned = {p["id"]: bool(p.get("looks_comparable")) for p in summary["pairs"]}
    return {
        name: (parse_beads((out / f"{fam}-{name}.beads").read_text(encoding="utf-8")), warned.get(f"{fam}-{name}", False))
        for name, *_ in docs
    }


class Tally:
    def __init__(self):
        self.bands = [[0, 0.0, 0] for _ in range(10)]
        self.confidences = []

    @classmethod
    def of_links(cls, links):
        """A tally of (confidence, right) pairs, such as comparable mode's links."""
        tally = cls()
        for c, ok in links:
            band = tally.bands[min(int(c * 10), 9)]
            tally.confidences.append(c)
            band[0] += 1
            band[1] += c
            band[2] += bool(ok)
        return tally

    def add(self, gold, test, also_right=frozenset()):
        gold_set = {(s, t) for s, t, _ in gold} | set(also_right)
        for s, t, c in test:
            if c is None:
                continue
            band = min(int(c * 10), 9)
            self.confidences.append(c)
            self.bands[band][0] += 1
            self.bands[band][1] += c
            self.bands[band][2] += (s, t) in gold_set

    def ece(self):
        total = sum(b[0] for b in self.bands)
        return sum(abs(b[1] - b[2]) for b in self.bands) / max(total, 1)

    def chance_draws(self, trials=200):
        """The ECEs of `trials` draws of a perfectly calibrated aligner with these beads'
        confidences: each bead right with probability its confidence."""
        rng = random.Random(7)
        draws = []
        for _ in range(trials):
            bands = [[0, 0.0, 0] for _ in range(10)]
            for c in self.confidences:
                band = bands[min(int(c * 10), 9)]
                band[0] += 1
                band[1] += c
                band[2] += rng.random() < c
            draws.append(sum(abs(b[1] - b[2]) for b in bands) / max(len(self.confidences), 1))
        return draws

    def chance_ece(self, trials=200):
        """The mean ECE of a perfectly calibrated aligner with these beads' confidences. A
        family of few beads shows this much ECE from chance alone, so its measured ECE is
        read against it."""
        return sum(self.chance_draws(trials)) / trials

    def chance_share(self, trials=2000):
        """The share of draws of a perfectly calibrated aligner (`chance_draws`) whose ECE is
        at least the measured one: how often chance alone would show this much."""
        measured = self.ece()
        return sum(d >= measured for d in self.chance_draws(trials)) / trials

    def table(self):
        rows = []
        for k, (n, s, r) in enumerate(self.bands):
            if n:
                rows.append((f"{k / 10:.1f}-{(k + 1) / 10:.1f}", n, s / n, r / n))
        return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "bitext"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--report")
    ap.add_argument("--extra", nargs="*", default=[])
    ap.add_argument("--dump")
    ap.add_argument("--only", help="comma-separated families")
    ap.add_argument("--batch", action="store_true")
    ap.add_argument("--chunks", type=int, default=1)
    args = ap.parse_args()
    binary = built(args.bin)
    shared = Path(args.shared).resolve()
    fams = families(shared)
    if args.only:
        fams = {k: v for k, v in fams.items() if k in args.only.split(",")}
    lines = []
    dump = open(args.dump, "w") if args.dump else None
    summary = []
    details = []
    all_tally = Tally()
    readings = []
    all_pairs = []
    unshifted = []
    unshifted_pairs = {}
    work = Path(tempfile.mkdtemp())
    for fam, docs in fams.items():
        if args.chunks > 1:
            docs = chunked(fam, docs, args.chunks, work)
        tally = Tally()
        either_reading = Tally()
        has_readings = False
        warnings = 0
        fam_pairs = []
        batched = run_batch(binary, fam, docs, work, args.extra) if args.batch else {}
        for name, src, tgt, gold_path, sl, tl in docs:
            if args.batch:
                test, warned = batched[name]
            else:
                test, warned = align(binary, src, tgt, sl, tl, args.extra)
            test_path = work / f"{fam}-{name}.beads"
            test_path.write_text(
                "".join(f"[{','.join(map(str, s))}]:[{','.join(map(str, t))}]:{c}\n" for s, t, c in test),
                encoding="utf-8",
            )
            fam_pairs.append((gold_path, test_path))
            gold = parse_beads(gold_path.read_text(encoding="utf-8"))
            tally.add(gold, test)
            other_readings = alternatives(gold_path)
            either_reading.add(gold, test, other_readings)
            has_readings = has_readings or bool(other_readings)
            all_tally.add(gold, test)
            one = Tally()
            one.add(gold, test)
            warnings += warned
            details.append((fam, name, *scores(binary, [(gold_path, test_path)]), one.ece(), warned))
            shifted = shifted_gold(Path(src).read_text(encoding="utf-8").splitlines(),
                                   Path(tgt).read_text(encoding="utf-8").splitlines(), gold)
            if shifted:
                pair = without_stretch(gold, test, shifted, work, name)
                unshifted.append((fam, name, len(shifted), *scores(binary, [pair])))
                unshifted_pairs.setdefault(fam, list(fam_pairs[:-1])).append(pair)
            elif fam in unshifted_pairs:
                unshifted_pairs[fam].append((gold_path, test_path))
            if dump:
                gold_set = {(s, t) for s, t, _ in gold}
                for s, t, c in test:
                    dump.write(f"{fam}\t{name}\t{c}\t{int((s, t) in gold_set)}\n")
        all_pairs += fam_pairs
        strict, lax = scores(binary, fam_pairs)
        summary.append((fam, len(docs), strict, lax, tally.ece(), warnings, tally))
        if has_readings:
            readings.append((fam, tally, either_reading))
    with tempfile.TemporaryDirectory() as tmp:
        ctl = []
        for name, src, tgt, sl, tl in controls(shared, Path(tmp)):
            test, warned = align(binary, src, tgt, sl, tl, args.extra)
            pairs = [c for s, t, c in test if s and t]
            high = sum(1 for c in pairs if c is not None and c >= 0.5)
            ctl.append((name, warned, high, len(pairs)))

    out = []
    out.append("| family | documents | strict F1 | lax F1 | ECE | \"not translations\" warnings | beads | ECE from chance alone |")
    out.append("|---|---|---|---|---|---|---|---|")
    for fam, n, strict, lax, ece, warnings, tally in summary:
        out.append(f"| {fam} | {n} | {strict:.3f} | {lax:.3f} | {ece:.3f} | {warnings} of {n} | {len(tally.confidences)} | {tally.chance_ece():.3f} |")
    strict, lax = scores(binary, all_pairs)
    out.append(f"| all | {sum(s[1] for s in summary)} | {strict:.3f} | {lax:.3f} | {all_tally.ece():.3f} | | {len(all_tally.confidences)} | {all_tally.chance_ece():.3f} |")
    for fam, strict, either in readings:
        out.append("")
        out.append(f"{fam}: a perfectly calibrated aligner would show an ECE of {strict.ece():.3f} or "
                   f"more in {strict.chance_share():.1%} of draws. Where the gold's notes name a second "
                   f"reading of some beads as defensible (the `.alt` files beside the gold), the ECE is "
                   f"{either.ece():.3f} with either reading counted right (from chance alone "
                   f"{either.chance_ece():.3f}; reached or passed by chance in {either.chance_share():.1%} "
                   f"of draws).")
    out.append("")
    out.append("Per document:")
    out.append("")
    out.append("| family | document | strict F1 | lax F1 | ECE | warned |")
    out.append("|---|---|---|---|---|---|")
    for fam, name, s, l, e, w in details:
        out.append(f"| {fam} | {name} | {s:.3f} | {l:.3f} | {e:.3f} | {'yes' if w else 'no'} |")
    if unshifted:
        out.append("")
        out.append("Where the gold pairs a stretch of lines with their neighbours' translations (`shifted_gold`),")
        out.append("the same documents scored without that stretch:")
        out.append("")
        out.append("| family | document | source lines left out | strict F1 | lax F1 |")
        out.append("|---|---|---|---|---|")
        for fam, name, n, s, l in unshifted:
            out.append(f"| {fam} | {name} | {n} | {s:.3f} | {l:.3f} |")
        for fam, pairs in unshifted_pairs.items():
            s, l = scores(binary, pairs)
            n = sum(k for f, _, k, _, _ in unshifted if f == fam)
            out.append(f"| {fam} | all {len(pairs)} | {n} | {s:.3f} | {l:.3f} |")
    out.append("")
    out.append("Reliability (confidence band: beads, mean confidence, share right):")
    out.append("")
    out.append("| band | " + " | ".join(s[0] for s in summary) + " |")
    out.append("|---|" + "---|" * len(summary) + "")
    for k in range(10):
        cells = []
        for *_, tally in summary:
            n, s, r = tally.bands[k]
            cells.append(f"{n}: {s / n:.2f} / {r / n:.2f}" if n else "")
        out.append(f"| {k / 10:.1f}-{(k + 1) / 10:.1f} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Controls, pairs that are not translations (parallel mode):")
    out.append("")
    out.append("| pair | warned | pair beads at 0.5 or more |")
    out.append("|---|---|---|")
    for name, warned, high, total in ctl:
        out.append(f"| {name} | {'yes' if warned else 'NO'} | {high} of {total} |")
    text = "\n".join(out)
    print(text)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    if dump:
        dump.close()


if __name__ == "__main__":
    main()
