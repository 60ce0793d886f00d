//! Sentence alignment: beads of sentences with a calibrated confidence.
//!
//! In parallel mode the aligner searches a lattice of beads (0-1, 1-0, 1-1, 1-2, 2-1, 2-2,
//! 1-3, 3-1, 1-4, 4-1, 2-3, 3-2 by default) for the best monotone path, as Gale and Church
//! did, but scores each bead with log-likelihood ratios of several kinds of evidence
//! ([`model`]): length, with the ratio and variance estimated for the document pair and a
//! heavy (Laplace) tail; shared cognate keys, numbers, names and acronyms, each weighed by
//! how rare it is in the other document; punctuation; paragraph starts. The parameters are estimated in a first pass, word pairs that keep
//! meeting in its confident beads are learned ([`lexicon`]), and the alignment is redone
//! with both. A bead's confidence is its posterior probability from a
//! forward-backward pass over the same lattice.
//!
//! Long documents are aligned coarse to fine, as vecalign does: blocks of two units are
//! aligned first, recursively, and the finer level searches only a band around the
//! coarse path, so time and memory grow linearly with the length of the documents.
//!
//! In comparable mode ([`comparable`]) pairs may cross: each sentence is linked at most
//! once, strongest evidence first, and a link's confidence weighs its evidence against the
//! documents' own background, so most links of independent documents come out low.

pub mod comparable;
pub mod lattice;
pub mod lexicon;
pub mod model;

use std::ops::Range;

use serde::Serialize;

use crate::doc::Document;
use crate::features::Features;
use model::Parts;

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
    /// Shared words, names and cognates, and word pairs learned from the first pass.
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

/// The default bead types: `(source sentences, target sentences)`.
///
/// Beyond Gale and Church's set, 1-4, 4-1, 2-3 and 3-2: translators split and merge
/// freely, and on the Text+Berg development document these raised strict F1 from 0.842 to
/// 0.894 when they were added, at a cost in time that stays linear.
pub const DEFAULT_BEAD_TYPES: [(usize, usize); 12] = [
    (1, 1),
    (1, 0),
    (0, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (1, 3),
    (3, 1),
    (1, 4),
    (4, 1),
    (2, 3),
    (3, 2),
];

/// Bead types searched at coarse levels, where a unit is a block of sentences.
const COARSE_BEAD_TYPES: [(usize, usize); 5] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1)];

/// Lattices with at most this many points are searched whole.
const FULL_SEARCH_LIMIT: usize = 400_000;

/// At coarse levels, where units are long blocks, a smaller lattice is searched whole.
const COARSE_FULL_SEARCH_LIMIT: usize = 10_000;

/// Half-width of the band around a projected coarse path, in units.
const BAND_WIDTH: usize = 5;

/// Half-width of the band around the first pass's path when the second pass refines it.
const REFINE_WIDTH: usize = 3;

/// Aligns documents; immutable, `Send + Sync`, shareable across threads.
#[derive(Debug, Clone)]
pub struct Aligner {
    mode: Mode,
    bead_types: Vec<(usize, usize)>,
    weights: model::Weights,
    temperature: f64,
}

/// Configures an [`Aligner`].
#[derive(Debug, Clone)]
pub struct AlignerBuilder {
    mode: Mode,
    bead_types: Vec<(usize, usize)>,
    weights: model::Weights,
    temperature: f64,
}

impl Default for AlignerBuilder {
    fn default() -> Self {
        AlignerBuilder {
            mode: Mode::Parallel,
            bead_types: DEFAULT_BEAD_TYPES.to_vec(),
            weights: model::Weights::default(),
            temperature: DEFAULT_TEMPERATURE,
        }
    }
}

/// Scores are divided by this before posteriors are computed: it calibrates confidence
/// for the evidence not being independent (measured on the development gold; see README).
pub const DEFAULT_TEMPERATURE: f64 = 2.0;

impl AlignerBuilder {
    /// Sets the mode.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the bead types searched in parallel mode, as `(source, target)` sentence
    /// counts; each side at most 4, and 1-1 must be among them.
    pub fn bead_types(mut self, types: &[(usize, usize)]) -> Self {
        self.bead_types = types.to_vec();
        self
    }

    /// Sets the weights of the bead score (priors and evidence scales); for tuning.
    pub fn weights(mut self, weights: model::Weights) -> Self {
        self.weights = weights;
        self
    }

    /// Sets the calibration temperature (positive).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = temperature;
        self
    }

    /// Builds the aligner, checking the configuration.
    pub fn build(self) -> crate::Result<Aligner> {
        if !self.bead_types.contains(&(1, 1)) {
            return Err(crate::Error::Config("bead types must include 1-1".into()));
        }
        if self
            .bead_types
            .iter()
            .any(|&(a, b)| a > 4 || b > 4 || (a == 0 && b == 0))
        {
            return Err(crate::Error::Config(
                "bead types take 0 to 4 sentences a side, and not 0-0".into(),
            ));
        }
        if !(self.temperature.is_finite() && self.temperature > 0.0) {
            return Err(crate::Error::Config("temperature must be positive".into()));
        }
        let mut bead_types = self.bead_types;
        bead_types.sort_unstable();
        bead_types.dedup();
        // 1-1 first: on exact ties the path prefers it.
        bead_types.sort_by_key(|&t| t != (1, 1));
        Ok(Aligner {
            mode: self.mode,
            bead_types,
            weights: self.weights,
            temperature: self.temperature,
        })
    }
}

impl Default for Aligner {
    fn default() -> Self {
        AlignerBuilder::default()
            .build()
            .expect("the default configuration is valid")
    }
}

/// The features of every sentence of a document.
pub fn features_of(doc: &Document) -> Vec<Features> {
    doc.sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let para_start = i == 0 || doc.sentences[i - 1].paragraph != s.paragraph;
            Features::of(&doc.text[s.start..s.end], para_start)
        })
        .collect()
}

/// Starting parameters for a document pair, from its total lengths.
fn initial_params(fs: &[Features], ft: &[Features]) -> model::Params {
    let total = |u: &[Features]| u.iter().map(|f| f.len).sum::<f64>();
    model::Params::initial(total(fs), total(ft))
}

/// Log likelihood ratios of one pair bead's lexical evidence for "translations" against
/// "written independently". Translations share cognates, names or numbers in most beads,
/// independent documents in few: measured on the development pairs, 77% to 100% of the pair
/// beads of translations have positive lexical evidence, 27% of those of the seeds'
/// independent English and French; we take 80% and 30%.
const SUPPORTED_VOTE: f64 = 0.98; // ln(0.8 / 0.3)
const UNSUPPORTED_VOTE: f64 = -1.25; // ln(0.2 / 0.7)

/// The same for a pair bead with no lexical evidence at all (no key of either side occurs
/// in the other document, as between scripts): only its length agreement speaks.
const LENGTH_VOTE: f64 = 0.4; // ln 1.5

/// The probability that the two documents are translations of each other rather than
/// independently written, from the beads of the best monotone path. Each pair bead votes with
/// its lexical evidence; where there is none, agreement of length within one standard
/// deviation counts a little, and less when there are few such beads, since the length ratio
/// and variance were fitted to these same beads (three of them could agree with any ratio).
/// Prior odds are even, so a pair of short documents with no shared evidence never gets
/// more certainty than a coin toss.
fn parallel_probability(pair_beads: &[Parts], weights: &model::Weights) -> f64 {
    let (mut lexical_odds, mut length_odds, mut length_beads) = (0.0, 0.0, 0usize);
    for parts in pair_beads {
        let lexical = parts.lexical + parts.numbers;
        if lexical > 0.5 {
            lexical_odds += SUPPORTED_VOTE;
        } else if lexical.abs() > 1e-9 {
            lexical_odds += UNSUPPORTED_VOTE;
        } else {
            length_beads += 1;
            length_odds += if parts.length > weights.pair_bonus - 0.5 {
                LENGTH_VOTE
            } else {
                -LENGTH_VOTE
            };
        }
    }
    let fitted = length_beads.saturating_sub(FITTED_PARAMETERS) as f64 / length_beads.max(1) as f64;
    let log_odds = lexical_odds + length_odds * fitted;
    1.0 / (1.0 + (-log_odds).exp())
}

/// What the first pass of a parallel alignment leaves for the second.
struct FirstPass {
    /// Parameters re-estimated from the first path.
    params: model::Params,
    /// The first path.
    path: Vec<lattice::PathBead>,
    /// Word links learned from the first path.
    lexicon: lexicon::Lexicon,
}

/// Degrees of freedom the length model spends on a document pair (ratio, variance and the
/// first pass's choice of beads): that many length-only beads prove nothing.
const FITTED_PARAMETERS: usize = 3;

/// The widest a band grows around an uncertain stretch of its guide path, in units.
const MAX_EXTRA_WIDTH: usize = 256;

/// The grid points of a guide path, mapped to the finer lattice by `row` and `col`, with
/// the band's width at each point: `base`, and where the guide's beads are uncertain
/// (posterior under one half), as much more as the uncertain stretch is long, up to
/// [`MAX_EXTRA_WIDTH`]. A guide that shears through an omission loses confidence there, and
/// the finer search then has room to find the omission; where the guide is sure, the band
/// stays narrow, so the area stays linear.
fn guide(
    beads: &[lattice::PathBead],
    row: impl Fn(usize) -> usize,
    col: impl Fn(usize) -> usize,
    base: usize,
) -> (Vec<(usize, usize)>, Vec<usize>) {
    let mut points = Vec::with_capacity(beads.len() + 1);
    points.push((0, 0));
    points.extend(beads.iter().map(|b| (row(b.i + b.a), col(b.j + b.b))));
    let mut widths = vec![base; points.len()];
    let mut k = 0;
    while k < beads.len() {
        if beads[k].posterior >= 0.5 {
            k += 1;
            continue;
        }
        let start = k;
        while k < beads.len() && beads[k].posterior < 0.5 {
            k += 1;
        }
        // Bead `b` runs from point `b` to point `b + 1`.
        let (r0, c0) = points[start];
        let (r1, c1) = points[k];
        let extra = (r1 - r0).max(c1 - c0).min(MAX_EXTRA_WIDTH);
        for w in &mut widths[start..=k] {
            *w = (*w).max(base + extra);
        }
    }
    (points, widths)
}

/// `count` block boundaries over `len` units, in proportion: block `b` holds units
/// `bounds[b]..bounds[b + 1]`, and no block is empty while `count <= len`.
fn proportional_bounds(len: usize, count: usize) -> Vec<usize> {
    (0..=count).map(|b| b * len / count).collect()
}

/// Merges `units` into the blocks `bounds` gives. Both sides get the same number of blocks,
/// cut in proportion, so a translation aligns block to block along the diagonal whatever
/// the ratio of sentence counts, and only real omissions need an empty side. A block
/// would hold all its parts' keys, so each level keeps only the keys whose hash has one
/// more low bit clear: the same keys on both sides, and about as many per block at every
/// level, so scoring a coarse bead costs no more than a fine one.
fn coarsen(units: &[Features], bounds: &[usize], level: u32) -> Vec<Features> {
    let mask = (1u64 << level.min(63)) - 1;
    bounds
        .windows(2)
        .map(|w| {
            let mut merged = Features::merged(&units[w[0]..w[1]]);
            merged.keys.retain(|k| k.hash & mask == 0);
            merged
        })
        .collect()
}

impl Aligner {
    /// A builder with the default configuration.
    pub fn builder() -> AlignerBuilder {
        AlignerBuilder::default()
    }

    /// The mode this aligner runs in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Aligns `src` with `tgt`.
    pub fn align(&self, src: &Document, tgt: &Document) -> Alignment {
        let fs = features_of(src);
        let ft = features_of(tgt);
        self.align_features(&fs, &ft)
    }

    /// Aligns two documents given as per-sentence features.
    pub fn align_features(&self, fs: &[Features], ft: &[Features]) -> Alignment {
        self.align_keeping_first_pass(fs, ft).0
    }

    /// Aligns `src` with `tgt`, and samples the similarity evidence the alignment weighed
    /// for plots: points `(source index, target index, strength in [0, 1])`, at most about
    /// `max_points` of them, taken evenly over the grid. The evidence is the second pass's,
    /// learned word links included, so it is computed once with the alignment.
    pub fn align_with_similarity(
        &self,
        src: &Document,
        tgt: &Document,
        max_points: usize,
    ) -> (Alignment, Vec<(usize, usize, f32)>) {
        let fs = features_of(src);
        let ft = features_of(tgt);
        let (alignment, first) = self.align_keeping_first_pass(&fs, &ft);
        let (n, m) = (fs.len(), ft.len());
        if n == 0 || m == 0 || max_points == 0 {
            return (alignment, Vec::new());
        }
        let mut scorer = match first {
            Some(first) => {
                model::Scorer::with_lexicon(&fs, &ft, first.params, self.weights, &first.lexicon)
            }
            None => model::Scorer::new(&fs, &ft, initial_params(&fs, &ft), self.weights),
        };
        let step = (((n * m) as f64 / max_points as f64).sqrt().ceil() as usize).max(1);
        let mut points = Vec::new();
        for i in (0..n).step_by(step) {
            for j in (0..m).step_by(step) {
                let s = scorer.similarity(i, j);
                if s > 0.5 {
                    points.push((i, j, s as f32));
                }
            }
        }
        (alignment, points)
    }

    /// The alignment, with the first pass of a parallel one.
    fn align_keeping_first_pass(
        &self,
        fs: &[Features],
        ft: &[Features],
    ) -> (Alignment, Option<FirstPass>) {
        let (n, m) = (fs.len(), ft.len());
        if n == 0 || m == 0 {
            let beads = (0..n)
                .map(|i| (i..i + 1, m..m))
                .chain((0..m).map(|j| (n..n, j..j + 1)))
                .map(|(src, tgt)| Bead {
                    src,
                    tgt,
                    confidence: 1.0,
                    evidence: Evidence::default(),
                })
                .collect();
            let alignment = Alignment {
                beads,
                mode: self.mode,
                looks_comparable: false,
            };
            return (alignment, None);
        }
        match self.mode {
            Mode::Parallel => {
                let first = self.first_pass(fs, ft);
                (self.parallel(fs, ft, &first), Some(first))
            }
            // Rates estimated from a monotone pass mean nothing for documents that are not
            // translations: comparable mode keeps the starting values.
            Mode::Comparable => (
                comparable::align(fs, ft, initial_params(fs, ft), self.weights),
                None,
            ),
        }
    }

    /// The first pass: an alignment with starting values; the word links it teaches
    /// ([`lexicon`]); and the parameters re-estimated from its confident one-to-one beads.
    fn first_pass(&self, fs: &[Features], ft: &[Features]) -> FirstPass {
        let initial = initial_params(fs, ft);
        // On long documents the first pass only guides the second and feeds the estimates:
        // the simpler bead types do for that at a fraction of the cost.
        let long = (fs.len() + 1).saturating_mul(ft.len() + 1) > FULL_SEARCH_LIMIT;
        let types: &[(usize, usize)] = if long {
            &COARSE_BEAD_TYPES
        } else {
            &self.bead_types
        };
        let path = self.search(fs, ft, initial, &lexicon::Lexicon::default(), types);
        let lexicon = lexicon::Lexicon::learn(fs, ft, &path);
        let confident: Vec<(usize, usize)> = path
            .iter()
            .filter(|b| b.a == 1 && b.b == 1 && b.posterior > 0.5)
            .map(|b| (b.i, b.j))
            .collect();
        // Estimated without the links: they were learned from these same beads, and counting
        // them as hits there would only confirm themselves.
        let params = initial.estimate(fs, ft, &confident);
        FirstPass {
            params,
            path,
            lexicon,
        }
    }

    fn parallel(&self, fs: &[Features], ft: &[Features], first_pass: &FirstPass) -> Alignment {
        let FirstPass {
            params,
            path: first,
            lexicon,
        } = first_pass;
        let params = *params;
        let (n, m) = (fs.len(), ft.len());
        let mut scorer = model::Scorer::with_lexicon(fs, ft, params, self.weights, lexicon);
        let path = if (n + 1).saturating_mul(m + 1) <= FULL_SEARCH_LIMIT {
            self.search(fs, ft, params, lexicon, &self.bead_types)
        } else {
            // Long documents: the second pass only refines the first pass's path.
            let (points, widths) = guide(first, |i| i, |j| j, REFINE_WIDTH);
            let band = lattice::Band::around_path(&points, &widths, n, m);
            lattice::solve(
                n,
                m,
                &band,
                &self.bead_types,
                self.temperature,
                |i, j, a, b| scorer.score(i, j, a, b),
            )
        };
        let beads: Vec<Bead> = path
            .iter()
            .map(|p| {
                let parts = scorer.parts(p.i, p.j, p.a, p.b);
                Bead {
                    src: p.i..p.i + p.a,
                    tgt: p.j..p.j + p.b,
                    confidence: p.posterior,
                    evidence: Evidence {
                        length: parts.length,
                        lexical: parts.lexical,
                        numbers: parts.numbers,
                        punctuation: parts.punctuation,
                    },
                }
            })
            .collect();
        // The vote on whether the documents are translations leaves the learned links out:
        // links learned by assuming a translation would only confirm the assumption.
        let mut plain =
            (!lexicon.is_empty()).then(|| model::Scorer::new(fs, ft, params, self.weights));
        let voter = plain.as_mut().unwrap_or(&mut scorer);
        let votes: Vec<Parts> = path
            .iter()
            .filter(|p| p.a > 0 && p.b > 0)
            .map(|p| voter.parts(p.i, p.j, p.a, p.b))
            .collect();
        let parallel = parallel_probability(&votes, &self.weights);
        let mut beads = beads;
        if parallel < 0.999 {
            // A bead's posterior assumes the documents are translations. If they may not be,
            // a bead is right either because they are and the path is right, or because its
            // sentences say the same thing anyway, which the comparable-mode evidence
            // measures: confidence is the mixture of the two.
            let prior = comparable::prior_log_odds(fs.len(), ft.len());
            // Without the learned links, for the same reason as the vote.
            let mut scorer = model::Scorer::new(fs, ft, initial_params(fs, ft), self.weights);
            for bead in beads.iter_mut().filter(|b| b.is_pair()) {
                let mut best: f64 = 0.0;
                for i in bead.src.clone() {
                    for j in bead.tgt.clone() {
                        let evidence = comparable::match_evidence(&mut scorer, i, j);
                        best = best.max(comparable::match_probability(&evidence, prior));
                    }
                }
                let unrelated = bead.confidence.min(best);
                bead.confidence = parallel * bead.confidence + (1.0 - parallel) * unrelated;
            }
        }
        let looks_comparable = parallel < 0.5;
        Alignment {
            beads,
            mode: Mode::Parallel,
            looks_comparable,
        }
    }

    /// The best monotone path, coarse to fine.
    fn search(
        &self,
        fs: &[Features],
        ft: &[Features],
        params: model::Params,
        lexicon: &lexicon::Lexicon,
        types: &[(usize, usize)],
    ) -> Vec<lattice::PathBead> {
        self.search_level(fs, ft, params, lexicon, types, 0)
    }

    fn search_level(
        &self,
        fs: &[Features],
        ft: &[Features],
        params: model::Params,
        lexicon: &lexicon::Lexicon,
        types: &[(usize, usize)],
        level: u32,
    ) -> Vec<lattice::PathBead> {
        let (n, m) = (fs.len(), ft.len());
        let limit = if types == COARSE_BEAD_TYPES {
            COARSE_FULL_SEARCH_LIMIT
        } else {
            FULL_SEARCH_LIMIT
        };
        let band = if (n + 1).saturating_mul(m + 1) <= limit || n < 4 || m < 4 {
            lattice::Band::full(n, m)
        } else {
            let blocks = n.min(m).div_ceil(2);
            let (bs, bt) = (
                proportional_bounds(n, blocks),
                proportional_bounds(m, blocks),
            );
            let cs = coarsen(fs, &bs, level + 1);
            let ct = coarsen(ft, &bt, level + 1);
            let coarse =
                self.search_level(&cs, &ct, params, lexicon, &COARSE_BEAD_TYPES, level + 1);
            let (points, widths) = guide(&coarse, |i| bs[i], |j| bt[j], BAND_WIDTH);
            lattice::Band::around_path(&points, &widths, n, m)
        };
        let mut scorer = model::Scorer::with_lexicon(fs, ft, params, self.weights, lexicon);
        lattice::solve(n, m, &band, types, self.temperature, |i, j, a, b| {
            scorer.score(i, j, a, b)
        })
    }
}
