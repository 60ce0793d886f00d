//! Documents: a text and its sentences as byte spans into it.

use serde::Serialize;

use crate::segment::Segmenter;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presegmented_skips_blank_lines_and_counts_paragraphs() {
        let doc = Document::presegmented("a\r\nb\n\n\nc\rd".to_owned(), "en");
        let texts: Vec<_> = (0..doc.len()).map(|i| doc.sentence(i)).collect();
        assert_eq!(texts, ["a", "b", "c", "d"]);
        let paragraphs: Vec<_> = doc.sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(paragraphs, [0, 0, 1, 1]);
    }
}
