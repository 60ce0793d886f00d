#!/usr/bin/env bash
# Headless-browser test of the HTML review page (`bitext align --report`), kept out of
# `cargo test` because it needs Chromium, Node.js and a release build (about two minutes).
# One command:
#
#   scripts/browser-test.sh
#
# It installs what is missing (Debian's chromium when root; playwright-core, pinned, from
# the npm registry into target/browser-test, with no browser download: it drives
# /usr/bin/chromium), writes the review page of the PT-ID seed pair with the release
# binary (or $BITEXT_BIN) and drives it with keys and clicks (scripts/browser/review-test.js):
#   1. load; keyboard navigation (next, previous, first, last, next/previous bead to review);
#      merge, split (halves and before a clicked sentence), move a sentence to either
#      neighbour, unalign a sentence, undo, confirm, mark wrong; reload: the edits are kept;
#   2. the exports, downloaded from the page: before any edit, TMX, TSV and beads are
#      byte for byte the CLI's own output; after the edits,
#      the TMX passes scripts/tmx-validate.sh (xmllint, the TMX DTD subset and the
#      project's structural rules) and `bitext eval` reads the exported beads as gold;
#   3. scale: a 100k-sentence pair made from the seeds (scripts/browser/long-pair.py),
#      aligned with --report: the page's size (over 20 MB fails) and its load time in
#      Chromium (ready: data parsed, rows and plot drawn; over $BROWSER_TEST_MAX_MS,
#      5000 by default, fails), the first key's answer, a click on a red stretch of the
#      overview strip;
#   4. screenshots: docs/report-pt-id.png, docs/review-editing.png, docs/review-100k.png
#      (PNG, not blank).
# BROWSER_TEST_SENTENCES sets the size of the scale step (default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
max_ms=${BROWSER_TEST_MAX_MS:-5000}
sentences=${BROWSER_TEST_SENTENCES:-100000}
max_bytes=20000000

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "browser-test: $1 is missing: apt-get install $1" >&2
        exit 1
    fi
}
if ! command -v chromium >/dev/null; then
    need_root chromium
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null; then
    need_root nodejs
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
modules=$root/target/browser-test/node_modules
if [ ! -d "$modules/playwright-core" ]; then
    npm install --no-save --no-audit --no-fund --prefix "$root/target/browser-test" \
        playwright-core@1.64.1 >/dev/null
fi

bin=${BITEXT_BIN:-}
if [ -z "$bin" ]; then
    cargo build --release --quiet --bin bitext
    bin=$root/target/release/bitext
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=tests/fixtures/seeds/003.pt.txt
tgt=tests/fixtures/seeds/004.id.txt
align_seed() { "$bin" align "$src" "$tgt" --src-lang pt --tgt-lang id "$@"; }
align_seed --format beads --report "$work/seed.html" >"$work/seed.beads"
align_seed --format tmx >"$work/seed.tmx"
align_seed --format tsv >"$work/seed.tsv"

passed=0
failed=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "ok    $1 ($(head -c 60 <<<"$3" | head -1))"
        passed=$((passed + 1))
    else
        echo "FAIL  $1: expected $2, got $3"
        failed=$((failed + 1))
    fi
}
# Runs the page driver and counts its checks with ours.
drive() {
    local status=0
    NODE_PATH=$modules node scripts/browser/review-test.js "$@" >"$work/driver.log" 2>&1 || status=$?
    cat "$work/driver.log"
    passed=$((passed + $(grep -c '^ok ' "$work/driver.log" || true)))
    failed=$((failed + $(grep -c '^FAIL' "$work/driver.log" || true)))
    if [ "$status" -ne 0 ] && ! grep -q '^FAIL' "$work/driver.log"; then
        failed=$((failed + 1))
    fi
}
measure() { awk -v k="$1" '$1 == "measure" && $2 == k { print $3 }' "$work/driver.log"; }

mkdir -p docs
rm -f docs/report-pt-id.png docs/review-editing.png docs/review-100k.png

echo "== the seed page: keys, clicks, reload, exports"
drive edit "$work/seed.html" "$work/seed.beads" "$work" "$root/docs"

echo "== the exports against the CLI and the project's checks"
same() { # same NAME EXPECTED_FILE ACTUAL_FILE
    if cmp -s "$2" "$3"; then
        check "$1" same same
    else
        check "$1" same "$(diff "$2" "$3" 2>&1 | head -5)"
    fi
}
same "beads exported before any edit == bitext --format beads" "$work/seed.beads" "$work/fresh.beads"
same "TSV exported before any edit == bitext --format tsv" "$work/seed.tsv" "$work/fresh.tsv"
same "TMX exported before any edit == bitext --format tmx" "$work/seed.tmx" "$work/fresh.tmx"
if scripts/tmx-validate.sh "$work/fresh.tmx" "$work/review.tmx" >"$work/validate.log" 2>&1; then
    check "scripts/tmx-validate.sh on the exported TMX" ok ok
else
    check "scripts/tmx-validate.sh on the exported TMX" ok "$(cat "$work/validate.log")"
fi
sed 's/^/      /' "$work/validate.log"
# The reviewed beads as gold, the CLI's as test: the merge and the wrong bead cost F1.
if "$bin" eval "$work/review.beads" "$work/seed.beads" >"$work/eval.txt" 2>&1; then
    f1=$(awk -F'\t' '$1 == "total" { print $4 }' "$work/eval.txt")
    check "bitext eval reads the reviewed beads as gold" ok ok
    check "the edits show in strict F1 (under 1)" 1 "$(awk -v f="$f1" 'BEGIN { print (f > 0 && f < 1) }')"
    echo "      strict F1 of the CLI's beads against the reviewed ones: $f1"
else
    check "bitext eval reads the reviewed beads as gold" ok "$(cat "$work/eval.txt")"
fi
"$bin" eval "$work/fresh.beads" "$work/seed.beads" >"$work/eval-fresh.txt" 2>&1 || true
check "unedited export as gold: strict F1 1" 1 \
    "$(awk -F'\t' '$1 == "total" { print $4 + 0 }' "$work/eval-fresh.txt")"

echo "== scale: $sentences source sentences"
"$bin" segment --lang pt "$src" >"$work/seed.pt"
"$bin" segment --lang id "$tgt" >"$work/seed.id"
python3 scripts/browser/long-pair.py "$work/seed.pt" "$work/seed.id" "$sentences" \
    "$work/long.pt" "$work/long.id"
"$bin" align --presegmented "$work/long.pt" "$work/long.id" --src-lang pt --tgt-lang id \
    --format beads --report "$work/long.html" >"$work/long.beads"
bytes=$(stat -c %s "$work/long.html")
text=$(cat "$work/long.pt" "$work/long.id" | wc -c)
echo "      $(wc -l <"$work/long.pt") source and $(wc -l <"$work/long.id") target sentences," \
    "$text bytes of text, $(wc -l <"$work/long.beads") beads: page $bytes bytes"
check "the page is at most $max_bytes bytes" 1 "$([ "$bytes" -le "$max_bytes" ] && echo 1 || echo 0)"
drive scale "$work/long.html" "$work/long.beads" "$work" "$root/docs" "$max_ms"

echo "== screenshots"
for png in report-pt-id review-editing review-100k; do
    file=docs/$png.png
    magic=$(head -c 8 "$file" 2>/dev/null | od -An -tx1 | tr -d ' \n')
    size=$(stat -c %s "$file" 2>/dev/null || echo 0)
    # A blank 1280x820 page compresses to a few kilobytes; the review page is far larger.
    check "$file is a PNG and not blank" "89504e470d0a1a0a 1" \
        "$magic $([ "$size" -gt 40000 ] && echo 1 || echo 0)"
done

echo "browser-test: 100k page $bytes bytes, ready in $(measure ready_ms) ms" \
    "(load to first rows and plot; $(measure wall_ms) ms wall), first key $(measure first_key_ms) ms"
echo "browser-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
