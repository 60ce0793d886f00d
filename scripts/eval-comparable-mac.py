#!/usr/bin/env python3
"""Comparable mode on Chinese-English documents built from translations (MAC-Dev chapters).

For each chapter of ../shared/bench/mac: its Chinese sentences against the English
translations of 40% of its 1-1 beads (chosen at random), mixed with as many English lines of
1-1 beads of the other chapters, shuffled. With --learn-rest the aligner is given a word table
that `bitext align --lexicon-out` learned from the other five chapters as a parallel text (a
table learned without the chapter: other novels, so few of its names and less of its
vocabulary); with --learn-all, from all six (the chapter's own translation included, which
shows what the scoring does when the table knows the words). A link is right when its target
is the translation of its source by the gold.

Reports the share of translated lines found at the best threshold for precision 0.9, the
claims at 0.5 or more, and the calibration (ECE) of every link, as scripts/eval-comparable.py
does for the Bible pairs.

Usage: scripts/eval-comparable-mac.py [--bin PATH] [--shared DIR] [--windows N] [--seed N]
                                      [--learn-rest | --learn-all]
"""
import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sibling import built, load  # noqa: E402

ef = load("eval-families.py")
ec = load("eval-comparable.py")
CHAPTERS = ["001", "002", "003", "004", "005", "006"]


def read(mac, chapter):
    zh = (mac / f"{chapter}.zh").read_text(encoding="utf-8").splitlines()
    en = (mac / f"{chapter}.en").read_text(encoding="utf-8").splitlines()
    gold = ef.parse_beads((mac / f"{chapter}.gold").read_text(encoding="utf-8"))
    return zh, en, gold


def build(data, chapter, rng, share=0.4):
    zh, en, gold = data[chapter]
    partner = {a[0]: b[0] for a, b, _ in gold if len(a) == 1 and len(b) == 1}
    chosen = [i for i in range(len(zh)) if i in partner and rng.random() < share]
    others = [data[o][1][b[0]] for o in CHAPTERS if o != chapter
              for a, b, _ in data[o][2] if len(a) == 1 and len(b) == 1]
    lines = [(en[partner[i]], i) for i in chosen] + [(t, None) for t in rng.sample(others, len(chosen))]
    rng.shuffle(lines)
    answer = {i: k for k, (_, i) in enumerate(lines) if i is not None}
    return zh, [t for t, _ in lines], answer


def collect(binary, mac, rng, windows, table=None):
    """Aligns `windows` documents built from each chapter, given a table learned from the
    other chapters (`table` "rest"), from all six ("all") or none, chapter by chapter:
    yields the chapter, its translated lines, its claims at 0.5 or more, the right ones, and
    every link as (confidence, right)."""
    data = {c: read(mac, c) for c in CHAPTERS}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for chapter in CHAPTERS:
            extra = []
            if table:
                learned = [c for c in CHAPTERS if table == "all" or c != chapter]
                (tmp / "ra").write_text("".join("\n".join(data[c][0]) + "\n" for c in learned), encoding="utf-8")
                (tmp / "rb").write_text("".join("\n".join(data[c][1]) + "\n" for c in learned), encoding="utf-8")
                ec.learn_table(binary, "zh", "en", tmp / "ra", tmp / "rb", tmp / "lex")
                extra = ["--lexicon", str(tmp / "lex")]
            n = 0
            links = []
            for _ in range(windows):
                src, tgt, answer = build(data, chapter, rng)
                n += len(answer)
                links += ec.align_window(binary, "zh", "en", src, tgt, answer, tmp, extra)
            claimed, right = ec.claims(links)
            yield chapter, n, claimed, right, links


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "bitext"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--windows", type=int, default=3, help="documents built per chapter")
    ap.add_argument("--seed", type=int, default=2024)
    table = ap.add_mutually_exclusive_group()
    table.add_argument("--learn-rest", action="store_true", help="a table from the other chapters")
    table.add_argument("--learn-all", action="store_true", help="a table from all six chapters")
    args = ap.parse_args()
    binary = built(args.bin)
    mac = Path(args.shared) / "bench" / "mac"
    rng = random.Random(args.seed)
    links, translated, claimed, right = [], 0, 0, 0
    print("| chapter | translated lines | claimed (>= 0.5) | right |")
    print("|---|---|---|---|")
    table = "rest" if args.learn_rest else "all" if args.learn_all else None
    for chapter, n, c_claimed, c_right, c_links in collect(binary, mac, rng, args.windows, table):
        links += c_links
        translated += n
        claimed += c_claimed
        right += c_right
        print(f"| {chapter} | {n} | {c_claimed} | {c_right} |")
    print(f"| all | {translated} | {claimed} | {right} |")
    ec.print_found(links, translated)
    ec.print_calibration(links)


if __name__ == "__main__":
    main()
