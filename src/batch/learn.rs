//! The learning pass: one table of word translations per language pair of a batch.

use std::path::Path;

use rayon::prelude::*;

use super::*;
use crate::align::{Aligner, BeadSample, Lexicon};

/// Pairs whose first passes are gathered at once: enough to keep every thread busy, few
/// enough that their samples do not pile up before they are added in order.
const LEARN_CHUNK: usize = 256;

/// The learning pass over a batch: the first pass of every pair that will be aligned, its
/// confident beads added up per language pair in the manifest's order (so the tables do
/// not depend on the thread count), and one table learned for each language pair. Pairs
/// that cannot be read are left to the alignment pass, which reports them.
pub fn learn(
    jobs: &[Job],
    out_dir: Option<&Path>,
    aligner: &Aligner,
    options: &BatchOptions,
) -> Vec<((String, String), Lexicon)> {
    let pairs: Vec<&Pair> = jobs
        .iter()
        .filter_map(|job| job.pair.as_ref().ok())
        .filter(|pair| {
            out_dir.is_none_or(|dir| {
                !resume_skips(dir, &output_name(&pair.id, options.format), options)
            })
        })
        .collect();
    let mut samples: Vec<((String, String), BeadSample)> = Vec::new();
    for chunk in pairs.chunks(LEARN_CHUNK) {
        let found: Vec<Option<((String, String), BeadSample)>> = chunk
            .par_iter()
            .with_max_len(1)
            .map(|pair| {
                let src = load(&pair.src, &pair.src_lang, options).ok()?;
                let tgt = load(&pair.tgt, &pair.tgt_lang, options).ok()?;
                let sample = aligner.sample(&src, &tgt);
                Some(((src.lang, tgt.lang), sample))
            })
            .collect();
        for (langs, sample) in found.into_iter().flatten() {
            match samples.iter_mut().find(|(l, _)| *l == langs) {
                Some((_, all)) => all.extend(sample),
                None => samples.push((langs, sample)),
            }
        }
    }
    samples
        .into_iter()
        .map(|(langs, sample)| (langs, Lexicon::learn(sample)))
        .filter(|(_, table)| !table.is_empty())
        .collect()
}
