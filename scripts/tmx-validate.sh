#!/usr/bin/env bash
# Validates bitext's TMX with xmllint: well-formed XML, valid against the TMX 1.4b
# content models in scripts/tmx14-subset.dtd, and a few structural rules a DTD cannot say
# (two tuv per tu, one per language, an x-confidence prop in [0, 1]).
#
#   scripts/tmx-validate.sh              # the committed snapshot and the PT-ID seed via the CLI
#   scripts/tmx-validate.sh FILE.tmx...  # given files
#
# No Debian package ships the official tmx14.dtd (libxml-tmx-perl and translate-toolkit
# were checked) and this project has no network beyond package registries, so the DTD
# used is a subset written from the TMX 1.4b specification (see its header).
# Installs libxml2-utils when xmllint is missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v xmllint >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null
    else
        echo "tmx-validate: xmllint is missing: apt-get install libxml2-utils" >&2
        exit 1
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    # The snapshot carries insta's header: the TMX starts after the second `---` line.
    awk 'seen >= 2 { print } /^---$/ { seen++ }' \
        tests/snapshots/integration__write__tmx.snap >"$work/snapshot.tmx"
    cargo build --quiet --bin bitext
    target/debug/bitext align tests/fixtures/seeds/003.pt.txt tests/fixtures/seeds/004.id.txt \
        --src-lang pt --tgt-lang id --format tmx >"$work/seed-pt-id.tmx"
    files=("$work/snapshot.tmx" "$work/seed-pt-id.tmx")
fi

passed=0
failed=0
for file in "${files[@]}"; do
    problems=()
    if ! xmllint --noout --nonet --dtdvalid scripts/tmx14-subset.dtd "$file" 2>"$work/err"; then
        problems+=("$(cat "$work/err")")
    else
        x() { xmllint --nonet --xpath "$1" "$file" 2>/dev/null; }
        tus=$(x 'count(/tmx/body/tu)')
        [ "$(x 'string(/tmx/@version)')" = "1.4" ] || problems+=("tmx version is not 1.4")
        [ "$(x 'string(/tmx/header/@segtype)')" = "sentence" ] || problems+=("segtype is not sentence")
        [ "$(x 'count(/tmx/body/tu[count(tuv) != 2])')" = 0 ] || problems+=("a tu without exactly two tuv")
        [ "$(x 'count(/tmx/body/tu[tuv[1]/@xml:lang != /tmx/header/@srclang])')" = 0 ] ||
            problems+=("a first tuv not in the header's srclang")
        [ "$(x 'count(/tmx/body/tu[count(prop[@type="x-confidence"]) != 1])')" = 0 ] ||
            problems+=("a tu without exactly one x-confidence prop")
        [ "$(x 'count(/tmx/body/tu/prop[@type="x-confidence"][not(number(.) >= 0 and number(.) <= 1)])')" = 0 ] ||
            problems+=("an x-confidence outside [0, 1]")
        [ "$(x 'count(/tmx/body/tu/tuv/seg[normalize-space(.) = ""])')" = 0 ] ||
            problems+=("an empty seg")
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        echo "ok    $file ($tus translation units)"
        passed=$((passed + 1))
    else
        echo "FAIL  $file"
        printf '      %s\n' "${problems[@]}"
        failed=$((failed + 1))
    fi
done
echo "tmx-validate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
