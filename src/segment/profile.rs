//! Language profiles: the abbreviation lists and sentence-starting words of one language,
//! read from the plain-text files in `data/lang/` (compiled in with `include_str!`).
//!
//! A profile file has a `#` header naming its source, then sections:
//! - `@titles`: words that precede a name or number (`Mr`, `Mme`, `Bpk`); a full stop after
//!   one never ends a sentence.
//! - `@abbreviations`: words whose full stop ends a sentence only when a sentence-starting
//!   word follows (`etc`, `Inc`, `U.S`, `dll`); written without the final full stop, matched
//!   in any case unless written `=No` (then only as written).
//! - `@signoffs`: closing formulas of letters and e-mails ("Regards", "Cordialement"): at
//!   the start of a segment and followed by a comma and a name, they are a segment of their own.
//! - `@greetings`: first words of salutations ("Hi", "Dear", "Bonjour"): a segment that opens
//!   with one and reaches a comma within a few words ends there when a capital follows.
//! - `@multi`: abbreviations written with a space (`z. B`, `p. ex`).
//! - `@closing`: abbreviations that usually end their sentence when a capitalised word
//!   follows (`etc`, `a.m`, `dll`); one written with a space (`т. д`) is also a `@multi`
//!   abbreviation.
//! - `@starters`: words that typically open a sentence (articles, pronouns, conjunctions);
//!   they also serve as the stopword profile of the language detector.
//! - `@ordinals`: a flag; a number with a full stop before a word that is not a starter is an
//!   ordinal (`am 3. Oktober`), not the end of a sentence.
//! - `@spaced-guillemets`: a flag; `»` after a space closes the sentence before it (French).
//! - `@semicolon-capital`: a flag; `;` before a capitalised sentence starter ends a sentence.
//! - `@colon-quote`: a flag; `:` before an opening quotation mark ends a sentence.

use std::hash::{BuildHasherDefault, Hasher};

/// A set of words with a fast, non-cryptographic hash (the words are our own data).
pub(crate) type WordSet = std::collections::HashSet<Box<str>, BuildHasherDefault<WordHasher>>;

/// FNV-1a over bytes, with a multiply-mix finish: lookups of short words dominate.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        (self.0 ^ (self.0 >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
    }
}

/// The profiles compiled into the binary, by ISO 639-1 code (`generic` last).
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../../data/lang/en.txt")),
    ("fr", include_str!("../../data/lang/fr.txt")),
    ("pt", include_str!("../../data/lang/pt.txt")),
    ("id", include_str!("../../data/lang/id.txt")),
    ("de", include_str!("../../data/lang/de.txt")),
    ("es", include_str!("../../data/lang/es.txt")),
    ("it", include_str!("../../data/lang/it.txt")),
    ("nl", include_str!("../../data/lang/nl.txt")),
    ("ru", include_str!("../../data/lang/ru.txt")),
    ("generic", include_str!("../../data/lang/generic.txt")),
];

/// The segmentation rules of one language.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub(crate) titles: WordSet,
    pub(crate) abbreviations: WordSet,
    /// Abbreviations matched with their case (`No` but not `no`).
    pub(crate) exact_abbreviations: WordSet,
    pub(crate) multi: WordSet,
    /// Abbreviations that usually end their sentence when a capitalised word follows.
    pub(crate) closing: WordSet,
    /// Sign-offs of letters and e-mails ("Regards", "Cordialement"), lowercase.
    pub(crate) signoffs: WordSet,
    /// First words of salutations ("Hi", "Dear", "Bonjour"), lowercase.
    pub(crate) greetings: WordSet,
    /// First words of sign-offs and salutations, a cheap first test.
    pub(crate) formula_starts: WordSet,
    formula_shapes: Shapes,
    /// Lowercase ASCII first letters of sign-offs and salutations (bit per letter).
    pub(crate) formula_initials: u128,
    pub(crate) starters: WordSet,
    pub(crate) ordinals: bool,
    pub(crate) spaced_guillemets: bool,
    /// `;` before a capitalised sentence starter ends a sentence (French usage).
    pub(crate) semicolon_capital: bool,
    /// `:` before an opening quotation mark ends a sentence (Portuguese press usage).
    pub(crate) colon_quote: bool,
    /// True for the fallback profile, which also consults UAX #29.
    pub(crate) generic: bool,
    title_shapes: Shapes,
    abbreviation_shapes: Shapes,
    starter_shapes: Shapes,
}

#[derive(Clone, Copy)]
enum Section {
    None,
    Titles,
    Abbreviations,
    Multi,
    Starters,
    Closing,
    Signoffs,
    Greetings,
}

impl Profile {
    /// Parses a profile file (the format in the module documentation).
    pub(crate) fn parse(source: &str) -> Profile {
        let mut p = Profile::default();
        let mut section = Section::None;
        for line in source.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line {
                "@titles" => section = Section::Titles,
                "@abbreviations" => section = Section::Abbreviations,
                "@multi" => section = Section::Multi,
                "@starters" => section = Section::Starters,
                "@closing" => section = Section::Closing,
                "@signoffs" => section = Section::Signoffs,
                "@greetings" => section = Section::Greetings,
                "@ordinals" => p.ordinals = true,
                "@spaced-guillemets" => p.spaced_guillemets = true,
                "@semicolon-capital" => p.semicolon_capital = true,
                "@colon-quote" => p.colon_quote = true,
                _ => match section {
                    Section::Titles => p.add_title(line),
                    Section::Abbreviations => p.add_abbreviation(line),
                    Section::Multi => {
                        p.multi.insert(line.to_lowercase().into());
                    }
                    Section::Starters => {
                        p.starter_shapes.add(line);
                        p.starters.insert(line.to_lowercase().into());
                    }
                    Section::Closing => {
                        let w = line.trim_end_matches('.');
                        p.add_abbreviation(w);
                        p.closing.insert(w.to_lowercase().into());
                    }
                    Section::Signoffs => {
                        let lower = line.to_lowercase();
                        let first = lower.split(' ').next().unwrap_or("");
                        p.formula_shapes.add(first);
                        p.formula_initials |= initial_bit(first);
                        p.formula_starts.insert(first.into());
                        p.signoffs.insert(lower.as_str().into());
                    }
                    Section::Greetings => {
                        p.formula_shapes.add(line);
                        p.formula_initials |= initial_bit(line);
                        p.formula_starts.insert(line.to_lowercase().into());
                        p.greetings.insert(line.to_lowercase().into());
                    }
                    Section::None => {}
                },
            }
        }
        p
    }

    /// Adds a title: matched as written, and capitalised when written in lowercase.
    pub(crate) fn add_title(&mut self, word: &str) {
        let word = word.trim_end_matches('.');
        self.title_shapes.add(word);
        self.titles.insert(word.into());
        if word.chars().all(|c| !c.is_uppercase()) {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                let cap: String = first.to_uppercase().chain(chars).collect();
                self.titles.insert(cap.into());
            }
        }
    }

    /// Adds an abbreviation; matched without regard to case, unless written with a leading
    /// `=` (`=No`: "No." abbreviates, "no." is a word).
    pub(crate) fn add_abbreviation(&mut self, word: &str) {
        let word = word.trim_end_matches('.');
        if let Some(exact) = word.strip_prefix('=') {
            self.abbreviation_shapes.add(exact);
            self.exact_abbreviations.insert(exact.into());
            return;
        }
        if word.contains(' ') {
            self.multi.insert(word.to_lowercase().into());
        } else {
            self.abbreviation_shapes.add(word);
            self.abbreviations.insert(word.to_lowercase().into());
        }
    }

    pub(crate) fn is_title(&self, word: &str) -> bool {
        if !self.title_shapes.may_contain(word) {
            return false;
        }
        if self.titles.contains(word) {
            return true;
        }
        // "JL." and "DR." in capitals: try the capitalised form.
        let b = word.as_bytes();
        if b.len() < 2 || b.len() > 16 || !b.iter().all(u8::is_ascii_uppercase) {
            return false;
        }
        let mut buf = [0u8; 16];
        let cap = &mut buf[..b.len()];
        cap.copy_from_slice(b);
        cap[1..].make_ascii_lowercase();
        std::str::from_utf8(cap).is_ok_and(|w| self.titles.contains(w))
    }

    /// Adds the titles and abbreviations of `other` (the generic profile) to this one.
    pub(crate) fn merge(&mut self, other: &Profile) {
        for t in &other.titles {
            self.title_shapes.add(t);
        }
        for a in other.abbreviations.iter().chain(&other.exact_abbreviations) {
            self.abbreviation_shapes.add(a);
        }
        self.titles.extend(other.titles.iter().cloned());
        self.abbreviations
            .extend(other.abbreviations.iter().cloned());
        self.exact_abbreviations
            .extend(other.exact_abbreviations.iter().cloned());
        self.multi.extend(other.multi.iter().cloned());
    }

    pub(crate) fn is_abbreviation(&self, word: &str) -> bool {
        self.abbreviation_shapes.may_contain(word)
            && (self.exact_abbreviations.contains(word)
                || with_lowercase(word, |w| self.abbreviations.contains(w)))
    }

    pub(crate) fn is_closing(&self, word: &str) -> bool {
        !self.closing.is_empty() && with_lowercase(word, |w| self.closing.contains(w))
    }

    /// True when `word` opens a sign-off or a salutation.
    pub(crate) fn opens_formula(&self, word: &str) -> bool {
        self.formula_shapes.may_contain(word)
            && with_lowercase(word, |w| self.formula_starts.contains(w))
    }

    pub(crate) fn is_multi(&self, words: &str) -> bool {
        with_lowercase(words, |w| self.multi.contains(w))
    }

    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.starter_shapes.may_contain(word) && with_lowercase(word, |w| self.starters.contains(w))
    }
}

/// The bit of a word's lowercase ASCII first byte (all bits for a non-ASCII first byte).
fn initial_bit(word: &str) -> u128 {
    match word.bytes().next() {
        Some(b) if b < 0x80 => 1 << b.to_ascii_lowercase(),
        _ => u128::MAX,
    }
}

/// A 1024-bit filter on a word's shape (length, first and last letter, case folded): most
/// words before a full stop are not in a list, and this says so without hashing them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shapes([u64; 16]);

impl Shapes {
    fn key(w: &[u8]) -> usize {
        let first = usize::from(w[0].to_ascii_lowercase());
        let last = usize::from(w[w.len() - 1].to_ascii_lowercase());
        (first.wrapping_mul(31) ^ last.wrapping_mul(131) ^ w.len().wrapping_mul(7)) & 1023
    }

    fn add(&mut self, w: &str) {
        if !w.is_empty() && w.is_ascii() {
            let k = Shapes::key(w.as_bytes());
            self.0[k >> 6] |= 1 << (k & 63);
        } else {
            // Non-ASCII entries fold case beyond ASCII: let every non-ASCII word through.
            self.0[0] |= 1;
        }
    }

    /// False when `w` is certainly not in the set.
    #[inline]
    fn may_contain(&self, w: &str) -> bool {
        if w.is_empty() {
            return false;
        }
        if !w.is_ascii() {
            return true;
        }
        let k = Shapes::key(w.as_bytes());
        self.0[k >> 6] >> (k & 63) & 1 == 1
    }
}

/// Calls `f` with `word` in lowercase, without allocating for short ASCII words.
pub(crate) fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if word.is_ascii() && word.len() <= 32 {
        let mut buf = [0u8; 32];
        let bytes = &mut buf[..word.len()];
        bytes.copy_from_slice(word.as_bytes());
        bytes.make_ascii_lowercase();
        // Lowercasing ASCII keeps the bytes valid UTF-8.
        match std::str::from_utf8(bytes) {
            Ok(lower) => f(lower),
            Err(_) => f(&word.to_lowercase()),
        }
    } else {
        f(&word.to_lowercase().replace('’', "'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_has_a_source_header_and_sections() {
        for (code, src) in BUILTIN {
            assert!(
                src.lines().next().is_some_and(|l| l.contains("Source:")),
                "{code}: header line must name the source"
            );
            let p = Profile::parse(src);
            assert!(!p.titles.is_empty(), "{code}: no titles");
            if *code != "generic" {
                assert!(p.starters.len() > 40, "{code}: too few starters");
            }
        }
    }

    #[test]
    fn titles_match_capitalised_lowercase_entries() {
        let p = Profile::parse("@titles\nav\nMr\n");
        assert!(p.is_title("av") && p.is_title("Av") && p.is_title("Mr"));
        assert!(!p.is_title("mr"));
    }
}
