//! Development tool: scores the aligner with other weights on the development gold.
//!
//! `cargo run --release --features tuning --example tune -- [KEY=VALUE ...]` prints
//! strict/lax F1 and the calibration of the textberg dev document (from ../shared, when
//! present) and of the seed gold in `alignments/seeds`. Keys: null, one_two, two_two,
//! one_three, one_four, lexical, model, punct_match, punct_mismatch, paragraph, pair_bonus,
//! temperature.

use std::path::Path;

use bitext::eval::align::{Counts, GoldBead, Reliability, count, parse_beads};
use bitext::tuning::Weights;
use bitext::{Aligner, Document};

fn doc(path: &Path) -> Document {
    Document::presegmented(std::fs::read_to_string(path).expect("read"), "und")
}

fn main() {
    let mut w = Weights::default();
    let mut temperature = bitext::tuning::DEFAULT_TEMPERATURE;
    for arg in std::env::args().skip(1) {
        let (k, v) = arg.split_once('=').expect("KEY=VALUE");
        let v: f64 = v.parse().expect("number");
        match k {
            "null" => w.null = v,
            "one_two" => w.one_two = v,
            "two_two" => w.two_two = v,
            "one_three" => w.one_three = v,
            "one_four" => w.one_four = v,
            "lexical" => w.lexical = v,
            "model" => w.model = v,
            "punct_match" => w.punct_match = v,
            "punct_mismatch" => w.punct_mismatch = v,
            "paragraph" => w.paragraph = v,
            "pair_bonus" => w.pair_bonus = v,
            "temperature" => temperature = v,
            _ => panic!("unknown key {k}"),
        }
    }
    let aligner = Aligner::builder()
        .weights(w)
        .temperature(temperature)
        .build()
        .expect("valid");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("alignments/seeds");
    let textberg = root.join("../shared/bench/textberg");
    let mut sets: Vec<(
        &str,
        std::path::PathBuf,
        std::path::PathBuf,
        std::path::PathBuf,
    )> = vec![
        (
            "pt-id",
            seeds.join("003.pt.sent"),
            seeds.join("004.id.sent"),
            seeds.join("003-004.pt-id.gold"),
        ),
        (
            "en-pt",
            seeds.join("002.en.sent"),
            seeds.join("003.pt.sent"),
            seeds.join("002-003.en-pt.gold"),
        ),
        (
            "en-id",
            seeds.join("002.en.sent"),
            seeds.join("004.id.sent"),
            seeds.join("002-004.en-id.gold"),
        ),
    ];
    if textberg.exists() {
        sets.push((
            "textberg",
            textberg.join("dev.de"),
            textberg.join("dev.fr"),
            textberg.join("dev.defr"),
        ));
    }
    let mut reliability = Reliability::default();
    let mut log_loss = (0.0, 0usize);
    for (name, s, t, g) in &sets {
        let gold = parse_beads(&std::fs::read_to_string(g).expect("gold"), g).expect("gold parses");
        let alignment = aligner.align(&doc(s), &doc(t));
        let test: Vec<GoldBead> = alignment.beads.iter().map(GoldBead::from).collect();
        let c: Counts = count(&gold, &test);
        reliability.add(&gold, &test);
        for b in &test {
            let right = gold.iter().any(|g| g.src == b.src && g.tgt == b.tgt);
            let p = b.confidence.unwrap_or(0.5).clamp(1e-4, 1.0 - 1e-4);
            log_loss.0 -= if right { p.ln() } else { (1.0 - p).ln() };
            log_loss.1 += 1;
        }
        if std::env::var_os("SHOW").is_some_and(|v| v == *name) {
            for b in &test {
                let right = gold.iter().any(|g| g.src == b.src && g.tgt == b.tgt);
                eprintln!(
                    "{:?}:{:?} {:.3} {}",
                    b.src,
                    b.tgt,
                    b.confidence.unwrap_or(0.0),
                    if right { "" } else { "WRONG" }
                );
            }
        }
        let s = c.scores();
        print!("{name} {:.3}/{:.3}  ", s.f1_strict, s.f1_lax);
    }
    println!(
        "ece {:.3} logloss {:.3}",
        reliability.calibration_error(),
        log_loss.0 / log_loss.1 as f64
    );
}
