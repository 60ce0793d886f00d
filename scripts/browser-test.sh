#!/usr/bin/env bash
# Headless-browser test of the HTML review report (`bitext align --report`), kept out of
# `cargo test` because it needs Chromium and a release build. One command:
#
#   scripts/browser-test.sh
#
# It installs Debian's chromium when missing (needs root), writes the report of the PT-ID
# seed pair with the release binary (or $BITEXT_BIN), opens it in headless Chromium and checks:
#   1. the page renders and its script runs: the DOM after load has one row per bead
#      (counted from `--format beads`), the plot, and the script's "showing N of N beads";
#   2. the filter works, both ways: with `#under=X` in the URL, the visible rows are
#      exactly the beads whose confidence is under X (X = the highest confidence, so at
#      least one row is hidden; then X just above the lowest, so at least one is shown);
#   3. a screenshot, docs/report-pt-id.png, is written and is not a blank page.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "browser-test: chromium is missing: apt-get install chromium" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

bin=${BITEXT_BIN:-}
if [ -z "$bin" ]; then
    cargo build --release --quiet --bin bitext
    bin=target/release/bitext
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=tests/fixtures/seeds/003.pt.txt
tgt=tests/fixtures/seeds/004.id.txt
"$bin" align "$src" "$tgt" --src-lang pt --tgt-lang id --format beads \
    --report "$work/report.html" >"$work/beads"
beads=$(wc -l <"$work/beads")

# Every flag that could make Chromium reach the network or write outside $work is off.
browse() {
    local profile=$1
    shift
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile-$profile" --virtual-time-budget=5000 "$@" \
        2>>"$work/chromium.log"
}

passed=0
failed=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "ok    $1 ($3)"
        passed=$((passed + 1))
    else
        echo "FAIL  $1: expected $2, got $3"
        failed=$((failed + 1))
    fi
}
rows() { grep -o '<tr class="bead [^>]*>' "$1" | wc -l; }
hidden_rows() { grep -o '<tr class="bead [^>]*>' "$1" | grep -c 'hidden=' || true; }
under() { # beads whose confidence (the last field) is under $1
    awk -F: -v x="$1" '$NF + 0 < x + 0 { n++ } END { print n + 0 }' "$work/beads"
}

# 1. The page renders.
browse load --dump-dom "file://$work/report.html" >"$work/dom.html"
check "rows in the DOM == beads" "$beads" "$(rows "$work/dom.html")"
check "no row hidden without a filter" 0 "$(hidden_rows "$work/dom.html")"
check "the script ran" "showing $beads of $beads beads" \
    "$(grep -o 'showing [0-9]* of [0-9]* beads' "$work/dom.html" | head -1)"
check "the plot has a box or stroke per bead" "$beads" \
    "$(grep -o '<a href="#b[0-9]*">' "$work/dom.html" | wc -l)"

# 2. The filter, driven by the URL fragment.
hi=$(awk -F: '{ print $NF }' "$work/beads" | sort -g | tail -1)
lo=$(awk -F: '{ print $NF }' "$work/beads" | sort -g | head -1)
lo_plus=$(awk -v x="$lo" 'BEGIN { printf "%.5f", x + 0.00005 }')
for x in "$hi" "$lo_plus"; do
    browse "filter-$x" --dump-dom "file://$work/report.html#under=$x" >"$work/filtered.html"
    shown=$((beads - $(hidden_rows "$work/filtered.html")))
    check "rows shown under $x == beads under $x" "$(under "$x")" "$shown"
    check "status line under $x" "showing $shown of $beads beads" \
        "$(grep -o 'showing [0-9]* of [0-9]* beads' "$work/filtered.html" | head -1)"
done
check "the filter hides something at the highest confidence" 1 \
    "$([ "$(under "$hi")" -lt "$beads" ] && echo 1 || echo 0)"
check "the filter shows something just above the lowest" 1 \
    "$([ "$(under "$lo_plus")" -gt 0 ] && echo 1 || echo 0)"

# 3. The screenshot.
mkdir -p docs
rm -f docs/report-pt-id.png
browse shot --hide-scrollbars --window-size=1280,1100 \
    --screenshot="$root/docs/report-pt-id.png" "file://$work/report.html" >/dev/null
size=$(stat -c %s docs/report-pt-id.png 2>/dev/null || echo 0)
magic=$(head -c 8 docs/report-pt-id.png 2>/dev/null | od -An -tx1 | tr -d ' \n')
check "docs/report-pt-id.png is a PNG" 89504e470d0a1a0a "$magic"
# A blank 1280x1100 page compresses to a few kilobytes; the report is far larger.
check "docs/report-pt-id.png is not blank" 1 "$([ "$size" -gt 40000 ] && echo 1 || echo 0)"

echo "browser-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
