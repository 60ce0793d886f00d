//! Moses line-aligned files, the Moses and OPUS convention for parallel corpora.
//!
//! Three files, line `k` of each describing the same pair:
//!
//! - `PREFIX.<src lang>`: the source side, one segment per line;
//! - `PREFIX.<tgt lang>`: the target side;
//! - `PREFIX.scores`: the confidence with three decimals.
//!
//! ```text
//! corpus.pt       O ministro abriu um escritório na capital …
//! corpus.id       Menteri membuka kantor di ibu kota …
//! corpus.scores   0.970
//! ```
//!
//! When both sides have the same language code (`und` and `und`, say) the files are
//! `PREFIX.src.<lang>` and `PREFIX.tgt.<lang>`, so neither overwrites the other.
//! Only selected pairs are written (beads with an empty side never are: an empty line
//! is a broken example for MT training). A side of several sentences is one line, its
//! sentences joined by a space; tabs, line breaks and the other characters that line
//! readers split on (VT, FF, FS, GS, RS, NEL, LS, PS: Python's `str.splitlines`
//! splits on all of them) become spaces, so line `k` stays line `k` for every tool.
//!
//! Each file is written to a temporary name beside its final one and renamed only
//! when all three are complete, so a failed run never leaves a half-written corpus
//! that looks valid.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{WriteOptions, Writer, Written};
use crate::align::Alignment;
use crate::doc::Document;
use crate::error::Result;

/// The paths the Moses writer creates for `prefix`: source, target and scores.
pub(super) fn paths(prefix: &Path, src_lang: &str, tgt_lang: &str) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = prefix.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        PathBuf::from(name)
    };
    if src_lang == tgt_lang {
        [
            with(&format!("src.{src_lang}")),
            with(&format!("tgt.{tgt_lang}")),
            with("scores"),
        ]
    } else {
        [with(src_lang), with(tgt_lang), with("scores")]
    }
}

/// `PREFIX.scores`, renamed into place last: it marks a complete output.
pub(super) fn scores_path(prefix: &Path) -> PathBuf {
    let mut name = prefix.as_os_str().to_owned();
    name.push(".scores");
    PathBuf::from(name)
}

/// True when the output with prefix `id` may write a file called `name` beside it:
/// `<id>.scores`, and the files named after the languages when they are known (`langs`),
/// or any `<id>.<lang>`, `<id>.src.<lang>`, `<id>.tgt.<lang>` when they are not.
pub(super) fn may_write(id: &str, name: &str, langs: Option<(&str, &str)>) -> bool {
    let Some(rest) = name.strip_prefix(id).and_then(|r| r.strip_prefix('.')) else {
        return false;
    };
    if rest == "scores" {
        return true;
    }
    match langs {
        None => {
            let lang = rest
                .strip_prefix("src.")
                .or_else(|| rest.strip_prefix("tgt."))
                .unwrap_or(rest);
            !lang.is_empty() && !lang.contains('.')
        }
        Some((src, tgt)) if src == tgt => {
            rest.strip_prefix("src.")
                .or_else(|| rest.strip_prefix("tgt."))
                == Some(src)
        }
        Some((src, tgt)) => rest == src || rest == tgt,
    }
}

/// The ids `X` and `X.src` (or `X.tgt`) can write the same file: the pair `X`, when both
/// its sides are in one language `L`, writes `X.src.L`, and so does `X.src` when its
/// source is in `L`.
pub(super) fn clash(ids: &std::collections::HashSet<&str>, id: &str) -> Option<String> {
    ["src", "tgt"].into_iter().find_map(|infix| {
        let base = id.strip_suffix(&format!(".{infix}"))?;
        ids.contains(base).then(|| {
            format!(
                "the ids `{base}` and `{id}` can write the same Moses file \
                 (`{base}.{infix}.<language>`); rename one of them"
            )
        })
    })
}

/// The Moses [`Writer`]: the files are named after the first pair's languages and
/// written to temporary names; `finish` renames them into place, the scores file last.
pub(super) struct MosesWriter {
    prefix: PathBuf,
    options: WriteOptions,
    /// The final paths, their temporary files and the open files, once the first pair
    /// named them.
    files: Option<([PathBuf; 3], Vec<TempFile>)>,
}

impl MosesWriter {
    pub(super) fn new(prefix: PathBuf, options: WriteOptions) -> Self {
        MosesWriter {
            prefix,
            options,
            files: None,
        }
    }

    fn open(&mut self, src: &Document, tgt: &Document) -> crate::Result<()> {
        let finals = paths(&self.prefix, &src.lang, &tgt.lang);
        // Kept in `self` as they are created, so that a failure removes those made.
        let (_, open) = self.files.insert((finals.clone(), Vec::with_capacity(3)));
        for path in &finals {
            let temp = super::temp_path(path);
            // The user's file name, not the temporary one they never gave.
            let file = File::create(&temp).map_err(|source| crate::Error::Io {
                path: path.clone(),
                source,
            })?;
            open.push((BufWriter::new(file), temp));
        }
        Ok(())
    }
}

impl Writer for MosesWriter {
    fn write(&mut self, src: &Document, tgt: &Document, alignment: &Alignment) -> Result<()> {
        if self.files.is_none() {
            self.open(src, tgt)?;
        }
        let Some((_, files)) = &mut self.files else {
            return Ok(());
        };
        for bead in self.options.selected(alignment).filter(|b| b.is_pair()) {
            let lines = [
                one_line(&src.joined(bead.src.clone())),
                one_line(&tgt.joined(bead.tgt.clone())),
                format!("{:.3}", bead.confidence),
            ];
            for ((file, path), line) in files.iter_mut().zip(&lines) {
                writeln!(file, "{line}").map_err(|source| crate::Error::Io {
                    path: path.clone(),
                    source,
                })?;
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Written> {
        let Some((finals, mut files)) = self.files.take() else {
            return Ok(Written::default());
        };
        let result = (|| {
            for (file, path) in &mut files {
                file.flush()
                    .and_then(|()| file.get_ref().sync_all())
                    .map_err(|source| crate::Error::Io {
                        path: path.clone(),
                        source,
                    })?;
            }
            for ((_, temp), path) in files.iter().zip(&finals) {
                std::fs::rename(temp, path).map_err(|source| crate::Error::Io {
                    path: path.clone(),
                    source,
                })?;
            }
            Ok(())
        })();
        if result.is_err() {
            remove_temps(&files);
        }
        result.map(|()| Written::default())
    }
}

impl Drop for MosesWriter {
    fn drop(&mut self) {
        if let Some((_, files)) = self.files.take() {
            remove_temps(&files);
        }
    }
}

/// An open temporary file and its path.
type TempFile = (BufWriter<File>, PathBuf);

fn remove_temps(files: &[TempFile]) {
    for (_, temp) in files {
        // Best effort: the error being returned matters more than a leftover file.
        let _ = std::fs::remove_file(temp);
    }
}

/// Replaces every character that some line reader treats as a line break by a space.
fn one_line(text: &str) -> String {
    super::one_line(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_separator_becomes_a_space() {
        let text = "a\u{0B}b\u{0C}c\u{1C}d\u{85}e\u{2028}f\u{2029}g";
        assert_eq!(one_line(text), "a b c d e f g");
        assert_eq!(one_line(text).lines().count(), 1);
    }

    #[test]
    fn same_language_gets_src_and_tgt_infixes() {
        let p = Path::new("out/corpus");
        assert_eq!(
            paths(p, "en", "fr"),
            [
                PathBuf::from("out/corpus.en"),
                PathBuf::from("out/corpus.fr"),
                PathBuf::from("out/corpus.scores")
            ]
        );
        assert_eq!(
            paths(p, "en", "en"),
            [
                PathBuf::from("out/corpus.src.en"),
                PathBuf::from("out/corpus.tgt.en"),
                PathBuf::from("out/corpus.scores")
            ]
        );
    }
}
