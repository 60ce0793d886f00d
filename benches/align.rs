//! Alignment speed on long documents: 1k, 10k and 100k sentences a side, one thread; and on
//! 10k-sentence documents that have no good alignment, which must take about as long as a
//! real one (the band is capped): identical lines, and the document against itself reversed.
//!
//! The documents repeat real text: the Text+Berg German-French development document from
//! `../shared/bench/textberg` when it is there (468 and 554 sentences), else the seeds'
//! Portuguese-Indonesian translation in `alignments/seeds` (17 sentences each).
//!
//! Comparable mode with a word table learned from the corpus itself, on 1k and 4k sentences
//! a side, the target shuffled: its time must grow linearly with the documents' length.
//! Run: `cargo bench --features bench --bench align`.

use std::path::Path;
use std::time::Duration;

use bitext::{Aligner, Document, Lexicon, Mode};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn lines(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

fn corpus() -> (Vec<String>, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let textberg = root.join("../shared/bench/textberg");
    if let (Some(de), Some(fr)) = (
        lines(&textberg.join("dev.de")),
        lines(&textberg.join("dev.fr")),
    ) {
        return (de, fr);
    }
    let seeds = root.join("alignments/seeds");
    (
        lines(&seeds.join("003.pt.sent")).expect("seed fixture"),
        lines(&seeds.join("004.id.sent")).expect("seed fixture"),
    )
}

/// `size` source sentences and the matching share of target sentences, repeating the corpus.
fn documents(src: &[String], tgt: &[String], size: usize) -> (Document, Document) {
    let take_tgt = size * tgt.len() / src.len();
    let s: Vec<&str> = src.iter().map(String::as_str).cycle().take(size).collect();
    let t: Vec<&str> = tgt
        .iter()
        .map(String::as_str)
        .cycle()
        .take(take_tgt.max(1))
        .collect();
    (
        Document::presegmented(s.join("\n"), "src"),
        Document::presegmented(t.join("\n"), "tgt"),
    )
}

fn align(c: &mut Criterion) {
    let (src, tgt) = corpus();
    let aligner = Aligner::default();
    let mut group = c.benchmark_group("align");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for size in [1_000, 10_000, 100_000] {
        let (s, t) = documents(&src, &tgt, size);
        group.throughput(Throughput::Elements((s.len() + t.len()) as u64));
        group.measurement_time(Duration::from_secs(if size >= 100_000 { 60 } else { 10 }));
        group.bench_with_input(BenchmarkId::from_parameter(size), &(s, t), |b, (s, t)| {
            b.iter(|| aligner.align(s, t))
        });
    }
    group.finish();
}

fn degenerate(c: &mut Criterion) {
    let (src, _) = corpus();
    let aligner = Aligner::default();
    let size = 10_000;
    let lines: Vec<&str> = src.iter().map(String::as_str).cycle().take(size).collect();
    let reversed: Vec<&str> = lines.iter().rev().copied().collect();
    let cases = [
        (
            "identical",
            vec!["a"; size].join("\n"),
            vec!["a"; size].join("\n"),
        ),
        ("reversed", lines.join("\n"), reversed.join("\n")),
    ];
    let mut group = c.benchmark_group("degenerate");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    for (name, s, t) in cases {
        let (s, t) = (
            Document::presegmented(s, "src"),
            Document::presegmented(t, "tgt"),
        );
        group.throughput(Throughput::Elements((s.len() + t.len()) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &(s, t), |b, (s, t)| {
            b.iter(|| aligner.align(s, t))
        });
    }
    group.finish();
}

fn comparable(c: &mut Criterion) {
    let (src, tgt) = corpus();
    let (s, t) = documents(&src, &tgt, src.len());
    let table = Lexicon::learn(Aligner::default().sample_with_words(&s, &t));
    let aligner = Aligner::builder()
        .mode(Mode::Comparable)
        .lexicon(table)
        .build()
        .expect("comparable aligner");
    let mut group = c.benchmark_group("comparable");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    for size in [1_000, 4_000] {
        let s: Vec<&str> = src.iter().map(String::as_str).cycle().take(size).collect();
        // A fixed shuffle (a stride prime to the length), so every run aligns the same.
        let t: Vec<&str> = tgt.iter().map(String::as_str).cycle().take(size).collect();
        let stride = (1..size)
            .rev()
            .find(|k| gcd(*k, size) == 1 && k * 3 < size * 2);
        let t: Vec<&str> = (0..size)
            .map(|k| t[(k * stride.unwrap_or(1)) % size])
            .collect();
        let (s, t) = (
            Document::presegmented(s.join("\n"), "src"),
            Document::presegmented(t.join("\n"), "tgt"),
        );
        group.throughput(Throughput::Elements((s.len() + t.len()) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &(s, t), |b, (s, t)| {
            b.iter(|| aligner.align(s, t))
        });
    }
    group.finish();
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

criterion_group!(benches, align, degenerate, comparable);
criterion_main!(benches);
