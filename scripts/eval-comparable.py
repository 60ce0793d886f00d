#!/usr/bin/env python3
"""Comparable mode on documents built from translations, where the answer is known.

For each Bible pair in ../shared/bench/bible: 160 consecutive verses of the source side; for
the other side the translations of 40% of them (chosen at random), mixed with as many
verses of the same translation from elsewhere in the book (not translations of any chosen
source verse), shuffled. `bitext align --mode comparable` then links sentences; a link is
right when its target is the translation of its source (by the gold beads: the target
verse's bead holds the source verse).

Reports per pair and in total: the share of the translated lines claimed (linked with
confidence 0.5 or more) and the precision of those claims, and the calibration (ECE) of
every link's confidence. Then the seeds' EN-FR controls (alignments/seeds: independently
written articles with their same-fact pairs), which should claim little and only pairs that
state the same fact (a strong or weak pair of the list).

Then the calibration by family, left out one at a time: the Bible pairs grouped by the
language they do not share with another pair (Achuar, Cherokee, K'iche', Syriac, Zulu, and
Latvian with Ukrainian), and the seeds. For each family, the scale of the links' log odds
that fits the other families best (1 when the aligner's confidences need no change) and the
family's ECE before and after that scale: the aligner's slope is chosen where the held-out
scales meet 1. Beside it, a scale and a shift of the log odds fitted the same way
(Platt's scaling), on the other families that are aligned as the held-out one is: with
--learn-rest the Bible pairs are aligned with a word table and the seeds without, and the
aligner calibrates the two apart, so the seeds are then fitted on nothing but themselves
and the Bible families on the other Bible families. The aligner's scale and shift for
documents aligned with a table are chosen where these meet 1 and 0.

With --learn-rest, each built pair is aligned with a word table (`--lexicon`) that
`bitext align --lexicon-out` learned from the rest of the book as a parallel text: every
gold bead that touches neither the source window nor a target line of the built pair. This
is how a user meets comparable documents in languages that share no words: a table learned
once from a parallel corpus of the language pair.

The gold follows the verse numbers, and where two translations number a chapter's verses
differently it pairs each verse of a stretch with its neighbour's translation (the Latvian
translation, in Mark 9). Such a stretch would make right links count as wrong and a
neighbour's translation count as an unrelated line, so its beads are left out of what the
documents are built from (`shifted_gold` in eval-families.py finds them from the lines'
lengths alone); --keep-shifted-gold builds from every bead, as the script did at first.

Usage: scripts/eval-comparable.py [--bin PATH] [--shared DIR] [--windows N] [--seed N]
                                  [--learn-rest] [--keep-shifted-gold]
"""
import argparse
import math
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sibling import built, load  # noqa: E402
ef = load("eval-families.py")
parse_beads = ef.parse_beads


def build(pair_dir, pair, rng, size=160, share=0.4, keep_shifted=False):
    s, t = pair.split("-")
    src = (pair_dir / f"mark.{pair}.{s}").read_text(encoding="utf-8").splitlines()
    tgt = (pair_dir / f"mark.{pair}.{t}").read_text(encoding="utf-8").splitlines()
    gold = parse_beads((pair_dir / f"mark.{pair}.gold").read_text(encoding="utf-8"))
    if not keep_shifted:
        # Beads of a stretch the gold has shifted by one line pair lines that are not
        # translations: they are neither chosen as translations nor as unrelated lines (a
        # neighbour's translation is not unrelated), nor learned from.
        shifted = ef.shifted_gold(src, tgt, gold)
        gold = [(a, b, c) for a, b, c in gold if not (set(a) & shifted)]
    # The target lines that translate each source line (1-1 beads only, so a link has one
    # right answer).
    partner = {}
    for a, b, _ in gold:
        if len(a) == 1 and len(b) == 1:
            partner[a[0]] = b[0]
    start = rng.randrange(0, len(src) - size)
    chosen_src = list(range(start, start + size))
    translated = [i for i in chosen_src if i in partner and rng.random() < share]
    used = {partner[i] for i in translated}
    # Unrelated verses: target lines whose bead's source is outside the window.
    window = set(chosen_src)
    outside = [b[0] for a, b, _ in gold if len(b) == 1 and a and not (set(a) & window)]
    fillers = rng.sample([j for j in outside if j not in used], len(translated))
    tgt_lines = [(partner[i], i) for i in translated] + [(j, None) for j in fillers]
    rng.shuffle(tgt_lines)
    answer = {}
    for k, (_, i) in enumerate(tgt_lines):
        if i is not None:
            answer[i - start] = k
    touched_tgt = {j for j, _ in tgt_lines}
    rest = [(a, b) for a, b, _ in gold if a and b and not (set(a) & window) and not (set(b) & touched_tgt)]
    rest_src = [" ".join(src[i] for i in a) for a, _ in rest]
    rest_tgt = [" ".join(tgt[j] for j in b) for _, b in rest]
    return [src[i] for i in chosen_src], [tgt[j] for j, _ in tgt_lines], answer, s, t, (rest_src, rest_tgt)


# Families for leaving one out: pairs that share a language are one family.
FAMILY = {"lv": "lv-uk", "uk": "lv-uk"}


def family(pair):
    s, t = pair.split("-")
    other = t if s == "sw" else s
    return FAMILY.get(other, FAMILY.get(t, other))


def align(binary, sl, tl, src, tgt, extra=()):
    run = subprocess.run(
        [str(binary), "align", "--presegmented", "--mode", "comparable", "--format", "beads",
         "--src-lang", sl, "--tgt-lang", tl, *extra, str(src), str(tgt)],
        capture_output=True, text=True, check=True)
    return [(a[0], b[0], c) for a, b, c in parse_beads(run.stdout) if a and b]


def best_at_precision(links, target):
    """The most right links claimed at any threshold whose claims have precision `target` or
    more, and that threshold."""
    links = sorted(links, key=lambda link: -link[0])
    best, threshold, right = 0, 1.0, 0
    for k, (c, ok) in enumerate(links):
        right += ok
        tied = k + 1 < len(links) and links[k + 1][0] == c
        if not tied and right >= target * (k + 1) and right > best:
            best, threshold = right, c
    return best, threshold


def ece(links):
    bands = [[0, 0.0, 0] for _ in range(10)]
    for c, ok in links:
        band = bands[min(int(c * 10), 9)]
        band[0] += 1
        band[1] += c
        band[2] += ok
    return sum(abs(b[1] - b[2]) for b in bands) / max(len(links), 1), bands


def print_bands(bands):
    """A reliability table of ece()'s bands."""
    print("| band | links | mean confidence | share right |")
    print("|---|---|---|---|")
    for k, (n, s, r) in enumerate(bands):
        if n:
            print(f"| {k / 10:.1f}-{(k + 1) / 10:.1f} | {n} | {s / n:.2f} | {r / n:.2f} |")


def print_found(links, translated):
    """How many translated lines the links find at the best threshold for precision 0.9."""
    found, threshold = best_at_precision(links, 0.9)
    print(f"At the best threshold for precision 0.9 ({threshold:.2f}): {found} translated lines found, "
          f"{found / max(translated, 1):.3f} of them")


def print_calibration(links):
    """The ECE of all the links and their reliability table."""
    error, bands = ece(links)
    print(f"Calibration of all {len(links)} links ({sum(ok for _, ok in links)} right): ECE {error:.3f}")
    print_bands(bands)


def logit(c):
    c = min(max(c, 1e-4), 1 - 1e-4)
    return math.log(c / (1 - c))


def scale_fit(links):
    """The factor k on the links' log odds with the most likelihood (a grid is enough)."""
    best = None
    for step in range(10, 301):
        k = step / 100
        ll = 0.0
        for c, ok in links:
            p = 1 / (1 + math.exp(-k * logit(c)))
            p = min(max(p, 1e-9), 1 - 1e-9)
            ll += math.log(p if ok else 1 - p)
        if best is None or ll > best[0]:
            best = (ll, k)
    return best[1]


def scaled(links, k, b=0.0):
    return [(1 / (1 + math.exp(-max(min(k * logit(c) + b, 700.0), -700.0))), ok) for c, ok in links]


def platt_fit(links, weights=None):
    """The scale k and shift b of the links' log odds with the most likelihood (Newton's
    method on a logistic regression of rightness on the log odds), each link weighed by
    `weights` if given."""
    k, b = 1.0, 0.0
    weights = weights or [1.0] * len(links)
    for _ in range(50):
        gk = gb = hkk = hkb = hbb = 0.0
        for (c, ok), weight in zip(links, weights):
            x = logit(c)
            p = 1 / (1 + math.exp(-max(min(k * x + b, 700.0), -700.0)))
            g = weight * (ok - p)
            w = weight * p * (1 - p)
            gk += g * x
            gb += g
            hkk += w * x * x
            hkb += w * x
            hbb += w
        det = hkk * hbb - hkb * hkb
        if det <= 1e-12:
            break
        dk = (hbb * gk - hkb * gb) / det
        db = (hkk * gb - hkb * gk) / det
        # Damped: on links nearly separated by their log odds a full step overshoots.
        step = max(abs(dk), abs(db))
        if step > 1.0:
            dk, db = dk / step, db / step
        k, b = k + dk, b + db
        if abs(dk) + abs(db) < 1e-6:
            break
    return k, b


def seed_controls(binary):
    """Links of the seeds' EN article with each independently written FR one."""
    seeds = ROOT / "alignments" / "seeds"
    out = []
    for fr in ("000", "001"):
        fact = {}
        for line in (seeds / f"002-{fr}.en-fr.pairs").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                a, b, strength, _ = line.split("\t", 3)
                fact[(int(a), int(b))] = strength
        links = align(binary, "en", "fr", seeds / "002.en.sent", seeds / f"{fr}.fr.sent")
        strong = sum(1 for v in fact.values() if v == "strong")
        out.append((f"002-{fr}", strong, [(i, j, c, fact.get((i, j))) for i, j, c in links]))
    return out


def learn_table(binary, sl, tl, src, tgt, table):
    """Writes to `table` the word table `bitext align --lexicon-out` learns from `src` and
    `tgt` as a parallel text."""
    subprocess.run(
        [str(binary), "align", "--presegmented", "--src-lang", sl, "--tgt-lang", tl,
         "--lexicon-out", str(table), "-o", str(table.with_suffix(".tsv")), str(src), str(tgt)],
        capture_output=True, text=True, check=True)


def align_window(binary, sl, tl, src, tgt, answer, tmp, extra=()):
    """Aligns one built document pair (`answer`: each translated source line's target line)
    in comparable mode, written to `tmp`: its links as (confidence, right)."""
    (tmp / "a").write_text("\n".join(src) + "\n", encoding="utf-8")
    (tmp / "b").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    return [(c, answer.get(i) == j) for i, j, c in align(binary, sl, tl, tmp / "a", tmp / "b", extra)]


def claims(links):
    """The links claimed (confidence 0.5 or more), and how many of them are right."""
    claimed = [ok for c, ok in links if c >= 0.5]
    return len(claimed), sum(claimed)


def collect(binary, bible, rng, windows, learn_rest, keep_shifted=False):
    """Aligns `windows` documents built from each Bible pair (with a table learned from the
    rest of the book when `learn_rest`), pair by pair: yields the pair, its translated
    lines, its claims at 0.5 or more, the right ones, and every link as (confidence, right)."""
    pairs = sorted(g.name.split(".")[1] for g in bible.glob("mark.*.gold"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for pair in pairs:
            translated = 0
            links = []
            for _ in range(windows):
                src, tgt, answer, sl, tl, (rest_src, rest_tgt) = build(bible, pair, rng, keep_shifted=keep_shifted)
                extra = []
                if learn_rest:
                    (tmp / "ra").write_text("\n".join(rest_src) + "\n", encoding="utf-8")
                    (tmp / "rb").write_text("\n".join(rest_tgt) + "\n", encoding="utf-8")
                    learn_table(binary, sl, tl, tmp / "ra", tmp / "rb", tmp / "lex")
                    extra = ["--lexicon", str(tmp / "lex")]
                translated += len(answer)
                links += align_window(binary, sl, tl, src, tgt, answer, tmp, extra)
            claimed, right = claims(links)
            yield pair, translated, claimed, right, links


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "bitext"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--windows", type=int, default=10, help="documents built per pair")
    ap.add_argument("--seed", type=int, default=2024, help="seed of the random windows")
    ap.add_argument("--learn-rest", action="store_true",
                    help="give the aligner a table learned from the rest of the book")
    ap.add_argument("--keep-shifted-gold", action="store_true",
                    help="build from every gold bead, the stretches shifted by one line too")
    args = ap.parse_args()
    binary = built(args.bin)
    bible = Path(args.shared) / "bench" / "bible"
    rng = random.Random(args.seed)
    pairs = sorted(g.name.split(".")[1] for g in bible.glob("mark.*.gold"))
    total_translated = total_claimed = total_right = 0
    if not args.keep_shifted_gold:
        left_out = []
        for pair in pairs:
            s, t = pair.split("-")
            shifted = ef.shifted_gold(
                (bible / f"mark.{pair}.{s}").read_text(encoding="utf-8").splitlines(),
                (bible / f"mark.{pair}.{t}").read_text(encoding="utf-8").splitlines(),
                parse_beads((bible / f"mark.{pair}.gold").read_text(encoding="utf-8")))
            if shifted:
                left_out.append(f"{pair} {len(shifted)} (source lines {min(shifted)}-{max(shifted)})")
        print("Gold beads left out as a stretch shifted by one line:",
              "; ".join(left_out) or "none")
        print()
    print("| pair | translated lines | claimed (>= 0.5) | right | claimed share | precision |")
    print("|---|---|---|---|---|---|")
    by_family, translated_by_family = {}, {}
    for pair, translated, claimed, right, links in collect(
            binary, bible, rng, args.windows, args.learn_rest, args.keep_shifted_gold):
        by_family.setdefault(family(pair), []).extend(links)
        translated_by_family[family(pair)] = translated_by_family.get(family(pair), 0) + translated
        total_translated += translated
        total_claimed += claimed
        total_right += right
        print(f"| {pair} | {translated} | {claimed} | {right} | {claimed / max(translated, 1):.3f} | "
              f"{right / max(claimed, 1):.3f} |")
    print(f"| all | {total_translated} | {total_claimed} | {total_right} | "
          f"{total_claimed / max(total_translated, 1):.3f} | {total_right / max(total_claimed, 1):.3f} |")
    bible_links = [link for links in by_family.values() for link in links]
    print_found(bible_links, total_translated)
    print()
    print("Each language family at its own best threshold for precision 0.9:")
    print("| family | translated lines | found | share |")
    print("|---|---|---|---|")
    found_each = 0
    for name in sorted(translated_by_family):
        found, _ = best_at_precision(by_family.get(name, []), 0.9)
        found_each += found
        print(f"| {name} | {translated_by_family[name]} | {found} | "
              f"{found / max(translated_by_family[name], 1):.3f} |")
    print(f"| all | {total_translated} | {found_each} | {found_each / max(total_translated, 1):.3f} |")
    print()
    print_calibration(bible_links)

    print()
    print("Seed controls (EN-FR written independently; right: a strong or weak same-fact pair):")
    print("| pair | strong pairs | claimed (>= 0.5) | right | claims |")
    print("|---|---|---|---|---|")
    for name, strong, links in seed_controls(binary):
        claims = [(i, j, c, f) for i, j, c, f in links if c >= 0.5]
        shown = ", ".join(f"{i}-{j} {c:.2f} ({f or 'wrong'})" for i, j, c, f in claims)
        print(f"| {name} | {strong} | {len(claims)} | {sum(1 for *_, f in claims if f)} | {shown} |")
        by_family.setdefault("seeds", []).extend((c, f is not None) for _, _, c, f in links)

    print()
    print("Calibration with each family left out: the scale of the log odds fitted on the others,")
    print("and the family's ECE as the aligner gives it and with that scale; then a scale and a")
    print("shift fitted on the others aligned the same way (with or without a word table).")
    print("| held-out family | links | scale fitted on the others | ECE | ECE scaled "
          "| scale, shift fitted on the others | ECE scaled and shifted |")
    print("|---|---|---|---|---|---|---|")
    # With --learn-rest only the Bible pairs are aligned with a table.
    with_table = (lambda f: f != "seeds") if args.learn_rest else (lambda f: False)
    pooled = []
    for name in sorted(by_family):
        others = [link for f, links in by_family.items() if f != name for link in links]
        k = scale_fit(others)
        alike = [link for f, links in by_family.items()
                 if f != name and with_table(f) == with_table(name) for link in links]
        held = by_family[name]
        platt = ""
        if alike:
            pk, pb = platt_fit(alike)
            platt = f"| {pk:.2f}, {pb:+.2f} | {ece(scaled(held, pk, pb))[0]:.3f} |"
            if with_table(name):
                pooled += scaled(held, pk, pb)
        else:
            platt = "| | |"
        print(f"| {name} | {len(held)} | {k:.2f} | {ece(held)[0]:.3f} | "
              f"{ece(scaled(held, k))[0]:.3f} {platt}")
    everything = [link for links in by_family.values() for link in links]
    tabled = [link for f, links in by_family.items() if with_table(f) for link in links]
    fitted = "| | |"
    if tabled:
        pk, pb = platt_fit(tabled)
        fitted = f"| {pk:.2f}, {pb:+.2f} (with a table) | |"
    print(f"| (all, fitted) | {len(everything)} | {scale_fit(everything):.2f} | "
          f"{ece(everything)[0]:.3f} | {fitted}")
    if pooled:
        error, bands = ece(pooled)
        print()
        print(f"The Bible families' links pooled, each scaled and shifted as fitted on the others: "
              f"ECE {error:.3f} over {len(pooled)} links")
        print_bands(bands)

if __name__ == "__main__":
    main()
