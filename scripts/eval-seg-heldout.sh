#!/usr/bin/env bash
# Segmentation accuracy on held-out test sets built by scripts/build-heldout-seg.py: boundary F1
# of bitext and of the peers that run here (scripts/eval-seg-peers.py), all scored by
# `bitext eval-seg`. Prints a Markdown table: F1 per tool, and bitext's counts.
#
# Usage: scripts/eval-seg-heldout.sh DIR [LANG...]   (DIR holds LANG.txt and LANG.gold;
#        default: every LANG.txt in DIR)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: scripts/eval-seg-heldout.sh DIR [LANG...]}"
shift
if [ $# -eq 0 ]; then
    set -- $(cd "$dir" && ls *.txt | sed 's/\.txt$//')
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bitext="$root/target/release/bitext"
pred="$(mktemp -d)"
trap 'rm -rf "$pred"' EXIT

field() { # field NAME JSON
    sed -E "s/.*\"$1\":([-0-9.e]+).*/\1/" <<<"$2"
}
pct() { awk -v x="$1" 'BEGIN{printf "%.1f", 100*x}'; }

tools="pysbd punkt punkt-self sentencex"
echo "| language | profile | scored | bitext | pySBD | Punkt (pretrained) | Punkt (trained on the text) | sentencex | bitext tp / fp / fn |"
echo "|---|---|---|---|---|---|---|---|---|"
for lang in "$@"; do
    gold="$dir/$lang.gold"
    json="$("$bitext" eval-seg --gold "$gold" --text "$dir/$lang.txt" --lang "$lang" --json)"
    tp="$(field true_positives "$json")" fp="$(field false_positives "$json")" fn="$(field false_negatives "$json")"
    if [ -f "$root/data/lang/$lang.txt" ]; then
        profile="$lang"
    else
        profile="generic"
    fi
    row="| $lang | $profile | $((tp + fn)) | **$(pct "$(field f1 "$json")")**"
    python3 "$root/scripts/eval-seg-peers.py" "$dir/$lang.txt" "$lang" "$pred/$lang" >/dev/null
    for tool in $tools; do
        if [ -f "$pred/$lang.$tool" ]; then
            row="$row | $(pct "$(field f1 "$("$bitext" eval-seg --gold "$gold" "$pred/$lang.$tool" --json)")")"
        else
            row="$row | n/a"
        fi
    done
    echo "$row | $tp / $fp / $fn |"
done
