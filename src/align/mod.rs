//! Sentence alignment: beads of sentences with a calibrated confidence.
//!
//! (Placeholder algorithm: replaced by the real aligner.)

use std::ops::Range;

use serde::Serialize;

use crate::doc::Document;

/// How the two documents relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Translations of each other: a monotone alignment.
    #[default]
    Parallel,
    /// Independently written on the same subject: few pairs, crossings allowed.
    Comparable,
}

/// The parts of a bead's score, as log-likelihood ratios (positive favours the bead).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Evidence {
    /// Length agreement.
    pub length: f64,
    /// Shared words, names and cognates.
    pub lexical: f64,
    /// Shared numbers.
    pub numbers: f64,
    /// Punctuation profile.
    pub punctuation: f64,
}

/// A group of consecutive source sentences aligned to a group of consecutive target sentences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bead {
    /// Source sentence indices (may be empty).
    pub src: Range<usize>,
    /// Target sentence indices (may be empty).
    pub tgt: Range<usize>,
    /// Probability in [0, 1] that the bead is right.
    pub confidence: f64,
    /// The components of the bead's score.
    pub evidence: Evidence,
}

impl Bead {
    /// True when both sides are non-empty.
    pub fn is_pair(&self) -> bool {
        !self.src.is_empty() && !self.tgt.is_empty()
    }
}

/// The result of aligning two documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// Every sentence of both sides in exactly one bead, ordered by source position.
    pub beads: Vec<Bead>,
    /// The mode the alignment was made in.
    pub mode: Mode,
    /// In parallel mode: true when the documents look independently written, not translated.
    pub looks_comparable: bool,
}

/// Aligns documents; immutable, `Send + Sync`, shareable across threads.
#[derive(Debug, Clone, Default)]
pub struct Aligner {
    mode: Mode,
}

/// Configures an [`Aligner`].
#[derive(Debug, Clone, Default)]
pub struct AlignerBuilder {
    mode: Mode,
}

impl AlignerBuilder {
    /// Sets the mode.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Builds the aligner.
    pub fn build(self) -> crate::Result<Aligner> {
        Ok(Aligner { mode: self.mode })
    }
}

impl Aligner {
    /// A builder with the default configuration.
    pub fn builder() -> AlignerBuilder {
        AlignerBuilder::default()
    }

    /// Aligns `src` with `tgt`.
    pub fn align(&self, src: &Document, tgt: &Document) -> Alignment {
        let n = src.len();
        let m = tgt.len();
        let mut beads = Vec::new();
        for i in 0..n.max(m) {
            let s = if i < n { i..i + 1 } else { n..n };
            let t = if i < m { i..i + 1 } else { m..m };
            beads.push(Bead {
                src: s,
                tgt: t,
                confidence: 0.5,
                evidence: Evidence::default(),
            });
        }
        Alignment {
            beads,
            mode: self.mode,
            looks_comparable: false,
        }
    }
}

impl Aligner {
    /// Points of similarity evidence `(source index, target index, strength in [0, 1])`
    /// around the alignment, for plots; at most about `max_points` of them.
    pub fn similarity_map(
        &self,
        src: &Document,
        tgt: &Document,
        max_points: usize,
    ) -> Vec<(usize, usize, f32)> {
        let _ = (src, tgt, max_points);
        Vec::new()
    }
}
