//! Word translations: learned from the data with IBM Model 1, read from a table learned
//! earlier, or from a bilingual dictionary.
//!
//! Learning follows Moore (2002): the first pass's confident beads are taken as sentence
//! pairs and IBM Model 1 is trained on them by EM, in both directions. Model 1 explains
//! each target word by the source words of its bead, so a word that merely shares beads
//! with the true translation (a name beside it, a frequent neighbour) loses the probability
//! mass to the word that explains it everywhere. A pair whose translation probabilities are
//! high both ways and that co-occurs more often than chance (Dunning's G²) becomes an entry.
//! Keys are the features' hashed stems, so an entry learned from one document pair holds
//! for every other of the same languages: `batch` learns one table from all its pairs.
//!
//! For a document pair, the table is resolved into [`Links`]: each target word with no
//! identical key in the source document counts as its strongest partner that the source
//! document holds, and the second pass weighs a linked pair as a shared key.

use std::fmt::Write as _;

use super::keys::{KeyCounts, KeyMap, document_frequency};
use crate::align::lattice::PathBead;
use crate::features::{Features, KeyKind, word_hash};

/// Beads of the first pass with a posterior below this teach nothing.
const MIN_POSTERIOR: f64 = 0.5;

/// A pair must co-occur in this many confident beads to be an entry.
const MIN_COUNT: u32 = 3;

/// Words in more than this share of the beads co-occur with everything (function words
/// and, in scripts without spaces, the commonest characters) and learn nothing. Below it a
/// frequent word still teaches: a novel's hero, named in a third of the sentences and
/// called otherwise in the translation, is the most reliable pair a chapter has. Chosen by
/// leaving each development family out (`scripts/eval-families.py`, strict F1, shares 0.1
/// to 0.5): held out, Text+Berg and the Bible choose 0.3; for MAC the other families tie
/// from 0.2 to 0.5, which give it 0.762 to 0.773 (0.743 at 0.1). A lower least strength
/// with it did better on the development documents but cost 0.014 strict F1 on the
/// 100k-sentence document of `scripts/scale.sh`, where this costs 0.004.
const MAX_SHARE: f64 = 0.3;

/// The least log-likelihood ratio (Dunning's G²) of an entry's co-occurrence: 10 is a
/// chance near 1 in 1,000 that independent words co-occur this often.
const MIN_G2: f64 = 10.0;

/// The least strength of an entry: the geometric mean of its translation probabilities in
/// the two directions.
const MIN_STRENGTH: f64 = 0.2;

/// EM iterations of Model 1; it converges in a handful.
const ITERATIONS: usize = 5;

/// At most this many (source word, target word) co-occurrences are trained on: an even
/// sample of beads this large already finds every entry that recurs often enough to
/// matter, and keeps learning linear and cheap on books and corpora.
const MAX_COOCCURRENCES: usize = 4_000_000;

/// The most partners kept for one target word.
const MAX_PARTNERS: usize = 4;

/// The strength of a dictionary entry: above any learned one.
const DICTIONARY_STRENGTH: f32 = 1.0;

/// Word translations: for a target key, source keys with their strength in (0, 1].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    entries: KeyMap<Vec<(u64, f32)>>,
}

/// The confident pair beads of first-pass alignments, as sets of word keys: what a
/// [`Lexicon`] is learned from. Samples of many document pairs add up, so one table can be
/// learned from a whole corpus; the sample thins itself evenly as it grows, so its memory
/// stays bounded whatever the corpus size.
#[derive(Debug, Clone, Default)]
pub struct BeadSample {
    sides: Vec<(Vec<u64>, Vec<u64>)>,
    cooccurrences: usize,
}

impl BeadSample {
    /// The confident pair beads of `path`, a first-pass alignment of `src` with `tgt`.
    pub(crate) fn of(src: &[Features], tgt: &[Features], path: &[PathBead]) -> BeadSample {
        let mut sample = BeadSample::default();
        // Beads that do not fit the documents (a path of other documents) are skipped.
        for bead in path.iter().filter(|b| {
            b.a > 0
                && b.b > 0
                && b.posterior >= MIN_POSTERIOR
                && b.i + b.a <= src.len()
                && b.j + b.b <= tgt.len()
        }) {
            let s = words(&src[bead.i..bead.i + bead.a]);
            let t = words(&tgt[bead.j..bead.j + bead.b]);
            // A key on both sides already meets itself: only the rest need translating.
            let s2: Vec<u64> = s
                .iter()
                .copied()
                .filter(|k| t.binary_search(k).is_err())
                .collect();
            let t2: Vec<u64> = t
                .iter()
                .copied()
                .filter(|k| s.binary_search(k).is_err())
                .collect();
            sample.cooccurrences += s2.len() * t2.len();
            sample.sides.push((s2, t2));
        }
        sample
    }

    /// Adds another sample, in order.
    pub fn extend(&mut self, other: BeadSample) {
        self.cooccurrences += other.cooccurrences;
        self.sides.extend(other.sides);
        while self.cooccurrences > 2 * MAX_COOCCURRENCES {
            self.thin();
        }
    }

    /// Keeps every other bead.
    fn thin(&mut self) {
        let sides = std::mem::take(&mut self.sides);
        self.sides = sides.into_iter().step_by(2).collect();
        self.cooccurrences = self.sides.iter().map(|(s, t)| s.len() * t.len()).sum();
    }

    /// How many beads the sample holds.
    pub fn len(&self) -> usize {
        self.sides.len()
    }

    /// True when the sample holds no bead.
    pub fn is_empty(&self) -> bool {
        self.sides.is_empty()
    }
}

/// The sorted, distinct word keys of some units.
fn words(units: &[Features]) -> Vec<u64> {
    let mut out: Vec<u64> = units
        .iter()
        .flat_map(|u| u.keys.iter())
        .filter(|k| k.kind() == KeyKind::Word)
        .map(|k| k.hash())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Dense ids for the words that can take part, with the number of beads holding each.
fn vocabulary<'s>(sides: impl Iterator<Item = &'s [u64]>, beads: usize) -> KeyMap<(u32, u32)> {
    // Maps keyed by the key hashes themselves: SipHash was most of the serial time of
    // learning on a long book's sample. Nothing below depends on a map's order.
    let mut counts: KeyMap<u32> = KeyMap::default();
    for side in sides {
        for &w in side {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    let max = (MAX_SHARE * beads as f64).max(f64::from(MIN_COUNT));
    let mut kept: Vec<(u64, u32)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= MIN_COUNT && f64::from(c) <= max)
        .collect();
    // Ids in key order, so that training does not depend on hash-map order.
    kept.sort_unstable();
    kept.into_iter()
        .enumerate()
        .map(|(id, (w, c))| (w, (id as u32, c)))
        .collect()
}

impl Lexicon {
    /// Learns word translations from the confident beads of first-pass alignments.
    pub fn learn(sample: BeadSample) -> Lexicon {
        let mut beads = sample;
        // An even sample across the corpus, not its beginning.
        while beads.cooccurrences > MAX_COOCCURRENCES {
            beads.thin();
        }
        let total = beads.sides.len();
        if total < 2 * MIN_COUNT as usize {
            return Lexicon::default();
        }
        let src_vocab = vocabulary(beads.sides.iter().map(|(s, _)| s.as_slice()), total);
        let tgt_vocab = vocabulary(beads.sides.iter().map(|(_, t)| t.as_slice()), total);
        if src_vocab.is_empty() || tgt_vocab.is_empty() {
            return Lexicon::default();
        }
        let model = Model1::train(&beads, &src_vocab, &tgt_vocab);
        let src_key: Vec<u64> = ids_to_keys(&src_vocab);
        let tgt_key: Vec<u64> = ids_to_keys(&tgt_vocab);
        let src_count: Vec<u32> = ids_to_counts(&src_vocab);
        let tgt_count: Vec<u32> = ids_to_counts(&tgt_vocab);
        let mut entries: KeyMap<Vec<(u64, f32)>> = KeyMap::default();
        let mut pairs: Vec<((u32, u32), usize)> = model
            .pairs
            .iter()
            .enumerate()
            .map(|(pid, &pair)| (pair, pid))
            .collect();
        pairs.sort_unstable();
        for ((s, t), pid) in pairs {
            let both = model.cooccurrence[pid];
            if both < MIN_COUNT {
                continue;
            }
            let strength = (model.forward[pid] * model.reverse[pid]).sqrt();
            if strength < MIN_STRENGTH
                || g2(
                    both,
                    src_count[s as usize],
                    tgt_count[t as usize],
                    total as u32,
                ) < MIN_G2
            {
                continue;
            }
            entries
                .entry(tgt_key[t as usize])
                .or_default()
                .push((src_key[s as usize], strength as f32));
        }
        let mut lexicon = Lexicon { entries };
        lexicon.tidy();
        lexicon
    }

    /// Reads a bilingual dictionary in hunalign's format: one entry a line,
    /// `target words @ source words`; blank lines and lines starting with `#` are skipped.
    /// Each word key of the target side is linked to each word key of the source side.
    pub fn from_dictionary(text: &str) -> Result<Lexicon, String> {
        let mut entries: KeyMap<Vec<(u64, f32)>> = KeyMap::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((target, source)) = line.split_once(" @ ") else {
                return Err(format!(
                    "line {}: expected 'target @ source', found {line:?}",
                    number + 1
                ));
            };
            let keys = |side: &str| {
                let mut keys: Vec<u64> = Features::of(side, false)
                    .keys
                    .into_iter()
                    .filter(|k| k.kind() == KeyKind::Word)
                    .map(|k| k.hash())
                    .collect();
                keys.dedup();
                keys
            };
            for t in keys(target) {
                for s in keys(source) {
                    if s != t {
                        entries.entry(t).or_default().push((s, DICTIONARY_STRENGTH));
                    }
                }
            }
        }
        let mut lexicon = Lexicon { entries };
        lexicon.tidy();
        Ok(lexicon)
    }

    /// Reads a table written by [`Lexicon::write`].
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let mut entries: KeyMap<Vec<(u64, f32)>> = KeyMap::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || {
                format!(
                    "line {}: expected 'target<TAB>source<TAB>strength' (keys in hex), found {line:?}",
                    number + 1
                )
            };
            let mut fields = line.split('\t');
            let (Some(t), Some(s), Some(strength), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                return Err(bad());
            };
            // Tables written before keys held their kind in two bits of the hash have those
            // bits set at random: cleared, they name the keys of today.
            let t = word_hash(u64::from_str_radix(t, 16).map_err(|_| bad())?);
            let s = word_hash(u64::from_str_radix(s, 16).map_err(|_| bad())?);
            let strength: f32 = strength.parse().map_err(|_| bad())?;
            if !(strength > 0.0 && strength <= 1.0) {
                return Err(bad());
            }
            entries.entry(t).or_default().push((s, strength));
        }
        let mut lexicon = Lexicon { entries };
        lexicon.tidy();
        Ok(lexicon)
    }

    /// The table as text: a header line, then `target key<TAB>source key<TAB>strength`,
    /// keys as hexadecimal hashes of the features' stems, sorted so that the same table
    /// always gives the same file.
    pub fn write(&self) -> String {
        let mut rows: Vec<(u64, u64, f32)> = self
            .entries
            .iter()
            .flat_map(|(&t, partners)| partners.iter().map(move |&(s, w)| (t, s, w)))
            .collect();
        rows.sort_unstable_by_key(|r| (r.0, r.1));
        let mut out = String::from(
            "# bitext lexicon: target key, source key, strength (hashed stems, see docs/formats.md)\n",
        );
        for (t, s, w) in rows {
            let _ = writeln!(out, "{t:016x}\t{s:016x}\t{w:.4}");
        }
        out
    }

    /// Adds `other`'s entries; where both hold a pair, the stronger counts.
    pub fn extend(&mut self, other: &Lexicon) {
        for (&t, partners) in &other.entries {
            self.entries
                .entry(t)
                .or_default()
                .extend_from_slice(partners);
        }
        self.tidy();
    }

    /// Sorts each word's partners, strongest first, one strength per partner, at most
    /// [`MAX_PARTNERS`].
    fn tidy(&mut self) {
        for partners in self.entries.values_mut() {
            partners.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            partners.dedup_by_key(|p| p.0);
            partners.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            partners.truncate(MAX_PARTNERS);
        }
        self.entries.retain(|_, partners| !partners.is_empty());
    }

    /// How many pairs the table holds.
    pub fn len(&self) -> usize {
        self.entries.values().map(Vec::len).sum()
    }

    /// True when the table holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The links for one document pair: each target word that the source document lacks
    /// counts as its strongest partner that the source document holds.
    pub(crate) fn links(&self, src: &[Features], tgt: &[Features]) -> Links {
        if self.entries.is_empty() {
            return Links::default();
        }
        let src_df: KeyCounts = document_frequency(src, |hash| hash);
        let mut links = KeyMap::default();
        for unit in tgt {
            for key in &unit.keys {
                if src_df.contains_key(&key.hash()) || links.contains_key(&key.hash()) {
                    continue;
                }
                let Some(partners) = self.entries.get(&key.hash()) else {
                    continue;
                };
                if let Some(&(s, _)) = partners.iter().find(|(s, _)| src_df.contains_key(s)) {
                    links.insert(key.hash(), s);
                }
            }
        }
        Links { links }
    }
}

fn ids_to_keys(vocab: &KeyMap<(u32, u32)>) -> Vec<u64> {
    let mut out = vec![0; vocab.len()];
    for (&w, &(id, _)) in vocab {
        out[id as usize] = w;
    }
    out
}

fn ids_to_counts(vocab: &KeyMap<(u32, u32)>) -> Vec<u32> {
    let mut out = vec![0; vocab.len()];
    for &(id, c) in vocab.values() {
        out[id as usize] = c;
    }
    out
}

/// IBM Model 1 in both directions over the same co-occurrences.
struct Model1 {
    /// The (source id, target id) of each pair id: each pair that co-occurs.
    pairs: Vec<(u32, u32)>,
    /// p(target | source) per pair id.
    forward: Vec<f64>,
    /// p(source | target) per pair id.
    reverse: Vec<f64>,
    /// Beads holding both words, per pair id.
    cooccurrence: Vec<u32>,
}

impl Model1 {
    fn train(
        beads: &BeadSample,
        src_vocab: &KeyMap<(u32, u32)>,
        tgt_vocab: &KeyMap<(u32, u32)>,
    ) -> Model1 {
        // Pair ids by the pair's two ids mixed into one well-spread word (an odd multiplier
        // keeps distinct pairs distinct), for a map that hashes no further.
        let mut index: KeyMap<usize> = KeyMap::default();
        let mut pairs = Vec::new();
        let mut cooccurrence = Vec::new();
        // Each bead as its source ids, target ids and the pair ids of their product
        // (row-major: for each target word, each source word).
        let mut rows: Vec<(Vec<u32>, Vec<u32>, Vec<usize>)> = Vec::with_capacity(beads.sides.len());
        for (s, t) in &beads.sides {
            let s: Vec<u32> = s
                .iter()
                .filter_map(|w| src_vocab.get(w).map(|v| v.0))
                .collect();
            let t: Vec<u32> = t
                .iter()
                .filter_map(|w| tgt_vocab.get(w).map(|v| v.0))
                .collect();
            let mut pids = Vec::with_capacity(s.len() * t.len());
            for &tw in &t {
                for &sw in &s {
                    let next = index.len();
                    let mixed =
                        (u64::from(sw) << 32 | u64::from(tw)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                    let pid = *index.entry(mixed).or_insert(next);
                    if pid == cooccurrence.len() {
                        cooccurrence.push(0);
                        pairs.push((sw, tw));
                    }
                    cooccurrence[pid] += 1;
                    pids.push(pid);
                }
            }
            rows.push((s, t, pids));
        }
        let src_owner: Vec<u32> = pairs.iter().map(|&(sw, _)| sw).collect();
        let tgt_owner: Vec<u32> = pairs.iter().map(|&(_, tw)| tw).collect();
        let forward = em(&rows, &src_owner, src_vocab.len(), tgt_vocab.len(), false);
        let reverse = em(&rows, &tgt_owner, tgt_vocab.len(), src_vocab.len(), true);
        Model1 {
            pairs,
            forward,
            reverse,
            cooccurrence,
        }
    }
}

/// EM for Model 1's p(generated | given), with a NULL word on the given side. With
/// `reverse` false the target words are generated from the source words; with it true,
/// the other way round. `owner` names each pair id's given word.
fn em(
    rows: &[(Vec<u32>, Vec<u32>, Vec<usize>)],
    owner: &[u32],
    given_words: usize,
    generated_words: usize,
    reverse: bool,
) -> Vec<f64> {
    // Uniform start: the first E-step then counts co-occurrences, shared out per word.
    let pairs = owner.len();
    let mut prob = vec![1.0 / generated_words.max(1) as f64; pairs];
    let mut null = vec![1.0 / generated_words.max(1) as f64; generated_words];
    let mut counts = vec![0.0f64; pairs];
    let mut totals = vec![0.0f64; given_words];
    let mut null_counts = vec![0.0f64; generated_words];
    for _ in 0..ITERATIONS {
        counts.iter_mut().for_each(|c| *c = 0.0);
        totals.iter_mut().for_each(|c| *c = 0.0);
        null_counts.iter_mut().for_each(|c| *c = 0.0);
        for (s, t, pids) in rows {
            let (given, generated) = if reverse { (t, s) } else { (s, t) };
            if given.is_empty() || generated.is_empty() {
                continue;
            }
            // pids is target-major: pid of (source k, target l) is at l * |s| + k.
            let pid = |g: usize, e: usize| {
                if reverse {
                    pids[g * s.len() + e]
                } else {
                    pids[e * s.len() + g]
                }
            };
            for (e, &word) in generated.iter().enumerate() {
                let denom: f64 =
                    null[word as usize] + (0..given.len()).map(|g| prob[pid(g, e)]).sum::<f64>();
                if denom <= 0.0 {
                    continue;
                }
                for (g, &given_word) in given.iter().enumerate() {
                    let p = pid(g, e);
                    let share = prob[p] / denom;
                    counts[p] += share;
                    totals[given_word as usize] += share;
                }
                null_counts[word as usize] += null[word as usize] / denom;
            }
        }
        // Normalise per given word.
        for ((p, &count), &given) in prob.iter_mut().zip(&counts).zip(owner) {
            let total = totals[given as usize];
            *p = if total > 0.0 { count / total } else { 0.0 };
        }
        let null_total: f64 = null_counts.iter().sum();
        if null_total > 0.0 {
            for (n, c) in null.iter_mut().zip(&null_counts) {
                *n = c / null_total;
            }
        }
    }
    prob
}

/// The links of one document pair: target key → the source key it counts as.
#[derive(Debug, Clone, Default)]
pub struct Links {
    links: KeyMap<u64>,
}

impl Links {
    /// How many target words are linked.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// True when no word is linked.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The key a target key counts as: its linked source word's, or itself. A linked target
    /// word never occurs in the source document, so taking its partner's key loses nothing.
    pub fn translate(&self, hash: u64) -> u64 {
        self.links.get(&hash).copied().unwrap_or(hash)
    }
}

#[cfg(test)]
impl Links {
    /// Links of the given (target, source) key hashes.
    pub(crate) fn of(pairs: impl IntoIterator<Item = (u64, u64)>) -> Links {
        Links {
            links: pairs.into_iter().collect(),
        }
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

    fn features(texts: &[String]) -> Vec<Features> {
        texts.iter().map(|t| Features::of(t, false)).collect()
    }

    fn key(word: &str) -> u64 {
        Features::of(word, false).keys[0].hash()
    }

    fn learn(src: &[String], tgt: &[String], path: &[PathBead]) -> Lexicon {
        let (fs, ft) = (features(src), features(tgt));
        Lexicon::learn(BeadSample::of(&fs, &ft, path))
    }

    #[test]
    fn links_words_that_recur_together_and_not_words_that_meet_once() {
        let n = 60;
        let mut src = filler("quell", n);
        let mut tgt = filler("ziel", n);
        // "Gletscher"/"glacier" in four beads; "Lawine"/"avalanche" in one.
        for k in [3, 17, 29, 44] {
            src[k].push_str(" Gletscher");
            tgt[k].push_str(" glacier");
        }
        src[8].push_str(" Lawine");
        tgt[8].push_str(" avalanche");
        let lexicon = learn(&src, &tgt, &one_to_one(n));
        let (fs, ft) = (features(&src), features(&tgt));
        let links = lexicon.links(&fs, &ft);
        assert_eq!(links.translate(key("glacier")), key("Gletscher"));
        assert_eq!(links.translate(key("avalanche")), key("avalanche"));
        assert_eq!(links.len(), 1);
    }

    #[test]
    fn model1_explains_a_word_away_from_its_constant_neighbour() {
        // "Gletscher" is always beside "Firnfeld", but "Firnfeld" also occurs alone, with
        // "névé": Model 1 gives "glacier" to "Gletscher" and "névé" to "Firnfeld",
        // where counting co-occurrences alone would tie "glacier" between the two.
        let n = 120;
        let mut src = filler("quell", n);
        let mut tgt = filler("ziel", n);
        for k in [3, 17, 29, 44, 61] {
            src[k].push_str(" Gletscher Firnfeld");
            tgt[k].push_str(" glacier névé");
        }
        for k in [5, 22, 38, 70, 101] {
            src[k].push_str(" Firnfeld");
            tgt[k].push_str(" névé");
        }
        let lexicon = learn(&src, &tgt, &one_to_one(n));
        let links = lexicon.links(&features(&src), &features(&tgt));
        assert_eq!(links.translate(key("névé")), key("Firnfeld"));
        assert_eq!(links.translate(key("glacier")), key("Gletscher"));
    }

    #[test]
    fn a_short_document_learns_nothing() {
        // A pair in four of five beads: in a document this short, any word seen the three
        // times an entry needs is in more than a tenth of the beads, as function words are.
        let mut src = filler("quell", 5);
        let mut tgt = filler("ziel", 5);
        for k in 0..4 {
            src[k].push_str(" Gletscher");
            tgt[k].push_str(" glacier");
        }
        assert!(learn(&src, &tgt, &one_to_one(5)).is_empty());
    }

    #[test]
    fn a_path_that_does_not_fit_the_documents_teaches_nothing() {
        assert!(learn(&filler("quell", 3), &filler("ziel", 3), &one_to_one(60)).is_empty());
    }

    #[test]
    fn samples_of_several_documents_teach_what_none_teaches_alone() {
        // Two documents of 30 beads, the pair in two beads of each: too rare in either.
        let mut sample = BeadSample::default();
        let mut alone = Vec::new();
        for offset in [0, 7] {
            let mut src = filler("quell", 30);
            let mut tgt = filler("ziel", 30);
            for k in [3 + offset, 17 + offset] {
                src[k].push_str(" Gletscher");
                tgt[k].push_str(" glacier");
            }
            let (fs, ft) = (features(&src), features(&tgt));
            let one = BeadSample::of(&fs, &ft, &one_to_one(30));
            alone.push(Lexicon::learn(one.clone()));
            sample.extend(one);
        }
        assert!(alone.iter().all(Lexicon::is_empty));
        let lexicon = Lexicon::learn(sample);
        let src = features(&["Gletscher".to_string()]);
        let tgt = features(&["glacier".to_string()]);
        assert_eq!(
            lexicon.links(&src, &tgt).translate(key("glacier")),
            key("Gletscher")
        );
    }

    #[test]
    fn a_table_survives_writing_and_reading() {
        let lexicon =
            Lexicon::from_dictionary("# a comment\nglacier @ Gletscher\nsommet @ Gipfel\n")
                .expect("a valid dictionary");
        assert_eq!(lexicon.len(), 2);
        let again = Lexicon::parse(&lexicon.write()).expect("its own format");
        assert_eq!(again, lexicon);
        assert_eq!(again.write(), lexicon.write());
    }

    #[test]
    fn a_dictionary_links_only_words_the_documents_hold() {
        let lexicon = Lexicon::from_dictionary("glacier @ Gletscher\nsommet @ Gipfel\n").unwrap();
        let src = features(&["Der Gletscher schmilzt".to_string()]);
        let tgt = features(&["Le glacier fond, le sommet reste".to_string()]);
        let links = lexicon.links(&src, &tgt);
        assert_eq!(links.translate(key("glacier")), key("Gletscher"));
        assert_eq!(links.translate(key("sommet")), key("sommet"));
    }

    #[test]
    fn malformed_tables_and_dictionaries_are_refused_with_their_line() {
        let err = Lexicon::from_dictionary("glacier @ Gletscher\nno separator here\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        let err = Lexicon::parse("00ff\tzz\t0.5\n").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        assert!(Lexicon::parse("00ff\t00fe\t1.5\n").is_err());
    }

    #[test]
    fn g2_is_zero_for_independent_words_and_grows_with_association() {
        assert_eq!(g2(1, 10, 10, 100), 0.0);
        assert!(g2(5, 5, 5, 100) > g2(5, 10, 10, 100));
        assert!(g2(5, 5, 5, 100) > MIN_G2);
    }
}
