//! The generic profile's second pass: UAX #29 sentence boundaries for the scripts whose
//! terminal punctuation the one-pass engine does not know (Armenian `։`, Ethiopic `።`,
//! Myanmar `။`, …). Boundaries after punctuation the engine already decided are left
//! as the engine decided them, so its language-independent rules (numbers, initials,
//! lowercase continuation, quotes) take precedence over UAX #29.

use unicode_segmentation::UnicodeSegmentation;

use super::Sentence;
use super::rules::is_terminal;

/// Splits the engine's sentences further at UAX #29 boundaries after unknown terminals.
pub(crate) fn refine(text: &str, sentences: Vec<Sentence>) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(sentences.len());
    for s in sentences {
        let span = &text[s.start..s.end];
        // Fast path: most spans hold no terminal the engine does not know (all of those
        // are outside ASCII); UAX #29 runs only on the few that do.
        if !may_hold_terminal(span) {
            out.push(s);
            continue;
        }
        let mut start = s.start;
        for (at, piece) in span.split_sentence_bound_indices() {
            let piece_end = s.start + at + piece.len();
            if piece_end >= s.end {
                break;
            }
            let body = piece.trim_end();
            let last = body
                .trim_end_matches(|c: char| !c.is_alphanumeric() && !is_sentence_terminal(c))
                .chars()
                .next_back();
            if last.is_some_and(|c| is_sentence_terminal(c) && !is_terminal(c)) {
                let end = s.start + at + body.len();
                out.push(Sentence {
                    start,
                    end,
                    paragraph: s.paragraph,
                });
                start = piece_end;
            }
        }
        out.push(Sentence {
            start,
            end: s.end,
            paragraph: s.paragraph,
        });
    }
    out
}

/// True when `span` may hold one of [`is_sentence_terminal`]'s characters: all of them
/// start with a byte of 0xD6 or more, which Latin, Greek and Cyrillic letters never do.
fn may_hold_terminal(span: &str) -> bool {
    const CHUNK: usize = 32;
    let b = span.as_bytes();
    b.chunks(CHUNK).enumerate().any(|(k, chunk)| {
        // The maximum of a chunk vectorises; only a chunk holding a high byte (a quotation
        // mark, a dash) is looked at character by character.
        chunk.iter().fold(0, |m, &x| m.max(x)) >= 0xD6
            && chunk.iter().enumerate().any(|(at, &x)| {
                // A byte of 0xD6 or more is a lead byte, so it starts a character.
                x >= 0xD6
                    && span[k * CHUNK + at..]
                        .chars()
                        .next()
                        .is_some_and(is_sentence_terminal)
            })
    })
}

/// Sentence terminals of other scripts (a subset of UAX #29's STerm).
fn is_sentence_terminal(c: char) -> bool {
    matches!(
        c,
        '։' | '؞'
            | '۔'
            | '܀'
            | '܁'
            | '܂'
            | '।'
            | '॥'
            | '၊'
            | '။'
            | '።'
            | '፧'
            | '፨'
            | '᙮'
            | '᠃'
            | '᠉'
            | '‼'
            | '‽'
            | '⁇'
            | '⁈'
            | '⁉'
            | '⸮'
            | '꓿'
            | '꘎'
            | '꘏'
            | '꛳'
            | '꛷'
            | '﹒'
            | '﹖'
            | '﹗'
    )
}
