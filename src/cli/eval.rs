//! `bitext eval GOLD TEST [GOLD TEST ...]`: score alignments against gold.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::eval::align::{BeadFile, Counts, Reliability, Scores, count};
use crate::read::{ReadOptions, read_text};
use serde::Serialize;

use super::UsageError;

/// Score alignments against gold alignments (vecalign's strict and lax precision, recall
/// and F1), with a reliability table of the test beads' confidences.
///
/// Both files hold one bead per line, `[0,1]:[2]` or `[0]:[]:0.97` (0-based sentence
/// indices, an optional confidence in [0, 1]); files may be compressed (gzip, xz, zstd).
/// A file without beads, a malformed line, or an index beyond the sentences that the
/// other file of the pair covers is an error (exit 2) naming the file and line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pairs of files: a gold bead file, then the test bead file to score against it.
    #[arg(required = true, num_args = 2.., value_names = ["GOLD", "TEST"])]
    pub files: Vec<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Document {
    gold: PathBuf,
    test: PathBuf,
    counts: Counts,
    scores: Scores,
}

#[derive(Serialize)]
struct Report {
    documents: Vec<Document>,
    total: Scores,
    total_counts: Counts,
    reliability: Vec<crate::eval::align::ReliabilityBand>,
    calibration_error: f64,
}

fn load(path: &Path) -> anyhow::Result<BeadFile> {
    let text = read_text(path, ReadOptions::default())?;
    Ok(BeadFile::parse(&text, path)?)
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.files.len() % 2 != 0 {
        return Err(
            UsageError("eval takes pairs of files: GOLD TEST [GOLD TEST ...]".into()).into(),
        );
    }
    let mut documents = Vec::new();
    let mut total = Counts::default();
    let mut reliability = Reliability::default();
    for pair in args.files.chunks(2) {
        let gold = load(&pair[0])?;
        let test = load(&pair[1])?;
        gold.check_against(&test)?;
        let (gold, test) = (gold.beads, test.beads);
        let counts = count(&gold, &test);
        reliability.add(&gold, &test);
        total += counts;
        documents.push(Document {
            gold: pair[0].clone(),
            test: pair[1].clone(),
            counts,
            scores: counts.scores(),
        });
    }
    let report = Report {
        documents,
        total: total.scores(),
        total_counts: total,
        reliability: reliability.table(),
        calibration_error: reliability.calibration_error(),
    };
    let mut out = super::stdout()?;
    use std::io::Write;
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "document\tstrict P\tstrict R\tstrict F1\tlax P\tlax R\tlax F1"
        )?;
        let row = |name: &str, s: &Scores| {
            format!(
                "{name}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}",
                s.precision_strict,
                s.recall_strict,
                s.f1_strict,
                s.precision_lax,
                s.recall_lax,
                s.f1_lax
            )
        };
        for d in &report.documents {
            writeln!(out, "{}", row(&d.test.display().to_string(), &d.scores))?;
        }
        writeln!(out, "{}", row("total", &report.total))?;
        if !report.reliability.is_empty() {
            writeln!(
                out,
                "\nconfidence\tbeads\tmean confidence\tshare correct (strict)"
            )?;
            for b in &report.reliability {
                writeln!(
                    out,
                    "{:.1}-{:.1}\t{}\t{:.3}\t{:.3}",
                    b.from, b.to, b.beads, b.mean_confidence, b.share_correct
                )?;
            }
            writeln!(
                out,
                "expected calibration error\t{:.3}",
                report.calibration_error
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
