//! The generic profile's second pass: UAX #29 sentence boundaries for the scripts whose
//! terminal punctuation the one-pass engine does not know (Armenian `։`, Ethiopic `።`,
//! Myanmar `။`, …). Boundaries after punctuation the engine already decided are left
//! as the engine decided them, so its language-independent rules (numbers, initials,
//! lowercase continuation, quotes) take precedence over UAX #29.
//!
//! The same pass ends a Korean sentence at its verb ending when no punctuation follows it
//! ([`korean_end`]): informal Korean (reviews, messages, queries) often leaves out the full
//! stop, and the formal and polite endings close a sentence by grammar alone.

use unicode_segmentation::UnicodeSegmentation;

use super::Sentence;
use super::rules::is_terminal;

/// Splits the engine's sentences further at UAX #29 boundaries after unknown terminals.
pub(crate) fn refine(text: &str, sentences: Vec<Sentence>) -> Vec<Sentence> {
    // Most texts hold no terminal the engine does not know and no Hangul (all of those are
    // outside ASCII): one pass over the text finds them, and UAX #29 runs only on the
    // sentences that hold a terminal.
    let (marks, ends) = terminal_marks(text);
    let sentences = split_at(text, sentences, &ends);
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

/// Splits the sentences at the boundaries `ends` (byte offsets, in order, each the start of
/// the whitespace after a sentence's last character) that fall inside one.
fn split_at(text: &str, sentences: Vec<Sentence>, ends: &[usize]) -> Vec<Sentence> {
    if ends.is_empty() {
        return sentences;
    }
    let mut next = 0;
    let mut out = Vec::with_capacity(sentences.len() + ends.len());
    for s in sentences {
        let mut start = s.start;
        while next < ends.len() && ends[next] <= s.start {
            next += 1;
        }
        while next < ends.len() && ends[next] < s.end {
            let end = ends[next];
            next += 1;
            out.push(Sentence {
                start,
                end,
                paragraph: s.paragraph,
            });
            let rest = &text[end..s.end];
            start = end + (rest.len() - rest.trim_start().len());
        }
        out.push(Sentence {
            start,
            end: s.end,
            paragraph: s.paragraph,
        });
    }
    out
}

/// Where the sentence ends when the Hangul syllable at `at` (`c`, three bytes) ends a Korean
/// sentence (after it and any wave dashes that close it): a formal
/// ending (`-ㅂ니다`, `-습니다`, the question `-ㅂ니까`) or a polite one (`-요` after the
/// syllables that end a verb ending: `-어요`, `-네요`, `-세요`, `-나요`, `-군요`, `-데요`,
/// …; `-죠`), followed by a space and the next word. These endings close a sentence by
/// grammar: a clause that goes on takes a connective ending instead, and a quotation
/// particle is written against the ending (`-다고`, `-요라고`). Nouns that end in `요`
/// (`필요`, `중요`, `주요`, `수요`) are not after one of those syllables, and `-니까`
/// after a syllable without a final `ㅂ` is the connective "because".
fn korean_end(text: &str, at: usize, c: char) -> Option<usize> {
    let b = text.as_bytes();
    // Informal Korean closes a sentence with a wave dash as often as with a full stop
    // (`좋아요~`): it stays with the sentence.
    let rest = &text[at + 3..];
    let after = at + 3 + (rest.len() - rest.trim_start_matches(['~', '～']).len());
    // A space, then a word: a Hangul syllable, a digit or a Latin letter.
    if b.get(after) != Some(&b' ') {
        return None;
    }
    let next = text[after..].trim_start().chars().next();
    if !next.is_some_and(|n| is_syllable(n) || n.is_ascii_alphanumeric()) {
        return None;
    }
    let mut before = text[..at].chars().rev();
    let p = before.next().filter(|&p| is_syllable(p))?;
    let ends = match c {
        '죠' => true,
        '요' => matches!(
            p,
            '어' | '아'
                | '여'
                | '해'
                | '봐'
                | '줘'
                | '와'
                | '워'
                | '돼'
                | '세'
                | '셔'
                | '예'
                | '에'
                | '네'
                | '나'
                | '까'
                | '군'
                | '구'
                | '데'
                | '게'
                | '래'
                | '대'
                | '지'
                | '든'
                | '서'
                | '걸'
        ),
        // `-ㅂ니다`, `-ㅂ니까`: the syllable before `니` ends in `ㅂ` (final index 17).
        '다' | '까' => {
            p == '니'
                && before
                    .next()
                    .is_some_and(|q| is_syllable(q) && (q as u32 - 0xAC00) % 28 == 17)
        }
        _ => false,
    };
    ends.then_some(after)
}

/// A precomposed Hangul syllable.
fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The byte offsets, in order, of [`is_sentence_terminal`]'s characters in `text`, and those
/// of the spaces after the Korean sentence endings of [`korean_end`]. All of those
/// characters start with a byte of 0xD6 or more, which Latin, Greek and Cyrillic letters
/// never do: the text is read eight bytes at a time, and only a word holding such a byte (a
/// quotation mark, a dash) is looked at character by character.
fn terminal_marks(text: &str) -> (Vec<usize>, Vec<usize>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2, checked just above.
        return unsafe { terminal_marks_avx2(text) };
    }
    terminal_marks_words(text)
}

/// [`terminal_marks`] eight bytes at a time.
fn terminal_marks_words(text: &str) -> (Vec<usize>, Vec<usize>) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Per byte, (x & 0x7F) + 0x2A sets the high bit exactly when x & 0x7F >= 0x56, with no
    // carry into the next byte; with x's own high bit that is x >= 0xD6.
    const ADD: u64 = 0x2A2A_2A2A_2A2A_2A2A;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = text.as_bytes();
    let mut marks = (Vec::new(), Vec::new());
    let check = |from: usize, to: usize, marks: &mut (Vec<usize>, Vec<usize>)| {
        for (at, &x) in b.iter().enumerate().take(to).skip(from) {
            // A byte of 0xD6 or more is a lead byte, so it starts a character.
            if x >= 0xD6 {
                mark(text, at, marks);
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

/// Records the character starting at `at` in [`terminal_marks`]' two lists.
#[inline]
fn mark(text: &str, at: usize, marks: &mut (Vec<usize>, Vec<usize>)) {
    match text[at..].chars().next() {
        Some(c) if is_sentence_terminal(c) => marks.0.push(at),
        Some(c @ ('요' | '죠' | '다' | '까')) => {
            if let Some(end) = korean_end(text, at, c) {
                marks.1.push(end);
            }
        }
        _ => {}
    }
}

/// [`terminal_marks`] 32 bytes at a time: a bit mask of the bytes of 0xD6 or more, so that
/// only those bytes are decoded (Polish quotation marks and dashes, say, made the 8-byte
/// words that hold them be read byte by byte).
///
/// # Safety
/// The processor must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn terminal_marks_avx2(text: &str) -> (Vec<usize>, Vec<usize>) {
    use std::arch::x86_64::*;
    let b = text.as_bytes();
    let mut marks = (Vec::new(), Vec::new());
    // A byte of 0xD6 or more is a lead byte, so it starts a character.
    let mark = |at: usize, marks: &mut (Vec<usize>, Vec<usize>)| mark(text, at, marks);
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
            assert_eq!(terminal_marks(&text).0, want, "pad {pad}");
            assert_eq!(terminal_marks_words(&text).0, want, "pad {pad}");
        }
    }

    #[test]
    fn korean_ends_are_found_by_both_scans() {
        // Endings that close a sentence, then ones that do not (a noun, the connective
        // "because", an ending before punctuation or at the end of the text).
        let piece = "좋네요 가요 합니다 오니까 갑니까 필요 그렇죠 됐어요. 끝";
        for pad in 0..40 {
            let text = format!("{}{}", "a".repeat(pad), piece.repeat(3));
            let want: Vec<usize> = text
                .match_indices("네요 ")
                .chain(text.match_indices("합니다 "))
                .chain(text.match_indices("갑니까 "))
                .chain(text.match_indices("그렇죠 "))
                .map(|(at, m)| at + m.trim_end().len())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            assert_eq!(terminal_marks(&text).1, want, "pad {pad}");
            assert_eq!(terminal_marks_words(&text).1, want, "pad {pad}");
        }
    }
}
