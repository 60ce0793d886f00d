//! The library in five minutes: segment two versions of a text, align them, write TSV.
//!
//! `cargo run --example quickstart` prints the pairs; `cargo test` runs it too, so the
//! example cannot rot.

use bitext::write::{Format, Sink, WriteOptions};
use bitext::{Aligner, DocumentOptions, Language, Mode};

const ENGLISH: &str = "The museum opens at 9 a.m. on weekdays. Entry costs 12 euros.\n\n\
                       Children under 6 go in free. The café closes at noon.";
const FRENCH: &str = "Le musée ouvre à 9 h en semaine. L'entrée coûte 12 euros.\n\n\
                      Les enfants de moins de 6 ans entrent gratuitement. Le café ferme à midi.";

/// Aligns the two texts and returns the TSV.
fn run() -> bitext::Result<String> {
    // Languages given or detected; the built-in segmentation profiles.
    let documents = DocumentOptions::new();
    let src = documents.document(ENGLISH.into(), &Language::Auto);
    let tgt = documents.document(FRENCH.into(), &"fr".parse()?);
    let aligner = Aligner::builder()
        .mode(Mode::Parallel)
        .progress(|done, total| eprintln!("{done}/{total} sentences"))
        .build()?;
    let alignment = aligner.align(&src, &tgt);
    let mut tsv = Vec::new();
    let options = WriteOptions {
        min_confidence: 0.5,
        ..WriteOptions::default()
    };
    let mut writer = Format::Tsv.writer(Sink::stream(&mut tsv), options)?;
    writer.write(&src, &tgt, &alignment)?;
    writer.finish()?;
    Ok(String::from_utf8_lossy(&tsv).into_owned())
}

#[cfg_attr(test, allow(dead_code))]
fn main() -> bitext::Result<()> {
    print!("{}", run()?);
    Ok(())
}

#[test]
fn quickstart_aligns_every_sentence() {
    let tsv = run().expect("the example runs");
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 4, "{tsv}");
    assert!(lines[0].starts_with("The museum opens at 9 a.m. on weekdays.\tLe musée"));
    assert!(lines.iter().all(|l| l.split('\t').count() == 3));
}
