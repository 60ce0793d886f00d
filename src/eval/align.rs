//! Alignment scoring: strict and lax precision, recall and F1 exactly as vecalign's
//! scorer defines them, and a reliability table of confidence.
//!
//! Strict: a test bead is right when the identical bead is in the gold. Lax: when it
//! shares at least one (source, target) sentence pair with a gold bead. Precision runs
//! over every test bead, null beads included (a null bead only scores strictly when the
//! gold has the same null bead); recall runs over the gold beads with both sides
//! non-empty, against the test beads with both sides non-empty. Beads are sets (duplicates
//! count once) and counts are summed over documents before dividing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// One bead of a bead file: source and target sentence indices, and the confidence if given.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldBead {
    /// Source sentence indices.
    pub src: Vec<usize>,
    /// Target sentence indices.
    pub tgt: Vec<usize>,
    /// The confidence, when the file has a third field.
    pub confidence: Option<f64>,
}

impl From<&crate::align::Bead> for GoldBead {
    fn from(bead: &crate::align::Bead) -> GoldBead {
        GoldBead {
            src: bead.src.clone().collect(),
            tgt: bead.tgt.clone().collect(),
            confidence: Some(bead.confidence),
        }
    }
}

fn parse_side(text: &str) -> Option<Vec<usize>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(Vec::new());
    }
    inner.split(',').map(|x| x.trim().parse().ok()).collect()
}

/// Parses a bead file (`[0,1]:[2]` or `[0]:[]:0.97` per line; blank lines skipped; a
/// confidence lies in [0, 1]). `path` names the file in errors, with the 1-based line.
pub fn parse_beads(text: &str, path: &Path) -> Result<Vec<GoldBead>> {
    Ok(BeadFile::parse_lines(text, path)?
        .into_iter()
        .map(|(_, bead)| bead)
        .collect())
}

/// A bead file with the line of each bead, for checks that name the line.
#[derive(Debug, Clone)]
pub struct BeadFile {
    /// The file, as named in errors.
    pub path: PathBuf,
    /// The beads, in file order.
    pub beads: Vec<GoldBead>,
    /// The 1-based line of each bead.
    pub lines: Vec<usize>,
}

impl BeadFile {
    /// Parses a bead file as [`parse_beads`] does, and refuses one without beads: an
    /// empty alignment scores nothing and hides a broken pipeline.
    pub fn parse(text: &str, path: &Path) -> Result<BeadFile> {
        let parsed = BeadFile::parse_lines(text, path)?;
        if parsed.is_empty() {
            return Err(Error::Input {
                path: path.to_path_buf(),
                message: "no beads: the file is empty (expected lines such as [0]:[0,1])".into(),
            });
        }
        let (lines, beads) = parsed.into_iter().unzip();
        Ok(BeadFile {
            path: path.to_path_buf(),
            beads,
            lines,
        })
    }

    fn parse_lines(text: &str, path: &Path) -> Result<Vec<(usize, GoldBead)>> {
        let mut beads = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if let Some(bead) = parse_line(line, number + 1, path)? {
                beads.push((number + 1, bead));
            }
        }
        Ok(beads)
    }

    /// The number of sentences of one side (source when `source`) when this file covers
    /// them all: its indices on that side are exactly 0, 1, ..., n - 1.
    fn covers(&self, source: bool) -> Option<usize> {
        let mut seen = HashSet::new();
        for bead in &self.beads {
            for &i in if source { &bead.src } else { &bead.tgt } {
                seen.insert(i);
            }
        }
        let n = seen.len();
        (seen.iter().all(|&i| i < n)).then_some(n)
    }

    /// Checks that the two files describe the same documents: when one of them covers
    /// every sentence of a side (as `bitext align --format beads` does), no index of the
    /// other on that side may lie beyond them. The error names the file and line.
    pub fn check_against(&self, other: &BeadFile) -> Result<()> {
        for (a, b) in [(self, other), (other, self)] {
            for source in [true, false] {
                let Some(n) = b.covers(source) else {
                    continue;
                };
                for (bead, &line) in a.beads.iter().zip(&a.lines) {
                    let side = if source { &bead.src } else { &bead.tgt };
                    if let Some(&i) = side.iter().find(|&&i| i >= n) {
                        let name = if source { "source" } else { "target" };
                        return Err(Error::parse(
                            &a.path,
                            line,
                            format!(
                                "{name} sentence {i} does not exist: {} has {n} {name} sentences \
                                 (0 to {}); are these the files of one document pair?",
                                b.path.display(),
                                n.saturating_sub(1)
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// One line of a bead file: `None` when blank.
fn parse_line(line: &str, number: usize, path: &Path) -> Result<Option<GoldBead>> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    let bad = |what: &str| Error::parse(path, number, format!("{what}: {line:?}"));
    let close = line
        .find(']')
        .ok_or_else(|| bad("expected [source]:[target]"))?;
    let (left, rest) = line.split_at(close + 1);
    let rest = rest
        .strip_prefix(':')
        .ok_or_else(|| bad("expected ':' after the source side"))?;
    let close = rest.find(']').ok_or_else(|| bad("expected [target]"))?;
    let (right, tail) = rest.split_at(close + 1);
    let src = parse_side(left).ok_or_else(|| bad("bad source indices"))?;
    let tgt = parse_side(right).ok_or_else(|| bad("bad target indices"))?;
    let confidence = match tail.strip_prefix(':') {
        Some(c) => Some(
            c.trim()
                .parse::<f64>()
                .ok()
                .filter(|c| c.is_finite())
                .ok_or_else(|| bad("bad confidence"))?,
        ),
        None if tail.trim().is_empty() => None,
        None => return Err(bad("unexpected text after the target side")),
    };
    if let Some(c) = confidence
        && !(0.0..=1.0).contains(&c)
    {
        return Err(bad("confidence outside [0, 1]"));
    }
    Ok(Some(GoldBead {
        src,
        tgt,
        confidence,
    }))
}

/// Counts behind the scores, summable over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Test beads identical to a gold bead.
    pub precision_strict_tp: usize,
    /// Test beads sharing a sentence pair with a gold bead.
    pub precision_lax_tp: usize,
    /// Test beads considered for precision.
    pub precision_total: usize,
    /// Gold pair beads found identically among the test pair beads.
    pub recall_strict_tp: usize,
    /// Gold pair beads sharing a sentence pair with a test pair bead.
    pub recall_lax_tp: usize,
    /// Gold pair beads considered for recall.
    pub recall_total: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.precision_strict_tp += o.precision_strict_tp;
        self.precision_lax_tp += o.precision_lax_tp;
        self.precision_total += o.precision_total;
        self.recall_strict_tp += o.recall_strict_tp;
        self.recall_lax_tp += o.recall_lax_tp;
        self.recall_total += o.recall_total;
    }
}

/// Precision, recall and F1, strict and lax.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Strict precision.
    pub precision_strict: f64,
    /// Strict recall.
    pub recall_strict: f64,
    /// Strict F1.
    pub f1_strict: f64,
    /// Lax precision.
    pub precision_lax: f64,
    /// Lax recall.
    pub recall_lax: f64,
    /// Lax F1.
    pub f1_lax: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Counts {
    /// The scores these counts give.
    pub fn scores(&self) -> Scores {
        let ps = ratio(self.precision_strict_tp, self.precision_total);
        let pl = ratio(self.precision_lax_tp, self.precision_total);
        let rs = ratio(self.recall_strict_tp, self.recall_total);
        let rl = ratio(self.recall_lax_tp, self.recall_total);
        Scores {
            precision_strict: ps,
            recall_strict: rs,
            f1_strict: f1(ps, rs),
            precision_lax: pl,
            recall_lax: rl,
            f1_lax: f1(pl, rl),
        }
    }
}

type Side = Vec<usize>;

/// vecalign's `_precision`: (strict true positives, lax true positives, beads considered).
fn precision(gold: &[(Side, Side)], test: &[(Side, Side)]) -> (usize, usize, usize) {
    let gold_set: HashSet<&(Side, Side)> = gold
        .iter()
        .filter(|(s, t)| !s.is_empty() || !t.is_empty())
        .collect();
    let test_set: HashSet<&(Side, Side)> = test
        .iter()
        .filter(|(s, t)| !s.is_empty() || !t.is_empty())
        .collect();
    let mut gold_targets: HashMap<usize, HashSet<usize>> = HashMap::new();
    for (s, t) in &gold_set {
        for &si in s {
            gold_targets
                .entry(si)
                .or_default()
                .extend(t.iter().copied());
        }
    }
    let (mut strict, mut lax) = (0, 0);
    for bead in &test_set {
        if gold_set.contains(bead) {
            strict += 1;
            lax += 1;
        } else {
            let (s, t) = bead;
            let hit = s.iter().any(|si| {
                gold_targets
                    .get(si)
                    .is_some_and(|targets| t.iter().any(|ti| targets.contains(ti)))
            });
            if hit {
                lax += 1;
            }
        }
    }
    (strict, lax, test_set.len())
}

/// Scores one test alignment against its gold.
pub fn count(gold: &[GoldBead], test: &[GoldBead]) -> Counts {
    let pairs = |beads: &[GoldBead]| -> Vec<(Side, Side)> {
        beads
            .iter()
            .map(|b| (b.src.clone(), b.tgt.clone()))
            .collect()
    };
    let gold_all = pairs(gold);
    let test_all = pairs(test);
    let (ps, pl, pt) = precision(&gold_all, &test_all);
    let non_null = |v: &[(Side, Side)]| -> Vec<(Side, Side)> {
        v.iter()
            .filter(|(s, t)| !s.is_empty() && !t.is_empty())
            .cloned()
            .collect()
    };
    let (rs, rl, rt) = precision(&non_null(&test_all), &non_null(&gold_all));
    Counts {
        precision_strict_tp: ps,
        precision_lax_tp: pl,
        precision_total: pt,
        recall_strict_tp: rs,
        recall_lax_tp: rl,
        recall_total: rt,
    }
}

/// One band of the reliability table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ReliabilityBand {
    /// Lower bound of the band (inclusive).
    pub from: f64,
    /// Upper bound (exclusive, but 1.0 is in the last band).
    pub to: f64,
    /// Test beads with a confidence in the band.
    pub beads: usize,
    /// Mean confidence of those beads.
    pub mean_confidence: f64,
    /// Share of them identical to a gold bead.
    pub share_correct: f64,
}

/// Accumulates (confidence, strictly right) observations into ten bands.
#[derive(Debug, Clone, Default)]
pub struct Reliability {
    bands: [(usize, f64, usize); 10],
}

impl Reliability {
    /// Adds the test beads of one document (those with a confidence).
    pub fn add(&mut self, gold: &[GoldBead], test: &[GoldBead]) {
        let gold_set: HashSet<(&[usize], &[usize])> = gold
            .iter()
            .map(|b| (b.src.as_slice(), b.tgt.as_slice()))
            .collect();
        for bead in test {
            let Some(c) = bead.confidence else { continue };
            let c = c.clamp(0.0, 1.0);
            let band = ((c * 10.0) as usize).min(9);
            let right = gold_set.contains(&(bead.src.as_slice(), bead.tgt.as_slice()));
            let entry = &mut self.bands[band];
            entry.0 += 1;
            entry.1 += c;
            entry.2 += usize::from(right);
        }
    }

    /// The table, one row per non-empty band.
    pub fn table(&self) -> Vec<ReliabilityBand> {
        self.bands
            .iter()
            .enumerate()
            .filter(|(_, b)| b.0 > 0)
            .map(|(k, &(n, sum, right))| ReliabilityBand {
                from: k as f64 / 10.0,
                to: (k + 1) as f64 / 10.0,
                beads: n,
                mean_confidence: sum / n as f64,
                share_correct: right as f64 / n as f64,
            })
            .collect()
    }

    /// Expected calibration error: the bead-weighted mean gap between confidence and accuracy.
    pub fn calibration_error(&self) -> f64 {
        let total: usize = self.bands.iter().map(|b| b.0).sum();
        if total == 0 {
            return 0.0;
        }
        self.bands
            .iter()
            .map(|&(_, sum, right)| (sum - right as f64).abs())
            .sum::<f64>()
            / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beads(text: &str) -> Vec<GoldBead> {
        parse_beads(text, Path::new("t")).unwrap()
    }

    #[test]
    fn parses_vecalign_lines() {
        let b = beads("[0,1]:[2]\n[]:[3]:0.25\n\n[2]:[]");
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].src, vec![0, 1]);
        assert_eq!(b[1].confidence, Some(0.25));
        assert!(b[2].tgt.is_empty());
    }

    #[test]
    fn malformed_line_names_file_and_line() {
        let err = parse_beads("[0]:[0]\n[1]-[1]\n", Path::new("gold.txt")).unwrap_err();
        assert!(err.to_string().starts_with("gold.txt:2:"), "{err}");
        assert!(parse_beads("[x]:[1]", Path::new("g")).is_err());
    }

    #[test]
    fn strict_and_lax_as_vecalign() {
        let gold = beads("[0]:[0]\n[1]:[1,2]\n[]:[3]\n[2]:[4]");
        let test = beads("[0]:[0]\n[1]:[1]\n[]:[2]\n[]:[3]\n[2]:[4]");
        let c = count(&gold, &test);
        // precision: 5 test beads; strict hits [0]:[0], []:[3], [2]:[4]; lax adds [1]:[1].
        assert_eq!(
            (c.precision_strict_tp, c.precision_lax_tp, c.precision_total),
            (3, 4, 5)
        );
        // recall: gold pairs [0]:[0], [1]:[1,2], [2]:[4] vs test pairs.
        assert_eq!(
            (c.recall_strict_tp, c.recall_lax_tp, c.recall_total),
            (2, 3, 3)
        );
        let s = c.scores();
        assert!((s.precision_strict - 0.6).abs() < 1e-12);
    }

    #[test]
    fn reliability_bands() {
        let gold = beads("[0]:[0]\n[1]:[1]");
        let test = beads("[0]:[0]:0.95\n[1]:[]:0.15\n[]:[1]:0.12");
        let mut r = Reliability::default();
        r.add(&gold, &test);
        let t = r.table();
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].beads, t[0].share_correct), (2, 0.0));
        assert_eq!((t[1].beads, t[1].share_correct), (1, 1.0));
    }
}
