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
    // Most texts hold no terminal the engine does not know (all of those are outside
    // ASCII): one pass over the text finds them, and UAX #29 runs only on the sentences
    // that hold one.
    let marks = terminal_marks(text);
    if marks.is_empty() {
        return sentences;
    }
    let mut next = 0;
    let mut out = Vec::with_capacity(sentences.len());
    for s in sentences {
        while next < marks.len() && marks[next] < s.start {
            next += 1;
        }
        if marks.get(next).is_none_or(|&at| at >= s.end) {
            out.push(s);
            continue;
        }
        let span = &text[s.start..s.end];
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

/// The byte offsets, in order, of [`is_sentence_terminal`]'s characters in `text`. All of
/// them start with a byte of 0xD6 or more, which Latin, Greek and Cyrillic letters never do:
/// the text is read eight bytes at a time, and only a word holding such a byte (a quotation
/// mark, a dash) is looked at character by character.
fn terminal_marks(text: &str) -> Vec<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2, checked just above.
        return unsafe { terminal_marks_avx2(text) };
    }
    terminal_marks_words(text)
}

/// [`terminal_marks`] eight bytes at a time.
fn terminal_marks_words(text: &str) -> Vec<usize> {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Per byte, (x & 0x7F) + 0x2A sets the high bit exactly when x & 0x7F >= 0x56, with no
    // carry into the next byte; with x's own high bit that is x >= 0xD6.
    const ADD: u64 = 0x2A2A_2A2A_2A2A_2A2A;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = text.as_bytes();
    let mut marks = Vec::new();
    let check = |from: usize, to: usize, marks: &mut Vec<usize>| {
        for at in from..to {
            // A byte of 0xD6 or more is a lead byte, so it starts a character.
            if b[at] >= 0xD6 && text[at..].chars().next().is_some_and(is_sentence_terminal) {
                marks.push(at);
            }
        }
    };
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        if w & ((w & LOW7) + ADD) & HIGH != 0 {
            check(at, at + 8, &mut marks);
        }
        at += 8;
    }
    check(at, b.len(), &mut marks);
    marks
}

/// [`terminal_marks`] 32 bytes at a time: a bit mask of the bytes of 0xD6 or more, so that
/// only those bytes are decoded (Polish quotation marks and dashes, say, made the 8-byte
/// words that hold them be read byte by byte).
///
/// # Safety
/// The processor must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn terminal_marks_avx2(text: &str) -> Vec<usize> {
    use std::arch::x86_64::*;
    let b = text.as_bytes();
    let mut marks = Vec::new();
    let mark = |at: usize, marks: &mut Vec<usize>| {
        // A byte of 0xD6 or more is a lead byte, so it starts a character.
        if text[at..].chars().next().is_some_and(is_sentence_terminal) {
            marks.push(at);
        }
    };
    let floor = _mm256_set1_epi8(0xD6_u8 as i8);
    let mut base = 0;
    while base + 32 <= b.len() {
        // SAFETY: `base + 32 <= b.len()`, so the 32 bytes read are inside `b`.
        let v = unsafe { _mm256_loadu_si256(b.as_ptr().add(base).cast()) };
        // x >= 0xD6 exactly when max(x, 0xD6) is x.
        let high = _mm256_cmpeq_epi8(_mm256_max_epu8(v, floor), v);
        let mut m = _mm256_movemask_epi8(high) as u32;
        while m != 0 {
            let at = base + m.trailing_zeros() as usize;
            m &= m - 1;
            mark(at, &mut marks);
        }
        base += 32;
    }
    for (at, &x) in b.iter().enumerate().skip(base) {
        if x >= 0xD6 {
            mark(at, &mut marks);
        }
    }
    marks
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_marks_are_those_of_a_character_scan() {
        let piece = "Բարեւ։ „Cześć” — ሰላም። ok ။ 日本語。‽ x";
        for pad in 0..40 {
            let text = format!("{}{}", "a".repeat(pad), piece.repeat(3));
            let want: Vec<usize> = text
                .char_indices()
                .filter(|&(_, c)| is_sentence_terminal(c))
                .map(|(at, _)| at)
                .collect();
            assert_eq!(terminal_marks(&text), want, "pad {pad}");
            assert_eq!(terminal_marks_words(&text), want, "pad {pad}");
        }
    }
}
