//! vecalign's bead format: `[i,j]:[k]:confidence`, one bead per line.
//!
//! Indices are 0-based sentence indices; `[]` marks an empty side. Every sentence of
//! both sides stands in exactly one bead. vecalign's scorer and `bitext eval` read it
//! (the confidence field is optional for them).

use std::io::{self, Write};

use crate::align::Alignment;

/// Writes every bead of `alignment`.
pub fn write<W: Write>(out: &mut W, alignment: &Alignment) -> io::Result<()> {
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
