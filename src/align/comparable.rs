//! Comparable mode: documents written independently on the same subject.
//!
//! A monotone path would force pairs between sentences that say different things. Here
//! each source sentence is compared with the target sentences that share at least one
//! key with it (an inverted index keeps this near-linear), and only mutual best matches
//! are paired. A pair's confidence is the posterior that it is a match: its evidence (a
//! log-likelihood ratio against the documents' own background) plus the prior odds that
//! two sentences taken at random match. Everything else stays unaligned.

use std::collections::HashMap;

use super::model::{Params, Scorer, Weights};
use super::{Alignment, Bead, Evidence, Mode};
use crate::features::Features;

/// Keys found in more target sentences than this are too common to propose candidates.
const MAX_POSTINGS: usize = 64;

/// How much the length agreement counts next to the lexical evidence: independently
/// written sentences that say the same thing need not have proportional lengths.
const LENGTH_WEIGHT: f64 = 0.25;

/// Aligns `fs` and `ft` as comparable documents.
pub fn align(fs: &[Features], ft: &[Features], params: Params, weights: Weights) -> Alignment {
    let (n, m) = (fs.len(), ft.len());
    let mut scorer = Scorer::new(fs, ft, params, weights);
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (j, unit) in ft.iter().enumerate() {
        for key in &unit.keys {
            postings.entry(key.hash).or_default().push(j);
        }
    }
    // log odds that a given source sentence matches a given target sentence a priori:
    // at most one partner each, and many sentences have none.
    let prior = {
        let p = 0.5 / n.max(m) as f64;
        (p / (1.0 - p)).ln()
    };
    let mut best_src: Vec<Option<(usize, f64)>> = vec![None; n];
    let mut best_tgt: Vec<Option<(usize, f64)>> = vec![None; m];
    let mut evidence: HashMap<(usize, usize), Evidence> = HashMap::new();
    let mut candidates = Vec::new();
    for (i, unit) in fs.iter().enumerate() {
        candidates.clear();
        for key in &unit.keys {
            if let Some(list) = postings.get(&key.hash)
                && list.len() <= MAX_POSTINGS
            {
                candidates.extend_from_slice(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &j in &candidates {
            let parts = scorer.parts(i, j, 1, 1);
            let length = LENGTH_WEIGHT * (parts.length - weights.pair_bonus);
            let score = parts.lexical + parts.numbers + length;
            evidence.insert(
                (i, j),
                Evidence {
                    length,
                    lexical: parts.lexical,
                    numbers: parts.numbers,
                    punctuation: 0.0,
                },
            );
            if best_src[i].is_none_or(|(_, s)| score > s) {
                best_src[i] = Some((j, score));
            }
            if best_tgt[j].is_none_or(|(_, s)| score > s) {
                best_tgt[j] = Some((i, score));
            }
        }
    }
    let mut partner_of_tgt = vec![None; m];
    let mut beads = Vec::with_capacity(n + m);
    for (i, best) in best_src.iter().enumerate() {
        let mutual = best.filter(|&(j, _)| best_tgt[j].is_some_and(|(bi, _)| bi == i));
        match mutual {
            Some((j, score)) => {
                let confidence = 1.0 / (1.0 + (-(score + prior)).exp());
                partner_of_tgt[j] = Some(i);
                beads.push(Bead {
                    src: i..i + 1,
                    tgt: j..j + 1,
                    confidence,
                    evidence: evidence.get(&(i, j)).copied().unwrap_or_default(),
                });
            }
            None => beads.push(Bead {
                src: i..i + 1,
                tgt: m..m,
                confidence: unmatched_confidence(best.map(|(_, s)| s), prior),
                evidence: Evidence::default(),
            }),
        }
    }
    for j in 0..m {
        if partner_of_tgt[j].is_none() {
            beads.push(Bead {
                src: n..n,
                tgt: j..j + 1,
                confidence: unmatched_confidence(best_tgt[j].map(|(_, s)| s), prior),
                evidence: Evidence::default(),
            });
        }
    }
    Alignment {
        beads,
        mode: Mode::Comparable,
        looks_comparable: true,
    }
}

/// The probability that a sentence truly has no partner: one minus the chance that its
/// best candidate was a match.
fn unmatched_confidence(best: Option<f64>, prior: f64) -> f64 {
    match best {
        Some(score) => 1.0 - 1.0 / (1.0 + (-(score + prior)).exp()),
        None => 1.0,
    }
}
