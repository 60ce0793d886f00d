#!/usr/bin/env python3
"""Consistency check of the seed gold alignments (run from anywhere: python3 alignments/check.py).

Checks that each .sent file is the seed text cut into sentences with nothing lost or altered,
that each .gold file is a complete monotone bead alignment of its two .sent files, and that each
.pairs file is well formed. Prints the bead counts by type. Exit status 1 on any problem.
"""
import collections
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS_TXT = HERE.parent / "tests" / "fixtures" / "seeds"
SEEDS = HERE / "seeds"
DOCS = ["000.fr", "001.fr", "002.en", "003.pt", "004.id"]

problems = []


def problem(msg):
    problems.append(msg)
    print("PROBLEM:", msg)


def read_sent(name):
    raw = (SEEDS / f"{name}.sent").read_bytes()
    text = raw.decode("utf-8")
    if "\r" in text:
        problem(f"{name}.sent: CR found (LF only)")
    if not text.endswith("\n"):
        problem(f"{name}.sent: no final newline")
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            problem(f"{name}.sent line {i}: blank")
        elif line != line.strip():
            problem(f"{name}.sent line {i}: surrounding whitespace")
    return lines


def check_sent(name, sents):
    source = (SEEDS_TXT / f"{name}.txt").read_text(encoding="utf-8")
    pos = 0
    for i, s in enumerate(sents):
        at = source.find(s, pos)
        if at < 0:
            problem(f"{name}.sent line {i} not found verbatim (in order) in {name}.txt: {s[:60]!r}")
            continue
        gap = source[pos:at]
        if gap.strip():
            problem(f"{name}.sent: text lost before line {i}: {gap.strip()[:60]!r}")
        pos = at + len(s)
    if source[pos:].strip():
        problem(f"{name}.sent: text lost at the end: {source[pos:].strip()[:60]!r}")


BEAD = re.compile(r"^\[([0-9, ]*)\]:\[([0-9, ]*)\]$")


def parse_ids(field):
    return [int(x) for x in field.replace(" ", "").split(",") if x]


def check_gold(path, n_src, n_tgt):
    beads = []
    for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = BEAD.match(line)
        if not m:
            problem(f"{path.name}:{ln}: malformed bead {line!r}")
            continue
        beads.append((parse_ids(m.group(1)), parse_ids(m.group(2))))
    for side, n, k in (("src", n_src, 0), ("tgt", n_tgt, 1)):
        flat = [i for b in beads for i in b[k]]
        if flat != list(range(n)):
            problem(f"{path.name}: {side} ids are not 0..{n - 1} each once in order: {flat}")
    for b in beads:
        if not b[0] and not b[1]:
            problem(f"{path.name}: bead with two empty sides")
    types = collections.Counter(f"{len(s)}-{len(t)}" for s, t in beads)
    print(f"{path.name}: {len(beads)} beads: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))


def check_alternatives(path, gold_path):
    """Each line of an `.alt` file: gold beads `=` other beads covering the same sentences."""
    gold = set()
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        m = BEAD.match(line)
        if m:
            gold.add((tuple(parse_ids(m.group(1))), tuple(parse_ids(m.group(2)))))
    count = 0
    for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        if line.count("=") != 1:
            problem(f"{path.name}:{ln}: not `gold beads = other beads`")
            continue
        sides = []
        for part in line.split("="):
            beads = []
            for field in part.split():
                m = BEAD.match(field)
                if not m:
                    problem(f"{path.name}:{ln}: malformed bead {field!r}")
                    continue
                beads.append((tuple(parse_ids(m.group(1))), tuple(parse_ids(m.group(2)))))
            sides.append(beads)
        if any(b not in gold for b in sides[0]):
            problem(f"{path.name}:{ln}: the left side's beads are not all gold beads")
        for k in (0, 1):
            left = [i for b in sides[0] for i in b[k]]
            right = [i for b in sides[1] for i in b[k]]
            if left != right or left != sorted(left):
                problem(f"{path.name}:{ln}: the two readings do not cover the same sentences in order")
        count += 1
    print(f"{path.name}: {count} alternative readings")


def check_pairs(path, n_en, n_fr):
    seen = set()
    strong_en, strong_fr = collections.Counter(), collections.Counter()
    counts = collections.Counter()
    for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 4 or not cols[0].isdigit() or not cols[1].isdigit():
            problem(f"{path.name}:{ln}: expected en<TAB>fr<TAB>strong|weak<TAB>note")
            continue
        en, fr, strength = int(cols[0]), int(cols[1]), cols[2]
        if en >= n_en or fr >= n_fr:
            problem(f"{path.name}:{ln}: index out of range")
        if strength not in ("strong", "weak"):
            problem(f"{path.name}:{ln}: strength {strength!r}")
        if (en, fr) in seen:
            problem(f"{path.name}:{ln}: duplicate pair")
        seen.add((en, fr))
        counts[strength] += 1
        if strength == "strong":
            strong_en[en] += 1
            strong_fr[fr] += 1
    if any(v > 1 for v in strong_en.values()) or any(v > 1 for v in strong_fr.values()):
        problem(f"{path.name}: strong pairs are not one-to-one")
    print(f"{path.name}: {sum(counts.values())} pairs: strong {counts['strong']}, weak {counts['weak']}")


def main():
    sents = {}
    for name in DOCS:
        sents[name] = read_sent(name)
        check_sent(name, sents[name])
        print(f"{name}.sent: {len(sents[name])} sentences")
    for gold, a, b in (
        ("003-004.pt-id.gold", "003.pt", "004.id"),
        ("002-003.en-pt.gold", "002.en", "003.pt"),
        ("002-004.en-id.gold", "002.en", "004.id"),
    ):
        check_gold(SEEDS / gold, len(sents[a]), len(sents[b]))
        alternatives = (SEEDS / gold).with_suffix(".alt")
        if alternatives.exists():
            check_alternatives(alternatives, SEEDS / gold)
    for pairs, fr in (("002-000.en-fr.pairs", "000.fr"), ("002-001.en-fr.pairs", "001.fr")):
        check_pairs(SEEDS / pairs, len(sents["002.en"]), len(sents[fr]))
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
