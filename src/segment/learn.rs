//! Abbreviations learned from the document itself, in the spirit of Punkt (Kiss and Strunk
//! 2006) but in one light pre-pass: a short word that, in this document, keeps appearing
//! before a full stop, is seen without the full stop no more often than with it, and never
//! before `?`, `!` or the end of a paragraph is an abbreviation (`tys.`, `ul.`, `blz.`,
//! `Abs.`), whatever the language. The engine treats it like a listed abbreviation.
//!
//! The first pass visits only the bytes `.`, `?` and `!` (memchr) and counts the word before
//! each; the second runs only when some word qualified and hashes only the words whose first
//! byte and length match a candidate, so the cost is a small constant factor of the scan.
//!
//! The constants were chosen leave-one-language-out over the eight development languages
//! written with full stops (en fr pt id de es nl pl; zh and ja have none to learn from):
//! for each language, the setting that scores best on the other seven. All eight picked
//! this one (four letters, three times, plain at most as often as dotted; requiring also a
//! lowercase word after one of the full stops did no better in any language).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::profile::{WordHasher, WordSet, with_lowercase};

/// Longest word, in characters, that is learned as an abbreviation.
const MAX_CHARS: usize = 4;
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
}

/// Learns from `text` as the module documentation says.
pub(crate) fn learn(text: &str) -> Learned {
    let b = text.as_bytes();
    let mut counts = Map::default();
    for at in memchr::memchr3_iter(b'.', b'?', b'!', b) {
        // A full stop inside a token ("12.5", "www.x.org", "U.S") is not one to learn from.
        let Some(word) = word_before(text, at) else {
            continue;
        };
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
            if !counts.contains_key(w) {
                counts.insert(w.into(), Counts::default());
            }
            let Some(c) = counts.get_mut(w) else {
                return;
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
    counts.retain(|w, c| (c.dotted >= MIN_DOTTED && c.last == 0) || is_vowelless(w));
    let mut learned = Learned::default();
    if counts.is_empty() {
        return learned;
    }
    count_plain(text, &mut counts);
    for (w, c) in counts {
        let rarely_plain = c.plain * PLAIN_SHARE <= c.dotted;
        if c.dotted >= MIN_DOTTED && c.last == 0 && rarely_plain {
            learned.abbreviations.insert(w);
        } else if is_vowelless(&w) && (c.last > 0 || !rarely_plain) {
            learned.words.insert(w);
        }
    }
    learned
}

/// A word of two or more letters, some of them lowercase, with no vowel: an abbreviation in
/// any alphabet (`np`, `Str`, `kpt`, `mgr`), unless the document shows otherwise. `r` and
/// `l` between consonants count as vowels, as in the Czech and Croatian words `vlk`, `prst`,
/// `trg`.
pub(crate) fn is_vowelless(tok: &str) -> bool {
    let mut count = 0;
    let mut lower = false;
    let mut prev: Option<char> = None;
    let mut chars = tok.chars().peekable();
    while let Some(c) = chars.next() {
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
    count >= 2 && lower
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
/// apostrophe: `Zimmermann-Str.` gives `Str`).
fn word_before(text: &str, at: usize) -> Option<&str> {
    let head = &text[..at];
    let mut start = at;
    let mut chars = 0;
    for (i, c) in head.char_indices().rev() {
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

/// Adds to each candidate the times it appears without a full stop after it. Only words
/// whose first byte and length match a candidate are looked up.
fn count_plain(text: &str, counts: &mut Map) {
    let mut first = [false; 256];
    let mut max_len = 0;
    for w in counts.keys() {
        for c in [
            w.chars().next(),
            w.chars()
                .next()
                .map(|c| c.to_uppercase().next().unwrap_or(c)),
        ]
        .into_iter()
        .flatten()
        {
            let mut buf = [0u8; 4];
            first[usize::from(c.encode_utf8(&mut buf).as_bytes()[0])] = true;
        }
        max_len = max_len.max(w.len() + 4);
    }
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let x = b[i];
        if !is_word_byte(x) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && is_word_byte(b[i]) {
            i += 1;
        }
        if !first[usize::from(x)] || i - start > max_len || b.get(i) == Some(&b'.') {
            continue;
        }
        if start > 0 && b[start - 1] == b'.' {
            continue;
        }
        let Ok(word) = std::str::from_utf8(&b[start..i]) else {
            continue;
        };
        let word = word.trim_matches(|c: char| !c.is_alphabetic());
        if word.is_empty() {
            continue;
        }
        with_lowercase(word, |w| {
            if let Some(c) = counts.get_mut(w) {
                c.plain += 1;
            }
        });
    }
}

/// A byte of a word: an ASCII letter or digit, or any byte of a non-ASCII character.
#[inline]
fn is_word_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learned(text: &str) -> Vec<String> {
        let mut v: Vec<String> = learn(text)
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
    fn long_words_numbers_and_inner_stops_are_not_candidates() {
        let text = "It was 12.5 and 13.5 and 14.5. See www.a.org and www.b.org. \
                    Finished. Finished. Finished.";
        assert!(learned(text).is_empty());
    }

    #[test]
    fn the_last_part_of_a_compound_is_a_candidate() {
        assert_eq!(word_before("die Zimmermann-Str.", 18), Some("Str"));
        assert_eq!(word_before("(Abs.", 4), Some("Abs"));
        assert_eq!(word_before("U.S.", 3), None);
        assert_eq!(word_before("a B.", 3), None);
    }
}
