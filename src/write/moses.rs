//! Moses line-aligned files, the Moses and OPUS convention for parallel corpora.
//!
//! Three files, line `k` of each describing the same pair:
//!
//! - `PREFIX.<src lang>`: the source side, one segment per line;
//! - `PREFIX.<tgt lang>`: the target side;
//! - `PREFIX.scores`: the confidence with three decimals.
//!
//! ```text
//! corpus.pt       De acordo com a Cointelegraph, o mensageiro …
//! corpus.id       Menurut Cointelegraph, aplikasi pengirim pesan …
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

use super::WriteOptions;
use crate::align::Alignment;
use crate::doc::Document;

/// The paths [`write()`] creates for `prefix`: source, target and scores.
pub fn paths(prefix: &Path, src: &Document, tgt: &Document) -> [PathBuf; 3] {
    let with = |suffix: String| {
        let mut name = prefix.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        PathBuf::from(name)
    };
    if src.lang == tgt.lang {
        [
            with(format!("src.{}", src.lang)),
            with(format!("tgt.{}", tgt.lang)),
            with("scores".into()),
        ]
    } else {
        [
            with(src.lang.clone()),
            with(tgt.lang.clone()),
            with("scores".into()),
        ]
    }
}

/// Writes `PREFIX.<src lang>`, `PREFIX.<tgt lang>` and `PREFIX.scores`.
pub fn write(
    prefix: &Path,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
) -> crate::Result<()> {
    let finals = paths(prefix, src, tgt);
    let temps: Vec<PathBuf> = finals.iter().map(|p| super::temp_path(p)).collect();
    let result = write_temps(&temps, src, tgt, alignment, options).and_then(|()| {
        for (temp, path) in temps.iter().zip(&finals) {
            std::fs::rename(temp, path).map_err(|source| crate::Error::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(())
    });
    if result.is_err() {
        for temp in &temps {
            // Best effort: the error being returned matters more than a leftover file.
            let _ = std::fs::remove_file(temp);
        }
    }
    result
}

fn write_temps(
    temps: &[PathBuf],
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
) -> crate::Result<()> {
    let create = |path: &PathBuf| {
        File::create(path)
            .map(BufWriter::new)
            .map_err(|source| crate::Error::Io {
                path: path.clone(),
                source,
            })
    };
    let mut files = Vec::with_capacity(3);
    for path in temps {
        files.push((create(path)?, path));
    }
    for bead in options.selected(alignment).filter(|b| b.is_pair()) {
        let lines = [
            one_line(&src.joined(bead.src.clone())),
            one_line(&tgt.joined(bead.tgt.clone())),
            format!("{:.3}", bead.confidence),
        ];
        for ((file, path), line) in files.iter_mut().zip(&lines) {
            writeln!(file, "{line}").map_err(|source| crate::Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
        }
    }
    for (mut file, path) in files {
        file.flush()
            .and_then(|()| file.get_ref().sync_all())
            .map_err(|source| crate::Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
    }
    Ok(())
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
        let en = Document::presegmented("a".into(), "en");
        let fr = Document::presegmented("b".into(), "fr");
        let p = Path::new("out/corpus");
        assert_eq!(
            paths(p, &en, &fr),
            [
                PathBuf::from("out/corpus.en"),
                PathBuf::from("out/corpus.fr"),
                PathBuf::from("out/corpus.scores")
            ]
        );
        assert_eq!(
            paths(p, &en, &en),
            [
                PathBuf::from("out/corpus.src.en"),
                PathBuf::from("out/corpus.tgt.en"),
                PathBuf::from("out/corpus.scores")
            ]
        );
    }
}
