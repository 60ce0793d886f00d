//! Development tool: the aligner's raw output for fitting the calibration.
//!
//! Reads JSON Lines on stdin, one document pair a line, `{"src": [sentences], "tgt":
//! [sentences]}`, and writes one line per pair: the final path's beads with their raw
//! posteriors, `[src start, src count, tgt start, tgt count, posterior]`, each bead's rivals
//! the search could not build (the log odds before their prior), and the translation test's
//! statistics of the first pass. `scripts/calibrate.py` drives it.

use std::io::{BufRead, Write};

use bitext::{Aligner, Document};

fn main() {
    // TEMPERATURE=T tries another calibration temperature.
    let temperature = std::env::var("TEMPERATURE")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(bitext::tuning::DEFAULT_TEMPERATURE);
    let aligner = Aligner::builder()
        .temperature(temperature)
        .build()
        .expect("a valid temperature");
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let job: serde_json::Value = serde_json::from_str(&line).expect("a JSON object");
        let side = |key: &str| {
            let lines: Vec<&str> = job[key]
                .as_array()
                .expect("a list of sentences")
                .iter()
                .map(|s| s.as_str().expect("a sentence"))
                .collect();
            Document::presegmented(lines.join("\n"), "und")
        };
        let diagnosis = aligner.diagnose(&side("src"), &side("tgt"));
        let beads: Vec<[f64; 5]> = diagnosis
            .beads
            .iter()
            .map(|b| {
                [
                    b.src.start as f64,
                    b.src.len() as f64,
                    b.tgt.start as f64,
                    b.tgt.len() as f64,
                    b.confidence,
                ]
            })
            .collect();
        // The rivals without the prior the code gives them, which the script refits: `null`
        // where a bead has none.
        let rivals: Vec<Option<f64>> = diagnosis
            .rivals
            .iter()
            .map(|&r| {
                r.is_finite()
                    .then(|| r - bitext::tuning::UNBUILT_PRIOR / temperature)
            })
            .collect();
        let record = serde_json::json!({
            "beads": beads,
            "gain": diagnosis.test.gain,
            "units": diagnosis.test.units,
            "rivals": rivals,
        });
        writeln!(out, "{record}").expect("stdout");
    }
}
