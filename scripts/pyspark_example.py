"""Align document pairs with Spark by piping JSON Lines through `bitext stream`.

Usage: python3 scripts/pyspark_example.py [BITEXT] [COPIES]

BITEXT is the path of the bitext binary (default: `bitext` on PATH); COPIES is how
many times the seed pairs are repeated (default 50). Spark runs in local mode with two
cores. Each partition's records go through one `bitext stream` process; bitext answers
one line per input line, in input order, and echoes the id, so results can be joined
back to their inputs by id. `scripts/run-pyspark-example.sh` builds bitext and runs this.
"""

import json
import os
import sys

from pyspark import SparkConf, SparkContext

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "tests", "fixtures", "seeds")

# (source file, target file, source lang, target lang): the Portuguese and Indonesian
# seeds translate the same article; the English one is a rewrite of it.
PAIRS = [
    ("003.pt.txt", "004.id.txt", "pt", "id"),
    ("002.en.txt", "003.pt.txt", "en", "pt"),
    ("002.en.txt", "004.id.txt", "en", "id"),
]


def read(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return f.read()


def records(copies):
    """One JSON line per document pair, as `bitext stream` reads them."""
    for copy in range(copies):
        for src, tgt, src_lang, tgt_lang in PAIRS:
            yield json.dumps(
                {
                    "id": f"{copy}:{src}-{tgt}",
                    "src": read(src),
                    "tgt": read(tgt),
                    "src_lang": src_lang,
                    "tgt_lang": tgt_lang,
                },
                ensure_ascii=False,
            )


def main():
    bitext = sys.argv[1] if len(sys.argv) > 1 else "bitext"
    copies = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("bitext-stream-example")
        .set("spark.ui.showConsoleProgress", "false")
    )
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        lines = list(records(copies))
        rdd = sc.parallelize(lines, numSlices=4)
        # One thread per bitext process: Spark already runs one task per core.
        # pipe() passes the command through shlex, so a path with spaces needs quoting.
        results = rdd.pipe(f"'{bitext}' stream --jobs 1 --min-confidence 0.3").map(json.loads).cache()
        errors = results.filter(lambda r: r["error"] is not None).collect()
        pairs = results.flatMap(
            lambda r: [(r["id"], p["src"], p["tgt"], p["confidence"]) for p in r["pairs"]]
        )
        total = results.count()
        n_pairs = pairs.count()
        print(f"{len(lines)} document pairs in, {total} results out, {len(errors)} errors")
        print(f"{n_pairs} sentence pairs at confidence >= 0.3; the first three:")
        for doc_id, src, tgt, confidence in pairs.take(3):
            print(f"  [{doc_id}] {confidence:.2f}  {src[:60]!r} -> {tgt[:60]!r}")
        if total != len(lines) or errors:
            print("unexpected: every input line should give one result without error")
            return 1
        return 0
    finally:
        sc.stop()


if __name__ == "__main__":
    sys.exit(main())
