//! Self-contained HTML review report. (Placeholder: to be written.)

use std::io::{self, Write};

use crate::align::Alignment;
use crate::doc::Document;

/// Writes the HTML report. `similarity` holds `(source index, target index, strength in [0, 1])`
/// points of evidence to draw under the alignment path.
pub fn write<W: Write>(
    _out: &mut W,
    _src: &Document,
    _tgt: &Document,
    _alignment: &Alignment,
    _similarity: &[(usize, usize, f32)],
) -> io::Result<()> {
    Err(io::Error::other("the HTML report is not implemented yet"))
}
