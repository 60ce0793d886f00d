#!/usr/bin/env python3
"""Build a segmentation test set (text + gold) from a CoNLL-U file, the way ../shared/bench/seg/ was built.

Usage: scripts/build-heldout-seg.py CONLLU LANG OUT_DIR [--no-space]

Writes OUT_DIR/LANG.txt (running text: the sentences of a paragraph joined by one space, a blank
line between paragraphs) and OUT_DIR/LANG.gold (the same text, one gold sentence per line, a blank
line between paragraphs). Sentences are the `# text =` lines. Paragraphs follow `# newpar` and
`# newdoc` when the file marks paragraphs; otherwise every five consecutive sentences form one (a
document break also starts one). `--no-space` joins the sentences of a paragraph with nothing
between them, for scripts written without spaces (zh, ja).

The treebanks carry their own licences (most CC BY-SA 4.0): keep the built files outside the
repository.
"""
import argparse
import os
import sys

GROUP = 5


def read_units(path):
    """Yield ('doc' | 'par' | 'sent', text) in file order."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# newdoc"):
                yield "doc", ""
            elif line.startswith("# newpar"):
                yield "par", ""
            elif line.startswith("# text ="):
                text = line[len("# text ="):].strip()
                if text:
                    yield "sent", text


def paragraphs(units):
    has_par = any(kind == "par" for kind, _ in units)
    paras, cur = [], []
    for kind, text in units:
        if kind == "par" or kind == "doc":
            if cur:
                paras.append(cur)
                cur = []
        elif kind == "sent":
            cur.append(text)
            # Without paragraph marks a treebank gives no paragraph information, and one
            # paragraph per document would make the end-of-paragraph boundaries, which are not
            # scored, the minority: group by five as the dev sets do.
            if not has_par and len(cur) == GROUP:
                paras.append(cur)
                cur = []
    if cur:
        paras.append(cur)
    return paras


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("conllu")
    ap.add_argument("lang")
    ap.add_argument("out_dir")
    ap.add_argument("--no-space", action="store_true")
    args = ap.parse_args()
    paras = paragraphs(list(read_units(args.conllu)))
    if not paras:
        sys.exit(f"{args.conllu}: no '# text =' lines")
    joiner = "" if args.no_space else " "
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, args.lang + ".txt"), "w", encoding="utf-8") as f:
        f.write("\n\n".join(joiner.join(p) for p in paras) + "\n")
    with open(os.path.join(args.out_dir, args.lang + ".gold"), "w", encoding="utf-8") as f:
        f.write("\n\n".join("\n".join(p) for p in paras) + "\n")
    n = sum(len(p) for p in paras)
    print(f"{args.lang}: {n} sentences, {len(paras)} paragraphs, {n - len(paras)} scored boundaries")


if __name__ == "__main__":
    main()
