//! Moses line-aligned files. (Placeholder: to be written.)

use std::path::Path;

use super::WriteOptions;
use crate::align::Alignment;
use crate::doc::Document;

/// Writes `PREFIX.<src lang>`, `PREFIX.<tgt lang>` and `PREFIX.scores`.
pub fn write(
    _prefix: &Path,
    _src: &Document,
    _tgt: &Document,
    _alignment: &Alignment,
    _options: &WriteOptions,
) -> crate::Result<()> {
    Err(crate::Error::Config(
        "Moses output is not implemented yet".into(),
    ))
}
