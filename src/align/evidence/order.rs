//! The order evidence of comparable mode: whether a sentence pair's words correspond in
//! the order they are written.
//!
//! A word model weighs the words of a pair as a bag, and two sentences on one subject
//! (a repeated formula, the same names and places) can explain each other's words nearly
//! as well as a sentence and its translation. What tells them apart is order: a
//! translator renders a sentence clause by clause, so the words of a translation and of
//! its source correspond roughly in order, and the words that two unrelated sentences
//! happen to share do not. Each target word is linked to the source word the model finds
//! likeliest to have given it, and each source word to its likeliest target word; each
//! way's link positions are compared by Kendall's tau, taken as its z-score under words in
//! no particular order (about normal, mean 0, whatever the number of links). Languages whose clauses run in other orders
//! still keep most of a verse's phrases in sequence: on documents built from Bible
//! translations into verb-final and verb-first languages too, the z-score of translations
//! stands above that of unrelated pairs (`scripts/eval-comparable.py --learn-rest`).

use super::keys::KeyMap;
use super::lexicon::WordModel;
use crate::features::WordOrder;

/// The most links of a pair the tau is counted over: a sentence of a thousand words
/// would otherwise cost a million comparisons per pair. Longer lists are thinned evenly,
/// which keeps the links' spread over the sentence, and so the tau.
const MAX_LINKS: usize = 64;

/// How many of a target unit's likeliest partners (of those the source document holds) can
/// link it. The unlikeliest of the model's twenty are mostly the words a rare word happened
/// to meet: linked through them, a word lands anywhere. Chosen by leaving one language family
/// out (`scripts/eval-comparable.py --learn-rest --windows 10`, seeds 2024 and 7 together,
/// by the share of translated lines found at precision 0.9, the target words' links
/// alone): of 3, 5, 8, 12 and 20, every held-out family chose 5 (0.532 held out, 0.528 with
/// all twenty), which also costs a third of the time of all twenty.
const PARTNERS: usize = 5;

/// The order evidence of the pairs of sentences of two documents, both ways: each target
/// word linked to its likeliest source word, and each source word to its likeliest target
/// word (the model's reverse direction). A word that one direction links loosely (a
/// grammar word the other language spreads over several) the other may link well, and two
/// z-scores of the same pair add up as Stouffer's method adds them, `(z1 + z2) / sqrt(2)`
/// (chosen by leaving one family out against either one alone and their mean: see
/// `ORDER_WEIGHT` in comparable mode).
pub(crate) struct OrderEvidence {
    forward: OneWay,
    reverse: OneWay,
}

impl OrderEvidence {
    /// Prepares the pairs of sentences of `src` and `tgt` for the partners of `model`.
    pub(crate) fn new(model: &WordModel, src: &[WordOrder], tgt: &[WordOrder]) -> OrderEvidence {
        OrderEvidence {
            forward: OneWay::new(|unit| model.forward_partners(unit), src, tgt),
            reverse: OneWay::new(|unit| model.reverse_partners(unit), tgt, src),
        }
    }

    /// The order evidence of source sentence `i` and target sentence `j`: the z-scores of
    /// Kendall's tau of the two ways' links, combined.
    pub(crate) fn of(&mut self, i: usize, j: usize) -> f64 {
        (self.forward.of(i, j) + self.reverse.of(j, i)) / std::f64::consts::SQRT_2
    }
}

/// One way of [`OrderEvidence`]: each unit is numbered, and the word model's partners of
/// each generated unit that the given document holds are looked up, once per document, as
/// [`super::lexicon::PairEvidence`] looks up its words; weighing a pair then hashes nothing.
struct OneWay {
    /// Per given sentence: each unit's number and the position of its word.
    given: Vec<Vec<(u32, u32)>>,
    /// Per generated sentence: each unit's number among the generated units, word by
    /// word, and where each word's units end.
    generated: Vec<(Vec<u32>, Vec<u32>)>,
    /// Per generated unit: its partners' range in `partners`.
    ranges: Vec<std::ops::Range<usize>>,
    /// The partners that the given document holds, strongest first: (given unit's
    /// number, probability).
    partners: Vec<(u32, f32)>,
    /// Per given unit: the pair that last marked it, and the position of its first word
    /// in that pair's given sentence.
    mark: Vec<(u64, u32)>,
    /// The number of the pair being weighed.
    pair: u64,
    links: Vec<u32>,
}

impl OneWay {
    /// Prepares the pairs of sentences of `given` and `generated` for the partners `lookup`
    /// gives a generated unit.
    fn new<'m>(
        lookup: impl Fn(u64) -> Option<&'m [(u64, f32)]>,
        given: &[WordOrder],
        generated: &[WordOrder],
    ) -> OneWay {
        let mut numbers: KeyMap<u32> = KeyMap::default();
        let given: Vec<Vec<(u32, u32)>> = given
            .iter()
            .map(|sentence| {
                let mut units = Vec::new();
                for (position, word) in sentence.words().enumerate() {
                    for &unit in word {
                        let next = numbers.len() as u32;
                        units.push((*numbers.entry(unit).or_insert(next), position as u32));
                    }
                }
                units
            })
            .collect();
        let mut generated_numbers: KeyMap<u32> = KeyMap::default();
        let (mut ranges, mut partners) = (Vec::new(), Vec::new());
        let generated = generated
            .iter()
            .map(|sentence| {
                let (mut units, mut ends) = (Vec::new(), Vec::new());
                for word in sentence.words() {
                    for &unit in word {
                        let number = *generated_numbers.entry(unit).or_insert_with(|| {
                            let first = partners.len();
                            partners.extend(
                                lookup(unit)
                                    .into_iter()
                                    .flatten()
                                    .filter_map(|(s, p)| numbers.get(s).map(|&n| (n, *p))),
                            );
                            partners[first..]
                                .sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                            partners.truncate((first + PARTNERS).min(partners.len()));
                            ranges.push(first..partners.len());
                            (ranges.len() - 1) as u32
                        });
                        units.push(number);
                    }
                    ends.push(units.len() as u32);
                }
                (units, ends)
            })
            .collect();
        OneWay {
            given,
            generated,
            ranges,
            partners,
            mark: vec![(0, 0); numbers.len()],
            pair: 0,
            links: Vec::new(),
        }
    }

    /// The z-score of Kendall's tau between the positions of generated sentence `j`'s
    /// words and those of the words of given sentence `i` they are likeliest given; 0 when
    /// fewer than three words link.
    fn of(&mut self, i: usize, j: usize) -> f64 {
        self.pair += 1;
        for &(unit, position) in &self.given[i] {
            let mark = &mut self.mark[unit as usize];
            if mark.0 != self.pair {
                *mark = (self.pair, position);
            }
        }
        // Per target word in order, the source position of its likeliest partner.
        self.links.clear();
        let (units, ends) = &self.generated[j];
        let mut start = 0;
        for &end in ends {
            let mut best: Option<(f32, u32)> = None;
            for &unit in &units[start..end as usize] {
                let first = self.partners[self.ranges[unit as usize].clone()]
                    .iter()
                    .find(|(n, _)| self.mark[*n as usize].0 == self.pair);
                if let Some(&(n, p)) = first
                    && best.is_none_or(|(q, _)| p > q)
                {
                    best = Some((p, self.mark[n as usize].1));
                }
            }
            if let Some((_, position)) = best {
                self.links.push(position);
            }
            start = end as usize;
        }
        kendall_z(&self.links)
    }
}

/// Kendall's tau of `positions` against their own order, as a z-score under a random
/// order: S, the concordant pairs less the discordant, over its standard deviation
/// `sqrt(n(n-1)(2n+5)/18)`. Tied positions count neither way.
fn kendall_z(positions: &[u32]) -> f64 {
    let step = positions.len().div_ceil(MAX_LINKS).max(1);
    let kept: Vec<u32> = positions.iter().step_by(step).copied().collect();
    let n = kept.len();
    if n < 3 {
        return 0.0;
    }
    let mut s: i64 = 0;
    for (a, &x) in kept.iter().enumerate() {
        for &y in &kept[a + 1..] {
            s += i64::from(y > x) - i64::from(y < x);
        }
    }
    let n = n as f64;
    s as f64 / (n * (n - 1.0) * (2.0 * n + 5.0) / 18.0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_order_score_high_and_reversed_low() {
        let ordered: Vec<u32> = (0..10).collect();
        let reversed: Vec<u32> = (0..10).rev().collect();
        let z = kendall_z(&ordered);
        assert!(z > 4.0, "{z}");
        assert!((kendall_z(&reversed) + z).abs() < 1e-12);
        // A shuffled order scores near zero.
        let mixed = [3, 7, 0, 9, 2, 5, 8, 1, 6, 4];
        assert!(kendall_z(&mixed).abs() < 1.0, "{}", kendall_z(&mixed));
    }

    /// The words of `text` in order, as their first units (keys or short words).
    fn firsts(order: &WordOrder) -> Vec<u64> {
        order.words().map(|units| units[0]).collect()
    }

    #[test]
    fn a_translation_in_order_scores_above_the_same_words_shuffled() {
        let src = [WordOrder::of(
            "Walikwenda mjini pamoja asubuhi wakanunua mikate mingi",
        )];
        let words = "Utrā pilsētā kopā rītā nopirka maizes daudz";
        let shuffled = "daudz rītā Utrā maizes kopā nopirka pilsētā";
        let reversed = "daudz maizes nopirka rītā kopā pilsētā Utrā";
        let tgt = [
            WordOrder::of(words),
            WordOrder::of(shuffled),
            WordOrder::of(reversed),
        ];
        // Each target word is the translation of the source word in its place, both ways.
        let pairs: Vec<(u64, u64, f32)> = firsts(&tgt[0])
            .into_iter()
            .zip(firsts(&src[0]))
            .map(|(t, s)| (t, s, 0.8))
            .collect();
        assert_eq!(pairs.len(), 7);
        let model = WordModel::of_pairs(&pairs);
        let mut order = OrderEvidence::new(&model, &src, &tgt);
        let (in_order, mixed, backwards) = (order.of(0, 0), order.of(0, 1), order.of(0, 2));
        assert!(in_order > 3.0, "{in_order}");
        assert!(mixed.abs() < in_order / 2.0, "{mixed} {in_order}");
        assert!(
            (backwards + in_order).abs() < 1e-9,
            "{backwards} {in_order}"
        );
    }

    #[test]
    fn too_few_links_tell_nothing() {
        assert_eq!(kendall_z(&[]), 0.0);
        assert_eq!(kendall_z(&[4, 9]), 0.0);
    }

    #[test]
    fn long_lists_are_thinned_to_a_bounded_count_with_the_same_trend() {
        let ordered: Vec<u32> = (0..1000).collect();
        let z = kendall_z(&ordered);
        let full = kendall_z(&(0..MAX_LINKS as u32).collect::<Vec<_>>());
        assert!((z - full).abs() < 1.0, "{z} {full}");
    }
}
