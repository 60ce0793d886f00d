#!/usr/bin/env bash
# Runs scripts/pyspark_example.py: Spark in local mode piping document pairs through
# `bitext stream`. Needs Java (8, 11, 17 or 21) and PySpark (`pip install pyspark`);
# exits with status 2 and says what is missing otherwise. Set BITEXT to a bitext binary
# to skip the release build.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if ! command -v java >/dev/null 2>&1; then
    echo "run-pyspark-example: java not found; install a JDK (e.g. apt-get install openjdk-17-jre-headless)" >&2
    exit 2
fi
if ! "$PYTHON" -c 'import pyspark' >/dev/null 2>&1; then
    echo "run-pyspark-example: PySpark not found for $PYTHON; install it with: pip install pyspark" >&2
    exit 2
fi

if [ -z "${BITEXT:-}" ]; then
    cargo build --release --quiet
    BITEXT="$PWD/target/release/bitext"
fi

# Spark starts the bitext processes from its own working folder: give an absolute path.
exec "$PYTHON" scripts/pyspark_example.py "$(realpath "$BITEXT")" "${1:-50}"
