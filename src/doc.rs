//! Documents: a text and its sentences as byte spans into it.

use crate::lang::Language;
pub use crate::segment::Sentence;
use crate::segment::{self, Profile, ProfileError, Segmenter};

/// A text with its sentences, ready to be aligned.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text as read (after BOM removal); sentence spans index into it.
    pub text: String,
    /// The sentences, in order, non-overlapping.
    pub sentences: Vec<Sentence>,
    /// ISO 639-1 code of the language (or `und` when unknown).
    pub lang: String,
}

impl Document {
    /// Segments `text` with `segmenter`.
    pub fn segmented(text: String, segmenter: &Segmenter) -> Document {
        let sentences = segmenter.segment(&text);
        Document {
            text,
            sentences,
            lang: segmenter.language().to_owned(),
        }
    }

    /// Reads a pre-segmented text: one sentence per line, the hunalign and vecalign
    /// convention. Blank lines separate paragraphs and are not sentences; a sentence
    /// span excludes its line ending (LF, CRLF or CR).
    pub fn presegmented(text: String, lang: &str) -> Document {
        let mut sentences = Vec::new();
        let mut paragraph = 0;
        let mut blank_since_last = false;
        let bytes = text.as_bytes();
        let mut line_start = 0;
        while line_start < bytes.len() {
            let rel_end = memchr::memchr2(b'\n', b'\r', &bytes[line_start..]);
            let line_end = rel_end.map_or(bytes.len(), |e| line_start + e);
            let mut next = line_end;
            if next < bytes.len() {
                next += if bytes[next] == b'\r' && bytes.get(next + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            let line = &text[line_start..line_end];
            if line.trim().is_empty() {
                blank_since_last = true;
            } else {
                if blank_since_last && !sentences.is_empty() {
                    paragraph += 1;
                }
                blank_since_last = false;
                sentences.push(Sentence {
                    start: line_start,
                    end: line_end,
                    paragraph,
                });
            }
            line_start = next;
        }
        Document {
            text,
            sentences,
            lang: lang.to_owned(),
        }
    }

    /// The text of sentence `index`.
    pub fn sentence(&self, index: usize) -> &str {
        let s = &self.sentences[index];
        &self.text[s.start..s.end]
    }

    /// The number of sentences.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// True when the document has no sentence.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    /// The texts of sentences `range`, joined by one space, with tabs and line breaks
    /// replaced by spaces (for one-line output formats).
    pub fn joined(&self, range: std::ops::Range<usize>) -> String {
        let mut out = String::new();
        for i in range {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(self.sentence(i).chars().map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c => c,
            }));
        }
        out
    }
}

/// How a text becomes a [`Document`]: its language given or detected, then segmented with
/// the profile of that language (or one the user supplied, with extra abbreviations), or
/// read one sentence per line when it is pre-segmented.
///
/// ```
/// use bitext::{DocumentOptions, Language};
///
/// let text = "It weighs velt. Ten kilos. Fine.";
/// let en: Language = "en".parse()?;
/// assert_eq!(DocumentOptions::new().document(text.into(), &en).len(), 3);
/// // `velt.` is an abbreviation (a made-up one) in English texts.
/// let options = DocumentOptions::new().abbreviations(Some("en"), ["velt"]);
/// let doc = options.document(text.into(), &en);
/// assert_eq!((doc.lang.as_str(), doc.len()), ("en", 2));
/// # Ok::<(), bitext::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DocumentOptions {
    presegmented: bool,
    /// Profiles replacing the built-in ones: for one language (its primary subtag), or
    /// for every language (`None`).
    profiles: Vec<(Option<String>, Profile)>,
    /// Extra abbreviations, likewise for one language or all.
    abbreviations: Vec<(Option<String>, Vec<String>)>,
}

impl DocumentOptions {
    /// Segment with the built-in profiles, nothing added.
    pub fn new() -> DocumentOptions {
        DocumentOptions::default()
    }

    /// Texts hold one sentence per line (see [`Document::presegmented`]).
    pub fn presegmented(mut self, yes: bool) -> Self {
        self.presegmented = yes;
        self
    }

    /// Segments texts in language `lang` (all languages when `None`) with the profile
    /// `source`, in the format of `data/lang/*.txt`, instead of the built-in one (see
    /// [`SegmenterBuilder::profile`](crate::SegmenterBuilder::profile)). A profile for
    /// the language wins over one for all.
    pub fn profile(mut self, lang: Option<&str>, source: &str) -> Result<Self, ProfileError> {
        let profile = segment::parse_profile(source)?;
        self.profiles.push((lang.map(segment::primary), profile));
        Ok(self)
    }

    /// Adds abbreviations (without their final full stop) for language `lang`, or for all
    /// languages when `None`.
    pub fn abbreviations<I, S>(mut self, lang: Option<&str>, words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let words = words.into_iter().map(|w| w.as_ref().to_owned()).collect();
        self.abbreviations.push((lang.map(segment::primary), words));
        self
    }

    /// The segmenter for language tag `code`.
    pub fn segmenter(&self, code: &str) -> Segmenter {
        if self.profiles.is_empty() && self.abbreviations.is_empty() {
            return Segmenter::for_language(code);
        }
        let primary = segment::primary(code);
        let applies = |lang: &Option<String>| lang.as_ref().is_none_or(|l| *l == primary);
        let mut builder = Segmenter::builder(code);
        let profile = self
            .profiles
            .iter()
            .rev()
            .find(|(lang, _)| lang.is_some() && applies(lang))
            .or_else(|| self.profiles.iter().rev().find(|(lang, _)| lang.is_none()));
        if let Some((_, profile)) = profile {
            builder = builder.with_profile(profile.clone());
        }
        for (_, words) in self.abbreviations.iter().filter(|(lang, _)| applies(lang)) {
            builder = builder.abbreviations(words);
        }
        builder.build()
    }

    /// Turns `text` into a document: detects its language when `lang` is
    /// [`Language::Auto`], then segments it (or takes one sentence per line).
    pub fn document(&self, text: String, lang: &Language) -> Document {
        let code = lang.resolve(&text).to_owned();
        if self.presegmented {
            Document::presegmented(text, &code)
        } else {
            let segmenter = self.segmenter(&code);
            Document::segmented(text, &segmenter)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_for_the_language_wins_over_one_for_all() {
        let all = "# test\n@titles\nKapt\n";
        let dutch = "# test\n@titles\nDrs\n";
        let options = DocumentOptions::new()
            .profile(None, all)
            .unwrap()
            .profile(Some("nl-BE"), dutch)
            .unwrap();
        let count = |lang: &str, text: &str| options.segmenter(lang).segment(text).len();
        // Dutch texts use the Dutch profile only; the others the profile for all.
        assert_eq!(count("nl", "Drs. Jansen kwam. Hij bleef."), 2);
        assert_eq!(count("nl", "Kapt. Jansen kwam. Hij bleef."), 3);
        assert_eq!(count("en", "Kapt. Jansen came. He stayed."), 2);
        assert_eq!(count("en", "Drs. Jansen came. He stayed."), 3);
        assert!(
            DocumentOptions::new()
                .profile(None, "@nosuchsection\n")
                .is_err()
        );
    }

    #[test]
    fn presegmented_skips_blank_lines_and_counts_paragraphs() {
        let doc = Document::presegmented("a\r\nb\n\n\nc\rd".to_owned(), "en");
        let texts: Vec<_> = (0..doc.len()).map(|i| doc.sentence(i)).collect();
        assert_eq!(texts, ["a", "b", "c", "d"]);
        let paragraphs: Vec<_> = doc.sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(paragraphs, [0, 0, 1, 1]);
    }
}
