//! `bitext batch MANIFEST --out-dir DIR`: align many document pairs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use crate::Aligner;
use crate::batch::{self, BatchOptions, ProgressEvent, Status, Summary};
use anyhow::Context;

use super::UsageError;
use super::options::{OutputArgs, PipelineArgs};

/// Align many document pairs listed in a manifest (or paired by name from two folders).
///
/// The manifest is TSV without header; `#` lines are comments:
/// `id<TAB>source path<TAB>target path[<TAB>source lang<TAB>target lang]`, paths
/// relative to the manifest's folder; the manifest and the documents may be gzip, xz or
/// zstd files. One output `<id>.<format>` per pair goes to --out-dir, with
/// `summary.json`. Exit code 1 when a pair failed; 2 when the manifest cannot be read,
/// an output would replace an input (checked before anything is written), or another
/// batch is writing into --out-dir.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The manifest (omit it with --src-dir and --tgt-dir).
    #[arg(required_unless_present = "src_dir", conflicts_with = "src_dir")]
    pub manifest: Option<PathBuf>,
    /// Folder for the outputs and summary.json (created if missing).
    #[arg(long)]
    pub out_dir: PathBuf,
    /// Pair the files of this folder with the same-named files of --tgt-dir (their
    /// languages: --src-lang and --tgt-lang).
    #[arg(long, requires = "tgt_dir")]
    pub src_dir: Option<PathBuf>,
    /// Target folder for --src-dir.
    #[arg(long, requires = "src_dir")]
    pub tgt_dir: Option<PathBuf>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Worker threads (default: one per core; more than 4 per core are capped).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Skip pairs whose output already exists (unless summary.json says they failed).
    #[arg(long)]
    pub resume: bool,
    /// Also write a self-contained HTML review page for each pair, <id>.html, into this
    /// folder (created if missing).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Do not learn word translations from the whole batch first (each pair still learns
    /// from itself): one pass over the batch instead of two.
    #[arg(long)]
    pub no_learn: bool,
    /// Write the word translations learned from the batch to this file (FILE.SRC-TGT per
    /// language pair when the batch holds several), for --lexicon in later runs.
    #[arg(long, value_name = "FILE")]
    pub lexicon_out: Option<PathBuf>,
}

/// Failed pairs listed on standard error; the rest are in summary.json.
const MAX_FAILURES_SHOWN: usize = 20;

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pipeline = args.pipeline.resolve()?;
    let threads = super::jobs(args.jobs)?;
    for dir in std::iter::once(&args.out_dir).chain(&args.report) {
        if dir.exists() && !dir.is_dir() {
            return Err(UsageError(format!(
                "{} {} exists and is not a folder",
                if *dir == args.out_dir {
                    "--out-dir"
                } else {
                    "--report"
                },
                dir.display()
            ))
            .into());
        }
    }
    let jobs = match (&args.manifest, &args.src_dir, &args.tgt_dir) {
        (Some(manifest), None, None) => batch::read_manifest(manifest)?,
        (None, Some(src), Some(tgt)) => {
            batch::pair_dirs(src, tgt, &pipeline.src_lang, &pipeline.tgt_lang)?
        }
        _ => {
            return Err(
                UsageError("give a MANIFEST, or both --src-dir and --tgt-dir".into()).into(),
            );
        }
    };
    if jobs.is_empty() {
        let source = match (&args.manifest, &args.src_dir, &args.tgt_dir) {
            (Some(manifest), _, _) => {
                format!("{} (blank lines and comments only)", manifest.display())
            }
            (_, Some(src), Some(tgt)) => format!("{} and {}", src.display(), tgt.display()),
            _ => String::new(),
        };
        // An empty summary would report success for a batch that did nothing.
        return Err(UsageError(format!("no document pairs in {source}")).into());
    }
    let format = args.output.format();
    // Before anything is written: no output may replace the manifest, an input or
    // another pair's output.
    // A manifest on standard input may be a file in --out-dir (`- < out/a.tsv`).
    let stdin_manifest = args
        .manifest
        .as_ref()
        .filter(|m| m.as_os_str() == "-")
        .and_then(|_| super::stdin_file());
    let mut manifest: Vec<&Path> = args
        .manifest
        .iter()
        .filter(|m| m.as_os_str() != "-")
        .chain(&stdin_manifest)
        .map(|m| m.as_path())
        .collect();
    manifest.extend(args.pipeline.inputs());
    batch::check_outputs(&jobs, &args.out_dir, format, &manifest)?;
    let mut inputs = manifest.clone();
    for pair in jobs.iter().filter_map(|job| job.pair.as_ref().ok()) {
        inputs.push(&pair.src);
        inputs.push(&pair.tgt);
    }
    if let Some(out) = &args.lexicon_out {
        check_lexicon_out(out, &jobs, &args, format, &inputs)?;
    }
    if let Some(dir) = &args.report {
        for pair in jobs.iter().filter_map(|job| job.pair.as_ref().ok()) {
            super::check_not_an_input(&batch::report_path(dir, &pair.id), &inputs)?;
        }
    }
    create_dir(&args.out_dir, "--out-dir")?;
    if let Some(dir) = &args.report {
        create_dir(dir, "--report")?;
    }
    // Held until the summary is written; a second batch into the folder is refused.
    let _lock = batch::OutDirLock::acquire(&args.out_dir)?;
    let summary_path = args.out_dir.join(batch::SUMMARY);
    // Read before the run rewrites it: skipped pairs keep their counts from it, and the
    // pairs it failed are aligned again (an output of theirs is an older run's).
    let previous = if args.resume && summary_path.exists() {
        match Summary::read_json(&summary_path) {
            Ok(previous) => Some(previous),
            Err(err) => {
                crate::cli::say!(
                    "warning: {}; skipped pairs will have no counts",
                    err.report()
                );
                None
            }
        }
    } else {
        None
    };
    let redo = previous.iter().flat_map(|p| &p.pairs);
    let redo = redo
        .filter(|pair| pair.status == Status::Failed)
        .map(|pair| pair.id.clone())
        .collect();
    let options = BatchOptions {
        format,
        write: args.output.write_options(pipeline.min_confidence, false),
        jobs: threads,
        resume: args.resume,
        redo,
        documents: pipeline.documents,
        lossy: pipeline.lossy,
        learn: !args.no_learn,
        word_model: args.lexicon_out.is_some(),
        report: args.report.clone(),
        input_format: pipeline.input_format,
    };
    let aligner = pipeline.aligner.build()?;

    // The learning pass reports nothing: say it is under way.
    let learning = options.learn && aligner.mode() == crate::Mode::Parallel;
    let progress = Progress::new(&jobs, learning);
    let on_progress = |event: ProgressEvent| progress.pair_done(&event);
    let summary = batch::run(&jobs, Some(&args.out_dir), &aligner, &options, &on_progress);
    progress.finish();
    let mut summary = summary?;
    if let Some(previous) = &previous {
        summary.carry_over(previous);
    }
    summary
        .write_json(&summary_path)
        // The error names the file already.
        .context("writing the batch summary")?;
    if let Some(path) = &args.lexicon_out {
        write_lexicons(path, &summary, &aligner)?;
    }
    report(&summary, &summary_path);
    Ok(if summary.any_failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Refuses (exit 2), before anything is written, a `--lexicon-out` whose file, or one of
/// its files per language pair (`FILE.SRC-TGT`), is an input or another output of the
/// batch: a summary, a pair's output or review page.
fn check_lexicon_out(
    path: &Path,
    jobs: &[batch::Job],
    args: &Args,
    format: crate::write::Format,
    inputs: &[&Path],
) -> Result<(), UsageError> {
    let (dir, name) = folder_and_name(path);
    let out_dir = resolved(&args.out_dir);
    let report_dir = args.report.as_deref().map(resolved);
    // The names per language pair need the languages, which may mean reading every
    // document: only when a file in the lexicon's folder could have such a name.
    let prefix = format!("{name}.");
    let maybe = dir == out_dir
        || report_dir.as_ref() == Some(&dir)
        || inputs.iter().filter(|i| i.as_os_str() != "-").any(|input| {
            let (folder, file) = folder_and_name(input);
            folder == dir && file.starts_with(&prefix)
        });
    let paths = if maybe {
        batch::lexicon_paths(jobs, path)
    } else {
        vec![path.to_path_buf()]
    };
    let is_page = |file: &str| {
        file.strip_suffix(".html").is_some_and(|id| {
            jobs.iter()
                .any(|job| job.pair.as_ref().is_ok_and(|pair| pair.id == id))
        })
    };
    for path in &paths {
        super::check_not_an_input(path, inputs)?;
        let (folder, file) = folder_and_name(path);
        if (folder == out_dir && batch::writes_into_out_dir(jobs, format, &file))
            || (report_dir.as_ref() == Some(&folder) && is_page(&file))
        {
            return Err(UsageError(format!(
                "--lexicon-out is also another output: {}",
                path.display()
            )));
        }
    }
    Ok(())
}

/// The real folder of `path` (see [`resolved`]) and its file name.
fn folder_and_name(path: &Path) -> (PathBuf, String) {
    let real = resolved(path);
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = real.parent().map(Path::to_path_buf).unwrap_or_default();
    (folder, name)
}

/// `path` made absolute, its longest existing part resolved (symbolic links, `.`, `..`)
/// and the rest normalised by its names, so that two spellings of a file or folder that
/// does not exist yet (it will, by the time the lexicon is written) compare equal.
fn resolved(path: &Path) -> PathBuf {
    let Ok(absolute) = std::path::absolute(path) else {
        return path.to_path_buf();
    };
    let Some((mut real, rest)) = absolute.ancestors().find_map(|existing| {
        Some((
            std::fs::canonicalize(existing).ok()?,
            absolute.strip_prefix(existing).ok()?,
        ))
    }) else {
        return absolute;
    };
    for part in rest.components() {
        match part {
            std::path::Component::ParentDir => {
                real.pop();
            }
            std::path::Component::CurDir => {}
            other => real.push(other),
        }
    }
    real
}

/// Creates an output folder: one that is a file, or lies below one, is a usage error.
fn create_dir(dir: &Path, flag: &str) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| {
        if matches!(
            source.kind(),
            std::io::ErrorKind::NotADirectory | std::io::ErrorKind::AlreadyExists
        ) {
            anyhow::Error::from(UsageError(format!("{flag} {}: {source}", dir.display())))
        } else {
            crate::Error::Io {
                path: dir.to_path_buf(),
                source,
            }
            .into()
        }
    })
}

/// The progress bar of a batch, counted in sentences across pairs. A pair's sentences
/// are known once it is read, so the total is an estimate: the sentences of the pairs
/// done, and for the others their input bytes at the rate seen so far.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    /// Input bytes of each job (0 for one that cannot be read).
    bytes: Vec<u64>,
    total_bytes: u64,
    /// Bytes, sentences and pairs done.
    done: Mutex<(u64, u64, usize)>,
    started: Instant,
}

impl Progress {
    fn new(jobs: &[batch::Job], learning: bool) -> Progress {
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let bytes: Vec<u64> = jobs
            .iter()
            .map(|job| {
                job.pair
                    .as_ref()
                    .map_or(0, |pair| size(&pair.src) + size(&pair.tgt))
            })
            .collect();
        let total_bytes = bytes.iter().sum();
        // An average sentence of some 120 bytes until the first pair says better.
        let bar = super::progress_bar((total_bytes / 120) as usize, "sentences");
        if let Some(bar) = &bar {
            let first = if learning {
                ", learning word translations from the batch first"
            } else {
                ""
            };
            bar.set_message(format!("0/{} pairs{first}", jobs.len()));
        }
        Progress {
            bar,
            bytes,
            total_bytes,
            done: Mutex::new((0, 0, 0)),
            started: Instant::now(),
        }
    }

    fn pair_done(&self, event: &ProgressEvent) {
        let Some(bar) = &self.bar else {
            return;
        };
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.0 += self.bytes.get(event.index).copied().unwrap_or(0);
        done.1 += event.sentences as u64;
        done.2 += 1;
        let (bytes, sentences, pairs) = *done;
        let rate = if bytes > 0 {
            sentences as f64 / bytes as f64
        } else {
            1.0 / 120.0
        };
        let rest = (self.total_bytes.saturating_sub(bytes) as f64 * rate) as u64;
        bar.set_length(sentences + rest);
        bar.set_position(sentences);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{pairs}/{} pairs, {:.0} sentences/s",
            self.bytes.len(),
            sentences as f64 / secs
        ));
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Writes the tables the batch learned (with those it was given): to `path` for one
/// language pair, to `path.SRC-TGT` for each of several.
fn write_lexicons(path: &Path, summary: &Summary, aligner: &Aligner) -> anyhow::Result<()> {
    let tables: Vec<(PathBuf, crate::Lexicon)> = match summary.lexicons.as_slice() {
        [] => vec![(path.to_path_buf(), Default::default())],
        [(_, table)] => vec![(path.to_path_buf(), table.clone())],
        several => several
            .iter()
            .map(|((s, t), table)| (batch::lexicon_path(path, s, t), table.clone()))
            .collect(),
    };
    for (path, mut table) in tables {
        if let Some(given) = aligner.lexicon() {
            table.extend(given);
        }
        std::fs::write(&path, table.write()).map_err(|source| crate::Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

/// The human summary on standard error.
fn report(summary: &Summary, summary_path: &Path) {
    let failed: Vec<_> = summary
        .pairs
        .iter()
        .filter(|p| p.status == Status::Failed)
        .collect();
    for pair in failed.iter().take(MAX_FAILURES_SHOWN) {
        crate::cli::say!(
            "{} failed: {}",
            pair.id,
            pair.error.as_deref().unwrap_or("unknown error")
        );
    }
    if failed.len() > MAX_FAILURES_SHOWN {
        crate::cli::say!(
            "... and {} more failures (see {})",
            failed.len() - MAX_FAILURES_SHOWN,
            summary_path.display()
        );
    }
    if super::quiet() {
        return;
    }
    let t = &summary.totals;
    let pairs: usize = t
        .beads
        .iter()
        .filter(|(kind, _)| !kind.starts_with("0-") && !kind.ends_with("-0"))
        .map(|(_, n)| n)
        .sum();
    crate::cli::say!(
        "{} pairs: {} aligned, {} failed, {} skipped; {} + {} sentences, {} beads \
         with both sides, in {:.2} s ({:.0} sentences/s); summary in {}",
        t.pairs,
        t.ok,
        t.failed,
        t.skipped,
        t.src_sentences,
        t.tgt_sentences,
        pairs,
        t.seconds,
        t.sentences_per_second,
        summary_path.display()
    );
}
