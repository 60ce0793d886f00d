//! Abbreviations learned from the document itself, in the spirit of Punkt (Kiss and Strunk
//! 2006) but in one light pre-pass: a short word that, in this document, keeps appearing
//! before a full stop, is seen without the full stop no more often than with it, and never
//! before `?`, `!` or the end of a paragraph is an abbreviation (`tys.`, `ul.`, `blz.`,
//! `Abs.`), whatever the language. The engine treats it like a listed abbreviation.
//!
//! The first pass visits only the bytes `.`, `?` and `!` (memchr) and counts the word before
//! each; the second, only when some word qualified, counts the candidates' uses without a
//! full stop: by SIMD substring search when there are few (the usual case), else by walking
//! the runs no longer than the candidates' forms (read from a mask of the word bytes, 64 at a
//! time) and looking up only those whose first and last bytes and length, and for ASCII
//! words also the second byte, match a candidate's. So the cost is a small constant factor of the scan. Both read at most the first megabyte of the text.
//!
//! The constants were chosen leave-one-language-out over the eight development languages
//! written with full stops (en fr pt id de es nl pl; zh and ja have none to learn from):
//! for each language, the setting that scores best on the other seven. All eight picked
//! this one (four letters, three times, plain at most as often as dotted; requiring also a
//! lowercase word after one of the full stops did no better in any language).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::Profile;
use super::profile::{ShapeKey, Shapes, WordHasher, WordSet, with_lowercase};
use super::rules::{is_caseless_letter, is_syllabic};

/// Longest word, in characters, that is learned as an abbreviation.
const MAX_CHARS: usize = 4;
/// Bytes of the text learned from: plenty for the statistics, and it bounds the cost of the
/// pass on a long book to a constant.
const SAMPLE: usize = 1 << 20;
/// Up to this many candidates, their plain uses are counted by substring search.
const FEW_CANDIDATES: usize = 8;
/// Fewest occurrences before a full stop.
const MIN_DOTTED: u32 = 3;
/// The word may be seen without a full stop at most once per this many times with one.
const PLAIN_SHARE: u32 = 1;

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    /// Before a full stop.
    dotted: u32,
    /// Before `?`, `!`, or a full stop that ends a paragraph: the word ends sentences.
    last: u32,
    /// Without a full stop after it.
    plain: u32,
}

type Map = HashMap<Box<str>, Counts, BuildHasherDefault<WordHasher>>;

/// What the document says about the words before its full stops (all lowercase).
#[derive(Debug, Default)]
pub(crate) struct Learned {
    /// Words the document uses as abbreviations.
    pub(crate) abbreviations: WordSet,
    /// Words without a vowel that the document shows to be words: seen before `?`, `!` or
    /// the end of a paragraph, or more often without a full stop than with one (a unit or
    /// currency after a number, like Polish `zł`, ends sentences).
    pub(crate) words: WordSet,
    /// The shapes of both sets: most words are in neither, and this says so unhashed (so
    /// it is asked first: an ASCII word's shape costs less than counting its characters).
    shapes: Shapes,
    /// The most characters of a word in either set. Lowercasing never shortens a word in
    /// characters, so a longer word is in neither (most words before a full stop, which the
    /// shapes let through when a set holds a word outside ASCII).
    max_chars: usize,
}

impl Learned {
    /// True when `word` (any case, its [`ShapeKey`] `key`) was learned as an abbreviation.
    #[inline]
    pub(crate) fn is_abbreviation(&self, word: &str, key: &ShapeKey) -> bool {
        !self.abbreviations.is_empty()
            && self.shapes.may_contain_key(key)
            && self.short_enough(word)
            && with_lowercase(word, |w| self.abbreviations.contains(w))
    }

    /// True when `word` (any case, its [`ShapeKey`] `key`) is a vowelless word the document
    /// shows to be a word.
    #[inline]
    pub(crate) fn is_word(&self, word: &str, key: &ShapeKey) -> bool {
        !self.words.is_empty()
            && self.shapes.may_contain_key(key)
            && self.short_enough(word)
            && with_lowercase(word, |w| self.words.contains(w))
    }

    /// False when `word` has more characters than any learned word.
    #[inline]
    fn short_enough(&self, word: &str) -> bool {
        word.len() <= self.max_chars
            || word.bytes().filter(|&x| x & 0xC0 != 0x80).count() <= self.max_chars
    }
}

/// Learns from `text` as the module documentation says.
pub(crate) fn learn(text: &str, p: &Profile) -> Learned {
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let b = text.as_bytes();
    let mut counts = Map::default();
    for at in memchr::memchr3_iter(b'.', b'?', b'!', b) {
        // A full stop inside a token ("12.5", "www.x.org", "U.S") is not one to learn from.
        let Some(word) = word_before(text, at) else {
            continue;
        };
        // The profile has decided its own titles and abbreviations.
        let shape = ShapeKey::of(word);
        if p.is_title_shaped(word, &shape) || p.is_abbreviation_shaped(word, &shape) {
            continue;
        }
        let after = skip_closers(b, at + 1);
        let next = b.get(after).copied();
        if b[at] == b'.' && next.is_some_and(|x| x.is_ascii_alphanumeric()) {
            continue;
        }
        let follow = if b[at] == b'.' {
            Some(following(text, after))
        } else {
            None
        };
        with_lowercase(word, |w| {
            // Most words recur: one lookup for them, a second only to insert a new one.
            let c = match counts.get_mut(w) {
                Some(c) => c,
                None => counts.entry(w.into()).or_default(),
            };
            match follow {
                None | Some(Follow::End) => c.last += 1,
                Some(Follow::Other) => {}
            }
            if follow.is_some() {
                c.dotted += 1;
            }
        });
    }
    let mut learned = Learned::default();
    // Vowelless words seen ending a sentence are words; the words seen often enough before a
    // full stop and never ending one are candidates whose plain uses are counted.
    let mut candidates: Vec<(Box<str>, Counts)> = Vec::new();
    for (w, c) in counts {
        if c.last > 0 {
            if is_vowelless(&w) {
                learned.words.insert(w);
            }
        } else if c.dotted >= MIN_DOTTED {
            candidates.push((w, c));
        }
    }
    if candidates.is_empty() {
        // Only the length bound: the shapes are built below, not on this path.
        learned.max_chars = learned
            .words
            .iter()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        return learned;
    }
    let mut candidates: Map = candidates.into_iter().collect();
    count_plain(text, &mut candidates);
    for (w, c) in candidates {
        if c.plain * PLAIN_SHARE <= c.dotted {
            learned.abbreviations.insert(w);
        } else if is_vowelless(&w) {
            learned.words.insert(w);
        }
    }
    for w in learned.abbreviations.iter().chain(&learned.words) {
        learned.shapes.add(w);
        learned.max_chars = learned.max_chars.max(w.chars().count());
    }
    learned
}

/// A word of two to five letters, some of them lowercase, with no vowel: an abbreviation in
/// any alphabet (`np`, `Str`, `kpt`, `mgr`), unless the document shows otherwise. `r` and
/// `l` between consonants count as vowels, as in the Czech and Croatian words `vlk`, `prst`,
/// `trg`.
#[inline]
pub(crate) fn is_vowelless(tok: &str) -> bool {
    // Abbreviations without a vowel are short; a long run of consonants is something else.
    // An ASCII vowel in either case makes the word fail below, wherever it stands; most
    // words have one, and this finds it without decoding (inline: the engine asks it of
    // every word before a full stop).
    tok.len() <= 12
        && !tok
            .bytes()
            .any(|x| matches!(x | 0x20, b'a' | b'e' | b'i' | b'o' | b'u' | b'y'))
        && is_vowelless_letters(tok)
}

/// [`is_vowelless`] for a word of at most 12 bytes without an ASCII vowel.
#[inline(never)]
fn is_vowelless_letters(tok: &str) -> bool {
    if tok.is_ascii() {
        let b = tok.as_bytes();
        let n = b.len();
        let mut lower = false;
        for (i, &x) in b.iter().enumerate() {
            let l = x.to_ascii_lowercase();
            if !l.is_ascii_lowercase() || matches!(l, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
                return false;
            }
            if matches!(l, b'r' | b'l') && i > 0 && i + 1 < n {
                return false;
            }
            lower |= x.is_ascii_lowercase();
        }
        return (2..=5).contains(&n) && lower;
    }
    let mut count = 0;
    let mut lower = false;
    let mut prev: Option<char> = None;
    let mut chars = tok.chars().peekable();
    while let Some(c) = chars.next() {
        if is_caseless_letter(c) {
            // No vowel, no case, not `r` or `l`: what the tests below give it, without them.
            count += 1;
            prev = Some(c);
            continue;
        }
        if !c.is_alphabetic() {
            return false;
        }
        let l = c.to_lowercase().next().unwrap_or(c);
        if is_vowel(l) {
            return false;
        }
        if matches!(l, 'r' | 'l')
            && prev.is_some()
            && chars.peek().is_some_and(|n| n.is_alphabetic())
        {
            return false;
        }
        lower |= c.is_lowercase();
        count += 1;
        prev = Some(l);
    }
    (2..=5).contains(&count) && lower
}

/// Vowel letters of the Latin, Cyrillic and Greek alphabets (lowercase, with their accents).
fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'à'..='æ' | 'è'..='ï' | 'ò'..='ö' | 'ø'..='ý' | 'ÿ'
            | 'ā' | 'ă' | 'ą' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ī' | 'į' | 'ı' | 'ō' | 'ő' | 'œ'
            | 'ū' | 'ů' | 'ű' | 'ų' | 'ư' | 'ơ' | 'ạ'..='ỹ'
            | 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'і' | 'ї' | 'є'
            | 'α' | 'ε' | 'η' | 'ι' | 'ο' | 'υ' | 'ω' | 'ά' | 'έ' | 'ή' | 'ί' | 'ό' | 'ύ' | 'ώ'
            | 'ϊ' | 'ϋ' | 'ΐ' | 'ΰ'
    )
}

/// The letters before the terminal at `at`, when they form a whole word of at most
/// [`MAX_CHARS`] letters (after a space, an opening quote or bracket, a hyphen or an
/// apostrophe: `Zimmermann-Str.` gives `Str`) and none of a syllabic script.
fn word_before(text: &str, at: usize) -> Option<&str> {
    let head = &text[..at];
    let mut start = at;
    let mut chars = 0;
    for (i, c) in head.char_indices().rev() {
        // Hangul, Han and kana do not shorten words with a full stop, and four of their
        // characters make a whole word: a short predicate that ends three sentences would
        // pass for an abbreviation. A word that holds one is no candidate.
        if is_syllabic(c) {
            return None;
        }
        if !c.is_alphabetic() {
            let ok = c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '"' | '\'' | '“' | '„' | '«' | '‘' | '’' | '-' | '/' | '¿' | '¡'
                );
            if !ok {
                return None;
            }
            break;
        }
        chars += 1;
        if chars > MAX_CHARS {
            return None;
        }
        start = i;
    }
    // A single letter is an initial, which the engine decides on its own.
    (chars >= 2).then(|| &text[start..at])
}

/// The first byte after the closing quotes and brackets at `i`.
fn skip_closers(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b')' | b']' | b'"' | b'\'') {
        i += 1;
    }
    i
}

#[derive(Clone, Copy)]
enum Follow {
    /// The end of the text or of a paragraph.
    End,
    Other,
}

fn following(text: &str, from: usize) -> Follow {
    let rest = &text[from..];
    let mut newlines = 0;
    for c in rest.chars().take(32) {
        if c == '\n' {
            newlines += 1;
            if newlines >= 2 {
                return Follow::End;
            }
        } else if !c.is_whitespace() {
            return Follow::Other;
        }
    }
    if rest.trim().is_empty() {
        Follow::End
    } else {
        Follow::Other
    }
}

/// Adds to each candidate the times it appears without a full stop before or after it, in
/// one pass over the words of `text` no longer than a candidate's forms. A word is looked up only when its first byte and its
/// length in bytes are those of a candidate, lowercase or capitalised, and, when it is ASCII,
/// the key of its first two bytes, last byte and length is a candidate's, so nearly every
/// word is passed over unhashed.
fn count_plain(text: &str, counts: &mut Map) {
    // A few candidates (the usual case): a SIMD substring search for each form is faster
    // than walking every word.
    if counts.len() <= FEW_CANDIDATES {
        for (w, c) in counts.iter_mut() {
            c.plain = count_plain_of(text, w);
        }
        return;
    }
    // Bit `len` of `firsts[byte]` (of `lasts[byte]`): a candidate of `len` bytes starts
    // (ends) with `byte`.
    let mut firsts = [0u64; 256];
    let mut lasts = [0u64; 256];
    // Bit `pair_key(w)` of every candidate `w`: with many candidates the first and last bytes
    // let through most short words (each common letter starts one). The key folds ASCII
    // case, so an ASCII word whose lowercase is a candidate has that candidate's key.
    let mut pairs = [0u64; 128];
    // No form has more bytes: longer runs are passed over unread.
    let mut max_len = 0;
    for w in counts.keys() {
        let k = pair_key(w.as_bytes());
        pairs[k >> 6] |= 1 << (k & 63);
        let mut chars = w.chars();
        let capitalised: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        for form in [&**w, capitalised.as_str()] {
            let fb = form.as_bytes();
            if let (Some(&first), Some(&last)) = (fb.first(), fb.last())
                && fb.len() < 64
            {
                firsts[usize::from(first)] |= 1 << fb.len();
                lasts[usize::from(last)] |= 1 << fb.len();
                max_len = max_len.max(fb.len());
            }
        }
    }
    let b = text.as_bytes();
    for_each_short_word(b, max_len, |start, end| {
        let len = end - start;
        if firsts[usize::from(b[start])] >> len & 1 == 0
            || lasts[usize::from(b[end - 1])] >> len & 1 == 0
        {
            return;
        }
        let word = &b[start..end];
        if word.is_ascii() && {
            let k = pair_key(word);
            pairs[k >> 6] >> (k & 63) & 1 == 0
        } {
            return;
        }
        if b.get(end) == Some(&b'.') || (start > 0 && b[start - 1] == b'.') {
            return;
        }
        // The run starts and ends next to ASCII bytes (or the ends of the text), so it is
        // whole characters.
        let Some(word) = text.get(start..end) else {
            return;
        };
        with_lowercase(word, |w| {
            if let Some(c) = counts.get_mut(w) {
                c.plain += 1;
            }
        });
    });
}

/// A 13-bit key of a word of two bytes or more, the same in any ASCII case: its first two
/// bytes, its last one and its length.
#[inline]
fn pair_key(w: &[u8]) -> usize {
    let lower = |x: u8| usize::from(x.to_ascii_lowercase());
    let x = lower(w[0]) | lower(w[1]) << 8 | lower(w[w.len() - 1]) << 16;
    (x ^ w.len() << 24).wrapping_mul(0x9E37_79B9) >> 11 & 8191
}

/// Calls `f(start, end)`, in order, for each maximal run of [`is_word_byte`] bytes of `b`
/// that is 2 to `max_len` bytes long (`max_len` at most 63): the only runs a candidate's
/// forms can be, under half of a text's words.
///
/// The runs are read from a bit mask of the word bytes of each 64-byte block and of the
/// block after it: the starts of runs, less those whose next `max_len` bytes are all word
/// bytes, so the cost is per block and per short run rather than per word.
#[inline]
fn for_each_short_word(b: &[u8], max_len: usize, mut f: impl FnMut(usize, usize)) {
    debug_assert!(max_len < 64);
    let avx2 = super::rules::has_avx2();
    let blocks = b.len().div_ceil(64);
    // A run of `long` bytes is too long; runs are measured in the 128 bits of two blocks.
    let long = max_len + 1;
    let mut cur = word_mask(b, 0, avx2);
    // Bit 0: the last byte of the previous block is a word byte.
    let mut carry = 0u64;
    for k in 0..blocks {
        let base = k * 64;
        let next = if k + 1 < blocks {
            word_mask(b, base + 64, avx2)
        } else {
            0
        };
        let m = u128::from(cur) | u128::from(next) << 64;
        // Bit i: bytes i to i + long - 1 are all word bytes.
        let mut too_long = m;
        let mut covered = 1;
        while covered < long {
            let shift = covered.min(long - covered);
            too_long &= too_long >> shift;
            covered += shift;
        }
        let starts = cur & !(cur << 1 | carry);
        // At least two bytes: the byte after the start is a word byte too.
        let mut short = starts & (m >> 1) as u64 & !(too_long as u64);
        while short != 0 {
            let at = short.trailing_zeros();
            short &= short - 1;
            let len = (!(m >> at)).trailing_zeros() as usize;
            let start = base + at as usize;
            f(start, start + len);
        }
        carry = cur >> 63;
        cur = next;
    }
}

/// Bit i set when `b[at + i]` is a word byte, for the (up to) 64 bytes from `at`.
#[inline]
fn word_mask(b: &[u8], at: usize, avx2: bool) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if avx2 && at + 64 <= b.len() {
        // SAFETY: the caller found AVX2 on the processor; the 64 bytes are inside `b`.
        return unsafe { word_mask_avx2(b, at) };
    }
    let _ = avx2;
    let end = b.len().min(at + 64);
    b[at..end]
        .iter()
        .enumerate()
        .fold(0, |m, (i, &x)| m | u64::from(is_word_byte(x)) << i)
}

/// [`word_mask`] of a whole block by two 32-byte compares.
///
/// # Safety
/// The processor must support AVX2, and `at + 64 <= b.len()`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn word_mask_avx2(b: &[u8], at: usize) -> u64 {
    use std::arch::x86_64::*;
    // A byte of 0x80 or more has its sign bit set, which the movemask reads directly; an
    // ASCII letter or digit is found by signed range tests, which such bytes fail.
    let mask32 = |v: __m256i| -> u32 {
        let digit = _mm256_and_si256(
            _mm256_cmpgt_epi8(v, _mm256_set1_epi8(b'0' as i8 - 1)),
            _mm256_cmpgt_epi8(_mm256_set1_epi8(b'9' as i8 + 1), v),
        );
        let folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
        let letter = _mm256_and_si256(
            _mm256_cmpgt_epi8(folded, _mm256_set1_epi8(b'a' as i8 - 1)),
            _mm256_cmpgt_epi8(_mm256_set1_epi8(b'z' as i8 + 1), folded),
        );
        (_mm256_movemask_epi8(_mm256_or_si256(digit, letter)) | _mm256_movemask_epi8(v)) as u32
    };
    // SAFETY: `at + 64 <= b.len()`, so both 32-byte loads are inside `b`.
    let (lo, hi) = unsafe {
        (
            _mm256_loadu_si256(b.as_ptr().add(at).cast()),
            _mm256_loadu_si256(b.as_ptr().add(at + 32).cast()),
        )
    };
    u64::from(mask32(lo)) | u64::from(mask32(hi)) << 32
}

/// Every maximal run of word bytes, byte by byte: what [`for_each_short_word`] filters.
#[cfg(test)]
fn words_by_byte(b: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !is_word_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_word_byte(b[i]) {
            i += 1;
        }
        runs.push((start, i));
    }
    runs
}

/// The times `word` (lowercase) appears in `text`, in lowercase or capitalised, as a whole
/// word without a full stop before or after it (what [`count_plain`] counts).
fn count_plain_of(text: &str, word: &str) -> u32 {
    let mut chars = word.chars();
    let capitalised: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let b = text.as_bytes();
    let mut count = 0;
    let forms: &[&str] = if capitalised == word {
        &[word]
    } else {
        &[word, &capitalised]
    };
    for form in forms {
        for at in memchr::memmem::find_iter(b, form.as_bytes()) {
            let end = at + form.len();
            let free = |x: Option<u8>| x.is_none_or(|x| !is_word_byte(x) && x != b'.');
            if free(at.checked_sub(1).map(|i| b[i])) && free(b.get(end).copied()) {
                count += 1;
            }
        }
    }
    count
}

/// Bytes of words: ASCII letters and digits, and every byte of a non-ASCII character.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut x = 0;
    while x < 256 {
        let b = x as u8;
        t[x] = b.is_ascii_alphanumeric() || b >= 0x80;
        x += 1;
    }
    t
};

/// A byte of a word: an ASCII letter or digit, or any byte of a non-ASCII character.
#[inline]
fn is_word_byte(x: u8) -> bool {
    WORD_BYTE[usize::from(x)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learned(text: &str) -> Vec<String> {
        let mut v: Vec<String> = learn(text, &Profile::default())
            .abbreviations
            .iter()
            .map(|w| w.to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_short_word_before_full_stops_is_learned() {
        let text = "Kosztuje 5 tys. zł. Dom przy ul. Długiej ma 3 tys. metrów. \
                    Zapłacono 7 tys. zł za dom na ul. Krótkiej i ul. Polnej.";
        assert_eq!(learned(text), ["tys", "ul"]);
    }

    #[test]
    fn a_word_seen_ending_sentences_or_often_without_its_stop_is_not() {
        // "now" ends a paragraph once; "it" is mostly without a full stop.
        let text = "We go now. They stay now. You leave now.\n\nWe did it. It is it. \
                    I saw it. it was it and it is it and it goes.";
        assert!(learned(text).is_empty(), "{:?}", learned(text));
        // "why" before a question mark ends sentences.
        let text = "He asked why. She knew why. We saw why. Tell me why?";
        assert!(learned(text).is_empty());
    }

    #[test]
    fn words_of_syllabic_scripts_are_not_candidates() {
        // The same short Korean predicate ends every sentence; it is a word, not a
        // shortening.
        let text = "회의가 끝났다고 밝혔다. 시장은 내일 발표한다고 밝혔다. \
                    경찰은 조사를 시작했다고 밝혔다. 주민들은 기뻐했다.";
        assert!(learned(text).is_empty(), "{:?}", learned(text));
    }

    #[test]
    fn long_words_numbers_and_inner_stops_are_not_candidates() {
        let text = "It was 12.5 and 13.5 and 14.5. See www.a.org and www.b.org. \
                    Finished. Finished. Finished.";
        assert!(learned(text).is_empty());
    }

    #[test]
    fn short_word_runs_are_the_short_runs_of_a_byte_scan() {
        let mut text: Vec<u8> =
            "Ul. Długa 5, ż-ółw; tys. zł.\u{a0}x9 abcdefghijklmnopqrstuvwxyz0123456789ab "
                .bytes()
                .cycle()
                .take(300)
                .collect();
        // Runs across the 64-byte blocks, at the text's ends, and bytes of every class.
        let ats = [0, 1, 62, 63, 64, 65, 127, 128, 250, 299];
        let lens = [0, 1, 63, 64, 65, 130, 299, 300];
        crate::segment::each_byte_at(&mut text, &ats, &lens, |b, x, at, len| {
            let all = words_by_byte(b);
            for max_len in [0, 1, 2, 3, 4, 5, 8, 16, 31, 32, 33, 62, 63] {
                let want: Vec<(usize, usize)> = all
                    .iter()
                    .copied()
                    .filter(|(s, e)| (2..=max_len).contains(&(e - s)))
                    .collect();
                let mut got = Vec::new();
                for_each_short_word(b, max_len, |s, e| got.push((s, e)));
                assert_eq!(got, want, "byte {x:#04x} at {at}, length {len}, {max_len}");
            }
        });
    }

    #[test]
    fn the_last_part_of_a_compound_is_a_candidate() {
        assert_eq!(word_before("die Zimmermann-Str.", 18), Some("Str"));
        assert_eq!(word_before("(Abs.", 4), Some("Abs"));
        assert_eq!(word_before("U.S.", 3), None);
        assert_eq!(word_before("a B.", 3), None);
    }
}
