//! Segmentation throughput on a few MB of real text per language, the learned-abbreviation
//! pass included (it is part of `segment`).
//!
//! The text is the UD dev text of `../shared/bench/seg/LANG.txt` when that directory exists
//! (the figures in docs/segmentation.md), else the fixtures of `tests/fixtures/seg/` and the
//! seed articles, repeated to the same size, so the bench runs on a fresh clone.
//! Run: `cargo bench --features bench --bench segment`.

use std::path::Path;

use bitext::Segmenter;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Bytes of text per language.
const SIZE: usize = 4 << 20;

fn sample(lang: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join(format!("../shared/bench/seg/{lang}.txt"));
    let mut base = std::fs::read_to_string(shared).unwrap_or_default();
    if base.is_empty() {
        let fixtures = root.join("tests/fixtures/seg");
        if let Ok(entries) = std::fs::read_dir(&fixtures) {
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.starts_with(lang) {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    // Only the inputs of the fixture cases: text before each `---` line.
                    for case in text.split("\n===") {
                        if let Some((input, _)) = case.split_once("\n---") {
                            base.push_str(input.trim());
                            base.push_str("\n\n");
                        }
                    }
                }
            }
        }
    }
    if base.is_empty() {
        base = "Mr. Smith went to Washington. He arrived at 5 p.m. on Monday.\n\n".to_owned();
    }
    let mut text = String::with_capacity(SIZE + base.len());
    while text.len() < SIZE {
        text.push_str(&base);
        text.push_str("\n\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("segment");
    group.sample_size(20);
    // pl and ko have no profile of their own: they measure the generic profile, ko with its
    // Korean endings (from the fixtures: there is no Korean text in ../shared/bench/seg).
    for lang in [
        "en", "fr", "pt", "id", "de", "es", "nl", "pl", "zh", "ja", "ko",
    ] {
        let text = sample(lang);
        let seg = Segmenter::for_language(lang);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(lang, |b| {
            b.iter(|| seg.segment(std::hint::black_box(&text)))
        });
    }
    // The peers' setting (PEERS.md): about 10 MB of the four texts, each part segmented
    // with its own profile.
    let parts: Vec<(Segmenter, String)> = ["en", "fr", "pt", "id"]
        .iter()
        .map(|l| {
            let mut text = sample(l);
            let mut end = 5 << 19;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            (Segmenter::for_language(l), text)
        })
        .collect();
    let total: usize = parts.iter().map(|(_, t)| t.len()).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("mixed", |b| {
        b.iter(|| {
            parts
                .iter()
                .map(|(seg, text)| seg.segment(std::hint::black_box(text)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
