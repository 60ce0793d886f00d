#!/usr/bin/env bash
# Aligns document pairs with GNU parallel splitting JSON Lines across `bitext stream`
# processes: `parallel --pipe -N 1000 --block 16M --keep-order` hands blocks of 1000
# lines (up to 16 MB; a news article pair is a few kB) to each process and prints
# their outputs in input order. Needs GNU parallel (apt-get install parallel) and
# python3 (to write the example input); exits with status 2 without parallel. Set
# BITEXT to a bitext binary to skip the release build; the first argument is how many
# copies of the seed pair to make (default 1000).
set -euo pipefail

cd "$(dirname "$0")/.."
if ! command -v parallel >/dev/null 2>&1; then
    echo "parallel-example: GNU parallel not found; install it with: apt-get install parallel" >&2
    exit 2
fi
if [ -z "${BITEXT:-}" ]; then
    cargo build --release --quiet
    BITEXT="$PWD/target/release/bitext"
fi
BITEXT=$(realpath "$BITEXT")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Input: one {"id", "src", "tgt", "src_lang", "tgt_lang"} object per line.
python3 - "${1:-1000}" >"$work/in.jsonl" <<'EOF'
import json, sys
seeds = "tests/fixtures/seeds/"
pt = open(seeds + "003.pt.txt", encoding="utf-8").read()
id_ = open(seeds + "004.id.txt", encoding="utf-8").read()
for i in range(int(sys.argv[1])):
    print(json.dumps({"id": i, "src": pt, "tgt": id_, "src_lang": "pt", "tgt_lang": "id"}))
EOF

# One single-threaded bitext per job slot; parallel runs one per core.
parallel --pipe -N 1000 --block 16M --keep-order "$BITEXT" stream --jobs 1 <"$work/in.jsonl" >"$work/out.jsonl"

lines_in=$(wc -l <"$work/in.jsonl")
lines_out=$(wc -l <"$work/out.jsonl")
errors=$(grep -vc '"error":null}$' "$work/out.jsonl" || true)
echo "parallel-example: $lines_in document pairs in, $lines_out results out, $errors errors"
head -c 300 "$work/out.jsonl"
echo
# The outputs come back in input order: ids 0, 1, 2, ...
python3 - "$work/out.jsonl" <<'EOF'
import json, sys
ids = [json.loads(line)["id"] for line in open(sys.argv[1], encoding="utf-8")]
assert ids == list(range(len(ids))), "output out of order"
print(f"parallel-example: {len(ids)} results, in input order")
EOF
[ "$lines_in" = "$lines_out" ] && [ "$errors" = 0 ]
