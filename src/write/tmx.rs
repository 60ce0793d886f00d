//! TMX 1.4b. (Placeholder: to be written.)

use std::io::{self, Write};

use super::WriteOptions;
use crate::align::Alignment;
use crate::doc::Document;

/// Writes the selected pairs of `alignment` as TMX 1.4b; returns how many characters
/// that XML 1.0 forbids were dropped.
pub fn write<W: Write>(
    _out: &mut W,
    _src: &Document,
    _tgt: &Document,
    _alignment: &Alignment,
    _options: &WriteOptions,
) -> io::Result<usize> {
    Err(io::Error::other("TMX output is not implemented yet"))
}
