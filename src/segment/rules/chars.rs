//! Character classes: terminals, closers and openers, bullets, scripts without
//! spaces.

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
            | '｡'
            | '؟'
            | '।'
            | '॥'
            | '\u{37e}'
    )
}

/// Terminals of scripts written without spaces: they end a sentence with no space after.
/// `｡` is the half-width form of `。`, which half-width katakana text uses.
pub(super) fn is_cjk_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '．' | '｡')
}

/// Letters of scripts written without spaces between words or sentences: Han, kana.
pub(super) fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
            | 0xFF66..=0xFF9F)
}

/// A letter of the commonest blocks of scripts without case (Hangul syllables, CJK unified
/// ideographs, hiragana and katakana): alphabetic, alphanumeric, neither lowercase nor
/// uppercase, its own lowercase. Asked first, it spares these characters the Unicode table
/// lookups that made Korean text the slowest the generic profile reads.
#[inline]
pub(crate) fn is_caseless_letter(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}')
}

/// A character that is a whole syllable or word: a Hangul syllable, a Han character, a kana.
/// Alone before a full stop it is a word of one syllable, never an initial or a unit.
pub(crate) fn is_syllabic(c: char) -> bool {
    is_unspaced(c) || ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The opening quote or bracket of a closing one, as scripts without spaces pair them.
pub(super) fn matching_opener(c: char) -> Option<char> {
    Some(match c {
        '”' => '“',
        '’' => '‘',
        '」' => '「',
        '』' => '『',
        '｣' => '｢',
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

pub(super) fn is_quote_opener(c: char) -> bool {
    matches!(c, '“' | '‘' | '「' | '『' | '｢' | '"' | '\'')
}

pub(super) fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '‣' | '⁃' | '◦' | '▪' | '●' | '■' | '►' | '▸' | '➢')
}

/// Characters that close a sentence when they follow its terminal punctuation directly.
/// Opening-looking quotes are included: German closes with “ and ‘, and « in »…« style.
pub(super) fn is_closer(c: char) -> bool {
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
            | '｣'
            | '“'
            | '‘'
            | '«'
            | '）'
    )
}

/// Characters that may open a sentence before its first word.
pub(super) fn is_opener(c: char) -> bool {
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
            | '｢'
            | '（'
            | '《'
            | '〈'
            | '【'
            | '〔'
            | '［'
    ) || is_bullet(c)
}

/// An ASCII byte that `char::is_whitespace` accepts (including the vertical tab, which
/// `u8::is_ascii_whitespace` leaves out).
#[inline]
pub(super) fn is_ws_byte(x: u8) -> bool {
    x.is_ascii_whitespace() || x == 0x0b
}

/// The largest char boundary of `s` at or below `i`.
pub(super) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caseless_letters_are_what_the_unicode_tables_say() {
        for c in ('\u{3000}'..='\u{D7FF}').filter(|&c| is_caseless_letter(c)) {
            assert!(c.is_alphabetic() && c.is_alphanumeric(), "{c:?}");
            assert!(
                !c.is_lowercase() && !c.is_uppercase() && !c.is_numeric(),
                "{c:?}"
            );
            assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c:?}");
        }
        assert!(is_caseless_letter('한') && is_caseless_letter('語') && is_caseless_letter('カ'));
        assert!(!is_caseless_letter('a') && !is_caseless_letter('。'));
    }
}
