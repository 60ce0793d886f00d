//! Per-sentence evidence for the aligner, computed once per sentence.
//!
//! Nothing here needs a dictionary. Each sentence becomes:
//! - its length in characters (whitespace excluded), for a Gale-Church length model;
//! - a sorted set of *keys*: case- and accent-folded word stems put through a small
//!   spelling normalisation so that cognates meet (`Cazaquistão`, `Kazakhstan` → `kasak`;
//!   `Inovações`, `Inovasi` → `inova`; every script romanised first, so `Казахстан` and
//!   `Καζακστάν` meet them too), acronyms and names kept whole, and numbers
//!   normalised across conventions (`12,5` = `12.5`, `1.234,56` = `1,234.56`);
//! - a punctuation profile (? ! : quotes, parentheses).
//!
//! Normalisation happens here only, for comparing; the text itself is never changed.

use unicode_normalization::UnicodeNormalization;
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

/// A hashed key with its kind; ordered by hash so sets can be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// Stable 64-bit hash of the normalised form.
    pub hash: u64,
    /// What kind of token it came from.
    pub kind: KeyKind,
}

/// Punctuation classes whose presence is compared across sides.
pub const PUNCT_CLASSES: usize = 5;

/// The evidence of one sentence (or of a block of sentences at a coarse level).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Length in characters, whitespace excluded.
    pub len: f64,
    /// Sorted, deduplicated keys.
    pub keys: Vec<Key>,
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
        let mut len = 0usize;
        let mut punct = 0u8;
        for c in text.chars() {
            if !c.is_whitespace() {
                len += 1;
            }
            punct |= match c {
                '?' | '¿' | '？' => 1,
                '!' | '¡' | '！' => 2,
                ':' => 4,
                '"' | '“' | '”' | '«' | '»' | '„' | '「' | '」' => 8,
                '(' | ')' | '[' | ']' => 16,
                _ => 0,
            };
        }
        let mut keys = Vec::new();
        for_each_token(text, |token, capitalised| {
            if let Some(key) = key_of(token, capitalised) {
                keys.push(key);
            }
        });
        keys.sort_unstable();
        keys.dedup();
        Features {
            len: len as f64,
            keys,
            punct,
            para_start,
            sentences: 1,
        }
    }

    /// The union of several units' features (for coarse levels and group beads).
    pub fn merged<'a>(parts: impl IntoIterator<Item = &'a Features>) -> Features {
        let mut out = Features::default();
        let mut first = true;
        for part in parts {
            out.len += part.len;
            out.keys.extend_from_slice(&part.keys);
            out.punct |= part.punct;
            out.sentences += part.sentences;
            if first {
                out.para_start = part.para_start;
                first = false;
            }
        }
        out.keys.sort_unstable();
        out.keys.dedup();
        out
    }
}

/// Calls `f` on every token: maximal runs of letters and digits, where `.` and `,`
/// between digits stay inside (numbers) and `-` between letters splits.
fn for_each_token(text: &str, mut f: impl FnMut(&str, bool)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        // A mark inside a word keeps it whole (the virama of `दिल्ली` is neither a letter
        // nor a digit).
        let inside = c.is_alphanumeric()
            || (start.is_some() && !c.is_ascii() && is_combining_mark(c))
            || (matches!(c, '.' | ',')
                && start.is_some()
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && iter.peek().is_some_and(|&(_, n)| n.is_ascii_digit()));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let token = &text[s..i];
                f(token, token.chars().next().is_some_and(char::is_uppercase));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        let token = &text[s..];
        f(token, token.chars().next().is_some_and(char::is_uppercase));
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
fn key_of(token: &str, capitalised: bool) -> Option<Key> {
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
        return Some(Key {
            hash: hash(b'n', &normal),
            kind,
        });
    }
    let chars = token.chars().count();
    let upper = token.chars().filter(|c| c.is_uppercase()).count();
    if chars >= 2 && upper == chars {
        // Acronyms (IP, CEO, AFSA) are kept whole: prefixes of them mean nothing.
        return Some(Key {
            hash: hash(b'a', &romanise(token)),
            kind: KeyKind::Word,
        });
    }
    if chars < 4 && !(capitalised && chars >= 3) {
        return None;
    }
    let stem = spelling_stem(&romanise(token));
    if stem.chars().count() < 3 {
        return None;
    }
    Some(Key {
        hash: hash(b'w', &stem),
        kind: KeyKind::Word,
    })
}

/// Lowercase without diacritics.
pub fn fold(token: &str) -> String {
    if token.is_ascii() {
        return token.to_ascii_lowercase();
    }
    token
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `token` in lowercase ASCII letters and digits: accents dropped and every script
/// romanised as the usual transliterations do (the `deunicode` tables), so that names and
/// loanwords meet their Latin-script cognates (`Казахстан`, `Καζακστάν`, `Kazakhstan`; Greek
/// in the classical romanisation, eta `e`, which the cognates follow: `Τηλεγράφημα`,
/// telegraph). Anything else (punctuation, marks with no letter) is dropped.
fn romanise(token: &str) -> String {
    // Most tokens are ASCII: a byte test spares them the table.
    if token.is_ascii() {
        return token.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(token.len());
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
    out
}

/// How many characters of the normalised spelling make a stem.
const STEM_LEN: usize = 5;

/// A coarse spelling normalisation that lets cognates across Latin-script languages meet:
/// c/k/q, ph/f, y/i, w/v, z/s, silent h, doubled letters; then the first [`STEM_LEN`]
/// characters.
fn spelling_stem(folded: &str) -> String {
    let mut out = String::with_capacity(STEM_LEN + 2);
    let mut prev: Option<char> = None;
    let mut chars = folded.chars().peekable();
    let mut count = 0;
    while let Some(c) = chars.next() {
        let mapped = match c {
            'c' | 'k' => 'k',
            'q' => {
                if chars.peek() == Some(&'u') {
                    chars.next();
                }
                'k'
            }
            'p' if chars.peek() == Some(&'h') => {
                chars.next();
                'f'
            }
            'y' => 'i',
            'w' => 'v',
            'z' | 'ß' => 's',
            'h' if prev.is_some() => continue,
            'ç' => 's',
            other => other,
        };
        if prev == Some(mapped) {
            continue;
        }
        out.push(mapped);
        prev = Some(mapped);
        count += 1;
        if count == STEM_LEN {
            break;
        }
    }
    out
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
        Features::of(text, false).keys
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
        assert_eq!(romanise("Straße Łódź"), "strasselodz");
    }

    #[test]
    fn small_numbers_are_weak() {
        let k = keys("Chapter 1");
        assert!(k.iter().any(|k| k.kind == KeyKind::SmallNumber));
        let k = keys("2024");
        assert!(k.iter().all(|k| k.kind == KeyKind::Number));
    }

    #[test]
    fn punctuation_profile() {
        assert_eq!(Features::of("Why? «Yes»", false).punct, 1 | 8);
    }
}
