//! Plain TSV in the Moses/OPUS manner.
//!
//! `source<TAB>target<TAB>confidence` per line, UTF-8, no quoting. A side made of
//! several sentences joins them with one space; tabs, line breaks and the other
//! characters that line readers split on (VT, FF, FS, GS, RS, NEL, LS, PS: Python's
//! `str.splitlines` splits on all of them) become spaces inside a sentence, so one line
//! is one pair for every tool. The confidence has three decimals. With `header`, a first
//! line names the columns by language code: `en<TAB>fr<TAB>confidence`. The writer
//! returns how many such characters it replaced, so the caller can say so.

use std::io::{self, Write};

use super::WriteOptions;
use crate::align::Alignment;
use crate::doc::Document;

/// Writes the selected beads of `alignment` as TSV; returns the number of tabs, line
/// breaks and other line separators inside sentences that became spaces.
pub fn write<W: Write>(
    out: &mut W,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
) -> io::Result<usize> {
    let mut replaced = 0;
    if options.header {
        writeln!(out, "{}\t{}\tconfidence", src.lang, tgt.lang)?;
    }
    for bead in options.selected(alignment) {
        replaced += separators(src, &bead.src) + separators(tgt, &bead.tgt);
        writeln!(
            out,
            "{}\t{}\t{:.3}",
            super::one_line(&src.joined(bead.src.clone())),
            super::one_line(&tgt.joined(bead.tgt.clone())),
            bead.confidence
        )?;
    }
    Ok(replaced)
}

/// Tabs, line breaks and other line separators inside the sentences of `range`.
fn separators(doc: &Document, range: &std::ops::Range<usize>) -> usize {
    range
        .clone()
        .map(|i| {
            doc.sentence(i)
                .chars()
                .filter(|&c| super::is_separator(c))
                .count()
        })
        .sum()
}
