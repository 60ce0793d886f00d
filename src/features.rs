//! Per-sentence evidence for the aligner, computed once per sentence.
//!
//! Nothing here needs a dictionary. Each sentence becomes:
//! - its length in units that fit its script (whitespace excluded), for a Gale-Church length
//!   model: one per character, two per Han character (see [`Features::len`]);
//! - a sorted set of *keys*:
//!   - case- and accent-folded word stems put through a small spelling normalisation so that
//!     cognates meet (`Cazaquistão`, `Kazakhstan` → `kasak`; `Inovações`, `Inovasi` →
//!     `inova`); every script is romanised first, so `Казахстан` and `Καζακστάν` meet them
//!     too;
//!   - acronyms kept whole, and numbers normalised across conventions (`12,5` = `12.5`,
//!     `1.234,56` = `1,234.56`);
//!   - for scripts written without spaces (Han, Hiragana and Katakana, Thai, Lao, Khmer,
//!     Myanmar), character n-grams, which stand for the words no tokenizer finds;
//!   - *name keys*, which let a name in Han characters meet its romanised form (`林晓峰`,
//!     `Lin Xiaofeng`);
//! - a punctuation profile (? ! : quotes, parentheses).
//!
//! Every kind of key hashes with a tag of its own, so a Han bigram never meets a Latin
//! stem. Normalisation happens here only, for comparing; the text itself is never changed.

use unicode_normalization::char::is_combining_mark;

/// The kind of a key: numbers are stronger evidence than words and get their own rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// A word stem (cognate key) or an acronym.
    Word,
    /// A number of two or more significant characters.
    Number,
    /// A number of one digit: weak evidence (list items, chapter numbers).
    SmallNumber,
}

/// A hashed key with its kind in one word: two bits of the hash, [`KIND_BITS`], hold the
/// kind. Every sentence holds a dozen or more keys on each side, and a separate kind field
/// padded the key to 16 bytes: on 1M-sentence documents that was about 250 MB.
///
/// The two bits are taken from the middle of the hash, not its ends: the coarse levels of
/// the search sample keys by the hash's low bits and the scorer sorts and signs them by its
/// high bits, so with the kind there every key a level keeps, and every order, are what
/// they were with the whole hash. With the kind in the two low bits the coarse levels kept
/// other keys, and the 1M-sentence Text+Berg document of `scripts/scale.sh` (the dev
/// document repeated, where every block looks like the next) slipped by a whole copy:
/// strict F1 0.902 fell to 0.015. Ordered by the hash's high half, as keys were.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(u64);

/// Where a [`Key`] holds its kind.
const KIND_SHIFT: u32 = 30;

/// The bits of a [`Key`] that hold its kind; the hash has them clear.
pub const KIND_BITS: u64 = 0b11 << KIND_SHIFT;

impl Key {
    /// The key of a hash and a kind: the hash's [`KIND_BITS`] give way to the kind.
    pub fn new(hash: u64, kind: KeyKind) -> Key {
        let bits: u64 = match kind {
            KeyKind::Word => 0b00,
            KeyKind::Number => 0b01,
            KeyKind::SmallNumber => 0b11,
        };
        Key(word_hash(hash) | (bits << KIND_SHIFT))
    }

    /// Stable hash of the normalised form, its [`KIND_BITS`] clear.
    pub fn hash(self) -> u64 {
        word_hash(self.0)
    }

    /// What kind of token it came from.
    pub fn kind(self) -> KeyKind {
        match (self.0 & KIND_BITS) >> KIND_SHIFT {
            0b00 => KeyKind::Word,
            0b01 => KeyKind::Number,
            _ => KeyKind::SmallNumber,
        }
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({:016x}, {:?})", self.hash(), self.kind())
    }
}

/// A 64-bit hash as keys hold it: its [`KIND_BITS`] clear. Tables of word links written
/// before keys were packed hold whole hashes; reading them through this makes them meet
/// today's keys.
pub fn word_hash(hash: u64) -> u64 {
    hash & !KIND_BITS
}

/// The evidence of one sentence (or of a block of sentences at a coarse level).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Length in units, whitespace excluded: one per character, [`HAN_UNITS`] per Han
    /// character. Only ratios of lengths matter to the aligner (the length ratio of the two
    /// languages is estimated for each document pair).
    pub len: f64,
    /// Sorted, deduplicated keys: a boxed slice, which has no capacity to keep, so the
    /// features of a sentence take 32 bytes besides the keys instead of 40.
    pub keys: Box<[Key]>,
    /// Presence bits of `? ! : quotes (`, one per class.
    pub punct: u8,
    /// True when the sentence opens a paragraph.
    pub para_start: bool,
    /// How many sentences the unit holds (1, or more for a block at a coarse level).
    pub sentences: u32,
}

impl Features {
    /// Computes the features of one sentence.
    pub fn of(text: &str, para_start: bool) -> Features {
        let (len, punct) = length_and_punct(text);
        // One sentence's keys and tokens go through buffers kept by the thread: allocating
        // them for each sentence, and growing the keys' vector push by push, was a sixth of
        // the features' time.
        let keys = BUFFERS.with_borrow_mut(|(keys, scratch)| {
            keys.clear();
            spaced_keys(text, keys, scratch);
            // Every script written without spaces lies past U+0E00, three or more bytes in
            // UTF-8: most sentences of most languages skip the second scan on a byte test.
            if text.bytes().any(|b| b >= 0xe0) {
                unspaced_keys(text, keys, scratch);
            }
            keys.sort_unstable();
            keys.dedup();
            // Every sentence of both documents keeps its keys to the end of the alignment:
            // allocated at their exact size, with no spare capacity.
            Box::<[Key]>::from(keys.as_slice())
        });
        Features {
            len,
            keys,
            punct,
            para_start,
            sentences: 1,
        }
    }

    /// The union of several units' features (for coarse levels and group beads).
    pub fn merged<'a>(parts: impl IntoIterator<Item = &'a Features>) -> Features {
        let mut out = Features::default();
        let mut keys = Vec::new();
        let mut first = true;
        for part in parts {
            out.len += part.len;
            keys.extend_from_slice(&part.keys);
            out.punct |= part.punct;
            out.sentences += part.sentences;
            if first {
                out.para_start = part.para_start;
                first = false;
            }
        }
        keys.sort_unstable();
        keys.dedup();
        out.keys = keys.into_boxed_slice();
        out
    }
}

thread_local! {
    /// The keys of the sentence in hand and the token buffers, reused from one sentence to
    /// the next on each thread.
    static BUFFERS: std::cell::RefCell<(Vec<Key>, Scratch)> = std::cell::RefCell::default();
}

/// What an ASCII character counts for in [`length_and_punct`]: its punctuation class bits,
/// or [`ASCII_SPACE`], or [`ASCII_APOSTROPHE`].
const ASCII_CLASS: [u8; 128] = {
    let mut class = [0u8; 128];
    // The whitespace of `char::is_whitespace` (U+000B included, unlike
    // `u8::is_ascii_whitespace`).
    let mut b = 0x09;
    while b <= 0x0d {
        class[b] = ASCII_SPACE;
        b += 1;
    }
    class[b' ' as usize] = ASCII_SPACE;
    class[b'?' as usize] = 1;
    class[b'!' as usize] = 2;
    class[b':' as usize] = 4;
    class[b'"' as usize] = 8;
    class[b'\'' as usize] = ASCII_APOSTROPHE;
    class[b'(' as usize] = 16;
    class[b')' as usize] = 16;
    class[b'[' as usize] = 16;
    class[b']' as usize] = 16;
    class
};

/// In [`ASCII_CLASS`]: whitespace, which adds no length.
const ASCII_SPACE: u8 = 0x40;

/// In [`ASCII_CLASS`]: the apostrophe, a quote or not by its neighbours.
const ASCII_APOSTROPHE: u8 = 0x80;

/// The length of a sentence in units (see [`Features::len`]) and its punctuation profile.
///
/// Most characters of most sentences are ASCII: they are read as bytes, through a table,
/// and counted in an integer apart from the other characters' units. Every unit weight is a
/// whole number, so the two sums are exact and their total is the sum taken character by
/// character ([`length_and_punct_by_char`], which the tests compare with this).
fn length_and_punct(text: &str) -> (f64, u8) {
    let bytes = text.as_bytes();
    let mut ascii_units = 0u32;
    let mut other_units = 0.0;
    let mut punct = 0u8;
    let mut prev = ' ';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let class = ASCII_CLASS[usize::from(b)];
            ascii_units += u32::from(class & ASCII_SPACE == 0);
            punct |= class & 0x1f;
            if class & ASCII_APOSTROPHE != 0 && is_single_quote(prev, text[i + 1..].chars()) {
                punct |= 8;
            }
            prev = char::from(b);
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if !c.is_whitespace() {
            other_units += length_units(c);
        }
        punct |= match c {
            '¿' | '？' => 1,
            '¡' | '！' => 2,
            '“' | '”' | '«' | '»' | '„' | '‚' | '‘' | '‹' | '›' | '「' | '」' | '『' | '』' => {
                8
            }
            '’' if is_single_quote(prev, text[i..].chars()) => 8,
            _ => 0,
        };
        prev = c;
    }
    (f64::from(ascii_units) + other_units, punct)
}

/// [`length_and_punct`] character by character, as it was written first: what the fast
/// path must give.
#[cfg(test)]
fn length_and_punct_by_char(text: &str) -> (f64, u8) {
    let mut len = 0.0;
    let mut punct = 0u8;
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_whitespace() {
            len += length_units(c);
        }
        punct |= match c {
            '?' | '¿' | '？' => 1,
            '!' | '¡' | '！' => 2,
            ':' => 4,
            '"' | '“' | '”' | '«' | '»' | '„' | '‚' | '‘' | '‹' | '›' | '「' | '」' | '『'
            | '』' => 8,
            '\'' | '’' if is_single_quote(prev, chars.clone()) => 8,
            '(' | ')' | '[' | ']' => 16,
            _ => 0,
        };
        prev = c;
    }
    (len, punct)
}

/// Whether an apostrophe between `prev` and the characters `next` quotes speech rather than
/// eliding a letter: British, Dutch and much German typesetting quote dialogue with single
/// marks, where a novel's dialogue is the clearest sign two sentences say the same thing.
/// An opening mark follows a space or a bracket and starts a word of two or more letters
/// (not the elisions `'t`, `'s`, `'n`); a closing one follows sentence punctuation.
fn is_single_quote(prev: char, mut next: impl Iterator<Item = char>) -> bool {
    let after = next.next();
    if prev.is_whitespace() || matches!(prev, '(' | '[' | '—' | '–' | '"' | '“') {
        return after.is_some_and(char::is_alphabetic)
            && next.next().is_some_and(char::is_alphabetic);
    }
    matches!(prev, '.' | ',' | '!' | '?' | '…' | '—' | ';' | '-')
        && !after.is_some_and(char::is_alphanumeric)
}

/// Length units of a Han character, which carries more than a letter: the English of the
/// MAC-Dev chapters has 2.9 to 4.3 characters (whitespace excluded) per character of the
/// Chinese. The length ratio is estimated for each document pair, so what this weight
/// changes is how Han characters count against the punctuation, digits and Latin letters
/// of the same sentence, and the variance, whose prior and bounds were fitted on letters.
/// Measured on those chapters, strict F1 with 1, 1.5, 2, 2.5 and 3 units: 0.667, 0.661,
/// 0.669, 0.668, 0.667 with Chinese as the source, 0.660, 0.666, 0.674, 0.663, 0.674 with
/// English as the source; lax F1 0.871 and 0.899 at 1 unit, 0.872 and 0.895 at 2. A small
/// gain, mostly where Chinese is the target and the variance is counted in its units.
pub const HAN_UNITS: f64 = 2.0;

/// Length units of a Hiragana or Katakana character: a syllable, where a Han character is
/// often two. No development data has Japanese, so this stays at one until measured.
const KANA_UNITS: f64 = 1.0;

/// How much a character adds to a sentence's length.
fn length_units(c: char) -> f64 {
    if c < '\u{0e00}' {
        return 1.0;
    }
    match unspaced(c) {
        Some(Unspaced::Han) => HAN_UNITS,
        Some(Unspaced::Kana) => KANA_UNITS,
        _ => 1.0,
    }
}

/// Scripts written without spaces between words, whose keys are character n-grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unspaced {
    /// Han ideographs: Chinese, and the kanji of Japanese.
    Han,
    /// Hiragana and Katakana.
    Kana,
    /// Thai, Lao, Khmer and Myanmar: alphabets with vowel signs and tone marks.
    Thai,
    Lao,
    Khmer,
    Myanmar,
}

impl Unspaced {
    /// Han and Kana mix within Japanese words (`食べる`): n-grams run across them.
    fn run(self) -> Unspaced {
        match self {
            Unspaced::Kana => Unspaced::Han,
            other => other,
        }
    }
}

/// The script of `c` if it is one written without spaces between words.
fn unspaced(c: char) -> Option<Unspaced> {
    Some(match u32::from(c) {
        0x0e00..=0x0e7f => Unspaced::Thai,
        0x0e80..=0x0eff => Unspaced::Lao,
        0x1000..=0x109f | 0xa9e0..=0xa9ff | 0xaa60..=0xaa7f => Unspaced::Myanmar,
        0x1780..=0x17ff | 0x19e0..=0x19ff => Unspaced::Khmer,
        0x3041..=0x309f | 0x30a1..=0x30ff | 0x31f0..=0x31ff | 0xff66..=0xff9f => Unspaced::Kana,
        0x3005 | 0x3007 | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff => Unspaced::Han,
        0x20000..=0x323af => Unspaced::Han,
        _ => return None,
    })
}

/// Whether `c` belongs to a word of a spaced script: a letter or digit, or a mark inside a
/// word (the virama of `दिल्ली`, which is neither).
fn is_word_char(c: char, inside: bool) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric() || (inside && is_combining_mark(c))) && unspaced(c).is_none()
}

/// Reused buffers, so that tokens need no allocation of their own.
#[derive(Default)]
struct Scratch {
    /// A token folded and romanised.
    latin: String,
    /// Its spelling stem.
    stem: String,
    /// The previous token, folded and romanised, while it is a capitalised word.
    name: String,
}

/// Keys of the words of spaced scripts: words, acronyms and numbers (see [`key_of`]), and a
/// *name key* for each pair of capitalised words that could both be pinyin (`Lin Xiaofeng`
/// gives `linxiaofeng`), which meets the name written in Han characters (see
/// [`unspaced_keys`]). Name keys have a tag of their own, so a romanised Han pair (`我们`,
/// `women`) cannot meet a lowercase word.
///
/// Single capitalised words get no name key: in a pair of Latin-script documents every
/// name that reads as pinyin (many Himalayan names do) would count twice. Measured: name
/// keys for single words of two or more syllables lift strict F1 on the MAC-Dev
/// Chinese-English chapters by another 0.006 (0.011 with English as the source), but cost
/// Text+Berg 0.007, and without the pinyin test they break the EN-FR seeds' comparable
/// thresholds.
fn spaced_keys(text: &str, keys: &mut Vec<Key>, scratch: &mut Scratch) {
    // The previous token while it is a capitalised word, and where it ends.
    let mut previous: Option<(usize, &str)> = None;
    for_each_token(text, |start, token| {
        let mut chars = token.chars();
        let capitalised = chars.next().is_some_and(char::is_uppercase);
        if let Some(key) = key_of(token, capitalised, scratch) {
            keys.push(key);
        }
        let is_name = capitalised
            && chars.next().is_some_and(char::is_lowercase)
            && !token.bytes().any(|b| b.is_ascii_digit());
        if !is_name {
            previous = None;
            return;
        }
        if let Some((end, first)) = previous {
            let Scratch { latin, stem, name } = scratch;
            if start == end + 1 && text.as_bytes()[end] == b' ' {
                romanise(first, name);
                romanise(token, latin);
                if is_pinyin(name) && is_pinyin(latin) {
                    name.push_str(latin);
                    spelling_stem(name, stem);
                    push_name_key(stem, keys);
                }
            }
        }
        previous = Some((start + token.len(), token));
    });
}

/// Whether a romanised word could be pinyin: a run of syllables of an initial and a final
/// (`xiaofeng`, `beijing`; not `london`, nor `aeon`, whose second syllable would open
/// with a vowel, which pinyin marks with an apostrophe: `xi'an`).
fn is_pinyin(word: &str) -> bool {
    // Every consonant but v opens a syllable; these finals close it (v for ü).
    const FINALS: [&str; 33] = [
        "iang", "iong", "uang", "ang", "eng", "ing", "ong", "uai", "uan", "iao", "ian", "ai", "ei",
        "ao", "ou", "an", "en", "in", "un", "ia", "ie", "iu", "ua", "uo", "ui", "ue", "er", "a",
        "o", "e", "i", "u", "v",
    ];
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 32 {
        return false;
    }
    // reachable[i]: the first i bytes split into syllables.
    let mut reachable = [false; 33];
    reachable[0] = true;
    for i in 0..bytes.len() {
        if !reachable[i] {
            continue;
        }
        let rest = &bytes[i..];
        // The initial is never ambiguous: no final opens with `h` or a consonant. A syllable
        // inside a word opens with a consonant (pinyin writes `xi'an` otherwise).
        let initial = match rest {
            [b'z' | b'c' | b's', b'h', ..] => 2,
            [b'a' | b'e' | b'i' | b'o' | b'u', ..] if i == 0 => 0,
            [b'a' | b'e' | b'i' | b'o' | b'u' | b'v', ..] => continue,
            [_, ..] => 1,
            [] => continue,
        };
        let after = &rest[initial..];
        for f in FINALS.iter().map(|f| f.as_bytes()) {
            // Compared in line: `starts_with` called `memcmp` for each of these few bytes,
            // and German, whose nouns are capitalised, asks this of most sentences.
            if f.len() <= after.len() && f.iter().zip(after).all(|(x, y)| x == y) {
                reachable[i + initial + f.len()] = true;
            }
        }
    }
    reachable[bytes.len()]
}

/// The words of a sentence for a translation model ([`crate::Lexicon`]'s word model): its
/// word keys, and its short words (under four letters), which the keys leave out because
/// across languages they meet by chance, but which a model learned from a parallel corpus
/// can pair (function words, particles, pronouns), and which then tell a sentence's
/// translation from another sentence about the same things. Sorted and distinct.
pub fn model_words(text: &str, features: &Features) -> Vec<u64> {
    words_and_units(text, features, false)
}

/// The word keys of a sentence and its short words romanised, as [`model_words`] gives
/// them, and with `heads_and_endings` also each longer word's head and ending, as
/// [`comparable_words`] gives them: one pass over the sentence's tokens for either.
fn words_and_units(text: &str, features: &Features, heads_and_endings: bool) -> Vec<u64> {
    let mut words: Vec<u64> = features
        .keys
        .iter()
        .filter(|k| k.kind() == KeyKind::Word)
        .map(|k| k.hash())
        .collect();
    let mut latin = String::new();
    for_each_token(text, |_, token| {
        if token.bytes().any(|b| b.is_ascii_digit()) {
            return;
        }
        if token.chars().count() >= 4 && !heads_and_endings {
            return;
        }
        token_units(token, &mut latin, heads_and_endings, &mut words);
    });
    words.sort_unstable();
    words.dedup();
    words
}

/// Pushes the units of a token that [`words_and_units`] adds to the keys: the token
/// romanised when it is short (under four letters), and with `heads_and_endings` its head
/// and ending when it is long enough to have them. `latin` is scratch space.
fn token_units(token: &str, latin: &mut String, heads_and_endings: bool, units: &mut Vec<u64>) {
    romanise(token, latin);
    if token.chars().count() < 4 && !latin.is_empty() {
        units.push(word_hash(hash(b'm', latin)));
    }
    if heads_and_endings {
        // Romanised, the word is ASCII: its length is its count of letters.
        let len = latin.len();
        if len >= HEAD_MIN {
            units.push(word_hash(hash(b'p', &latin[..HEAD_LEN])));
        }
        if len >= ENDING_MIN {
            units.push(word_hash(hash(b's', &latin[len - ENDING_LEN..])));
        }
    }
}

/// The words of a sentence in the order they are written, for the order evidence of
/// comparable mode: each word of a spaced script as the units [`comparable_words`] gives
/// it (its key, or the word itself when it is short, its head and its ending), and each
/// character of a script written without spaces as the keys that end at it (a Han
/// character and the pair it closes; the pairs and triples of the others). Numbers are left
/// out, as they are from the word model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordOrder {
    /// Every word's units, word after word.
    units: Vec<u64>,
    /// Where each word's units end in `units`.
    ends: Vec<u32>,
}

impl WordOrder {
    /// The words of `text` in order.
    pub fn of(text: &str) -> WordOrder {
        let mut scratch = Scratch::default();
        let mut latin = String::new();
        // The spaced words: each one's offset and where its units end.
        let mut spaced = WordOrder::default();
        let mut offsets = Vec::new();
        for_each_token(text, |offset, token| {
            if token.bytes().any(|b| b.is_ascii_digit()) {
                return;
            }
            let capitalised = token.chars().next().is_some_and(char::is_uppercase);
            let start = spaced.units.len();
            if let Some(key) = key_of(token, capitalised, &mut scratch) {
                spaced.units.push(key.hash());
            }
            token_units(token, &mut latin, true, &mut spaced.units);
            if spaced.units.len() > start {
                spaced.ends.push(spaced.units.len() as u32);
                offsets.push(offset);
            }
        });
        // As in Features::of, only text with a character past U+0E00 can hold any.
        if !text.bytes().any(|b| b >= 0xe0) {
            return spaced;
        }
        let mut grams = Vec::new();
        let mut marks: Vec<(usize, usize)> = Vec::new();
        unspaced_keys_at(text, &mut grams, &mut scratch, |offset, len| {
            marks.push((offset, len));
        });
        marks.push((text.len(), grams.len()));
        // The two kinds of word merged by their offsets in the text.
        let mut order = WordOrder::default();
        let mut spaced_words = offsets.iter().zip(spaced.words()).peekable();
        for pair in marks.windows(2) {
            let ((offset, start), (_, end)) = (pair[0], pair[1]);
            if start == end {
                continue;
            }
            while let Some((_, units)) = spaced_words.next_if(|(o, _)| **o < offset) {
                order.push(units.iter().copied());
            }
            order.push(grams[start..end].iter().map(|k| k.hash()));
        }
        for (_, units) in spaced_words {
            order.push(units.iter().copied());
        }
        order
    }

    /// Adds a word of these units.
    fn push(&mut self, units: impl Iterator<Item = u64>) {
        self.units.extend(units);
        self.ends.push(self.units.len() as u32);
    }

    /// Each word's units, in order.
    pub fn words(&self) -> impl Iterator<Item = &[u64]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.units[start as usize..end as usize])
    }
}

/// How many letters of a word's start make its head in [`comparable_words`]...
const HEAD_LEN: usize = 3;

/// ...taken from words of at least this many letters.
const HEAD_MIN: usize = 4;

/// How many letters of a word's end make its ending in [`comparable_words`]...
const ENDING_LEN: usize = 4;

/// ...taken from words of at least this many letters.
const ENDING_MIN: usize = 5;

/// The words of a sentence for the word model of a table that comparable mode weighs
/// pairs with: [`model_words`], and for each word of four letters or more its first three
/// letters as a unit of its own (its *head*), for each of five or more its last four (its
/// *ending*). Where words inflect with prefixes (noun classes, subject and object markers,
/// joined particles), the five-letter stem of a key is mostly affixes and the stem shows in
/// the ending; where they inflect with suffixes, the head is the stem with fewer of them. A
/// model learned from a few hundred sentence pairs meets most whole stems once or twice,
/// and these units often enough to link. Measured on the documents of
/// `scripts/eval-comparable.py --learn-rest`: the share of translated lines found at
/// precision 0.9 rose from 0.29 to 0.39 (seed 2024) and from 0.28 to 0.38 (seed 7), with
/// the pairs' lengths weighed anew; with the old weights, endings alone gave 0.36 and 0.31,
/// endings of four letters from words of four or more 0.36 and 0.34, heads and endings
/// 0.39 and 0.34, and every word's letter 4-grams 0.21 (seed 2024). Parallel mode's own
/// model keeps [`model_words`]: there a word's units would count as three witnesses of
/// one word, which its search was not weighed for. Sorted and distinct.
pub fn comparable_words(text: &str, features: &Features) -> Vec<u64> {
    words_and_units(text, features, true)
}

/// Pushes the name key of a stem, unless it is too short to be a name.
fn push_name_key(stem: &str, keys: &mut Vec<Key>) {
    if stem.len() >= 3 {
        keys.push(Key::new(hash(b'N', stem), KeyKind::Word));
    }
}

/// Calls `f` on every token of a spaced script with its byte offset: maximal runs of
/// letters and digits, where `.` and `,` between digits stay inside (numbers) and `-`
/// between letters splits. Characters of scripts written without spaces split tokens.
fn for_each_token<'t>(text: &'t str, mut f: impl FnMut(usize, &'t str)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII characters, most of most texts, are tested as bytes; a character after
        // this one is an ASCII digit exactly when its first byte is.
        let (inside, width) = if b < 0x80 {
            let inside = b.is_ascii_alphanumeric()
                || (matches!(b, b'.' | b',')
                    && start.is_some()
                    && i > 0
                    && bytes[i - 1].is_ascii_digit()
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
            (inside, 1)
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            (is_word_char(c, start.is_some()), c.len_utf8())
        };
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(s, &text[s..i]);
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    if let Some(s) = start {
        f(s, &text[s..]);
    }
}

/// [`for_each_token`] character by character, as it was written first: what the byte
/// path must give.
#[cfg(test)]
fn tokens_by_char(text: &str) -> Vec<(usize, &str)> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let inside = is_word_char(c, start.is_some())
            || (matches!(c, '.' | ',')
                && start.is_some()
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && iter.peek().is_some_and(|&(_, n)| n.is_ascii_digit()));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                tokens.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push((s, &text[s..]));
    }
    tokens
}

/// Keys of the scripts written without spaces: character bigrams, and for Han single
/// characters too (a Han character is often a word); trigrams for Thai, Lao, Khmer and
/// Myanmar, whose characters are letters. A run of such characters goes on across
/// whitespace, so text split into words gives the keys the unsplit text gives. Each
/// length of n-gram hashes with its own tag, apart from the words of spaced scripts.
///
/// Names and loanwords are romanised: pairs and triples of Han characters in pinyin
/// (`林晓峰` → `linxiaofeng`, and `xiaofeng` for its last two), stemmed like Latin words,
/// meet the name written in Latin letters (`Lin Xiaofeng`); a Katakana word
/// meets its source (`アメリカ`, America).
fn unspaced_keys(text: &str, keys: &mut Vec<Key>, scratch: &mut Scratch) {
    unspaced_keys_at(text, keys, scratch, |_, _| {});
}

/// [`unspaced_keys`], calling `at(offset, keys.len())` before each character: the keys
/// pushed from one call to the next are those of the character at `offset` (a Katakana
/// word's key comes with the character after it).
fn unspaced_keys_at(
    text: &str,
    keys: &mut Vec<Key>,
    scratch: &mut Scratch,
    mut at: impl FnMut(usize, usize),
) {
    let mut run: Option<Unspaced> = None;
    // The run's last characters, newest last, how many of them there are (at most 2),
    // and the readings of the Han ones ("" for others).
    let mut window = ['\0'; 2];
    let mut readings: [&str; 2] = ["", ""];
    let mut filled = 0usize;
    // Where the current Katakana word starts, and how many characters it has.
    let mut katakana: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices() {
        at(i, keys.len());
        let script = if c < '\u{0e00}' { None } else { unspaced(c) };
        let is_katakana =
            matches!(u32::from(c), 0x30a1..=0x30ff | 0x31f0..=0x31ff | 0xff66..=0xff9f);
        if !is_katakana {
            if let Some((start, count)) = katakana.take() {
                loanword_key(&text[start..i], count, keys, scratch);
            }
        } else {
            let (_, count) = katakana.get_or_insert((i, 0));
            *count += 1;
        }
        let script = match script {
            Some(s) if c.is_alphanumeric() || is_combining_mark(c) => s,
            _ => {
                if !c.is_whitespace() {
                    run = None;
                }
                continue;
            }
        };
        if run != Some(script.run()) {
            run = Some(script.run());
            filled = 0;
        }
        let reading = if script == Unspaced::Han {
            han_reading(c)
        } else {
            ""
        };
        match script {
            Unspaced::Han => {
                keys.push(gram_key(b'1', &[c]));
                if filled >= 1 {
                    keys.push(gram_key(b'2', &[window[1], c]));
                    if !readings[1].is_empty() && !reading.is_empty() {
                        name_key(&[readings[1], reading], keys, scratch);
                        if filled >= 2 && !readings[0].is_empty() {
                            name_key(&[readings[0], readings[1], reading], keys, scratch);
                        }
                    }
                }
            }
            Unspaced::Kana => {
                if filled >= 1 {
                    keys.push(gram_key(b'2', &[window[1], c]));
                }
            }
            Unspaced::Thai | Unspaced::Lao | Unspaced::Khmer | Unspaced::Myanmar => {
                if filled >= 1 {
                    keys.push(gram_key(b'2', &[window[1], c]));
                }
                if filled >= 2 {
                    keys.push(gram_key(b'3', &[window[0], window[1], c]));
                }
            }
        }
        window = [window[1], c];
        readings = [readings[1], reading];
        filled = (filled + 1).min(2);
    }
    if let Some((start, count)) = katakana {
        loanword_key(&text[start..], count, keys, scratch);
    }
}

/// The key of a character n-gram.
fn gram_key(tag: u8, chars: &[char]) -> Key {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    for &c in chars {
        for b in u32::from(c).to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Key::new(h, KeyKind::Word)
}

/// The pinyin of a Han character, as the romanisation gives it (`Chen `), or "".
fn han_reading(c: char) -> &'static str {
    deunicode::deunicode_char(c).map_or("", str::trim)
}

/// The word key of a name written as syllables (`Chen`, `Qing`, `Yang`): the syllables run
/// together, folded and stemmed as a Latin word is.
fn name_key(syllables: &[&str], keys: &mut Vec<Key>, scratch: &mut Scratch) {
    let Scratch { latin, stem, .. } = scratch;
    latin.clear();
    for s in syllables {
        latin.extend(
            s.chars()
                .filter(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_lowercase()),
        );
    }
    spelling_stem(latin, stem);
    push_name_key(stem, keys);
}

/// The word key of a Katakana word of `count` characters, romanised: loanwords and foreign
/// names. Words of one or two characters are too short to say anything.
fn loanword_key(word: &str, count: usize, keys: &mut Vec<Key>, scratch: &mut Scratch) {
    if count < 3 {
        return;
    }
    let Scratch { latin, stem, .. } = scratch;
    romanise(word, latin);
    spelling_stem(latin, stem);
    if stem.len() >= 3 {
        keys.push(Key::new(hash(b'w', stem), KeyKind::Word));
    }
}

/// FNV-1a: stable across runs and platforms, so outputs are deterministic.
fn hash(tag: u8, s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The key of a token, or `None` for tokens too short to be evidence.
fn key_of(token: &str, capitalised: bool, scratch: &mut Scratch) -> Option<Key> {
    if token.bytes().any(|b| b.is_ascii_digit())
        && token
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        let normal = normalise_number(token);
        let significant = normal.trim_start_matches('0');
        let kind = if significant.len() <= 1 {
            KeyKind::SmallNumber
        } else {
            KeyKind::Number
        };
        return Some(Key::new(hash(b'n', &normal), kind));
    }
    let (chars, upper) = if token.is_ascii() {
        let upper = token.bytes().filter(u8::is_ascii_uppercase).count();
        (token.len(), upper)
    } else {
        let upper = token.chars().filter(|c| c.is_uppercase()).count();
        (token.chars().count(), upper)
    };
    let Scratch { latin, stem, .. } = scratch;
    if chars >= 2 && upper == chars {
        // Acronyms (IP, CEO, AFSA) are kept whole: prefixes of them mean nothing.
        romanise(token, latin);
        return Some(Key::new(hash(b'a', latin), KeyKind::Word));
    }
    if chars < 4 && !(capitalised && chars >= 3) {
        return None;
    }
    romanise(token, latin);
    spelling_stem(latin, stem);
    // The stem is ASCII: its length is its count of characters.
    if stem.len() < 3 {
        return None;
    }
    Some(Key::new(hash(b'w', stem), KeyKind::Word))
}

/// Writes `token` into `out` in lowercase ASCII letters and digits: accents dropped and
/// every script romanised as the usual transliterations do (the `deunicode` tables), so
/// that names and loanwords meet their Latin-script cognates (`Казахстан`, `Καζακστάν`,
/// `Kazakhstan`; Greek in the classical romanisation, eta `e`, which the cognates follow:
/// `Τηλεγράφημα`, telegraph). Anything else (punctuation, marks with no letter) is dropped.
fn romanise(token: &str, out: &mut String) {
    out.clear();
    // Most tokens are ASCII: a byte test spares them the table, and a copy lowercased in
    // place spares them a push per character.
    if token.is_ascii() {
        out.push_str(token);
        out.make_ascii_lowercase();
        return;
    }
    for c in token.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if let Some(latin) = deunicode::deunicode_char(c) {
            out.extend(
                latin
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
    }
}

/// How many characters of the normalised spelling make a stem.
const STEM_LEN: usize = 5;

/// A coarse spelling normalisation that lets cognates across Latin-script languages meet:
/// c/k/q, ph/f, y/i, w/v, z/s, silent h, doubled letters; then the first [`STEM_LEN`]
/// characters. `folded` is lowercase ASCII, as [`romanise`] writes it, so it is read as
/// bytes.
fn spelling_stem(folded: &str, out: &mut String) {
    debug_assert!(folded.is_ascii(), "{folded:?} is not romanised");
    out.clear();
    let bytes = folded.as_bytes();
    let mut prev: Option<u8> = None;
    let mut i = 0;
    let mut count = 0;
    while i < bytes.len() {
        let c = bytes[i];
        i += 1;
        let next = bytes.get(i).copied();
        let mapped = match c {
            b'c' | b'k' => b'k',
            b'q' => {
                if next == Some(b'u') {
                    i += 1;
                }
                b'k'
            }
            b'p' if next == Some(b'h') => {
                i += 1;
                b'f'
            }
            b'y' => b'i',
            b'w' => b'v',
            b'z' => b's',
            b'h' if prev.is_some() => continue,
            other => other,
        };
        if prev == Some(mapped) {
            continue;
        }
        out.push(char::from(mapped));
        prev = Some(mapped);
        count += 1;
        if count == STEM_LEN {
            break;
        }
    }
}

/// Writes a number in one canonical form across the English and continental conventions:
/// the last separator followed by other than three digits is the decimal point, a
/// separator followed by exactly three digits groups thousands.
fn normalise_number(token: &str) -> String {
    let token = token.trim_matches(|c| c == '.' || c == ',');
    let seps: Vec<(usize, char)> = token
        .char_indices()
        .filter(|&(_, c)| c == '.' || c == ',')
        .collect();
    if seps.is_empty() {
        return token.to_owned();
    }
    let distinct_kinds = seps.iter().any(|&(_, c)| c == '.') && seps.iter().any(|&(_, c)| c == ',');
    let last_pos = seps[seps.len() - 1].0;
    let digits_after = token.len() - last_pos - 1;
    // A lone separator before three digits groups thousands in both conventions.
    let decimal = distinct_kinds || (seps.len() == 1 && digits_after != 3);
    let decimal_at = decimal.then_some(last_pos);
    let mut out = String::with_capacity(token.len());
    for (i, c) in token.char_indices() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if Some(i) == decimal_at {
            out.push('.');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Key> {
        Features::of(text, false).keys.into_vec()
    }

    fn shares(a: &str, b: &str) -> bool {
        let kb = keys(b);
        keys(a).iter().any(|k| kb.contains(k))
    }

    #[test]
    fn numbers_meet_across_conventions() {
        assert_eq!(normalise_number("12,5"), "12.5");
        assert_eq!(normalise_number("12.5"), "12.5");
        assert_eq!(normalise_number("1.234,56"), "1234.56");
        assert_eq!(normalise_number("1,234.56"), "1234.56");
        assert_eq!(normalise_number("1,234"), "1234");
        assert!(shares("1,2 bilhão", "1.2 billion"));
        assert!(!shares("12,5", "125"));
    }

    #[test]
    fn cognates_meet() {
        assert!(shares("Cazaquistão", "Kazakhstan"));
        assert!(shares("Inovações", "Inovasi"));
        assert!(shares("Digital", "digital"));
        assert!(!shares("maison", "house"));
    }

    #[test]
    fn cyrillic_and_greek_names_meet_their_latin_cognates() {
        assert!(shares("Казахстан", "Kazakhstan"));
        assert!(shares("Мадиев", "Madiyev"));
        assert!(shares("Министр", "Minister"));
        assert!(shares("НАТО", "NATO"));
        assert!(shares("Καζακστάν", "Kazakhstan"));
        assert!(shares("Τηλεγράφημα", "Telegraph"));
        assert!(!shares("офис", "Kazakhstan"));
    }

    #[test]
    fn every_script_is_romanised() {
        // Hangul, and Devanagari whose virama is neither letter nor digit yet stays inside
        // the word.
        assert!(shares("서울에서", "Seoul"));
        assert_eq!(keys("दिल्ली").len(), 1);
        let mut out = String::new();
        romanise("Straße Łódź", &mut out);
        assert_eq!(out, "strasselodz");
    }

    #[test]
    fn han_gives_character_and_bigram_keys() {
        // Words of one or two characters, split by spaces or not: the same keys.
        assert_eq!(keys("我喜欢猫"), keys("我 喜欢 猫"));
        assert!(!keys("猫").is_empty());
        assert!(shares("今天下雨", "下雨了"));
        // Unigrams and bigrams: four characters, three bigrams, and the pinyin of the
        // bigrams and the trigrams as name keys, some of which coincide.
        assert!(keys("今天下雨").len() >= 7);
        // Numbers inside Han text are numbers.
        assert!(shares("他1990年出生", "born in 1990"));
    }

    #[test]
    fn han_names_meet_their_pinyin() {
        assert!(shares("林晓峰笑了", "Lin Xiaofeng laughed"));
        assert!(shares("后来赵雪晴走了", "Later Zhao Xueqing left"));
        assert!(is_pinyin("xiaofeng") && is_pinyin("xian") && is_pinyin("zhao"));
        assert!(!is_pinyin("london") && !is_pinyin("aeon") && !is_pinyin("smith"));
        // Names that are not pinyin get no name key: they meet as words already.
        assert_eq!(keys("Peter Smith"), keys("Peter smith"));
        // Name keys meet capitalised words only: a common word that reads as pinyin does not.
        assert!(!shares("我们走吧", "the women left"));
        assert!(!shares("猫", "mao"));
    }

    #[test]
    fn scripts_without_spaces_get_ngram_keys() {
        // Thai: bigrams and trigrams, tone marks included.
        assert!(shares("ฉันรักแมว", "แมวของฉัน"));
        assert!(!keys("น้ำ").is_empty());
        // Kana: bigrams, across kanji; a Katakana word meets its source.
        assert!(shares("食べる", "食べた"));
        assert!(shares("アメリカの大統領", "the American president"));
        // None of them meets a Latin word written with the same code points' bytes.
        assert!(!shares("ฉันรักแมว", "chanrakaemw"));
    }

    #[test]
    fn length_counts_han_characters_double() {
        assert_eq!(Features::of("我喜欢猫。", false).len, 9.0);
        assert_eq!(Features::of("I like cats.", false).len, 10.0);
        assert_eq!(Features::of("น้ำ", false).len, 3.0);
    }

    #[test]
    fn small_numbers_are_weak() {
        let k = keys("Chapter 1");
        assert!(k.iter().any(|k| k.kind() == KeyKind::SmallNumber));
        let k = keys("2024");
        assert!(k.iter().all(|k| k.kind() == KeyKind::Number));
    }

    /// Every kind of character the byte paths treat apart: ASCII and other whitespace,
    /// quotes and apostrophes where they quote and where they elide, numbers with
    /// separators, Han, Kana, Thai and other scripts, combining marks, a Han character
    /// outside the basic plane.
    const MIXED: [&str; 14] = [
        "'Very well,' he said. He won't go; 'tis (\'ab\') — 'xy' ‘Quoth’ ’s end.’ …' -'",
        "Op 't dak,\u{a0}zei hij:\u{2003}«Ja»\u{3000}„nein“ ‚so‘ ‹x› \u{85}\u{b}\t\r 1.234,56 12,5 a,b",
        "我喜欢猫。「林晓峰」笑了『好』？！ アメリカの大統領 食べる\u{20000}x",
        "น้ำ ฉันรักแมว ກາງ \u{1000}\u{1031} \u{1780}\u{17b6}",
        "Straße Łódź Казахстан Καζακστάν दिल्ली 서울에서 e\u{301}cole ¿Qué? ¡Sí! NATO CEO",
        "x.y 3a a3.5 3.5.7, 12,,5 .5 5. ,5 [a] (b) ?!: \"q\" “r” ”s”",
        "",
        " ",
        "'",
        "a'",
        "’",
        "( 'ab",
        "Lin Xiaofeng und Zhao Xueqing, Peter Smith",
        "\u{2028}\u{2029}\u{202f}\u{205f}\u{1680}\u{200a}end",
    ];

    #[test]
    fn byte_paths_give_what_the_character_paths_give() {
        let mut texts: Vec<String> = MIXED.iter().map(|t| (*t).to_owned()).collect();
        // Every pair of the pieces above, and every split of them at a character.
        for a in MIXED {
            for b in MIXED {
                texts.push(format!("{a}{b}"));
                texts.push(format!("{a} {b}"));
            }
            for (i, _) in a.char_indices() {
                texts.push(a[i..].to_owned());
                texts.push(a[..i].to_owned());
            }
        }
        for text in &texts {
            let (len, punct) = length_and_punct(text);
            let (by_char_len, by_char_punct) = length_and_punct_by_char(text);
            assert_eq!(len.to_bits(), by_char_len.to_bits(), "{text:?}");
            assert_eq!(punct, by_char_punct, "{text:?}");
            let mut tokens = Vec::new();
            for_each_token(text, |start, token| tokens.push((start, token)));
            assert_eq!(tokens, tokens_by_char(text), "{text:?}");
        }
    }

    #[test]
    fn spelling_stems() {
        let stem = |word: &str| {
            let mut out = String::new();
            spelling_stem(word, &mut out);
            out
        };
        assert_eq!(stem("kazakhstan"), "kasak");
        assert_eq!(stem("cazaquistao"), "kasak");
        assert_eq!(stem("philosophy"), "filos");
        assert_eq!(stem("quelle"), "kele");
        assert_eq!(stem("hywwel"), "hivel");
        assert_eq!(stem("ab"), "ab");
        assert_eq!(stem(""), "");
    }

    #[test]
    fn punctuation_profile() {
        assert_eq!(Features::of("Why? «Yes»", false).punct, 1 | 8);
        // Single marks quote speech; apostrophes inside or before a short elision do not.
        assert_eq!(Features::of("'Very well,' he said.", false).punct, 8);
        assert_eq!(Features::of("He won't go.", false).punct, 0);
        assert_eq!(Features::of("Op 't dak, zei hij.", false).punct, 0);
        assert_eq!(Features::of("The boys' room.", false).punct, 0);
    }

    #[test]
    fn comparable_words_add_the_heads_and_endings_of_longer_words() {
        let text = "Walikwenda nyumbani na mtu wake, 12.";
        let features = Features::of(text, false);
        let words = model_words(text, &features);
        let more = comparable_words(text, &features);
        assert!(words.iter().all(|w| more.binary_search(w).is_ok()));
        // Heads of the three words of four letters or more, endings of the two of five or
        // more; none of the number or of the short words.
        assert_eq!(more.len(), words.len() + 5, "{more:?}");
        assert!(more.windows(2).all(|w| w[0] < w[1]));
        // A word that differs in its prefix has another key but the same ending.
        let other = "Tulikwenda.";
        let features = Features::of(other, false);
        assert!(
            model_words(other, &features)
                .iter()
                .all(|w| words.binary_search(w).is_err())
        );
        assert!(
            comparable_words(other, &features)
                .iter()
                .any(|w| more.binary_search(w).is_ok())
        );
    }

    #[test]
    fn word_order_keeps_each_word_s_units_in_the_order_written() {
        let text = "Walikwenda nyumbani na mtu wake, 12 mara.";
        let features = Features::of(text, false);
        let order = WordOrder::of(text);
        let words: Vec<&[u64]> = order.words().collect();
        // Six words; the number is left out.
        assert_eq!(words.len(), 6, "{words:?}");
        // A word's units are what comparable_words gives for it, and all of them together
        // are the sentence's.
        let mut all: Vec<u64> = words.concat();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all, comparable_words(text, &features));
        // Order counts: the same words the other way round give the words reversed.
        let backwards = WordOrder::of("mara, wake mtu na nyumbani Walikwenda");
        let mut reversed: Vec<&[u64]> = backwards.words().collect();
        reversed.reverse();
        assert_eq!(reversed, words);
        // A character of a script written without spaces is a word of the keys that end
        // at it, in order with the spaced words around it.
        let text = "我们今天去北京 Lin Xiaofeng 也去";
        let order = WordOrder::of(text);
        let words: Vec<&[u64]> = order.words().collect();
        assert_eq!(words.len(), 7 + 2 + 2, "{words:?}");
        let han = |c: char| gram_key(b'1', &[c]).hash();
        assert_eq!(words[0][0], han('我'));
        assert!(words[1].contains(&gram_key(b'2', &['我', '们']).hash()));
        assert_eq!(words[9][0], han('也'));
        let mut all: Vec<u64> = words.concat();
        all.sort_unstable();
        all.dedup();
        let features = Features::of(text, false);
        let expected: Vec<u64> = comparable_words(text, &features);
        assert!(all.iter().all(|u| expected.binary_search(u).is_ok()));
    }

    #[test]
    fn model_words_hold_the_short_words_the_keys_leave_out() {
        let text = "Il y a un chat sur le toit, 42 fois.";
        let features = Features::of(text, false);
        let words = model_words(text, &features);
        let keys = features
            .keys
            .iter()
            .filter(|k| k.kind() == KeyKind::Word)
            .count();
        // il, y, a, un, sur, le beside the keys of chat and toit; no number.
        assert_eq!(words.len(), keys + 6, "{words:?}");
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        let other = "Le chat.";
        assert_ne!(
            model_words(text, &features),
            model_words(other, &Features::of(other, false))
        );
        // The same short word, capitalised or not, is one word.
        let upper = "le chat.";
        assert_eq!(
            model_words(other, &Features::of(other, false)),
            model_words(upper, &Features::of(upper, false))
        );
    }
}
