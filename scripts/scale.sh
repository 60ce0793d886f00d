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
# With --degenerate, for each size, inputs that have no good alignment, which the search must
# still finish in about the time and memory of a real document of the same size (the band
# capped, with a warning), made by the script itself (no gold, so no F1):
# - identical: SIZE lines `a`, aligned with themselves;
# - unrelated: the shuffled German against its French with the lines shuffled one by one;
# - reversed: the shuffled German against itself in reverse order;
# - article: the seeds' 17-sentence Portuguese article repeated to SIZE sentences against
#   its Indonesian translation repeated to 1.1 x SIZE.
# With --only-degenerate, only those.
# Usage: scripts/scale.sh [--degenerate | --only-degenerate] [SIZES...]
#   (default sizes: 1700 10000 30000 100000 source sentences; BITEXT=path measures another
#   binary, without building; BASELINE=path also runs that binary on each document, just
#   before, and adds its time and memory and the ratios: on a shared machine only figures
#   taken side by side compare; KEEP=dir writes the documents of the last size into dir and
#   leaves them there, to profile or compare outputs with cmp)
set -euo pipefail
cd "$(dirname "$0")/.."
tb=${SHARED:-../shared}/bench/textberg
[ -d "$tb" ] || { echo "needs $tb" >&2; exit 2; }
degenerate=0 real=1
case "${1:-}" in
  --degenerate) degenerate=1; shift ;;
  --only-degenerate) degenerate=1 real=0; shift ;;
esac
if [ -n "${BITEXT:-}" ]; then
  bin=$BITEXT
else
  cargo build --release --quiet
  bin=target/release/bitext
fi
if [ -n "${KEEP:-}" ]; then
  dir=$KEEP
  mkdir -p "$dir"
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1700 10000 30000 100000)
header='document\tsentences (de/fr)\tseconds\tpeak MB\tstrict F1\tlax F1'
[ -z "${BASELINE:-}" ] || header+='\tbaseline seconds\tbaseline MB\ttime ratio\tmemory ratio'
printf '%b\n' "$header"
# Aligns $1.src with $1.tgt and prints a row named $2 (F1 only when there is a $1.gold).
measure() {
  local base=""
  if [ -n "${BASELINE:-}" ]; then
    /usr/bin/time -f '%e %M' -o "$dir/time" "$BASELINE" align --presegmented --format beads \
      "$1.src" "$1.tgt" > /dev/null 2>&1
    read -r bsecs bkb < <(tail -n 1 "$dir/time")
  fi
  /usr/bin/time -f '%e %M' -o "$dir/time" $bin align --presegmented --format beads "$1.src" "$1.tgt" \
    > "$dir/beads" 2> "$dir/stderr"
  read -r secs kb < <(tail -n 1 "$dir/time")
  if [ -n "${BASELINE:-}" ]; then
    base=$(awk -v s="$secs" -v k="$kb" -v bs="$bsecs" -v bk="$bkb" \
      'BEGIN { printf "\t%s\t%d\t%.2f\t%.2f", bs, bk / 1024, s / bs, k / bk }')
  fi
  if [ -f "$1.gold" ]; then
    f1=$($bin eval "$1.gold" "$dir/beads" | awk -F'\t' '$1 == "total" { print $4 "\t" $7 }')
  else
    f1=$'-\t-'
  fi
  printf '%s\t%s/%s\t%s\t%s\t%s%s\n' "$2" "$(wc -l < "$1.src")" "$(wc -l < "$1.tgt")" "$secs" "$((kb / 1024))" "$f1" "$base"
  grep -i 'band' "$dir/stderr" | sed 's/^/  /' || true
}
# Writes the first $2 lines of file $1 repeated over and over.
cycle() {
  awk -v n="$2" '{ line[NR] = $0 } END { for (i = 0; i < n; i++) print line[i % NR + 1] }' "$1"
}
for size in "${sizes[@]}"; do
  [ "$real" = 1 ] || continue
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
for size in "${sizes[@]}"; do
  [ "$degenerate" = 1 ] || continue
  rm -f "$dir"/*.gold
  awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) print "a" }' > "$dir/same.src"
  cp "$dir/same.src" "$dir/same.tgt"
  measure "$dir/same" identical
  python3 scripts/shuffled-long.py "$tb/dev.de" "$tb/dev.fr" "$tb/dev.defr" "$dir/shuf" "$size"
  rm "$dir/shuf.gold"
  cp "$dir/shuf.src" "$dir/unrel.src"
  python3 -c 'import random, sys; l = open(sys.argv[1]).readlines(); random.Random(7).shuffle(l); sys.stdout.writelines(l[:int(sys.argv[2])])' \
    "$dir/shuf.tgt" "$size" > "$dir/unrel.tgt"
  measure "$dir/unrel" unrelated
  cp "$dir/shuf.src" "$dir/rev.src"
  tac "$dir/shuf.src" > "$dir/rev.tgt"
  measure "$dir/rev" reversed
  cycle alignments/seeds/003.pt.sent "$size" > "$dir/art.src"
  cycle alignments/seeds/004.id.sent $((size * 11 / 10)) > "$dir/art.tgt"
  measure "$dir/art" "article (pt/id)"
done
