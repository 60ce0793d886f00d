#!/usr/bin/env bash
# Whole-process time and peak memory of `bitext align --presegmented` on long documents built
# from the Text+Berg development document, and the accuracy against their gold:
# - repeated: the document repeated whole (as ../shared/bench/PEERS.md does for hunalign);
# - shuffled: runs of 10 to 40 gold beads drawn at random (scripts/shuffled-long.py), so
#   that no alignment shifted by a whole copy reads as right;
# - shuffled, cut: the same with six passages cut from one side or the other
#   (scripts/omissions.py): about 0.5% of the sentences, up to 500 in one passage;
# - shuffled, long cuts: another shuffled document (seed 3) with five longer passages cut:
#   about 4% of the sentences, up to 1,666 in one passage (a missing chapter).
# Usage: scripts/scale.sh [SIZES...]   (default: 1700 10000 30000 100000 source sentences)
set -euo pipefail
cd "$(dirname "$0")/.."
tb=${SHARED:-../shared}/bench/textberg
[ -d "$tb" ] || { echo "needs $tb" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/bitext
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1700 10000 30000 100000)
printf 'document\tsentences (de/fr)\tseconds\tpeak MB\tstrict F1\tlax F1\n'
# Aligns $1.src with $1.tgt and prints a row named $2.
measure() {
  /usr/bin/time -f '%e %M' -o "$dir/time" $bin align --presegmented --format beads "$1.src" "$1.tgt" > "$dir/beads"
  read -r secs kb < "$dir/time"
  f1=$($bin eval "$1.gold" "$dir/beads" | awk -F'\t' '$1 == "total" { print $4 "\t" $7 }')
  printf '%s\t%s/%s\t%s\t%s\t%s\n' "$2" "$(wc -l < "$1.src")" "$(wc -l < "$1.tgt")" "$secs" "$((kb / 1024))" "$f1"
}
for size in "${sizes[@]}"; do
  copies=$(( (size + 467) / 468 ))
  : > "$dir/rep.src"; : > "$dir/rep.tgt"; : > "$dir/rep.gold"
  for ((r = 0; r < copies; r++)); do
    cat "$tb/dev.de" >> "$dir/rep.src"
    cat "$tb/dev.fr" >> "$dir/rep.tgt"
    awk -v a=$((468 * r)) -v b=$((554 * r)) -F: '
      function shift(side, k,   n, parts, out, i) {
        gsub(/[\[\] ]/, "", side); n = split(side, parts, ",");
        out = ""; for (i = 1; i <= n; i++) if (parts[i] != "") out = out (out == "" ? "" : ",") (parts[i] + k);
        return "[" out "]"
      }
      NF >= 2 { print shift($1, a) ":" shift($2, b) }' "$tb/dev.defr" >> "$dir/rep.gold"
  done
  measure "$dir/rep" repeated
  python3 scripts/shuffled-long.py "$tb/dev.de" "$tb/dev.fr" "$tb/dev.defr" "$dir/shuf" "$size"
  measure "$dir/shuf" shuffled
  beads=$(wc -l < "$dir/shuf.gold")
  at() { echo $((beads * $1 / 100)); }
  python3 scripts/omissions.py "$dir/shuf.src" "$dir/shuf.tgt" "$dir/shuf.gold" "$dir/cut" \
    "tgt:$(at 1):$((size / 330))" "src:$(at 20):$((size / 1600))" "tgt:$(at 40):8" \
    "src:$(at 60):$((size / 200))" "tgt:$(at 80):$((size / 800))" "src:$(at 95):20" 2> /dev/null
  measure "$dir/cut" "shuffled, cut"
  python3 scripts/shuffled-long.py "$tb/dev.de" "$tb/dev.fr" "$tb/dev.defr" "$dir/shuf3" "$size" 3
  beads=$(wc -l < "$dir/shuf3.gold")
  python3 scripts/omissions.py "$dir/shuf3.src" "$dir/shuf3.tgt" "$dir/shuf3.gold" "$dir/long" \
    "src:$(at 5):$((size / 100))" "tgt:$(at 30):$((size / 150))" "tgt:$(at 50):40" \
    "src:$(at 70):$((size / 300))" "tgt:$(at 90):$((size / 60))" 2> /dev/null
  measure "$dir/long" "shuffled, long cuts"
done
