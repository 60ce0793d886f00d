//! Language detection for `--lang auto`: which of the languages with their own segmentation
//! profile (en fr pt id de es it nl ru) a text is written in.
//!
//! The evidence is the function words of each profile (`@starters` in `data/lang/*.txt`):
//! every word of the text that is one of them votes for the languages that have it, a word
//! shared by several languages counting for less, plus letters that only some of these
//! languages use (ã, ñ, ß, ...). Function words make up a third to a half of running text,
//! so a few sentences are enough; short or foreign texts give `None`. The languages of a
//! word are a bit mask over [`LANGUAGES`], so there can be at most 16 of them.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::segment::LANGUAGES;

/// Bytes of the text examined: detection needs a few hundred words, not the whole book.
const SAMPLE: usize = 64 * 1024;
/// Votes below this leave the language undecided.
const MIN_SCORE: f64 = 3.0;

/// Letters that only some of the languages use, with the languages that use them.
const LETTERS: &[(char, &[&str])] = &[
    ('ã', &["pt"]),
    ('õ', &["pt"]),
    ('ç', &["pt", "fr"]),
    ('ñ', &["es"]),
    ('¿', &["es"]),
    ('¡', &["es"]),
    ('ß', &["de"]),
    ('ä', &["de"]),
    ('ö', &["de"]),
    ('ü', &["de"]),
    ('è', &["fr", "it"]),
    ('ê', &["fr", "pt"]),
    ('à', &["fr", "it"]),
    ('ù', &["fr", "it"]),
    ('œ', &["fr"]),
    ('ì', &["it"]),
    ('ò', &["it"]),
    ('á', &["pt", "es"]),
    ('í', &["pt", "es"]),
    ('ó', &["pt", "es"]),
];

/// The languages of a word or a letter, one bit per entry of [`LANGUAGES`].
type Mask = u16;

// A language past the mask's width would have no bit of its own.
const _: () = assert!(LANGUAGES.len() <= Mask::BITS as usize);

fn table() -> &'static HashMap<Box<str>, Mask> {
    static TABLE: OnceLock<HashMap<Box<str>, Mask>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: HashMap<Box<str>, Mask> = HashMap::new();
        for (bit, code) in LANGUAGES.iter().enumerate() {
            for word in crate::segment::starter_words(code) {
                *map.entry(word).or_insert(0) |= 1 << bit;
            }
        }
        map
    })
}

/// Guesses the ISO 639-1 code of `text`'s language, or `None` when unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    let scores = scores(text);
    let mut ranked: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, score) = ranked[0];
    let second = ranked[1].1;
    (score >= MIN_SCORE && score > second * 1.2).then(|| LANGUAGES[best])
}

/// The vote of each language of [`LANGUAGES`], in that order.
pub fn scores(text: &str) -> Vec<f64> {
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let table = table();
    let mut scores = vec![0.0f64; LANGUAGES.len()];
    let mut vote = |mask: Mask, weight: f64| {
        let share = weight / f64::from(mask.count_ones());
        for (bit, score) in scores.iter_mut().enumerate() {
            if mask & (1 << bit) != 0 {
                *score += share;
            }
        }
    };
    let mut word = String::new();
    for c in sample.chars().chain(std::iter::once(' ')) {
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
            continue;
        }
        if (c == '\'' || c == '’') && !word.is_empty() {
            // French and Italian elision: "l'", "d'", "c'est" → "l'".
            word.push('\'');
            if let Some(&mask) = table.get(word.as_str()) {
                vote(mask, 1.0);
            }
            word.clear();
            continue;
        }
        if !word.is_empty() {
            if let Some(&mask) = table.get(word.as_str()) {
                vote(mask, 1.0);
            }
            word.clear();
        }
    }
    for c in sample.chars() {
        if let Some((_, langs)) = LETTERS.iter().find(|(l, _)| *l == c) {
            let mask = langs
                .iter()
                .filter_map(|l| LANGUAGES.iter().position(|x| x == l))
                .fold(0, |m: Mask, bit| m | 1 << bit);
            vote(mask, 0.5);
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_language_from_two_sentences() {
        let cases = [
            (
                "en",
                "The minister said that the company will open an office in the capital. It is the first step of its plan.",
            ),
            (
                "fr",
                "Le ministre a déclaré que l'entreprise ouvrira un bureau dans la capitale. C'est la première étape de son plan.",
            ),
            (
                "pt",
                "O ministro disse que a empresa vai abrir um escritório na capital. É o primeiro passo do seu plano.",
            ),
            (
                "id",
                "Menteri mengatakan bahwa perusahaan itu akan membuka kantor di ibu kota. Ini adalah langkah pertama dari rencananya.",
            ),
            (
                "de",
                "Der Minister sagte, dass das Unternehmen ein Büro in der Hauptstadt eröffnen wird. Es ist der erste Schritt seines Plans.",
            ),
            (
                "es",
                "El ministro dijo que la empresa abrirá una oficina en la capital. Es el primer paso de su plan.",
            ),
            (
                "it",
                "Il ministro ha detto che l'azienda aprirà un ufficio nella capitale. È il primo passo del suo piano.",
            ),
            (
                "nl",
                "De minister zei dat het bedrijf een kantoor in de hoofdstad zal openen. Het is de eerste stap van zijn plan.",
            ),
            (
                "ru",
                "Министр сказал, что компания откроет офис в столице. Это первый шаг её плана.",
            ),
        ];
        for (lang, text) in cases {
            assert_eq!(detect(text), Some(lang), "{text}");
        }
    }

    /// Russian is the ninth language: in a byte-wide mask its bit would not fit (a shift
    /// overflow, or in release builds a vote for the first language).
    #[test]
    fn russian_words_vote_for_russian_only() {
        let ru = LANGUAGES
            .iter()
            .position(|&l| l == "ru")
            .expect("ru is a language");
        let scores = scores("Он сказал, что это не так. Но мы были там, и они тоже.");
        assert!(scores[ru] >= 10.0, "{scores:?}");
        for (i, s) in scores.iter().enumerate() {
            if i != ru {
                assert_eq!(*s, 0.0, "{}: {scores:?}", LANGUAGES[i]);
            }
        }
    }

    #[test]
    fn unsure_on_short_or_foreign_text() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("12345 67890"), None);
        assert_eq!(detect("Γεια σου, τι κάνεις; Όλα καλά."), None);
    }
}

/// True for `auto` and for tags that look like a language: two or three letters (ISO 639-1
/// or 639-3), optionally followed by subtags (`pt-BR`, `en_US`, `zh-Hant`). Codes end up in
/// TMX `xml:lang` and Moses file names, so anything else is refused early.
pub fn is_valid_code(code: &str) -> bool {
    if code == "auto" {
        return true;
    }
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod code_tests {
    use super::is_valid_code;

    #[test]
    fn language_codes() {
        for good in ["auto", "en", "pt-BR", "en_US", "fil", "zh-Hant"] {
            assert!(is_valid_code(good), "{good}");
        }
        for bad in ["", "english", "e", "12", "pt-", "en us", "zzzz"] {
            assert!(!is_valid_code(bad), "{bad}");
        }
    }
}
