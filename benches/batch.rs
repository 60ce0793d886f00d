//! Batch throughput: 10,000 document pairs made from the seed articles, 1 and 2 threads.
//!
//! Run with `cargo bench --features bench --bench batch`. Each pair is one to three
//! paragraphs of a seed article on both sides (the same paragraphs for the Portuguese
//! and Indonesian translations, independent slices for the English and French
//! rewrites), written once to a temporary folder; the runner reads, segments and aligns
//! them and formats TSV. `batch/align` drops the formatted output (the cost of the
//! pipeline), `batch/write` writes the outputs to a temporary folder (plus file I/O).
//! Criterion reports pairs per second; the sentences per second of one extra run per
//! thread count are printed to standard error.

use std::path::{Path, PathBuf};

use bitext::tuning::{BatchOptions, Job, Pair, ProgressEvent, run_batch};
use bitext::{Aligner, Language};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const PAIRS: usize = 10_000;

fn paragraphs(name: &str) -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/seeds/{name}.txt"));
    let text = std::fs::read_to_string(&path).expect("seed fixture");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Paragraphs `start..start + len` of `paras`, wrapping around, as a document.
fn slice(paras: &[String], start: usize, len: usize) -> String {
    (0..len)
        .map(|i| paras[(start + i) % paras.len()].as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Writes the pairs into `dir` and returns the jobs.
fn generate(dir: &Path) -> Vec<Job> {
    let pt = paragraphs("003.pt");
    let id = paragraphs("004.id");
    let en = paragraphs("002.en");
    let fr0 = paragraphs("000.fr");
    let fr1 = paragraphs("001.fr");
    std::fs::create_dir_all(dir).expect("bench folder");
    (0..PAIRS)
        .map(|k| {
            let len = 1 + (k / 7) % 3;
            let (src, tgt, langs) = match k % 10 {
                // Mostly true translations, as in a web-crawled parallel corpus.
                0..=6 => (slice(&pt, k, len), slice(&id, k, len), ("pt", "id")),
                7 => (slice(&id, k, len), slice(&pt, k, len), ("id", "pt")),
                8 => (
                    slice(&en, k, len),
                    slice(&fr0, k * 3, len * 2),
                    ("en", "fr"),
                ),
                _ => (
                    slice(&fr1, k, len * 2),
                    slice(&en, k * 5, len),
                    ("fr", "en"),
                ),
            };
            let name = format!("{k:05}");
            let src_path = dir.join(format!("{name}.src"));
            let tgt_path = dir.join(format!("{name}.tgt"));
            std::fs::write(&src_path, src).expect("write source");
            std::fs::write(&tgt_path, tgt).expect("write target");
            Job {
                id: name.clone(),
                pair: Ok(Pair {
                    id: name,
                    src: src_path,
                    tgt: tgt_path,
                    src_lang: Language::Tag(langs.0.to_owned()),
                    tgt_lang: Language::Tag(langs.1.to_owned()),
                }),
            }
        })
        .collect()
}

fn bench_batch(c: &mut Criterion) {
    let root: PathBuf =
        std::env::temp_dir().join(format!("bitext-bench-batch-{}", std::process::id()));
    let jobs = generate(&root.join("in"));
    let out_dir = root.join("out");
    let aligner = Aligner::builder().build().expect("aligner");
    let quiet = |_: ProgressEvent| {};

    for threads in [1, 2] {
        let options = BatchOptions {
            jobs: threads,
            ..BatchOptions::default()
        };
        let summary = run_batch(&jobs, None, &aligner, &options, &quiet).expect("batch");
        let t = &summary.totals;
        assert_eq!(t.ok, PAIRS, "every generated pair aligns");
        eprintln!(
            "batch of {PAIRS} pairs, {threads} thread(s): {} + {} sentences in {:.2} s: \
             {:.0} pairs/s, {:.0} sentences/s",
            t.src_sentences,
            t.tgt_sentences,
            t.seconds,
            PAIRS as f64 / t.seconds,
            t.sentences_per_second
        );
    }

    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(PAIRS as u64));
    for threads in [1, 2] {
        let options = BatchOptions {
            jobs: threads,
            ..BatchOptions::default()
        };
        group.bench_with_input(
            BenchmarkId::new("align", threads),
            &options,
            |b, options| {
                b.iter(|| run_batch(&jobs, None, &aligner, options, &quiet).expect("batch"))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("write", threads),
            &options,
            |b, options| {
                // A fresh folder each time, as in a real run: renaming over existing
                // files makes ext4 flush them (auto_da_alloc), which a first run never pays.
                let mut run = 0;
                b.iter_batched(
                    || {
                        let _ = std::fs::remove_dir_all(&out_dir);
                        run += 1;
                        out_dir.join(run.to_string())
                    },
                    |dir| run_batch(&jobs, Some(&dir), &aligner, options, &quiet).expect("batch"),
                    BatchSize::PerIteration,
                )
            },
        );
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&root);
}

criterion_group!(benches, bench_batch);
criterion_main!(benches);
