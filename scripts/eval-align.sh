#!/usr/bin/env bash
# Alignment accuracy on the development gold: the Text+Berg German-French document
# (from ../shared/bench/textberg, GPL-2, never copied here) and the seed gold in
# alignments/seeds. Prints vecalign's strict and lax precision/recall/F1 and the
# reliability table of confidence.
# Usage: scripts/eval-align.sh [SHARED_DIR]   (default: ../shared next to the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
cargo build --release --quiet
bin=target/release/bitext
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
seeds=alignments/seeds
pairs=()
if [ -d "$shared/bench/textberg" ]; then
  tb=$shared/bench/textberg
  $bin align --presegmented --format beads "$tb/dev.de" "$tb/dev.fr" > "$out/textberg.beads"
  echo "== Text+Berg dev (de-fr)"
  $bin eval "$tb/dev.defr" "$out/textberg.beads"
  pairs+=("$tb/dev.defr" "$out/textberg.beads")
  # Omissions: passages cut from one side (scripts/omissions.py, default cuts: 88 French and
  # 33 German sentences in three places), the other side's sentences left unaligned.
  echo
  echo "== Text+Berg dev with passages cut from one side"
  python3 scripts/omissions.py "$tb/dev.de" "$tb/dev.fr" "$tb/dev.defr" "$out/cut"
  $bin align --presegmented --format beads "$out/cut.src" "$out/cut.tgt" > "$out/cut.beads"
  $bin eval "$out/cut.gold" "$out/cut.beads" | head -3
else
  echo "($shared/bench/textberg not found: skipping Text+Berg)"
fi
for spec in "003 pt 004 id" "002 en 003 pt" "002 en 004 id"; do
  set -- $spec
  $bin align --presegmented --format beads "$seeds/$1.$2.sent" "$seeds/$3.$4.sent" > "$out/$1-$3.beads"
  pairs+=("$seeds/$1-$3.$2-$4.gold" "$out/$1-$3.beads")
done
echo
echo "== Seeds (pt-id, en-pt, en-id) and all documents together"
$bin eval "${pairs[@]}"

echo
echo "== EN-FR (independently written), --mode comparable: every predicted pair,"
echo "   marked against the same-fact pairs in alignments/seeds/002-*.en-fr.pairs"
for fr in 000 001; do
  gold="$seeds/002-$fr.en-fr.pairs"
  $bin align --presegmented --mode comparable --format beads "$seeds/002.en.sent" "$seeds/$fr.fr.sent" |
    awk -F: -v gold="$gold" -v name="002-$fr" '
      BEGIN {
        while ((getline line < gold) > 0) {
          if (line ~ /^#/ || line == "") continue
          split(line, c, "\t"); kind[c[1] "-" c[2]] = c[3]; if (c[3] == "strong") strong++
        }
      }
      $1 != "[]" && $2 != "[]" {
        en = $1; fr = $2; gsub(/[\[\]]/, "", en); gsub(/[\[\]]/, "", fr)
        k = kind[en "-" fr]; mark = (k == "" ? "not listed" : k)
        if ($3 >= 0.5) { confident++; if (k != "") right++ }
        if (k == "strong") found++
        printf "%s\ten %s\tfr %s\t%.3f\t%s\n", name, en, fr, $3, mark
      }
      END {
        printf "%s: %d of %d pairs at 0.5 or more are listed pairs; %d of %d strong pairs found\n",
          name, right, confident, found, strong
      }'
done
