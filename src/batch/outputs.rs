//! The files a batch writes: their names, the check that none replaces an input, the
//! atomic write and the clean-up of a killed run's temporary files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::*;
use crate::error::{Error, Result};
use crate::lang::Language;
use crate::read::{ReadOptions, read_text};
use crate::write::{Format, temp_path};

/// Removes the temporary files of the outputs this run will write
/// (`.<output>.<pid>-<n>.tmp`, or `.<output>.tmp` as earlier versions named them).
///
/// A killed run leaves such files behind. Writing the pair again would not replace them
/// (each writer picks a new name), and a pair that fails before writing would keep them
/// for good. The caller holds the folder's lock ([`OutDirLock`]), so no other batch is
/// writing them. Only those names are touched: other files (a user's own `.x.tmp` among
/// them) and the temporary files of pairs that `resume` skips stay. For Moses output,
/// whose names depend on the detected languages, a temporary file counts as the pair's
/// when its name is `<id>.scores`, `<id>.<language>`, `<id>.src.<language>` or
/// `<id>.tgt.<language>`.
pub(super) fn remove_stale_temps(jobs: &[Job], dir: &Path, options: &BatchOptions) {
    let mut names = HashSet::new();
    for pair in jobs.iter().filter_map(|job| job.pair.as_ref().ok()) {
        if !resume_skips(dir, &pair.id, options) {
            names.insert(pair.id.clone());
        }
    }
    if names.is_empty() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(target) = file_name.to_str().and_then(temp_target) else {
            continue;
        };
        if owner(options.format, target, &names).is_some() {
            // Best effort: a file that cannot be removed does no harm, since no writer
            // will ever pick its name again.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The id among `ids` whose output in `format` the file `name` could be, whatever the
/// languages of its documents.
fn owner<'a>(format: Format, name: &str, ids: &'a HashSet<String>) -> Option<&'a str> {
    name.match_indices('.').find_map(|(at, _)| {
        ids.get(&name[..at])
            .filter(|id| format.may_write(id, name, None))
            .map(String::as_str)
    })
}

/// Checks, before anything is written, that the outputs of a batch into `out_dir`
/// neither replace one of its inputs nor collide with each other.
///
/// Refused (as an input error naming both sides):
/// - an input file of a pair, or one of `other_inputs` (the manifest), that is one of the
///   outputs: `summary.json`, `<id>.<ext>`, or for Moses `<id>.scores` and the files named
///   after the languages (a language given as `auto` is detected as the run will detect
///   it, for the few pairs with an input in the output folder); symbolic links and `..`
///   are resolved first;
/// - for Moses, two ids `X` and `X.src` (or `X.tgt`): the pair `X`, when both its
///   sides are in one language `L`, writes `X.src.L`, and so does `X.src` when its source
///   is in `L`.
pub fn check_outputs(
    jobs: &[Job],
    out_dir: &Path,
    format: Format,
    other_inputs: &[&Path],
) -> Result<()> {
    let pairs: Vec<&Pair> = jobs
        .iter()
        .filter_map(|job| job.pair.as_ref().ok())
        .collect();
    let ids: HashSet<&str> = pairs.iter().map(|p| p.id.as_str()).collect();
    for pair in &pairs {
        if let Some(message) = format.clash(&ids, &pair.id) {
            return Err(Error::Input {
                path: PathBuf::from(&pair.id),
                message,
            });
        }
    }
    // Only an input that lives in the output folder can be overwritten.
    let Ok(dir) = std::fs::canonicalize(out_dir) else {
        return Ok(());
    };
    let by_id: HashMap<&str, &Pair> = pairs.iter().map(|p| (p.id.as_str(), *p)).collect();
    // An output's name is `<id>.<something>`: look the id up at each dot, so the check
    // stays linear in the size of the batch.
    let is_output = |name: &str, exact: bool| {
        name == SUMMARY
            || name.match_indices('.').any(|(at, _)| {
                by_id
                    .get(&name[..at])
                    .is_some_and(|p| writes(p, format, name, exact))
            })
    };
    // The output `input` would be, if any: its file name (after resolving a symbolic
    // link) is an output's, and its real folder is the output folder. A plain file whose
    // name is no output's costs one `lstat`.
    let clobbered = |input: &Path| -> Option<String> {
        let named = input
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|name| is_output(name, false));
        if !named && !std::fs::symlink_metadata(input).is_ok_and(|m| m.file_type().is_symlink()) {
            return None;
        }
        let real = std::fs::canonicalize(input).ok()?;
        let name = real.file_name()?.to_str()?;
        (real.parent() == Some(dir.as_path()) && is_output(name, true)).then(|| name.to_owned())
    };
    let inputs = other_inputs.iter().copied().chain(
        pairs
            .iter()
            .flat_map(|p| [p.src.as_path(), p.tgt.as_path()]),
    );
    for input in inputs {
        if let Some(output) = clobbered(input) {
            return Err(Error::Input {
                path: input.to_path_buf(),
                message: format!(
                    "is an input of the batch, and the output {} would replace it; \
                     choose another --out-dir",
                    out_dir.join(output).display()
                ),
            });
        }
    }
    Ok(())
}

/// True when the batch may write a file called `name` into its output folder: the summary,
/// the lock or a pair's output (for Moses, named after any language).
pub fn writes_into_out_dir(jobs: &[Job], format: Format, name: &str) -> bool {
    let ids: HashSet<&str> = jobs
        .iter()
        .filter_map(|job| Some(job.pair.as_ref().ok()?.id.as_str()))
        .collect();
    name == SUMMARY
        || name == LOCK_FILE
        || name
            .match_indices('.')
            .any(|(at, _)| ids.contains(&name[..at]) && format.may_write(&name[..at], name, None))
}

/// The files `--lexicon-out path` may write: `path`, and `path.SRC-TGT` for each language
/// pair of the batch when it holds several. A language given as `auto` is detected as the
/// run will detect it, which reads the document: call it only when one of these names
/// could matter.
pub fn lexicon_paths(jobs: &[Job], path: &Path) -> Vec<PathBuf> {
    let mut langs: Vec<(String, String)> = Vec::new();
    for pair in jobs.iter().filter_map(|job| job.pair.as_ref().ok()) {
        // A document that cannot be read fails its pair, which learns nothing.
        if let (Some(src), Some(tgt)) = (
            resolved_lang(&pair.src, &pair.src_lang),
            resolved_lang(&pair.tgt, &pair.tgt_lang),
        ) && !langs.contains(&(src.clone(), tgt.clone()))
        {
            langs.push((src, tgt));
        }
    }
    let mut paths = vec![path.to_path_buf()];
    if langs.len() > 1 {
        paths.extend(langs.iter().map(|(s, t)| lexicon_path(path, s, t)));
    }
    paths
}

/// `path.SRC-TGT`: where `--lexicon-out path` writes the table of one language pair of
/// several.
pub fn lexicon_path(path: &Path, src: &str, tgt: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{src}-{tgt}"));
    PathBuf::from(name)
}

/// The name of the summary a batch writes into its output folder.
pub const SUMMARY: &str = "summary.json";

/// True when the pair may write a file called `name` into the output folder.
///
/// For Moses output the names depend on the languages. A language given as `auto` is
/// known only once detected: with `exact`, the pair's document is read and its language
/// detected as the run will do (so only the file the run would really write counts);
/// without, any language could come out (a cheap first filter).
fn writes(pair: &Pair, format: Format, name: &str, exact: bool) -> bool {
    if !format.may_write(&pair.id, name, None) {
        return false;
    }
    // The marker's name does not depend on the languages; the other names may.
    if !exact || format.marker(&format.target(Path::new(""), &pair.id)) == Path::new(name) {
        return true;
    }
    let (Some(src), Some(tgt)) = (
        resolved_lang(&pair.src, &pair.src_lang),
        resolved_lang(&pair.tgt, &pair.tgt_lang),
    ) else {
        // A document that cannot be read fails its pair: nothing is written.
        return false;
    };
    format.may_write(&pair.id, name, Some((&src, &tgt)))
}

/// The tag `lang` gives the document at `path`: detected as the run will detect it, when
/// it is [`Language::Auto`].
fn resolved_lang(path: &Path, lang: &Language) -> Option<String> {
    if let Language::Tag(tag) = lang {
        return Some(tag.clone());
    }
    let options = ReadOptions {
        lossy: true,
        ..ReadOptions::default()
    };
    let text = read_text(path, options).ok()?;
    Some(lang.resolve(&text).to_owned())
}

/// The file name of a pair's output: the file that marks it complete (for Moses, the
/// scores file, which its writer renames into place last).
pub(super) fn output_name(id: &str, format: Format) -> String {
    let target = format.target(Path::new(""), id);
    format.marker(&target).to_string_lossy().into_owned()
}

/// Writes `path` through a hidden temporary file in the same folder, renamed into place
/// when complete; the temporary file is removed on failure.
pub(super) fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut out = std::io::BufWriter::new(file);
        fill(&mut out)?;
        // No fsync: the rename guards against an interrupted process, which is the
        // failure that matters here; surviving a power cut would cost a disk flush per
        // output (about 4 ms each, minutes over a large batch).
        out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// The output name whose temporary file `name` is: `.NAME.<pid>-<n>.tmp`, or `.NAME.tmp`
/// as versions before 0.1 named them.
fn temp_target(name: &str) -> Option<&str> {
    let base = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    if let Some((head, tag)) = base.rsplit_once('.')
        && let Some((pid, n)) = tag.split_once('-')
        && !pid.is_empty()
        && !n.is_empty()
        && pid.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
    {
        return Some(head);
    }
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_old_and_new() {
        assert_eq!(temp_target(".a.tsv.123-4.tmp"), Some("a.tsv"));
        assert_eq!(temp_target(".a.tsv.tmp"), Some("a.tsv"));
        assert_eq!(temp_target(".a.tsv.tmp.1"), None);
        assert_eq!(temp_target("a.tsv.1-2.tmp"), None);
        // A dotted id whose last part only looks like a tag.
        assert_eq!(temp_target(".v1.2-x.tsv.tmp"), Some("v1.2-x.tsv"));
        let name = temp_path(Path::new("d/x.tsv"));
        let name = name.file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_target(name), Some("x.tsv"));
    }

    #[test]
    fn moses_names_are_matched_to_their_pair() {
        let ids: HashSet<String> = ["doc".to_owned(), "a.b".to_owned()].into();
        for name in [
            "doc.scores",
            "doc.pt",
            "doc.src.en",
            "a.b.tgt.und",
            "a.b.fr",
        ] {
            assert!(owner(Format::Moses, name, &ids).is_some(), "{name}");
        }
        for name in ["doc", "doc.txt.gz", "other.pt", "a.scores"] {
            assert!(owner(Format::Moses, name, &ids).is_none(), "{name}");
        }
        let pair = |src_lang: &str, tgt_lang: &str| Pair {
            id: "doc".into(),
            src: "s".into(),
            tgt: "t".into(),
            src_lang: src_lang.parse().unwrap(),
            tgt_lang: tgt_lang.parse().unwrap(),
        };
        // Without reading the documents, any language could come out of `auto`.
        let auto = pair("auto", "auto");
        assert!(writes(&auto, Format::Moses, "doc.pt", false));
        assert!(writes(&auto, Format::Moses, "doc.src.und", false));
        assert!(!writes(&auto, Format::Moses, "doc.txt.gz", false));
        // Unreadable documents fail the pair: it writes nothing but its name.
        assert!(!writes(&auto, Format::Moses, "doc.pt", true));
        let given = pair("pt", "id");
        for exact in [false, true] {
            assert!(writes(&given, Format::Moses, "doc.id", exact));
            assert!(writes(&given, Format::Moses, "doc.scores", exact));
            assert!(writes(&given, Format::Tsv, "doc.tsv", exact));
            assert!(!writes(&given, Format::Tsv, "doc.pt", exact));
        }
        assert!(!writes(&given, Format::Moses, "doc.en", true));
        assert!(!writes(&given, Format::Moses, "doc.src.pt", true));
        assert!(writes(&pair("en", "en"), Format::Moses, "doc.src.en", true));
        assert!(!writes(&pair("en", "en"), Format::Moses, "doc.en", true));
    }
}
