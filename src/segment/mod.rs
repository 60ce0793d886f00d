//! Sentence segmentation: text in, sentences out as byte spans into the text.
//!
//! The segmenter makes one pass over the bytes. A lookup table finds the few bytes that can
//! matter (terminal punctuation, line breaks, the lead bytes of `…`, `。`, bullets); each
//! candidate is decided by local rules that look at the word before and the word after:
//! abbreviations and titles of the language ([`Profile`] data in `data/lang/`), initials,
//! numbers, closing quotes and brackets, ellipses, list markers, and line structure
//! (a blank line ends a paragraph; a line without final punctuation is a segment of its own
//! unless the paragraph is hard-wrapped). Nothing looks further than a bounded window, so the
//! time is linear in the input.
//!
//! Sentences are spans that exclude surrounding whitespace; the spans and the whitespace
//! between them give back the input byte for byte.
//!
//! ```
//! use bitext::Segmenter;
//!
//! let seg = Segmenter::for_language("en");
//! let text = "Mr. Smith arrived at 5 p.m. on Monday. He left.";
//! let sentences: Vec<&str> = seg.segment(text).iter().map(|s| &text[s.start..s.end]).collect();
//! assert_eq!(sentences, ["Mr. Smith arrived at 5 p.m. on Monday.", "He left."]);
//! ```

mod generic;
mod learn;
mod profile;
mod rules;

use std::sync::{Arc, OnceLock};

pub use profile::{LANGUAGES, Profile, ProfileError};

use serde::Serialize;

/// One sentence: a byte span into its document's text, and the paragraph it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Byte offset of the first byte of the sentence.
    pub start: usize,
    /// Byte offset one past the last byte of the sentence.
    pub end: usize,
    /// 0-based index of the paragraph.
    pub paragraph: usize,
}

/// Splits text into sentences for one language profile. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Segmenter {
    lang: String,
    profile: Arc<Profile>,
}

/// The profile code for a language tag: `pt-BR`, `en_US` and `EN` use `pt`, `en`, `en`.
pub(crate) fn primary(code: &str) -> String {
    code.split(['-', '_'])
        .next()
        .unwrap_or(code)
        .to_ascii_lowercase()
}

fn builtin(code: &str) -> Arc<Profile> {
    let code = primary(code);
    let code = code.as_str();
    static PROFILES: OnceLock<Vec<(&'static str, Arc<Profile>)>> = OnceLock::new();
    let all = PROFILES.get_or_init(|| {
        let (_, generic_src) = profile::BUILTIN[profile::BUILTIN.len() - 1];
        let generic = Profile::parse(generic_src);
        profile::BUILTIN
            .iter()
            .map(|(code, src)| {
                let mut p = Profile::parse(src);
                p.generic = *code == "generic";
                p.merge(&generic);
                (*code, Arc::new(p))
            })
            .collect()
    });
    let found = all.iter().find(|(c, _)| *c == code);
    match found {
        Some((_, p)) => Arc::clone(p),
        // The generic profile is the last entry of BUILTIN.
        None => Arc::clone(&all[all.len() - 1].1),
    }
}

impl Segmenter {
    /// A segmenter for ISO 639-1 `code` (a region or script subtag is ignored: `pt-BR` is
    /// `pt`); codes without their own profile (see [`LANGUAGES`]) get the generic profile.
    pub fn for_language(code: &str) -> Segmenter {
        Segmenter {
            lang: code.to_owned(),
            profile: builtin(code),
        }
    }

    /// Starts a segmenter for `code` with extra abbreviations or titles.
    pub fn builder(code: &str) -> SegmenterBuilder {
        SegmenterBuilder {
            lang: code.to_owned(),
            profile: (*builtin(code)).clone(),
        }
    }

    /// The language code of the profile in use.
    pub fn language(&self) -> &str {
        &self.lang
    }

    /// True when `code` has its own profile rather than the generic one.
    pub fn has_profile(code: &str) -> bool {
        LANGUAGES.contains(&primary(code).as_str())
    }

    /// The sentences of `text`, as byte spans, in order.
    pub fn segment(&self, text: &str) -> Vec<Sentence> {
        rules::Engine::new(text, &self.profile).run()
    }
}

/// Configures a [`Segmenter`] beyond its built-in profile.
#[derive(Debug, Clone)]
pub struct SegmenterBuilder {
    lang: String,
    profile: Profile,
}

impl SegmenterBuilder {
    /// Adds abbreviations (written without their final full stop, e.g. `approx`, `z. B`):
    /// a full stop after one ends a sentence only when a sentence-starting word follows.
    pub fn abbreviations<I, S>(mut self, words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for w in words {
            self.profile.add_abbreviation(w.as_ref());
        }
        self
    }

    /// Replaces the built-in profile with `source`, a profile in the format of
    /// `data/lang/*.txt` (see the `profile` module), merged with the generic profile like
    /// the built-in ones. The language code stays the one given to [`Segmenter::builder`].
    ///
    /// ```
    /// use bitext::Segmenter;
    ///
    /// let profile = "# Source: my notes\n@titles\nKapt\n@starters\nde\n";
    /// let seg = Segmenter::builder("xx").profile(profile).unwrap().build();
    /// assert_eq!(seg.segment("Kapt. Haddock kwam. De zee was ruw.").len(), 2);
    /// ```
    pub fn profile(mut self, source: &str) -> Result<Self, ProfileError> {
        self.profile = parse_profile(source)?;
        Ok(self)
    }

    /// Replaces the profile with one already read by [`parse_profile`].
    pub(crate) fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Adds titles (`Sen`, `Bpk`): a full stop after one never ends a sentence.
    pub fn titles<I, S>(mut self, words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for w in words {
            self.profile.add_title(w.as_ref());
        }
        self
    }

    /// Builds the segmenter.
    pub fn build(self) -> Segmenter {
        Segmenter {
            lang: self.lang,
            profile: Arc::new(self.profile),
        }
    }
}

/// Reads a profile in the format of `data/lang/*.txt`, merged with the generic profile.
pub(crate) fn parse_profile(source: &str) -> Result<Profile, ProfileError> {
    let mut p = Profile::parse_checked(source)?;
    p.merge(&builtin("generic"));
    Ok(p)
}

/// The sentence-starting words (the language detector's stopwords) and the `@letters` of a
/// built-in profile.
pub(crate) fn detection_data(code: &str) -> (Vec<Box<str>>, Vec<char>) {
    let p = builtin(code);
    (p.starters.iter().cloned().collect(), p.letters.clone())
}

/// For tests of fast scans against byte loops: calls `check` with every prefix of `text`
/// of the lengths `lens`, after setting the byte at each of `ats` to each value in turn
/// (then restoring it), with the value, its offset and the length.
#[cfg(test)]
pub(crate) fn each_byte_at(
    text: &mut [u8],
    ats: &[usize],
    lens: &[usize],
    mut check: impl FnMut(&[u8], u8, usize, usize),
) {
    for x in 0..=255u8 {
        for &at in ats {
            let keep = text[at];
            text[at] = x;
            for &len in lens {
                check(&text[..len], x, at, len);
            }
            text[at] = keep;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lang: &str, text: &str) -> Vec<String> {
        Segmenter::for_language(lang)
            .segment(text)
            .iter()
            .map(|s| text[s.start..s.end].to_owned())
            .collect()
    }

    #[test]
    fn language_tags_use_their_primary_subtag() {
        assert!(Segmenter::has_profile("pt-BR") && Segmenter::has_profile("EN"));
        assert!(Segmenter::has_profile("ru-RU"));
        assert!(Segmenter::has_profile("ja") && Segmenter::has_profile("zh-Hant"));
        assert!(!Segmenter::has_profile("ko"));
        assert_eq!(
            texts("fr-CA", "M. Roy est là. Il parle."),
            ["M. Roy est là.", "Il parle."]
        );
        assert_eq!(Segmenter::for_language("fr-CA").language(), "fr-CA");
    }

    #[test]
    fn russian_abbreviations_do_not_end_sentences() {
        assert_eq!(
            texts("ru", "Проф. Иванов согласен. Он прав."),
            ["Проф. Иванов согласен.", "Он прав."]
        );
        assert_eq!(
            texts("ru", "В 2024 г. компания выросла. Это рекорд."),
            ["В 2024 г. компания выросла.", "Это рекорд."]
        );
        // A city after "г." is not a sentence starter.
        assert_eq!(
            texts("ru", "Офис открылся в г. Алматы на ул. Абая.").len(),
            1
        );
        assert_eq!(
            texts(
                "ru",
                "Платформы, т. е. мессенджеры, открыли офисы. Это важно."
            )
            .len(),
            2
        );
        assert_eq!(
            texts("ru", "Мы продаём хлеб, молоко и т. д. и многое другое.").len(),
            1
        );
        assert_eq!(texts("ru", "Музей им. Пушкина открыт.").len(), 1);
    }

    #[test]
    fn russian_abbreviations_end_sentences_before_a_new_one() {
        // "Потом" opens sentences: after "г." it starts one.
        assert_eq!(
            texts("ru", "Мы переехали в Москву в 2024 г. Потом родилась дочь."),
            ["Мы переехали в Москву в 2024 г.", "Потом родилась дочь."]
        );
        // "и т. д." and "и др." close their sentence before any capitalised word.
        assert_eq!(
            texts("ru", "Они купили хлеб, молоко и т. д. Магазин закрылся."),
            ["Они купили хлеб, молоко и т. д.", "Магазин закрылся."]
        );
        assert_eq!(
            texts("ru", "Пришли министры, депутаты и др. Компания ответила."),
            ["Пришли министры, депутаты и др.", "Компания ответила."]
        );
        // "им." the pronoun, not "имени".
        assert_eq!(
            texts("ru", "Я всё рассказал им. Они ушли."),
            ["Я всё рассказал им.", "Они ушли."]
        );
    }

    #[test]
    fn segmenter_is_send_and_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Segmenter>();
    }

    #[test]
    fn cjk_terminals_need_no_space() {
        assert_eq!(texts("zh", "你好。我是学生！"), ["你好。", "我是学生！"]);
        assert_eq!(
            texts("ja", "「はい。」と言った。"),
            ["「はい。」と言った。"]
        );
        assert_eq!(
            texts("ja", "「はい。」「いいえ。」"),
            ["「はい。」", "「いいえ。」"]
        );
    }

    #[test]
    fn generic_profile_uses_uax29_for_unknown_terminals() {
        // Armenian full stop "։" and Ethiopic "።" are not in the engine's own list.
        assert_eq!(texts("hy", "Բարեւ։ Ինչպես ես։"), ["Բարեւ։", "Ինչպես ես։"]);
        assert_eq!(texts("am", "ሰላም። እንዴት ነህ።"), ["ሰላም።", "እንዴት ነህ።"]);
        // A language profile does not consult UAX #29.
        assert_eq!(texts("en", "Բարեւ։ Ինչպես ես։").len(), 1);
    }

    #[test]
    fn generic_profile_keeps_language_independent_rules() {
        assert_eq!(
            texts("xx", "Dr. Novak paid 12.5 euros. Then J. R. Ortega left."),
            ["Dr. Novak paid 12.5 euros.", "Then J. R. Ortega left."]
        );
    }

    #[test]
    fn paragraphs_count_from_zero_and_skip_empty_ones() {
        let seg = Segmenter::for_language("en");
        let text = "\n\n\nOne.\n\n\n\nTwo. Three.\n \n";
        let paras: Vec<usize> = seg.segment(text).iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, [0, 1, 1]);
    }

    #[test]
    fn builder_keeps_the_language_code() {
        let seg = Segmenter::builder("pt").titles(["Cel"]).build();
        assert_eq!(seg.language(), "pt");
        assert_eq!(
            texts("pt", "O Cel. Souza chegou.").len(),
            2,
            "without the title the full stop ends a sentence"
        );
        let text = "O Cel. Souza chegou.";
        assert_eq!(seg.segment(text).len(), 1);
    }
}
