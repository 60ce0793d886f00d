//! `bitext align SRC TGT`: align two versions of a document.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::read::{InputFormat, ReadOptions, XliffSide, read_text_as};
use crate::write::{self, Sink};
use crate::{Document, DocumentOptions, Language, Mode};

use super::UsageError;
use super::options::{OutputArgs, PipelineArgs};

/// Align the sentences of two versions of a document.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Source document (`-` for standard input; gzip, xz and zstd files are decompressed,
    /// UTF-16 with a byte-order mark is decoded).
    pub src: PathBuf,
    /// Target document.
    pub tgt: PathBuf,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    #[command(flatten)]
    pub output_format: OutputArgs,
    /// Write a header line naming the columns (tsv).
    #[arg(long)]
    pub header: bool,
    /// Write to this file instead of standard output (the prefix for moses, which needs
    /// it).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Also write a self-contained HTML review report to this file.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write the word translations learned from this pair (with those given by --lexicon
    /// and --dictionary) to this file, for --lexicon in later runs.
    #[arg(long, value_name = "FILE")]
    pub lexicon_out: Option<PathBuf>,
}

/// Reads one side and makes it a document: its language given or detected, segmented
/// (unless pre-segmented).
pub fn load(
    path: &Path,
    lang: &Language,
    documents: &DocumentOptions,
    lossy: bool,
    format: InputFormat,
) -> anyhow::Result<Document> {
    let text = read_text_as(
        path,
        ReadOptions {
            lossy,
            suggest_lossy: true,
        },
        format,
    )?;
    Ok(documents.document(text, lang))
}

/// The target's format: one XLIFF file given as both inputs is a translation of itself, its
/// sources on one side and its targets on the other.
fn target_format(args: &Args, format: InputFormat) -> InputFormat {
    let resolved = format.resolve(&args.tgt);
    if resolved == InputFormat::Xliff(XliffSide::Source)
        && args.src.as_os_str() != "-"
        && (args.src == args.tgt || super::same_file(&args.src, &args.tgt))
    {
        InputFormat::Xliff(XliffSide::Target)
    } else {
        resolved
    }
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pipeline = args.pipeline.resolve()?;
    let format = args.output_format.format();
    if format.needs_path() && args.output.is_none() {
        return Err(UsageError("--format moses needs --output PREFIX".into()).into());
    }
    if args.src.as_os_str() == "-" && args.tgt.as_os_str() == "-" {
        return Err(UsageError("only one side can be read from standard input".into()).into());
    }
    let mut inputs = vec![args.src.as_path(), args.tgt.as_path()];
    inputs.extend(args.pipeline.inputs());
    if let Some(out) = &args.lexicon_out {
        super::check_not_an_input(out, &inputs)?;
        for other in [&args.output, &args.report].into_iter().flatten() {
            if out == other || super::same_file(out, other) {
                return Err(UsageError(format!(
                    "--lexicon-out is also another output: {}",
                    out.display()
                ))
                .into());
            }
        }
    }
    if let Some(report) = &args.report {
        super::check_not_an_input(report, &inputs)?;
        if let Some(output) = &args.output
            && !format.needs_path()
            && (report == output || super::same_file(report, output))
        {
            return Err(UsageError(format!(
                "--report and --output are the same file: {}",
                report.display()
            ))
            .into());
        }
    }
    if !format.needs_path() {
        match &args.output {
            Some(output) => super::check_not_an_input(output, &inputs)?,
            // Before the work, not after it: the output would be lost.
            None if crate::cli::stdout_was_closed() => return Err(super::StdoutClosed.into()),
            None => {}
        }
    }
    if let Some(prefix) = args.output.as_deref().filter(|_| format.needs_path())
        && (prefix.to_string_lossy().ends_with(std::path::is_separator) || prefix.is_dir())
    {
        // The files would be the hidden `DIR/.pt`, `DIR/.id` and `DIR/.scores`.
        return Err(UsageError(format!(
            "--format moses needs a file prefix, and {} is a folder: give one such as {}",
            prefix.display(),
            prefix.join("corpus").display()
        ))
        .into());
    }
    for path in [&args.output, &args.report, &args.lexicon_out]
        .into_iter()
        .flatten()
    {
        super::check_destination(path)?;
    }
    let load = |path, lang, format| load(path, lang, &pipeline.documents, pipeline.lossy, format);
    // Both sides at once: reading, decoding and splitting a long book is a serial second.
    let (src, tgt) = rayon::join(
        || load(&args.src, &pipeline.src_lang, pipeline.input_format),
        || {
            load(
                &args.tgt,
                &pipeline.tgt_lang,
                target_format(&args, pipeline.input_format),
            )
        },
    );
    let (src, tgt) = (src?, tgt?);
    if let Some(prefix) = args.output.as_deref().filter(|_| format.needs_path()) {
        // The file names depend on the languages, known only now; nothing is written yet.
        for path in format.paths(prefix, &src.lang, &tgt.lang) {
            super::check_not_an_input(&path, &inputs)?;
            if let Some(report) = &args.report
                && (report == &path || super::same_file(report, &path))
            {
                return Err(UsageError(format!(
                    "--report and the moses output are the same file: {}",
                    path.display()
                ))
                .into());
            }
        }
    }
    if src.is_empty() && tgt.is_empty() {
        return Err(UsageError(format!(
            "none of the documents has a sentence: {} and {} are empty",
            args.src.display(),
            args.tgt.display()
        ))
        .into());
    }
    for (doc, path, flag) in [
        (&src, &args.src, "--src-lang"),
        (&tgt, &args.tgt, "--tgt-lang"),
    ] {
        if doc.lang == "und" && matches!(format, write::Format::Tmx | write::Format::Moses) {
            crate::cli::say!(
                "warning: could not tell the language of {}; the output says `und` (give {flag})",
                path.display()
            );
        }
    }
    let mode = pipeline.mode;
    let mut builder = pipeline.aligner;
    let bar = super::progress_bar(src.len() + tgt.len(), "sentences");
    if let Some(bar) = &bar {
        let bar = bar.clone();
        builder = builder.progress(move |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        });
    }
    let aligner = builder.build()?;
    // The report's plot needs the evidence the alignment weighed: get both in one pass.
    let (alignment, similarity) = if args.report.is_some() {
        aligner.align_with_similarity(&src, &tgt, 20_000)
    } else {
        (aligner.align(&src, &tgt), Vec::new())
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if alignment.beads.is_empty() && !(src.is_empty() && tgt.is_empty()) {
        // Only a restricted --bead-types gets here: without 1-0 and 0-1 some sentence
        // counts cannot be covered (1-1 alone needs as many sentences on both sides).
        return Err(UsageError(format!(
            "no alignment with bead types {} covers the {} source and {} target sentences: \
             every sentence must be in one bead; add 1-0,0-1 to --bead-types to let \
             sentences go unaligned",
            args.pipeline.bead_types.join(","),
            src.len(),
            tgt.len()
        ))
        .into());
    }
    let options = args
        .output_format
        .write_options(pipeline.min_confidence, args.header);
    let empty = [(&src, &args.src), (&tgt, &args.tgt)]
        .into_iter()
        .find(|(doc, _)| doc.is_empty());
    // Checked before anything is written: an empty output is not success.
    if format.count(&alignment, &options) == 0 {
        return Err(nothing_written(
            &args,
            &alignment,
            empty.map(|(_, path)| path),
            &options,
        ));
    }
    if let Some((_, path)) = empty {
        crate::cli::say!(
            "warning: {} has no sentences; every sentence of the other side is unaligned",
            path.display()
        );
    }
    if alignment.band_capped {
        crate::cli::say!(
            "warning: {} and {}: where the alignment was uncertain, the search band was capped \
             to stay within linear time and memory; those passages may be aligned less well \
             than usual",
            args.src.display(),
            args.tgt.display()
        );
    }
    if mode == Mode::Parallel && alignment.looks_comparable {
        crate::cli::say!(
            "warning: {} and {} do not look like translations of each other; \
             consider --mode comparable",
            args.src.display(),
            args.tgt.display()
        );
    }
    // Renamed into place only once an output file is written, so that a run that fails on
    // it replaces neither (standard output: see `to_stdout`).
    let mut staged = super::Staged::default();
    if let Some(path) = &args.lexicon_out {
        let mut table = crate::Lexicon::learn(aligner.sample_with_words(&src, &tgt));
        if let Some(given) = aligner.lexicon() {
            table.extend(given);
        }
        staged.write(path, |out| out.write_all(table.write().as_bytes()))?;
    }
    if let Some(report) = &args.report {
        staged.write(report, |out| {
            write::report::write(out, &src, &tgt, &alignment, &similarity)
        })?;
    }
    if super::to_stdout(args.output.as_deref()) {
        staged.commit()?;
    }
    let sink = match args.output.as_deref() {
        Some(prefix) if format.needs_path() => Sink::path(prefix),
        path => Sink::stream(super::output(path)?),
    };
    let mut writer = format.writer(sink, options)?;
    writer.write(&src, &tgt, &alignment)?;
    let written = writer.finish()?;
    staged.commit()?;
    super::tell_written(&written);
    Ok(ExitCode::SUCCESS)
}

/// The error for an alignment of which the output would hold nothing: an input error when
/// the side at `empty` has no sentence, a runtime failure (exit 1) otherwise.
fn nothing_written(
    args: &Args,
    alignment: &crate::Alignment,
    empty: Option<&PathBuf>,
    options: &write::WriteOptions,
) -> anyhow::Error {
    if let Some(path) = empty {
        return UsageError(format!(
            "{} has no sentences, so no pair can be made; nothing was written \
             (--include-unaligned writes the other side's sentences, unaligned)",
            path.display()
        ))
        .into();
    }
    let pairs = alignment.beads.iter().filter(|b| b.is_pair()).count();
    let why = if pairs == 0 {
        format!(
            "no sentence of {} was paired with a sentence of {}",
            args.src.display(),
            args.tgt.display()
        )
    } else {
        format!(
            "all {pairs} pairs are below --min-confidence {}",
            options.min_confidence
        )
    };
    anyhow::anyhow!("nothing was written: {why} (an empty result is not success)")
}
