#!/usr/bin/env python3
"""Cuts blocks of sentences from one side of a gold-aligned document pair, to measure how an
aligner copes with omissions (a translation that skips passages, a source with extra ones).

usage: omissions.py SRC TGT GOLD OUT_PREFIX [SIDE:FIRST:COUNT ...]

SRC and TGT hold one sentence per line, GOLD vecalign-style beads ([i,j]:[k] per line, 0-based).
Each cut removes the SIDE ("src" or "tgt") sentences of COUNT consecutive gold beads, starting
at bead FIRST. The other side's sentences of those beads stay, as one-sentence null beads in
the new gold. Writes OUT_PREFIX.src, OUT_PREFIX.tgt and OUT_PREFIX.gold, renumbered.
Default cuts: tgt:100:60 src:300:30 tgt:360:5 (88 target and 33 source sentences of the
Text+Berg dev document, in three places).
"""
import ast
import sys


def read_beads(path):
    beads = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            fields = line.split(":")
            if len(fields) < 2:
                sys.exit(f"{path}:{number}: not a bead: {line!r}")
            beads.append((ast.literal_eval(fields[0]), ast.literal_eval(fields[1])))
    return beads


def read_lines(path):
    """The sentences of a one-sentence-per-line file, split on newlines only."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    # A trailing newline leaves one empty string: not a sentence.
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    src_path, tgt_path, gold_path, prefix = argv[1:5]
    cuts = argv[5:] or ["tgt:100:60", "src:300:30", "tgt:360:5"]
    src, tgt = read_lines(src_path), read_lines(tgt_path)
    beads = read_beads(gold_path)
    drop = {"src": set(), "tgt": set()}
    for cut in cuts:
        side, first, count = cut.split(":")
        for s, t in beads[int(first): int(first) + int(count)]:
            drop[side].update(s if side == "src" else t)
    keep_src = [i for i in range(len(src)) if i not in drop["src"]]
    keep_tgt = [j for j in range(len(tgt)) if j not in drop["tgt"]]
    new_src = {old: new for new, old in enumerate(keep_src)}
    new_tgt = {old: new for new, old in enumerate(keep_tgt)}
    with open(prefix + ".src", "w", encoding="utf-8") as f:
        f.writelines(src[i] + "\n" for i in keep_src)
    with open(prefix + ".tgt", "w", encoding="utf-8") as f:
        f.writelines(tgt[j] + "\n" for j in keep_tgt)
    with open(prefix + ".gold", "w", encoding="utf-8") as f:
        for s, t in beads:
            s = [new_src[i] for i in s if i in new_src]
            t = [new_tgt[j] for j in t if j in new_tgt]
            if s and t:
                f.write(f"{s}:{t}\n".replace(" ", ""))
            else:
                # One bead per unaligned sentence, as aligners write them.
                for i in s:
                    f.write(f"[{i}]:[]\n")
                for j in t:
                    f.write(f"[]:[{j}]\n")
    print(f"cut {len(drop['src'])} source and {len(drop['tgt'])} target sentences", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
