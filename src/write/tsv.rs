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

use super::{Output, WriteOptions, Writer, Written};
use crate::align::Alignment;
use crate::doc::Document;
use crate::error::Result;

/// The TSV [`Writer`]; the header, when asked for, names the first pair's languages.
pub(super) struct TsvWriter<'a> {
    out: Output<'a>,
    options: WriteOptions,
    header_written: bool,
    replaced: usize,
}

impl<'a> TsvWriter<'a> {
    pub(super) fn new(out: Output<'a>, options: WriteOptions) -> Self {
        TsvWriter {
            out,
            options,
            header_written: false,
            replaced: 0,
        }
    }
}

impl Writer for TsvWriter<'_> {
    fn write(&mut self, src: &Document, tgt: &Document, alignment: &Alignment) -> Result<()> {
        let options = WriteOptions {
            header: self.options.header && !self.header_written,
            ..self.options.clone()
        };
        self.header_written = true;
        self.replaced += self
            .out
            .with(|out| write(out, src, tgt, alignment, &options))?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Written> {
        let replaced = self.replaced;
        self.out.finish()?;
        Ok(Written {
            replaced_separators: replaced,
            ..Written::default()
        })
    }
}

/// Writes the selected beads of `alignment` as TSV; returns the number of tabs, line
/// breaks and other line separators inside sentences that became spaces.
fn write<W: Write + ?Sized>(
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
