//! Comparable mode: documents written independently on the same subject.
//!
//! A monotone path would force pairs between sentences that say different things. Here
//! each source sentence is compared with the target sentences that share at least one
//! key with it (an inverted index keeps this near-linear), and pairs with positive evidence
//! are linked strongest first, each sentence at most once (Melamed's competitive linking).
//! A pair's confidence is the posterior that it is a match: its evidence (a
//! log-likelihood ratio against the documents' own background) plus the prior odds that
//! two sentences taken at random match, so between independently written documents most
//! links come out low. Sentences with no candidate of positive evidence stay unaligned.
//!
//! Taken as it is, that sum is too sure of itself either way: the keys of a sentence count
//! as independent witnesses, and a fixed prior stands in for the documents' own share of
//! matches. A link's confidence therefore scales it by [`CONFIDENCE_SLOPE`], which changes
//! no link and no claim at 0.5, only how sure each one is said to be.

use std::collections::HashMap;

use super::evidence::lexicon::Links;
use super::evidence::{Scorer, Weights};
use super::params::Params;
use super::{Alignment, Bead, Evidence, Mode};
use crate::features::Features;

/// Keys found in more target sentences than this are too common to propose candidates.
const MAX_POSTINGS: usize = 64;

/// The share of the shorter document's sentences assumed to have a partner in the other.
/// Independently written documents share a few facts, not most of them.
const MATCHED_SHARE: f64 = 0.2;

/// The scale of a link's log odds (evidence plus prior) that makes its confidence
/// calibrated, chosen by leaving one family out over documents built from translations in
/// six language families and the seeds' EN-FR pairs (`scripts/eval-comparable.py`). Given a
/// word table, the scale fitted with any one family held out lies between 0.55 and 0.59, and
/// the links' calibration error falls from 0.09 to 0.03 (0.10 to 0.04 on windows drawn
/// with another seed); without a table, from 0.09 to 0.04.
pub const CONFIDENCE_SLOPE: f64 = 0.57;

/// Log prior odds that a given source sentence and a given target sentence state the same
/// thing: about `MATCHED_SHARE × min(n, m)` matches among `n × m` pairs.
pub fn prior_log_odds(n: usize, m: usize) -> f64 {
    let pairs = (n.max(1) * m.max(1)) as f64;
    let matches = (MATCHED_SHARE * n.min(m).max(1) as f64).min(pairs / 2.0);
    (matches / (pairs - matches)).ln()
}

/// The evidence that source unit `i` and target unit `j` state the same thing, as a log
/// likelihood ratio: shared words, names and numbers, weighed by their rarity. Length and
/// punctuation are left out: independently written sentences need not agree in either.
pub fn match_evidence(scorer: &mut Scorer<'_>, i: usize, j: usize) -> Evidence {
    let (lexical, numbers) = scorer.lexical(i, j);
    Evidence {
        length: 0.0,
        lexical,
        numbers,
        punctuation: 0.0,
    }
}

/// The probability that two sentences state the same thing, given their evidence, before
/// the scaling of [`CONFIDENCE_SLOPE`]: the parallel mode's calibration was fitted on it.
pub fn match_probability(evidence: &Evidence, prior: f64) -> f64 {
    logistic(evidence.lexical + evidence.numbers + prior)
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Aligns `fs` and `ft` as comparable documents; `links` are word translations given to
/// the aligner (a table learned from a parallel corpus of the language pair, or a
/// dictionary): the only way sentences of languages that share no words can meet.
pub fn align(
    fs: &[Features],
    ft: &[Features],
    params: Params,
    weights: Weights,
    links: &Links,
) -> Alignment {
    let (n, m) = (fs.len(), ft.len());
    let mut scorer = Scorer::with_links(fs, ft, params, weights, links);
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (j, unit) in ft.iter().enumerate() {
        for key in &unit.keys {
            postings
                .entry(links.translate(key.hash()))
                .or_default()
                .push(j);
        }
    }
    let prior = prior_log_odds(n, m);
    let mut best_src: Vec<Option<f64>> = vec![None; n];
    let mut best_tgt: Vec<Option<f64>> = vec![None; m];
    let mut scored: Vec<(f64, usize, usize, Evidence)> = Vec::new();
    let mut candidates = Vec::new();
    for (i, unit) in fs.iter().enumerate() {
        candidates.clear();
        for key in &unit.keys {
            if let Some(list) = postings.get(&key.hash())
                && list.len() <= MAX_POSTINGS
            {
                candidates.extend_from_slice(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &j in &candidates {
            let found = match_evidence(&mut scorer, i, j);
            let score = found.lexical + found.numbers;
            for best in [&mut best_src[i], &mut best_tgt[j]] {
                if best.is_none_or(|s| score > s) {
                    *best = Some(score);
                }
            }
            if score > 0.0 {
                scored.push((score, i, j, found));
            }
        }
    }
    // Competitive linking: the strongest pair first, each sentence in one pair at most. A
    // sentence whose best partner is taken by a stronger pair can still pair with its next
    // best, which mutual best matches alone would leave unaligned. Ties break by position so
    // the output does not depend on the order of the candidates.
    scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut partner_of_src: Vec<Option<(usize, f64, Evidence)>> = vec![None; n];
    let mut partner_of_tgt = vec![None; m];
    for &(score, i, j, found) in &scored {
        if partner_of_src[i].is_none() && partner_of_tgt[j].is_none() {
            partner_of_src[i] = Some((j, score, found));
            partner_of_tgt[j] = Some(i);
        }
    }
    let mut beads = Vec::with_capacity(n + m);
    for (i, partner) in partner_of_src.iter().enumerate() {
        match *partner {
            Some((j, score, evidence)) => beads.push(Bead {
                src: i..i + 1,
                tgt: j..j + 1,
                confidence: link_confidence(score, prior),
                evidence,
            }),
            None => beads.push(Bead {
                src: i..i + 1,
                tgt: m..m,
                confidence: unmatched_confidence(best_src[i], prior),
                evidence: Evidence::default(),
            }),
        }
    }
    for j in 0..m {
        if partner_of_tgt[j].is_none() {
            beads.push(Bead {
                src: n..n,
                tgt: j..j + 1,
                confidence: unmatched_confidence(best_tgt[j], prior),
                evidence: Evidence::default(),
            });
        }
    }
    Alignment {
        beads,
        mode: Mode::Comparable,
        looks_comparable: true,
        band_capped: false,
    }
}

/// The confidence of a link of evidence `score` between documents of prior log odds `prior`.
fn link_confidence(score: f64, prior: f64) -> f64 {
    logistic(CONFIDENCE_SLOPE * (score + prior))
}

/// The probability that a sentence truly has no partner: one minus the chance that its
/// best candidate was a match.
fn unmatched_confidence(best: Option<f64>, prior: f64) -> f64 {
    match best {
        Some(score) => 1.0 - link_confidence(score, prior),
        None => 1.0,
    }
}
