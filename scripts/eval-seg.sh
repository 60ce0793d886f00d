#!/usr/bin/env bash
# Segmentation accuracy on the shared dev sets: boundary F1 per language next to the best
# peer (../shared/bench/PEERS.md), and the golden-rule cases. Prints a Markdown table.
#
# Usage: scripts/eval-seg.sh [BENCH_DIR]   (default: ../shared/bench next to the repository)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${1:-$root/../shared/bench}"
seg="$bench/seg"
if [ ! -d "$seg" ]; then
    echo "no $seg: pass the directory that holds seg/ as the first argument" >&2
    exit 2
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bitext="$root/target/release/bitext"

# Best peer per language and which one it is (PEERS.md).
declare -A peer=([en]="89.4 (SRX)" [fr]="97.9 (SRX)" [pt]="91.0 (SRX)" [id]="93.5 (SRX)" [de]="98.0 (SRX)"
    [es]="98.1 (Punkt)" [nl]="99.6 (Punkt)" [pl]="97.2 (SRX)" [zh]="99.1 (UAX29)" [ja]="99.6 (pySBD)")

field() { # field NAME JSON
    sed -E "s/.*\"$1\":([-0-9.e]+).*/\1/" <<<"$2"
}

echo "| language | precision | recall | boundary F1 | best peer F1 | tp | fp | fn |"
echo "|---|---|---|---|---|---|---|---|"
for lang in en fr pt id de es nl pl zh ja; do
    json="$("$bitext" eval-seg --gold "$seg/$lang.gold" --text "$seg/$lang.txt" --lang "$lang" --json)"
    printf '| %s | %.1f | %.1f | **%.1f** | %s | %s | %s | %s |\n' "$lang" \
        "$(awk -v x="$(field precision "$json")" 'BEGIN{print 100*x}')" \
        "$(awk -v x="$(field recall "$json")" 'BEGIN{print 100*x}')" \
        "$(awk -v x="$(field f1 "$json")" 'BEGIN{print 100*x}')" \
        "${peer[$lang]}" \
        "$(field true_positives "$json")" "$(field false_positives "$json")" \
        "$(field false_negatives "$json")"
done

echo
echo "| golden rules | passed |"
echo "|---|---|"
for case in "en.tsv en pySBD (en)" "en_ps.tsv en pragmatic_segmenter (en)" "fr.tsv fr French"; do
    set -- $case
    file=$1 lang=$2
    shift 2
    # eval-seg exits 1 when a case fails; here the count of passed cases is the result.
    json="$("$bitext" eval-seg --golden "$seg/golden/$file" --lang "$lang" --json)" || true
    printf '| %s | %s/%s |\n' "$*" "$(field passed "$json")" "$(field total "$json")"
done
