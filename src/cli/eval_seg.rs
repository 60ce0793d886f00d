//! `bitext eval-seg`: boundary precision, recall and F1 of a segmentation against gold,
//! and the golden-rule cases.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::eval::seg::{self, Segmentation};
use crate::read::{ReadOptions, read_text};
use crate::{Language, Segmenter};

use super::UsageError;

/// Score a segmentation against gold (one sentence per line, blank lines between
/// paragraphs), or run golden-rule cases.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Predicted segmentation in the gold format (e.g. `bitext segment` output). Without
    /// it, RAW is segmented with `--lang`.
    pub pred: Option<PathBuf>,
    /// Gold segmentation.
    #[arg(long, value_name = "GOLD", required_unless_present = "golden")]
    pub gold: Option<PathBuf>,
    /// The running text to segment when PRED is not given.
    #[arg(long, value_name = "RAW")]
    pub text: Option<PathBuf>,
    /// Language of RAW (ISO 639-1, or `auto`).
    #[arg(long, default_value = "auto")]
    pub lang: String,
    /// Run golden-rule cases from this TSV instead: one case per line, tab-separated: an
    /// id, the input as a JSON string, the expected sentences as a JSON list of strings,
    /// and an optional note (`x-1<TAB>"Mr. Smith left. He came back."<TAB>["Mr. Smith
    /// left.", "He came back."]<TAB>title`). Blank and `#` lines are skipped, and so is a
    /// first line that names the columns. Prints each failure and the pass count; exits
    /// with 1 when a case fails.
    #[arg(long, value_name = "TSV", conflicts_with_all = ["gold", "pred"])]
    pub golden: Option<PathBuf>,
    /// Print the scores as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also print every false split and every miss with its sentences.
    #[arg(long)]
    pub errors: bool,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(golden) = &args.golden {
        return run_golden(golden, &args);
    }
    let gold_path = args
        .gold
        .as_ref()
        .ok_or_else(|| UsageError("--gold is required".into()))?;
    let gold = parse(gold_path)?;
    let (pred, score) = match (&args.pred, &args.text) {
        (Some(p), _) => {
            let pred = parse(p)?;
            let score = seg::score(&gold, &pred, p)?;
            (pred, score)
        }
        (None, Some(raw)) => {
            let text = read_text(raw, ReadOptions::default())?;
            let lang = super::options::language(&args.lang)?;
            let sentences = Segmenter::for_language(lang.resolve(&text)).segment(&text);
            let pred = Segmentation::from_spans(&text, &sentences);
            let score = seg::score_text(&gold, gold_path, &pred)?;
            (pred, score)
        }
        (None, None) => {
            return Err(UsageError("give PRED or --text RAW to segment".into()).into());
        }
    };
    let mut out = super::stdout()?;
    if args.errors {
        for e in seg::errors(&gold, &pred) {
            writeln!(
                out,
                "{}\tline {}\t{}  ‖  {}",
                e.kind, e.line, e.before, e.after
            )?;
        }
    }
    if args.json {
        serde_json::to_writer(&mut out, &score)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "precision {:.4}  recall {:.4}  F1 {:.4}  (tp {}, fp {}, fn {})",
            score.precision,
            score.recall,
            score.f1,
            score.true_positives,
            score.false_positives,
            score.false_negatives
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a segmentation in the gold format, and refuses one without sentences, as `eval`
/// refuses a file without beads: an empty file scores nothing and hides a broken pipeline.
fn parse(path: &std::path::Path) -> anyhow::Result<Segmentation> {
    let segmentation = Segmentation::parse(&read_text(path, ReadOptions::default())?);
    if segmentation.is_empty() {
        return Err(crate::Error::Input {
            path: path.to_path_buf(),
            message: "no sentences: the file is empty (expected one sentence per line)".into(),
        }
        .into());
    }
    Ok(segmentation)
}

fn run_golden(path: &std::path::Path, args: &Args) -> anyhow::Result<ExitCode> {
    let cases = seg::parse_golden(&read_text(path, ReadOptions::default())?, path)?;
    if cases.is_empty() {
        return Err(crate::Error::Input {
            path: path.to_path_buf(),
            message: "no golden-rule cases".into(),
        }
        .into());
    }
    // The golden rules are English unless told otherwise: one case is too short to detect.
    let lang = match super::options::language(&args.lang)? {
        Language::Auto => "en".to_owned(),
        Language::Tag(tag) => tag,
    };
    let results = seg::run_golden(cases, &Segmenter::for_language(&lang));
    let passed = results.iter().filter(|r| r.passed).count();
    let mut out = super::stdout()?;
    if args.json {
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| !r.passed)
            .map(|r| r.case.id.as_str())
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"passed": passed, "total": results.len(), "failed": failed}),
        )?;
        writeln!(out)?;
    } else {
        for r in results.iter().filter(|r| !r.passed) {
            writeln!(out, "FAIL {} ({})", r.case.id, r.case.note)?;
            writeln!(out, "  input:    {}", r.case.input)?;
            writeln!(out, "  expected: {:?}", r.case.expected)?;
            writeln!(out, "  got:      {:?}", r.got)?;
        }
        writeln!(out, "golden rules: {passed}/{} passed", results.len())?;
    }
    out.flush()?;
    Ok(if passed == results.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
