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

/// EM iterations of the word model of a table, which comparable mode weighs pairs with:
/// there the probabilities themselves count, not only which partner is likeliest, and
/// those of the rarer words and units (a word's head and ending) settle later. Chosen by
/// leaving one Bible family out (`scripts/eval-comparable.py --learn-rest`, seeds 2024 and
/// 7 together, by the share of translated lines found at precision 0.9): of 5, 10, 15, 20
/// and 40, four held-out families chose 10 and two 40 (10 gives 0.421 pooled, 40 0.416,
/// 5 0.385). The parallel search's own model, learned from the documents at hand, keeps
/// [`ITERATIONS`].
const TABLE_MODEL_ITERATIONS: usize = 10;

/// At most this many (source word, target word) co-occurrences are trained on: an even
/// sample of beads this large already finds every entry that recurs often enough to
/// matter, and keeps learning linear and cheap on books and corpora.
const MAX_COOCCURRENCES: usize = 4_000_000;

/// The most partners kept for one target word.
const MAX_PARTNERS: usize = 4;

/// A word must be in this many confident beads to enter the word model. The word model's
/// constants were chosen on the comparable documents of `scripts/eval-comparable.py
/// --learn-rest` (seed 2024), by the share of translated lines that can be claimed at
/// precision 0.9 (the best threshold on the links' ranking): words seen once count (0.213
/// against 0.193 at two); looser tables (partners down to 0.002, at most 50, or 0.001, at
/// most 100) gave 0.248 and 0.234, within the noise of this figure, for more rows.
const WORD_MIN_COUNT: u32 = 1;

/// The word model keeps, for each word, its likeliest partners down to this probability...
const WORD_MIN_PROBABILITY: f64 = 0.005;

/// ...and at most this many of them.
const WORD_PARTNERS: usize = 20;

/// The weight of the word model's probability against a word's own frequency in the
/// parallel search's model ([`super::model`]); chosen at first for comparable mode, where
/// 0.15, 0.3, 0.5 and 0.7 let 0.230, 0.239, 0.234 and 0.223 of the translated lines be
/// claimed at precision 0.9 (see [`WORD_MIN_COUNT`]).
pub(crate) const MODEL_MIX: f64 = 0.3;

/// The weight of a table's word model's probability against a word's own frequency in
/// [`WordModel::evidence`], which comparable mode weighs pairs with. A table's model, with
/// each word's head and ending and [`TABLE_MODEL_ITERATIONS`] rounds, explains more of a
/// translation's words than the model [`MODEL_MIX`] was chosen for. Chosen by leaving one
/// Bible family out (`scripts/eval-comparable.py --learn-rest`, seeds 2024 and 7 together,
/// by the share of translated lines found at precision 0.9): of 0.2, 0.3, 0.4, 0.45, 0.5,
/// 0.6 and 0.75, five held-out families chose 0.4 and one 0.5 (0.453 pooled, 0.433 at 0.3,
/// 0.356 at 0.75).
const TABLE_MODEL_MIX: f64 = 0.4;

/// The strength of a dictionary entry: above any learned one.
const DICTIONARY_STRENGTH: f32 = 1.0;

/// Word translations: for a target key, source keys with their strength in (0, 1]; and,
/// when learned from beads, the word model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    entries: KeyMap<Vec<(u64, f32)>>,
    model: WordModel,
    /// True when the word model was read from a table written before its units were
    /// those of today ([`TABLE_FORMAT`]).
    dated_model: bool,
}

/// The format of the tables [`Lexicon::write`] writes, named in their first line. Format 2
/// tables' word models hold each word's head and ending as units of their own
/// (`features::comparable_words`), which comparable mode's confidences are
/// calibrated for; a table with no format in its first line is of format 1. A table of a
/// later format is refused: its keys may not be this version's.
pub const TABLE_FORMAT: u32 = 2;

/// The first line's start of a table [`Lexicon::write`] writes.
const TABLE_HEADER: &str = "# bitext lexicon";

/// IBM Model 1's translation probabilities in both directions over every word of the
/// confident beads, short words included ([`crate::features::model_words`]; in a table, also
/// each word's head and ending, [`crate::features::comparable_words`]): soft, where
/// the entries of a [`Lexicon`] are the few sure pairs. Comparable mode weighs a sentence
/// pair by how much likelier each side is given the other under it than alone: two
/// sentences about the same things share names and topic words, but only a sentence and its
/// translation explain each other's grammar words too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordModel {
    /// For a target word, source words with p(target word | source word).
    forward: KeyMap<Vec<(u64, f32)>>,
    /// For a source word, target words with p(source word | target word).
    reverse: KeyMap<Vec<(u64, f32)>>,
}

/// The confident pair beads of first-pass alignments, as sets of word keys: what a
/// [`Lexicon`] is learned from. Samples of many document pairs add up, so one table can be
/// learned from a whole corpus; the sample thins itself evenly as it grows, so its memory
/// stays bounded whatever the corpus size.
#[derive(Debug, Clone, Default)]
pub struct BeadSample {
    sides: Vec<(Vec<u64>, Vec<u64>)>,
    cooccurrences: usize,
    /// The same beads' words for the word model, when they were added
    /// ([`BeadSample::add_words`]), thinned on their own.
    words: Vec<(Vec<u64>, Vec<u64>)>,
    word_cooccurrences: usize,
}

impl BeadSample {
    /// The confident pair beads of `path`, a first-pass alignment of `src` with `tgt`.
    pub(crate) fn of(src: &[Features], tgt: &[Features], path: &[PathBead]) -> BeadSample {
        let mut sample = BeadSample::default();
        for bead in path
            .iter()
            .filter(|b| confident_pair(b, src.len(), tgt.len()))
        {
            sample.push_pair(src, tgt, bead);
        }
        sample
    }

    /// What [`Lexicon::learn`] keeps of [`BeadSample::of`]`(src, tgt, path)`, the same beads
    /// in the same order, without building the beads that thinning would drop: on a long
    /// book, building every confident bead's words and then halving them four times was a
    /// serial second. Each bead's co-occurrences are counted on rayon's threads (in order,
    /// so the same with any number); the thinning keeps the beads whose place among the
    /// confident ones is a multiple of `2^k`, for the least `k` that fits.
    pub(crate) fn of_learned(src: &[Features], tgt: &[Features], path: &[PathBead]) -> BeadSample {
        use rayon::prelude::*;
        let beads: Vec<&PathBead> = path
            .iter()
            .filter(|b| confident_pair(b, src.len(), tgt.len()))
            .collect();
        let counts: Vec<usize> = beads
            .par_iter()
            .with_min_len(1024)
            .map_init(
                || (Vec::new(), Vec::new()),
                |(s, t), b| {
                    words_into(&src[b.i..b.i + b.a], s);
                    words_into(&tgt[b.j..b.j + b.b], t);
                    let both = s.iter().filter(|k| t.binary_search(k).is_ok()).count();
                    (s.len() - both) * (t.len() - both)
                },
            )
            .collect();
        let mut step = 1;
        let mut total: usize = counts.iter().sum();
        while total > MAX_COOCCURRENCES {
            step *= 2;
            total = counts.iter().step_by(step).sum();
        }
        let mut sample = BeadSample::default();
        for &bead in beads.iter().step_by(step) {
            sample.push_pair(src, tgt, bead);
        }
        debug_assert_eq!(sample.cooccurrences, total);
        sample
    }

    /// Adds the words of a pair bead that only one of its sides holds.
    fn push_pair(&mut self, src: &[Features], tgt: &[Features], bead: &PathBead) {
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
        self.cooccurrences += s2.len() * t2.len();
        self.sides.push((s2, t2));
    }

    /// Adds the words of the confident pair beads of `path` for the word model: `src` and
    /// `tgt` hold each sentence's words ([`crate::features::model_words`], or for a table's
    /// model [`crate::features::comparable_words`]).
    pub(crate) fn add_words(&mut self, src: &[Vec<u64>], tgt: &[Vec<u64>], path: &[PathBead]) {
        let union = |units: &[Vec<u64>]| {
            let mut out: Vec<u64> = units.iter().flatten().copied().collect();
            out.sort_unstable();
            out.dedup();
            out
        };
        for bead in path
            .iter()
            .filter(|b| confident_pair(b, src.len(), tgt.len()))
        {
            let s = union(&src[bead.i..bead.i + bead.a]);
            let t = union(&tgt[bead.j..bead.j + bead.b]);
            self.word_cooccurrences += s.len() * t.len();
            self.words.push((s, t));
        }
        while self.word_cooccurrences > 2 * MAX_COOCCURRENCES {
            self.thin_words();
        }
    }

    /// Adds another sample, in order.
    pub fn extend(&mut self, other: BeadSample) {
        self.cooccurrences += other.cooccurrences;
        self.sides.extend(other.sides);
        self.word_cooccurrences += other.word_cooccurrences;
        self.words.extend(other.words);
        while self.cooccurrences > 2 * MAX_COOCCURRENCES {
            self.thin();
        }
        while self.word_cooccurrences > 2 * MAX_COOCCURRENCES {
            self.thin_words();
        }
    }

    /// Keeps every other bead.
    fn thin(&mut self) {
        let sides = std::mem::take(&mut self.sides);
        self.sides = sides.into_iter().step_by(2).collect();
        self.cooccurrences = cooccurrences(&self.sides);
    }

    /// Keeps every other bead of the words.
    fn thin_words(&mut self) {
        let words = std::mem::take(&mut self.words);
        self.words = words.into_iter().step_by(2).collect();
        self.word_cooccurrences = cooccurrences(&self.words);
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

/// Whether a bead of a first pass is a pair bead sure enough to learn from, and fits
/// documents of `n` and `m` sentences (a path of other documents does not).
fn confident_pair(b: &PathBead, n: usize, m: usize) -> bool {
    b.a > 0 && b.b > 0 && b.posterior >= MIN_POSTERIOR && b.i + b.a <= n && b.j + b.b <= m
}

/// The word pairs that beads of these sides hold.
fn cooccurrences(sides: &[(Vec<u64>, Vec<u64>)]) -> usize {
    sides.iter().map(|(s, t)| s.len() * t.len()).sum()
}

/// The sorted, distinct word keys of some units.
fn words(units: &[Features]) -> Vec<u64> {
    let mut out = Vec::new();
    words_into(units, &mut out);
    out
}

/// [`words`] into `out`, whose allocation it reuses.
fn words_into(units: &[Features], out: &mut Vec<u64>) {
    out.clear();
    out.extend(
        units
            .iter()
            .flat_map(|u| u.keys.iter())
            .filter(|k| k.kind() == KeyKind::Word)
            .map(|k| k.hash()),
    );
    out.sort_unstable();
    out.dedup();
}

/// Dense ids for the words in `min` to `max` beads, with the number of beads holding each.
fn vocabulary<'s>(
    sides: impl Iterator<Item = &'s [u64]>,
    min: u32,
    max: f64,
) -> KeyMap<(u32, u32)> {
    // Maps keyed by the key hashes themselves: SipHash was most of the serial time of
    // learning on a long book's sample. Nothing below depends on a map's order.
    let mut counts: KeyMap<u32> = KeyMap::default();
    for side in sides {
        for &w in side {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    let mut kept: Vec<(u64, u32)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= min && f64::from(c) <= max)
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
        while beads.word_cooccurrences > MAX_COOCCURRENCES {
            beads.thin_words();
        }
        let model = WordModel::learn(&beads.words, TABLE_MODEL_ITERATIONS);
        let total = beads.sides.len();
        if total < 2 * MIN_COUNT as usize {
            return Lexicon {
                model,
                ..Lexicon::default()
            };
        }
        let max = (MAX_SHARE * total as f64).max(f64::from(MIN_COUNT));
        let src_vocab = vocabulary(
            beads.sides.iter().map(|(s, _)| s.as_slice()),
            MIN_COUNT,
            max,
        );
        let tgt_vocab = vocabulary(
            beads.sides.iter().map(|(_, t)| t.as_slice()),
            MIN_COUNT,
            max,
        );
        if src_vocab.is_empty() || tgt_vocab.is_empty() {
            return Lexicon {
                model,
                ..Lexicon::default()
            };
        }
        let model1 = Model1::train(&beads.sides, &src_vocab, &tgt_vocab, ITERATIONS);
        let src_key: Vec<u64> = ids_to_keys(&src_vocab);
        let tgt_key: Vec<u64> = ids_to_keys(&tgt_vocab);
        let src_count: Vec<u32> = ids_to_counts(&src_vocab);
        let tgt_count: Vec<u32> = ids_to_counts(&tgt_vocab);
        let mut entries: KeyMap<Vec<(u64, f32)>> = KeyMap::default();
        for ((s, t), pid) in model1.sorted_pairs() {
            let both = model1.cooccurrence[pid];
            if both < MIN_COUNT {
                continue;
            }
            let strength = (model1.forward[pid] * model1.reverse[pid]).sqrt();
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
        let mut lexicon = Lexicon {
            entries,
            model,
            ..Lexicon::default()
        };
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
        let mut lexicon = Lexicon {
            entries,
            ..Lexicon::default()
        };
        lexicon.tidy();
        Ok(lexicon)
    }

    /// Reads a table written by [`Lexicon::write`].
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let format = table_format(text)?;
        let mut entries: KeyMap<Vec<(u64, f32)>> = KeyMap::default();
        let mut model = WordModel::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || {
                format!(
                    "line {}: expected 'target<TAB>source<TAB>strength', or 'f' or 'r' and \
                     three such fields (keys in hex), found {line:?}",
                    number + 1
                )
            };
            let fields: Vec<&str> = line.split('\t').collect();
            let (table, fields) = match fields.as_slice() {
                [t, s, w] => (&mut entries, [*t, *s, *w]),
                ["f", t, s, w] => (&mut model.forward, [*t, *s, *w]),
                ["r", s, t, w] => (&mut model.reverse, [*s, *t, *w]),
                _ => return Err(bad()),
            };
            // Tables written before keys held their kind in two bits of the hash have those
            // bits set at random: cleared, they name the keys of today.
            let key = |hex: &str| {
                u64::from_str_radix(hex, 16)
                    .map(word_hash)
                    .map_err(|_| bad())
            };
            let (word, partner) = (key(fields[0])?, key(fields[1])?);
            // Read as f64: an f32 parse turns a tiny positive strength (1e-300) into 0 and
            // refused it. Stored, it keeps the smallest normal f32, so it stays positive.
            let strength: f64 = fields[2].parse().map_err(|_| bad())?;
            if !(strength > 0.0 && strength <= 1.0) {
                return Err(format!(
                    "line {}: the strength {} must lie in (0, 1]: above 0 and at most 1",
                    number + 1,
                    fields[2]
                ));
            }
            let strength = (strength as f32).max(f32::MIN_POSITIVE);
            table.entry(word).or_default().push((partner, strength));
        }
        let dated_model = format < TABLE_FORMAT && !model.is_empty();
        let mut lexicon = Lexicon {
            entries,
            model,
            dated_model,
        };
        lexicon.tidy();
        Ok(lexicon)
    }

    /// True when the table's word model was read from a table of an earlier
    /// [`TABLE_FORMAT`]: comparable mode weighs it, but its confidences are calibrated for
    /// a table learned by this version (learn it again with `--lexicon-out`).
    pub fn dated_word_model(&self) -> bool {
        self.dated_model
    }

    /// The table as text: a header line, then `target key<TAB>source key<TAB>strength`,
    /// then the word model's rows, `f<TAB>target<TAB>source<TAB>p(target | source)` and
    /// `r<TAB>source<TAB>target<TAB>p(source | target)`; keys as hexadecimal hashes of the
    /// features' stems, sorted so that the same table always gives the same file.
    pub fn write(&self) -> String {
        let rows = |table: &KeyMap<Vec<(u64, f32)>>| {
            let mut rows: Vec<(u64, u64, f32)> = table
                .iter()
                .flat_map(|(&a, partners)| partners.iter().map(move |&(b, w)| (a, b, w)))
                .collect();
            rows.sort_unstable_by_key(|r| (r.0, r.1));
            rows
        };
        let mut out = format!(
            "{TABLE_HEADER}, format {TABLE_FORMAT}: target key, source key, strength; word model \
             rows start with f or r (hashed stems, see docs/formats.md)\n",
        );
        for (t, s, w) in rows(&self.entries) {
            let _ = writeln!(out, "{t:016x}\t{s:016x}\t{w:.4}");
        }
        for (tag, table) in [("f", &self.model.forward), ("r", &self.model.reverse)] {
            for (a, b, w) in rows(table) {
                let _ = writeln!(out, "{tag}\t{a:016x}\t{b:016x}\t{w:.4}");
            }
        }
        out
    }

    /// Adds `other`'s entries; where both hold a pair, the stronger counts.
    pub fn extend(&mut self, other: &Lexicon) {
        self.dated_model |= other.dated_model;
        for (mine, theirs) in [
            (&mut self.entries, &other.entries),
            (&mut self.model.forward, &other.model.forward),
            (&mut self.model.reverse, &other.model.reverse),
        ] {
            for (&t, partners) in theirs {
                mine.entry(t).or_default().extend_from_slice(partners);
            }
        }
        self.tidy();
    }

    /// Adds `other`'s entries for the target words this table holds none for (not its
    /// word model).
    pub(crate) fn extend_missing(&mut self, other: &Lexicon) {
        for (&t, partners) in &other.entries {
            self.entries.entry(t).or_insert_with(|| partners.clone());
        }
        self.tidy();
    }

    /// Sorts each word's partners, strongest first, one strength per partner, at most
    /// [`MAX_PARTNERS`] entries and [`WORD_PARTNERS`] in the word model.
    fn tidy(&mut self) {
        for (table, most) in [
            (&mut self.entries, MAX_PARTNERS),
            (&mut self.model.forward, WORD_PARTNERS),
            (&mut self.model.reverse, WORD_PARTNERS),
        ] {
            for partners in table.values_mut() {
                partners.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
                partners.dedup_by_key(|p| p.0);
                partners.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                partners.truncate(most);
            }
            table.retain(|_, partners| !partners.is_empty());
        }
    }

    /// How many pairs the table holds.
    pub fn len(&self) -> usize {
        self.entries.values().map(Vec::len).sum()
    }

    /// True when the table holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.model.is_empty()
    }

    /// The word model, when the table holds one (tables learned from beads do; read
    /// dictionaries do not).
    pub(crate) fn word_model(&self) -> Option<&WordModel> {
        (!self.model.is_empty()).then_some(&self.model)
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

/// The format a table's first line names: 1 when it names none (tables written before
/// formats were numbered, and tables written by hand); an error when it names one later
/// than [`TABLE_FORMAT`] or one that is not a number.
fn table_format(text: &str) -> Result<u32, String> {
    let first = text.lines().next().unwrap_or("").trim();
    let Some(rest) = first.strip_prefix(TABLE_HEADER) else {
        return Ok(1);
    };
    let Some(number) = rest.strip_prefix(", format ") else {
        return Ok(1);
    };
    let digits: &str = number
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or("");
    let format: u32 = digits.parse().map_err(|_| {
        format!("line 1: expected '{TABLE_HEADER}, format N: ...', found {first:?}")
    })?;
    if format > TABLE_FORMAT {
        return Err(format!(
            "the table is of format {format}, written by a later bitext; this one reads \
             formats 1 to {TABLE_FORMAT}"
        ));
    }
    Ok(format)
}

impl WordModel {
    /// Model 1 in both directions over the words of confident beads, by `iterations` rounds
    /// of EM: every word in [`WORD_MIN_COUNT`] beads or more, however common, since the
    /// grammar words are what the model adds to the entries.
    fn learn(beads: &[(Vec<u64>, Vec<u64>)], iterations: usize) -> WordModel {
        let max = beads.len() as f64;
        let src_vocab = vocabulary(beads.iter().map(|(s, _)| s.as_slice()), WORD_MIN_COUNT, max);
        let tgt_vocab = vocabulary(beads.iter().map(|(_, t)| t.as_slice()), WORD_MIN_COUNT, max);
        if src_vocab.is_empty() || tgt_vocab.is_empty() {
            return WordModel::default();
        }
        let model1 = Model1::train(beads, &src_vocab, &tgt_vocab, iterations);
        let (src_key, tgt_key) = (ids_to_keys(&src_vocab), ids_to_keys(&tgt_vocab));
        let mut model = WordModel::default();
        for ((s, t), pid) in model1.sorted_pairs() {
            let (s, t) = (src_key[s as usize], tgt_key[t as usize]);
            if model1.forward[pid] >= WORD_MIN_PROBABILITY {
                let p = model1.forward[pid] as f32;
                model.forward.entry(t).or_default().push((s, p));
            }
            if model1.reverse[pid] >= WORD_MIN_PROBABILITY {
                let p = model1.reverse[pid] as f32;
                model.reverse.entry(s).or_default().push((t, p));
            }
        }
        model
    }

    /// Model 1 over the words of `path`'s confident pair beads: what the parallel search
    /// weighs besides the sure pairs ([`super::model`]).
    pub(crate) fn of_path(src: &[Vec<u64>], tgt: &[Vec<u64>], path: &[PathBead]) -> WordModel {
        let mut sample = BeadSample::default();
        sample.add_words(src, tgt, path);
        WordModel::learn(&sample.words, ITERATIONS)
    }

    /// Model 1 over the words of a sample's beads ([`BeadSample::add_words`]), thinned
    /// evenly as [`Lexicon::learn`] thins them.
    pub(crate) fn of_sample(mut sample: BeadSample) -> WordModel {
        while sample.word_cooccurrences > MAX_COOCCURRENCES {
            sample.thin_words();
        }
        WordModel::learn(&sample.words, ITERATIONS)
    }

    /// Each word's own frequency among the words of `sentences`, smoothed by half a
    /// count: what the model's probability of a word is weighed against.
    pub(crate) fn frequencies(sentences: &[Vec<u64>]) -> impl Fn(u64) -> f64 + use<> {
        let mut counts: KeyMap<u32> = KeyMap::default();
        for &w in sentences.iter().flatten() {
            *counts.entry(w).or_insert(0) += 1;
        }
        let total =
            counts.values().map(|&c| f64::from(c)).sum::<f64>() + 0.5 * (counts.len() + 1) as f64;
        move |w: u64| (f64::from(counts.get(&w).copied().unwrap_or(0)) + 0.5) / total
    }

    /// A model that gives each (target word, source word) of `pairs` its probability
    /// both ways.
    #[cfg(test)]
    pub(crate) fn of_pairs(pairs: &[(u64, u64, f32)]) -> WordModel {
        let mut model = WordModel::default();
        for &(t, s, p) in pairs {
            model.forward.entry(t).or_default().push((s, p));
            model.reverse.entry(s).or_default().push((t, p));
        }
        model
    }

    /// The source words a target word is likely given, with p(target | source).
    pub(crate) fn forward_partners(&self, word: u64) -> Option<&[(u64, f32)]> {
        self.forward.get(&word).map(Vec::as_slice)
    }

    /// The target words a source word is likely given, with p(source | target).
    pub(crate) fn reverse_partners(&self, word: u64) -> Option<&[(u64, f32)]> {
        self.reverse.get(&word).map(Vec::as_slice)
    }

    /// The log likelihood ratio [`WordModel::evidence`] gives a word that the other side
    /// does not explain.
    pub fn miss() -> f64 {
        (1.0 - TABLE_MODEL_MIX).ln()
    }

    /// True when the model holds no word.
    pub fn is_empty(&self) -> bool {
        self.forward.is_empty() && self.reverse.is_empty()
    }

    /// The log likelihood ratio of a sentence pair of words `src` and `tgt` (each sorted,
    /// as [`crate::features::comparable_words`] gives them): how much likelier each side's words
    /// are given the other side under the model than by their own frequencies, `src_freq`
    /// and `tgt_freq` (each word's share of its document's words). The model's probability
    /// is mixed with the word's own frequency ([`TABLE_MODEL_MIX`]), so a word the other side
    /// does not explain costs the pair a little ([`WordModel::miss`]), and one it explains
    /// counts for it by about the log of its rarity. [`PairEvidence`] gives the same for
    /// the many pairs of two documents.
    #[cfg(test)]
    pub fn evidence(
        &self,
        src: &[u64],
        tgt: &[u64],
        src_freq: &dyn Fn(u64) -> f64,
        tgt_freq: &dyn Fn(u64) -> f64,
    ) -> f64 {
        one_way(&self.forward, src, tgt, tgt_freq) + one_way(&self.reverse, tgt, src, src_freq)
    }
}

/// [`WordModel::evidence`] for many pairs of sentences of two documents, bit for bit: each
/// word's partners that the other document holds, and its frequency, are looked up once
/// per distinct word of its document instead of once per pair, and a word of a pair is tested against the other
/// sentence through a mark per word of the other document instead of a search. Weighing
/// the candidates of comparable mode took 70% of its time in the lookups and searches.
pub(crate) struct PairEvidence {
    /// Target words given source sentences (the model's forward direction).
    forward: OneWay,
    /// Source words given target sentences.
    reverse: OneWay,
}

/// One direction of [`PairEvidence`].
struct OneWay {
    /// Per generated sentence: its words' range in `sentence_words`.
    sentences: Vec<std::ops::Range<usize>>,
    /// The generated sentences' words, as numbers in `words`.
    sentence_words: Vec<u32>,
    /// Per distinct word of the generated document: its partners' range in `partners`, and
    /// its frequency in its document.
    words: Vec<(std::ops::Range<usize>, f64)>,
    /// A word's partners that the given document holds, in the model's order: the given
    /// word's number in the given document, and the probability.
    partners: Vec<(u32, f32)>,
    /// Per given sentence: its words' numbers.
    given: Vec<Vec<u32>>,
    /// Per word of the given document: the last pair whose given sentence holds it.
    mark: Vec<u64>,
    /// The number of the pair being weighed.
    pair: u64,
}

impl OneWay {
    fn new(
        table: &KeyMap<Vec<(u64, f32)>>,
        given: &[Vec<u64>],
        generated: &[Vec<u64>],
        freq: &dyn Fn(u64) -> f64,
    ) -> OneWay {
        let mut number: KeyMap<u32> = KeyMap::default();
        let given: Vec<Vec<u32>> = given
            .iter()
            .map(|words| {
                words
                    .iter()
                    .map(|w| {
                        let next = number.len() as u32;
                        *number.entry(*w).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        let (mut sentences, mut sentence_words) = (Vec::new(), Vec::new());
        let (mut words, mut partners) = (Vec::new(), Vec::new());
        let mut generated_number: KeyMap<u32> = KeyMap::default();
        for sentence in generated {
            let start = sentence_words.len();
            for &word in sentence {
                let n = *generated_number.entry(word).or_insert_with(|| {
                    let first = partners.len();
                    if let Some(list) = table.get(&word) {
                        partners.extend(
                            list.iter()
                                .filter_map(|(g, p)| number.get(g).map(|&n| (n, *p))),
                        );
                    }
                    words.push((first..partners.len(), freq(word)));
                    (words.len() - 1) as u32
                });
                sentence_words.push(n);
            }
            sentences.push(start..sentence_words.len());
        }
        OneWay {
            sentences,
            sentence_words,
            words,
            partners,
            mark: vec![0; number.len()],
            given,
            pair: 0,
        }
    }

    /// [`one_way`] of generated sentence `generated` given sentence `given`.
    fn evidence(&mut self, given: usize, generated: usize) -> f64 {
        self.pair += 1;
        for &w in &self.given[given] {
            self.mark[w as usize] = self.pair;
        }
        let share = 1.0 / (self.given[given].len() + 1) as f64;
        let unexplained = (1.0 - TABLE_MODEL_MIX).ln();
        self.sentence_words[self.sentences[generated].clone()]
            .iter()
            .map(|&word| {
                let (partners, freq) = &self.words[word as usize];
                let explained: f64 = self.partners[partners.clone()]
                    .iter()
                    .filter(|(g, _)| self.mark[*g as usize] == self.pair)
                    .map(|&(_, p)| f64::from(p))
                    .sum();
                if explained == 0.0 {
                    // What the sum below gives, without the logarithm.
                    unexplained
                } else {
                    (TABLE_MODEL_MIX * explained * share / freq + (1.0 - TABLE_MODEL_MIX)).ln()
                }
            })
            .sum()
    }
}

impl PairEvidence {
    /// Prepares the pairs of sentences of `src` and `tgt` (each sentence's words sorted and
    /// distinct) for `model`, each word weighed against its frequency in its document
    /// ([`WordModel::frequencies`]).
    pub(crate) fn new(model: &WordModel, src: &[Vec<u64>], tgt: &[Vec<u64>]) -> PairEvidence {
        let (src_freq, tgt_freq) = (WordModel::frequencies(src), WordModel::frequencies(tgt));
        PairEvidence {
            forward: OneWay::new(&model.forward, src, tgt, &tgt_freq),
            reverse: OneWay::new(&model.reverse, tgt, src, &src_freq),
        }
    }

    /// [`WordModel::evidence`] of source sentence `i` and target sentence `j`.
    pub(crate) fn of(&mut self, i: usize, j: usize) -> f64 {
        self.forward.evidence(i, j) + self.reverse.evidence(j, i)
    }
}

/// The log likelihood ratio of `generated` given `given` under one direction of a word
/// model, against the words' own frequencies.
#[cfg(test)]
fn one_way(
    table: &KeyMap<Vec<(u64, f32)>>,
    given: &[u64],
    generated: &[u64],
    freq: &dyn Fn(u64) -> f64,
) -> f64 {
    // Model 1 shares each word's probability over the given words and a null word.
    let share = 1.0 / (given.len() + 1) as f64;
    generated
        .iter()
        .map(|&word| {
            let explained: f64 = table.get(&word).map_or(0.0, |partners| {
                partners
                    .iter()
                    .filter(|(g, _)| given.binary_search(g).is_ok())
                    .map(|&(_, p)| f64::from(p))
                    .sum()
            });
            (TABLE_MODEL_MIX * explained * share / freq(word) + (1.0 - TABLE_MODEL_MIX)).ln()
        })
        .sum()
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
    /// Each pair with its pair id, in pair order: what is built from the pairs comes out
    /// the same on every run.
    fn sorted_pairs(&self) -> Vec<((u32, u32), usize)> {
        let mut pairs: Vec<((u32, u32), usize)> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(pid, &pair)| (pair, pid))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    fn train(
        beads: &[(Vec<u64>, Vec<u64>)],
        src_vocab: &KeyMap<(u32, u32)>,
        tgt_vocab: &KeyMap<(u32, u32)>,
        iterations: usize,
    ) -> Model1 {
        // Pair ids by the pair's two ids mixed into one well-spread word (an odd multiplier
        // keeps distinct pairs distinct), for a map that hashes no further.
        let mut index: KeyMap<usize> = KeyMap::default();
        let mut pairs = Vec::new();
        let mut cooccurrence = Vec::new();
        // Each bead as its source ids, target ids and the pair ids of their product
        // (row-major: for each target word, each source word).
        let mut rows: Vec<(Vec<u32>, Vec<u32>, Vec<usize>)> = Vec::with_capacity(beads.len());
        for (s, t) in beads {
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
        // The two directions are independent: each on a thread of its own.
        let (forward, reverse) = rayon::join(
            || {
                em(
                    &rows,
                    &src_owner,
                    src_vocab.len(),
                    tgt_vocab.len(),
                    false,
                    iterations,
                )
            },
            || {
                em(
                    &rows,
                    &tgt_owner,
                    tgt_vocab.len(),
                    src_vocab.len(),
                    true,
                    iterations,
                )
            },
        );
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
/// the other way round. `owner` names each pair id's given word; `iterations` rounds.
fn em(
    rows: &[(Vec<u32>, Vec<u32>, Vec<usize>)],
    owner: &[u32],
    given_words: usize,
    generated_words: usize,
    reverse: bool,
    iterations: usize,
) -> Vec<f64> {
    // Uniform start: the first E-step then counts co-occurrences, shared out per word.
    let pairs = owner.len();
    let mut prob = vec![1.0 / generated_words.max(1) as f64; pairs];
    let mut null = vec![1.0 / generated_words.max(1) as f64; generated_words];
    let mut counts = vec![0.0f64; pairs];
    let mut totals = vec![0.0f64; given_words];
    let mut null_counts = vec![0.0f64; generated_words];
    for _ in 0..iterations {
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
pub(crate) mod tests {
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

    /// A path of `n` one-to-one beads, each sure enough to learn from.
    pub(crate) fn one_to_one(n: usize) -> Vec<PathBead> {
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
        for strength in ["1.5", "0", "-0.5", "NaN", "inf"] {
            let err = Lexicon::parse(&format!("00ff\t00fe\t{strength}\n")).unwrap_err();
            assert!(
                err.contains(&format!(
                    "line 1: the strength {strength} must lie in (0, 1]"
                )),
                "{err}"
            );
        }
    }

    #[test]
    fn a_tiny_positive_strength_is_read_as_positive() {
        let table = Lexicon::parse("00ff\t00fe\t1e-300\n").unwrap();
        let strengths: Vec<f32> = table.entries.values().flatten().map(|&(_, w)| w).collect();
        assert_eq!(strengths, [f32::MIN_POSITIVE]);
    }

    #[test]
    fn g2_is_zero_for_independent_words_and_grows_with_association() {
        assert_eq!(g2(1, 10, 10, 100), 0.0);
        assert!(g2(5, 5, 5, 100) > g2(5, 10, 10, 100));
        assert!(g2(5, 5, 5, 100) > MIN_G2);
    }

    /// Sentence pairs of a made-up language pair in which each source word has one
    /// translation: source words `s0`..., target words `t0`..., short and long alike.
    fn word_beads(count: usize) -> (Vec<Vec<u64>>, Vec<Vec<u64>>) {
        let (mut src, mut tgt) = (Vec::new(), Vec::new());
        for k in 0..count {
            let picks = [k % 7, 7 + k % 5, 12 + k % 3];
            src.push(picks.iter().map(|&w| 1000 + w as u64).collect());
            tgt.push(picks.iter().map(|&w| 2000 + w as u64).collect());
        }
        (src, tgt)
    }

    fn word_model(count: usize) -> Lexicon {
        let (src, tgt) = word_beads(count);
        let mut sample = BeadSample::default();
        sample.add_words(&src, &tgt, &one_to_one(count));
        Lexicon::learn(sample)
    }

    #[test]
    fn the_word_model_finds_a_translation_likelier_than_another_sentence() {
        let lexicon = word_model(105);
        let model = lexicon.word_model().expect("a model was learned");
        let freq = |_: u64| 0.05;
        let translation = model.evidence(&[1000, 1007, 1012], &[2000, 2007, 2012], &freq, &freq);
        let half = model.evidence(&[1000, 1007, 1012], &[2000, 2008, 2013], &freq, &freq);
        let none = model.evidence(&[1000, 1007, 1012], &[2001, 2008, 2013], &freq, &freq);
        assert!(
            translation > half && half > none,
            "{translation} {half} {none}"
        );
        assert!(translation > 0.0 && none < 0.0, "{translation} {none}");
        // A word the model never saw neither helps nor explains.
        let unknown = model.evidence(&[1000, 9999], &[2000, 8888], &freq, &freq);
        let known = model.evidence(&[1000], &[2000], &freq, &freq);
        assert!(unknown < known, "{unknown} {known}");
    }

    #[test]
    fn the_word_model_is_written_and_read_back() {
        let lexicon = word_model(105);
        let text = lexicon.write();
        assert!(text.lines().any(|l| l.starts_with("f\t")), "{text}");
        assert!(text.lines().any(|l| l.starts_with("r\t")), "{text}");
        let read = Lexicon::parse(&text).unwrap();
        assert!(read.word_model().is_some());
        assert!(!read.dated_word_model());
        assert_eq!(read.write(), text);
        assert!(Lexicon::parse("f\t00ff\t0a\n").is_err());
        assert!(Lexicon::parse("x\t00ff\t0a\t0.5\n").is_err());
        // A dictionary has no word model.
        assert!(
            Lexicon::from_dictionary("house @ casa\n")
                .unwrap()
                .word_model()
                .is_none()
        );
    }

    #[test]
    fn a_table_names_its_format_and_an_earlier_word_model_is_told() {
        let lexicon = word_model(105);
        let text = lexicon.write();
        let first = text.lines().next().unwrap();
        assert!(
            first.starts_with(&format!("{TABLE_HEADER}, format {TABLE_FORMAT}:")),
            "{first}"
        );
        // The same rows under the first line tables had before formats were numbered.
        let rows = text.split_once('\n').unwrap().1;
        let format_1 = format!("{TABLE_HEADER}: target key, source key, strength\n{rows}");
        let read = Lexicon::parse(&format_1).unwrap();
        assert!(read.dated_word_model());
        let current = Lexicon::parse(&text).unwrap();
        assert_eq!(
            read.word_model(),
            current.word_model(),
            "still read and weighed"
        );
        // Read with another table, the whole is told.
        let mut both = current.clone();
        both.extend(&read);
        assert!(both.dated_word_model());
        // A table of sure pairs alone has no word model to be dated.
        let pairs_only: String = format_1
            .lines()
            .filter(|l| !l.starts_with("f\t") && !l.starts_with("r\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(!Lexicon::parse(&pairs_only).unwrap().dated_word_model());
        // A later format is refused rather than misread; a format that is no number too.
        let later = text.replacen(
            &format!("format {TABLE_FORMAT}"),
            &format!("format {}", TABLE_FORMAT + 1),
            1,
        );
        let err = Lexicon::parse(&later).unwrap_err();
        assert!(err.contains("later bitext"), "{err}");
        let garbled = text.replacen(&format!("format {TABLE_FORMAT}"), "format two", 1);
        assert!(Lexicon::parse(&garbled).unwrap_err().contains("line 1"));
    }

    #[test]
    fn the_pairs_of_two_documents_are_weighed_as_each_pair_alone() {
        let lexicon = word_model(105);
        let model = lexicon.word_model().expect("a model was learned");
        // Sentences of known and unknown words, one empty, one repeating another's words.
        let src: Vec<Vec<u64>> = vec![
            vec![1000, 1007, 1012],
            vec![1001, 1003, 9999],
            vec![],
            vec![1000, 1001, 1002, 1003, 1004, 1005],
        ];
        let tgt: Vec<Vec<u64>> = vec![
            vec![2000, 2007, 2012],
            vec![2001, 8888],
            vec![2000, 2001, 2002, 2003],
            vec![],
        ];
        let (src_freq, tgt_freq) = (WordModel::frequencies(&src), WordModel::frequencies(&tgt));
        let mut pairs = PairEvidence::new(model, &src, &tgt);
        // In an order that revisits sentences, as the candidates do.
        for (i, j) in [
            (0, 0),
            (1, 2),
            (0, 1),
            (3, 2),
            (2, 0),
            (0, 3),
            (3, 0),
            (1, 1),
        ] {
            let alone = model.evidence(&src[i], &tgt[j], &src_freq, &tgt_freq);
            assert_eq!(pairs.of(i, j).to_bits(), alone.to_bits(), "pair {i}-{j}");
        }
    }
}
