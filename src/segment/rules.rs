//! The one-pass segmentation engine and its local decision rules.

use super::Profile;
use super::learn::{Learned, is_vowelless, learn};
use super::profile::with_lowercase;
use crate::doc::Sentence;

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

pub(crate) fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '。'
            | '！'
            | '？'
            | '．'
            | '؟'
            | '।'
            | '॥'
            | '\u{37e}'
    )
}

/// Terminals of scripts written without spaces: they end a sentence with no space after.
fn is_cjk_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '．')
}

/// Letters of scripts written without spaces between words or sentences: Han, kana.
fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
            | 0xFF66..=0xFF9F)
}

/// The opening quote or bracket of a closing one, as scripts without spaces pair them.
fn matching_opener(c: char) -> Option<char> {
    Some(match c {
        '”' => '“',
        '’' => '‘',
        '」' => '「',
        '』' => '『',
        '）' => '（',
        ')' => '(',
        '》' => '《',
        '〉' => '〈',
        '】' => '【',
        '〕' => '〔',
        '］' => '［',
        '"' => '"',
        '\'' => '\'',
        _ => return None,
    })
}

fn is_quote_opener(c: char) -> bool {
    matches!(c, '“' | '‘' | '「' | '『' | '"' | '\'')
}

fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '‣' | '⁃' | '◦' | '▪' | '●' | '■' | '►' | '▸' | '➢')
}

/// Characters that close a sentence when they follow its terminal punctuation directly.
/// Opening-looking quotes are included: German closes with “ and ‘, and « in »…« style.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '’'
            | '»'
            | ')'
            | ']'
            | '}'
            | '›'
            | '」'
            | '』'
            | '“'
            | '‘'
            | '«'
            | '）'
    )
}

/// Characters that may open a sentence before its first word.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '"'
            | '\''
            | '“'
            | '‘'
            | '«'
            | '„'
            | '‚'
            | '¿'
            | '¡'
            | '‹'
            | '—'
            | '–'
            | '-'
            | '*'
            | '「'
            | '『'
            | '（'
            | '《'
            | '〈'
            | '【'
            | '〔'
            | '［'
    ) || is_bullet(c)
}

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
        }
    }

    pub(crate) fn run(mut self) -> Vec<Sentence> {
        let n = self.b.len();
        self.seg_first = self.skip_ws(0);
        self.check_list();
        let mut i = 0;
        while i < n {
            let j = next_candidate(self.b, i);
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

    /// A segment that opens with an inline list marker (`1.`, `a)`, `2.)`) ends before the
    /// next marker of the same list on the same line ("1. First item 2. Second item").
    fn check_list(&mut self) {
        let s = self.seg_first;
        let b = self.b;
        if b.get(s).is_some_and(|&x| {
            x.is_ascii_uppercase() && self.p.formula_initials >> x.to_ascii_lowercase() & 1 == 1
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
        let next: String = if k > s {
            let Ok(num) = self.text[s..k].parse::<u32>() else {
                return;
            };
            (num + 1).to_string()
        } else if k < b.len() && (b'a'..=b'y').contains(&b[k]) {
            k += 1;
            char::from(b[k - 1] + 1).to_string()
        } else {
            return;
        };
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
        let needle = format!(" {next}{suffix} ");
        if let Some(pos) = memchr::memmem::find(&b[k..end], needle.as_bytes()) {
            self.pending = Some(k + pos + 1);
        }
    }

    /// A segment that opens with a sign-off or a salutation and a comma ("Kind regards, Ana
    /// Ruiz", "Hi team, The report is ...", "Cordialement, Marie") ends after the comma when
    /// a capital follows: the formula is a segment of its own.
    fn check_signoff(&mut self, s: usize) {
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

    /// The word before `i` (back to whitespace): its raw start and the word without opening
    /// quotes, brackets or bullets.
    fn token_before(&self, i: usize) -> (usize, &'a str) {
        let mut lo = i.saturating_sub(TOKEN_WINDOW).max(self.cur);
        while !self.text.is_char_boundary(lo) {
            lo += 1;
        }
        let window = &self.text[lo..i];
        let wb = window.as_bytes();
        let mut at = wb.len();
        while at > 0 && wb[at - 1] < 0x80 && !is_ws_byte(wb[at - 1]) {
            at -= 1;
        }
        let start = if at == 0 || is_ws_byte(wb[at - 1]) {
            lo + at
        } else {
            // A non-ASCII character: it may be a no-break space.
            match window[..at]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
            {
                Some((w, c)) => lo + w + c.len_utf8(),
                None => lo,
            }
        };
        let mut tok = &self.text[start..i];
        if tok.as_bytes().first().is_some_and(|&x| {
            x >= 0x80 || matches!(x, b'(' | b'[' | b'{' | b'"' | b'\'' | b'-' | b'*')
        }) {
            tok = tok.trim_start_matches(is_opener);
        }
        // Elision: "l'Avv.", "all'art.", "d'av." are the abbreviation after the apostrophe.
        if tok.bytes().any(|x| x == b'\'' || x == 0xE2)
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
            if c.is_lowercase() {
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
        let mut len = 0;
        while len < rb.len() && len < 64 && rb[len].is_ascii_alphanumeric() {
            len += 1;
        }
        if len < rb.len() && rb[len] >= 0x80 {
            len = rest
                .char_indices()
                .take(32)
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(rest.len().min(128), |(at, _)| at);
            len = floor_boundary(rest, len);
        }
        let word = &rest[..len];
        let after = &rb[len..];
        let elided = after.first() == Some(&b'\'') || after.starts_with("’".as_bytes());
        let dotted = after.first() == Some(&b'.');
        let skipped = &text[from..m];
        let bracket = skipped.contains('(');
        // A dialogue dash: a typographic dash, or a hyphen standing alone between spaces as
        // plain text writes one ("? - asked he"). A hyphen glued to the next word ("? --word",
        // "? -word") is not one: plain text starts new sentences that way too.
        let dash = skipped.contains(['—', '–'])
            || skipped
                .as_bytes()
                .windows(3)
                .any(|w| is_ws_byte(w[0]) && w[1] == b'-' && is_ws_byte(w[2]));
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

    /// A candidate terminal at `i`: decides whether a sentence ends after it (and the closing
    /// quotes and brackets that follow), and returns where the scan resumes.
    fn terminal(&mut self, i: usize) -> usize {
        let text = self.text;
        let b = self.b;
        let n = b.len();
        let mut j = i;
        let mut dots = 0;
        let mut exclaim = false;
        let mut ellipsis_char = false;
        let mut cjk = false;
        for c in text[i..].chars() {
            if !is_terminal(c) {
                break;
            }
            match c {
                '.' => dots += 1,
                '…' => ellipsis_char = true,
                c if is_cjk_terminal(c) => cjk = true,
                _ => exclaim = true,
            }
            j += c.len_utf8();
            if j - i > 64 {
                break;
            }
        }
        let spaced_before = i > 0 && b[i - 1] == b' ';
        // Spaced ellipsis: ". . ." and ". . . .".
        let mut spaced_dots = 0;
        if dots >= 1 && !exclaim && b[j - 1] == b'.' {
            while j + 1 < n && b[j] == b' ' && b[j + 1] == b'.' && spaced_dots < 16 {
                j += 2;
                spaced_dots += 1;
            }
        }
        // Scripts written without spaces: 。！？ anywhere, and ! ? right after a Han or kana
        // letter, end a sentence with no space after them.
        if dots == 0 && (cjk || self.char_before(i).is_some_and(is_unspaced)) {
            let k = self.cjk_closers(j);
            if k < n && self.cjk_ends(i, j, k) {
                self.close(k);
            }
            return k;
        }
        let k = self.closers(i, j);
        if k >= n {
            return k;
        }
        // No space after the terminal: inside a token ("3.5", "U.S.A", "www.x.org",
        // "Node.js"), which a sentence glued to the next one cannot be told from.
        if !self.char_at(k).is_whitespace() {
            return k;
        }
        let next = self.following(k);
        if next.word.is_empty() && next.class == Next::Other && self.skip_ws(k) >= n {
            return k;
        }
        // "compounds. . . . The": the word's full stop, then an ellipsis opening the next one.
        if spaced_dots >= 3 && dots == 1 && !spaced_before {
            if matches!(next.class, Next::Upper | Next::Letter) {
                self.close(i + 1);
                return i + 1;
            }
            return k;
        }
        let total = dots + spaced_dots;
        let kind = if exclaim {
            Kind::Exclaim
        } else if ellipsis_char || total >= 2 {
            Kind::Ellipsis
        } else {
            Kind::Period
        };
        let split = match kind {
            Kind::Exclaim => self.exclaim_ends(i, j, k, &next),
            Kind::Ellipsis => self.ellipsis_ends(i, total, spaced_dots, &next),
            Kind::Period => self.period_ends(i, j, k, &next),
        };
        if split {
            self.close(k);
        }
        k
    }

    /// The end of the closing quotes, brackets and footnote marks after a terminal.
    fn closers(&self, i: usize, mut k: usize) -> usize {
        let text = self.text;
        let b = self.b;
        for _ in 0..16 {
            // A smiley after the terminal belongs to the sentence: "See you soon. :)".
            if let Some(len) = emoticon_after_space(&text[k..]) {
                k += len;
                continue;
            }
            let Some(c) = text[k..].chars().next() else {
                break;
            };
            if is_closer(c) {
                k += c.len_utf8();
                continue;
            }
            // Footnote marks: "...in 2019.[12] Next".
            if c == '[' {
                let digits = b[k + 1..]
                    .iter()
                    .take(5)
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                if digits > 0 && b.get(k + 1 + digits) == Some(&b']') {
                    k += digits + 2;
                    continue;
                }
            }
            // A straight quote after a space closes the sentence when a quotation is open:
            // "Il a dit : " Non ! " Puis..." (an odd number of quotes before it).
            if c == ' '
                && b.get(k + 1) == Some(&b'"')
                && b.get(k + 2).is_none_or(|&x| is_ws_byte(x))
                && memchr::memchr_iter(b'"', &b[self.recent(i)..i]).count() % 2 == 1
            {
                k += 2;
                continue;
            }
            // Likewise a bracket after a space when one is open: "(it was closed. )".
            if c == ' ' && b.get(k + 1) == Some(&b')') && self.open_parens(i) {
                k += 2;
                continue;
            }
            // A doubled apostrophe after a space closes a quotation (",,Ja. '' Then"): it
            // never opens one.
            if c == ' '
                && b.get(k + 1..k + 3) == Some(b"''")
                && b.get(k + 3).is_none_or(|&x| is_ws_byte(x))
            {
                k += 3;
                continue;
            }
            // French spacing: "Vraiment ? »".
            if self.p.spaced_guillemets && matches!(c, ' ' | '\u{a0}' | '\u{202f}') {
                let after = k + c.len_utf8();
                if text[after..].starts_with('»') {
                    k = after + '»'.len_utf8();
                    continue;
                }
            }
            break;
        }
        k
    }

    /// The end of the closing quotes and brackets after a terminal of a script written
    /// without spaces: “ and ‘ open the next sentence there (`。“下一句`).
    fn cjk_closers(&self, mut k: usize) -> usize {
        for c in self.text[k..].chars().take(16) {
            if matching_opener(c).is_none() {
                break;
            }
            k += c.len_utf8();
        }
        k
    }

    /// Decides a terminal of a script written without spaces: `i..j` is the terminal run and
    /// `j..k` the closing quotes and brackets after it. A quotation closed by its own
    /// terminal goes on when a word follows directly and either the quotation opened the
    /// sentence (`“快走！”他喊道。`: what follows tells who spoke) or the word is one
    /// that continues after quotes in the profile (`「はい。」と言った。`).
    fn cjk_ends(&self, i: usize, j: usize, k: usize) -> bool {
        let next = self.char_at(k);
        if is_terminal(next) {
            // "？”。": the terminal after the quotation ends the sentence.
            return false;
        }
        if k == j || next.is_whitespace() || is_opener(next) || !next.is_alphanumeric() {
            return true;
        }
        let rest = &self.text[k..];
        if self.p.after_quote.iter().any(|w| rest.starts_with(&**w)) {
            return false;
        }
        // Only a quotation: a sentence in brackets is one of its own (`（见下文。）`).
        let Some(open) = matching_opener(self.char_at(j)).filter(|c| is_quote_opener(*c)) else {
            return true;
        };
        let Some(at) = self.text[self.seg_first..i].rfind(open) else {
            return true;
        };
        !self.text[self.seg_first..self.seg_first + at]
            .chars()
            .all(|c| c.is_whitespace() || is_opener(c))
    }

    /// Where the text that decides quote and bracket balance at `i` begins: the paragraph,
    /// at most 400 bytes back.
    fn recent(&self, i: usize) -> usize {
        let mut from = i.saturating_sub(400).max(self.para_start).min(i);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        from
    }

    /// True when a `(` before `i` in the paragraph is still open.
    fn open_parens(&self, i: usize) -> bool {
        let mut depth = 0i32;
        for &x in &self.b[self.recent(i)..i] {
            match x {
                b'(' => depth += 1,
                b')' => depth = (depth - 1).max(0),
                _ => {}
            }
        }
        depth > 0
    }

    fn ellipsis_ends(&self, i: usize, total: usize, spaced: usize, next: &Following<'_>) -> bool {
        // "[...]" and "(...)" mark an omission inside a quotation; an ellipsis inside an open
        // bracket does not end the sentence around it.
        if matches!(self.char_before(i), Some('[' | '(')) || self.open_parens(i) {
            return false;
        }
        match next.class {
            Next::Lower => false,
            _ if total >= 4 => true,
            // ". . ." between words is an omission, not an end.
            _ if spaced > 0 => false,
            Next::Upper | Next::Letter => true,
            Next::Digit | Next::Other => false,
        }
    }

    /// Decides a single full stop at `i`; `j` is the end of the terminal run and `k` of the
    /// closers after it.
    fn period_ends(&self, i: usize, j: usize, k: usize, next: &Following<'_>) -> bool {
        let (raw_start, tok) = self.token_before(i);
        if self.is_first_token(raw_start) && is_list_marker(tok) {
            return false;
        }
        if k > j || tok.is_empty() {
            return next.class != Next::Lower;
        }
        if self.p.is_title(tok) {
            return false;
        }
        let spaced = self.multi_abbreviation(raw_start, tok);
        if spaced == Some(Spaced::Inner) || self.multi_ahead(tok, next) {
            return false;
        }
        // "и т. д." closes its sentence like "etc.", though its last part is a single letter.
        let spaced_closing = spaced == Some(Spaced::Closing);
        let single = {
            let mut cs = tok.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic())
        };
        // A letter after a number is a unit or an abbreviation ("in 1979 r.", "5 m."), not
        // an initial: before a capital it ends the sentence like a word.
        let single = single && !self.after_number(raw_start);
        let unit_letter = !single && tok.chars().nth(1).is_none() && next.class != Next::Upper;
        let abbr = spaced_closing
            || single
            || unit_letter
            || self.is_abbreviation(tok, raw_start)
            || is_dotted(tok);
        match next.class {
            // Informal text starts sentences in lowercase; after an ordinary word a full
            // stop still ends the sentence.
            Next::Lower => !(abbr || (tok.len() <= 2 && tok.bytes().all(|d| d.is_ascii_digit()))),
            Next::Digit => !(abbr || tok.ends_with(['°', 'º', 'ª'])),
            Next::Other => !abbr,
            Next::Upper | Next::Letter => {
                if tok.bytes().all(|d| d.is_ascii_digit()) {
                    !(self.p.ordinals && tok.len() <= 3 && !self.is_starter(next))
                } else if abbr {
                    !next.bracket
                        && (spaced_closing
                            || self.p.is_closing(tok)
                            || self.is_starter(next)
                            || (!single
                                && !is_dotted(tok)
                                && next.class == Next::Upper
                                && self.orthographic(tok)
                                && self.seen_lowercase(next.word, i)))
                } else {
                    true
                }
            }
        }
    }

    /// Whether the lowercase test of [`Self::seen_lowercase`] applies after `tok`: to the
    /// abbreviations the profile does not list (learned, vowelless), whose sentence starters
    /// it cannot know.
    fn orthographic(&self, tok: &str) -> bool {
        !self.p.is_abbreviation(tok)
    }

    /// True when `word` (capitalised after an abbreviation) is also written in lowercase
    /// near `i`: an ordinary word, so the capital marks a new sentence, as in Punkt's
    /// orthographic heuristic. Names are never written in lowercase. The search reads a
    /// bounded window, so its cost does not grow with the document.
    fn seen_lowercase(&self, word: &str, i: usize) -> bool {
        if word.chars().count() < 2 || word.chars().skip(1).any(char::is_uppercase) {
            return false;
        }
        let lower = word.to_lowercase();
        let b = self.b;
        let from = i.saturating_sub(LOWERCASE_WINDOW);
        let to = (i + LOWERCASE_WINDOW).min(b.len());
        let hay = &b[from..to];
        memchr::memmem::find_iter(hay, lower.as_bytes()).any(|at| {
            let before = hay[..at].last().copied();
            let after = hay.get(at + lower.len()).copied();
            before.is_some_and(|x| !x.is_ascii_alphanumeric() && x < 0x80)
                && after.is_none_or(|x| !x.is_ascii_alphanumeric() && x < 0x80)
        })
    }

    /// True when a number and a space come right before `raw_start`.
    fn after_number(&self, raw_start: usize) -> bool {
        let b = self.b;
        raw_start >= 2 && b[raw_start - 1] == b' ' && b[raw_start - 2].is_ascii_digit()
    }

    /// True when `tok` (starting at `raw_start`) before a full stop is an abbreviation:
    /// listed in the profile, learned from the text, written without a vowel (`np`, `Str`,
    /// `kpt`; but not a unit after a number, `900 MHz.`), or a compound whose last part is
    /// one of those (`Zimmermann-Str`).
    fn is_abbreviation(&self, tok: &str, raw_start: usize) -> bool {
        let known = |w: &str| {
            self.p.is_abbreviation(w)
                || (is_vowelless(w) && !self.after_number(raw_start) && !self.learned.is_word(w))
                || is_greek_abbreviation(w)
                || self.learned.is_abbreviation(w)
        };
        known(tok)
            || memchr::memrchr(b'-', tok.as_bytes())
                .is_some_and(|at| at + 1 < tok.len() && known(&tok[at + 1..]))
    }

    /// Decides `!` and `?` before a lowercase word: "is it open? any idea?" ends
    /// there, "Yahoo! in", a quotation closed before "she said" and a line of dialogue
    /// before its dash and "спросил он" do not.
    fn exclaim_ends(&self, i: usize, j: usize, k: usize, next: &Following<'_>) -> bool {
        if next.class != Next::Lower {
            return true;
        }
        if k > j || next.dash {
            return false;
        }
        if self.text[i..j].contains(['?', '？', '⁇', '⁈', '⁉', '؟']) {
            return true;
        }
        let (_, tok) = self.token_before(i);
        !tok.starts_with(char::is_uppercase)
    }

    /// Abbreviations written with spaces ("z. B.", "p. ex.", "т. д."): `tok` is the last
    /// part. `None` when `tok` ends none.
    fn multi_abbreviation(&self, raw_start: usize, tok: &str) -> Option<Spaced> {
        let b = self.b;
        let dotted_before = |pos: usize| {
            pos >= 2 && pos - 2 >= self.cur && b[pos - 1] == b' ' && b[pos - 2] == b'.'
        };
        if self.p.multi.is_empty()
            || !dotted_before(raw_start)
            || tok.len() > 16
            || tok.chars().count() > 4
        {
            return None;
        }
        let mut parts: Vec<&str> = vec![tok];
        let mut pos = raw_start;
        for _ in 0..3 {
            if !dotted_before(pos) {
                return None;
            }
            let (start, word) = self.token_before(pos - 2);
            if word.is_empty() || word.chars().count() > 4 {
                return None;
            }
            parts.insert(0, word);
            let phrase = parts.join(". ");
            if self.p.is_multi(&phrase) {
                return Some(if self.p.is_closing(&phrase) {
                    Spaced::Closing
                } else {
                    Spaced::Inner
                });
            }
            pos = start;
        }
        None
    }

    /// The first part of an abbreviation written with a space: "Ph." before "D.".
    fn multi_ahead(&self, tok: &str, next: &Following<'_>) -> bool {
        if !next.dotted || self.p.multi.is_empty() || tok.len() > 8 || next.word.len() > 8 {
            return false;
        }
        let mut words = String::with_capacity(tok.len() + next.word.len() + 2);
        words.push_str(tok);
        words.push_str(". ");
        words.push_str(next.word);
        self.p
            .multi
            .iter()
            .any(|m| m.len() >= words.len() && with_lowercase(&words, |w| m.starts_with(w)))
    }

    /// A line break at `i` (and whitespace up to `e`): returns where the scan resumes.
    fn newline(&mut self, i: usize) -> usize {
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
    fn line_break(&mut self, i: usize, e: usize) {
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
    fn wrapped(&mut self) -> bool {
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
    fn wrap_width(&self) -> usize {
        self.wrap.map_or(0, |(_, _, max)| max)
    }

    /// A `:` or `;` at `j`: a smiley after a space ends a segment; under profile flags
    /// `;` before a capitalised starter and `:` before an opening quote end a sentence.
    fn colon(&mut self, j: usize) -> usize {
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
    fn url_before_url(&self, j: usize) -> Option<usize> {
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

    /// A run of three or more `*`, `=`, `_` or `~` standing alone is a separator: a segment
    /// of its own.
    fn rule_run(&mut self, j: usize) -> usize {
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
    fn bullet(&mut self, i: usize) {
        if self.seg_first < i && self.char_before(i).is_some_and(char::is_whitespace) {
            self.close(i);
        }
    }
}

/// The first byte at or after `i` that may matter (or `b.len()`): eight bytes at a time
/// while none of them does.
#[inline]
fn next_candidate(b: &[u8], mut i: usize) -> usize {
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
    i
}

/// The span of a date-and-time stamp whose time's first `:` is at `j`: a date in any
/// common order and separator (`31/12/1999`, `12/31/99`, `31.12.1999`, `1999-12-31`,
/// `1999/12/31`), a space or `T`, and a time `h:mm` or `hh:mm`, with optional seconds and
/// `AM`/`PM` (either case, with or without a space).
fn timestamp_around(b: &[u8], j: usize) -> Option<(usize, usize)> {
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
const EMOTICONS: &[&str] = &[
    ":-)", ":)", ":-(", ":(", ":-P", ":P", ":p", ":-D", ":D", ";-)", ";)", ":'(", ":/", ":-/",
    ":o", ":O",
];

/// The length of the smiley at the start of `s` when one stands there as a word.
fn emoticon(s: &str) -> Option<usize> {
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
fn emoticon_after_space(s: &str) -> Option<usize> {
    let spaces = s.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    if spaces == 0 || !matches!(s.as_bytes().get(spaces), Some(b':' | b';')) {
        return None;
    }
    emoticon(&s[spaces..]).map(|len| spaces + len)
}

/// An ASCII byte that `char::is_whitespace` accepts (including the vertical tab, which
/// `u8::is_ascii_whitespace` leaves out).
#[inline]
fn is_ws_byte(x: u8) -> bool {
    x.is_ascii_whitespace() || x == 0x0b
}

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A Greek word that ends in a consonant other than `ς` and `ν`: no native word does, so
/// it is cut short (`αριθ`, `κεφ`, `Δρ`). `ξ`, `ψ` and, past three letters, `ρ` end a few
/// loanwords and interjections (`ρεκόρ`), so they do not count.
fn is_greek_abbreviation(tok: &str) -> bool {
    // Greek letters are two bytes, led by 0xCE or 0xCF.
    if tok.len() < 2 || !matches!(tok.as_bytes()[tok.len() - 2], 0xCE | 0xCF) {
        return false;
    }
    let Some(last) = tok.chars().next_back() else {
        return false;
    };
    let greek = tok.chars().all(|c| matches!(c, 'Ά'..='ώ'));
    greek
        && (matches!(
            last,
            'β' | 'γ' | 'δ' | 'ζ' | 'θ' | 'κ' | 'λ' | 'μ' | 'π' | 'τ' | 'φ' | 'χ' | 'σ'
        ) || (last == 'ρ' && tok.chars().count() <= 3))
}

fn is_greek(c: char) -> bool {
    matches!(c, 'Ά'..='ώ' | '\u{1f00}'..='\u{1fff}')
}

/// A word that can number a list item: one or two digits, one letter, a small roman numeral.
fn is_list_marker(tok: &str) -> bool {
    let n = tok.len();
    (1..=2).contains(&n) && tok.bytes().all(|d| d.is_ascii_digit())
        || (n == 1 && tok.bytes().all(|c| c.is_ascii_alphabetic()))
        || matches!(
            tok,
            "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix" | "x"
        )
}

/// An abbreviation written with inner full stops: "U.S", "e.g", "Ph.D", "J.-C", "a.m".
/// Every part is at most three letters and one is a single letter.
fn is_dotted(tok: &str) -> bool {
    if !tok.contains('.') {
        return false;
    }
    let mut has_single = false;
    for part in tok.split('.') {
        let part = part.trim_start_matches('-');
        let count = part.chars().count();
        if count == 0 || count > 3 || !part.chars().all(char::is_alphabetic) {
            return false;
        }
        has_single |= count == 1;
    }
    has_single
}

/// A line that opens with a list marker: a bullet, `-`, `*`, `1.`, `2)`, `a)`, `(b)`, `iv.`.
fn starts_with_list_marker(line: &str) -> bool {
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
