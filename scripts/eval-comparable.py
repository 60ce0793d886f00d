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
every link's confidence. Then the seeds' EN-FR controls, which should claim little.

With --learn-rest, each built pair is aligned with a word table (`--lexicon`) that
`bitext align --lexicon-out` learned from the rest of the book as a parallel text: every
gold bead that touches neither the source window nor a target line of the built pair. This
is how a user meets comparable documents in languages that share no words: a table learned
once from a parallel corpus of the language pair.

Usage: scripts/eval-comparable.py [--bin PATH] [--shared DIR] [--windows N] [--learn-rest]
"""
import argparse
import importlib.util
import random
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("ef", ROOT / "scripts" / "eval-families.py")
ef = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ef)
parse_beads = ef.parse_beads


def build(pair_dir, pair, rng, size=160, share=0.4):
    s, t = pair.split("-")
    src = (pair_dir / f"mark.{pair}.{s}").read_text(encoding="utf-8").splitlines()
    tgt = (pair_dir / f"mark.{pair}.{t}").read_text(encoding="utf-8").splitlines()
    gold = parse_beads((pair_dir / f"mark.{pair}.gold").read_text(encoding="utf-8"))
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "bitext"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--windows", type=int, default=3, help="documents built per pair")
    ap.add_argument("--learn-rest", action="store_true",
                    help="give the aligner a table learned from the rest of the book")
    args = ap.parse_args()
    binary = Path(args.bin)
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    bible = Path(args.shared) / "bench" / "bible"
    rng = random.Random(2024)
    pairs = sorted(g.name.split(".")[1] for g in bible.glob("mark.*.gold"))
    total_translated = total_claimed = total_right = 0
    bands = [[0, 0.0, 0] for _ in range(10)]
    print("| pair | translated lines | claimed (>= 0.5) | right | claimed share | precision |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for pair in pairs:
            translated = claimed = right = 0
            for _ in range(args.windows):
                src, tgt, answer, sl, tl, (rest_src, rest_tgt) = build(bible, pair, rng)
                (tmp / "a").write_text("\n".join(src) + "\n", encoding="utf-8")
                (tmp / "b").write_text("\n".join(tgt) + "\n", encoding="utf-8")
                extra = []
                if args.learn_rest:
                    (tmp / "ra").write_text("\n".join(rest_src) + "\n", encoding="utf-8")
                    (tmp / "rb").write_text("\n".join(rest_tgt) + "\n", encoding="utf-8")
                    subprocess.run(
                        [str(binary), "align", "--presegmented", "--src-lang", sl, "--tgt-lang", tl,
                         "--lexicon-out", str(tmp / "lex"), "-o", str(tmp / "rest.tsv"),
                         str(tmp / "ra"), str(tmp / "rb")],
                        capture_output=True, text=True, check=True)
                    extra = ["--lexicon", str(tmp / "lex")]
                run = subprocess.run(
                    [str(binary), "align", "--presegmented", "--mode", "comparable", "--format", "beads",
                     "--src-lang", sl, "--tgt-lang", tl, *extra, str(tmp / "a"), str(tmp / "b")],
                    capture_output=True, text=True, check=True)
                translated += len(answer)
                for a, b, c in parse_beads(run.stdout):
                    if not a or not b:
                        continue
                    ok = answer.get(a[0]) == b[0]
                    band = min(int(c * 10), 9)
                    bands[band][0] += 1
                    bands[band][1] += c
                    bands[band][2] += ok
                    if c >= 0.5:
                        claimed += 1
                        right += ok
            total_translated += translated
            total_claimed += claimed
            total_right += right
            print(f"| {pair} | {translated} | {claimed} | {right} | {claimed / max(translated, 1):.3f} | "
                  f"{right / max(claimed, 1):.3f} |")
    print(f"| all | {total_translated} | {total_claimed} | {total_right} | "
          f"{total_claimed / max(total_translated, 1):.3f} | {total_right / max(total_claimed, 1):.3f} |")
    links = sum(b[0] for b in bands)
    ece = sum(abs(b[1] - b[2]) for b in bands) / max(links, 1)
    print()
    print(f"Calibration of all {links} links ({sum(b[2] for b in bands)} right): ECE {ece:.3f}")
    print("| band | links | mean confidence | share right |")
    print("|---|---|---|---|")
    for k, (n, s, r) in enumerate(bands):
        if n:
            print(f"| {k / 10:.1f}-{(k + 1) / 10:.1f} | {n} | {s / n:.2f} | {r / n:.2f} |")


if __name__ == "__main__":
    main()
