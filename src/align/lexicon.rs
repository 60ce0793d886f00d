//! Word translations learned from the document pair itself, as hunalign's realignment does.
//!
//! After the first pass, words that are not cognates but keep turning up in the same
//! confident beads (German `nicht` and French `pas`, `Gletscher` and `glacier` once
//! spelling fails) are linked, and the second pass counts a linked pair as a shared key
//! ([`Lexicon::translate`], applied where the scorer weighs the target's keys).
//! Nothing outside the two documents is used, so it works for any pair of languages,
//! and a short document simply learns nothing.

use super::lattice::PathBead;
use super::model::{KeyCounts, KeyMap, frequencies};
use crate::features::{Features, KeyKind};

/// Beads of the first pass with a posterior below this teach nothing.
const MIN_POSTERIOR: f64 = 0.5;

/// A pair must co-occur in this many confident beads to be linked.
const MIN_COUNT: u32 = 3;

/// The least log-likelihood ratio (Dunning's G²) of a linked pair: 15 is a chance below
/// 1 in 10,000 that words independent of each other co-occur this often.
const MIN_G2: f64 = 15.0;

/// How much stronger than its runner-up a word's best partner must be.
const MARGIN: f64 = 1.5;

/// Words in more than this share of the confident beads are function words: they
/// co-occur with everything and would link at random.
const MAX_SHARE: f64 = 0.1;

/// At most this many beads are counted: a sample this large already finds every link
/// that recurs often enough to matter, and keeps learning cheap on books.
const MAX_BEADS: usize = 20_000;

/// Word links learned from a first alignment: target key → source key.
#[derive(Default)]
pub struct Lexicon {
    links: KeyMap<u64>,
}

impl Lexicon {
    /// Learns links from the confident pair beads of `first`, an alignment of `src` with
    /// `tgt`. Only words that have no identical key in the other document take part:
    /// cognates already meet.
    pub fn learn(src: &[Features], tgt: &[Features], first: &[PathBead]) -> Lexicon {
        let (src_df, tgt_df) = frequencies(src, tgt, &Lexicon::default());
        // Beads that do not fit the documents (a path of other documents) are skipped.
        let confident: Vec<&PathBead> = first
            .iter()
            .filter(|b| b.a > 0 && b.b > 0 && b.posterior >= MIN_POSTERIOR)
            .filter(|b| b.i + b.a <= src.len() && b.j + b.b <= tgt.len())
            .collect();
        // An even sample across the document, not its beginning.
        let step = confident.len().div_ceil(MAX_BEADS).max(1);
        let beads: Vec<&PathBead> = confident.into_iter().step_by(step).collect();
        let total = beads.len() as u32;
        if total < 2 * MIN_COUNT {
            return Lexicon::default();
        }
        let side_words = |units: &[Features], from: usize, count: usize, other: &KeyCounts| {
            let mut out: Vec<u64> = units[from..from + count]
                .iter()
                .flat_map(|u| u.keys.iter())
                .filter(|k| k.kind == KeyKind::Word && !other.contains_key(&k.hash))
                .map(|k| k.hash)
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        };
        let mut src_count: KeyMap<u32> = KeyMap::default();
        let mut tgt_count: KeyMap<u32> = KeyMap::default();
        let mut pair_count: std::collections::HashMap<(u64, u64), u32> =
            std::collections::HashMap::new();
        let mut bead_words = Vec::with_capacity(beads.len());
        for bead in &beads {
            let s = side_words(src, bead.i, bead.a, &tgt_df);
            let t = side_words(tgt, bead.j, bead.b, &src_df);
            for &w in &s {
                *src_count.entry(w).or_insert(0) += 1;
            }
            for &w in &t {
                *tgt_count.entry(w).or_insert(0) += 1;
            }
            bead_words.push((s, t));
        }
        // Too rare to recur in enough beads, or so common it co-occurs with everything.
        let unusable = |c: u32| c < MIN_COUNT || f64::from(c) > MAX_SHARE * f64::from(total);
        for (s, t) in &bead_words {
            for &ws in s.iter().filter(|w| !unusable(src_count[w])) {
                for &wt in t.iter().filter(|w| !unusable(tgt_count[w])) {
                    *pair_count.entry((ws, wt)).or_insert(0) += 1;
                }
            }
        }
        let scored: Vec<(f64, u64, u64)> = pair_count
            .into_iter()
            .filter(|&(_, c)| c >= MIN_COUNT)
            .map(|((ws, wt), c)| (g2(c, src_count[&ws], tgt_count[&wt], total), ws, wt))
            .filter(|&(g, _, _)| g >= MIN_G2)
            .collect();
        // A link must be each word's best partner by a clear margin: words that always
        // appear together in the same beads (two names in one sentence, or any repeated
        // passage) tie, and a tie says nothing about which word translates which.
        let mut best_src: KeyMap<(f64, f64)> = KeyMap::default();
        let mut best_tgt: KeyMap<(f64, f64)> = KeyMap::default();
        for &(g, ws, wt) in &scored {
            for best in [best_src.entry(ws), best_tgt.entry(wt)] {
                let (first, second) = best.or_insert((0.0, 0.0));
                if g > *first {
                    *second = *first;
                    *first = g;
                } else if g > *second {
                    *second = g;
                }
            }
        }
        let clear = |(first, second): (f64, f64), g: f64| g >= first && g >= MARGIN * second;
        let links = scored
            .iter()
            .filter(|&&(g, ws, wt)| clear(best_src[&ws], g) && clear(best_tgt[&wt], g))
            .map(|&(_, ws, wt)| (wt, ws))
            .collect();
        Lexicon { links }
    }

    /// How many word pairs were linked.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The key a target key counts as: its linked source word's, or itself. A linked target
    /// word never occurs in the source document, so taking its partner's key loses nothing.
    pub fn translate(&self, hash: u64) -> u64 {
        self.links.get(&hash).copied().unwrap_or(hash)
    }
}

/// Dunning's log-likelihood ratio for a pair seen together `both` times, its words `a` and
/// `b` times, in `n` beads; zero when they co-occur less than independence predicts.
fn g2(both: u32, a: u32, b: u32, n: u32) -> f64 {
    let (k11, a, b, n) = (f64::from(both), f64::from(a), f64::from(b), f64::from(n));
    if k11 * n <= a * b {
        return 0.0;
    }
    let cells = [
        (k11, a * b / n),
        (a - k11, a * (n - b) / n),
        (b - k11, (n - a) * b / n),
        (n - a - b + k11, (n - a) * (n - b) / n),
    ];
    2.0 * cells
        .iter()
        .filter(|(observed, _)| *observed > 0.0)
        .map(|(observed, expected)| observed * (observed / expected).ln())
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Features;

    /// Sentences of one made-up word each, whose first letters keep their keys apart.
    fn filler(prefix: &str, count: usize) -> Vec<String> {
        // Letters the spelling normalisation leaves alone, so no two words meet.
        const PLAIN: &[u8] = b"abdefglmnortu";
        let letters = |mut k: usize| -> String {
            let mut out = String::new();
            for _ in 0..3 {
                out.push(char::from(PLAIN[k % PLAIN.len()]));
                k /= PLAIN.len();
            }
            out
        };
        (0..count)
            .map(|k| format!("{}{prefix}", letters(k)))
            .collect()
    }

    fn one_to_one(n: usize) -> Vec<PathBead> {
        (0..n)
            .map(|k| PathBead {
                i: k,
                j: k,
                a: 1,
                b: 1,
                score: 0.0,
                posterior: 0.9,
            })
            .collect()
    }

    #[test]
    fn links_words_that_recur_together_and_not_words_that_tie() {
        let n = 60;
        let mut src = filler("quell", n);
        let mut tgt = filler("ziel", n);
        // "Gletscher"/"glacier" in four beads; "Zwerg" and "Riese" always in the same two...
        // four beads with "nain": which of them "nain" translates cannot be told.
        for k in [3, 17, 29, 44] {
            src[k].push_str(" Gletscher");
            tgt[k].push_str(" glacier");
        }
        for k in [8, 21, 35, 50] {
            src[k].push_str(" Zwerg Riese");
            tgt[k].push_str(" nain");
        }
        let lexicon = Lexicon::learn(&features(&src), &features(&tgt), &one_to_one(n));
        let key = |word: &str| Features::of(word, false).keys[0].hash;
        assert_eq!(lexicon.translate(key("glacier")), key("Gletscher"));
        assert_eq!(lexicon.translate(key("nain")), key("nain"));
        assert_eq!(lexicon.len(), 1);
    }

    fn features(texts: &[String]) -> Vec<Features> {
        texts.iter().map(|t| Features::of(t, false)).collect()
    }

    #[test]
    fn a_short_document_learns_nothing() {
        // A pair in four of five beads: in a document this short, any word seen the three
        // times a link needs is in more than a tenth of the beads, as function words are.
        let mut src = filler("quell", 5);
        let mut tgt = filler("ziel", 5);
        for k in 0..4 {
            src[k].push_str(" Gletscher");
            tgt[k].push_str(" glacier");
        }
        let lexicon = Lexicon::learn(&features(&src), &features(&tgt), &one_to_one(5));
        assert!(lexicon.is_empty());
    }

    #[test]
    fn a_path_that_does_not_fit_the_documents_teaches_nothing() {
        let (src, tgt) = (features(&filler("quell", 3)), features(&filler("ziel", 3)));
        assert!(Lexicon::learn(&src, &tgt, &one_to_one(60)).is_empty());
    }

    #[test]
    fn g2_is_zero_for_independent_words_and_grows_with_association() {
        assert_eq!(g2(1, 10, 10, 100), 0.0);
        assert!(g2(5, 5, 5, 100) > g2(5, 10, 10, 100));
        assert!(g2(5, 5, 5, 100) > MIN_G2);
    }
}
