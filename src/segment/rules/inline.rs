//! Colons and semicolons, URLs, date-and-time stamps and smileys.

use super::*;

impl<'a> Engine<'a> {
    /// A `:` or `;` at `j`: a smiley after a space ends a segment; under profile flags
    /// `;` before a capitalised starter and `:` before an opening quote end a sentence.
    pub(super) fn colon(&mut self, j: usize) -> usize {
        let text = self.text;
        let b = self.b;
        if b[j] == b':'
            && let Some(end) = self.url_before_url(j)
        {
            self.close(end);
            return end;
        }
        if b[j] == b':'
            && let Some((start, end)) = timestamp_around(b, j)
        {
            // A date and a time side by side are the stamp of a message header ("Ana Ruiz
            // 2019-03-04 18:22 Hola", "Jo 12/31/1999 11:59 PM Thanks"): it ends the segment
            // before it and is one of its own, unless a sentence leads into it with a
            // lowercase word or a sentence-starting one ("sent on ...", "Am ...") and goes on
            // after it in lowercase.
            let (_, before) = self.token_before(start.saturating_sub(1).max(self.cur));
            let led_in = !before.is_empty()
                && (before.chars().all(char::is_lowercase) || self.p.is_starter(before));
            if self.seg_first < start && !led_in {
                self.close(start);
            }
            let goes_on = led_in && self.following(end).class == Next::Lower;
            if !goes_on && self.skip_ws(end) < b.len() {
                self.close(end);
            }
            return end;
        }
        if j > 0
            && is_ws_byte(b[j - 1])
            && let Some(len) = emoticon(&text[j..])
        {
            let e = j + len;
            if e < b.len() && self.skip_ws(e) < b.len() {
                self.close(e);
            }
            return e;
        }
        let k = j + 1;
        if k >= b.len() || !self.char_at(k).is_whitespace() {
            return k;
        }
        // Greek writes its question mark as `;` (U+037E, or the semicolon that normalisation
        // makes of it): after a Greek word and before a capital it ends a sentence.
        if b[j] == b';' && self.char_before(j).is_some_and(is_greek) {
            if self.following(k).class == Next::Upper {
                self.close(k);
            }
            return k;
        }
        if b[j] == b';' && self.p.semicolon_capital {
            let next = self.following(k);
            if next.class == Next::Upper && self.is_starter(&next) {
                self.close(k);
            }
        } else if b[j] == b':' && self.p.colon_quote {
            let m = self.skip_ws(k);
            if text[m..].starts_with(['«', '“']) {
                self.close(k);
            }
        }
        k
    }

    /// A list of links, one after the other: "http://a.com/1 http://a.com/2". Returns the end
    /// of the link whose scheme's `:` is at `j` when another link follows it.
    pub(super) fn url_before_url(&self, j: usize) -> Option<usize> {
        let b = self.b;
        let scheme = if j >= 5 && &b[j - 5..j] == b"https" {
            j - 5
        } else if j >= 4 && &b[j - 4..j] == b"http" {
            j - 4
        } else {
            return None;
        };
        if !b[j..].starts_with(b"://") || (scheme > 0 && !is_ws_byte(b[scheme - 1])) {
            return None;
        }
        let window = &b[j..(j + 2048).min(b.len())];
        let end = j + window.iter().position(|&x| is_ws_byte(x))?;
        let next = self.skip_ws(end);
        let rest = &b[next..];
        (rest.starts_with(b"http://") || rest.starts_with(b"https://") || rest.starts_with(b"www."))
            .then_some(end)
    }
}

/// The span of a date-and-time stamp whose time's first `:` is at `j`: a date in any
/// common order and separator (`31/12/1999`, `12/31/99`, `31.12.1999`, `1999-12-31`,
/// `1999/12/31`), a space or `T`, and a time `h:mm` or `hh:mm`, with optional seconds and
/// `AM`/`PM` (either case, with or without a space).
pub(super) fn timestamp_around(b: &[u8], j: usize) -> Option<(usize, usize)> {
    let digits_back = |end: usize, max: usize| {
        let mut s = end;
        while s > 0 && end - s < max && b[s - 1].is_ascii_digit() {
            s -= 1;
        }
        s
    };
    let two_digits = |at: usize| {
        b.get(at..at + 2)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    // The time: h:mm or hh:mm, optional :ss, optional AM/PM.
    let hour = digits_back(j, 2);
    if hour == j || !two_digits(j + 1) || b.get(j + 3).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut e = j + 3;
    if b.get(e) == Some(&b':') && two_digits(e + 1) {
        e += 3;
    }
    let meridiem = if b.get(e) == Some(&b' ') { e + 1 } else { e };
    if let Some(m) = b.get(meridiem..meridiem + 2)
        && matches!(m, b"AM" | b"PM" | b"am" | b"pm")
        && b.get(meridiem + 2)
            .is_none_or(|&x| !x.is_ascii_alphanumeric())
    {
        e = meridiem + 2;
    }
    if b.get(e).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    // The date before it: three groups of digits with one separator, day or month first
    // (1-2, 1-2, 2 or 4 digits) or year first (4, 1-2, 1-2).
    if hour < 2 || !matches!(b[hour - 1], b' ' | b'T') {
        return None;
    }
    let date_end = hour - 1;
    let mut groups = [0usize; 3];
    let mut sep = 0u8;
    let mut pos = date_end;
    for (n, len) in groups.iter_mut().enumerate().rev() {
        let start = digits_back(pos, 4);
        *len = pos - start;
        if *len == 0 {
            return None;
        }
        pos = start;
        if n > 0 {
            let s = *b.get(pos.checked_sub(1)?)?;
            if !matches!(s, b'/' | b'.' | b'-') || (sep != 0 && s != sep) {
                return None;
            }
            sep = s;
            pos -= 1;
        }
    }
    if pos > 0 && !is_ws_byte(b[pos - 1]) {
        return None;
    }
    let day_first = groups[0] <= 2 && groups[1] <= 2 && matches!(groups[2], 2 | 4);
    let year_first = groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2;
    (day_first || year_first).then_some((pos, e))
}

/// Smileys that close a sentence or stand for its end.
pub(super) const EMOTICONS: &[&str] = &[
    ":-)", ":)", ":-(", ":(", ":-P", ":P", ":p", ":-D", ":D", ";-)", ";)", ":'(", ":/", ":-/",
    ":o", ":O",
];

/// The length of the smiley at the start of `s` when one stands there as a word.
#[inline]
pub(super) fn emoticon(s: &str) -> Option<usize> {
    if !matches!(s.as_bytes().first(), Some(b':' | b';')) {
        return None;
    }
    EMOTICONS.iter().find_map(|e| {
        let rest = s.strip_prefix(e)?;
        rest.chars()
            .next()
            .is_none_or(char::is_whitespace)
            .then_some(e.len())
    })
}

/// The length of " :)" (spaces and a smiley) at the start of `s`, on one line.
#[inline]
pub(super) fn emoticon_after_space(s: &str) -> Option<usize> {
    let spaces = s.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    if spaces == 0 || !matches!(s.as_bytes().get(spaces), Some(b':' | b';')) {
        return None;
    }
    emoticon(&s[spaces..]).map(|len| spaces + len)
}
