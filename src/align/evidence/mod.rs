//! The evidence: each bead's score, as log-likelihood ratios of length, shared keys (with
//! the learned word links of [`lexicon`]) and punctuation, given the document pair's
//! parameters ([`super::params`]).

pub mod keys;
pub mod lexicon;
pub mod model;
pub mod order;

use keys::{KeyCounts, frequencies};
use lexicon::Links;

use super::params::Params;
use crate::features::{Features, KeyKind};

/// Weights that do not depend on the document: bead priors and evidence scales.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    /// Log prior of a bead with an empty side. A sentence left untranslated is rare in most
    /// translations (under one bead in fifty in the gold of MAC's chapters and the Bible's
    /// pairs, though one in ten in the OCR'd Text+Berg document), and where a translator
    /// writes freely a cheap null lets the search leave a sentence out rather than make the
    /// bead that holds it one sentence larger. Chosen by leaving
    /// each development family out (`scripts/eval-families.py`, strict F1 of each family
    /// at -4, -5, -6, -6.5, -7, -7.5, -8, -9 and -10, each family weighing the same): every
    /// held-out family's choice is -7, which gives Text+Berg 0.906 (0.900 at -4), MAC
    /// 0.810 (0.790), the Bible 0.944 (0.954) and the seeds 0.744 (0.738). With MAC held out
    /// the other three families score within 0.001 of each other from -4 to -8.
    pub null: f64,
    /// Log prior of a 1-2 or 2-1 bead.
    pub one_two: f64,
    /// Log prior of a 2-2 bead.
    pub two_two: f64,
    /// Log prior of a 1-3 or 3-1 bead, and of a 2-3 or 3-2 bead.
    pub one_three: f64,
    /// Log prior of a 1-4 or 4-1 bead. It must stay below the 1-3 prior: a 1-4 bead is a
    /// 1-3 bead that also took the next sentence, and at an equal prior taking it is free
    /// whenever the lengths allow, since the neighbouring bead then needs one sentence
    /// fewer (a 1-2 becomes a 1-1 and sheds the 1-2 prior). On free translation the search
    /// then makes 1-4 beads out of a right 1-3 and a neighbour's sentence. Leaving each
    /// development family out (`scripts/eval-families.py`, strict F1, the 1-3 prior minus
    /// 0 to 3): Text+Berg, the Bible and the seeds score the same from 0 to 2 below, and
    /// Text+Berg held out chooses 2 below (MAC's choice), where it scores as with an equal
    /// prior; with MAC held out the other families tie, and give it 0.773 (0 below) to
    /// 0.791 (2 below). One below is the smallest step that keeps the order.
    pub one_four: f64,
    /// Scale of the lexical log-likelihood ratio (tokens are not independent).
    pub lexical: f64,
    /// Scale of the word model's log-likelihood ratio ([`model`]), which the second pass
    /// of documents short enough to be searched whole weighs (0 leaves it out). Chosen by
    /// leaving each development family out (`scripts/eval-families.py`, strict F1 at 0,
    /// 0.1, 0.15, 0.2, 0.3 and 0.5, each family weighing the same): held out, Text+Berg
    /// chooses 0.2 (0.907; 0.906 without the model), MAC 0.15 (0.821; 0.810), the Bible
    /// 0.15 or 0.2 (0.948 or 0.947; 0.944) and the seeds 0.15 (0.744; 0.744). All four
    /// choose 0.15.
    pub model: f64,
    /// Reward for a punctuation class present on both sides.
    pub punct_match: f64,
    /// Penalty for a punctuation class present on one side only.
    pub punct_mismatch: f64,
    /// Reward when both sides of a bead open a paragraph.
    pub paragraph: f64,
    /// Offset of the length score of a bead with two non-empty sides.
    pub pair_bonus: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            null: -7.0,
            one_two: -2.0,
            two_two: -4.0,
            one_three: -5.0,
            one_four: -6.0,
            lexical: 0.5,
            model: 0.15,
            punct_match: 0.5,
            punct_mismatch: 0.5,
            paragraph: 1.0,
            pair_bonus: 3.0,
        }
    }
}

/// Standard deviations of length difference beyond which a bead is not worth scoring
/// further.
const HOPELESS_DELTA: f64 = 7.5;

/// Where the length penalty turns from quadratic to linear, in standard deviations.
/// Length differences have heavier tails than a Gaussian's: where a translator merges, splits
/// or rewrites, lengths disagree by more than the variance of plain one-to-one beads allows.
/// Measured on the development gold (Text+Berg with and without passages cut, seeds), a
/// linear tail from 2 standard deviations on lifts strict F1 and calibration; from 1.5 or
/// 2.5 it does less.
const LENGTH_TAIL: f64 = 2.0;

/// The negative log-likelihood of a length difference of `sqrt(squared)` standard
/// deviations: a Gaussian near the mean and a Laplace tail beyond [`LENGTH_TAIL`] (Huber's
/// loss). It takes the square so that most beads need no square root.
fn length_penalty(squared: f64) -> f64 {
    if squared <= LENGTH_TAIL * LENGTH_TAIL {
        0.5 * squared
    } else {
        LENGTH_TAIL * (squared.sqrt() - 0.5 * LENGTH_TAIL)
    }
}

/// A key of a unit with its log-likelihood ratios for a hit and for a miss. The lowest
/// bit of the hash is set for numbers (they are summed apart), which keeps the entry at
/// 16 bytes for the merge loops that dominate alignment time.
#[derive(Debug, Clone, Copy)]
struct WeightedKey {
    hash: u64,
    hit: f32,
    miss: f32,
}

/// What lets most beads skip the merge of two key lists: off the diagonal, most pairs of
/// units share no key at all.
#[derive(Debug, Clone, Copy, Default)]
struct Summary {
    /// One bit per key, chosen by the hash's top bits: lists whose signatures share no bit
    /// share no key.
    signature: u64,
    /// The keys' miss weights summed, `[words, numbers]` as in [`both_ways`].
    misses: [f32; 2],
}

impl Summary {
    fn of(keys: &[WeightedKey]) -> Summary {
        let mut summary = Summary::default();
        for k in keys {
            summary.signature |= 1 << (k.hash >> 58);
            summary.misses[(k.hash & 1) as usize] += k.miss;
        }
        summary
    }
}

/// A unit's or a group's weighted keys, sorted by hash, with their summary.
#[derive(Debug, Clone, Copy)]
struct Keys<'a> {
    keys: &'a [WeightedKey],
    summary: Summary,
}

/// A group's weighted keys, as [`Keys`] but owned.
#[derive(Debug, Clone, Default)]
struct KeyList {
    keys: Vec<WeightedKey>,
    summary: Summary,
}

impl KeyList {
    #[cfg(test)]
    fn new(keys: Vec<WeightedKey>) -> KeyList {
        let summary = Summary::of(&keys);
        KeyList { keys, summary }
    }

    fn view(&self) -> Keys<'_> {
        Keys {
            keys: &self.keys,
            summary: self.summary,
        }
    }
}

/// Units whose weighted keys [`UnitKeys`] keeps in one allocation.
const GROUP: usize = 64;

/// Every unit's weighted keys, the units of each [`GROUP`] one after the other in one
/// allocation: a list per unit, which lives through a search, cost an allocation and a
/// free each, a serial second and more on a long book. (One array for all the units would
/// cost more memory: it is too large for the space that the first pass's many small
/// allocations leave free, and a long book's peak grew by 60 MB.)
#[derive(Debug, Default)]
struct UnitKeys {
    groups: Vec<Box<[WeightedKey]>>,
    entries: Vec<Entry>,
}

/// A unit's summary and where its keys lie in its group's allocation, together: the
/// scoring loop reads both for every bead.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    summary: Summary,
    start: u32,
    len: u32,
}

impl UnitKeys {
    #[inline]
    fn slice(&self, unit: usize) -> &[WeightedKey] {
        let entry = &self.entries[unit];
        &self.groups[unit / GROUP][entry.start as usize..][..entry.len as usize]
    }

    #[inline]
    fn get(&self, unit: usize) -> Keys<'_> {
        let entry = &self.entries[unit];
        Keys {
            keys: &self.groups[unit / GROUP][entry.start as usize..][..entry.len as usize],
            summary: entry.summary,
        }
    }
}

/// The lexical and length evidence, split into its parts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parts {
    /// Length agreement.
    pub length: f64,
    /// Shared word keys.
    pub lexical: f64,
    /// Shared numbers.
    pub numbers: f64,
    /// Punctuation and paragraph agreement.
    pub punctuation: f64,
    /// Bead-type prior.
    pub prior: f64,
}

impl Parts {
    /// The total score.
    pub fn total(&self) -> f64 {
        self.length + self.lexical + self.numbers + self.punctuation + self.prior
    }
}

/// Scores beads between two sequences of units, with per-unit weights precomputed.
pub struct Scorer<'a> {
    src: &'a [Features],
    tgt: &'a [Features],
    src_keys: UnitKeys,
    tgt_keys: UnitKeys,
    params: Params,
    weights: Weights,
    /// [`Scorer::prior`] of each bead type, by its sides' units.
    priors: [[f64; WINDOW + 1]; WINDOW + 1],
    paragraphs: bool,
    /// The cache of the `&mut self` methods; [`Scorer::cache`] gives each thread its own.
    cache: ScoreCache,
    /// Prefix sums of unit lengths, and punctuation bits, kept compact for the hot loop.
    src_len: Vec<f64>,
    tgt_len: Vec<f64>,
    src_punct: Vec<u8>,
    tgt_punct: Vec<u8>,
    /// The word model's evidence, where the search weighs it.
    model: Option<&'a model::ModelEvidence>,
}

fn prefix_lengths(units: &[Features]) -> Vec<f64> {
    let mut sums = Vec::with_capacity(units.len() + 1);
    let mut total = 0.0;
    sums.push(total);
    for unit in units {
        total += unit.len;
        sums.push(total);
    }
    sums
}

/// Weighs each key of `units` by how surprising its presence in a partner on the other
/// side would be: the other side's document frequency is the chance rate.
///
/// A key's weights depend only on its kind and its document frequency, so they are
/// computed once for each frequency below [`WEIGHT_TABLE`]: two logarithms a key were
/// a tenth of the serial time of a 1M-sentence alignment, for each scorer. The units are
/// weighed on rayon's threads into allocations made here, at their size (the keys that
/// the other document holds are counted first, also on rayon's threads): lists allocated
/// on rayon's threads, which live through a search, would sit in the threads' own malloc arenas, which do not give their free space
/// to the main thread (the peak memory of the 100k Text+Berg documents grew by an eighth).
fn weigh(
    units: &[Features],
    translate: impl Fn(u64) -> u64 + Sync,
    other_df: &KeyCounts,
    other_len: usize,
    params: &Params,
) -> UnitKeys {
    let other_len = other_len.max(1) as f64;
    let weights = |df: u32, kind: KeyKind| -> (f32, f32) {
        let chance = (f64::from(df) / other_len).clamp(1e-4, 0.95);
        let (rate, cap) = match kind {
            KeyKind::Word => (params.word_rate, 6.0),
            KeyKind::Number => (params.number_rate, 7.0),
            KeyKind::SmallNumber => (params.number_rate, 1.0),
        };
        // An aligned partner is at least as likely to hold the key as any
        // sentence: a key that most sentences hold proves nothing either way.
        let aligned = rate.max(chance);
        let hit = (aligned / chance).ln().min(cap);
        let miss = ((1.0 - aligned) / (1.0 - chance)).ln().clamp(-3.0, 0.0);
        (hit as f32, miss as f32)
    };
    const KINDS: [KeyKind; 3] = [KeyKind::Word, KeyKind::Number, KeyKind::SmallNumber];
    let table: Vec<[(f32, f32); 3]> = (0..WEIGHT_TABLE)
        .map(|df| KINDS.map(|kind| weights(df, kind)))
        .collect();
    use rayon::prelude::*;
    let held = |hash: u64| other_df.contains_key(&translate(hash));
    // Each unit's number of keys that the other document holds, counted on rayon's threads,
    // so that each group's allocation is made here at its size.
    let mut entries = vec![Entry::default(); units.len()];
    entries
        .par_chunks_mut(GROUP)
        .zip(units.par_chunks(GROUP))
        .for_each(|(entries, part)| {
            let mut start = 0;
            for (entry, unit) in entries.iter_mut().zip(part) {
                let len = unit.keys.iter().filter(|key| held(key.hash())).count() as u32;
                (entry.start, entry.len) = (start, len);
                start += len;
            }
        });
    let placeholder = WeightedKey {
        hash: 0,
        hit: 0.0,
        miss: 0.0,
    };
    let mut groups: Vec<Box<[WeightedKey]>> = entries
        .chunks(GROUP)
        .map(|entries| {
            let len = entries.last().map_or(0, |e| e.start + e.len);
            vec![placeholder; len as usize].into_boxed_slice()
        })
        .collect();
    // Then the keys, weighed on rayon's threads into their groups' allocations.
    groups
        .par_iter_mut()
        .zip(units.par_chunks(GROUP))
        .zip(entries.par_chunks_mut(GROUP))
        .for_each(|((group, part), entries)| {
            let mut end = 0;
            for (unit, entry) in part.iter().zip(entries) {
                let start = end;
                for key in &unit.keys {
                    let hash = translate(key.hash());
                    let Some(&df) = other_df.get(&hash) else {
                        continue;
                    };
                    let kind = key.kind();
                    let (hit, miss) = match table.get(df as usize) {
                        Some(row) => row[kind as usize],
                        None => weights(df, kind),
                    };
                    group[end] = WeightedKey {
                        hash: (hash & !1) | u64::from(kind != KeyKind::Word),
                        hit,
                        miss,
                    };
                    end += 1;
                }
                let own = &mut group[start..end];
                own.sort_unstable_by_key(|k| k.hash);
                entry.summary = Summary::of(own);
            }
        });
    UnitKeys { groups, entries }
}

/// The document frequencies below which [`weigh`] looks a key's weights up in a table.
const WEIGHT_TABLE: u32 = 4096;

/// Fills `union` with the union of `lists`' keys, and its summary.
fn gather<'k>(
    union: &mut KeyList,
    spare: &mut Vec<WeightedKey>,
    lists: impl IntoIterator<Item = &'k [WeightedKey]>,
) {
    let into = &mut union.keys;
    into.clear();
    // Each unit's keys are sorted: merge them one by one instead of sorting the union.
    for unit in lists {
        spare.clear();
        let (mut a, mut b) = (0, 0);
        while a < into.len() && b < unit.len() {
            let (x, y) = (into[a].hash, unit[b].hash);
            if x < y {
                spare.push(into[a]);
                a += 1;
            } else {
                if x == y {
                    a += 1;
                }
                spare.push(unit[b]);
                b += 1;
            }
        }
        spare.extend_from_slice(&into[a..]);
        spare.extend_from_slice(&unit[b..]);
        std::mem::swap(into, spare);
    }
    union.summary = Summary::of(&union.keys);
}

/// The lexical evidence of both directions in one merge of two sorted key lists: each key
/// of either side scored as a hit or a miss on the other. Returns (words, numbers).
fn both_ways(a: Keys<'_>, b: Keys<'_>) -> (f64, f64) {
    // Every key counts as a miss, and a shared key then trades its misses for its hits: the
    // merge only has to find the shared keys, and lists that share none skip it.
    let (sa, sb) = (a.summary, b.summary);
    let mut sums = [sa.misses[0] + sb.misses[0], sa.misses[1] + sb.misses[1]];
    if sa.signature & sb.signature != 0 {
        let (a, b) = (a.keys, b.keys);
        let (mut x, mut y) = (0, 0);
        // Steps without a branch on the order of the two keys, which a predictor cannot
        // guess: the merge was a fifth of an alignment's time.
        while x < a.len() && y < b.len() {
            let (ka, kb) = (&a[x], &b[y]);
            if ka.hash == kb.hash {
                sums[(ka.hash & 1) as usize] += (ka.hit - ka.miss) + (kb.hit - kb.miss);
            }
            x += usize::from(ka.hash <= kb.hash);
            y += usize::from(kb.hash <= ka.hash);
        }
    }
    (f64::from(sums[0]), f64::from(sums[1]))
}

/// Slots of the target-group cache: the band moves slowly, so a ring indexed by the
/// group's first unit keeps every group a row needs.
const GROUP_CACHE_SLOTS: usize = 256;

/// A group's key union, tagged with the group's first unit (`usize::MAX` while empty).
type GroupSlot = (usize, KeyList);

/// The most units a side of a bead holds ([`super::lattice`]'s bead types take up to 4).
const WINDOW: usize = 4;

/// A key of the last units before a point (a [`Window`]), once for all its copies there.
#[derive(Debug, Clone, Copy)]
struct WindowKey {
    hash: u64,
    hit: f32,
    miss: f32,
    /// How many times the union of the last `d` units ([`gather`]'s) holds the key, at
    /// `d - 1`: the most that any one of them holds it (a target unit can hold a hash twice
    /// when two of its words are linked to the same source word).
    copies: [u8; WINDOW],
    /// The fewest last units that hold the key.
    first: u8,
    /// True when a union holds the key more than once.
    repeated: bool,
}

/// The keys of the last few units before a point, each with its copies in the union of
/// the last 1, 2, 3 and 4 units: one merge of two windows finds the shared keys of every
/// bead that ends at a point, where merging each bead's two unions found them once for
/// each bead type (most of an alignment's time).
#[derive(Debug, Clone, Default)]
struct Window {
    /// The unit the window ends before and its depth, `usize::MAX` while empty.
    end: usize,
    depth: usize,
    keys: Vec<WindowKey>,
    /// The misses of the union of the last `d` units at `d - 1`, summed as [`Summary::of`]
    /// sums them.
    misses: [[f32; 2]; WINDOW],
}

impl Window {
    fn empty() -> Window {
        Window {
            end: usize::MAX,
            ..Window::default()
        }
    }

    /// Fills the window with the keys of the `depth` units before `end` (fewer at the
    /// start), unless it holds them already.
    ///
    /// Each unit's keys are sorted by hash: they are merged, the last unit's copies of a
    /// hash first, where sorting all of them together was most of the window's time.
    fn fill(&mut self, units: &UnitKeys, end: usize, depth: usize) -> bool {
        if self.end == end && self.depth == depth {
            return false;
        }
        (self.end, self.depth) = (end, depth);
        let mut lists: [&[WeightedKey]; WINDOW] = [&[]; WINDOW];
        for d in 1..=depth.min(end) {
            lists[d - 1] = units.slice(end - d);
        }
        let mut at = [0usize; WINDOW];
        self.keys.clear();
        loop {
            let mut hash = None;
            for (list, &x) in lists.iter().zip(&at) {
                if let Some(k) = list.get(x) {
                    hash = Some(hash.map_or(k.hash, |h: u64| h.min(k.hash)));
                }
            }
            let Some(hash) = hash else {
                break;
            };
            let mut per_unit = [0u8; WINDOW];
            let mut first: Option<(usize, WeightedKey)> = None;
            for (d, (list, x)) in lists.iter().zip(&mut at).enumerate() {
                while let Some(&k) = list.get(*x).filter(|k| k.hash == hash) {
                    first.get_or_insert((d + 1, k));
                    per_unit[d] = per_unit[d].saturating_add(1);
                    *x += 1;
                }
            }
            let Some((first, key)) = first else {
                break;
            };
            let mut copies = [0u8; WINDOW];
            let mut most = 0;
            for d in 0..WINDOW {
                most = most.max(per_unit[d]);
                copies[d] = most;
            }
            self.keys.push(WindowKey {
                hash,
                hit: key.hit,
                miss: key.miss,
                copies,
                first: first as u8,
                repeated: most > 1,
            });
        }
        self.misses = [[0.0; 2]; WINDOW];
        for (d, misses) in self.misses.iter_mut().enumerate() {
            for k in &self.keys {
                for _ in 0..k.copies[d] {
                    misses[(k.hash & 1) as usize] += k.miss;
                }
            }
        }
        true
    }
}

/// Slots of the table that finds a key of a source window by its hash.
const TABLE_SLOTS: usize = 128;

/// Fills `table` with where each of `keys` lies (plus one; zero is empty), by open
/// addressing on the hash's top bits; false, with the table left as it was, when the keys
/// would fill more than half of it.
fn index_window(keys: &[WindowKey], table: &mut [u16; TABLE_SLOTS]) -> bool {
    if keys.len() > TABLE_SLOTS / 2 {
        return false;
    }
    table.fill(0);
    for (n, k) in keys.iter().enumerate() {
        let mut at = slot_of(k.hash);
        while table[at] != 0 {
            at = (at + 1) % TABLE_SLOTS;
        }
        table[at] = n as u16 + 1;
    }
    true
}

/// A hash's first slot in a window's table.
#[inline]
fn slot_of(hash: u64) -> usize {
    (hash >> (64 - TABLE_SLOTS.trailing_zeros())) as usize
}

/// The lexical evidence of both directions, as [`both_ways`] gives it, of each bead type
/// of `pairs` between the last units of `s` and of `t`, into `sums`: one merge of the two
/// windows, each shared key then added to the types whose two unions both hold it, as
/// many times as [`both_ways`]'s merge pairs its copies, in the same order.
///
/// With `table` (the source window's, [`index_window`]), each target key is looked up in
/// the source window instead: the target keys come in hash order, so the shared keys do too.
fn window_ways(
    s: &Window,
    table: Option<&[u16; TABLE_SLOTS]>,
    t: &Window,
    pairs: &[(usize, usize, usize)],
    within: &Within,
    sums: &mut [[f32; 2]; super::lattice::MAX_TYPES],
) {
    for (sum, &(_, a, b)) in sums.iter_mut().zip(pairs) {
        let (sa, tb) = (s.misses[a - 1], t.misses[b - 1]);
        *sum = [sa[0] + tb[0], sa[1] + tb[1]];
    }
    let mut shared = |ka: &WindowKey, kb: &WindowKey| {
        let gain = (ka.hit - ka.miss) + (kb.hit - kb.miss);
        let kind = (ka.hash & 1) as usize;
        if ka.repeated || kb.repeated {
            for (sum, &(_, a, b)) in sums.iter_mut().zip(pairs) {
                for _ in 0..ka.copies[a - 1].min(kb.copies[b - 1]) {
                    sum[kind] += gain;
                }
            }
        } else {
            // Once in each union that holds it: the types whose two sides reach back to
            // where it is.
            let mut types = within.src[ka.first as usize] & within.tgt[kb.first as usize];
            while types != 0 {
                sums[types.trailing_zeros() as usize][kind] += gain;
                types &= types - 1;
            }
        }
    };
    let (a, b) = (&s.keys, &t.keys);
    if let Some(table) = table {
        for kb in b {
            let mut at = slot_of(kb.hash);
            while let Some(x) = usize::from(table[at]).checked_sub(1) {
                let ka = &a[x];
                if ka.hash == kb.hash {
                    shared(ka, kb);
                    break;
                }
                at = (at + 1) % TABLE_SLOTS;
            }
        }
        return;
    }
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        let (ka, kb) = (&a[x], &b[y]);
        if ka.hash == kb.hash {
            shared(ka, kb);
        }
        x += usize::from(ka.hash <= kb.hash);
        y += usize::from(kb.hash <= ka.hash);
    }
}

/// For each number of last units `d`, the bead types (bits by their place in the types
/// scored) whose source side, and whose target side, holds at least `d` units.
#[derive(Debug, Clone, Default)]
struct Within {
    pairs: Vec<(usize, usize, usize)>,
    src: [u32; WINDOW + 1],
    tgt: [u32; WINDOW + 1],
}

impl Within {
    fn set(&mut self, pairs: &[(usize, usize, usize)]) {
        if self.pairs == pairs {
            return;
        }
        self.pairs = pairs.to_vec();
        (self.src, self.tgt) = ([0; WINDOW + 1], [0; WINDOW + 1]);
        for (slot, &(_, a, b)) in pairs.iter().enumerate() {
            for d in 0..=WINDOW {
                self.src[d] |= u32::from(a >= d) << slot;
                self.tgt[d] |= u32::from(b >= d) << slot;
            }
        }
    }
}

/// Target windows kept: a ring indexed by the window's end, as [`GROUP_CACHE_SLOTS`].
const WINDOW_SLOTS: usize = 512;

/// Unions of the keys of groups of consecutive units, computed once and reused across
/// the many beads that share a group, and the scratch list their merges use. What a cache
/// holds never changes a score, so threads that score the same pair of documents each keep
/// their own and share the [`Scorer`].
#[derive(Default)]
pub struct ScoreCache {
    src: Vec<GroupSlot>,
    tgt: Vec<GroupSlot>,
    spare: Vec<WeightedKey>,
    /// The source window of the row being scored and a ring of target windows, for
    /// [`Scorer::score_ending`](super::lattice::Score::score_ending).
    src_window: Window,
    tgt_windows: Vec<Window>,
    within: Within,
    /// The source window's table, when its keys fit ([`index_window`]).
    src_table: Table,
    src_indexed: bool,
}

/// A window's table ([`index_window`]).
struct Table([u16; TABLE_SLOTS]);

impl Default for Table {
    fn default() -> Table {
        Table([0; TABLE_SLOTS])
    }
}

impl ScoreCache {
    fn new() -> ScoreCache {
        ScoreCache::wide(WINDOW)
    }

    /// A cache for beads of up to `units` units a side.
    fn wide(units: usize) -> ScoreCache {
        ScoreCache {
            src: vec![(usize::MAX, KeyList::default()); units + 1],
            tgt: vec![(usize::MAX, KeyList::default()); (units + 1) * GROUP_CACHE_SLOTS],
            spare: Vec::new(),
            src_window: Window::empty(),
            tgt_windows: Vec::new(),
            within: Within::default(),
            src_table: Table::default(),
            src_indexed: false,
        }
    }
}

fn cached<'c>(
    slot: &'c mut GroupSlot,
    start: usize,
    units: &UnitKeys,
    len: usize,
    spare: &mut Vec<WeightedKey>,
) -> Keys<'c> {
    let (cached_start, union) = slot;
    if *cached_start != start {
        gather(union, spare, (start..start + len).map(|u| units.slice(u)));
        *cached_start = start;
    }
    union.view()
}

impl<'a> Scorer<'a> {
    /// Prepares the per-unit weights for `src` against `tgt`.
    pub fn new(src: &'a [Features], tgt: &'a [Features], params: Params, weights: Weights) -> Self {
        Scorer::with_links(src, tgt, params, weights, &Links::default())
    }

    /// The same, with the target's linked words counted as their source partners.
    pub fn with_links(
        src: &'a [Features],
        tgt: &'a [Features],
        params: Params,
        weights: Weights,
        links: &Links,
    ) -> Self {
        let (src_df, tgt_df) = frequencies(src, tgt, |hash| links.translate(hash));
        let src_keys = weigh(src, |hash| hash, &tgt_df, tgt.len(), &params);
        let tgt_keys = weigh(
            tgt,
            |hash| links.translate(hash),
            &src_df,
            src.len(),
            &params,
        );
        let paragraphs = src.iter().filter(|u| u.para_start).count() > 1
            && tgt.iter().filter(|u| u.para_start).count() > 1;
        let mut scorer = Scorer {
            src,
            tgt,
            src_keys,
            tgt_keys,
            params,
            weights,
            priors: [[0.0; WINDOW + 1]; WINDOW + 1],
            paragraphs,
            cache: ScoreCache::new(),
            src_len: prefix_lengths(src),
            tgt_len: prefix_lengths(tgt),
            src_punct: src.iter().map(|u| u.punct).collect(),
            tgt_punct: tgt.iter().map(|u| u.punct).collect(),
            model: None,
        };
        for a in 0..=WINDOW {
            for b in 0..=WINDOW {
                scorer.priors[a][b] = scorer.prior(a, b);
            }
        }
        scorer
    }

    /// The same scorer weighing the word model's evidence too.
    pub fn with_model(self, model: &'a model::ModelEvidence) -> Self {
        Scorer {
            model: Some(model),
            ..self
        }
    }

    /// The log prior of a bead type.
    pub fn prior(&self, a: usize, b: usize) -> f64 {
        let w = &self.weights;
        match (a, b) {
            (1, 1) => 0.0,
            (0, _) | (_, 0) => w.null,
            (1, 2) | (2, 1) => w.one_two,
            (2, 2) => w.two_two,
            (1, 4) | (4, 1) => w.one_four,
            _ => w.one_three,
        }
    }

    /// The score of a bead, split into its parts.
    pub fn parts(&mut self, i: usize, j: usize, a: usize, b: usize) -> Parts {
        let mut cache = std::mem::take(&mut self.cache);
        let parts = self.parts_with(&mut cache, i, j, a, b);
        self.cache = cache;
        parts
    }

    /// A cache of its own for a thread that scores with [`Scorer::parts_with`].
    pub fn cache(&self) -> ScoreCache {
        ScoreCache::new()
    }

    /// A cache of its own for [`Scorer::parts_with`] on beads of up to `units` units a
    /// side, more than the search's bead types hold.
    pub fn wide_cache(&self, units: usize) -> ScoreCache {
        ScoreCache::wide(units.max(WINDOW))
    }

    /// [`Scorer::parts`] through a cache of the caller's, so that threads can share one
    /// scorer.
    pub fn parts_with(
        &self,
        cache: &mut ScoreCache,
        i: usize,
        j: usize,
        a: usize,
        b: usize,
    ) -> Parts {
        self.parts_given(i, j, a, b, || self.shared_keys(cache, i, j, a, b))
    }

    /// [`Scorer::parts`] with the bead's shared keys (words, numbers) from `shared`, called
    /// only when the lengths leave the bead a chance.
    fn parts_given(
        &self,
        i: usize,
        j: usize,
        a: usize,
        b: usize,
        shared: impl FnOnce() -> (f64, f64),
    ) -> Parts {
        let mut parts = Parts {
            prior: self.prior(a, b),
            ..Parts::default()
        };
        if a == 0 || b == 0 {
            // Leaving a block out costs more than leaving one sentence out, but far less than
            // leaving each of its sentences out: at a coarse level, where the blocks of
            // a long book look alike, a dear block null makes the path shift by part of a
            // block across the rest of the book rather than mark an omission where it is,
            // and the finer bands cannot undo a shift that wide. On 100k-sentence documents
            // with passages of 333 to 1,666 sentences cut (scripts/scale.sh), the fourth
            // root of the block's size keeps strict F1 at 0.907 where the square root
            // fell to 0.71 and 0.89.
            //
            // A null bead of several blocks, a coarse level's jump over a long omission
            // (`search::COARSE_LEVEL_TYPES`), costs the fourth root of the product of the
            // sentences and the blocks it leaves out: `k` blocks as much as `√k` nulls of
            // one. A long omission then costs far less than a chain of nulls, whose cost
            // grows with its length until a path that shears across twice the omission
            // scores better; yet a pair of jumps, one a side, costs more than the blocks it
            // would skip bring, even where a coarse level's evidence is weak (with the fourth
            // root of the sentences alone, jumps skipped stretches of a long book that were
            // not cut, and strict F1 fell from 0.868 to 0.849 on the 300k-sentence document
            // with long cuts of `scripts/scale.sh`, where this gives 0.911).
            let units = if a == 0 {
                &self.tgt[j..j + b]
            } else {
                &self.src[i..i + a]
            };
            let sentences: u32 = units.iter().map(|unit| unit.sentences.max(1)).sum();
            parts.prior *= (f64::from(sentences) * units.len() as f64).sqrt().sqrt();
            return parts;
        }
        let w = self.weights;
        let p = self.params;
        let ls = self.src_len[i + a] - self.src_len[i];
        let lt = self.tgt_len[j + b] - self.tgt_len[j];
        // Gale and Church's variance, s² times the mean length in source characters:
        // s² · ratio · max((ls + lt / ratio) / 2, 1), written without a division.
        let expected = p.ratio * ls;
        let spread = (0.5 * p.variance * (expected + lt)).max(p.variance * p.ratio);
        let squared = (lt - expected) * (lt - expected) / spread;
        parts.length = w.pair_bonus - length_penalty(squared);
        if squared > HOPELESS_DELTA * HOPELESS_DELTA {
            // Lengths this far apart make the bead lose to any alternative whatever its
            // words say; the merge of key lists is the costly part, so skip it.
            return parts;
        }

        let (words, numbers) = shared();
        parts.lexical = w.lexical * words;
        parts.numbers = w.lexical * numbers;
        if let Some(model) = self.model {
            parts.lexical += model.bead(i, j, a, b);
        }

        let ps = self.src_punct[i..i + a].iter().fold(0u8, |acc, p| acc | p);
        let pt = self.tgt_punct[j..j + b].iter().fold(0u8, |acc, p| acc | p);
        let both = (ps & pt).count_ones() as f64;
        let one = (ps ^ pt).count_ones() as f64;
        parts.punctuation = w.punct_match * both - w.punct_mismatch * one;
        if self.paragraphs {
            match (self.src[i].para_start, self.tgt[j].para_start) {
                (true, true) => parts.punctuation += w.paragraph,
                (false, false) => {}
                _ => parts.punctuation -= w.paragraph,
            }
        }
        parts
    }

    /// The lexical evidence of a bead, before weighting: (shared words, shared numbers), each
    /// a log-likelihood ratio summed over the keys of both sides.
    fn shared_keys(
        &self,
        cache: &mut ScoreCache,
        i: usize,
        j: usize,
        a: usize,
        b: usize,
    ) -> (f64, f64) {
        let ScoreCache {
            src, tgt, spare, ..
        } = cache;
        let s = if a == 1 {
            self.src_keys.get(i)
        } else {
            cached(&mut src[a], i, &self.src_keys, a, spare)
        };
        let t = if b == 1 {
            self.tgt_keys.get(j)
        } else {
            cached(
                &mut tgt[b * GROUP_CACHE_SLOTS + j % GROUP_CACHE_SLOTS],
                j,
                &self.tgt_keys,
                b,
                spare,
            )
        };
        both_ways(s, t)
    }

    /// The weighted lexical evidence (words, numbers) that source unit `i` and target unit
    /// `j` say the same thing, whatever their lengths: for comparable documents, where
    /// length says nothing.
    pub fn lexical(&mut self, i: usize, j: usize) -> (f64, f64) {
        let mut cache = std::mem::take(&mut self.cache);
        let (words, numbers) = self.shared_keys(&mut cache, i, j, 1, 1);
        self.cache = cache;
        (self.weights.lexical * words, self.weights.lexical * numbers)
    }

    /// The lexical evidence of each unit's keys all missing from a partner, weighed as
    /// [`Scorer::lexical`] weighs them: what a pair that shares no key scores, source unit
    /// `i` with target unit `j`, is `src[i] + tgt[j]`.
    /// Each as `[words, numbers]`, as [`Scorer::lexical`] parts them.
    pub(crate) fn misses(&self) -> (Vec<[f64; 2]>, Vec<[f64; 2]>) {
        let side = |lists: &UnitKeys| -> Vec<[f64; 2]> {
            lists
                .entries
                .iter()
                .map(|e| &e.summary)
                .map(|l| l.misses.map(|miss| self.weights.lexical * f64::from(miss)))
                .collect()
        };
        (side(&self.src_keys), side(&self.tgt_keys))
    }

    /// Lexical similarity of one source and one target unit in [0, 1], for plots.
    pub fn similarity(&mut self, i: usize, j: usize) -> f64 {
        let (words, numbers) = self.lexical(i, j);
        1.0 / (1.0 + (-(words + numbers) / 2.0).exp())
    }
}

impl super::lattice::Score for Scorer<'_> {
    type Cache = ScoreCache;

    fn cache(&self) -> ScoreCache {
        Scorer::cache(self)
    }

    fn score(&self, cache: &mut ScoreCache, i: usize, j: usize, a: usize, b: usize) -> f64 {
        self.parts_with(cache, i, j, a, b).total()
    }

    fn score_ending(
        &self,
        cache: &mut ScoreCache,
        i: usize,
        j: usize,
        pairs: &[(usize, usize, usize)],
        valid: u32,
        out: &mut [f64],
    ) {
        let depth =
            |side: fn(&(usize, usize, usize)) -> usize| pairs.iter().map(side).max().unwrap_or(1);
        let (src_depth, tgt_depth) = (depth(|p| p.1), depth(|p| p.2));
        if src_depth > WINDOW || tgt_depth > WINDOW {
            for (slot, &(_, a, b)) in pairs.iter().enumerate() {
                out[slot] = if valid >> slot & 1 == 1 {
                    self.score(cache, i - a, j - b, a, b)
                } else {
                    f64::NEG_INFINITY
                };
            }
            return;
        }
        // The windows' merge, made when the first bead that the lengths leave a chance asks.
        let mut sums = [[0.0f32; 2]; super::lattice::MAX_TYPES];
        let mut merged = false;
        let mut shared = |slot: usize| -> (f64, f64) {
            if !merged {
                merged = true;
                let ScoreCache {
                    src_window,
                    tgt_windows,
                    within,
                    src_table,
                    src_indexed,
                    ..
                } = &mut *cache;
                within.set(pairs);
                if tgt_windows.is_empty() {
                    tgt_windows.resize(WINDOW_SLOTS, Window::empty());
                }
                if src_window.fill(&self.src_keys, i, src_depth) {
                    *src_indexed = index_window(&src_window.keys, &mut src_table.0);
                }
                let tgt_window = &mut tgt_windows[j % WINDOW_SLOTS];
                tgt_window.fill(&self.tgt_keys, j, tgt_depth);
                let table = src_indexed.then_some(&src_table.0);
                window_ways(src_window, table, tgt_window, pairs, within, &mut sums);
            }
            (f64::from(sums[slot][0]), f64::from(sums[slot][1]))
        };
        // What `parts_given` looks up for each bead, once for each side's number of units:
        // the lengths (the same differences of the same prefix sums) and the punctuation.
        let (mut src_len, mut tgt_len) = ([0.0; WINDOW + 1], [0.0; WINDOW + 1]);
        let (mut src_punct, mut tgt_punct) = ([0u8; WINDOW + 1], [0u8; WINDOW + 1]);
        for a in 1..=src_depth.min(i) {
            src_len[a] = self.src_len[i] - self.src_len[i - a];
            src_punct[a] = src_punct[a - 1] | self.src_punct[i - a];
        }
        for b in 1..=tgt_depth.min(j) {
            tgt_len[b] = self.tgt_len[j] - self.tgt_len[j - b];
            tgt_punct[b] = tgt_punct[b - 1] | self.tgt_punct[j - b];
        }
        let (w, p) = (&self.weights, &self.params);
        for (slot, &(_, a, b)) in pairs.iter().enumerate() {
            if valid >> slot & 1 == 0 {
                out[slot] = f64::NEG_INFINITY;
                continue;
            }
            // `parts_given`'s arithmetic, step for step.
            let mut parts = Parts {
                prior: self.priors[a][b],
                ..Parts::default()
            };
            let (ls, lt) = (src_len[a], tgt_len[b]);
            let expected = p.ratio * ls;
            let spread = (0.5 * p.variance * (expected + lt)).max(p.variance * p.ratio);
            let squared = (lt - expected) * (lt - expected) / spread;
            parts.length = w.pair_bonus - length_penalty(squared);
            if squared > HOPELESS_DELTA * HOPELESS_DELTA {
                // As `parts_given` skips the rest (a NaN goes on to the keys there too).
            } else {
                let (words, numbers) = shared(slot);
                parts.lexical = w.lexical * words;
                parts.numbers = w.lexical * numbers;
                if let Some(model) = self.model {
                    parts.lexical += model.bead(i - a, j - b, a, b);
                }
                let (ps, pt) = (src_punct[a], tgt_punct[b]);
                let both = (ps & pt).count_ones() as f64;
                let one = (ps ^ pt).count_ones() as f64;
                parts.punctuation = w.punct_match * both - w.punct_mismatch * one;
                if self.paragraphs {
                    match (self.src[i - a].para_start, self.tgt[j - b].para_start) {
                        (true, true) => parts.punctuation += w.paragraph,
                        (false, false) => {}
                        _ => parts.punctuation -= w.paragraph,
                    }
                }
            }
            out[slot] = parts.total();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Key;

    fn list(hashes: &[u64]) -> KeyList {
        let mut keys: Vec<WeightedKey> = hashes
            .iter()
            .map(|&hash| WeightedKey {
                hash,
                hit: 1.0 + (hash % 7) as f32,
                miss: -0.1 * (hash % 5) as f32,
            })
            .collect();
        keys.sort_unstable_by_key(|k| k.hash);
        KeyList::new(keys)
    }

    /// Both directions' evidence counted key by key, the slow way.
    fn naive(a: Keys<'_>, b: Keys<'_>) -> (f64, f64) {
        let mut sums = [0.0f64; 2];
        for (this, other) in [(a, b), (b, a)] {
            for k in this.keys {
                let shared = other.keys.iter().any(|o| o.hash == k.hash);
                sums[(k.hash & 1) as usize] += f64::from(if shared { k.hit } else { k.miss });
            }
        }
        (sums[0], sums[1])
    }

    #[test]
    fn both_ways_agrees_with_counting_key_by_key() {
        let top = |bits: u64, low: u64| (bits << 58) | low;
        let cases = [
            // Disjoint signatures: the summary answers.
            (vec![top(1, 10), top(2, 11)], vec![top(3, 12), top(4, 13)]),
            // A shared signature bit but no shared key: the merge answers.
            (vec![top(1, 10), top(2, 11)], vec![top(1, 12), top(5, 15)]),
            // Shared keys, words and numbers.
            (
                vec![top(1, 10), top(2, 11), top(6, 21)],
                vec![top(1, 10), top(2, 11), top(7, 23)],
            ),
            (vec![], vec![top(9, 3)]),
        ];
        for (a, b) in cases {
            let (a, b) = (list(&a), list(&b));
            let (fast, slow) = (both_ways(a.view(), b.view()), naive(a.view(), b.view()));
            assert!((fast.0 - slow.0).abs() < 1e-5, "{fast:?} {slow:?}");
            assert!((fast.1 - slow.1).abs() < 1e-5, "{fast:?} {slow:?}");
        }
    }

    /// Units with keys drawn from a small vocabulary, so that neighbours share many.
    fn units(seed: u64, n: usize, vocabulary: u64) -> Vec<Features> {
        let mut state = seed;
        let mut next = move |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        (0..n)
            .map(|_| {
                let mut keys: Vec<Key> = (0..next(12))
                    .map(|_| {
                        let word = next(vocabulary);
                        let kind = match word % 7 {
                            0 => KeyKind::Number,
                            1 => KeyKind::SmallNumber,
                            _ => KeyKind::Word,
                        };
                        Key::new(word.wrapping_mul(0x9e37_79b9_7f4a_7c15), kind)
                    })
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                Features {
                    len: 40.0 + next(30) as f64,
                    keys: keys.into_boxed_slice(),
                    punct: next(4) as u8,
                    para_start: next(5) == 0,
                    sentences: 1,
                }
            })
            .collect()
    }

    #[test]
    fn beads_scored_together_score_as_each_alone() {
        use crate::align::lattice::Score;
        let (mut fs, mut ft) = (units(1, 40, 60), units(2, 44, 60));
        // Two target words linked to one source word: a target unit then holds its hash twice.
        let key = |w: u64| Key::new(w.wrapping_mul(0x9e37_79b9_7f4a_7c15), KeyKind::Word);
        let word = |w: u64| key(w).hash();
        let add = |unit: &mut Features, words: &[u64]| {
            let mut keys = unit.keys.to_vec();
            keys.extend(words.iter().map(|&w| key(w)));
            keys.sort_unstable();
            keys.dedup();
            unit.keys = keys.into_boxed_slice();
        };
        for u in [3, 4, 20] {
            add(&mut fs[u], &[9]);
            add(&mut ft[u], &[5, 12]);
        }
        add(&mut ft[6], &[5]);
        let links = Links::of([
            (word(5), word(9)),
            (word(12), word(9)),
            (word(20), word(21)),
        ]);
        let params = super::super::params::initial(&fs, &ft);
        let scorer = Scorer::with_links(&fs, &ft, params, Weights::default(), &links);
        let repeated = (0..ft.len()).any(|u| {
            let keys = scorer.tgt_keys.slice(u);
            keys.windows(2).any(|w| w[0].hash == w[1].hash)
        });
        assert!(repeated, "no target unit holds a hash twice");
        for types in [
            &super::super::DEFAULT_BEAD_TYPES[..],
            &super::super::search::COARSE_BEAD_TYPES[..],
        ] {
            let pairs: Vec<(usize, usize, usize)> = types
                .iter()
                .enumerate()
                .filter(|&(_, &(a, b))| a > 0 && b > 0)
                .map(|(t, &(a, b))| (t, a, b))
                .collect();
            let (mut together, mut alone) = (scorer.cache(), scorer.cache());
            let mut out = vec![0.0; pairs.len()];
            // Rows from the end too, so that the windows kept are found stale.
            for i in (1..=fs.len()).chain((1..=fs.len()).rev()) {
                for j in 1..=ft.len() {
                    let valid = pairs
                        .iter()
                        .enumerate()
                        .filter(|&(_, &(_, a, b))| a <= i && b <= j)
                        .fold(0u32, |bits, (slot, _)| bits | 1 << slot);
                    scorer.score_ending(&mut together, i, j, &pairs, valid, &mut out);
                    for (slot, &(_, a, b)) in pairs.iter().enumerate() {
                        let want = if valid >> slot & 1 == 1 {
                            Score::score(&scorer, &mut alone, i - a, j - b, a, b)
                        } else {
                            f64::NEG_INFINITY
                        };
                        assert_eq!(out[slot].to_bits(), want.to_bits(), "{i} {j} {a} {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn group_union_counts_a_repeated_key_once() {
        let units = [list(&[4 << 58, 6 << 58]), list(&[6 << 58, 8 << 58])];
        let mut union = KeyList::default();
        gather(
            &mut union,
            &mut Vec::new(),
            units.iter().map(|u| u.keys.as_slice()),
        );
        let hashes: Vec<u64> = union.keys.iter().map(|k| k.hash).collect();
        assert_eq!(hashes, vec![4 << 58, 6 << 58, 8 << 58]);
        assert_eq!(union.summary.signature, (1 << 4) | (1 << 6) | (1 << 8));
    }

    #[test]
    fn length_penalty_is_gaussian_near_the_mean_and_linear_in_the_tail() {
        let penalty = |delta: f64| length_penalty(delta * delta);
        assert_eq!(penalty(0.0), 0.0);
        assert!((penalty(1.0) - 0.5).abs() < 1e-12);
        assert_eq!(penalty(-1.5), penalty(1.5));
        // Continuous where the tail starts.
        let edge = penalty(LENGTH_TAIL);
        assert!((penalty(LENGTH_TAIL + 1e-9) - edge).abs() < 1e-6);
        // Each further standard deviation costs the same, less than the Gaussian's.
        let step = penalty(6.0) - penalty(5.0);
        assert!((step - (penalty(9.0) - penalty(8.0))).abs() < 1e-12);
        assert!(penalty(6.0) < 0.5 * 36.0);
    }
}
