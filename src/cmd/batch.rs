//! `bitext batch MANIFEST --out-dir DIR`: align many document pairs.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use bitext::batch::{self, BatchOptions, ProgressEvent, Status, Summary};
use bitext::write::{Format, WriteOptions};
use bitext::{Aligner, Mode};
use clap::ValueEnum;

use super::UsageError;
use super::align::ModeArg;

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
    /// Pair the files of this folder with the same-named files of --tgt-dir.
    #[arg(long, requires = "tgt_dir")]
    pub src_dir: Option<PathBuf>,
    /// Target folder for --src-dir.
    #[arg(long, requires = "src_dir")]
    pub tgt_dir: Option<PathBuf>,
    /// Source language for --src-dir pairs (ISO 639-1), or `auto`.
    #[arg(long, default_value = "auto")]
    pub src_lang: String,
    /// Target language for --src-dir pairs (ISO 639-1), or `auto`.
    #[arg(long, default_value = "auto")]
    pub tgt_lang: String,
    /// Output format (moses writes <id>.<src lang>, <id>.<tgt lang> and <id>.scores).
    #[arg(long, value_enum, default_value_t = FormatArg::Tsv)]
    pub format: FormatArg,
    /// Worker threads (default: one per core; more than 4 per core are capped).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Skip pairs whose output already exists.
    #[arg(long)]
    pub resume: bool,
    /// No progress bar and no summary on standard error (failures are still reported).
    #[arg(long, short)]
    pub quiet: bool,
    /// Leave out pairs below this confidence (tsv, jsonl, tmx, moses).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub min_confidence: f64,
    /// Also write sentences left unaligned (tsv, jsonl).
    #[arg(long)]
    pub include_unaligned: bool,
    /// Inputs are already split: one sentence per line.
    #[arg(long)]
    pub presegmented: bool,
    /// Alignment mode.
    #[arg(long, value_enum, default_value_t = ModeArg::Parallel)]
    pub mode: ModeArg,
    /// Replace invalid UTF-8 instead of failing the pair.
    #[arg(long)]
    pub lossy: bool,
    #[command(flatten)]
    pub lexicon: super::LexiconArgs,
    /// Do not learn word translations from the whole batch first (each pair still learns
    /// from itself): one pass over the batch instead of two.
    #[arg(long)]
    pub no_learn: bool,
    /// Write the word translations learned from the batch to this file (FILE.SRC-TGT per
    /// language pair when the batch holds several), for --lexicon in later runs.
    #[arg(long, value_name = "FILE")]
    pub lexicon_out: Option<PathBuf>,
}

/// Output formats of `batch`: those of `align`, one file (or three for moses) per pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// source<TAB>target<TAB>confidence per aligned pair: <id>.tsv.
    Tsv,
    /// vecalign's beads, [i,j]:[k]:confidence, every sentence once: <id>.beads.
    Beads,
    /// One JSON object per bead, with texts, byte offsets and score components: <id>.jsonl.
    Jsonl,
    /// TMX 1.4b for CAT tools: <id>.tmx.
    Tmx,
    /// Moses line-aligned files <id>.<src lang>, <id>.<tgt lang> and <id>.scores.
    Moses,
}

/// Failed pairs listed on standard error; the rest are in summary.json.
const MAX_FAILURES_SHOWN: usize = 20;

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    super::check_min_confidence(args.min_confidence)?;
    let threads = super::jobs(args.jobs)?;
    super::check_languages([args.src_lang.as_str(), args.tgt_lang.as_str()])?;
    if args.out_dir.exists() && !args.out_dir.is_dir() {
        return Err(UsageError(format!(
            "--out-dir {} exists and is not a folder",
            args.out_dir.display()
        ))
        .into());
    }
    let jobs = match (&args.manifest, &args.src_dir, &args.tgt_dir) {
        (Some(manifest), None, None) => batch::read_manifest(manifest)?,
        (None, Some(src), Some(tgt)) => batch::pair_dirs(src, tgt, &args.src_lang, &args.tgt_lang)?,
        _ => {
            return Err(
                UsageError("give a MANIFEST, or both --src-dir and --tgt-dir".into()).into(),
            );
        }
    };
    let format = match args.format {
        FormatArg::Tsv => Format::Tsv,
        FormatArg::Beads => Format::Beads,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Tmx => Format::Tmx,
        FormatArg::Moses => Format::Moses,
    };
    // Before anything is written: no output may replace the manifest, an input or
    // another pair's output.
    let mut manifest: Vec<&std::path::Path> = args.manifest.iter().map(|m| m.as_path()).collect();
    manifest.extend(args.lexicon.paths());
    batch::check_outputs(&jobs, &args.out_dir, format, &manifest)?;
    if let Some(out) = &args.lexicon_out {
        let mut inputs = manifest.clone();
        for pair in jobs.iter().filter_map(|job| job.pair.as_ref().ok()) {
            inputs.push(&pair.src);
            inputs.push(&pair.tgt);
        }
        super::check_not_an_input(out, &inputs)?;
    }
    std::fs::create_dir_all(&args.out_dir).map_err(|source| {
        if matches!(
            source.kind(),
            std::io::ErrorKind::NotADirectory | std::io::ErrorKind::AlreadyExists
        ) {
            anyhow::Error::from(UsageError(format!(
                "--out-dir {}: {source}",
                args.out_dir.display()
            )))
        } else {
            bitext::Error::Io {
                path: args.out_dir.clone(),
                source,
            }
            .into()
        }
    })?;
    // Held until the summary is written; a second batch into the folder is refused.
    let _lock = batch::OutDirLock::acquire(&args.out_dir)?;
    let options = BatchOptions {
        format,
        write: WriteOptions {
            min_confidence: args.min_confidence,
            include_unaligned: args.include_unaligned,
            header: false,
        },
        jobs: threads,
        resume: args.resume,
        presegmented: args.presegmented,
        lossy: args.lossy,
        learn: !args.no_learn,
    };
    let mode = Mode::from(args.mode);
    let mut builder = Aligner::builder().mode(mode);
    if let Some(table) = args.lexicon.load()? {
        builder = builder.lexicon(table);
    }
    let aligner = builder.build()?;

    let summary_path = args.out_dir.join(batch::SUMMARY);
    // Read before the run rewrites it: skipped pairs keep their counts from it.
    let previous = if args.resume && summary_path.exists() {
        match Summary::read_json(&summary_path) {
            Ok(previous) => Some(previous),
            Err(err) => {
                crate::say!(
                    "warning: {}; skipped pairs will have no counts",
                    err.report()
                );
                None
            }
        }
    } else {
        None
    };

    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| progress_bar(jobs.len()));
    let sentences = AtomicUsize::new(0);
    let started = Instant::now();
    let on_progress = |event: ProgressEvent<'_>| {
        let total = sentences.fetch_add(event.sentences, Ordering::Relaxed) + event.sentences;
        if let Some(bar) = &bar {
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            bar.inc(1);
            bar.set_message(format!("{:.0} sentences/s", total as f64 / secs));
        }
    };
    let summary = batch::run(&jobs, Some(&args.out_dir), &aligner, &options, &on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
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
    report(&summary, &args, &summary_path);
    Ok(if summary.any_failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the tables the batch learned (with those it was given): to `path` for one
/// language pair, to `path.SRC-TGT` for each of several.
fn write_lexicons(
    path: &std::path::Path,
    summary: &Summary,
    aligner: &Aligner,
) -> anyhow::Result<()> {
    let tables: Vec<(std::path::PathBuf, bitext::align::Lexicon)> =
        match summary.lexicons.as_slice() {
            [] => vec![(path.to_path_buf(), Default::default())],
            [(_, table)] => vec![(path.to_path_buf(), table.clone())],
            several => several
                .iter()
                .map(|((s, t), table)| {
                    let mut name = path.as_os_str().to_owned();
                    name.push(format!(".{s}-{t}"));
                    (name.into(), table.clone())
                })
                .collect(),
        };
    for (path, mut table) in tables {
        if let Some(given) = aligner.lexicon() {
            table.extend(given);
        }
        std::fs::write(&path, table.write()).map_err(|source| bitext::Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

fn progress_bar(total: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total as u64);
    let style =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} pairs  {msg}  ETA {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// The human summary on standard error.
fn report(summary: &Summary, args: &Args, summary_path: &std::path::Path) {
    let failed: Vec<_> = summary
        .pairs
        .iter()
        .filter(|p| p.status == Status::Failed)
        .collect();
    for pair in failed.iter().take(MAX_FAILURES_SHOWN) {
        crate::say!(
            "{} failed: {}",
            pair.id,
            pair.error.as_deref().unwrap_or("unknown error")
        );
    }
    if failed.len() > MAX_FAILURES_SHOWN {
        crate::say!(
            "... and {} more failures (see {})",
            failed.len() - MAX_FAILURES_SHOWN,
            summary_path.display()
        );
    }
    if args.quiet {
        return;
    }
    let t = &summary.totals;
    let pairs: usize = t
        .beads
        .iter()
        .filter(|(kind, _)| !kind.starts_with("0-") && !kind.ends_with("-0"))
        .map(|(_, n)| n)
        .sum();
    crate::say!(
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
