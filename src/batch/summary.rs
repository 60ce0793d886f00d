//! What a batch did, pair by pair: the records of `summary.json`.

use std::collections::BTreeMap;
use std::io::Write;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::*;
use crate::align::{Alignment, Lexicon, Mode};
use crate::error::{Error, Result};

/// What became of one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Aligned and written.
    Ok,
    /// Not aligned; see the error.
    Failed,
    /// Left alone because its output existed (`resume`).
    Skipped,
}

/// The summary record of one pair, as written in `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSummary {
    /// The pair's id.
    pub id: String,
    /// What became of it.
    pub status: Status,
    /// Source path (`null` for a malformed manifest line).
    pub src: Option<PathBuf>,
    /// Target path.
    pub tgt: Option<PathBuf>,
    /// The output's file name in the output folder (`null` when none was written).
    pub output: Option<String>,
    /// Source language used (after detection).
    pub src_lang: Option<String>,
    /// Target language used.
    pub tgt_lang: Option<String>,
    /// Source sentences.
    pub src_sentences: usize,
    /// Target sentences.
    pub tgt_sentences: usize,
    /// Beads by type, `"<source sentences>-<target sentences>"`: `{"1-1": 40, "1-0": 2}`.
    pub beads: BTreeMap<String, usize>,
    /// Mean confidence of the beads with both sides non-empty (`null` when there are none).
    pub mean_confidence: Option<f64>,
    /// Share of the sentences of both sides that stand in a bead with an empty other side.
    pub unaligned_share: Option<f64>,
    /// In parallel mode: the documents do not look like translations of each other.
    #[serde(default)]
    pub looks_comparable: bool,
    /// The search band was capped (see [`Alignment::band_capped`]).
    #[serde(default)]
    pub band_capped: bool,
    /// Time spent on this pair (reading, segmenting, aligning, writing).
    pub seconds: f64,
    /// Why the pair failed.
    pub error: Option<String>,
}

impl PairSummary {
    pub(super) fn new(id: &str, status: Status) -> PairSummary {
        PairSummary {
            id: id.to_owned(),
            status,
            src: None,
            tgt: None,
            output: None,
            src_lang: None,
            tgt_lang: None,
            src_sentences: 0,
            tgt_sentences: 0,
            beads: BTreeMap::new(),
            mean_confidence: None,
            unaligned_share: None,
            looks_comparable: false,
            band_capped: false,
            seconds: 0.0,
            error: None,
        }
    }
}

/// Totals over a batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Jobs in the batch.
    pub pairs: usize,
    /// Pairs aligned and written.
    pub ok: usize,
    /// Pairs that failed.
    pub failed: usize,
    /// Pairs skipped because their output existed.
    pub skipped: usize,
    /// Source sentences over the aligned pairs (and the skipped ones with counts).
    pub src_sentences: usize,
    /// Target sentences over the aligned pairs (and the skipped ones with counts).
    pub tgt_sentences: usize,
    /// Beads by type over the aligned pairs (and the skipped ones with counts).
    pub beads: BTreeMap<String, usize>,
    /// Wall-clock time of the run.
    pub seconds: f64,
    /// Source and target sentences aligned in this run per second of wall-clock time.
    pub sentences_per_second: f64,
}

impl Totals {
    /// Totals over `pairs` for a run that took `seconds`. Sentence and bead counts
    /// include skipped pairs whose counts were carried over from an earlier run (see
    /// [`Summary::carry_over`]); sentences per second count only the pairs aligned now.
    pub(super) fn of(pairs: &[PairSummary], seconds: f64) -> Totals {
        let mut totals = Totals {
            pairs: pairs.len(),
            seconds: round3(seconds),
            ..Totals::default()
        };
        let mut aligned_now = 0;
        for pair in pairs {
            match pair.status {
                Status::Ok => {
                    totals.ok += 1;
                    aligned_now += pair.src_sentences + pair.tgt_sentences;
                }
                Status::Failed => totals.failed += 1,
                Status::Skipped => totals.skipped += 1,
            }
            totals.src_sentences += pair.src_sentences;
            totals.tgt_sentences += pair.tgt_sentences;
            for (kind, n) in &pair.beads {
                *totals.beads.entry(kind.clone()).or_default() += n;
            }
        }
        if seconds > 0.0 {
            totals.sentences_per_second = (aligned_now as f64 / seconds).round();
        }
        totals
    }
}

/// The outcome of a batch: one record per job, in job order, and totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Per-pair records.
    pub pairs: Vec<PairSummary>,
    /// Totals.
    pub totals: Totals,
    /// The word translations learned from the batch, per (source, target) language pair
    /// (not part of `summary.json`: `batch --lexicon-out` writes them).
    #[serde(skip)]
    pub lexicons: Vec<((String, String), Lexicon)>,
}

impl Summary {
    /// True when at least one pair failed.
    pub fn any_failed(&self) -> bool {
        self.totals.failed > 0
    }

    /// Reads a summary written by [`Summary::write_json`].
    pub fn read_json(path: &Path) -> Result<Summary> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| Error::parse(path, e.line(), e.to_string()))
    }

    /// Fills the records of skipped pairs (`resume`) from `previous`, the summary of
    /// the run that wrote their outputs, so that the summary still describes every
    /// output in the folder. The status stays `skipped`; a record is carried over only
    /// when it is for the same id and files and had counts.
    pub fn carry_over(&mut self, previous: &Summary) {
        let earlier: std::collections::HashMap<&str, &PairSummary> = previous
            .pairs
            .iter()
            .filter(|p| p.status != Status::Failed && p.src_lang.is_some())
            .map(|p| (p.id.as_str(), p))
            .collect();
        for pair in &mut self.pairs {
            if pair.status != Status::Skipped {
                continue;
            }
            if let Some(old) = earlier.get(pair.id.as_str())
                && old.src == pair.src
                && old.tgt == pair.tgt
            {
                pair.src_lang.clone_from(&old.src_lang);
                pair.tgt_lang.clone_from(&old.tgt_lang);
                pair.src_sentences = old.src_sentences;
                pair.tgt_sentences = old.tgt_sentences;
                pair.beads.clone_from(&old.beads);
                pair.mean_confidence = old.mean_confidence;
                pair.unaligned_share = old.unaligned_share;
                pair.seconds = old.seconds;
            }
        }
        self.totals = Totals::of(&self.pairs, self.totals.seconds);
    }

    /// Writes the summary as pretty-printed JSON, atomically (temporary file, rename).
    pub fn write_json(&self, path: &Path) -> Result<()> {
        write_atomically(path, |out| {
            serde_json::to_writer_pretty(&mut *out, self).map_err(std::io::Error::from)?;
            out.write_all(b"\n")
        })
    }
}

pub(super) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub(super) fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// Bead counts by type, mean confidence and share unaligned.
pub(super) fn describe(alignment: &Alignment, summary: &mut PairSummary) {
    let mut confidence = 0.0;
    let mut pairs = 0usize;
    let mut unaligned = 0usize;
    let mut sentences = 0usize;
    for bead in &alignment.beads {
        let kind = format!("{}-{}", bead.src.len(), bead.tgt.len());
        *summary.beads.entry(kind).or_default() += 1;
        sentences += bead.src.len() + bead.tgt.len();
        if bead.is_pair() {
            confidence += bead.confidence;
            pairs += 1;
        } else {
            unaligned += bead.src.len() + bead.tgt.len();
        }
    }
    summary.mean_confidence = (pairs > 0).then(|| round4(confidence / pairs as f64));
    summary.unaligned_share = (sentences > 0).then(|| round4(unaligned as f64 / sentences as f64));
    summary.looks_comparable = alignment.mode == Mode::Parallel && alignment.looks_comparable;
    summary.band_capped = alignment.band_capped;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Document;
    use crate::align::Aligner;

    #[test]
    fn describe_counts_bead_types() {
        let doc = Document::presegmented("a\nb\nc\n".into(), "en");
        let other = Document::presegmented("x\ny\n".into(), "fr");
        let alignment = Aligner::default().align(&doc, &other);
        let mut summary = PairSummary::new("p", Status::Ok);
        describe(&alignment, &mut summary);
        let total: usize = summary
            .beads
            .iter()
            .map(|(kind, n)| {
                let (s, t) = kind.split_once('-').unwrap();
                n * (s.parse::<usize>().unwrap() + t.parse::<usize>().unwrap())
            })
            .sum();
        assert_eq!(total, 5, "every sentence counted once: {:?}", summary.beads);
    }
}
