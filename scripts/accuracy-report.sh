#!/usr/bin/env bash
# Writes docs/accuracy.md, the committed accuracy report: every development family aligned one
# document at a time and as one batch (scripts/eval-families.py), 21 language pairs composed
# from the Bible's (scripts/eval-bible-pivot.py), the cross-validated choice of the confidence's
# constants (scripts/calibrate.py), and comparable mode on documents built from translations
# (scripts/eval-comparable.py, scripts/eval-comparable-mac.py, and the choice of its map,
# scripts/calibrate-comparable.py). Needs ../shared/bench (never copied here).
# Usage: scripts/accuracy-report.sh [SHARED_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
cargo build --release --quiet
out=docs/accuracy.md
{
  echo "# Alignment accuracy on the development families"
  echo
  echo "Written by \`scripts/accuracy-report.sh\` on $(date -u +%Y-%m-%d) from commit"
  echo "\`$(git rev-parse --short HEAD)\`; every figure below comes from the scripts it runs. Strict"
  echo "and lax F1 are vecalign's; ECE is the expected calibration error of the confidence over"
  echo "ten bands, a bead counting as right when the identical bead is in the gold (as"
  echo "\`bitext eval\` counts it)."
  echo
  echo "## One document at a time"
  echo
  echo "\`bitext align --presegmented --src-lang L1 --tgt-lang L2\` on each document."
  echo
  python3 scripts/eval-families.py --shared "$shared"
  echo
  echo "## One batch per family"
  echo
  echo "\`bitext batch\` over each family's documents: word translations are learned from all of"
  echo "the family's pairs of the same languages before each is aligned (the Bible's eight pairs"
  echo "are eight language pairs, so there it changes little)."
  echo
  python3 scripts/eval-families.py --shared "$shared" --batch | sed -n '1,/^Per document/p' | sed '$d'
  echo
  echo "## Language pairs composed through Swahili"
  echo
  echo "\`scripts/eval-bible-pivot.py\`: the Bible's seven pairs with a Swahili side give 21 pairs of"
  echo "their other languages (Achuar-Cherokee, Syriac-Zulu...), the gold composed through the"
  echo "Swahili words both pairs share; combinations no constant was fitted on, aligned one document"
  echo "at a time as above. Composed lines whose partner is not known are left out of both sides."
  echo
  python3 scripts/eval-bible-pivot.py --shared "$shared"
  echo
  echo "## How the confidence's constants were chosen"
  echo
  echo "\`scripts/calibrate.py\`: each family held out in turn, the constants fitted on the other"
  echo "three (windows of their documents, and pairs that are not translations, for the translation"
  echo "test; whole documents' beads for the calibration), and scored on the held-out family. The"
  echo "held-out figures are the ones to trust."
  echo
  python3 scripts/calibrate.py --shared "$shared"
  echo
  echo "## Comparable mode on documents built from translations"
  echo
  echo "\`scripts/eval-comparable.py\`: 160 verses of one side of a Bible pair against the"
  echo "translations of 40% of them mixed with as many unrelated verses, shuffled."
  echo
  python3 scripts/eval-comparable.py --shared "$shared"
  echo
  echo "The same, each pair given a word table (\`--lexicon\`) that \`bitext align --lexicon-out\`"
  echo "learned from the rest of the book as a parallel text (\`--learn-rest\`): how comparable"
  echo "documents in languages that share no words are met."
  echo
  python3 scripts/eval-comparable.py --shared "$shared" --learn-rest
  echo
  echo "Without a table, a link's confidence is its evidence plus the prior log odds, scaled by the"
  echo "slope in src/align/comparable.rs. With one, a pair is ranked by its margin: its evidence (the"
  echo "word model's, with its length ratio and shared keys beside it) over the mean evidence of its"
  echo "four strongest rivals in its row and in its column (Artetxe and Schwenk, 2019). A learned table's word"
  echo "model (IBM Model 1 over every word, short ones included) gives the word evidence: how much"
  echo "likelier each sentence's words are given the other's than by their own frequency. The"
  echo "confidence is a logistic of the margin in units of the spread of every candidate's margin in"
  echo "the two documents, its scale and shift (src/align/comparable.rs) chosen as below. What limits"
  echo "the claims on the Bible is the ranking (a word model learned from a few hundred verses), not"
  echo "its calibration."
  echo
  echo "### Chinese-English"
  echo
  echo "\`scripts/eval-comparable-mac.py\`: each MAC chapter's Chinese against the English of 40% of"
  echo "its sentences mixed with as many English lines of the other chapters, shuffled, given a"
  echo "table learned from the other five chapters (other novels: \`--learn-rest\`)."
  echo
  python3 scripts/eval-comparable-mac.py --shared "$shared" --learn-rest
  echo
  echo "The same, given a table learned from all six chapters (\`--learn-all\`: the table knows"
  echo "the chapter's words)."
  echo
  python3 scripts/eval-comparable-mac.py --shared "$shared" --learn-all
  echo
  echo "### How the margin's map was chosen"
  echo
  echo "\`scripts/calibrate-comparable.py\`: the links of the Bible families (with a table, ten"
  echo "windows a pair) and of the Chinese-English chapters (with either table), seeds 2024 and 7;"
  echo "each family held out in turn, Platt's scale and shift fitted on the others."
  echo
  python3 scripts/calibrate-comparable.py --shared "$shared"
} > "$out"
echo "wrote $out"
