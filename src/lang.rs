//! Language detection for `--lang auto`: the language tag of a text, which also picks its
//! segmentation profile when there is one (the tag is written to the outputs either way).
//!
//! Three stages, the first that is sure decides:
//! 1. The script. A text written mostly in a script that one language owns (Hangul, Greek,
//!    Thai, Hebrew, Armenian, Georgian, ...) gets that language's tag; Han without kana is
//!    Chinese, Han with kana Japanese.
//! 2. whatlang's trigram detector, some seventy languages, when it calls its guess reliable.
//!    Measured per paragraph on the ten UD dev texts, it alone finds the language of 86.8%
//!    of the paragraphs against 72.5% for stage 3 alone (which knows only the languages with a
//!    profile, so never Polish); the three stages together find 90.0%, and are at least as
//!    good as stage 3 alone in every language.
//! 3. The function words of each profile (`@starters` in `data/lang/*.txt`): every word of
//!    the text that is one of them votes for the languages that have it, a word shared by
//!    several languages counting for less, plus the letters that only some of them use
//!    (`@letters`). It decides short texts that whatlang finds unreliable. The languages of a
//!    word are a bit mask over [`LANGUAGES`], so there can be at most 64 of them.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::segment::LANGUAGES;

/// Bytes of the text examined: detection needs a few hundred words, not the whole book.
const SAMPLE: usize = 64 * 1024;
/// Votes below this leave the language undecided.
const MIN_SCORE: f64 = 3.0;
/// Letters of a script needed before the script decides the language.
const MIN_SCRIPT_LETTERS: usize = 4;

/// The languages of a word or a letter, one bit per entry of [`LANGUAGES`].
type Mask = u64;

// A language past the mask's width would have no bit of its own.
const _: () = assert!(LANGUAGES.len() <= Mask::BITS as usize);

struct Tables {
    words: HashMap<Box<str>, Mask>,
    letters: HashMap<char, Mask>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut words: HashMap<Box<str>, Mask> = HashMap::new();
        let mut letters: HashMap<char, Mask> = HashMap::new();
        for (bit, code) in LANGUAGES.iter().enumerate() {
            let (starters, own) = crate::segment::detection_data(code);
            for word in starters {
                *words.entry(word).or_insert(0) |= 1 << bit;
            }
            for c in own {
                *letters.entry(c).or_insert(0) |= 1 << bit;
            }
        }
        Tables { words, letters }
    })
}

/// Scripts that tell the language by themselves, or nearly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    /// Latin, Cyrillic and anything else that words must decide.
    Words,
    Han,
    Kana,
    Hangul,
    Greek,
    Thai,
    Hebrew,
    Armenian,
    Georgian,
    Arabic,
    Devanagari,
    Bengali,
    Tamil,
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0530..=0x058F => Script::Armenian,
        0x0590..=0x05FF => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F => Script::Arabic,
        0x0900..=0x097F => Script::Devanagari,
        0x0980..=0x09FF => Script::Bengali,
        0x0B80..=0x0BFF => Script::Tamil,
        0x0E00..=0x0E7F => Script::Thai,
        0x10A0..=0x10FF => Script::Georgian,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::Han,
        0x0000..=0x052F | 0x1E00..=0x1EFF => Script::Words,
        _ => Script::Other,
    }
}

/// The language of a text written mostly in a script of its own, or `None`.
fn by_script(sample: &str) -> Option<&'static str> {
    let mut counts = [0usize; 14];
    for c in sample.chars().filter(|c| c.is_alphabetic()) {
        counts[script(c) as usize] += 1;
    }
    let total: usize = counts.iter().sum();
    let (best, &most) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    if total == 0 || most < MIN_SCRIPT_LETTERS {
        return None;
    }
    let kana = counts[Script::Kana as usize];
    let han = counts[Script::Han as usize];
    // Japanese writes kana beside its kanji: a tenth of the Han and kana letters is plenty.
    if (han + kana) * 2 > total && kana * 10 >= han + kana && kana >= MIN_SCRIPT_LETTERS {
        return Some("ja");
    }
    if most * 2 <= total {
        return None;
    }
    Some(match best {
        b if b == Script::Han as usize => "zh",
        b if b == Script::Kana as usize => "ja",
        b if b == Script::Hangul as usize => "ko",
        b if b == Script::Greek as usize => "el",
        b if b == Script::Thai as usize => "th",
        b if b == Script::Hebrew as usize => "he",
        b if b == Script::Armenian as usize => "hy",
        b if b == Script::Georgian as usize => "ka",
        b if b == Script::Bengali as usize => "bn",
        b if b == Script::Tamil as usize => "ta",
        // Arabic and Devanagari write several languages: the trigrams tell them apart.
        _ => return None,
    })
}

/// The first `SAMPLE` bytes of `text`.
fn sample(text: &str) -> &str {
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Guesses the language tag of `text` (ISO 639-1, or ISO 639-3 for a language without a
/// two-letter code), or `None` when unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    let sample = sample(text);
    by_script(sample)
        .or_else(|| by_trigrams(sample))
        .or_else(|| by_words(text))
}

/// whatlang's trigram detector (some seventy languages), when it calls its guess reliable.
fn by_trigrams(sample: &str) -> Option<&'static str> {
    let info = whatlang::detect(sample)?;
    info.is_reliable().then(|| iso639_1(info.lang().code()))
}

/// The ISO 639-1 code of an ISO 639-3 code of whatlang, or the 639-3 code itself.
fn iso639_1(code: &'static str) -> &'static str {
    match code {
        "afr" => "af",
        "aka" => "ak",
        "amh" => "am",
        "ara" => "ar",
        "aze" => "az",
        "bel" => "be",
        "ben" => "bn",
        "bul" => "bg",
        "cat" => "ca",
        "ces" => "cs",
        "cmn" => "zh",
        "dan" => "da",
        "deu" => "de",
        "ell" => "el",
        "eng" => "en",
        "epo" => "eo",
        "est" => "et",
        "fin" => "fi",
        "fra" => "fr",
        "guj" => "gu",
        "heb" => "he",
        "hin" => "hi",
        "hrv" => "hr",
        "hun" => "hu",
        "hye" => "hy",
        "ind" => "id",
        "ita" => "it",
        "jav" => "jv",
        "jpn" => "ja",
        "kan" => "kn",
        "kat" => "ka",
        "khm" => "km",
        "kor" => "ko",
        "lat" => "la",
        "lav" => "lv",
        "lit" => "lt",
        "mal" => "ml",
        "mar" => "mr",
        "mkd" => "mk",
        "mya" => "my",
        "nep" => "ne",
        "nld" => "nl",
        "nob" => "nb",
        "ori" => "or",
        "pan" => "pa",
        "pes" => "fa",
        "pol" => "pl",
        "por" => "pt",
        "ron" => "ro",
        "rus" => "ru",
        "sin" => "si",
        "slk" => "sk",
        "slv" => "sl",
        "sna" => "sn",
        "spa" => "es",
        "srp" => "sr",
        "swe" => "sv",
        "tam" => "ta",
        "tel" => "te",
        "tgl" => "tl",
        "tha" => "th",
        "tuk" => "tk",
        "tur" => "tr",
        "ukr" => "uk",
        "urd" => "ur",
        "uzb" => "uz",
        "vie" => "vi",
        "yid" => "yi",
        "zul" => "zu",
        other => other,
    }
}

/// The profile language whose function words and letters win the vote, if one clearly does.
fn by_words(text: &str) -> Option<&'static str> {
    let scores = scores(text);
    let mut ranked: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, score) = ranked[0];
    let second = ranked.get(1).map_or(0.0, |r| r.1);
    (score >= MIN_SCORE && score > second * 1.2).then(|| LANGUAGES[best])
}

/// The word and letter votes of each language of [`LANGUAGES`], in that order.
pub fn scores(text: &str) -> Vec<f64> {
    let sample = sample(text);
    let tables = tables();
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
        if let Some(&mask) = tables.letters.get(&c) {
            vote(mask, 0.5);
        }
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
            continue;
        }
        if (c == '\'' || c == '’') && !word.is_empty() {
            // French and Italian elision: "l'", "d'", "c'est" → "l'".
            word.push('\'');
            if let Some(&mask) = tables.words.get(word.as_str()) {
                vote(mask, 1.0);
            }
            word.clear();
            continue;
        }
        if !word.is_empty() {
            if let Some(&mask) = tables.words.get(word.as_str()) {
                vote(mask, 1.0);
            }
            word.clear();
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
            (
                "sv",
                "Ministern sa att företaget kommer att öppna ett kontor i huvudstaden. Det är det första steget i planen.",
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
    }

    #[test]
    fn languages_without_a_profile_get_their_own_tag() {
        // Polish, Finnish and Czech have no profile: the tag is theirs, the profile generic.
        let cases = [
            (
                "pl",
                "Minister powiedział, że firma otworzy biuro w stolicy. To pierwszy krok jej planu.",
            ),
            (
                "fi",
                "Ministeri sanoi, että yritys avaa toimiston pääkaupunkiin. Se on suunnitelman ensimmäinen vaihe.",
            ),
            (
                "cs",
                "Ministr řekl, že společnost otevře kancelář v hlavním městě. Je to první krok jejího plánu.",
            ),
        ];
        for (lang, text) in cases {
            assert_eq!(detect(text), Some(lang), "{text}");
            assert!(!crate::Segmenter::has_profile(lang));
        }
    }

    #[test]
    fn scripts_of_one_language_decide_it() {
        assert_eq!(detect("Γεια σου, τι κάνεις; Όλα καλά."), Some("el"));
        assert_eq!(detect("안녕하세요. 저는 학생입니다."), Some("ko"));
        assert_eq!(detect("今天天气很好。我们去公园吧。"), Some("zh"));
        assert_eq!(
            detect("今日は天気がいいです。公園に行きましょう。"),
            Some("ja")
        );
        assert_eq!(detect("สวัสดีครับ ผมเป็นนักเรียน"), Some("th"));
        assert_eq!(detect("Բարեւ, ինչպես ես։"), Some("hy"));
        // A few Han words in a Latin text do not make it Chinese.
        assert_eq!(
            detect("The minister said that the company (公司) will open an office in the capital."),
            Some("en")
        );
    }
}

/// The language of a document: a tag the user gave, or [`Language::Auto`] to detect it.
///
/// ```
/// use bitext::Language;
///
/// let lang: Language = "pt-BR".parse().unwrap();
/// assert_eq!(lang.resolve("Olá, mundo."), "pt-BR");
/// assert_eq!("auto".parse::<Language>().unwrap(), Language::Auto);
/// assert!("english".parse::<Language>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// Detect the language from the text; `und` (undetermined) when detection is unsure.
    #[default]
    Auto,
    /// An ISO 639 tag, with optional subtags (`en`, `pt-BR`, `zh-Hant`).
    Tag(String),
}

impl Language {
    /// The tag for `text`: the one given, or the one detected.
    pub fn resolve<'a>(&'a self, text: &str) -> &'a str {
        match self {
            Language::Auto => detect(text).unwrap_or("und"),
            Language::Tag(tag) => tag,
        }
    }

    /// The tag, or `auto`.
    pub fn as_str(&self) -> &str {
        match self {
            Language::Auto => "auto",
            Language::Tag(tag) => tag,
        }
    }
}

impl std::str::FromStr for Language {
    type Err = crate::Error;

    /// `auto`, or a tag of two or three letters with optional subtags (`pt-BR`, `en_US`,
    /// `zh-Hant`).
    fn from_str(code: &str) -> Result<Language, crate::Error> {
        if code == "auto" {
            Ok(Language::Auto)
        } else if is_valid_code(code) {
            Ok(Language::Tag(code.to_owned()))
        } else {
            Err(crate::Error::Config(format!(
                "bad language code {code:?}: expected an ISO 639 code such as `en` or `pt-BR`, or `auto`"
            )))
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
