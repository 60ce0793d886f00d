//! Line structure: paragraphs, hard-wrapped text, lists, sign-offs and separator lines.

use super::*;

impl<'a> Engine<'a> {
    /// A segment that opens with an inline list marker (`1.`, `a)`, `2.)`) ends before the
    /// next marker of the same list on the same line ("1. First item 2. Second item").
    #[inline]
    pub(super) fn check_list(&mut self) {
        // Every sentence is closed through here, and nearly all open with a capital that
        // starts no sign-off or salutation: they are told apart by the first two bytes,
        // inline, without a call into the whole test.
        let Some(&x) = self.b.get(self.seg_first) else {
            return;
        };
        if (x.is_ascii_uppercase()
            && self.p.formula_initials >> x.to_ascii_lowercase() & 1 == 1
            && self
                .p
                .may_open_formula(x, self.b.get(self.seg_first + 1).copied()))
            || x.is_ascii_digit()
            || (b'a'..=b'y').contains(&x)
        {
            self.check_list_or_formula();
        }
    }

    /// [`Self::check_list`] for a segment whose first byte may open a list marker or a
    /// sign-off or salutation.
    #[inline(never)]
    fn check_list_or_formula(&mut self) {
        let s = self.seg_first;
        let b = self.b;
        if b.get(s).is_some_and(|&x| {
            x.is_ascii_uppercase()
                && self.p.formula_initials >> x.to_ascii_lowercase() & 1 == 1
                && self.p.may_open_formula(x, b.get(s + 1).copied())
        }) {
            self.check_signoff(s);
            if self.pending.is_some() {
                return;
            }
        }
        let mut k = s;
        while k < b.len() && k - s < 2 && b[k].is_ascii_digit() {
            k += 1;
        }
        let digits = k > s;
        if !digits {
            if k < b.len() && (b'a'..=b'y').contains(&b[k]) {
                k += 1;
            } else {
                return;
            }
        }
        let suffix_start = k;
        if b.get(k) == Some(&b'.') {
            k += 1;
        }
        if b.get(k) == Some(&b')') {
            k += 1;
        }
        if k == suffix_start || b.get(k) != Some(&b' ') {
            return;
        }
        let suffix = &self.text[suffix_start..k];
        let mut end = (s + LIST_WINDOW).min(b.len());
        if let Some(nl) = memchr::memchr2(b'\n', b'\r', &b[k..end]) {
            end = k + nl;
        }
        // The next marker: the number plus one, or the next letter.
        let next = if digits {
            let Ok(num) = self.text[s..suffix_start].parse::<u32>() else {
                return;
            };
            (num + 1).to_string()
        } else {
            char::from(b[suffix_start - 1] + 1).to_string()
        };
        let needle = format!(" {next}{suffix} ");
        if let Some(pos) = memchr::memmem::find(&b[k..end], needle.as_bytes()) {
            self.pending = Some(k + pos + 1);
        }
    }

    /// A segment that opens with a sign-off or a salutation and a comma ("Kind regards, Ana
    /// Ruiz", "Hi team, The report is ...", "Cordialement, Marie") ends after the comma when
    /// a capital follows: the formula is a segment of its own.
    pub(super) fn check_signoff(&mut self, s: usize) {
        let b = self.b;
        let end = (s + 32).min(b.len());
        let first_len = b[s..end]
            .iter()
            .position(|&x| x == b' ' || x == b',')
            .unwrap_or(end - s);
        let first = &self.text[s..floor_boundary(self.text, s + first_len)];
        if !self.p.opens_formula(first) {
            return;
        }
        let Some(comma) = memchr::memchr(b',', &b[s..end]).map(|c| s + c) else {
            return;
        };
        let Ok(phrase) = std::str::from_utf8(&b[s..comma]) else {
            return;
        };
        let lower = phrase.to_lowercase();
        let first = lower.split(' ').next().unwrap_or("");
        // A whole sign-off ("Best wishes,"); a salutation of at most four words ("Hi,",
        // "Dear colleagues,", "Bonjour Marie,").
        let formula = self.p.signoffs.contains(lower.as_str())
            || (self.p.greetings.contains(first)
                && lower.split(' ').count() <= 4
                && !lower.contains(['.', '!', '?', ':', ';']));
        if !formula {
            return;
        }
        let next = self.skip_ws(comma + 1);
        if next > comma + 1 && self.char_at(next).is_uppercase() {
            self.pending = Some(next);
        }
    }

    /// A line break at `i` (and whitespace up to `e`): returns where the scan resumes.
    pub(super) fn newline(&mut self, i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let mut e = i;
        let mut breaks = 0;
        while e < n {
            match b[e] {
                b'\r' => {
                    breaks += 1;
                    e += if b.get(e + 1) == Some(&b'\n') { 2 } else { 1 };
                }
                b'\n' => {
                    breaks += 1;
                    e += 1;
                }
                b' ' | b'\t' | b'\x0b' | b'\x0c' => e += 1,
                x if x >= 0x80 => {
                    let c = self.char_at(e);
                    if c.is_whitespace() {
                        e += c.len_utf8();
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        if e >= n {
            return n;
        }
        if breaks >= 2 {
            self.close(i);
            if self.para_has {
                self.para += 1;
                self.para_has = false;
            }
            self.para_start = e;
        } else {
            self.line_break(i, e);
        }
        self.line_start = e;
        e
    }

    /// A single line break: a line without final punctuation is a segment of its own
    /// (headline, byline, label) unless the paragraph is hard-wrapped or the text goes on
    /// in lowercase.
    pub(super) fn line_break(&mut self, i: usize, e: usize) {
        if self.seg_first >= i {
            return;
        }
        if starts_with_list_marker(&self.text[e..]) {
            self.close(i);
            return;
        }
        // Only the current line: a long hard-wrapped paragraph must not be rescanned.
        let line = self.text[self.seg_first.max(self.line_start)..i].trim_end();
        let body = line.trim_end_matches(is_closer);
        let Some(last) = body.chars().next_back() else {
            self.close(i);
            return;
        };
        if is_terminal(last) {
            return;
        }
        if matches!(last, ',' | ';' | '-' | '‐' | '/' | '&' | '(' | '–' | '+') {
            return;
        }
        // A line that ends with a lowercase function word ("... he said that", "... office
        // in") stops mid-sentence: no headline or label ends that way.
        let last_word = body.rsplit(char::is_whitespace).next().unwrap_or("");
        if line.len() > last_word.len()
            && last_word.starts_with(char::is_lowercase)
            && last_word.chars().all(char::is_alphabetic)
            && self.p.is_starter(last_word)
        {
            return;
        }
        let next = self.following(e);
        if next.class == Next::Lower {
            // Short lines without punctuation are items even in lowercase ("features\n
            // contact manager"); longer ones, or one that a full stop ends on the next line,
            // are a sentence wrapped by hand.
            let next_line = self.text[e..].lines().next().unwrap_or("").trim_end();
            let next_ends = next_line
                .trim_end_matches(is_closer)
                .chars()
                .next_back()
                .is_some_and(is_terminal);
            if line.chars().count() >= SHORT_LINE
                || next_line.chars().count() >= SHORT_LINE
                || next_ends
                || self.wrapped()
            {
                return;
            }
        } else if self.wrapped() {
            // In a hard-wrapped paragraph a line well short of the others that ends without
            // punctuation is a heading or label of its own ("Key points\nThe law ...").
            let full = self.text[self.line_start.min(i)..i]
                .trim_end()
                .chars()
                .count();
            if full * 100 >= self.wrap_width() * 55 {
                return;
            }
        }
        self.close(i);
    }

    /// True when the current paragraph looks hard-wrapped: three or more lines, most of
    /// them (all but the last) close to the longest one.
    pub(super) fn wrapped(&mut self) -> bool {
        if let Some((start, w, _)) = self.wrap
            && start == self.para_start
        {
            return w;
        }
        let b = self.b;
        let mut lens = Vec::new();
        let mut pos = self.para_start;
        while pos < b.len() && lens.len() < WRAP_LINES {
            let end = memchr::memchr2(b'\n', b'\r', &b[pos..]).map_or(b.len(), |x| pos + x);
            let line = &self.text[pos..end];
            if line.trim().is_empty() {
                break;
            }
            lens.push(line.trim_end().chars().count());
            pos = end;
            if pos < b.len() {
                pos += if b[pos] == b'\r' && b.get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
        }
        let max = lens.iter().copied().max().unwrap_or(0);
        let w = lens.len() >= 3 && max >= 40 && {
            let body = &lens[..lens.len() - 1];
            let long = body.iter().filter(|&&l| l * 100 >= max * 55).count();
            long * 4 >= body.len() * 3
        };
        self.wrap = Some((self.para_start, w, max));
        w
    }

    /// The longest line of the current paragraph, in characters (after [`Self::wrapped`]).
    pub(super) fn wrap_width(&self) -> usize {
        self.wrap.map_or(0, |(_, _, max)| max)
    }

    /// A run of three or more `*`, `=`, `_` or `~` standing alone is a separator: a segment
    /// of its own.
    pub(super) fn rule_run(&mut self, j: usize) -> usize {
        let b = self.b;
        let c = b[j];
        let mut e = j;
        while e < b.len() && b[e] == c {
            e += 1;
        }
        if e - j < 3 {
            return e;
        }
        let alone_before = j == 0 || self.char_before(j).is_some_and(char::is_whitespace);
        let alone_after = e == b.len() || self.char_at(e).is_whitespace();
        if alone_before && alone_after {
            if self.seg_first < j {
                self.close(j);
            }
            self.close(e);
        }
        e
    }

    /// A bullet after a space inside a segment starts a new segment.
    pub(super) fn bullet(&mut self, i: usize) {
        if self.seg_first < i && self.char_before(i).is_some_and(char::is_whitespace) {
            self.close(i);
        }
    }
}

/// A word that can number a list item: one or two digits, one letter, a small roman numeral.
pub(super) fn is_list_marker(tok: &str) -> bool {
    let n = tok.len();
    (1..=2).contains(&n) && tok.bytes().all(|d| d.is_ascii_digit())
        || (n == 1 && tok.bytes().all(|c| c.is_ascii_alphabetic()))
        || matches!(
            tok,
            "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix" | "x"
        )
}

/// A line that opens with a list marker: a bullet, `-`, `*`, `1.`, `2)`, `a)`, `(b)`, `iv.`.
pub(super) fn starts_with_list_marker(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(c) = chars.next() else {
        return false;
    };
    if is_bullet(c) {
        return true;
    }
    let second = chars.next();
    if matches!(c, '-' | '*' | '–' | '—' | '+') {
        return second.is_some_and(char::is_whitespace);
    }
    let body = line.strip_prefix('(').unwrap_or(line);
    let marker_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if marker_len == 0 || marker_len > 4 {
        return false;
    }
    let marker = &body[..marker_len];
    let rest = &body[marker_len..];
    let numbered = marker.len() <= 3 && marker.bytes().all(|b| b.is_ascii_digit());
    let lettered = (marker.len() == 1 && marker.bytes().all(|b| b.is_ascii_lowercase()))
        || matches!(
            marker,
            "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix" | "x"
        );
    if !(numbered || lettered) {
        return false;
    }
    let rest = rest
        .strip_prefix(".)")
        .or_else(|| rest.strip_prefix('.'))
        .or_else(|| rest.strip_prefix(')'));
    rest.is_some_and(|r| r.starts_with(char::is_whitespace))
}
