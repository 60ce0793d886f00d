#!/usr/bin/env python3
"""Builds a long gold-aligned document pair from a short one without repeating it whole.

usage: shuffled-long.py SRC TGT GOLD OUT_PREFIX SOURCE_SENTENCES [SEED]

Repeating a document (as scripts/scale.sh does) makes every copy identical, so an alignment
shifted by one whole copy reads as right as the true one, and an aligner that loses its way
after an omission can never be told from one that does not. This cuts the gold into runs of
10 to 40 consecutive beads and strings runs drawn at random (seeded, so the output is the same
every time) until the source side holds SOURCE_SENTENCES sentences. Writes OUT_PREFIX.src,
OUT_PREFIX.tgt and OUT_PREFIX.gold, one sentence per line, beads 0-based.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from omissions import read_beads, read_lines  # noqa: E402


def main():
    if len(sys.argv) not in (6, 7):
        sys.exit(__doc__)
    src_path, tgt_path, gold_path, prefix, size = sys.argv[1:6]
    rng = random.Random(int(sys.argv[6]) if len(sys.argv) == 7 else 1)
    src, tgt, beads = read_lines(src_path), read_lines(tgt_path), read_beads(gold_path)
    out_src, out_tgt, out_beads = [], [], []
    while len(out_src) < int(size):
        length = rng.randint(10, 40)
        start = rng.randrange(0, max(1, len(beads) - length))
        for s, t in beads[start:start + length]:
            new_s = list(range(len(out_src), len(out_src) + len(s)))
            new_t = list(range(len(out_tgt), len(out_tgt) + len(t)))
            out_src.extend(src[i] for i in s)
            out_tgt.extend(tgt[j] for j in t)
            out_beads.append((new_s, new_t))
    with open(prefix + ".src", "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in out_src)
    with open(prefix + ".tgt", "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in out_tgt)
    with open(prefix + ".gold", "w", encoding="utf-8") as f:
        f.writelines(f"{s}:{t}\n".replace(" ", "") for s, t in out_beads)


if __name__ == "__main__":
    main()
