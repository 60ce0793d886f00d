//! Sentence alignment: beads of sentences with a calibrated confidence.
//!
//! A parallel alignment runs in three stages, each a module:
//! - the **search** ([`search`], over the lattice of [`lattice`]): the best monotone path of
//!   beads (0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4, 4-1, 2-3, 3-2 by default), as Gale
//!   and Church did, coarse to fine on long documents so that time and memory stay linear;
//! - the **evidence** ([`evidence`]) that scores each bead, as log-likelihood ratios: length,
//!   with the ratio and variance of the document pair ([`params`], estimated in one place)
//!   and a heavy tail; shared cognate keys, numbers, names and acronyms, weighed by their
//!   rarity in the other document; word translations learned from the documents themselves
//!   ([`evidence::lexicon`]); punctuation; paragraph starts;
//! - the **confidence** ([`confidence`]): whether the documents are translations at all,
//!   and each bead's calibrated probability of being right.
//!
//! A first search with starting parameters teaches the parameters and the word links; the
//! second search uses both.
//!
//! In comparable mode ([`comparable`]) pairs may cross: each sentence is linked at most
//! once, strongest evidence first, and a link's confidence weighs its evidence against the
//! documents' own background, so most links of independent documents come out low.

pub mod comparable;
pub mod confidence;
pub mod evidence;
pub mod lattice;
pub mod params;
pub mod search;

use std::ops::Range;

use serde::Serialize;

use crate::doc::Document;
use crate::features::{Features, WordOrder};
use evidence::Weights;
use evidence::lexicon::Links;
pub use evidence::lexicon::{BeadSample, Lexicon, TABLE_FORMAT};
use lattice::PathBead;
use search::Search;

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
    /// True when the search had to keep a band narrower than its doubts asked for, to stay
    /// within linear time and memory: documents alike everywhere (a line repeated), unlike
    /// everywhere, or long passages missing from one side. Uncertain stretches may then be
    /// aligned less well than usual.
    pub band_capped: bool,
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

/// Times the word links and parameters are learned again from a path searched with the
/// previous round's, before the final search. The first path, found with no links, holds
/// fewer right beads to learn from than a path the links helped find. Chosen by leaving
/// each development family out (`scripts/eval-families.py`, strict F1 with 0, 1 and 2
/// rounds): Text+Berg 0.899, 0.900, 0.900; MAC 0.732, 0.743, 0.739; Bible 0.946, 0.950,
/// 0.950; seeds 0.738 each; every held-out family's choice is one round. Long documents,
/// whose first path is coarse and only guides the final search's band, skip it.
const RELEARN_ROUNDS: usize = 1;

/// Aligns documents; immutable, `Send + Sync`, shareable across threads.
#[derive(Debug, Clone)]
pub struct Aligner {
    mode: Mode,
    lexicon: Option<std::sync::Arc<Lexicon>>,
    bead_types: Vec<(usize, usize)>,
    weights: Weights,
    temperature: f64,
    progress: Option<crate::progress::Progress>,
    /// The word links learned from the corpus the documents belong to, by a batch.
    corpus_table: Option<std::sync::Arc<Lexicon>>,
    /// The word models of that corpus, cross-fitted by halves.
    corpus_model: Option<std::sync::Arc<evidence::model::CorpusModel>>,
}

/// Configures an [`Aligner`].
#[derive(Debug, Clone)]
pub struct AlignerBuilder {
    mode: Mode,
    lexicon: Option<std::sync::Arc<Lexicon>>,
    bead_types: Vec<(usize, usize)>,
    weights: Weights,
    temperature: f64,
    progress: Option<crate::progress::Progress>,
}

impl Default for AlignerBuilder {
    fn default() -> Self {
        AlignerBuilder {
            mode: Mode::Parallel,
            lexicon: None,
            bead_types: DEFAULT_BEAD_TYPES.to_vec(),
            weights: Weights::default(),
            temperature: DEFAULT_TEMPERATURE,
            progress: None,
        }
    }
}

/// The temperature of the posteriors of a first pass that guides a banded second pass: the
/// value the band's widening was set with (on 100k-sentence documents, calibrating at 1.5
/// there too cost 0.008 strict F1), apart from the calibration of the reported confidence.
const GUIDE_TEMPERATURE: f64 = 2.0;

/// The prior of a null bead in a first pass that guides a banded second pass. The guide
/// searches the coarse bead types alone, without the 1-3, 2-2 and larger beads, so a
/// sentence that one of those would hold has no place in it but a null bead of its own: at
/// the final pass's prior ([`Weights`]'s `null`, -7) the guide's path strays instead, and
/// its band with it. This is the prior every pass had before the final pass's was
/// cross-validated, which the banded search was built with. On the 100k-sentence documents of
/// `scripts/scale.sh` (repeated, shuffled, cut, long cuts), strict F1 0.902, 0.910, 0.914,
/// 0.907 at -5; 0.914, 0.915, 0.914, 0.913 at -4; 0.901, 0.910, 0.909, 0.909 at -3; and
/// 0.898, 0.891, 0.903, 0.877 with the guide at the final pass's -7.
const GUIDE_NULL: f64 = -4.0;

/// The final pass's scores are divided by this before its posteriors, the reported
/// confidence before calibration, are computed: it makes up for the evidence not being
/// independent. Chosen by leave-one-family-out cross-validation with the constants of
/// [`confidence`] (`scripts/calibrate.py`).
pub const DEFAULT_TEMPERATURE: f64 = 1.5;

/// The temperature of the posteriors of the passes a document pair learns from, apart from
/// the one that calibrates the reported confidence: they decide which beads teach the
/// parameters (a one-to-one bead above one half), and learning from fewer of them when the
/// calibration flattens the posteriors more cost MAC's chapters 0.021 strict F1 (0.821 to
/// 0.800, `scripts/eval-families.py`) at a calibration temperature of 1.75. The value is
/// the one the learning was built and cross-validated with.
const LEARN_TEMPERATURE: f64 = 1.5;

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

    /// Gives the aligner word translations to use beside what it learns from each document
    /// pair: a table learned from a corpus ([`Aligner::sample`] and [`Lexicon::learn`]), one
    /// written earlier ([`Lexicon::parse`]) or a bilingual dictionary
    /// ([`Lexicon::from_dictionary`]).
    pub fn lexicon(mut self, lexicon: Lexicon) -> Self {
        self.lexicon = Some(std::sync::Arc::new(lexicon));
        self
    }

    /// Sets the weights of the bead score (priors and evidence scales); for tuning.
    #[doc(hidden)]
    pub fn weights(mut self, weights: Weights) -> Self {
        self.weights = weights;
        self
    }

    /// Sets the calibration temperature (positive).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = temperature;
        self
    }

    /// Calls `f(done, total)` as an alignment goes on, counted in sentences of both
    /// documents (every few thousand sentences of each pass, and at the end), from the
    /// aligning thread; `done` never goes back.
    pub fn progress(mut self, f: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(crate::progress::Progress::new(f));
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
            lexicon: self.lexicon.filter(|l| !l.is_empty()),
            bead_types,
            weights: self.weights,
            temperature: self.temperature,
            progress: self.progress,
            corpus_table: None,
            corpus_model: None,
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

/// Each sentence's words of the source and the target document, for a word model.
struct SentenceWords {
    src: Vec<Vec<u64>>,
    tgt: Vec<Vec<u64>>,
    /// In comparable mode, each sentence's words in order, for the order evidence.
    order: Option<(Vec<WordOrder>, Vec<WordOrder>)>,
}

/// The words of each sentence of `doc` for a word model, as `units` makes them: the
/// parallel search's ([`crate::features::model_words`]) or those of a table's model,
/// which comparable mode weighs pairs with ([`crate::features::comparable_words`]).
fn sentence_units(
    doc: &Document,
    features: &[Features],
    units: fn(&str, &Features) -> Vec<u64>,
) -> Vec<Vec<u64>> {
    use rayon::prelude::*;
    doc.sentences
        .par_iter()
        .with_min_len(1024)
        .zip(features)
        .map(|(s, f)| units(&doc.text[s.start..s.end], f))
        .collect()
}

fn model_words(doc: &Document, features: &[Features]) -> Vec<Vec<u64>> {
    sentence_units(doc, features, crate::features::model_words)
}

fn comparable_words(doc: &Document, features: &[Features]) -> Vec<Vec<u64>> {
    sentence_units(doc, features, crate::features::comparable_words)
}

/// Each sentence's words in order, on rayon's threads (in order, so the same with any
/// number).
fn word_orders(doc: &Document) -> Vec<WordOrder> {
    use rayon::prelude::*;
    doc.sentences
        .par_iter()
        .with_min_len(1024)
        .map(|s| WordOrder::of(&doc.text[s.start..s.end]))
        .collect()
}

/// The features of every sentence of a document, on rayon's threads (in order, so the
/// same with any number).
pub fn features_of(doc: &Document) -> Vec<Features> {
    use rayon::prelude::*;
    doc.sentences
        .par_iter()
        .with_min_len(1024)
        .enumerate()
        .map(|(i, s)| {
            let para_start = i == 0 || doc.sentences[i - 1].paragraph != s.paragraph;
            Features::of(&doc.text[s.start..s.end], para_start)
        })
        .collect()
}

/// What the first pass of a parallel alignment leaves for the second.
struct FirstPass {
    /// True when it was searched with the coarse bead types, as long documents are.
    coarse: bool,
    /// True when a band of its search was capped.
    capped: bool,
    /// Parameters re-estimated from the first path.
    params: params::Params,
    /// The first path.
    path: Vec<PathBead>,
    /// Word links for the second pass: the aligner's own table and what the first path
    /// taught.
    links: Links,
    /// The word model's evidence for the second pass, learned from the first path.
    model: Option<evidence::model::ModelEvidence>,
}

/// A parallel alignment before calibration, for the development tools that fit the
/// calibration (`examples/calibrate.rs`); not part of the stable API.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The final path's beads, with their raw posteriors as confidence.
    pub beads: Vec<Bead>,
    /// The translation test's statistics, from the first pass.
    pub test: confidence::TestStatistics,
    /// Each bead's rivals the search could not build ([`confidence::unbuilt_rivals`]).
    pub rivals: Vec<f64>,
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

    /// The same aligner with `lexicon`'s entries added to its word translations.
    pub fn with_lexicon(&self, lexicon: &Lexicon) -> Aligner {
        let mut table = self.lexicon.as_deref().cloned().unwrap_or_default();
        table.extend(lexicon);
        let mut aligner = self.clone();
        aligner.lexicon = (!table.is_empty()).then(|| std::sync::Arc::new(table));
        aligner
    }

    /// The same aligner for the documents of a corpus, with what was learned from all of
    /// them: a `table` of word links, for the words a document does not learn itself
    /// ([`Aligner::learn_from`]), and word `models` that weigh each document in place of
    /// its own ([`evidence::model::ModelEvidence::of_corpus`]). A pair aligned with
    /// `models` must have been sampled into them by [`Aligner::sample_for_corpus`] of
    /// this aligner: its halves are cut where that sample cut them.
    pub(crate) fn with_corpus(
        &self,
        table: Option<&Lexicon>,
        models: Option<evidence::model::CorpusModel>,
    ) -> Aligner {
        let mut aligner = self.clone();
        aligner.corpus_table = table
            .filter(|t| !t.is_empty())
            .map(|t| std::sync::Arc::new(t.clone()));
        aligner.corpus_model = models.map(std::sync::Arc::new);
        aligner
    }

    /// The same aligner calling `f(done, total)` as [`AlignerBuilder::progress`] sets it,
    /// for a caller that reports each alignment somewhere else.
    pub fn with_progress(&self, f: impl Fn(usize, usize) + Send + Sync + 'static) -> Aligner {
        let mut aligner = self.clone();
        aligner.progress = Some(crate::progress::Progress::new(f));
        aligner
    }

    /// The word translations the aligner was given (none when it learns only from each
    /// document pair).
    pub fn lexicon(&self) -> Option<&Lexicon> {
        self.lexicon.as_deref()
    }

    /// Aligns `src` with `tgt`.
    pub fn align(&self, src: &Document, tgt: &Document) -> Alignment {
        let fs = features_of(src);
        let ft = features_of(tgt);
        let words = self.sentence_words(src, tgt, &fs, &ft);
        let alignment = self.align_keeping_first_pass(&fs, &ft, words.as_ref()).0;
        if let Some(progress) = &self.progress {
            progress.report(fs.len() + ft.len(), fs.len() + ft.len());
        }
        alignment
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
        let words = self.sentence_words(src, tgt, &fs, &ft);
        let (alignment, first) = self.align_keeping_first_pass(&fs, &ft, words.as_ref());
        let (n, m) = (fs.len(), ft.len());
        if n == 0 || m == 0 || max_points == 0 {
            return (alignment, Vec::new());
        }
        let mut scorer = match first {
            Some(first) => {
                evidence::Scorer::with_links(&fs, &ft, first.params, self.weights, &first.links)
            }
            None => evidence::Scorer::new(&fs, &ft, params::initial(&fs, &ft), self.weights),
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

    /// The confident beads of the first pass over `src` and `tgt`, for learning one
    /// [`Lexicon`] from many document pairs: add the samples up with
    /// [`BeadSample::extend`], learn with [`Lexicon::learn`], and give the table to the
    /// aligner that aligns them again ([`AlignerBuilder::lexicon`]).
    pub fn sample(&self, src: &Document, tgt: &Document) -> BeadSample {
        self.sample_words(src, tgt, false, false).0
    }

    /// [`Aligner::sample`] with the beads' words for the word model too, which a table
    /// written for later runs holds ([`Lexicon::write`]) and comparable mode weighs. The
    /// parallel search does not use the word model, and it costs time and memory where
    /// sentences hold many words (a Han sentence's characters and bigrams): learned only
    /// for a table that is written.
    pub fn sample_with_words(&self, src: &Document, tgt: &Document) -> BeadSample {
        self.sample_words(src, tgt, true, false).0
    }

    /// [`Aligner::sample`] (with the words when `words`), and the pair's beads cut in two
    /// for a [`evidence::model::CorpusModel`] when the search would weigh the pair with a
    /// word model.
    pub(crate) fn sample_for_corpus(
        &self,
        src: &Document,
        tgt: &Document,
        words: bool,
    ) -> (BeadSample, evidence::model::HalfSample) {
        self.sample_words(src, tgt, words, true)
    }

    fn sample_words(
        &self,
        src: &Document,
        tgt: &Document,
        words: bool,
        halves: bool,
    ) -> (BeadSample, evidence::model::HalfSample) {
        let fs = features_of(src);
        let ft = features_of(tgt);
        if fs.is_empty() || ft.is_empty() || self.mode != Mode::Parallel {
            return Default::default();
        }
        // The beads of the path that the document's own links helped find, as the second
        // pass of one document learns from: the first path alone holds fewer right beads,
        // and a table learned from those aligns a batch of MAC's chapters worse than each
        // chapter alone.
        let initial = params::initial(&fs, &ft);
        let (found, coarse) = self.first_path(&fs, &ft, initial, &|_| {});
        // Cut where the alignment pass will cut it: its first path is this one, as a table
        // given to the aligner does not guide the first path.
        let cut = evidence::model::cut_of(&found.path);
        let path = if coarse {
            found.path
        } else {
            self.relearn(&fs, &ft, initial, found.path).2
        };
        let mut sample = BeadSample::of(&fs, &ft, &path);
        let halves = halves && !coarse && self.weights.model > 0.0;
        let mut half_sample = evidence::model::HalfSample::default();
        if words {
            let (src_words, tgt_words) = (comparable_words(src, &fs), comparable_words(tgt, &ft));
            sample.add_words(&src_words, &tgt_words, &path);
        }
        if halves {
            let (src_words, tgt_words) = (model_words(src, &fs), model_words(tgt, &ft));
            half_sample = evidence::model::HalfSample::of(&src_words, &tgt_words, &path, cut);
        }
        (sample, half_sample)
    }

    /// The parallel alignment of two non-empty documents before calibration.
    #[doc(hidden)]
    pub fn diagnose(&self, src: &Document, tgt: &Document) -> Diagnosis {
        let (fs, ft) = (features_of(src), features_of(tgt));
        let words = self.sentence_words(src, tgt, &fs, &ft);
        let first = self.first_pass(&fs, &ft, words.as_ref());
        let (beads, rivals, _) = self.second_pass(&fs, &ft, &first);
        let test = self.translation_test(&fs, &ft, &first);
        Diagnosis {
            beads,
            test,
            rivals,
        }
    }

    /// The words of both documents' sentences when a word model will weigh them: in
    /// parallel mode, where the documents are short enough to be searched whole (the
    /// second pass learns the model from the first); in comparable mode, given a table
    /// that holds one.
    fn sentence_words(
        &self,
        src: &Document,
        tgt: &Document,
        fs: &[Features],
        ft: &[Features],
    ) -> Option<SentenceWords> {
        if self.mode == Mode::Parallel {
            let wanted = self.weights.model > 0.0 && !search::is_long(fs.len(), ft.len());
            return wanted.then(|| SentenceWords {
                src: model_words(src, fs),
                tgt: model_words(tgt, ft),
                order: None,
            });
        }
        self.lexicon.as_deref()?.word_model()?;
        Some(SentenceWords {
            src: comparable_words(src, fs),
            tgt: comparable_words(tgt, ft),
            order: Some((word_orders(src), word_orders(tgt))),
        })
    }

    /// The alignment, with the first pass of a parallel one; `words` are the sentences'
    /// words for the word model of comparable mode.
    fn align_keeping_first_pass(
        &self,
        fs: &[Features],
        ft: &[Features],
        words: Option<&SentenceWords>,
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
                band_capped: false,
            };
            return (alignment, None);
        }
        match self.mode {
            Mode::Parallel => {
                let first = self.first_pass(fs, ft, words);
                if let Some(progress) = &self.progress {
                    progress.report((n + m) / 2, n + m);
                }
                let (mut beads, rivals, capped) = self.second_pass(fs, ft, &first);
                let test = self.translation_test(fs, ft, &first);
                let verdict =
                    confidence::calibrate(&mut beads, &rivals, &test, fs, ft, self.weights);
                let alignment = Alignment {
                    beads,
                    mode: Mode::Parallel,
                    looks_comparable: verdict.looks_comparable(),
                    band_capped: capped || first.capped,
                };
                (alignment, Some(first))
            }
            // Rates estimated from a monotone pass mean nothing for documents that are not
            // translations: comparable mode keeps the starting values.
            Mode::Comparable => {
                let links = self
                    .lexicon
                    .as_deref()
                    .map(|table| table.links(fs, ft))
                    .unwrap_or_default();
                let params = params::initial(fs, ft);
                let model = self
                    .lexicon
                    .as_deref()
                    .and_then(Lexicon::word_model)
                    .zip(words)
                    .and_then(|(model, words)| {
                        let (src_order, tgt_order) = words.order.as_ref()?;
                        Some(comparable::WordEvidence {
                            model,
                            src: &words.src,
                            tgt: &words.tgt,
                            src_order,
                            tgt_order,
                        })
                    });
                (
                    comparable::align(fs, ft, params, self.weights, &links, model.as_ref()),
                    None,
                )
            }
        }
    }

    fn search<'a>(&'a self, types: &'a [(usize, usize)]) -> Search<'a> {
        Search {
            weights: self.weights,
            temperature: self.temperature,
            types: if types.is_empty() {
                &self.bead_types
            } else {
                types
            },
        }
    }

    /// The search of the passes a document pair learns from: [`Self::search`] at
    /// [`LEARN_TEMPERATURE`].
    fn learning_search<'a>(&'a self, types: &'a [(usize, usize)]) -> Search<'a> {
        Search {
            temperature: LEARN_TEMPERATURE,
            ..self.search(types)
        }
    }

    /// The translation test on the first pass's path.
    fn translation_test(
        &self,
        fs: &[Features],
        ft: &[Features],
        first: &FirstPass,
    ) -> confidence::TestStatistics {
        let types: &[(usize, usize)] = if first.coarse {
            &search::COARSE_BEAD_TYPES
        } else {
            &self.bead_types
        };
        confidence::TestStatistics::of(
            &self.learning_search(types),
            fs,
            ft,
            first.params,
            &first.path,
        )
    }

    /// The first pass's path, searched with the starting parameters `initial`, and whether
    /// it was searched with the coarse bead types (as long documents are).
    fn first_path(
        &self,
        fs: &[Features],
        ft: &[Features],
        initial: params::Params,
        progress: &(dyn Fn(usize) + Sync),
    ) -> (search::Found, bool) {
        // On long documents the first pass only guides the second and feeds the estimates:
        // the simpler bead types do for that at a fraction of the cost.
        let coarse = search::is_long(fs.len(), ft.len());
        let types: &[(usize, usize)] = if coarse {
            &search::COARSE_BEAD_TYPES
        } else {
            &self.bead_types
        };
        // On long documents the first pass's posteriors decide where the second pass's
        // band widens around its path (and its coarse levels', where they widen theirs):
        // they are taken at the temperature those widths were set with, so that
        // calibrating the reported confidence leaves the band alone; its null beads keep the
        // prior the guide was built with ([`GUIDE_NULL`]).
        let search = self.learning_search(types);
        let first_search = if coarse {
            Search {
                temperature: GUIDE_TEMPERATURE,
                weights: Weights {
                    null: GUIDE_NULL,
                    ..search.weights
                },
                ..search
            }
        } else {
            search
        };
        // A table given to the aligner (learned from a corpus, or a dictionary) does not
        // guide the first path: it joins the table the document teaches ([`Self::learn_from`]).
        // The first path is the document's own view, and a path the table guided teaches
        // the table's entries back, its wrong ones included. Measured on the development
        // families aligned as one batch each (`scripts/eval-families.py --batch`, strict
        // F1): with the corpus table guiding the first path, MAC 0.789, Text+Berg 0.896,
        // Bible 0.955; without, MAC 0.801, Text+Berg 0.900, Bible 0.954, seeds unchanged.
        let found = first_search.find_reporting(fs, ft, initial, &Links::default(), progress);
        (found, coarse)
    }

    /// The word links a path teaches (with the aligner's own table), and the parameters
    /// re-estimated from its confident one-to-one beads.
    fn learn_from(
        &self,
        fs: &[Features],
        ft: &[Features],
        initial: params::Params,
        path: &[PathBead],
    ) -> (Links, params::Params) {
        let mut lexicon = Lexicon::learn(BeadSample::of_learned(fs, ft, path));
        if let Some(table) = &self.lexicon {
            lexicon.extend(table);
        }
        // A corpus's table only adds the words the document did not learn: where both hold
        // a word, the document's own partner is the one its translator chose, where the
        // corpus's may be another book's (a name, a translator's habit). Measured with the
        // corpus's word model (`scripts/eval-families.py --batch`, strict F1): MAC 0.821
        // with the stronger entry winning, 0.833 with the document's own; Text+Berg and the
        // Bible cut in four documents each (`--chunks 4`) 0.912 and 0.945 with the stronger,
        // 0.912 and 0.944 with the document's own.
        if let Some(corpus) = &self.corpus_table {
            lexicon.extend_missing(corpus);
        }
        let links = lexicon.links(fs, ft);
        let confident: Vec<(usize, usize)> = path
            .iter()
            .filter(|b| b.a == 1 && b.b == 1 && b.posterior > 0.5)
            .map(|b| (b.i, b.j))
            .collect();
        // Estimated without the links: they were learned from these same beads, and counting
        // them as hits there would only confirm themselves.
        (links, initial.estimate(fs, ft, &confident))
    }

    /// The links and parameters a path teaches, learned again [`RELEARN_ROUNDS`] times from
    /// the path searched with the previous round's, and the last path searched.
    fn relearn(
        &self,
        fs: &[Features],
        ft: &[Features],
        initial: params::Params,
        mut path: Vec<PathBead>,
    ) -> (Links, params::Params, Vec<PathBead>) {
        let (mut links, mut params) = self.learn_from(fs, ft, initial, &path);
        for _ in 0..RELEARN_ROUNDS {
            path = self.learning_search(&[]).find(fs, ft, params, &links).path;
            (links, params) = self.learn_from(fs, ft, initial, &path);
        }
        (links, params, path)
    }

    /// Reports `rows` of `fs` searched by a pass as sentences done of both documents: the
    /// first pass takes the first half, the second pass the rest.
    fn report_rows(&self, fs: &[Features], ft: &[Features], second: bool, rows: usize) {
        if let Some(progress) = &self.progress {
            let (n, total) = (fs.len().max(1), fs.len() + ft.len());
            let half = total / 2;
            let (start, span) = if second {
                (half, total - half)
            } else {
                (0, half)
            };
            progress.report(start + rows.min(n) * span / n, total);
        }
    }

    /// The first pass: an alignment with starting values; the word links it teaches
    /// ([`evidence::lexicon`]); and the parameters re-estimated from its confident
    /// one-to-one beads.
    fn first_pass(
        &self,
        fs: &[Features],
        ft: &[Features],
        words: Option<&SentenceWords>,
    ) -> FirstPass {
        let initial = params::initial(fs, ft);
        let report = |rows| self.report_rows(fs, ft, false, rows);
        let (found, coarse) = self.first_path(fs, ft, initial, &report);
        let (path, capped) = (found.path, found.capped);
        let mut model = None;
        let (links, params) = if coarse {
            self.learn_from(fs, ft, initial, &path)
        } else {
            let (links, params, last) = self.relearn(fs, ft, initial, path.clone());
            if let Some(SentenceWords { src, tgt, .. }) = words {
                use evidence::model::{ModelEvidence, cut_of};
                let weight = self.weights.model;
                model = Some(match &self.corpus_model {
                    Some(corpus) => {
                        ModelEvidence::of_corpus(corpus, src, tgt, &last, cut_of(&path), weight)
                    }
                    None => ModelEvidence::new(src, tgt, &last, weight),
                });
            }
            (links, params)
        };
        FirstPass {
            coarse,
            capped,
            params,
            path,
            links,
            model,
        }
    }

    /// The second pass: the final path with the first pass's parameters and links, its
    /// beads carrying their raw posteriors and the parts of their scores, their rivals the
    /// search could not build ([`confidence::unbuilt_rivals`]), and whether a band of its
    /// search was capped.
    fn second_pass(
        &self,
        fs: &[Features],
        ft: &[Features],
        first: &FirstPass,
    ) -> (Vec<Bead>, Vec<f64>, bool) {
        let search = self.search(&[]);
        let report = |rows| self.report_rows(fs, ft, true, rows);
        let mut scorer =
            evidence::Scorer::with_links(fs, ft, first.params, self.weights, &first.links);
        if let Some(model) = &first.model {
            scorer = scorer.with_model(model);
        }
        // One scorer searches and then gives the path's beads their parts (building one
        // weighs every key of both documents: on a long book a serial second or more).
        let found = if search::is_long(fs.len(), ft.len()) {
            // Long documents: the second pass only refines the first pass's path.
            search.refine(fs.len(), ft.len(), &scorer, &first.path, &report)
        } else {
            search.find_whole(fs.len(), ft.len(), &scorer, &report)
        };
        // The parts on rayon's threads, into a vector allocated here (an indexed collect
        // reserves on the calling thread): a serial quarter second on a long book.
        use rayon::prelude::*;
        let beads = found
            .path
            .par_iter()
            .with_min_len(4096)
            .map_init(
                || scorer.cache(),
                |cache, p| (p, scorer.parts_with(cache, p.i, p.j, p.a, p.b)),
            )
            .map(|(p, parts)| Bead {
                src: p.i..p.i + p.a,
                tgt: p.j..p.j + p.b,
                confidence: p.posterior,
                evidence: Evidence {
                    length: parts.length,
                    lexical: parts.lexical,
                    numbers: parts.numbers,
                    punctuation: parts.punctuation,
                },
            })
            .collect();
        let rivals =
            confidence::unbuilt_rivals(&scorer, &found.path, search.types, self.temperature);
        (beads, rivals, found.capped)
    }
}
