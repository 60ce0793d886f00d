//! The document pair's parameters: the length ratio and variance and the rates at which
//! shared keys recur in aligned sentences, estimated in one place for the whole aligner.

use super::evidence::keys::frequencies;
use crate::features::{Features, KeyKind};

/// Parameters of the score, estimated per document pair (see [`Params::estimate`]).
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Target characters per source character.
    pub ratio: f64,
    /// Variance of target length per source character (Gale-Church's s²).
    pub variance: f64,
    /// Probability that a word key shared by the documents is found in an aligned partner.
    pub word_rate: f64,
    /// The same for numbers.
    pub number_rate: f64,
}

impl Params {
    /// Starting values for a document pair with the given total lengths.
    pub fn initial(src_len: f64, tgt_len: f64) -> Params {
        Params {
            ratio: if src_len > 0.0 && tgt_len > 0.0 {
                (tgt_len / src_len).clamp(0.2, 5.0)
            } else {
                1.0
            },
            variance: 6.8,
            word_rate: 0.35,
            number_rate: 0.8,
        }
    }
}

impl Params {
    /// Re-estimates the parameters from beads believed right: `(src units, tgt units)` pairs
    /// of one-to-one beads. Falls back to the current value where the evidence is thin.
    pub fn estimate(&self, src: &[Features], tgt: &[Features], pairs: &[(usize, usize)]) -> Params {
        let mut out = *self;
        if pairs.len() < 3 {
            return out;
        }
        let (mut ls, mut lt) = (0.0, 0.0);
        for &(i, j) in pairs {
            ls += src[i].len;
            lt += tgt[j].len;
        }
        if ls > 0.0 && lt > 0.0 {
            out.ratio = (lt / ls).clamp(0.2, 5.0);
        }
        let mut var = 0.0;
        for &(i, j) in pairs {
            let mean = ((src[i].len + tgt[j].len / out.ratio) / 2.0).max(1.0);
            let d = tgt[j].len - out.ratio * src[i].len;
            var += d * d / (out.ratio * mean);
        }
        // Shrink towards Gale and Church's value: a short document says little.
        let n = pairs.len() as f64;
        out.variance = ((var + 6.8 * 10.0) / (n + 10.0)).clamp(2.0, 60.0);

        let (src_df, tgt_df) = frequencies(src, tgt, |hash| hash);
        let (mut word_hits, mut word_all, mut num_hits, mut num_all) = (0.0, 0.0, 0.0, 0.0);
        for &(i, j) in pairs {
            for (unit, other, other_df) in
                [(&src[i], &tgt[j], &tgt_df), (&tgt[j], &src[i], &src_df)]
            {
                for key in &unit.keys {
                    if !other_df.contains_key(&key.hash()) {
                        continue;
                    }
                    let hit = other.keys.binary_search(key).is_ok();
                    if key.kind() == KeyKind::Word {
                        word_all += 1.0;
                        word_hits += f64::from(u8::from(hit));
                    } else {
                        num_all += 1.0;
                        num_hits += f64::from(u8::from(hit));
                    }
                }
            }
        }
        out.word_rate = ((word_hits + 0.35 * 20.0) / (word_all + 20.0)).clamp(0.05, 0.95);
        out.number_rate = ((num_hits + 0.8 * 10.0) / (num_all + 10.0)).clamp(0.2, 0.98);
        out
    }
}

/// Starting parameters for a document pair, from its total lengths.
pub fn initial(fs: &[Features], ft: &[Features]) -> Params {
    let total = |u: &[Features]| u.iter().map(|f| f.len).sum::<f64>();
    Params::initial(total(fs), total(ft))
}
