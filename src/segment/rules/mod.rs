//! The one-pass segmentation engine and its local decision rules, one module per kind of
//! rule: [`terminal`] punctuation, [`lines`] and paragraphs, [`inline`] colons, stamps and
//! smileys, over the character classes of [`chars`].

mod chars;
mod inline;
mod lines;
mod terminal;

use chars::*;
pub(crate) use chars::{is_caseless_letter, is_syllabic, is_terminal};
use inline::*;
use lines::*;
use terminal::*;

use super::Profile;
use super::Sentence;
use super::learn::{Learned, is_vowelless, learn};
use super::profile::{ShapeKey, with_lowercase};

/// Byte classes of the candidate scan: 0 means "cannot matter".
const TERM: u8 = 1;
const NEWLINE: u8 = 2;
/// Lead byte of a multi-byte character that may be a terminal or a bullet.
const LEAD: u8 = 3;
/// `:` or `;`, which end a sentence only under a profile flag.
const COLON: u8 = 4;
/// `*`, `=`, `_`, `~`: a run of three or more is a separator line of its own.
const RULE: u8 = 5;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'.' as usize] = TERM;
    t[b'!' as usize] = TERM;
    t[b'?' as usize] = TERM;
    t[b'\n' as usize] = NEWLINE;
    t[b'\r' as usize] = NEWLINE;
    t[b':' as usize] = COLON;
    t[b';' as usize] = COLON;
    t[b'*' as usize] = RULE;
    t[b'=' as usize] = RULE;
    t[b'_' as usize] = RULE;
    t[b'~' as usize] = RULE;
    // U+0340..U+037F (the Greek question mark ;), U+0800..U+0FFF (।), U+0600..U+063F (؟), U+2000..U+2FFF (… ‼ • ◦), U+3000.. (。),
    // U+F000..U+FFFF (！ ？ ．).
    t[0xE0] = LEAD;
    t[0xCD] = LEAD;
    t[0xD8] = LEAD;
    t[0xE2] = LEAD;
    t[0xE3] = LEAD;
    t[0xEF] = LEAD;
    t
};

/// How far back the word before a candidate is looked for, in bytes.
const TOKEN_WINDOW: usize = 64;
/// How far ahead an inline list looks for its next item marker, in bytes.
const LIST_WINDOW: usize = 2000;
/// How far on either side of an abbreviation a capitalised word is looked for in lowercase.
const LOWERCASE_WINDOW: usize = 16 * 1024;
/// Lines shorter than this (in characters) are list items, not wrapped text.
const SHORT_LINE: usize = 25;
/// Lines of a paragraph examined to decide whether it is hard-wrapped.
const WRAP_LINES: usize = 10_000;

/// The case of the first letter after a candidate boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Lower,
    Upper,
    /// A letter of a script without case.
    Letter,
    Digit,
    Other,
}

/// An abbreviation written with spaces that a full stop ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spaced {
    /// "z. B.", "т. е.": never the end of a sentence.
    Inner,
    /// Listed in `@closing` ("т. д."): the end of a sentence before a capitalised word.
    Closing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Period,
    Exclaim,
    Ellipsis,
}

/// What follows a candidate: the class of its first character and its first word.
struct Following<'t> {
    class: Next,
    word: &'t str,
    /// The word is followed by an apostrophe (French `L'`, `C'est`).
    elided: bool,
    /// The word is followed by a full stop (an initial or an abbreviation).
    dotted: bool,
    /// An opening bracket comes before the word: "10 a.m. (CDT)".
    bracket: bool,
    /// A dash comes before the word: "— Когда? — спросил он.".
    dash: bool,
}

pub(crate) struct Engine<'a> {
    text: &'a str,
    b: &'a [u8],
    p: &'a Profile,
    /// What this text says about the words before its full stops.
    learned: Learned,
    out: Vec<Sentence>,
    /// Start of the pending segment (it may begin with whitespace).
    cur: usize,
    /// First non-whitespace byte at or after `cur`.
    seg_first: usize,
    para: usize,
    para_has: bool,
    /// A forced boundary before the next item of an inline list.
    pending: Option<usize>,
    para_start: usize,
    /// Start of the current line.
    line_start: usize,
    /// The paragraph (by its start) whose wrapping was examined: wrapped, longest line.
    wrap: Option<(usize, bool, usize)>,
    /// The processor runs the AVX2 scans (the detection is a load and a test per call).
    avx2: bool,
}

impl<'a> Engine<'a> {
    pub(crate) fn new(text: &'a str, p: &'a Profile) -> Engine<'a> {
        Engine {
            text,
            b: text.as_bytes(),
            p,
            learned: learn(text, p),
            out: Vec::with_capacity(text.len() / 100 + 1),
            cur: 0,
            seg_first: 0,
            para: 0,
            para_has: false,
            pending: None,
            para_start: 0,
            line_start: 0,
            wrap: None,
            avx2: has_avx2(),
        }
    }

    pub(crate) fn run(mut self) -> Vec<Sentence> {
        let n = self.b.len();
        self.seg_first = self.skip_ws(0);
        self.check_list();
        let mut i = 0;
        while i < n {
            let j = next_candidate(self.b, i, self.avx2);
            if let Some(p) = self.pending
                && p <= j
            {
                self.pending = None;
                if p > self.cur {
                    self.close(p);
                    i = p;
                    continue;
                }
            }
            if j >= n {
                break;
            }
            i = match self.b[j] {
                b'.' | b'!' | b'?' => self.terminal(j),
                b'\n' | b'\r' => self.newline(j),
                b':' | b';' => self.colon(j),
                b'*' | b'=' | b'_' | b'~' => self.rule_run(j),
                _ => {
                    let c = self.char_at(j);
                    if is_terminal(c) {
                        self.terminal(j)
                    } else {
                        if is_bullet(c) {
                            self.bullet(j);
                        }
                        j + c.len_utf8()
                    }
                }
            };
        }
        self.close(n);
        if self.p.generic {
            super::generic::refine(self.text, self.out)
        } else {
            self.out
        }
    }

    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().unwrap_or(' ')
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.text[..i].chars().next_back()
    }

    fn skip_ws(&self, from: usize) -> usize {
        let b = self.b;
        let mut i = from;
        while i < b.len() {
            if is_ws_byte(b[i]) {
                i += 1;
            } else if b[i] < 0x80 {
                return i;
            } else {
                let rest = &self.text[i..];
                return i + (rest.len() - rest.trim_start().len());
            }
        }
        i
    }

    /// The end of `text[from..to]` without its trailing whitespace.
    fn trim_back(&self, from: usize, to: usize) -> usize {
        let b = self.b;
        let mut e = to;
        while e > from {
            if is_ws_byte(b[e - 1]) {
                e -= 1;
            } else if b[e - 1] < 0x80 {
                return e;
            } else {
                return from + self.text[from..e].trim_end().len();
            }
        }
        e
    }

    /// Ends the pending segment at `end` (its trailing whitespace excluded).
    fn close(&mut self, end: usize) {
        let start = self.seg_first;
        if start < end {
            let stop = self.trim_back(start, end);
            self.out.push(Sentence {
                start,
                end: stop,
                paragraph: self.para,
            });
            self.para_has = true;
        }
        self.cur = end;
        self.seg_first = self.skip_ws(end);
        self.pending = None;
        self.check_list();
    }

    /// The word before `i` (back to whitespace): its raw start and the word without opening
    /// quotes, brackets or bullets.
    fn token_before(&self, i: usize) -> (usize, &'a str) {
        let mut lo = i.saturating_sub(TOKEN_WINDOW).max(self.cur);
        while !self.text.is_char_boundary(lo) {
            lo += 1;
        }
        let window = &self.text[lo..i];
        let wb = window.as_bytes();
        // Back to the last whitespace character in the window. Outside ASCII only the lead
        // bytes 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000 to U+205F) and 0xE3
        // (U+3000) start one, so only those characters are decoded.
        let mut at = wb.len();
        // An apostrophe, straight or curly (led by 0xE2), in the word: it may be elided.
        let mut apostrophe = false;
        loop {
            // Eight bytes at a time back to the last byte the loop below acts on.
            if at >= 8 {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&wb[at - 8..at]);
                let m = notable_bytes(u64::from_le_bytes(bytes));
                if m == 0 {
                    at -= 8;
                    continue;
                }
                at = at - 8 + (63 - m.leading_zeros() as usize) / 8 + 1;
            }
            if at == 0 {
                break;
            }
            let x = wb[at - 1];
            if x < 0x80 {
                if is_ws_byte(x) {
                    break;
                }
            } else if matches!(x, 0xC2 | 0xE1 | 0xE2 | 0xE3)
                && let Some(c) = window[at - 1..].chars().next()
                && c.is_whitespace()
            {
                at += c.len_utf8() - 1;
                break;
            }
            apostrophe |= x == b'\'' || x == 0xE2;
            at -= 1;
        }
        let start = lo + at;
        let mut tok = &self.text[start..i];
        if tok.as_bytes().first().is_some_and(|&x| {
            x >= 0x80 || matches!(x, b'(' | b'[' | b'{' | b'"' | b'\'' | b'-' | b'*')
        }) {
            tok = tok.trim_start_matches(is_opener);
        }
        // Elision: "l'Avv.", "all'art.", "d'av." are the abbreviation after the apostrophe.
        if apostrophe
            && tok.bytes().any(|x| x == b'\'' || x == 0xE2)
            && let Some(at) = tok.find(['\'', '’'])
        {
            let (head, tail) = tok.split_at(at);
            let tail = &tail[tail.chars().next().map_or(0, char::len_utf8)..];
            if !tail.is_empty()
                && head.chars().count() <= 5
                && head.chars().all(char::is_alphabetic)
            {
                tok = tail;
            }
        }
        (start, tok)
    }

    /// True when only bullets, openers and spaces precede `start` in the pending segment.
    fn is_first_token(&self, start: usize) -> bool {
        start >= self.seg_first
            && start - self.seg_first <= 16
            && self.text[self.seg_first..start]
                .chars()
                .all(|c| c.is_whitespace() || is_opener(c))
    }

    fn following(&self, from: usize) -> Following<'a> {
        let text = self.text;
        let fb = self.b;
        let mut m = from;
        // Spaces and opening quotes or brackets before the first word; ASCII first.
        while m < fb.len() && m - from < 16 {
            let x = fb[m];
            if is_ws_byte(x) || matches!(x, b'(' | b'[' | b'{' | b'"' | b'\'' | b'-' | b'*') {
                m += 1;
            } else if x >= 0x80 {
                let c = self.char_at(m);
                if c.is_whitespace() || is_opener(c) {
                    m += c.len_utf8();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let rest = &text[m..];
        let rb = rest.as_bytes();
        let Some(&first) = rb.first() else {
            return Following {
                class: Next::Other,
                word: "",
                elided: false,
                dotted: false,
                bracket: false,
                dash: false,
            };
        };
        let class = if first < 0x80 {
            match first {
                b'a'..=b'z' => Next::Lower,
                b'A'..=b'Z' => Next::Upper,
                b'0'..=b'9' => Next::Digit,
                _ => Next::Other,
            }
        } else {
            let c = self.char_at(m);
            if is_caseless_letter(c) {
                Next::Letter
            } else if c.is_lowercase() {
                Next::Lower
            } else if c.is_uppercase() {
                Next::Upper
            } else if c.is_numeric() {
                Next::Digit
            } else if c.is_alphabetic() {
                Next::Letter
            } else {
                Next::Other
            }
        };
        let mut len = ascii_alnum_prefix(rb);
        if len < rb.len() && rb[len] >= 0x80 {
            // The word ends at its first character that is not alphanumeric among its first
            // 32; when all 32 are, it is cut at 128 bytes. The `len` ASCII bytes read so far
            // are alphanumeric characters of their own.
            len = alphanumeric_end(rest, len).unwrap_or(rest.len().min(128));
            len = floor_boundary(rest, len);
        }
        let word = &rest[..len];
        let after = &rb[len..];
        let elided = after.first() == Some(&b'\'') || after.starts_with("’".as_bytes());
        let dotted = after.first() == Some(&b'.');
        let skipped = &fb[from..m];
        // A byte or two: an inline loop, not a call into the slice search.
        #[allow(clippy::manual_contains)]
        let bracket = skipped.iter().any(|&x| x == b'(');
        // A dialogue dash: a typographic dash, or a hyphen standing alone between spaces as
        // plain text writes one ("? - asked he"). A hyphen glued to the next word ("? --word",
        // "? -word") is not one: plain text starts new sentences that way too.
        let dash = skipped.len() >= 3
            && skipped.windows(3).any(|w| {
                w == "—".as_bytes()
                    || w == "–".as_bytes()
                    || (is_ws_byte(w[0]) && w[1] == b'-' && is_ws_byte(w[2]))
            });
        Following {
            class,
            word,
            elided,
            dotted,
            bracket,
            dash,
        }
    }

    fn is_starter(&self, f: &Following<'_>) -> bool {
        if f.elided {
            let mut w = String::with_capacity(f.word.len() + 1);
            w.push_str(f.word);
            w.push('\'');
            if self.p.is_starter(&w) {
                return true;
            }
        }
        if f.word.is_empty() || (f.dotted && f.word.chars().nth(1).is_none()) {
            // "J. A. Silva": a single letter with a full stop is an initial, even when it
            // spells a starter ("A", "O", "E").
            return false;
        }
        self.p.is_starter(f.word) || (f.word.len() >= 2 && self.p.is_title(f.word))
    }
}

/// The byte offset in `s` of its first character that is not alphanumeric, among its first
/// 32 characters; `None` when there is none. The first `ascii` bytes are ASCII letters or
/// digits (already read).
fn alphanumeric_end(s: &str, ascii: usize) -> Option<usize> {
    if ascii >= 32 {
        return None;
    }
    for (chars, (at, c)) in s[ascii..].char_indices().enumerate() {
        if chars + ascii == 32 {
            return None;
        }
        // Latin letters with diacritics (U+00C0 to U+024F, but for the signs × and ÷) are
        // alphabetic: no table lookup for them.
        let alnum = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            matches!(c, 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='ɏ')
                || is_caseless_letter(c)
                || c.is_alphanumeric()
        };
        if !alnum {
            return Some(ascii + at);
        }
    }
    None
}

const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// `x` in every byte of a word.
#[inline]
const fn splat(x: u8) -> u64 {
    x as u64 * 0x0101_0101_0101_0101
}

/// The high bit of each byte of `x` (whose high bits are clear) that lies in `lo..=hi`:
/// neither the subtraction nor the addition carries across bytes.
#[inline]
fn within(x: u64, lo: u8, hi: u8) -> u64 {
    ((x | HIGH) - splat(lo)) & !(x + splat(0x7F - hi)) & HIGH
}

/// The high bit of each byte of `w` that [`Engine::token_before`]'s backward scan acts
/// on: ASCII whitespace, the apostrophe, and the lead bytes 0xC2 and 0xE1 to 0xE3.
#[inline]
fn notable_bytes(w: u64) -> u64 {
    let x = w & LOW7;
    let ascii = (within(x, 0x09, 0x0D) | within(x, b' ', b' ') | within(x, b'\'', b'\'')) & !w;
    let lead = (within(x, 0x42, 0x42) | within(x, 0x61, 0x63)) & w;
    ascii | lead
}

/// The length of the run of ASCII letters and digits that starts `b`, at most 64: eight
/// bytes at a time, as most words after a candidate are a few ASCII letters.
#[inline]
fn ascii_alnum_prefix(b: &[u8]) -> usize {
    let mut len = 0;
    while len < 64 {
        let Some(chunk) = b.get(len..len + 8) else {
            break;
        };
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(bytes);
        let x = w & LOW7;
        let alnum = (within(x, b'0', b'9') | within(x | splat(0x20), b'a', b'z')) & !w;
        let other = !alnum & HIGH;
        if other != 0 {
            return len + (other.trailing_zeros() / 8) as usize;
        }
        len += 8;
    }
    while len < b.len() && len < 64 && b[len].is_ascii_alphanumeric() {
        len += 1;
    }
    len
}

/// The first byte at or after `i` that may matter (or `b.len()`): 32 bytes at a time with
/// AVX2 where the processor has it (`avx2`, detected once per text), else eight at a time.
#[inline]
fn next_candidate(b: &[u8], i: usize, avx2: bool) -> usize {
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        // SAFETY: the caller found AVX2 on the processor.
        return unsafe { next_candidate_avx2(b, i) };
    }
    let _ = avx2;
    next_candidate_scalar(b, i)
}

/// True when the processor can run the AVX2 scans (the segmenter's and its learning
/// pass's).
pub(super) fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// True when the byte at `i` leads a character that cannot matter though [`CLASS`] lets its
/// lead byte through: of the characters led by 0xE3 and 0xEF only `。` (E3 80 82),
/// `！` `．` `？` (EF BC 81, 8E, 9F) and `｡` (EF BD A1) are terminals, and none is a bullet. Japanese kana and
/// Chinese full-width commas are led by them, a candidate every few bytes of those texts.
#[inline]
fn idle_lead(b: &[u8], i: usize) -> bool {
    match b[i] {
        0xE3 => b.get(i + 1..i + 3) != Some(&[0x80, 0x82]),
        0xEF => !matches!(
            b.get(i + 1..i + 3),
            Some(&[0xBC, 0x81 | 0x8E | 0x9F] | &[0xBD, 0xA1])
        ),
        _ => false,
    }
}

/// [`next_candidate`] with the byte table alone.
#[inline]
fn next_candidate_scalar(b: &[u8], mut i: usize) -> usize {
    loop {
        while let Some(w) = b.get(i..i + 8) {
            let any = CLASS[w[0] as usize]
                | CLASS[w[1] as usize]
                | CLASS[w[2] as usize]
                | CLASS[w[3] as usize]
                | CLASS[w[4] as usize]
                | CLASS[w[5] as usize]
                | CLASS[w[6] as usize]
                | CLASS[w[7] as usize];
            if any != 0 {
                break;
            }
            i += 8;
        }
        while i < b.len() && CLASS[b[i] as usize] == 0 {
            i += 1;
        }
        if i < b.len() && idle_lead(b, i) {
            i += 1;
            continue;
        }
        return i;
    }
}

/// [`CLASS`] as two 16-entry tables of bits, one by a byte's high nibble and one by its low
/// nibble, whose AND is non-zero exactly for the bytes that may matter: each high nibble
/// that occurs in the class has a bit of its own (there are at most eight of them), and
/// the low-nibble entry holds the bits of the high nibbles it pairs with.
const NIBBLES: ([u8; 16], [u8; 16]) = {
    let mut hi = [0u8; 16];
    let mut lo = [0u8; 16];
    let mut bits = 0;
    let mut x = 0;
    while x < 256 {
        if CLASS[x] != 0 {
            let h = x >> 4;
            if hi[h] == 0 {
                assert!(bits < 8, "more than eight high nibbles in CLASS");
                hi[h] = 1 << bits;
                bits += 1;
            }
            lo[x & 15] |= hi[h];
        }
        x += 1;
    }
    (hi, lo)
};

/// [`next_candidate`] 32 bytes at a time: two table lookups (`vpshufb`) by nibble classify
/// every byte.
///
/// # Safety
/// The processor must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn next_candidate_avx2(b: &[u8], mut i: usize) -> usize {
    use std::arch::x86_64::*;
    let (hi, lo) = NIBBLES;
    let mut table_hi = [0u8; 32];
    let mut table_lo = [0u8; 32];
    table_hi[..16].copy_from_slice(&hi);
    table_hi[16..].copy_from_slice(&hi);
    table_lo[..16].copy_from_slice(&lo);
    table_lo[16..].copy_from_slice(&lo);
    // SAFETY: the arrays hold 32 bytes, the width of an unaligned 256-bit load.
    let (table_hi, table_lo) = unsafe {
        (
            _mm256_loadu_si256(table_hi.as_ptr().cast()),
            _mm256_loadu_si256(table_lo.as_ptr().cast()),
        )
    };
    let nibble = _mm256_set1_epi8(0x0F);
    let zero = _mm256_setzero_si256();
    let splat = |x: u8| _mm256_set1_epi8(x as i8);
    // Two bytes past the block are read for the characters that start in it.
    while i + 34 <= b.len() {
        // SAFETY: `i + 34 <= b.len()`, so the 32 bytes read are inside `b`.
        let v = unsafe { _mm256_loadu_si256(b.as_ptr().add(i).cast()) };
        let low = _mm256_and_si256(v, nibble);
        let high = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
        let class = _mm256_and_si256(
            _mm256_shuffle_epi8(table_hi, high),
            _mm256_shuffle_epi8(table_lo, low),
        );
        let mut hits = !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(class, zero)) as u32);
        if hits != 0 {
            let e3 = _mm256_cmpeq_epi8(v, splat(0xE3));
            let ef = _mm256_cmpeq_epi8(v, splat(0xEF));
            if _mm256_movemask_epi8(_mm256_or_si256(e3, ef)) as u32 & hits != 0 {
                // [`idle_lead`] on every byte of the block at once.
                // SAFETY: `i + 34 <= b.len()`: both loads are inside `b`.
                let (v1, v2) = unsafe {
                    (
                        _mm256_loadu_si256(b.as_ptr().add(i + 1).cast()),
                        _mm256_loadu_si256(b.as_ptr().add(i + 2).cast()),
                    )
                };
                let full_stop = _mm256_and_si256(
                    _mm256_cmpeq_epi8(v1, splat(0x80)),
                    _mm256_cmpeq_epi8(v2, splat(0x82)),
                );
                let wide = _mm256_or_si256(
                    _mm256_and_si256(
                        _mm256_cmpeq_epi8(v1, splat(0xBC)),
                        _mm256_or_si256(
                            _mm256_or_si256(
                                _mm256_cmpeq_epi8(v2, splat(0x81)),
                                _mm256_cmpeq_epi8(v2, splat(0x8E)),
                            ),
                            _mm256_cmpeq_epi8(v2, splat(0x9F)),
                        ),
                    ),
                    _mm256_and_si256(
                        _mm256_cmpeq_epi8(v1, splat(0xBD)),
                        _mm256_cmpeq_epi8(v2, splat(0xA1)),
                    ),
                );
                let idle = _mm256_or_si256(
                    _mm256_andnot_si256(full_stop, e3),
                    _mm256_andnot_si256(wide, ef),
                );
                hits &= !(_mm256_movemask_epi8(idle) as u32);
            }
            if hits != 0 {
                return i + hits.trailing_zeros() as usize;
            }
        }
        i += 32;
    }
    next_candidate_scalar(b, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(profile: &str, text: &str) -> Vec<String> {
        let p = Profile::parse(profile);
        Engine::new(text, &p)
            .run()
            .iter()
            .map(|s| text[s.start..s.end].to_owned())
            .collect()
    }

    #[test]
    fn latin_letters_with_diacritics_are_alphanumeric() {
        for c in ('À'..='Ö').chain('Ø'..='ö').chain('ø'..='ɏ') {
            assert!(c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn the_word_after_a_candidate_ends_where_the_character_scan_ended() {
        let old = |rest: &str| {
            rest.char_indices()
                .take(32)
                .find(|(_, c)| !c.is_alphanumeric())
                .map(|(at, _)| at)
        };
        let long = "ż".repeat(40);
        let mixed = format!("{}ą{}", "a".repeat(31), " b");
        let cases = [
            "żółw jest",
            "Łódź.",
            "abcż",
            "ż",
            "",
            "x×y",
            "straße»",
            "ab\u{301}c d",
            "一二三。",
            long.as_str(),
            mixed.as_str(),
        ];
        for rest in cases {
            let ascii = rest
                .bytes()
                .take_while(u8::is_ascii_alphanumeric)
                .count()
                .min(64);
            assert_eq!(alphanumeric_end(rest, ascii), old(rest), "{rest:?}");
        }
    }

    #[test]
    fn the_nibble_tables_classify_every_byte_as_the_byte_table_does() {
        let (hi, lo) = NIBBLES;
        for x in 0..256usize {
            let hit = hi[x >> 4] & lo[x & 15] != 0;
            assert_eq!(hit, CLASS[x] != 0, "byte {x:#04x}");
        }
        // Every byte value at every offset of a 32-byte block, and the tail after it.
        let mut text: Vec<u8> = (0..100).map(|k| b'a' + (k % 26) as u8).collect();
        for x in 0..=255u8 {
            for at in [0, 5, 31, 32, 63, 70, 99] {
                let keep = text[at];
                text[at] = x;
                for from in [0, 3, 40] {
                    assert_eq!(
                        next_candidate(&text, from, has_avx2()),
                        next_candidate_scalar(&text, from),
                        "byte {x:#04x} at {at} from {from}"
                    );
                }
                text[at] = keep;
            }
        }
    }

    #[test]
    fn the_alphanumeric_prefix_is_that_of_a_byte_loop() {
        let by_byte = |b: &[u8]| {
            let mut len = 0;
            while len < b.len() && len < 64 && b[len].is_ascii_alphanumeric() {
                len += 1;
            }
            len
        };
        let mut text: Vec<u8> = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            .iter()
            .copied()
            .cycle()
            .take(80)
            .collect();
        let ats = [0, 1, 6, 7, 8, 9, 31, 63, 64, 70];
        let lens = [0, 1, 5, 8, 9, 16, 63, 64, 65, 80];
        crate::segment::each_byte_at(&mut text, &ats, &lens, |b, x, at, len| {
            assert_eq!(ascii_alnum_prefix(b), by_byte(b), "{x:#04x} at {at}, {len}");
        });
    }

    #[test]
    fn notable_bytes_are_those_the_backward_scan_acts_on() {
        for x in 0..=255u8 {
            let want = is_ws_byte(x) || x == b'\'' || matches!(x, 0xC2 | 0xE1 | 0xE2 | 0xE3);
            for at in 0..8 {
                // Neighbours of every kind, which must not leak into the byte's bit.
                for fill in [b'a', b' ', 0xE2, 0x80, 0x00, 0xFF, b'\''] {
                    let mut bytes = [fill; 8];
                    bytes[at] = x;
                    let m = notable_bytes(u64::from_le_bytes(bytes));
                    assert_eq!(
                        m >> (8 * at + 7) & 1 == 1,
                        want,
                        "{x:#04x} at {at} in {fill:#04x}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_word_before_is_that_of_a_byte_scan() {
        let p = Profile::default();
        let pieces = [
            "l'Avv",
            "all’art",
            "word",
            "(Dr",
            "x\u{a0}y",
            "a\u{3000}b",
            "—Mr",
            "’s",
        ];
        for pad in 0..20 {
            for piece in pieces {
                for sep in [" ", "\n", "\t", "\u{2009}", "", "\u{a0}"] {
                    let text = format!("{}{sep}{}{piece}.", "q ".repeat(pad), "z".repeat(pad));
                    let engine = Engine::new(&text, &p);
                    let i = text.len() - 1;
                    let got = engine.token_before(i);
                    // The scan back to the last whitespace character, character by character.
                    let lo = i.saturating_sub(TOKEN_WINDOW);
                    let lo = (lo..=i).find(|&l| text.is_char_boundary(l)).unwrap();
                    let start = text[lo..i]
                        .char_indices()
                        .rev()
                        .find(|(_, c)| c.is_whitespace())
                        .map_or(lo, |(at, c)| lo + at + c.len_utf8());
                    assert_eq!(got.0, start, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_inner_stop_test_agrees_with_splitting_every_word() {
        let by_parts = |tok: &str| tok.contains('.') && terminal::dotted_parts(tok);
        let words = [
            "", ".", "..", "a.", ".a", "a.b", "U.S", "e.g", "Ph.D", "J.-C", "a.m", "U.S.", ".U.S",
            "abcd.e", "a..b", "ab.cd", "ż.ł", "x", "word", "a.b.c.d", "-a.b", "a.-b", "1.2",
        ];
        for w in words {
            assert_eq!(is_dotted(w), by_parts(w), "{w:?}");
        }
    }

    #[test]
    fn idle_leads_are_neither_terminals_nor_bullets() {
        for c in ('\u{3000}'..='\u{3fff}').chain('\u{f000}'..='\u{ffff}') {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(idle_lead(b, 0), !(is_terminal(c) || is_bullet(c)), "{c:?}");
        }
    }

    #[test]
    fn the_vector_scan_skips_the_characters_the_byte_scan_skips() {
        // Kana, full-width punctuation and terminals, the ideographic full stop and its
        // half-width form, on both sides of the 32-byte blocks and of the two bytes read past
        // them.
        let piece = "かな。カナ、「はい。」漢字，！？．ｱ｡｢ﾊｲ｡｣\u{3001}\u{ff0c}.\n…•";
        for pad in 0..40 {
            let text = format!("{}{}", "a".repeat(pad), piece.repeat(4));
            let b = text.as_bytes();
            for from in 0..b.len() {
                assert_eq!(
                    next_candidate(b, from, has_avx2()),
                    next_candidate_scalar(b, from),
                    "pad {pad} from {from}"
                );
            }
            // The scan stops at every terminal and bullet and at no other character led by
            // 0xE3 or 0xEF.
            let mut stops = Vec::new();
            let mut i = 0;
            while i < b.len() {
                i = next_candidate_scalar(b, i);
                if i < b.len() {
                    stops.push(i);
                    i += 1;
                }
            }
            let want: Vec<usize> = text
                .char_indices()
                .filter(|&(at, c)| {
                    CLASS[b[at] as usize] != 0
                        && (c.is_ascii() || is_terminal(c) || is_bullet(c) || b[at] < 0xE3)
                })
                .map(|(at, _)| at)
                .collect();
            assert_eq!(stops, want, "pad {pad}");
        }
    }

    #[test]
    fn the_whole_word_search_finds_what_a_search_of_the_window_finds() {
        let by_window = |b: &[u8], needle: &[u8], from: usize, to: usize| {
            let hay = &b[from..to];
            memchr::memmem::find_iter(hay, needle).any(|at| {
                let before = hay[..at].last().copied();
                let after = hay.get(at + needle.len()).copied();
                before.is_some_and(|x| !x.is_ascii_alphanumeric() && x < 0x80)
                    && after.is_none_or(|x| !x.is_ascii_alphanumeric() && x < 0x80)
            })
        };
        // Whole and partial occurrences, outside ASCII and glued to punctuation, across the
        // 64-byte blocks and at the window's ends.
        let pieces = [
            "ab", "abc", "ab1", "xab", "ab.", "(ab)", "żab", "abż", "ża", "ab-ab", "Ab", "aab",
            "abab", "q",
        ];
        let mut text = String::new();
        let mut k = 0;
        while text.len() < 400 {
            text.push_str(pieces[k % pieces.len()]);
            text.push_str([" ", "\n", ", ", "-", "  "][k % 5]);
            k += 1;
        }
        let b = text.as_bytes();
        let needles = ["ab", "abc", "ża", "żab", "abab", "b1", "zz", "ab-ab", "q"];
        let froms: Vec<usize> = (0..24).chain([63, 64, 65, 127, 128, 200, 390]).collect();
        for needle in needles {
            for &from in &froms {
                for to in from..=b.len() {
                    let want = by_window(b, needle.as_bytes(), from, to);
                    for avx2 in [false, has_avx2()] {
                        assert_eq!(
                            terminal::find_whole_word(b, needle.as_bytes(), from, to, avx2),
                            want,
                            "{needle:?} in {from}..{to}, AVX2 {avx2}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_usual_full_stop_is_decided_as_any_terminal() {
        // Every ASCII byte and a set of characters outside ASCII two bytes after a full stop
        // and a space or a line break, after words of each kind, under a profile with
        // starters and the generic one (which closes with a spaced `»`).
        let mut after: Vec<String> = (0..0x80u8).map(|x| char::from(x).to_string()).collect();
        after.extend(
            [
                "»", "\u{a0}", "\u{202f}", "Ż", "ż", "„", "“", "”", "’", "–", "—", "\u{2009}",
                "\u{3000}", "…", "。", "Σ", "Ω", "漢", "\u{feff}",
            ]
            .map(String::from),
        );
        let words = [
            "Word", "word", "Dr", "etc", "U.S", "5", "np", "A", "(ab", "x-Str",
        ];
        for lang in ["en", "xx"] {
            let p = crate::segment::builtin(lang);
            for word in words {
                for sep in [" ", "\n"] {
                    for x in &after {
                        for tail in ["", "he went on. The end", " :) ok", "' said"] {
                            let text = format!("Some text. {word}.{sep}{x}{tail}");
                            let i = text.len() - sep.len() - x.len() - tail.len() - 1;
                            let run = |fast: bool| {
                                let mut e = Engine::new(&text, &p);
                                e.seg_first = 0;
                                let k = if fast {
                                    e.terminal(i)
                                } else {
                                    e.terminal_run(i)
                                };
                                (k, e.out, e.cur, e.seg_first, e.pending)
                            };
                            assert_eq!(run(true), run(false), "{lang}: {text:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn spaced_closing_abbreviation_ends_before_any_capital() {
        let closing = "@titles\nMr\n@closing\nt. d\n@starters\nthe\n";
        assert_eq!(
            texts(
                closing,
                "Bread, milk t. d. Shops close. Bread t. d. and milk."
            ),
            ["Bread, milk t. d.", "Shops close.", "Bread t. d. and milk."]
        );
        // As a plain @multi entry the same words never end a sentence.
        let inner = "@titles\nMr\n@multi\nt. d\n@starters\nthe\n";
        assert_eq!(texts(inner, "Bread, milk t. d. Shops close.").len(), 1);
    }
}
