//! Terminal punctuation: whether a full stop, `!`, `?` or an ellipsis ends a sentence
//! (abbreviations, initials, numbers, closing quotes, scripts without spaces).

use super::*;

impl<'a> Engine<'a> {
    /// A candidate terminal at `i`: decides whether a sentence ends after it (and the closing
    /// quotes and brackets that follow), and returns where the scan resumes.
    pub(super) fn terminal(&mut self, i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        // Most candidates are a single full stop, a space or a line break, and a letter, a
        // digit, a dash or another byte that starts no closer, smiley or spaced ellipsis
        // ([`plain_after_stop`]): none of those can follow, so the full stop goes to its
        // decision without the character-by-character reads below.
        if b[i] == b'.'
            && matches!(b.get(i + 1), Some(b' ' | b'\n'))
            && b.get(i + 2).is_some_and(|&x| plain_after_stop(x))
        {
            let k = i + 1;
            let next = self.following(k);
            if next.word.is_empty() && next.class == Next::Other && self.skip_ws(k) >= n {
                return k;
            }
            if self.period_ends(i, k, k, &next) {
                self.close(k);
            }
            return k;
        }
        self.terminal_run(i)
    }

    /// [`Self::terminal`] for any candidate: reads the run of terminals and what closes it.
    pub(super) fn terminal_run(&mut self, i: usize) -> usize {
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
    pub(super) fn closers(&self, i: usize, mut k: usize) -> usize {
        let text = self.text;
        let b = self.b;
        for _ in 0..16 {
            // A smiley after the terminal belongs to the sentence, after a space or glued to
            // it as chat writes it: "See you soon. :)", "See you soon.:)".
            if let Some(len) = emoticon(&text[k..])
                .or_else(|| emoticon_after_space(&text[k..]))
                .or_else(|| emote_after_space(&text[k..]))
            {
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
    pub(super) fn cjk_closers(&self, mut k: usize) -> usize {
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
    pub(super) fn cjk_ends(&self, i: usize, j: usize, k: usize) -> bool {
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
    pub(super) fn recent(&self, i: usize) -> usize {
        let mut from = i.saturating_sub(400).max(self.para_start).min(i);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        from
    }

    /// True when a `(` before `i` in the paragraph is still open.
    pub(super) fn open_parens(&self, i: usize) -> bool {
        let mut depth = 0i32;
        let window = &self.b[self.recent(i)..i];
        // Most windows hold no bracket: the search skips them without a look at each byte.
        for at in memchr::memchr2_iter(b'(', b')', window) {
            match window[at] {
                b'(' => depth += 1,
                b')' => depth = (depth - 1).max(0),
                _ => {}
            }
        }
        depth > 0
    }

    pub(super) fn ellipsis_ends(
        &self,
        i: usize,
        total: usize,
        spaced: usize,
        next: &Following<'_>,
    ) -> bool {
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
    pub(super) fn period_ends(&self, i: usize, j: usize, k: usize, next: &Following<'_>) -> bool {
        let (raw_start, tok) = self.token_before(i);
        if self.is_first_token(raw_start) && is_list_marker(tok) {
            return false;
        }
        if k > j || tok.is_empty() {
            return next.class != Next::Lower;
        }
        let shape = ShapeKey::of(tok);
        if self.p.is_title_shaped(tok, &shape) {
            return false;
        }
        let spaced = self.multi_abbreviation(raw_start, tok);
        if spaced == Some(Spaced::Inner) || self.multi_ahead(tok, next) {
            return false;
        }
        // "и т. д." closes its sentence like "etc.", though its last part is a single letter.
        let spaced_closing = spaced == Some(Spaced::Closing);
        let one = {
            let mut cs = tok.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        };
        // A Hangul syllable or a Han character alone is a word of one syllable (Korean
        // `집`, `것`), which ends its sentence like any word: only the letters of an
        // alphabet stand for a name or a unit.
        let syllabic = one.is_some_and(is_syllabic);
        let single = one.is_some_and(char::is_alphabetic) && !syllabic;
        // A letter after a number is a unit or an abbreviation ("in 1979 r.", "5 m."), not
        // an initial: before a capital it ends the sentence like a word.
        let single = single && !self.after_number(raw_start);
        let unit_letter = !single && !syllabic && one.is_some() && next.class != Next::Upper;
        let abbr = spaced_closing
            || single
            || unit_letter
            || self.is_abbreviation(tok, &shape, raw_start)
            || is_dotted(tok);
        match next.class {
            // Informal text starts sentences in lowercase; after an ordinary word a full
            // stop still ends the sentence. After a number or a date written with dots it is
            // an ordinal's dot ("2010. godine", "4.5. on", "15. marca"), and a short word
            // right after a number is a unit or an abbreviation ("13 mia. kroner", "40 pct.
            // af"): the lowercase word goes on with the sentence.
            Next::Lower => {
                !(abbr || is_numeral(tok) || (self.after_number(raw_start) && is_short_word(tok)))
            }
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
    pub(super) fn orthographic(&self, tok: &str) -> bool {
        !self.p.is_abbreviation(tok)
    }

    /// True when `word` (capitalised after an abbreviation) is also written in lowercase
    /// near `i`: an ordinary word, so the capital marks a new sentence, as in Punkt's
    /// orthographic heuristic. Names are never written in lowercase. The search reads a
    /// bounded window, so its cost does not grow with the document.
    pub(super) fn seen_lowercase(&self, word: &str, i: usize) -> bool {
        if word.chars().count() < 2 || word.chars().skip(1).any(char::is_uppercase) {
            return false;
        }
        let lower = word.to_lowercase();
        let b = self.b;
        let from = i.saturating_sub(LOWERCASE_WINDOW);
        let to = (i + LOWERCASE_WINDOW).min(b.len());
        find_whole_word(b, lower.as_bytes(), from, to, self.avx2)
    }

    /// True when a number and a space come right before `raw_start`.
    pub(super) fn after_number(&self, raw_start: usize) -> bool {
        let b = self.b;
        raw_start >= 2 && b[raw_start - 1] == b' ' && b[raw_start - 2].is_ascii_digit()
    }

    /// True when `tok` (starting at `raw_start`) before a full stop is an abbreviation:
    /// listed in the profile, learned from the text, written without a vowel (`np`, `Str`,
    /// `kpt`; but not a unit after a number, `900 MHz.`), or a compound whose last part is
    /// one of those (`Zimmermann-Str`).
    pub(super) fn is_abbreviation(&self, tok: &str, shape: &ShapeKey, raw_start: usize) -> bool {
        let known = |w: &str, shape: &ShapeKey| {
            self.p.is_abbreviation_shaped(w, shape)
                || (is_vowelless(w)
                    && !self.after_number(raw_start)
                    && !self.learned.is_word(w, shape))
                || is_greek_abbreviation(w)
                || self.learned.is_abbreviation(w, shape)
        };
        known(tok, shape)
            || tok.bytes().rposition(|x| x == b'-').is_some_and(|at| {
                let tail = &tok[at + 1..];
                !tail.is_empty() && known(tail, &ShapeKey::of(tail))
            })
    }

    /// Decides `!` and `?` before a lowercase word: "is it open? any idea?" ends
    /// there, "Yahoo! in", a quotation closed before "she said" and a line of dialogue
    /// before its dash and "спросил он" do not.
    pub(super) fn exclaim_ends(&self, i: usize, j: usize, k: usize, next: &Following<'_>) -> bool {
        if next.class != Next::Lower {
            return true;
        }
        if k > j || next.dash || self.dialogue_line(i) {
            return false;
        }
        if self.text[i..j].contains(['?', '？', '⁇', '⁈', '⁉', '؟']) {
            return true;
        }
        let (_, tok) = self.token_before(i);
        !tok.starts_with(char::is_uppercase)
    }

    /// True when the sentence ending at `i` is a line of dialogue opened by a dash ("- Ready?
    /// he asked", "— Prêt ? demanda-t-il"): the words in lowercase after its `?` or `!` are
    /// the speech tag, which dash-quoted dialogue writes without a second dash as often as
    /// with one.
    fn dialogue_line(&self, i: usize) -> bool {
        let Some(line) = self.text.get(self.seg_first..i) else {
            return false;
        };
        let rest = line
            .strip_prefix('-')
            .or_else(|| line.strip_prefix('–'))
            .or_else(|| line.strip_prefix('—'));
        // A hyphen opens dialogue only when a space follows it ("-word" is not speech); the
        // typographic dashes open it glued to the first word too ("—¿Vienes?").
        rest.is_some_and(|r| r.starts_with(' ') || !line.starts_with('-'))
    }

    /// Abbreviations written with spaces ("z. B.", "p. ex.", "т. д."): `tok` is the last
    /// part. `None` when `tok` ends none.
    pub(super) fn multi_abbreviation(&self, raw_start: usize, tok: &str) -> Option<Spaced> {
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
    pub(super) fn multi_ahead(&self, tok: &str, next: &Following<'_>) -> bool {
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
}

/// The length of " *grin*" (spaces and an action between asterisks, one word in lowercase
/// as chat and blogs write it) at the start of `s`, on one line. Like a smiley it comments on
/// the sentence before it; emphasis opening the next sentence is capitalised (`*Note*`).
fn emote_after_space(s: &str) -> Option<usize> {
    let spaces = s.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    let rest = s[spaces..].strip_prefix('*')?;
    let word = rest.find('*')?;
    let inner = &rest[..word];
    let after = &rest[word + 1..];
    (spaces > 0
        && (1..=24).contains(&inner.len())
        && inner.chars().all(char::is_lowercase)
        && after.chars().next().is_none_or(char::is_whitespace))
    .then_some(spaces + 1 + word + 1)
}

/// A number, or a date written with dots ("2010", "4.5", "24.12.2010"), before a full stop.
fn is_numeral(tok: &str) -> bool {
    tok.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && tok.bytes().all(|d| d.is_ascii_digit() || d == b'.')
}

/// A word of one to three letters: after a number, a unit or an abbreviation ("kr", "mia").
fn is_short_word(tok: &str) -> bool {
    let mut n = 0;
    for c in tok.chars() {
        n += 1;
        if n > 3 || !c.is_alphabetic() {
            return false;
        }
    }
    n > 0
}

/// True when `x`, two bytes after a full stop and a space or a line break, starts nothing
/// that [`Engine::terminal`] reads before the decision: not a full stop (a spaced ellipsis),
/// a quote or bracket that closes after a space (`"`, `)`, `''`), a smiley's `:` or `;`,
/// an action's `*` (`*grin*`),
/// more whitespace, or the lead byte 0xC2 of `»` and the no-break space.
#[inline]
fn plain_after_stop(x: u8) -> bool {
    if x >= 0x80 {
        x != 0xC2
    } else {
        !is_ws_byte(x) && !matches!(x, b'.' | b'"' | b')' | b'\'' | b':' | b';' | b'*')
    }
}

/// True when `needle` occurs in `b[from..to]` with an ASCII byte that is not a letter or digit
/// before it (inside the window) and after it (or the window's end): the search of the
/// lowercase test.
pub(super) fn find_whole_word(b: &[u8], needle: &[u8], from: usize, to: usize, avx2: bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    if avx2 && let Some(pair) = memchr::arch::all::packedpair::Pair::new(needle) {
        // SAFETY: the caller found AVX2 on the processor.
        return unsafe { find_whole_word_avx2(b, needle, from, to, pair) };
    }
    let _ = avx2;
    find_whole_word_from(b, needle, from, from, to)
}

/// [`find_whole_word`] for the occurrences that start at `start` or later.
fn find_whole_word_from(b: &[u8], needle: &[u8], from: usize, start: usize, to: usize) -> bool {
    memchr::memmem::find_iter(&b[start..to], needle)
        .any(|at| whole_at(b, needle.len(), from, start + at, to))
}

/// True when the `len` bytes at `at` (inside `from..to`) have a byte that is neither an ASCII
/// letter or digit nor outside ASCII before them, at or after `from`, and after them, or
/// `to`.
#[inline]
fn whole_at(b: &[u8], len: usize, from: usize, at: usize, to: usize) -> bool {
    let free = |x: u8| !x.is_ascii_alphanumeric() && x < 0x80;
    at > from && free(b[at - 1]) && (at + len == to || free(b[at + len]))
}

/// [`find_whole_word`] 128 bytes at a time: the two bytes of the needle that memchr's
/// substring search would pick are compared at every offset of four 32-byte blocks, and
/// only the offsets where both match are read further. memchr's own search goes 32 bytes
/// at a time, and most searches are for a name, which is never found: the whole window
/// is read.
///
/// # Safety
/// The processor must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn find_whole_word_avx2(
    b: &[u8],
    needle: &[u8],
    from: usize,
    to: usize,
    pair: memchr::arch::all::packedpair::Pair,
) -> bool {
    use std::arch::x86_64::*;
    let (i1, i2) = (usize::from(pair.index1()), usize::from(pair.index2()));
    let b1 = _mm256_set1_epi8(needle[i1] as i8);
    let b2 = _mm256_set1_epi8(needle[i2] as i8);
    let reach = i1.max(i2);
    let mut at = from;
    // Two 64-byte halves per step: one test for the 128 bytes, a mask per half.
    while at + 128 + reach <= to {
        // SAFETY: `at + 128 + reach <= to <= b.len()`: the eight 32-byte loads, at offsets
        // of at most `reach + 96`, are inside `b`.
        let m = unsafe {
            let p = b.as_ptr().add(at);
            let block = |k: usize| {
                _mm256_and_si256(
                    _mm256_cmpeq_epi8(_mm256_loadu_si256(p.add(k + i1).cast()), b1),
                    _mm256_cmpeq_epi8(_mm256_loadu_si256(p.add(k + i2).cast()), b2),
                )
            };
            [block(0), block(32), block(64), block(96)]
        };
        let any = _mm256_or_si256(_mm256_or_si256(m[0], m[1]), _mm256_or_si256(m[2], m[3]));
        if _mm256_testz_si256(any, any) == 0 {
            let mask = |k: usize| {
                u64::from(_mm256_movemask_epi8(m[k]) as u32)
                    | u64::from(_mm256_movemask_epi8(m[k + 1]) as u32) << 32
            };
            let (low, high) = (mask(0), mask(2));
            if (low != 0 && whole_at_any(b, needle, from, to, at, low))
                || (high != 0 && whole_at_any(b, needle, from, to, at + 64, high))
            {
                return true;
            }
        }
        at += 128;
    }
    find_whole_word_from(b, needle, from, at, to)
}

/// True when `needle` is a whole word (as [`whole_at`] says) at `at` plus the offset of a
/// bit of `hits`. Out of line, so that the vector loop keeps its values in registers.
#[inline(never)]
fn whole_at_any(b: &[u8], needle: &[u8], from: usize, to: usize, at: usize, mut hits: u64) -> bool {
    let len = needle.len();
    while hits != 0 {
        let q = at + hits.trailing_zeros() as usize;
        hits &= hits - 1;
        if q + len <= to && whole_at(b, len, from, q, to) && &b[q..q + len] == needle {
            return true;
        }
    }
    false
}

/// A Greek word that ends in a consonant other than `ς` and `ν`: no native word does, so
/// it is cut short (`αριθ`, `κεφ`, `Δρ`). `ξ`, `ψ` and, past three letters, `ρ` end a few
/// loanwords and interjections (`ρεκόρ`), so they do not count.
pub(super) fn is_greek_abbreviation(tok: &str) -> bool {
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

pub(super) fn is_greek(c: char) -> bool {
    matches!(c, 'Ά'..='ώ' | '\u{1f00}'..='\u{1fff}')
}

/// An abbreviation written with inner full stops: "U.S", "e.g", "Ph.D", "J.-C", "a.m".
/// Every part is at most three letters and one is a single letter.
#[inline(always)]
#[allow(clippy::manual_contains)] // a few bytes: an inline loop, not a call
pub(super) fn is_dotted(tok: &str) -> bool {
    // A full stop at either end leaves an empty part: most words before a full stop have
    // no inner one, and the test inlines at the call.
    let b = tok.as_bytes();
    b.len() >= 3 && b[1..b.len() - 1].iter().any(|&x| x == b'.') && dotted_parts(tok)
}

/// [`is_dotted`] for a word with an inner full stop.
pub(super) fn dotted_parts(tok: &str) -> bool {
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
