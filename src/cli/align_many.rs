//! `bitext align-many PIVOT OTHER...`: align several translations to one pivot and
//! write one table (see `crate::multi` and `docs/align-many.md`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::multi::Table;
use crate::{Aligner, Alignment, Document, Mode};
use anyhow::Context;
use clap::ValueEnum;
use rayon::prelude::*;

use super::UsageError;
use super::options::LexiconArgs;

/// Output formats of `align-many`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A header of language codes, then one line a row: the pivot's text, then each
    /// language's text and confidence.
    Tsv,
    /// One JSON object a row, keyed by language: sentence indices, text, confidence.
    Jsonl,
    /// TMX 1.4b, one `tu` a row with a `tuv` for each language that has text.
    Tmx,
}

/// How each document relates to the pivot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Parallel, but comparable for a document that does not look like a translation.
    Auto,
    /// Every document is a translation of the pivot.
    Parallel,
    /// Every document was written independently of the pivot.
    Comparable,
}

/// Align several translations of a document to one pivot, in one table.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pivot document: one row per run of its sentences (`-` for standard input).
    pub pivot: PathBuf,
    /// The documents aligned to the pivot, one column each.
    #[arg(required = true)]
    pub others: Vec<PathBuf>,
    /// Languages (ISO 639-1) or `auto`, comma-separated, one per document in order (the
    /// pivot first). Default: all `auto`.
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    /// Inputs are already split: one sentence per line; blank lines are skipped.
    #[arg(long)]
    pub presegmented: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Tsv)]
    pub format: FormatArg,
    /// Alignment mode; `auto` aligns in comparable mode each document that does not look
    /// like a translation of the pivot, and marks its column.
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    pub mode: ModeArg,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Also write a self-contained, read-only HTML page with one column per language.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Replace invalid UTF-8 instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Word translations for the aligner; tables for several language pairs may be given.
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let inputs: Vec<&Path> = std::iter::once(args.pivot.as_path())
        .chain(args.others.iter().map(|p| p.as_path()))
        .collect();
    if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(UsageError("only one document can be read from standard input".into()).into());
    }
    let langs = if args.langs.is_empty() {
        vec!["auto".to_string(); inputs.len()]
    } else if args.langs.len() == inputs.len() {
        args.langs.clone()
    } else {
        return Err(UsageError(format!(
            "--langs names {} languages for {} documents: give one per document, the pivot first",
            args.langs.len(),
            inputs.len()
        ))
        .into());
    };
    let langs = langs
        .iter()
        .map(|l| super::options::language(l))
        .collect::<Result<Vec<_>, _>>()?;
    let documents = crate::DocumentOptions::new().presegmented(args.presegmented);
    // No output may replace a document or a word table.
    let protected: Vec<&Path> = inputs.iter().copied().chain(args.lexicon.paths()).collect();
    if let Some(report) = &args.report {
        super::check_not_an_input(report, &protected)?;
        if let Some(output) = &args.output
            && (report == output || super::same_file(report, output))
        {
            return Err(UsageError(format!(
                "--report and --output are the same file: {}",
                report.display()
            ))
            .into());
        }
    }
    match &args.output {
        Some(output) => super::check_not_an_input(output, &protected)?,
        // Before the work, not after it: the output would be lost.
        None if crate::cli::stdout_was_closed() => return Err(super::StdoutClosed.into()),
        None => {}
    }
    for path in [&args.output, &args.report].into_iter().flatten() {
        super::check_destination(path)?;
    }
    let docs = inputs
        .iter()
        .zip(&langs)
        .map(|(path, lang)| {
            let format = crate::read::InputFormat::Auto;
            super::align::load(path, lang, &documents, args.lossy, format)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if docs.iter().all(|d| d.is_empty()) {
        return Err(UsageError("none of the documents has a sentence".into()).into());
    }
    for (doc, path) in docs.iter().zip(&inputs) {
        if doc.is_empty() {
            crate::cli::say!("warning: {} has no sentences", path.display());
        }
        if doc.lang == "und" {
            crate::cli::say!(
                "warning: could not tell the language of {}; its column says `und` (give --langs)",
                path.display()
            );
        }
    }
    let lexicon = args.lexicon.load()?;
    let aligner = |mode| {
        let builder = Aligner::builder().mode(mode);
        match &lexicon {
            Some(table) => builder.lexicon(table.clone()),
            None => builder,
        }
        .build()
    };
    let (parallel, comparable) = (aligner(Mode::Parallel)?, aligner(Mode::Comparable)?);
    let (pivot, others) = docs.split_first().context("no pivot document")?;
    // Each document is aligned to the pivot alone, so they run in parallel; the notes are
    // printed afterwards in the documents' order, so nothing depends on the thread count.
    let aligned: Vec<(Alignment, Option<String>)> = others
        .par_iter()
        .zip(&inputs[1..])
        .map(|(doc, path)| align_one(pivot, doc, path, &args, &parallel, &comparable))
        .collect();
    let mut alignments = Vec::with_capacity(others.len());
    for (alignment, note) in aligned {
        if let Some(note) = note {
            crate::cli::say!("{note}");
        }
        alignments.push(alignment);
    }
    let pairs: Vec<_> = others.iter().zip(&alignments).collect();
    let table = Table::new(pivot, &pairs);
    if !table.has_pairs() {
        anyhow::bail!("no sentence of any document was paired with a sentence of the pivot");
    }
    // Renamed into place only once a table file is written, so that a run that fails on
    // it replaces no report (standard output: see `to_stdout`).
    let mut staged = super::Staged::default();
    if let Some(report) = &args.report {
        staged.write(report, |out| table.write_report(out))?;
    }
    if super::to_stdout(args.output.as_deref()) {
        staged.commit()?;
    }
    let mut out = super::output(args.output.as_deref())?;
    match args.format {
        FormatArg::Tsv => {
            let replaced = table.write_tsv(&mut out)?;
            if replaced > 0 {
                crate::cli::say!(
                    "note: replaced {replaced} tabs, line breaks and other line separators inside sentences with spaces"
                );
            }
        }
        FormatArg::Jsonl => table.write_jsonl(&mut out)?,
        FormatArg::Tmx => {
            let dropped = table.write_tmx(&mut out)?;
            if dropped > 0 {
                crate::cli::say!("warning: dropped {dropped} characters that XML 1.0 forbids");
            }
        }
    }
    out.flush()?;
    staged.commit()?;
    Ok(ExitCode::SUCCESS)
}

/// Aligns `doc` (read from `path`) to the pivot in the mode `args` asks for, with the note
/// or warning to print about it.
fn align_one(
    pivot: &Document,
    doc: &Document,
    path: &Path,
    args: &Args,
    parallel: &Aligner,
    comparable: &Aligner,
) -> (Alignment, Option<String>) {
    match args.mode {
        ModeArg::Comparable => (comparable.align(pivot, doc), None),
        ModeArg::Parallel => {
            let alignment = parallel.align(pivot, doc);
            let warning = alignment.looks_comparable.then(|| {
                format!(
                    "warning: {} does not look like a translation of {}; consider --mode auto",
                    path.display(),
                    args.pivot.display()
                )
            });
            (alignment, warning)
        }
        ModeArg::Auto => {
            let first = parallel.align(pivot, doc);
            if first.looks_comparable {
                let note = format!(
                    "note: {} does not look like a translation of {}; aligned in comparable \
                     mode, its column is marked comparable",
                    path.display(),
                    args.pivot.display()
                );
                (comparable.align(pivot, doc), Some(note))
            } else {
                (first, None)
            }
        }
    }
}
