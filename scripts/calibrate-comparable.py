#!/usr/bin/env python3
"""How comparable mode's confidence map (MARGIN_SCALE and MARGIN_SHIFT in
src/align/comparable.rs) is chosen, with each development family held out in turn.

The links come from documents built from translations, each given a word table:
- the Bible pairs of scripts/eval-comparable.py --learn-rest (six language families),
- the Chinese-English MAC chapters of scripts/eval-comparable-mac.py, given a table learned
  from the other chapters (other novels) and one learned from all six; the two count as one
  family when it is held out.
For each held-out family, Platt's scale and shift of the links' log odds are fitted on the
others (each family weighed alike, whatever its number of links), and the held-out family's
calibration error (ECE) is given as the aligner gives it and as that fit would make it, with
the ECE a perfectly calibrated map would show on as many links of those confidences from
chance alone, and how often chance alone reaches the one measured (a family of few links
cannot show a small ECE however good its map). The
last row fits every family: a scale k and shift b there mean the constants should become
MARGIN_SCALE * k and MARGIN_SHIFT * k + b.

Usage: scripts/calibrate-comparable.py [--bin PATH] [--shared DIR] [--seeds 2024 7]
                                       [--windows 10] [--mac-windows 3]
"""
import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sibling import built, load  # noqa: E402

ec = load("eval-comparable.py")
ef = load("eval-families.py")
mac_eval = load("eval-comparable-mac.py")


def constant(name):
    source = (ROOT / "src" / "align" / "comparable.rs").read_text(encoding="utf-8")
    return float(re.search(rf"pub const {name}: f64 = (-?[0-9.]+);", source).group(1))


def weighed(families):
    """The links of `families` (name -> links), and weights that make each family count alike."""
    links, weights = [], []
    for family_links in families.values():
        links += family_links
        weights += [1000.0 / max(len(family_links), 1)] * len(family_links)
    return links, weights


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "bitext"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[2024, 7])
    ap.add_argument("--windows", type=int, default=10, help="documents built per Bible pair")
    ap.add_argument("--mac-windows", type=int, default=3, help="documents built per MAC chapter")
    args = ap.parse_args()
    binary = built(args.bin)
    shared = Path(args.shared) / "bench"
    families = {}
    for seed in args.seeds:
        rng = random.Random(seed)
        for pair, _, _, _, links in ec.collect(binary, shared / "bible", rng, args.windows, True):
            families.setdefault(ec.family(pair), []).extend(links)
        for table in ("rest", "all"):
            rng = random.Random(seed)
            for _, _, _, _, links in mac_eval.collect(binary, shared / "mac", rng, args.mac_windows, table):
                families.setdefault(f"zh-en ({table})", []).extend(links)
    group = {name: ("zh-en" if name.startswith("zh-en") else name) for name in families}
    scale, shift = constant("MARGIN_SCALE"), constant("MARGIN_SHIFT")
    print(f"Seeds {' '.join(map(str, args.seeds))}; MARGIN_SCALE {scale}, MARGIN_SHIFT {shift}.")
    print()
    print("| held-out family | links | right | ECE as given | scale, shift fitted on the others "
          "| ECE so scaled | from chance alone | reached by chance |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sorted(families):
        others = {f: links for f, links in families.items() if group[f] != group[name]}
        k, b = ec.platt_fit(*weighed(others))
        held = families[name]
        tally = ef.Tally.of_links(ec.scaled(held, k, b))
        print(f"| {name} | {len(held)} | {sum(ok for _, ok in held)} | {ec.ece(held)[0]:.3f} | "
              f"{k:.2f}, {b:+.2f} | {tally.ece():.3f} | {tally.chance_ece():.3f} | "
              f"{tally.chance_share():.1%} |")
    k, b = ec.platt_fit(*weighed(families))
    everything = [link for links in families.values() for link in links]
    print(f"| (all, fitted) | {len(everything)} | {sum(ok for _, ok in everything)} | "
          f"{ec.ece(everything)[0]:.3f} | {k:.2f}, {b:+.2f} | |")
    print()
    print(f"Fitted on every family: MARGIN_SCALE {scale * k:.3f}, MARGIN_SHIFT {shift * k + b:.3f}")


if __name__ == "__main__":
    main()
