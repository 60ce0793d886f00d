#!/usr/bin/env python3
"""A long parallel pair, one sentence a line, from two segmented seed articles.

    long-pair.py SRC_LINES TGT_LINES N OUT_SRC OUT_TGT

The seed articles are translations, sentence by sentence (the CLI aligns them 1-1).
The output is N source sentences: runs of 5 to 30 consecutive seed pairs, each run
starting at a random place in the article, every sentence numbered (`[n]` at its end)
and with its words in a random order, so that two copies of one seed sentence are
different sentences and the text does not compress like one article repeated (gzip
finds whole copies of a 3 kB article in its window; a page of such text would look
ten times smaller than one of real text). The target side is
the same runs, with damage for the review to find: every ~2,000 sentences a run of
10 to 60 target sentences is left out, and every ~7,000 a run of 20 target sentences
is shuffled. The seed is fixed: the same inputs give the same pair.
"""
import random
import sys


def mix(rng, sentence):
    words = sentence.split()
    rng.shuffle(words)
    return " ".join(words)


def main():
    src_path, tgt_path, n, out_src, out_tgt = sys.argv[1:6]
    n = int(n)
    src = [line.strip() for line in open(src_path, encoding="utf-8") if line.strip()]
    tgt = [line.strip() for line in open(tgt_path, encoding="utf-8") if line.strip()]
    if len(src) != len(tgt) or not src:
        sys.exit(f"long-pair: {len(src)} source and {len(tgt)} target lines: need equal, non-zero")
    rng = random.Random(15)
    pairs = []
    while len(pairs) < n:
        start, length = rng.randrange(len(src)), rng.randint(5, 30)
        for k in range(length):
            i = (start + k) % len(src)
            pairs.append((f"{mix(rng, src[i])} [{len(pairs)}]", f"{mix(rng, tgt[i])} [{len(pairs)}]"))
    pairs = pairs[:n]
    targets = [t for _, t in pairs]
    out = []
    i = 0
    while i < len(targets):
        if i > 0 and rng.random() < 1 / 2000:
            i += rng.randint(10, 60)
            continue
        if i > 0 and rng.random() < 1 / 7000:
            run = targets[i : i + 20]
            rng.shuffle(run)
            out.extend(run)
            i += 20
            continue
        out.append(targets[i])
        i += 1
    with open(out_src, "w", encoding="utf-8") as f:
        f.writelines(s + "\n" for s, _ in pairs)
    with open(out_tgt, "w", encoding="utf-8") as f:
        f.writelines(t + "\n" for t in out)


if __name__ == "__main__":
    main()
