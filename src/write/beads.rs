//! vecalign's bead format: `[i,j]:[k]:confidence`, one bead per line.
//!
//! Indices are 0-based sentence indices; `[]` marks an empty side. Every sentence of
//! both sides stands in exactly one bead. vecalign's scorer and `bitext eval` read it
//! (the confidence field is optional for them).

use std::io::{self, Write};

use super::{Output, Writer, Written};
use crate::align::Alignment;
use crate::doc::Document;
use crate::error::Result;

/// The beads [`Writer`]: every bead, whatever the options.
pub(super) struct BeadsWriter<'a> {
    out: Output<'a>,
}

impl<'a> BeadsWriter<'a> {
    pub(super) fn new(out: Output<'a>) -> Self {
        BeadsWriter { out }
    }
}

impl Writer for BeadsWriter<'_> {
    fn write(&mut self, _: &Document, _: &Document, alignment: &Alignment) -> crate::Result<()> {
        self.out.with(|out| write(out, alignment))
    }

    fn finish(self: Box<Self>) -> Result<Written> {
        self.out.finish()?;
        Ok(Written::default())
    }
}

/// Writes every bead of `alignment`.
fn write<W: Write + ?Sized>(out: &mut W, alignment: &Alignment) -> io::Result<()> {
    for bead in &alignment.beads {
        writeln!(
            out,
            "{}:{}:{:.4}",
            format_side(bead.src.clone()),
            format_side(bead.tgt.clone()),
            bead.confidence
        )?;
    }
    Ok(())
}

/// `[0,1]` for the indices of `range`, `[]` when it is empty.
pub fn format_side(range: std::ops::Range<usize>) -> String {
    let items: Vec<String> = range.map(|i| i.to_string()).collect();
    format!("[{}]", items.join(","))
}
