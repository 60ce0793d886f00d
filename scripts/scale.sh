#!/usr/bin/env bash
# Whole-process time and peak memory of `bitext align --presegmented` on long documents
# built by repeating the Text+Berg development document (as ../shared/bench/PEERS.md does for
# hunalign), and the accuracy against the repeated gold.
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
printf 'sentences (de/fr)\tseconds\tpeak MB\tstrict F1\tlax F1\n'
for size in "${sizes[@]}"; do
  copies=$(( (size + 467) / 468 ))
  : > "$dir/de"; : > "$dir/fr"; : > "$dir/gold"
  for ((r = 0; r < copies; r++)); do
    cat "$tb/dev.de" >> "$dir/de"
    cat "$tb/dev.fr" >> "$dir/fr"
    awk -v a=$((468 * r)) -v b=$((554 * r)) -F: '
      function shift(side, k,   n, parts, out, i) {
        gsub(/[\[\] ]/, "", side); n = split(side, parts, ",");
        out = ""; for (i = 1; i <= n; i++) if (parts[i] != "") out = out (out == "" ? "" : ",") (parts[i] + k);
        return "[" out "]"
      }
      NF >= 2 { print shift($1, a) ":" shift($2, b) }' "$tb/dev.defr" >> "$dir/gold"
  done
  /usr/bin/time -f '%e %M' -o "$dir/time" $bin align --presegmented --format beads "$dir/de" "$dir/fr" > "$dir/beads"
  read -r secs kb < "$dir/time"
  f1=$($bin eval "$dir/gold" "$dir/beads" | awk -F'\t' '$1 == "total" { print $4 "\t" $7 }')
  printf '%s/%s\t%s\t%s\t%s\n' "$(wc -l < "$dir/de")" "$(wc -l < "$dir/fr")" "$secs" "$((kb / 1024))" "$f1"
done
