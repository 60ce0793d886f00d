#!/usr/bin/env python3
"""The parallel aligner on language pairs the development data does not hold, composed
through the Swahili side of the Bible pairs.

Seven of ../shared/bench/bible's pairs have a Swahili side (sw-acu, sw-chr, sw-lv, sw-quc,
sw-syr, sw-uk, sw-zu). Each pair's Swahili file is the same translation with its own random
joins and drops, so two pairs' Swahili words can be matched (difflib over the words), and
their gold composed: a line of one target language and a line of the other belong to one bead
when their Swahili lines share words. A component that touches Swahili words the other pair
lacks (a line one pair dropped), that has lines on one side only, or whose lines cannot
be told apart (a bead of several lines a side that split the Swahili differently, where
composing would give a coarser bead than the translations have), is left out of both
documents, so every composed bead is known. This gives 21 pairs, such as Achuar-Cherokee or
Syriac-Zulu, in language combinations no constant was fitted on; uk-lv is composed too and
checked against its own gold.

For each pair: vecalign's strict and lax F1, the ECE of the confidence (a bead right when the
identical bead is in the gold), and whether the aligner warned "do not look like
translations"; then, for each pair, the first half of one side against the second half of
the other, where the warning should fire. Nothing here is fitted: it is a check of how the confidence and the warning
carry over.

Usage: scripts/eval-bible-pivot.py [--bin PATH] [--shared DIR] [--keep DIR]
  --keep DIR  also write the composed pairs as DIR/bench/bible/mark.L1-L2.{L1,L2,gold}, the
              layout of ../shared/bench, so that `scripts/eval-comparable.py --shared DIR`
              builds comparable documents from them
"""
import argparse
import difflib
import sys
import tempfile
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sibling import built, load  # noqa: E402

ef = load("eval-families.py")


def read(bible, lang):
    pair = f"sw-{lang}"
    sw = (bible / f"mark.{pair}.sw").read_text(encoding="utf-8").splitlines()
    other = (bible / f"mark.{pair}.{lang}").read_text(encoding="utf-8").splitlines()
    gold = ef.parse_beads((bible / f"mark.{pair}.gold").read_text(encoding="utf-8"))
    return sw, other, gold


def words(lines):
    """Every word of `lines`, with the line it is in."""
    out, line_of = [], []
    for k, line in enumerate(lines):
        for word in line.split():
            out.append(word)
            line_of.append(k)
    return out, line_of


def compose(a, b):
    """The documents and gold of language A against language B, each read as (Swahili lines,
    own lines, gold of Swahili against own), and the lines of each left out."""
    (sw_a, lines_a, gold_a), (sw_b, lines_b, gold_b) = a, b
    words_a, line_a = words(sw_a)
    words_b, line_b = words(sw_b)
    to_b = [None] * len(words_a)
    to_a = [None] * len(words_b)
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    for i, j, n in matcher.get_matching_blocks():
        for k in range(n):
            to_b[i + k], to_a[j + k] = j + k, i + k
    # The Swahili text's finest pieces: a piece starts wherever either file starts a line.
    # Both files break only between verses, so a piece is a verse or a run of verses.
    def starts(line_of):
        return {k for k in range(len(line_of)) if k == 0 or line_of[k] != line_of[k - 1]}
    starts_a = starts(line_a) | {to_a[j] for j in starts(line_b) if to_a[j] is not None}
    starts_b = starts(line_b) | {to_b[i] for i in starts(line_a) if to_b[i] is not None}
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x, y):
        parent[find(x)] = find(y)

    def link(side, gold, line_of, piece_starts, own_count, to_a_words):
        """Joins each own line to the Swahili words it translates (as words of file A); a
        bead whose Swahili splits into as many pieces as it has own lines gives each line
        its piece, in order."""
        first = {}
        for k, line in enumerate(line_of):
            first.setdefault(line, k)
        ends = {line: k + 1 for k, line in enumerate(line_of)}
        for k in range(own_count):
            find((side, k))
        for sw, own, _ in gold:
            if not own:
                continue
            if not sw:
                for o in own:
                    union((side, o), ("lost", side, o))
                continue
            lo, hi = first[sw[0]], ends[sw[-1]]
            cuts = [k for k in range(lo, hi) if k in piece_starts] + [hi]
            pieces = [range(cuts[n], cuts[n + 1]) for n in range(len(cuts) - 1)]
            if len(pieces) == len(own):
                groups = [[p] for p in pieces]
            else:
                groups = [pieces] * len(own)
                if len(pieces) > 1 and len(own) > 1:
                    # Which of the lines holds which verse is not known: a composed bead
                    # would be coarser than the translations' own, so it is left out.
                    union((side, own[0]), ("lost", side, "bead", own[0]))
            for o, group in zip(own, groups):
                for piece in group:
                    for k in piece:
                        target = to_a_words(k)
                        union((side, o), ("w", target) if target is not None else ("lost", side, k))

    link("a", gold_a, line_a, starts_a, len(lines_a), lambda i: i)
    link("b", gold_b, line_b, starts_b, len(lines_b), lambda j: to_a[j])
    for i, target in enumerate(to_b):
        if target is None:
            union(("w", i), ("lost", "a-word", i))
    components = {}
    for node in list(parent):
        components.setdefault(find(node), []).append(node)
    keep_a, keep_b, beads = set(), set(), []
    for nodes in components.values():
        side_a = sorted(n[1] for n in nodes if n[0] == "a")
        side_b = sorted(n[1] for n in nodes if n[0] == "b")
        if any(n[0] == "lost" for n in nodes) or not side_a or not side_b:
            continue
        keep_a.update(side_a)
        keep_b.update(side_b)
        beads.append((side_a, side_b))
    new_a = {k: n for n, k in enumerate(sorted(keep_a))}
    new_b = {k: n for n, k in enumerate(sorted(keep_b))}
    beads = sorted(([new_a[k] for k in sa], [new_b[k] for k in sb]) for sa, sb in beads)
    # Composed beads are contiguous and in order on both sides, or the gold is not a gold.
    flat_a = [k for sa, _ in beads for k in sa]
    flat_b = [k for _, sb in beads for k in sb]
    assert flat_a == list(range(len(keep_a))) and flat_b == list(range(len(keep_b))), "not monotone"
    return ([lines_a[k] for k in sorted(keep_a)], [lines_b[k] for k in sorted(keep_b)], beads,
            (len(lines_a) - len(keep_a), len(lines_b) - len(keep_b)))


def write_beads(path, beads):
    path.write_text("".join(f"[{','.join(map(str, a))}]:[{','.join(map(str, b))}]\n" for a, b in beads),
                    encoding="utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "bitext"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--keep", help="also write the composed pairs to DIR/bench/bible")
    args = ap.parse_args()
    binary = built(args.bin)
    bible = Path(args.shared) / "bench" / "bible"
    langs = sorted(g.name.split(".")[1].split("-")[1] for g in bible.glob("mark.sw-*.gold"))
    data = {lang: read(bible, lang) for lang in langs}
    print("| pair | lines left out | beads | strict F1 | lax F1 | ECE | warned | shifted gold: source lines, "
          "strict / lax F1 and ECE without them |")
    print("|---|---|---|---|---|---|---|---|")
    total, unshifted_total = ef.Tally(), ef.Tally()
    pairs, unshifted_pairs, warned_count = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        layout = Path(args.keep) / "bench" / "bible" if args.keep else None
        if layout:
            layout.mkdir(parents=True, exist_ok=True)
        for la, lb in combinations(langs, 2):
            src, tgt, gold, (left_a, left_b) = compose(data[la], data[lb])
            name = f"{la}-{lb}"
            (work / f"{name}.{la}").write_text("\n".join(src) + "\n", encoding="utf-8")
            (work / f"{name}.{lb}").write_text("\n".join(tgt) + "\n", encoding="utf-8")
            write_beads(work / f"{name}.gold", gold)
            if layout:
                for lang, lines in ((la, src), (lb, tgt)):
                    (layout / f"mark.{name}.{lang}").write_text("\n".join(lines) + "\n", encoding="utf-8")
                write_beads(layout / f"mark.{name}.gold", gold)
            test, warned = ef.align(binary, work / f"{name}.{la}", work / f"{name}.{lb}", la, lb, [])
            (work / f"{name}.test").write_text(
                "".join(f"[{','.join(map(str, a))}]:[{','.join(map(str, b))}]:{c}\n" for a, b, c in test),
                encoding="utf-8")
            gold_beads = [(tuple(a), tuple(b), None) for a, b in gold]
            tally = ef.Tally()
            tally.add(gold_beads, test)
            total.add(gold_beads, test)
            strict, lax = ef.scores(binary, [(work / f"{name}.gold", work / f"{name}.test")])
            pairs.append((work / f"{name}.gold", work / f"{name}.test"))
            warned_count += warned
            # The Latvian gold pairs a stretch of Mark 9 with its neighbours' verses (see
            # scripts/eval-families.py), and composing carries that over.
            shifted = ef.shifted_gold(src, tgt, gold_beads)
            unshifted = ""
            kept = ef.without_stretch(gold_beads, test, shifted, work, name)
            unshifted_pairs.append(kept)
            kept_gold = [(a, b, None) for a, b, _ in gold_beads if not set(a) & shifted]
            kept_test = ef.parse_beads(kept[1].read_text(encoding="utf-8"))
            unshifted_tally = ef.Tally()
            unshifted_tally.add(kept_gold, kept_test)
            unshifted_total.add(kept_gold, kept_test)
            if shifted:
                u_strict, u_lax = ef.scores(binary, [kept])
                unshifted = (f"{min(shifted)}-{max(shifted)}: {u_strict:.3f} / {u_lax:.3f}, "
                             f"{unshifted_tally.ece():.3f}")
            print(f"| {name} | {left_a} / {left_b} | {len(gold)} | {strict:.3f} | {lax:.3f} | "
                  f"{tally.ece():.3f} | {'yes' if warned else 'no'} | {unshifted} |")
        strict, lax = ef.scores(binary, pairs)
        u_strict, u_lax = ef.scores(binary, unshifted_pairs)
        print(f"| all {len(pairs)} | | | {strict:.3f} | {lax:.3f} | {total.ece():.3f} | "
              f"{warned_count} of {len(pairs)} | {u_strict:.3f} / {u_lax:.3f}, {unshifted_total.ece():.3f} |")
        controls = []
        for la, lb in combinations(langs, 2):
            # Pairs that are not translations: the first half of one side against the second
            # half of the other, as many lines a side.
            src, tgt, _, _ = compose(data[la], data[lb])
            half = len(src) // 2
            (work / "first").write_text("\n".join(src[:half]) + "\n", encoding="utf-8")
            (work / "second").write_text("\n".join(tgt[len(tgt) // 2:len(tgt) // 2 + half]) + "\n",
                                         encoding="utf-8")
            test, warned = ef.align(binary, work / "first", work / "second", la, lb, [])
            pair_beads = [c for a, b, c in test if a and b]
            controls.append((f"{la}-{lb}", warned, sum(c >= 0.5 for c in pair_beads), len(pair_beads)))
    print()
    print("Controls: the first half of one side against the second half of the other (not "
          "translations): warned on")
    print(f"{sum(w for _, w, _, _ in controls)} of {len(controls)}; pair beads at 0.5 or more: "
          f"{sum(k for *_, k, _ in controls)} of {sum(n for *_, n in controls)}.")
    for name, warned, high, count in controls:
        if not warned or high:
            print(f"- {name}: {'warned' if warned else 'not warned'}, {high} of {count} pair beads at 0.5 or more")
    print()
    print(f"Reliability of all pairs' beads (ECE {total.ece():.3f}; from chance alone "
          f"{total.chance_ece():.3f}), and without the shifted gold (ECE {unshifted_total.ece():.3f}):")
    print("| band | beads | mean confidence | share right | without the shifted gold: beads, share right |")
    print("|---|---|---|---|---|")
    kept_rows = {band: (n, right) for band, n, _, right in unshifted_total.table()}
    for band, n, mean, right in total.table():
        kept_n, kept_right = kept_rows.get(band, (0, 0.0))
        print(f"| {band} | {n} | {mean:.2f} | {right:.2f} | {kept_n}, {kept_right:.2f} |")


if __name__ == "__main__":
    main()
