//! The confidence: whether two documents are translations at all, and each bead's
//! probability of being right.
//!
//! **The translation test** is a permutation test. On a sample of the documents (their
//! start, as far as the first path puts both sides), the best path scores some total with
//! the first pass's re-estimated parameters; the same search with the same parameters over
//! the same sentences, the target's shuffled, scores another (the mean of
//! [`SHUFFLES`] shuffled orders where the first leaves doubt). Between translations, lengths (and, where the languages share
//! them, names, numbers and cognates) agree bead after bead in the real order and not in a
//! shuffled one, so the real path gains a lot; between documents that are not
//! translations, the search fits a shuffled order about as well as the real one, since
//! neither means anything. The search's freedom to pick beads that fit is the same in both,
//! so it cancels out. Every language pair has this evidence, whether or not it shares a
//! word; shared words add to the gain where they occur in step, and topic words that occur
//! everywhere add as much to the shuffled path. The gain is scaled by the square root of
//! the sample's size, and the log odds grow with it ([`Z_VOTE`], [`Z_OFFSET`]).
//!
//! **Calibration.** A bead's raw posterior is computed from scores that treat the pieces
//! of evidence as independent, which they are not; the forward-backward pass's temperature
//! (`DEFAULT_TEMPERATURE`, 1.5) flattens the posteriors to make up for it, and the result
//! goes through a logistic map of its logit, with a slope and an offset for pair beads and
//! an offset for null beads ([`SLOPE`], [`PAIR_OFFSET`], [`NULL_OFFSET`]). Before the map,
//! the posterior gives up the odds of the beads the search does not build that would hold
//! the bead and a neighbour ([`unbuilt_rivals`], [`UNBUILT_PRIOR`]): a posterior is only as
//! sure as the inventory is complete, and where a translator wrote one sentence for five
//! the search is sure of the 1-4 bead and the null beside it. Cross-validated,
//! the full Platt map (slope and both offsets fitted) generalised worse to a held-out
//! family than fitting the null beads' offset alone: pair beads keep their posterior, and
//! a sentence left out, which the posterior makes too sure of itself, is discounted. When
//! the test leaves doubt that the documents are translations, a pair bead's confidence
//! mixes its calibrated posterior with the chance that its sentences say the same thing
//! anyway (the comparable-mode evidence).
//!
//! Every constant here was chosen by leave-one-family-out cross-validation over the
//! development families (Text+Berg, MAC, Bible, seeds), windows of their documents and
//! pairs that are not translations built from them: `scripts/calibrate.py` refits them and
//! prints the held-out figures, which `docs/accuracy.md` reports.

use super::evidence::lexicon::Links;
use super::evidence::{Scorer, Weights};
use super::lattice::PathBead;
use super::params::Params;
use super::search::Search;
use super::{Bead, comparable, params};
use crate::features::Features;
use rayon::prelude::*;

/// Log odds, translations against not, per unit of the test statistic: the score the real
/// pairing gains over the shuffled ones, divided by the square root of the sample's
/// sentences. Between documents that are not translations the gain is noise whose spread
/// grows with the square root of the sample, so the statistic is about a standard normal
/// there, whatever the documents' length and languages. Fitted with [`Z_OFFSET`] by
/// `scripts/calibrate.py` on all four families; with [`SHUFFLES`] it rose from 1.70 and
/// -1.93, and the held-out families' verdicts right went from 466 to 480 of 543 (Bible 245
/// to 253 of 287, MAC 153 to 159 of 184, Text+Berg 33 to 35 of 36, the seeds 35 to 33 of
/// 36).
pub const Z_VOTE: f64 = 2.22;

/// Log odds at a statistic of zero.
pub const Z_OFFSET: f64 = -2.29;

/// The translation test runs on at most this many sentences of each side, taken from the
/// start of the documents, so its cost stays small on long documents.
const SAMPLE: usize = 1_000;

/// Shuffled orders the real one is weighed against when the first leaves doubt. Between
/// documents that are not translations the real order's score is one draw and a shuffled
/// order's another, so one shuffle doubles the noise of the gain; their mean over four
/// leaves 1.25 times it. On 210 pairs of unrelated windows of 21 language pairs composed
/// from the Bible's (`scripts/eval-bible-pivot.py`), the statistic's spread fell from 0.68
/// to 0.53, and the gain of real translations over that spread rose by a quarter to a
/// third.
const SHUFFLES: u64 = 4;

/// A statistic from the first shuffle at or above which the others are not drawn: between
/// documents that are not translations it lies more than five of its spreads out, and
/// translations of more than a few dozen sentences reach it, so only the doubtful pay for
/// the further shuffles.
const SETTLED: f64 = 4.0;

/// Slope of the calibration map on the logit of a raw posterior.
pub const SLOPE: f64 = 1.0;

/// Offset of the calibration map for pair beads.
pub const PAIR_OFFSET: f64 = 0.0;

/// Offset of the calibration map for null beads. It was -2.48 before the discount of
/// [`unbuilt_rivals`]: much of a null bead's over-confidence is that of a null beside a
/// bead the inventory cannot make one sentence larger, which the discount now weighs where
/// it happens.
pub const NULL_OFFSET: f64 = -0.31;

/// Log prior of a bead type the search does not build, in the units of the scores: what
/// two neighbouring beads would have to gain by being one bead of a type outside the
/// inventory before that bead takes their confidence ([`unbuilt_rivals`]). Below every
/// prior the inventory gives, since such beads are rarer still. Chosen by
/// leave-one-family-out cross-validation with [`NULL_OFFSET`] (`scripts/calibrate.py`,
/// -16 to -8 and none, the least mean held-out ECE of the families of 100 beads or more):
/// held-out ECE of the Bible, MAC, the seeds and Text+Berg 0.015, 0.008, 0.160, 0.058
/// without it; 0.012, 0.008, 0.160, 0.039 at -16; 0.011, 0.010, 0.158, 0.032 at -12;
/// 0.010, 0.017, 0.153, 0.042 at -10; 0.012, 0.024, 0.135, 0.062 at -8.
pub const UNBUILT_PRIOR: f64 = -12.0;

/// Below this probability of being translations, documents are reported as not looking
/// like translations.
const COMPARABLE_BELOW: f64 = 0.5;

/// At or above this probability, the mixture with comparable evidence changes nothing worth
/// computing.
const SURE: f64 = 0.999;

/// What the translation test measures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TestStatistics {
    /// The score of the best path over the sample, minus the score of the best path when
    /// the sample's target sentences are shuffled (the same parameters, the same search).
    pub gain: f64,
    /// Sentences in the sample, both sides.
    pub units: usize,
}

impl TestStatistics {
    /// Runs the test on `fs` against `ft`, whose first-pass path is `path` (searched with
    /// `params` by `search`).
    pub fn of(
        search: &Search<'_>,
        fs: &[Features],
        ft: &[Features],
        params: Params,
        path: &[PathBead],
    ) -> TestStatistics {
        let n = fs.len().min(SAMPLE);
        let m = ft.len().min(SAMPLE);
        // The sample is where the path's beads end within both limits, so that its two
        // sides hold the same part of the documents.
        let (mut end_s, mut end_t) = (0, 0);
        for bead in path {
            if bead.i + bead.a > n || bead.j + bead.b > m {
                break;
            }
            end_s = bead.i + bead.a;
            end_t = bead.j + bead.b;
        }
        if end_s == 0 || end_t == 0 {
            return TestStatistics::default();
        }
        let score = |tgt: &[Features]| -> f64 {
            search
                .best_path(&fs[..end_s], tgt, params, &Links::default())
                .iter()
                .map(|b| b.score)
                .sum()
        };
        let (real, first) =
            rayon::join(|| score(&ft[..end_t]), || score(&shuffled(&ft[..end_t], 0)));
        let units = end_s + end_t;
        let null = if (real - first) / (units as f64).sqrt() >= SETTLED {
            first
        } else {
            let more: Vec<f64> = (1..SHUFFLES)
                .into_par_iter()
                .map(|draw| score(&shuffled(&ft[..end_t], draw)))
                .collect();
            (first + more.iter().sum::<f64>()) / SHUFFLES as f64
        };
        TestStatistics {
            gain: real - null,
            units,
        }
    }

    /// The probability that the documents are translations of each other.
    pub fn translation_probability(&self) -> f64 {
        if self.units == 0 {
            return 0.5;
        }
        logistic(Z_VOTE * self.statistic() + Z_OFFSET)
    }

    /// The gain per square root of the sample's sentences.
    pub fn statistic(&self) -> f64 {
        self.gain / (self.units.max(1) as f64).sqrt()
    }
}

/// The units in a fixed pseudo-random order (the same for every run, so output stays
/// deterministic), each still opening a paragraph where it did.
fn shuffled(units: &[Features], draw: u64) -> Vec<Features> {
    let mut out = units.to_vec();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(draw + 1);
    for k in (1..out.len()).rev() {
        // SplitMix64: cheap, well mixed, and no dependency for a fixed shuffle.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out.swap(k, (z % (k as u64 + 1)) as usize);
    }
    out
}

/// The outcome of the translation test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// The probability that the documents are translations of each other.
    pub translation: f64,
}

impl Verdict {
    /// True when the documents look independently written rather than translated.
    pub fn looks_comparable(&self) -> bool {
        self.translation < COMPARABLE_BELOW
    }
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A raw posterior mapped through the calibration.
pub fn calibrated(posterior: f64, is_pair: bool) -> f64 {
    let p = posterior.clamp(1e-6, 1.0 - 1e-6);
    let offset = if is_pair { PAIR_OFFSET } else { NULL_OFFSET };
    logistic(SLOPE * (p / (1.0 - p)).ln() + offset)
}

/// For each bead of `path`, the log of the summed odds, at `temperature`, of the beads
/// the inventory `types` lacks that would hold it and a neighbour: its merges with the
/// bead before it and the bead after it, scored by `scorer` with [`UNBUILT_PRIOR`]. The
/// search's posterior weighs only the bead types it builds: where a translator wrote one
/// sentence for five, or three for three, it is sure of the nearest beads it can build,
/// which are wrong. Each such merge is weighed against the two beads it replaces (`-inf`
/// where no merge lies outside the inventory).
pub fn unbuilt_rivals(
    scorer: &Scorer<'_>,
    path: &[PathBead],
    types: &[(usize, usize)],
    temperature: f64,
) -> Vec<f64> {
    let widest = path.iter().map(|b| b.a.max(b.b)).max().unwrap_or(0);
    // The log odds of the merge of each bead with the next.
    let merges: Vec<f64> = path
        .par_windows(2)
        .with_min_len(4096)
        .map_init(
            || scorer.wide_cache(2 * widest),
            |cache, pair| {
                let (x, y) = (&pair[0], &pair[1]);
                let (a, b) = (x.a + y.a, x.b + y.b);
                if a == 0 || b == 0 || types.contains(&(a, b)) {
                    return f64::NEG_INFINITY;
                }
                let parts = scorer.parts_with(cache, x.i, x.j, a, b);
                (parts.total() - parts.prior + UNBUILT_PRIOR - x.score - y.score) / temperature
            },
        )
        .collect();
    (0..path.len())
        .map(|k| {
            let before = if k > 0 {
                merges[k - 1]
            } else {
                f64::NEG_INFINITY
            };
            let after = merges.get(k).copied().unwrap_or(f64::NEG_INFINITY);
            let top = before.max(after);
            if top == f64::NEG_INFINITY {
                top
            } else {
                top + ((before - top).exp() + (after - top).exp()).ln()
            }
        })
        .collect()
}

/// A raw posterior discounted by the odds `rivals` ([`unbuilt_rivals`]) of the beads the
/// search could not build that would take its sentences.
pub fn discounted(posterior: f64, rivals: f64) -> f64 {
    posterior / (1.0 + rivals.exp())
}

/// Replaces the raw posteriors of `beads` (a parallel alignment of `fs` with `ft`) with
/// calibrated confidences, given the translation test's statistics.
pub fn calibrate(
    beads: &mut [Bead],
    rivals: &[f64],
    test: &TestStatistics,
    fs: &[Features],
    ft: &[Features],
    weights: Weights,
) -> Verdict {
    let verdict = Verdict {
        translation: test.translation_probability(),
    };
    for (bead, &rivals) in beads.iter_mut().zip(rivals) {
        bead.confidence = calibrated(discounted(bead.confidence, rivals), bead.is_pair());
    }
    if verdict.translation < SURE {
        // A bead is right either because the documents are translations and the path is
        // right, or because its sentences say the same thing anyway, which the
        // comparable-mode evidence measures. It leaves the learned links out: links learned
        // by assuming a translation would only confirm the assumption.
        let prior = comparable::prior_log_odds(fs.len(), ft.len());
        let mut scorer = Scorer::new(fs, ft, params::initial(fs, ft), weights);
        let parallel = verdict.translation;
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
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shuffle_is_a_fixed_permutation() {
        let units: Vec<Features> = (0..50)
            .map(|k| Features::of(&format!("sentence number {k}"), false))
            .collect();
        let once = shuffled(&units, 0);
        assert_eq!(once, shuffled(&units, 0), "the same order on every run");
        assert_ne!(once, shuffled(&units, 1), "each draw an order of its own");
        assert_ne!(once, units, "an order of its own");
        let mut hashes: Vec<u64> = once.iter().map(|u| u.keys[0].hash()).collect();
        let mut original: Vec<u64> = units.iter().map(|u| u.keys[0].hash()).collect();
        hashes.sort_unstable();
        original.sort_unstable();
        assert_eq!(hashes, original, "every unit once");
    }

    #[test]
    fn the_translation_probability_grows_with_the_statistic() {
        let at = |gain: f64, units: usize| TestStatistics { gain, units }.translation_probability();
        assert_eq!(at(0.0, 0), 0.5, "no sample, no evidence either way");
        // The statistic is the gain per square root of the sample: the same gain means
        // less in a larger sample.
        assert!(at(40.0, 100) > at(40.0, 400));
        assert!(at(0.0, 400) < 0.5 && at(100.0, 400) > 0.99);
        let verdict = Verdict {
            translation: at(0.0, 400),
        };
        assert!(verdict.looks_comparable());
    }

    #[test]
    fn a_bead_the_inventory_lacks_takes_confidence_from_the_beads_it_would_merge() {
        // One long source sentence whose translation is five target sentences of a fifth
        // of its length each, aligned as the inventory can: a 1-4 bead and a null beside it.
        let fs = vec![Features::of(&"word ".repeat(100), false)];
        let ft: Vec<Features> = [20, 20, 20, 20, 20]
            .iter()
            .map(|&n| Features::of(&"mot ".repeat(n), false))
            .collect();
        let scorer = Scorer::new(&fs, &ft, params::initial(&fs, &ft), Weights::default());
        let types = super::super::DEFAULT_BEAD_TYPES;
        let bead = |i: usize, j: usize, a: usize, b: usize| PathBead {
            i,
            j,
            a,
            b,
            score: scorer.parts_with(&mut scorer.cache(), i, j, a, b).total(),
            posterior: 0.99,
        };
        let split = [bead(0, 0, 1, 4), bead(1, 4, 0, 1)];
        let rivals = unbuilt_rivals(&scorer, &split, &types, 1.5);
        assert!(rivals.iter().all(|&r| r > 0.0), "{rivals:?}");
        assert!(rivals.iter().all(|&r| discounted(0.99, r) < 0.5));
        // A merge the inventory holds is already weighed by the posterior.
        let built = [bead(0, 0, 1, 3), bead(1, 3, 0, 1)];
        let rivals = unbuilt_rivals(&scorer, &built, &types, 1.5);
        assert!(rivals.iter().all(|&r| r == f64::NEG_INFINITY), "{rivals:?}");
        assert_eq!(discounted(0.99, f64::NEG_INFINITY), 0.99);
    }

    #[test]
    fn calibration_discounts_null_beads_and_keeps_pairs_in_order() {
        for p in [0.1, 0.5, 0.9] {
            assert!(calibrated(p, false) < calibrated(p, true));
        }
        assert!(calibrated(0.3, true) < calibrated(0.7, true));
        assert!((0.0..=1.0).contains(&calibrated(1.0, false)));
    }
}
