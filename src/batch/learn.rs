//! The learning pass: one table of word translations per language pair of a batch.

use std::path::Path;

use rayon::prelude::*;

use super::*;
use crate::align::evidence::model::{CorpusModel, HalfSample};
use crate::align::{Aligner, BeadSample, Lexicon};
use crate::doc::Document;

/// Pairs whose first passes are gathered at once: enough to keep every thread busy, few
/// enough that their samples do not pile up before they are added in order.
const LEARN_CHUNK: usize = 256;

/// The text the learning pass keeps for the alignment pass, in bytes: a batch of this much
/// text is read (and its languages detected) once; beyond it, pairs are read again when
/// their turn comes, so that memory stays bounded on a batch of any size.
const KEEP_BYTES: usize = 256 << 20;

/// A pair's two documents, read by the learning pass and kept for the alignment pass.
pub(super) type Kept = Option<(Document, Document)>;

/// A table learned for a language pair (source, target).
type Table = ((String, String), Lexicon);

/// A pair's documents and what its first pass sampled, with the pair's job index.
type Sampled = (usize, Document, Document, (BeadSample, HalfSample));

/// The word models learned for a language pair (source, target).
pub(super) type Models = ((String, String), CorpusModel);

/// The learning pass over a batch: the first pass of every pair that will be aligned, its
/// confident beads added up per language pair in the manifest's order (so the tables do
/// not depend on the thread count), and one table learned for each language pair. Pairs
/// that cannot be read are left to the alignment pass, which reports them.
///
/// Also returns the word models learned for each language pair of two document pairs or
/// more ([`CorpusModel`]), and, for each job, its documents when the pass kept them
/// (within [`KEEP_BYTES`], in manifest order), so that the alignment pass need not read
/// them again.
pub fn learn(
    jobs: &[Job],
    out_dir: Option<&Path>,
    aligner: &Aligner,
    options: &BatchOptions,
) -> (Vec<Table>, Vec<Models>, Vec<Kept>) {
    let pairs: Vec<(usize, &Pair)> = jobs
        .iter()
        .enumerate()
        .filter_map(|(index, job)| Some((index, job.pair.as_ref().ok()?)))
        .filter(|(_, pair)| out_dir.is_none_or(|dir| !resume_skips(dir, &pair.id, options)))
        .collect();
    let mut kept: Vec<Kept> = jobs.iter().map(|_| None).collect();
    let mut kept_bytes = 0;
    let mut samples: Vec<((String, String), BeadSample, HalfSample)> = Vec::new();
    for chunk in pairs.chunks(LEARN_CHUNK) {
        let found: Vec<Option<Sampled>> = chunk
            .par_iter()
            .with_max_len(1)
            .map(|&(index, pair)| {
                let src = load(&pair.src, &pair.src_lang, options).ok()?;
                let tgt = load(&pair.tgt, &pair.tgt_lang, options).ok()?;
                let sample = aligner.sample_for_corpus(&src, &tgt, options.word_model);
                Some((index, src, tgt, sample))
            })
            .collect();
        for (index, src, tgt, (sample, halves)) in found.into_iter().flatten() {
            let langs = (src.lang.clone(), tgt.lang.clone());
            match samples.iter_mut().find(|(l, _, _)| *l == langs) {
                Some((_, all, all_halves)) => {
                    all.extend(sample);
                    all_halves.extend(halves);
                }
                None => samples.push((langs, sample, halves)),
            }
            let bytes = src.text.len() + tgt.text.len();
            if kept_bytes + bytes <= KEEP_BYTES {
                kept_bytes += bytes;
                kept[index] = Some((src, tgt));
            }
        }
    }
    let mut tables = Vec::new();
    let mut models = Vec::new();
    for (langs, sample, halves) in samples {
        if let Some(model) = CorpusModel::learn(halves) {
            models.push((langs.clone(), model));
        }
        let table = Lexicon::learn(sample);
        if !table.is_empty() {
            tables.push((langs, table));
        }
    }
    (tables, models, kept)
}
