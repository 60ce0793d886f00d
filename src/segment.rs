//! Sentence segmentation. (Placeholder: replaced by the real segmenter.)

use crate::doc::Sentence;

/// Splits text into sentences for one language profile.
#[derive(Debug, Clone)]
pub struct Segmenter {
    lang: String,
}

impl Segmenter {
    /// A segmenter for ISO 639-1 `code`; unknown codes get the generic profile.
    pub fn for_language(code: &str) -> Segmenter {
        Segmenter {
            lang: code.to_owned(),
        }
    }

    /// The language code of the profile in use.
    pub fn language(&self) -> &str {
        &self.lang
    }

    /// The sentences of `text`, as byte spans, in order.
    pub fn segment(&self, text: &str) -> Vec<Sentence> {
        let mut out = Vec::new();
        let mut paragraph = 0;
        for (pi, para) in text.split("\n\n").enumerate() {
            let base = para.as_ptr() as usize - text.as_ptr() as usize;
            let _ = pi;
            let mut start = 0;
            let b = para.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if (b[i] == b'.' || b[i] == b'!' || b[i] == b'?' || b[i] == b'\n')
                    && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\n')
                {
                    let s = &para[start..=i];
                    let t = s.trim();
                    if !t.is_empty() {
                        let off = s.find(t).unwrap_or(0);
                        out.push(Sentence {
                            start: base + start + off,
                            end: base + start + off + t.len(),
                            paragraph,
                        });
                    }
                    start = i + 1;
                }
                i += 1;
            }
            let s = &para[start..];
            let t = s.trim();
            if !t.is_empty() {
                let off = s.find(t).unwrap_or(0);
                out.push(Sentence {
                    start: base + start + off,
                    end: base + start + off + t.len(),
                    paragraph,
                });
            }
            if out.last().is_some_and(|s| s.paragraph == paragraph) {
                paragraph += 1;
            }
        }
        out
    }
}
