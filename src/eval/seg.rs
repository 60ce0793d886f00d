//! Segmentation scoring: boundary precision, recall and F1, and golden-rule cases.
//!
//! A segmentation file holds one sentence per line and a blank line between paragraphs (the
//! format of the UD gold files and of `bitext segment` output). Boundaries are compared on
//! the text with all whitespace removed: a boundary is the offset where a sentence ends.
//! Paragraph ends and the end of the text are given, so they are not scored, whichever side
//! has them.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::segment::Segmenter;
use crate::segment::Sentence;

/// A segmentation read from a file or produced by a segmenter.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    /// The text with all whitespace removed.
    stripped: String,
    /// Each sentence's text, its end offset in `stripped`, and its 1-based line in the file.
    sentences: Vec<(String, usize, usize)>,
    /// Offsets in `stripped` where a paragraph ends.
    paragraph_ends: HashSet<usize>,
}

impl Segmentation {
    /// Parses one-sentence-per-line text with blank lines between paragraphs.
    pub fn parse(text: &str) -> Segmentation {
        let mut seg = Segmentation::default();
        let mut in_paragraph = false;
        for (no, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                if in_paragraph {
                    seg.paragraph_ends.insert(seg.stripped.len());
                }
                in_paragraph = false;
                continue;
            }
            seg.stripped
                .extend(line.chars().filter(|c| !c.is_whitespace()));
            seg.sentences
                .push((line.to_owned(), seg.stripped.len(), no + 1));
            in_paragraph = true;
        }
        seg.paragraph_ends.insert(seg.stripped.len());
        seg
    }

    /// The segmentation that `sentences` (spans into `text`) describe.
    pub fn from_spans(text: &str, sentences: &[Sentence]) -> Segmentation {
        Segmentation::parse(&to_lines(text, sentences))
    }

    /// The number of sentences.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// True when there is no sentence.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    fn scored(&self, given: &HashSet<usize>) -> HashSet<usize> {
        self.sentences
            .iter()
            .map(|s| s.1)
            .filter(|o| !given.contains(o) && !self.paragraph_ends.contains(o))
            .collect()
    }
}

/// Renders sentences one per line, a blank line between paragraphs (line breaks inside a
/// sentence become spaces).
pub fn to_lines(text: &str, sentences: &[Sentence]) -> String {
    let mut out = String::with_capacity(text.len() + sentences.len());
    let mut last_para = None;
    for s in sentences {
        if last_para.is_some_and(|p| p != s.paragraph) {
            out.push('\n');
        }
        last_para = Some(s.paragraph);
        out.extend(text[s.start..s.end].chars().map(|c| match c {
            '\n' | '\r' => ' ',
            c => c,
        }));
        out.push('\n');
    }
    out
}

/// Boundary counts and the scores derived from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SegScore {
    /// Predicted boundaries that are gold boundaries.
    pub true_positives: usize,
    /// Predicted boundaries that are not.
    pub false_positives: usize,
    /// Gold boundaries not predicted.
    pub false_negatives: usize,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl SegScore {
    fn from_counts(tp: usize, fp: usize, fn_: usize) -> SegScore {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        SegScore {
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            precision,
            recall,
            f1,
        }
    }
}

/// One disagreement between a prediction and the gold, for inspection.
#[derive(Debug, Clone, Serialize)]
pub struct SegError {
    /// `"split"` for a false boundary, `"miss"` for a missed one.
    pub kind: &'static str,
    /// The sentence that ends at the boundary (on the side that has it).
    pub before: String,
    /// The sentence that follows.
    pub after: String,
    /// Its 1-based line in the gold (miss) or prediction (split).
    pub line: usize,
}

/// Scores `pred` against `gold`. Fails when their texts differ (ignoring whitespace),
/// naming `pred_path` and the line of the first difference.
pub fn score(gold: &Segmentation, pred: &Segmentation, pred_path: &Path) -> Result<SegScore> {
    check_same_text(gold, pred, pred_path)?;
    let (g, p) = boundary_sets(gold, pred);
    let tp = p.intersection(&g).count();
    Ok(SegScore::from_counts(tp, p.len() - tp, g.len() - tp))
}

/// Scores a segmentation made from the running text against `gold`. Fails when the text
/// differs from the gold (ignoring whitespace), naming `gold_path` and the gold line where
/// the difference starts.
pub fn score_text(gold: &Segmentation, gold_path: &Path, pred: &Segmentation) -> Result<SegScore> {
    if let Err(err) = check_same_text(pred, gold, gold_path) {
        return Err(match err {
            Error::Parse { path, line, .. } => Error::parse(
                path,
                line,
                "the running text differs from the gold (ignoring whitespace) from here on",
            ),
            other => other,
        });
    }
    score(gold, pred, gold_path)
}

/// The false splits and misses of `pred`, in text order.
pub fn errors(gold: &Segmentation, pred: &Segmentation) -> Vec<SegError> {
    let (g, p) = boundary_sets(gold, pred);
    let mut out = Vec::new();
    let mut collect = |seg: &Segmentation, other: &HashSet<usize>, mine: &HashSet<usize>, kind| {
        for (i, (text, end, line)) in seg.sentences.iter().enumerate() {
            if mine.contains(end) && !other.contains(end) {
                let after = seg.sentences.get(i + 1).map_or("", |s| s.0.as_str());
                out.push((
                    *end,
                    SegError {
                        kind,
                        before: text.clone(),
                        after: after.to_owned(),
                        line: *line,
                    },
                ));
            }
        }
    };
    collect(pred, &g, &p, "split");
    collect(gold, &p, &g, "miss");
    out.sort_by_key(|e| e.0);
    out.into_iter().map(|e| e.1).collect()
}

fn boundary_sets(gold: &Segmentation, pred: &Segmentation) -> (HashSet<usize>, HashSet<usize>) {
    let g = gold.scored(&pred.paragraph_ends);
    let p = pred.scored(&gold.paragraph_ends);
    (g, p)
}

fn check_same_text(gold: &Segmentation, pred: &Segmentation, pred_path: &Path) -> Result<()> {
    if gold.stripped == pred.stripped {
        return Ok(());
    }
    let diff = gold
        .stripped
        .bytes()
        .zip(pred.stripped.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| gold.stripped.len().min(pred.stripped.len()));
    let line = pred
        .sentences
        .iter()
        .find(|s| s.1 > diff)
        .or(pred.sentences.last())
        .map_or(1, |s| s.2);
    Err(Error::parse(
        pred_path,
        line,
        "text differs from the gold (ignoring whitespace) from here on",
    ))
}

/// One golden-rule case: an input and the sentences expected from it.
#[derive(Debug, Clone)]
pub struct GoldenCase {
    /// The case's id (`en-01`).
    pub id: String,
    /// The input text.
    pub input: String,
    /// The expected sentences.
    pub expected: Vec<String>,
    /// What the case tests.
    pub note: String,
}

/// The outcome of one golden-rule case.
#[derive(Debug, Clone)]
pub struct GoldenResult {
    /// The case.
    pub case: GoldenCase,
    /// The sentences produced, whitespace-normalised.
    pub got: Vec<String>,
    /// True when `got` equals the expected sentences.
    pub passed: bool,
}

/// Parses a golden-rules TSV: one case per line, `id`, input (a JSON string), expected
/// sentences (a JSON list of strings) and an optional note, tab-separated. Blank lines and
/// `#` lines are skipped. A first line that names the columns,
/// `id<TAB>input<TAB>expected[<TAB>note]`, is a header and skipped too; any other line is
/// a case, so that neither a case nor a malformed line is lost to a header that is not
/// there.
pub fn parse_golden(text: &str, path: &Path) -> Result<Vec<GoldenCase>> {
    let mut cases = Vec::new();
    let mut first = true;
    for (no, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if std::mem::take(&mut first) && is_golden_header(&cols) {
            continue;
        }
        if cols.len() < 3 {
            return Err(Error::parse(
                path,
                no + 1,
                "expected at least 3 tab-separated columns",
            ));
        }
        let input: String = serde_json::from_str(cols[1])
            .map_err(|e| Error::parse(path, no + 1, format!("input column: {e}")))?;
        let expected: Vec<String> = serde_json::from_str(cols[2])
            .map_err(|e| Error::parse(path, no + 1, format!("expected column: {e}")))?;
        cases.push(GoldenCase {
            id: cols[0].to_owned(),
            input,
            expected: expected.iter().map(|s| normalise(s)).collect(),
            note: cols.get(3).unwrap_or(&"").to_string(),
        });
    }
    Ok(cases)
}

/// True for the line that names the columns of a golden-rules file.
fn is_golden_header(cols: &[&str]) -> bool {
    let names: Vec<String> = cols.iter().map(|c| c.trim().to_lowercase()).collect();
    matches!(
        names.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ["id", "input", "expected"] | ["id", "input", "expected", "note"]
    )
}

/// Runs every case through `segmenter`.
pub fn run_golden(cases: Vec<GoldenCase>, segmenter: &Segmenter) -> Vec<GoldenResult> {
    cases
        .into_iter()
        .map(|case| {
            let got: Vec<String> = segmenter
                .segment(&case.input)
                .iter()
                .map(|s| normalise(&case.input[s.start..s.end]))
                .collect();
            let passed = got == case.expected;
            GoldenResult { case, got, passed }
        })
        .collect()
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_ends_are_not_scored() {
        let gold = Segmentation::parse("A b.\nC d.\n\nE f.\nG.\n");
        let pred = Segmentation::parse("A b. C d.\nE f.\nG.\n");
        let s = score(&gold, &pred, Path::new("p")).unwrap();
        // Gold boundaries: after "d." is a paragraph end (not scored); "b." and "f." are.
        // Predicted "d." coincides with the gold paragraph end, so it is not scored either.
        assert_eq!(
            (s.true_positives, s.false_positives, s.false_negatives),
            (1, 0, 1)
        );
        assert!((s.precision - 1.0).abs() < 1e-9 && (s.recall - 0.5).abs() < 1e-9);
    }

    #[test]
    fn different_text_names_the_line() {
        let gold = Segmentation::parse("A b.\nC d.\n");
        let pred = Segmentation::parse("A b.\nC x.\n");
        let err = score(&gold, &pred, Path::new("p.txt")).unwrap_err();
        assert!(err.to_string().starts_with("p.txt:2:"), "{err}");
    }

    #[test]
    fn running_text_mismatch_names_the_gold_line() {
        let gold = Segmentation::parse("A b.\nC d.\nE f.\n");
        let pred = Segmentation::parse("A b. C d. X f.\n");
        let err = score_text(&gold, Path::new("g.txt"), &pred).unwrap_err();
        assert!(err.to_string().starts_with("g.txt:3:"), "{err}");
    }

    #[test]
    fn golden_detects_a_header_instead_of_assuming_one() {
        let case = "x\t\"A. B.\"\t[\"A.\", \"B.\"]\n";
        let with = parse_golden(
            &format!("id\tinput\texpected\tnote\n{case}"),
            Path::new("g"),
        );
        assert_eq!(with.unwrap().len(), 1);
        let without = parse_golden(&format!("# comment\n{case}{case}"), Path::new("g"));
        assert_eq!(without.unwrap().len(), 2);
    }

    #[test]
    fn golden_reads_a_malformed_first_line_as_a_case() {
        for first in [
            "x\tnot json\t[\"A.\"]\n",
            "x\t\"A.\"\n",
            "input\texpected\n",
        ] {
            let text = format!("{first}y\t\"A.\"\t[\"A.\"]\n");
            let err = parse_golden(&text, Path::new("g.tsv")).unwrap_err();
            assert!(err.to_string().starts_with("g.tsv:1:"), "{err}");
        }
    }

    #[test]
    fn golden_rejects_bad_json_with_line() {
        let err =
            parse_golden("id\tinput\texpected\nx\t\"a\"\t[1\n", Path::new("g.tsv")).unwrap_err();
        assert!(err.to_string().starts_with("g.tsv:2:"), "{err}");
    }
}
