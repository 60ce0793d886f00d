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
//!
//! Given a word table (learned from a parallel corpus of the language pair, or a
//! dictionary), the documents are taken for partial translations of each other, and two
//! more things can be told. A matched pair's lengths agree as a translation's do: the log
//! ratio of its lengths follows a narrow law, that of two sentences taken at random a wide
//! one. And a sentence has at most one partner, so its candidates are rivals: a pair's
//! probability weighs its evidence (its keys found and missed, and its lengths) against
//! that of every other pair in its row and in its column (the pairs that share no key
//! counted by their misses alone). EM estimates from the two documents the share of
//! sentences that have a partner and the rates at which a matched pair's words and numbers
//! turn up in the partner: a table that links most words makes a missing word evidence
//! against a pair, one that links few does not. Pairs are then linked most probable
//! first, and a link's confidence is its probability with the log odds scaled and shifted
//! by [`TABLE_SCALE`] and [`TABLE_SHIFT`].
//!
//! A table learned from a parallel text also holds a word model (IBM Model 1 over every
//! word, short ones included, and each word's head and ending as units of their own).
//! Given one, a pair's evidence is how much likelier each sentence's words are given the
//! other's under the model than by their own frequency
//! (sentences on the same subject share topic words, but only a translation explains the
//! grammar words too), plus its lengths' evidence and its numbers', weighed by
//! [`MARGIN_LENGTH_WEIGHT`] and [`MARGIN_NUMBER_WEIGHT`], and whether the words the model
//! links come in the same order on both sides ([`super::evidence::order`], weighed by
//! [`ORDER_WEIGHT`]): a bag of words tells a translation from a sentence on the same
//! subject less well than the order of its words does. That sum counts every word as an
//! independent witness, so long sentences score far from zero either way whatever they
//! say; what tells a translation is how far a pair stands above its rivals. Pairs are
//! therefore ranked by their *margin*, as in margin-based bitext mining (Artetxe and
//! Schwenk 2019): the log of the pair's likelihood ratio over the mean ratio of its
//! [`RIVALS`] strongest rivals in its row, and in its column, averaged (where a line holds
//! fewer candidates, pairs that are not candidates count by their misses alone). The model
//! proposes at most [`MAX_WORD_CANDIDATES`] candidates per sentence, so the time stays
//! linear in the documents' length. A link's confidence is its margin in units of the
//! spread of every candidate's margin in the two documents ([`margin_spread`]), scaled and
//! shifted by [`MARGIN_SCALE`] and [`MARGIN_SHIFT`]: how far a margin stands out depends
//! on how many words the documents' sentences hold and how much of them the table knows
//! (long literary sentences and an in-domain table spread margins three times as wide as
//! Bible verses do), and only the document itself can say which.

use std::collections::HashMap;

use super::evidence::keys::{KeyCounts, frequencies};
use super::evidence::lexicon::{Links, PairEvidence, WordModel};
use super::evidence::order::OrderEvidence;
use super::evidence::{Scorer, Weights};
use super::lattice::log_sum_exp;
use super::params::Params;
use super::{Alignment, Bead, Evidence, Mode};
use crate::features::{Features, KeyKind, WordOrder};

/// Keys found in more target sentences than this are too common to propose candidates.
const MAX_POSTINGS: usize = 64;

/// How many of a line's strongest other pairs a pair's margin is taken over: Artetxe and
/// Schwenk's k-nearest-neighbour margin with their k. On the documents of
/// `scripts/eval-comparable.py --learn-rest` it finds what the mean over every pair of the
/// line found (share of translated lines at precision 0.9: 0.461 and 0.445 on seeds 2024
/// and 7, against 0.462 and 0.444), and unlike that mean it does not change when the
/// weakest candidates are left out ([`MAX_WORD_CANDIDATES`]).
const RIVALS: usize = 4;

/// The most candidates the word model proposes for a target sentence
/// ([`WordEvidence::candidates`]). Weighing a pair costs the model's partners of each of
/// its words, and without a bound nearly every pair of two documents of a few thousand
/// sentences was weighed: time grew with the square of their length (Chinese-English
/// chapters, 1,000 sentences a side 5.5 s, 2,000 18 s). With 128, on the documents of
/// `scripts/eval-comparable.py --learn-rest` (160 sentences a side) the share of translated
/// lines found at precision 0.9 is 0.458 and 0.444 (seeds 2024 and 7; 0.461 and 0.445
/// unbounded), with 96 0.456 and 0.429, with 64 0.440 and 0.438.
const MAX_WORD_CANDIDATES: usize = 128;

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

/// The spread (root mean square about the documents' own ratio) of the log length ratio of
/// a sentence and its translation, given a word table. On the Bible pairs of
/// `scripts/eval-comparable.py` (both seeds) it is 0.27 with any one family left out
/// (0.266 to 0.279; 0.21 to 0.31 in the families themselves); between sentences taken at
/// random it is about 0.6.
const LENGTH_SPREAD: f64 = 0.27;

/// Rounds of the estimate of the share of sentences that have a partner and of the key
/// rates.
const ROUNDS: usize = 6;

/// Weight, in sentences, of [`MATCHED_SHARE`] against the share the documents show.
const SHARE_PSEUDO_SENTENCES: f64 = 20.0;

/// The scale of a link's log odds, given a word table, that makes its confidence
/// calibrated with [`TABLE_SHIFT`]: the keys of a sentence count as independent
/// witnesses, and the probability is too sure of itself either way. Chosen by leaving one
/// family out over documents built from translations in six language families
/// (`scripts/eval-comparable.py --learn-rest`, the windows of seeds 2024 and 7 together):
/// the scale and shift fitted on the other families, with any one held out, lie within
/// 0.98 to 1.02 and -0.04 to +0.05 of these, and each family's calibration error held out
/// between 0.023 and 0.041.
pub const TABLE_SCALE: f64 = 0.72;

/// The shift of a link's log odds, given a word table (see [`TABLE_SCALE`]): the share of
/// sentences with a partner that EM finds where most matched pairs share few keys falls
/// short of the true one.
pub const TABLE_SHIFT: f64 = 1.28;

/// The weight, given a word model, of a pair's length evidence against the model's: the
/// model sums a likelihood ratio over every word (and its head and ending,
/// [`crate::features::comparable_words`]) as though each were an independent witness, and
/// lengths, one witness, are drowned out at 1. Chosen by leaving one language family out
/// (`scripts/eval-comparable.py --learn-rest`, seeds 2024 and 7 together, by the share of
/// translated lines found at precision 0.9): of 4, 5, 6, 8, 12 and 16, the other families
/// chose 8 or 12 with each one held out (three families each; 0.433 and 0.434 pooled, 4
/// gives 0.027 less, 16 0.013 less); a weight of 1 on the keys instead gave less pooled
/// with each length weight of 2 to 4. With the order evidence ([`ORDER_WEIGHT`],
/// `--windows 10`), of 4, 6, 8, 12 and 16 three held-out families chose 6 and three 8
/// (0.540 and 0.541 pooled).
const MARGIN_LENGTH_WEIGHT: f64 = 8.0;

/// The weight, given a word model, of the evidence of the numbers two sentences share or
/// miss: the model leaves numbers out. The keys' words (names, stems, the table's sure
/// pairs) are not weighed: the model holds the same words, softly. Chosen with
/// [`MARGIN_LENGTH_WEIGHT`], when the keys' words and numbers had one weight: of 0, 0.5 and
/// 1, five of six held-out families chose 0.5. With the order evidence
/// ([`ORDER_WEIGHT`]), every held-out family chose 0 for the keys' words of 0, 0.25, 0.5
/// and 1 (0.539 held out against 0.530 at 0.5); the documents it was chosen on hold
/// almost no numbers, so theirs keeps the weight of 0.5.
const MARGIN_NUMBER_WEIGHT: f64 = 0.5;

/// The weight, given a word model, of the order evidence (the z-scores of Kendall's tau
/// between the positions of a pair's linked words, both ways, [`OrderEvidence`]) added to
/// the model's: the model weighs words as a bag. Chosen by leaving one language family out
/// (`scripts/eval-comparable.py --learn-rest --windows 10`, seeds 2024 and 7 together, by
/// the share of translated lines found at precision 0.9): with the target words' links
/// alone, of 0, 2, 3, 4, 5, 6, 7, 8, 10 and 12 every held-out family chose 6, and every
/// family gained from it (pooled 0.474 at 0, 0.535 at 6; Achuar, the least, 0.159 to
/// 0.286). Taken both ways, Stouffer's sum beat the mean of the two z-scores with every
/// family held out (0.563 pooled against 0.559; 0.545 one way), and of 4, 5, 6, 7, 8 and
/// 10 five held-out families chose 6 and one 5.
const ORDER_WEIGHT: f64 = 6.0;

/// The scale of a link's margin, in units of the documents' [`margin_spread`], that makes
/// its confidence calibrated with [`MARGIN_SHIFT`]: Platt's scaling fitted with every
/// development family weighed alike (`scripts/calibrate-comparable.py`: the six language
/// families of the Bible pairs of `scripts/eval-comparable.py --learn-rest --windows 10`
/// and the Chinese-English novels of `scripts/eval-comparable-mac.py`, given a table learned
/// from the other chapters or from all of them, seeds 2024 and 7). Fitted with any one
/// family held out, the map differs from this one by a factor of 0.99 to 1.05 and a shift
/// of -0.01 to +0.20, and the held-out family's calibration error is 0.027 to 0.037 on the
/// Bible families and 0.079 and 0.084 on the novels. One map on the raw margin, fitted on
/// the Bible alone, gave the novels 0.23: their margins spread two to three times as wide.
pub const MARGIN_SCALE: f64 = 4.52;

/// The shift of a link's scaled margin (see [`MARGIN_SCALE`]).
pub const MARGIN_SHIFT: f64 = -2.34;

/// The spread assumed for documents too small to show their own (see [`margin_spread`]):
/// about that of the Bible verses' margins given a table learned from the rest of the book.
const TYPICAL_MARGIN_SPREAD: f64 = 25.0;

/// The weight, in candidate pairs, of [`TYPICAL_MARGIN_SPREAD`] against the documents'
/// own spread: it settles a document of a few candidates and is lost in one of thousands
/// (the development documents hold 12,000 to 40,000).
const SPREAD_PSEUDO_CANDIDATES: f64 = 100.0;

/// Keeps a pair's likelihood ratio finite.
const MAX_LOG_RATIO: f64 = 600.0;

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

/// A word model learned from a parallel corpus, with the words of each sentence of both
/// documents.
pub struct WordEvidence<'a> {
    /// The model.
    pub model: &'a WordModel,
    /// The source sentences' words ([`crate::features::comparable_words`]).
    pub src: &'a [Vec<u64>],
    /// The target sentences' words.
    pub tgt: &'a [Vec<u64>],
    /// The source sentences' words in order ([`WordOrder`]).
    pub src_order: &'a [WordOrder],
    /// The target sentences' words in order.
    pub tgt_order: &'a [WordOrder],
}

/// Aligns `fs` and `ft` as comparable documents; `links` are word translations given to
/// the aligner (a table learned from a parallel corpus of the language pair, or a
/// dictionary): the only way sentences of languages that share no words can meet. A
/// table's word model, given with the sentences' words, weighs the pairs in their place.
pub fn align(
    fs: &[Features],
    ft: &[Features],
    params: Params,
    weights: Weights,
    links: &Links,
    words: Option<&WordEvidence<'_>>,
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
    let mut pairs: Vec<(usize, usize)> = Vec::new();
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
        pairs.extend(candidates.iter().map(|&j| (i, j)));
    }
    if let Some(words) = words {
        pairs.extend(words.candidates());
        pairs.sort_unstable();
        pairs.dedup();
    }
    let mut found: Vec<Candidate> = pairs
        .into_iter()
        .map(|(i, j)| {
            let evidence = match_evidence(&mut scorer, i, j);
            Candidate {
                i,
                j,
                score: evidence.lexical + evidence.numbers,
                evidence,
            }
        })
        .collect();
    let links = match words {
        Some(words) => by_margin(fs, ft, params, weights, links, words, &mut found),
        None if links.is_empty() => by_evidence(n, m, &found),
        None => by_probability(fs, ft, params, weights, links, &mut found),
    };
    let mut beads = Vec::with_capacity(n + m);
    let mut taken = vec![false; m];
    for (i, link) in links.src.iter().enumerate() {
        match *link {
            Some((c, confidence)) => {
                let Candidate { j, evidence, .. } = found[c];
                taken[j] = true;
                beads.push(Bead {
                    src: i..i + 1,
                    tgt: j..j + 1,
                    confidence,
                    evidence,
                });
            }
            None => beads.push(Bead {
                src: i..i + 1,
                tgt: m..m,
                confidence: links.unmatched_src[i],
                evidence: Evidence::default(),
            }),
        }
    }
    for (j, (&taken, &confidence)) in taken.iter().zip(&links.unmatched_tgt).enumerate() {
        if !taken {
            beads.push(Bead {
                src: n..n,
                tgt: j..j + 1,
                confidence,
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

impl WordEvidence<'_> {
    /// For each target sentence, the [`MAX_WORD_CANDIDATES`] source sentences that hold the
    /// most of the words the model links to its words (summed by the model's probability),
    /// through words in at most [`MAX_POSTINGS`] source sentences (the grammar words link
    /// everything).
    fn candidates(&self) -> Vec<(usize, usize)> {
        let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, words) in self.src.iter().enumerate() {
            for &w in words {
                postings.entry(w).or_default().push(i);
            }
        }
        let mut pairs = Vec::new();
        let mut linked = vec![0.0f64; self.src.len()];
        let mut rows: Vec<usize> = Vec::new();
        for (j, words) in self.tgt.iter().enumerate() {
            for &(partner, p) in words
                .iter()
                .filter_map(|w| self.model.forward_partners(*w))
                .flatten()
            {
                if let Some(list) = postings.get(&partner)
                    && list.len() <= MAX_POSTINGS
                {
                    for &i in list {
                        if linked[i] == 0.0 {
                            rows.push(i);
                        }
                        linked[i] += f64::from(p);
                    }
                }
            }
            rows.sort_unstable_by(|&a, &b| linked[b].total_cmp(&linked[a]).then(a.cmp(&b)));
            for &i in &rows {
                linked[i] = 0.0;
            }
            rows.truncate(MAX_WORD_CANDIDATES);
            rows.sort_unstable();
            pairs.extend(rows.iter().map(|&i| (i, j)));
            rows.clear();
        }
        pairs
    }

    /// Each candidate's log likelihood ratio under the model, and each sentence's when it
    /// meets no word it could be explained by (the misses of the pairs that are not
    /// candidates), source then target.
    fn evidence(&self, found: &[Candidate]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut pairs = PairEvidence::new(self.model, self.src, self.tgt);
        let ratios = found.iter().map(|c| pairs.of(c.i, c.j)).collect();
        let misses = |sentences: &[Vec<u64>]| {
            sentences
                .iter()
                .map(|w| w.len() as f64 * WordModel::miss())
                .collect()
        };
        (ratios, misses(self.src), misses(self.tgt))
    }
}

/// With a word model: each candidate's evidence (the model's, its lengths', its keys'),
/// and its margin over its rivals: its likelihood ratio against the mean of the ratios of
/// its [`RIVALS`] strongest rivals in its row and in its column (geometric mean of the
/// two). Linked by margin, strongest first.
fn by_margin(
    fs: &[Features],
    ft: &[Features],
    params: Params,
    weights: Weights,
    links: &Links,
    words: &WordEvidence<'_>,
    found: &mut [Candidate],
) -> Chosen {
    let (n, m) = (fs.len(), ft.len());
    let log_len =
        |units: &[Features]| -> Vec<f64> { units.iter().map(|u| u.len.max(1.0).ln()).collect() };
    let (src_len, tgt_len) = (log_len(fs), log_len(ft));
    let law = LengthLaw::of(&src_len, &tgt_len);
    let (ratios, model_src_miss, model_tgt_miss) = words.evidence(found);
    let mut scorer = Scorer::with_links(fs, ft, params, weights, links);
    let (key_src_miss, key_tgt_miss) = scorer.misses();
    let mut order = OrderEvidence::new(words.model, words.src_order, words.tgt_order);
    for (c, &ratio) in found.iter_mut().zip(&ratios) {
        let keys = match_evidence(&mut scorer, c.i, c.j);
        // The order's evidence goes with the words': it tells which bag of words is a
        // translation. The keys' words are the model's words again, and only their
        // numbers are weighed.
        c.evidence = Evidence {
            length: MARGIN_LENGTH_WEIGHT * law.evidence(tgt_len[c.j] - src_len[c.i]),
            lexical: ratio + ORDER_WEIGHT * order.of(c.i, c.j),
            numbers: MARGIN_NUMBER_WEIGHT * keys.numbers,
            punctuation: 0.0,
        };
        c.score = c.evidence.lexical + c.evidence.numbers + c.evidence.length;
    }
    let background = |model: &[f64], keys: &[[f64; 2]]| -> Vec<f64> {
        model
            .iter()
            .zip(keys)
            .map(|(a, [_, numbers])| a + MARGIN_NUMBER_WEIGHT * numbers)
            .collect()
    };
    let (src_miss, tgt_miss) = (
        background(&model_src_miss, &key_src_miss),
        background(&model_tgt_miss, &key_tgt_miss),
    );
    // A pair that is not a candidate counts by its misses; a line's such pair, by the
    // misses of the line's sentence and the mean ratio of the other side's.
    let log_mean = |x: &[f64]| log_sum_exp(x) - (x.len().max(1) as f64).ln();
    let (src_back, tgt_back) = (log_mean(&src_miss), log_mean(&tgt_miss));
    let row = NearestRivals::of(n, found, |c| c.i, RIVALS);
    let col = NearestRivals::of(m, found, |c| c.j, RIVALS);
    let margin: Vec<f64> = found
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let by_row = row.log_mean(k, c.i, src_miss[c.i] + tgt_back);
            let by_col = col.log_mean(k, c.j, tgt_miss[c.j] + src_back);
            c.score - 0.5 * (by_row + by_col)
        })
        .collect();
    let spread = margin_spread(&margin);
    link_ranked(n, m, found, &margin, f64::NEG_INFINITY, |x| {
        logistic(MARGIN_SCALE * x / spread + MARGIN_SHIFT)
    })
}

/// The standard deviation of the candidates' margins, drawn towards
/// [`TYPICAL_MARGIN_SPREAD`] by [`SPREAD_PSEUDO_CANDIDATES`]: the unit in which a margin
/// tells a translation from a pair that merely shares a subject. Almost every candidate is
/// such a pair, so the spread measures how loud a document's evidence is when it says
/// nothing: the sum over every word grows with the sentences' length and with how much
/// of them the table covers.
fn margin_spread(margin: &[f64]) -> f64 {
    let finite = || margin.iter().copied().filter(|x| x.is_finite());
    let count = finite().count() as f64;
    let mean = finite().sum::<f64>() / count.max(1.0);
    let squares: f64 = finite().map(|x| (x - mean) * (x - mean)).sum();
    let prior = SPREAD_PSEUDO_CANDIDATES * TYPICAL_MARGIN_SPREAD * TYPICAL_MARGIN_SPREAD;
    ((squares + prior) / (count + SPREAD_PSEUDO_CANDIDATES)).sqrt()
}

/// Competitive linking of the candidates of positive evidence by `rank` (ties broken by
/// position, so the output does not depend on the candidates' order), each link given
/// `confidence(rank)`; a sentence's chance of having no partner is one less the confidence
/// of its best-ranked candidate (`none` ranks a sentence with no candidate).
fn link_ranked(
    n: usize,
    m: usize,
    found: &[Candidate],
    rank: &[f64],
    none: f64,
    confidence: impl Fn(f64) -> f64,
) -> Chosen {
    let mut best_src = vec![none; n];
    let mut best_tgt = vec![none; m];
    for (c, &x) in found.iter().zip(rank) {
        best_src[c.i] = best_src[c.i].max(x);
        best_tgt[c.j] = best_tgt[c.j].max(x);
    }
    let mut order: Vec<usize> = (0..found.len()).filter(|&c| found[c].score > 0.0).collect();
    order.sort_unstable_by(|&a, &b| {
        rank[b]
            .total_cmp(&rank[a])
            .then((found[a].i, found[a].j).cmp(&(found[b].i, found[b].j)))
    });
    Chosen {
        src: link(n, m, found, &order)
            .into_iter()
            .map(|c| c.map(|c| (c, confidence(rank[c]))))
            .collect(),
        unmatched_src: best_src.iter().map(|&x| 1.0 - confidence(x)).collect(),
        unmatched_tgt: best_tgt.iter().map(|&x| 1.0 - confidence(x)).collect(),
    }
}

/// The strongest candidates of each row (or column), by score: a pair's rivals are the
/// [`RIVALS`] strongest other pairs of its line (its nearest neighbours, as margin-based
/// mining weighs them), so the margin does not hang on how many weak pairs a line holds,
/// nor on which of them the candidates' bound left out.
struct NearestRivals {
    /// Per line: up to `rivals + 1` candidates, strongest first, as (score, index).
    strongest: Vec<Vec<(f64, usize)>>,
    rivals: usize,
}

impl NearestRivals {
    fn of(
        lines: usize,
        found: &[Candidate],
        line_of: impl Fn(&Candidate) -> usize,
        rivals: usize,
    ) -> NearestRivals {
        let mut strongest: Vec<Vec<(f64, usize)>> = vec![Vec::new(); lines];
        let stronger = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        for (k, c) in found.iter().enumerate() {
            let line = &mut strongest[line_of(c)];
            let entry = (c.score, k);
            let at = line.partition_point(|e| stronger(e, &entry).is_lt());
            if at <= rivals {
                line.insert(at, entry);
                line.truncate(rivals + 1);
            }
        }
        NearestRivals { strongest, rivals }
    }

    /// The log of the mean likelihood ratio of candidate `k`'s rivals in `line`: its
    /// strongest other candidates, and where the line holds fewer, pairs that are not
    /// candidates, of log ratio `background`.
    fn log_mean(&self, k: usize, line: usize, background: f64) -> f64 {
        let mut scores: Vec<f64> = self.strongest[line]
            .iter()
            .filter(|&&(_, other)| other != k)
            .take(self.rivals)
            .map(|&(score, _)| score.min(MAX_LOG_RATIO))
            .collect();
        scores.resize(self.rivals.max(1), background);
        log_sum_exp(&scores) - (scores.len() as f64).ln()
    }
}

/// A source and a target sentence that share a key, with their evidence.
struct Candidate {
    i: usize,
    j: usize,
    /// The evidence summed (words and numbers; length too given a table).
    score: f64,
    evidence: Evidence,
}

/// The links chosen: for each source sentence its candidate and the link's confidence,
/// and for each sentence left without a partner the confidence that it has none.
struct Chosen {
    src: Vec<Option<(usize, f64)>>,
    unmatched_src: Vec<f64>,
    unmatched_tgt: Vec<f64>,
}

/// Competitive linking over the candidates `order` names, strongest first: each sentence
/// in one pair at most. A sentence whose best partner is taken by a stronger pair can still
/// pair with its next best, which mutual best matches alone would leave unaligned.
fn link(n: usize, m: usize, found: &[Candidate], order: &[usize]) -> Vec<Option<usize>> {
    let mut partner_of_src = vec![None; n];
    let mut taken = vec![false; m];
    for &c in order {
        let Candidate { i, j, .. } = found[c];
        if partner_of_src[i].is_none() && !taken[j] {
            partner_of_src[i] = Some(c);
            taken[j] = true;
        }
    }
    partner_of_src
}

/// Without a word table: pairs of positive evidence, linked strongest first, each given
/// its evidence plus the prior odds, scaled by [`CONFIDENCE_SLOPE`].
fn by_evidence(n: usize, m: usize, found: &[Candidate]) -> Chosen {
    let prior = prior_log_odds(n, m);
    let mut best_src: Vec<Option<f64>> = vec![None; n];
    let mut best_tgt: Vec<Option<f64>> = vec![None; m];
    for c in found {
        for best in [&mut best_src[c.i], &mut best_tgt[c.j]] {
            if best.is_none_or(|s| c.score > s) {
                *best = Some(c.score);
            }
        }
    }
    // Ties break by position so the output does not depend on the order of the candidates.
    let mut order: Vec<usize> = (0..found.len()).filter(|&c| found[c].score > 0.0).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&found[a], &found[b]);
        b.score
            .total_cmp(&a.score)
            .then((a.i, a.j).cmp(&(b.i, b.j)))
    });
    Chosen {
        src: link(n, m, found, &order)
            .into_iter()
            .map(|c| c.map(|c| (c, link_confidence(found[c].score, prior))))
            .collect(),
        unmatched_src: best_src
            .iter()
            .map(|&best| unmatched_confidence(best, prior))
            .collect(),
        unmatched_tgt: best_tgt
            .iter()
            .map(|&best| unmatched_confidence(best, prior))
            .collect(),
    }
}

/// With a word table: the candidates' evidence given their lengths, their probabilities
/// given their rivals, linked most probable first (see the module's documentation).
fn by_probability(
    fs: &[Features],
    ft: &[Features],
    start: Params,
    weights: Weights,
    links: &Links,
    found: &mut [Candidate],
) -> Chosen {
    let (n, m) = (fs.len(), ft.len());
    let log_len =
        |units: &[Features]| -> Vec<f64> { units.iter().map(|u| u.len.max(1.0).ln()).collect() };
    let (src_len, tgt_len) = (log_len(fs), log_len(ft));
    let law = LengthLaw::of(&src_len, &tgt_len);
    let length: Vec<f64> = found
        .iter()
        .map(|c| law.evidence(tgt_len[c.j] - src_len[c.i]))
        .collect();
    let keys = KeyTally::of(fs, ft, links, found);
    let shorter = n.min(m).max(1) as f64;
    let mut matches = MATCHED_SHARE * shorter;
    let mut params = start;
    let mut probability = vec![0.0; found.len()];
    for round in 0..=ROUNDS {
        // The evidence under the current key rates: shared keys' hits, the rest's misses.
        let mut scorer = Scorer::with_links(fs, ft, params, weights, links);
        let (src_miss, tgt_miss) = scorer.misses();
        let total = |misses: Vec<[f64; 2]>| -> Vec<f64> {
            misses
                .into_iter()
                .map(|[words, numbers]| words + numbers)
                .collect()
        };
        let (src_miss, tgt_miss) = (total(src_miss), total(tgt_miss));
        for (c, &length) in found.iter_mut().zip(&length) {
            c.evidence = match_evidence(&mut scorer, c.i, c.j);
            c.evidence.length = length;
            c.score = c.evidence.lexical + c.evidence.numbers + length;
        }
        // Every pair's likelihood ratio summed per row and per column. A pair that shares
        // no key scores its misses; its length's likelihood ratio averages 1 over pairs
        // taken at random, so it is left out of their sum.
        let all_src: f64 = src_miss.iter().map(|x| x.exp()).sum();
        let all_tgt: f64 = tgt_miss.iter().map(|x| x.exp()).sum();
        let mut row: Vec<f64> = src_miss.iter().map(|x| x.exp() * all_tgt).collect();
        let mut col: Vec<f64> = tgt_miss.iter().map(|x| x.exp() * all_src).collect();
        for c in found.iter() {
            let ratio = c.score.exp() - (src_miss[c.i] + tgt_miss[c.j]).exp();
            row[c.i] += ratio;
            col[c.j] += ratio;
        }
        let share_src = (matches / n.max(1) as f64).clamp(1e-6, 1.0 - 1e-6);
        let share_tgt = (matches / m.max(1) as f64).clamp(1e-6, 1.0 - 1e-6);
        // The probability that a sentence has its partner in a given pair, of the row's
        // (or column's) likelihood ratios summing to `sum`.
        let given = |share: f64, other: usize, ratio: f64, sum: f64| {
            let odds = share / other as f64;
            odds * ratio / ((1.0 - share) + odds * sum.max(ratio))
        };
        for (c, p) in found.iter().zip(probability.iter_mut()) {
            let ratio = c.score.exp();
            let by_row = given(share_src, m, ratio, row[c.i]);
            let by_col = given(share_tgt, n, ratio, col[c.j]);
            // The odds against the pair add up its row's rivals and its column's.
            *p = if by_row > 0.0 && by_col > 0.0 {
                (1.0 / (1.0 / by_row + 1.0 / by_col - 1.0)).clamp(0.0, 1.0)
            } else {
                0.0
            };
        }
        if round == ROUNDS {
            break;
        }
        // The expected number of sentences that have a partner, the mean of the two
        // sides', and the key rates of the pairs as probable as they are, each drawn
        // towards its starting value.
        let partnered = |sums: &[f64], share: f64, other: usize| -> f64 {
            sums.iter().map(|&sum| given(share, other, sum, sum)).sum()
        };
        let expected = 0.5 * (partnered(&row, share_src, m) + partnered(&col, share_tgt, n));
        matches = ((expected + SHARE_PSEUDO_SENTENCES * MATCHED_SHARE)
            / (shorter + SHARE_PSEUDO_SENTENCES)
            * shorter)
            .clamp(0.5_f64.min(shorter), 0.95 * shorter);
        (params.word_rate, params.number_rate) = keys.rates(&probability, start);
    }
    link_ranked(n, m, found, &probability, 0.0, |p| {
        logistic(TABLE_SCALE * logit(p) + TABLE_SHIFT)
    })
}

/// What the key rates are estimated from: for each candidate, how many of the two
/// sentences' keys that the other document holds it shares, and how many there are
/// (words, numbers).
struct KeyTally {
    shared: Vec<[u32; 2]>,
    held: Vec<[u32; 2]>,
}

impl KeyTally {
    fn of(fs: &[Features], ft: &[Features], links: &Links, found: &[Candidate]) -> KeyTally {
        let (src_df, tgt_df) = frequencies(fs, ft, |hash| links.translate(hash));
        // Each sentence's keys the other document holds, as (hash, is a number), sorted.
        let held = |units: &[Features], translate: &dyn Fn(u64) -> u64, other: &KeyCounts| {
            units
                .iter()
                .map(|u| {
                    let mut keys: Vec<(u64, bool)> = u
                        .keys
                        .iter()
                        .map(|k| (translate(k.hash()), k.kind() != KeyKind::Word))
                        .filter(|(hash, _)| other.contains_key(hash))
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    keys
                })
                .collect::<Vec<_>>()
        };
        let src = held(fs, &|hash| hash, &tgt_df);
        let tgt = held(ft, &|hash| links.translate(hash), &src_df);
        let count = |keys: &[(u64, bool)]| {
            let numbers = keys.iter().filter(|k| k.1).count() as u32;
            [keys.len() as u32 - numbers, numbers]
        };
        let mut tally = KeyTally {
            shared: Vec::with_capacity(found.len()),
            held: Vec::with_capacity(found.len()),
        };
        for c in found {
            let (a, b) = (&src[c.i], &tgt[c.j]);
            let mut shared = [0u32; 2];
            let (mut x, mut y) = (0, 0);
            while x < a.len() && y < b.len() {
                match a[x].0.cmp(&b[y].0) {
                    std::cmp::Ordering::Less => x += 1,
                    std::cmp::Ordering::Greater => y += 1,
                    std::cmp::Ordering::Equal => {
                        // Found from both sides, as the evidence counts it.
                        shared[usize::from(a[x].1)] += 2;
                        x += 1;
                        y += 1;
                    }
                }
            }
            let (ka, kb) = (count(a), count(b));
            tally.shared.push(shared);
            tally.held.push([ka[0] + kb[0], ka[1] + kb[1]]);
        }
        tally
    }

    /// The word and number rates of pairs weighed by `probability`, drawn towards
    /// `start`'s as the parallel mode's estimate is.
    fn rates(&self, probability: &[f64], start: Params) -> (f64, f64) {
        let (mut hits, mut all) = ([0.0f64; 2], [0.0f64; 2]);
        for ((shared, held), &p) in self.shared.iter().zip(&self.held).zip(probability) {
            for kind in 0..2 {
                hits[kind] += p * f64::from(shared[kind]);
                all[kind] += p * f64::from(held[kind]);
            }
        }
        (
            ((hits[0] + start.word_rate * 20.0) / (all[0] + 20.0)).clamp(0.05, 0.95),
            ((hits[1] + start.number_rate * 10.0) / (all[1] + 10.0)).clamp(0.2, 0.98),
        )
    }
}

/// The law of a pair's log length ratio: narrow for a sentence and its translation, wide
/// for two sentences taken at random, both centred on the documents' own ratio.
struct LengthLaw {
    mean: f64,
    background: f64,
}

impl LengthLaw {
    fn of(src: &[f64], tgt: &[f64]) -> LengthLaw {
        let moments = |v: &[f64]| {
            let count = v.len().max(1) as f64;
            let mean = v.iter().sum::<f64>() / count;
            let variance = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / count;
            (mean, variance)
        };
        let ((ms, vs), (mt, vt)) = (moments(src), moments(tgt));
        LengthLaw {
            mean: mt - ms,
            background: (vs + vt).sqrt().max(LENGTH_SPREAD),
        }
    }

    /// The log likelihood ratio of a log length ratio `x` under the narrow law.
    fn evidence(&self, x: f64) -> f64 {
        let z = (x - self.mean) / LENGTH_SPREAD;
        let zb = (x - self.mean) / self.background;
        (self.background / LENGTH_SPREAD).ln() - 0.5 * z * z + 0.5 * zb * zb
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

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_that_agree_as_translations_do_are_evidence_for_a_match() {
        // Target sentences about 1.2 times as long as the source ones, spread widely.
        let src: Vec<f64> = [20.0, 40.0, 80.0, 160.0]
            .iter()
            .map(|x: &f64| x.ln())
            .collect();
        let tgt: Vec<f64> = [24.0, 48.0, 96.0, 192.0]
            .iter()
            .map(|x: &f64| x.ln())
            .collect();
        let law = LengthLaw::of(&src, &tgt);
        assert!((law.mean - 1.2f64.ln()).abs() < 1e-9);
        let at = |ratio: f64| law.evidence(ratio.ln());
        assert!(at(1.2) > 0.0);
        assert!(at(1.2) > at(1.4) && at(1.2) > at(1.0));
        assert!(at(3.0) < 0.0 && at(0.4) < 0.0);
    }

    fn candidate(i: usize, j: usize, score: f64) -> Candidate {
        Candidate {
            i,
            j,
            score,
            evidence: Evidence::default(),
        }
    }

    #[test]
    fn a_pair_s_rivals_are_the_strongest_of_its_line_but_itself() {
        let found = [
            candidate(0, 0, 3.0),
            candidate(0, 1, 1.0),
            candidate(0, 2, 2.0),
            candidate(1, 0, 5.0),
        ];
        let rivals = NearestRivals::of(2, &found, |c| c.i, 2);
        let mean = |x: &[f64]| (x.iter().map(|v| v.exp()).sum::<f64>() / x.len() as f64).ln();
        // The strongest pair's rivals are the next two; a weaker pair's, the two above it.
        assert!((rivals.log_mean(0, 0, -9.0) - mean(&[2.0, 1.0])).abs() < 1e-12);
        assert!((rivals.log_mean(1, 0, -9.0) - mean(&[3.0, 2.0])).abs() < 1e-12);
        // A line with too few candidates counts pairs that are not candidates.
        assert!((rivals.log_mean(3, 1, -1.0) - mean(&[-1.0, -1.0])).abs() < 1e-12);
        // Where candidates were left out, only the strongest counted: the same rivals.
        let fewer = NearestRivals::of(2, &found[..3], |c| c.i, 1);
        assert!((fewer.log_mean(1, 0, -9.0) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_margin_is_read_in_units_of_its_documents_spread() {
        // Margins of twice the spread make the same confidences; the typical spread's
        // pull is lost among thousands of candidates.
        for spread in [10.0, 60.0] {
            let margins: Vec<f64> = (0..10_000)
                .map(|k| if k % 2 == 0 { spread } else { -spread })
                .collect();
            assert!((margin_spread(&margins) / spread - 1.0).abs() < 0.03);
        }
    }

    #[test]
    fn a_document_of_few_candidates_gets_about_the_typical_spread() {
        assert_eq!(margin_spread(&[]), TYPICAL_MARGIN_SPREAD);
        assert_eq!(margin_spread(&[f64::NEG_INFINITY]), TYPICAL_MARGIN_SPREAD);
        let one = margin_spread(&[500.0, -500.0]);
        assert!(one > TYPICAL_MARGIN_SPREAD && one < 100.0);
    }

    #[test]
    fn a_dominant_pair_leaves_its_rivals_their_ratio() {
        // In sums of ratios, e^600 would drown a rival of ratio 1.
        let found = [candidate(0, 0, 600.0), candidate(0, 1, 0.0)];
        let rivals = NearestRivals::of(1, &found, |c| c.i, 1);
        assert_eq!(rivals.log_mean(0, 0, -5.0), 0.0);
        assert_eq!(rivals.log_mean(1, 0, -5.0), 600.0);
    }

    #[test]
    fn documents_of_one_length_each_make_lengths_tell_nothing_much() {
        // With no spread between sentences, the wide law is no wider than the narrow one.
        let law = LengthLaw::of(&[3.0, 3.0], &[3.5, 3.5]);
        assert!(law.evidence(0.5).abs() < 1e-9);
    }
}
