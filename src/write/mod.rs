//! Output formats, one module per format; each documents its wire format at the top.
//!
//! Every writer takes the two documents, their [`Alignment`] and [`WriteOptions`],
//! and writes to any `std::io::Write`.

pub mod beads;
pub mod jsonl;
pub mod moses;
pub mod report;
pub mod tmx;
pub mod tsv;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::align::{Alignment, Bead};

/// Options shared by the writers.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Pairs below this confidence are left out (tsv, jsonl, tmx, moses; beads keep all).
    pub min_confidence: f64,
    /// Also write beads with an empty side (tsv, jsonl).
    pub include_unaligned: bool,
    /// Write a header line naming the columns (tsv).
    pub header: bool,
}

impl WriteOptions {
    /// The beads a filtered format writes: pairs at or above the threshold, and
    /// beads with an empty side when asked for.
    pub fn selected<'a>(&'a self, alignment: &'a Alignment) -> impl Iterator<Item = &'a Bead> {
        alignment.beads.iter().filter(move |b| {
            if b.is_pair() {
                b.confidence >= self.min_confidence
            } else {
                self.include_unaligned
            }
        })
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `source<TAB>target<TAB>confidence`.
    Tsv,
    /// vecalign's `[i,j]:[k]:confidence`.
    Beads,
    /// One JSON object per bead.
    Jsonl,
    /// TMX 1.4b.
    Tmx,
    /// Line-aligned Moses files.
    Moses,
}

impl Format {
    /// The file extension used for outputs in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Tsv => "tsv",
            Format::Beads => "beads",
            Format::Jsonl => "jsonl",
            Format::Tmx => "tmx",
            Format::Moses => "moses",
        }
    }
}

/// `dir/.name.<pid>-<n>.tmp` for `dir/name`: unique to this process and, by the counter
/// `n`, to each file it writes, so that no two writers ever share a temporary file.
pub fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}-{n}.tmp", std::process::id()))
}

/// True for the characters that some line reader takes for the end of a line or a field
/// separator: tab, LF, CR, and VT, FF, FS, GS, RS, NEL, LS, PS (Python's `str.splitlines`
/// splits on all of them). One-line formats (TSV, Moses) write a space instead.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\r'
            | '\u{0B}'
            | '\u{0C}'
            | '\u{1C}'
            | '\u{1D}'
            | '\u{1E}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `text` with every [`is_separator`] character replaced by a space.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if is_separator(c) { ' ' } else { c })
        .collect()
}
