//! SubRip subtitles (`.srt`): one paragraph per cue.
//!
//! A cue is an optional number, a timing line (`00:01:02,500 --> 00:01:05,000`, with `,`
//! or `.` before the milliseconds, and display coordinates after it, which are ignored)
//! and its text lines, up to a blank line. The numbers and timings are dropped; the text
//! lines of a cue are joined by a space (a subtitle's line breaks are layout, not
//! sentence ends), with the formatting tags players honour (`<i>`, `<b>`, `<u>`,
//! `<font ...>`) and `{\an8}`-style overrides removed. A block that has no valid timing
//! line where one must be is an error naming its line.

use std::path::Path;

use super::Paragraphs;
use crate::error::{Error, Result};

/// The text of the subtitles `text`, read from `path`.
pub(super) fn extract(text: &str, path: &Path) -> Result<String> {
    let mut out = Paragraphs::default();
    let mut lines = text.lines().enumerate().peekable();
    loop {
        // Blank lines between cues.
        while lines.next_if(|(_, l)| l.trim().is_empty()).is_some() {}
        let Some((i, first)) = lines.next() else {
            break;
        };
        let first = first.trim();
        let (timing_line, timing) = if first.bytes().all(|b| b.is_ascii_digit()) {
            match lines.next() {
                Some((j, l)) => (j, l.trim()),
                None => (i + 1, ""),
            }
        } else {
            (i, first)
        };
        if !is_timing(timing) {
            let message = if timing.is_empty() {
                "a cue has no timing line (expected `00:00:01,000 --> 00:00:04,000`)".to_owned()
            } else {
                format!(
                    "malformed subtitle timing line `{timing}` (expected `00:00:01,000 --> 00:00:04,000`)"
                )
            };
            return Err(Error::parse(path, timing_line + 1, message));
        }
        let mut cue = String::new();
        while let Some((_, line)) = lines.next_if(|(_, l)| !l.trim().is_empty()) {
            let line = strip_tags(line);
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if !cue.is_empty() {
                cue.push(' ');
            }
            cue.push_str(line);
        }
        out.push_unit(&cue);
    }
    Ok(out.finish())
}

/// True for `START --> END` where each is `H:MM:SS,mmm` (any number of hour digits,
/// `,` or `.`, one to three digits of milliseconds), with anything after END.
fn is_timing(line: &str) -> bool {
    let Some((start, rest)) = line.split_once("-->") else {
        return false;
    };
    let end = rest.split_whitespace().next().unwrap_or("");
    is_timestamp(start.trim()) && is_timestamp(end)
}

fn is_timestamp(s: &str) -> bool {
    let Some((clock, millis)) = s.split_once([',', '.']) else {
        return false;
    };
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = clock.split(':').collect();
    matches!(parts.as_slice(), [h, m, sec] if digits(h, 1, 4) && digits(m, 2, 2) && digits(sec, 2, 2)
        && m.parse::<u8>().is_ok_and(|m| m < 60) && sec.parse::<u8>().is_ok_and(|s| s < 60))
        && digits(millis, 1, 3)
}

/// `line` without `<i>`-style tags and `{\...}` overrides; a `<` that does not open a
/// tag (`a < b`) is kept.
fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['<', '{']) {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (is_markup, close) = if rest[i..].starts_with('<') {
            let name = after.strip_prefix('/').unwrap_or(after);
            (name.starts_with(|c: char| c.is_ascii_alphabetic()), '>')
        } else {
            (after.starts_with('\\'), '}')
        };
        match after.find(close) {
            Some(j) if is_markup => rest = &after[j + 1..],
            _ => {
                out.push_str(&rest[i..i + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_become_paragraphs() {
        let srt = "\u{feff}1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>Good morning,</i>\r\neveryone.\r\n\r\n\
                   2\n00:00:04.000 --> 00:00:06,000 X1:10 X2:20\n{\\an8}Is 3 < 4? <font color=\"red\">Yes</font>.\n\n\n\
                   00:00:07,000 --> 00:00:08,000\n\n";
        assert_eq!(
            extract(srt.trim_start_matches('\u{feff}'), Path::new("a.srt")).unwrap(),
            "Good morning, everyone.\n\nIs 3 < 4? Yes.\n"
        );
    }

    #[test]
    fn bad_timing_names_the_line() {
        let srt = "1\n00:00:01,000 --> 00:00:03,000\nHello.\n\n2\n00:00:04 --> 00:00:05\nBye.\n";
        let err = extract(srt, Path::new("a.srt")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.srt:6: malformed subtitle timing line `00:00:04 --> 00:00:05` (expected `00:00:01,000 --> 00:00:04,000`)"
        );
        assert!(err.is_input_error());
        let err = extract("1\n", Path::new("b.srt")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "b.srt:2: a cue has no timing line (expected `00:00:01,000 --> 00:00:04,000`)"
        );
        let err = extract("Just some text.\n", Path::new("c.srt")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.srt:1: malformed subtitle timing line")
        );
        assert!(is_timing("0:00:01,5 --> 0:00:02,000"));
        assert!(!is_timing("00:61:01,000 --> 00:00:02,000"));
    }

    #[test]
    fn tags_are_stripped_but_not_comparisons() {
        assert_eq!(strip_tags("<b>a</b> < b {x} {\\i1}c"), "a < b {x} c");
        assert_eq!(strip_tags("<i>unclosed"), "unclosed");
        assert_eq!(strip_tags("x <"), "x <");
    }
}
