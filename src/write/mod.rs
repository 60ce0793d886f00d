//! Output formats behind one interface: pick a [`Format`], open its [`Writer`] on a
//! [`Sink`], then [`Writer::write`] each document pair and [`Writer::finish`].
//!
//! Each format is one module that documents its wire format at the top: TSV
//! (`source<TAB>target<TAB>confidence`), vecalign's beads, JSON Lines, TMX 1.4b and
//! Moses line-aligned files. The one-stream formats write to any `std::io::Write`, or to
//! a file written through a temporary name and renamed into place by `finish`, so that
//! an interrupted run leaves the whole file or none; Moses writes three files named after
//! a prefix and the languages, and needs a path. [`report`] is the HTML review page.
//!
//! ```
//! use bitext::write::{Format, Sink, WriteOptions};
//! use bitext::{Aligner, Document};
//!
//! let src = Document::presegmented("One.\nTwo.".into(), "en");
//! let tgt = Document::presegmented("Un.\nDeux.".into(), "fr");
//! let alignment = Aligner::default().align(&src, &tgt);
//! let mut out = Vec::new();
//! let mut writer = Format::Beads.writer(Sink::stream(&mut out), WriteOptions::default())?;
//! writer.write(&src, &tgt, &alignment)?;
//! writer.finish()?;
//! assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
//! # Ok::<(), bitext::Error>(())
//! ```

mod beads;
mod jsonl;
mod moses;
pub mod report;
pub mod tmx;
mod tsv;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::align::{Alignment, Bead};
use crate::doc::Document;
use crate::error::{Error, Result};

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
#[non_exhaustive]
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
    /// Opens this format's writer on `sink`. The one place where a format is chosen: a
    /// new format is a module with a [`Writer`], one arm here and its extension.
    ///
    /// Moses needs [`Sink::Path`] (a prefix): on a stream it is a configuration error.
    pub fn writer<'a>(self, sink: Sink<'a>, options: WriteOptions) -> Result<Box<dyn Writer + 'a>> {
        Ok(match self {
            Format::Tsv => Box::new(tsv::TsvWriter::new(Output::open(sink)?, options)),
            Format::Beads => Box::new(beads::BeadsWriter::new(Output::open(sink)?)),
            Format::Jsonl => Box::new(jsonl::JsonlWriter::new(Output::open(sink)?, options)),
            Format::Tmx => Box::new(tmx::TmxWriter::new(Output::open(sink)?, options)),
            Format::Moses => match sink {
                Sink::Path(prefix) => Box::new(moses::MosesWriter::new(prefix, options)),
                Sink::Stream(_) => {
                    return Err(Error::Config(
                        "Moses output is three files: it needs a file prefix, not a stream".into(),
                    ));
                }
            },
        })
    }

    /// Writes the alignment of one document pair to a string, for a format that can write
    /// to a stream (Moses cannot: a configuration error).
    ///
    /// ```
    /// use bitext::write::{Format, WriteOptions};
    /// use bitext::{Aligner, Document};
    ///
    /// let src = Document::presegmented("One.\nTwo.".into(), "en");
    /// let tgt = Document::presegmented("Un.\nDeux.".into(), "fr");
    /// let alignment = Aligner::default().align(&src, &tgt);
    /// let text = Format::Jsonl.render(&src, &tgt, &alignment, WriteOptions::default())?;
    /// assert_eq!(text.lines().count(), 2);
    /// # Ok::<(), bitext::Error>(())
    /// ```
    pub fn render(
        self,
        src: &Document,
        tgt: &Document,
        alignment: &Alignment,
        options: WriteOptions,
    ) -> Result<String> {
        let mut out = Vec::new();
        let mut writer = self.writer(Sink::stream(&mut out), options)?;
        writer.write(src, tgt, alignment)?;
        writer.finish()?;
        // Every writer writes UTF-8: the documents are strings.
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// The file extension of outputs in this format (Moses: see [`Format::paths`]).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Tsv => "tsv",
            Format::Beads => "beads",
            Format::Jsonl => "jsonl",
            Format::Tmx => "tmx",
            Format::Moses => "moses",
        }
    }

    /// How many beads of `alignment` this format writes with `options`: every bead for
    /// beads, the selected pairs for TMX and Moses, the selected beads for TSV and JSON
    /// Lines. None means an empty output.
    pub fn count(self, alignment: &Alignment, options: &WriteOptions) -> usize {
        match self {
            Format::Beads => alignment.beads.len(),
            Format::Tmx | Format::Moses => {
                options.selected(alignment).filter(|b| b.is_pair()).count()
            }
            Format::Tsv | Format::Jsonl => options.selected(alignment).count(),
        }
    }

    /// True when the format writes several files named after a prefix, so that it
    /// cannot write to a stream.
    pub fn needs_path(self) -> bool {
        self == Format::Moses
    }

    /// Where the output named `id` goes in folder `dir`: `dir/<id>.<extension>`, or the
    /// prefix `dir/<id>` for a format that [needs a path](Format::needs_path).
    pub fn target(self, dir: &Path, id: &str) -> PathBuf {
        if self.needs_path() {
            dir.join(id)
        } else {
            dir.join(format!("{id}.{}", self.extension()))
        }
    }

    /// The files written at `target` (a file, or a prefix) for documents in `src_lang`
    /// and `tgt_lang`; the last one is renamed into place last, so that its presence
    /// marks a complete output.
    pub fn paths(self, target: &Path, src_lang: &str, tgt_lang: &str) -> Vec<PathBuf> {
        if self == Format::Moses {
            moses::paths(target, src_lang, tgt_lang).into()
        } else {
            vec![target.to_path_buf()]
        }
    }

    /// The file that marks a complete output at `target`: the last of [`Format::paths`],
    /// whose name does not depend on the languages.
    pub fn marker(self, target: &Path) -> PathBuf {
        if self == Format::Moses {
            moses::scores_path(target)
        } else {
            target.to_path_buf()
        }
    }

    /// True when the output named `id` may write a file called `name` into its folder.
    /// With `langs`, the languages of the two documents; without, any language could
    /// come out (for names that depend on them).
    #[doc(hidden)]
    pub fn may_write(self, id: &str, name: &str, langs: Option<(&str, &str)>) -> bool {
        if self == Format::Moses {
            moses::may_write(id, name, langs)
        } else {
            name.strip_prefix(id)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|ext| ext == self.extension())
        }
    }

    /// For two output names of which one could write a file of the other, the message
    /// that says so (Moses: `X` and `X.src` both write `X.src.<language>`).
    #[doc(hidden)]
    pub fn clash(self, ids: &std::collections::HashSet<&str>, id: &str) -> Option<String> {
        if self == Format::Moses {
            moses::clash(ids, id)
        } else {
            None
        }
    }
}

/// Where a [`Writer`] writes.
pub enum Sink<'a> {
    /// A stream: standard output, an open file, a buffer. Moses cannot write to one.
    Stream(Box<dyn Write + 'a>),
    /// A path: the file itself, written through a temporary name beside it and renamed
    /// into place by [`Writer::finish`]; for Moses, the prefix of its three files.
    Path(PathBuf),
}

impl<'a> Sink<'a> {
    /// A sink on any stream (buffer it: writers make many small writes).
    pub fn stream(out: impl Write + 'a) -> Sink<'a> {
        Sink::Stream(Box::new(out))
    }

    /// A sink on a file (or a Moses prefix).
    pub fn path(path: impl Into<PathBuf>) -> Sink<'static> {
        Sink::Path(path.into())
    }
}

impl std::fmt::Debug for Sink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sink::Stream(_) => f.write_str("Sink::Stream(..)"),
            Sink::Path(path) => f.debug_tuple("Sink::Path").field(path).finish(),
        }
    }
}

/// Writes alignments in one format; made by [`Format::writer`].
pub trait Writer {
    /// Writes the alignment of one document pair. Several pairs may go to one output,
    /// one after the other (a TMX header comes from the first pair's languages).
    fn write(&mut self, src: &Document, tgt: &Document, alignment: &Alignment) -> Result<()>;

    /// Ends the output (a closing tag, a flush, the rename of a file into place) and
    /// says what the writer had to change. A writer dropped without `finish` leaves no
    /// file behind.
    fn finish(self: Box<Self>) -> Result<Written>;
}

/// What a writer changed to keep its format valid, for the caller to tell the user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Written {
    /// Tabs, line breaks and other line separators inside sentences written as spaces
    /// (TSV counts them; Moses replaces them too, uncounted).
    pub replaced_separators: usize,
    /// Characters that XML 1.0 forbids, dropped (TMX).
    pub dropped_characters: usize,
}

/// The stream of a one-file format: a caller's stream, or a temporary file renamed into
/// place by [`Output::finish`] (and removed when dropped before).
struct Output<'a> {
    out: Box<dyn Write + 'a>,
    /// The final path and the temporary file being written.
    file: Option<(PathBuf, PathBuf)>,
}

impl<'a> Output<'a> {
    fn open(sink: Sink<'a>) -> Result<Output<'a>> {
        match sink {
            Sink::Stream(out) => Ok(Output { out, file: None }),
            Sink::Path(path) => {
                let tmp = temp_path(&path);
                let file = std::fs::File::create(&tmp).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                Ok(Output {
                    out: Box::new(std::io::BufWriter::new(file)),
                    file: Some((path, tmp)),
                })
            }
        }
    }

    /// The error for a failed write: it names the file, if any.
    fn error(&self, source: std::io::Error) -> Error {
        match &self.file {
            Some((path, _)) => Error::Io {
                path: path.clone(),
                source,
            },
            None => Error::Write(source),
        }
    }

    /// Runs `f` on the stream, mapping its error.
    fn with<T>(&mut self, f: impl FnOnce(&mut dyn Write) -> std::io::Result<T>) -> Result<T> {
        f(&mut self.out).map_err(|e| self.error(e))
    }

    fn finish(mut self) -> Result<()> {
        self.out.flush().map_err(|e| self.error(e))?;
        if let Some((path, tmp)) = self.file.take() {
            // Closed before the rename. No fsync: the rename guards against an
            // interrupted process, which is the failure that matters here; surviving a
            // power cut would cost a disk flush per output (about 4 ms each, minutes over
            // a large batch).
            self.out = Box::new(std::io::sink());
            if let Err(source) = std::fs::rename(&tmp, &path) {
                let _ = std::fs::remove_file(&tmp);
                return Err(Error::Io { path, source });
            }
        }
        Ok(())
    }
}

impl Drop for Output<'_> {
    fn drop(&mut self) {
        if let Some((_, tmp)) = self.file.take() {
            self.out = Box::new(std::io::sink());
            // Best effort: the error that stopped the writer matters more.
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// `dir/.name.<pid>-<n>.tmp` for `dir/name`: unique to this process and, by the counter
/// `n`, to each file it writes, so that no two writers ever share a temporary file.
#[doc(hidden)]
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
pub(crate) fn is_separator(c: char) -> bool {
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
#[doc(hidden)]
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if is_separator(c) { ' ' } else { c })
        .collect()
}
