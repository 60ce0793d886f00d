//! The list of pairs a batch runs: a manifest, or two folders paired by file name.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::lang::Language;
use crate::read::{ReadOptions, read_text};

/// One document pair to align.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The pair's name; outputs are called `<id>.<extension>`.
    pub id: String,
    /// The source document.
    pub src: PathBuf,
    /// The target document.
    pub tgt: PathBuf,
    /// Source language.
    pub src_lang: Language,
    /// Target language.
    pub tgt_lang: Language,
}

/// One entry of a batch: a pair, or the reason its manifest line could not be used.
///
/// A bad line is kept as a job rather than failing the whole manifest, so that it is
/// reported in the summary beside the pairs that worked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The pair's id; for a line without a usable id, `line-<n>`.
    pub id: String,
    /// The pair, or why the line describing it is unusable (with file and line).
    pub pair: std::result::Result<Pair, String>,
}

/// Reads a manifest: TSV without header, `#` lines and blank lines ignored,
/// `id<TAB>source<TAB>target[<TAB>source lang<TAB>target lang]`.
///
/// The manifest may be compressed (gzip, xz, zstd: see [`crate::read`]). Relative
/// paths are taken relative to the manifest's folder. The only error is a
/// manifest that cannot be read at all (missing, unreadable, not UTF-8); malformed
/// lines become failed [`Job`]s that name the manifest and the line.
pub fn read_manifest(path: &Path) -> Result<Vec<Job>> {
    let text = read_text(path, ReadOptions::default())?;
    let base = path.parent().unwrap_or(Path::new(""));
    Ok(parse_manifest(&text, path, base))
}

/// Parses manifest `text` (see [`read_manifest`]); `path` names it in errors and
/// relative paths are joined to `base`.
pub fn parse_manifest(text: &str, path: &Path, base: &Path) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut seen = HashSet::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let first = fields[0].trim();
        let fail = |message: String| {
            let id = if check_id(first).is_ok() {
                first.to_owned()
            } else {
                format!("line-{number}")
            };
            Job {
                id,
                pair: Err(Error::parse(path, number, message).to_string()),
            }
        };
        let job = if fields.len() != 3 && fields.len() != 5 {
            fail(format!(
                "expected 3 or 5 tab-separated fields (id, source, target[, source lang, target lang]), found {}",
                fields.len()
            ))
        } else if let Err(message) = check_id(first) {
            fail(message)
        } else if fields[1].trim().is_empty() || fields[2].trim().is_empty() {
            fail("empty source or target path".into())
        } else if fields.len() == 5 && (fields[3].trim().is_empty() || fields[4].trim().is_empty())
        {
            fail("empty language code (use `auto` to detect it)".into())
        } else if let Some(bad) = fields
            .iter()
            .skip(3)
            .map(|f| f.trim())
            .find(|f| f.parse::<Language>().is_err())
        {
            fail(format!("bad language code {bad:?}"))
        } else if !seen.insert(first.to_owned()) {
            fail(format!("duplicate id `{first}`"))
        } else {
            // Checked above: a field that is there parses.
            let lang = |i: usize| {
                fields
                    .get(i)
                    .and_then(|f| f.trim().parse().ok())
                    .unwrap_or_default()
            };
            Job {
                id: first.to_owned(),
                pair: Ok(Pair {
                    id: first.to_owned(),
                    src: base.join(fields[1].trim()),
                    tgt: base.join(fields[2].trim()),
                    src_lang: lang(3),
                    tgt_lang: lang(4),
                }),
            }
        };
        jobs.push(job);
    }
    jobs
}

/// Checks that `id` can name an output file in the output folder.
fn check_id(id: &str) -> std::result::Result<(), String> {
    if id.is_empty() {
        Err("empty id".into())
    } else if id.starts_with('.') {
        Err(format!("id `{id}` starts with a dot"))
    } else if id
        .chars()
        .any(|c| c == '/' || c == '\\' || c == ':' || c.is_control())
    {
        Err(format!(
            "id `{id}` contains a character not allowed in a file name"
        ))
    } else {
        Ok(())
    }
}

/// Pairs the files of `src_dir` and `tgt_dir` by file name, in name order.
///
/// The id of a pair is the file name without its last extension. Hidden files are
/// ignored; a file present on one side only becomes a failed job, so that a missing
/// translation shows in the summary.
pub fn pair_dirs(
    src_dir: &Path,
    tgt_dir: &Path,
    src_lang: &Language,
    tgt_lang: &Language,
) -> Result<Vec<Job>> {
    let src_names = file_names(src_dir)?;
    let tgt_names = file_names(tgt_dir)?;
    let mut names: Vec<&String> = src_names.union(&tgt_names).collect();
    names.sort();
    let mut seen = HashSet::new();
    let mut jobs = Vec::new();
    for name in names {
        let stem = Path::new(name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(name);
        let id = stem.to_owned();
        let pair = if !src_names.contains(name) {
            Err(format!("{}: no such file in {}", name, src_dir.display()))
        } else if !tgt_names.contains(name) {
            Err(format!("{}: no such file in {}", name, tgt_dir.display()))
        } else if let Err(message) = check_id(&id) {
            Err(format!("{name}: {message}"))
        } else if !seen.insert(id.clone()) {
            Err(format!("{name}: another file already has the id `{id}`"))
        } else {
            Ok(Pair {
                id: id.clone(),
                src: src_dir.join(name),
                tgt: tgt_dir.join(name),
                src_lang: src_lang.clone(),
                tgt_lang: tgt_lang.clone(),
            })
        };
        jobs.push(Job { id, pair });
    }
    Ok(jobs)
}

/// The names of the visible files of `dir`, symbolic links to files included (UTF-8
/// names only).
fn file_names(dir: &Path) -> Result<HashSet<String>> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut names = HashSet::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let kind = entry.file_type().map_err(io)?;
        // A symbolic link counts when it leads to a file (a broken link does not).
        let is_file = kind.is_file()
            || (kind.is_symlink() && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
        if !is_file {
            continue;
        }
        match entry.file_name().into_string() {
            Ok(name) if !name.starts_with('.') => {
                names.insert(name);
            }
            Ok(_) => {}
            Err(name) => {
                return Err(Error::Input {
                    path: dir.join(name),
                    message: "file name is not UTF-8".into(),
                });
            }
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_comments_and_errors() {
        let text = "# comment\n\na\tx.txt\ty.txt\nb\t/abs/x\ty\ten\tfr\r\nbad line\nc\tx\ty\ten\n\
                    a\tx\ty\n../up\tx\ty\nd/e\tx\ty\n";
        let jobs = parse_manifest(text, Path::new("m.tsv"), Path::new("dir"));
        assert_eq!(jobs.len(), 7);
        let a = jobs[0].pair.as_ref().unwrap();
        assert_eq!(a.src, Path::new("dir/x.txt"));
        assert_eq!(a.src_lang, Language::Auto);
        let b = jobs[1].pair.as_ref().unwrap();
        assert_eq!(b.src, Path::new("/abs/x"));
        assert_eq!((b.src_lang.as_str(), b.tgt_lang.as_str()), ("en", "fr"));
        assert_eq!(jobs[2].id, "bad line");
        assert!(jobs[2].pair.as_ref().unwrap_err().starts_with("m.tsv:5: "));
        assert_eq!(jobs[3].id, "c");
        assert!(jobs[3].pair.as_ref().unwrap_err().starts_with("m.tsv:6: "));
        assert!(jobs[4].pair.as_ref().unwrap_err().contains("duplicate id"));
        assert_eq!(jobs[5].id, "line-8");
        assert!(
            jobs[5]
                .pair
                .as_ref()
                .unwrap_err()
                .contains("starts with a dot")
        );
        assert!(jobs[6].pair.as_ref().unwrap_err().contains("not allowed"));
    }
}
