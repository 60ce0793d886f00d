//! `bitext align SRC TGT`: align two versions of a document.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use bitext::read::{ReadOptions, read_text};
use bitext::write::{self, WriteOptions};
use bitext::{Aligner, Document, Mode};
use clap::ValueEnum;

use super::UsageError;

/// Output formats of `align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// source<TAB>target<TAB>confidence per aligned pair.
    Tsv,
    /// vecalign's beads: [i,j]:[k]:confidence, every sentence once.
    Beads,
    /// One JSON object per bead, with texts, byte offsets and score components.
    Jsonl,
    /// TMX 1.4b for CAT tools.
    Tmx,
    /// Moses line-aligned files PREFIX.<src>, PREFIX.<tgt>, PREFIX.scores (needs --output).
    Moses,
}

/// Alignment modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// The documents are translations of each other: a monotone alignment.
    Parallel,
    /// Independently written documents: few pairs, crossings allowed.
    Comparable,
}

impl From<ModeArg> for Mode {
    fn from(mode: ModeArg) -> Mode {
        match mode {
            ModeArg::Parallel => Mode::Parallel,
            ModeArg::Comparable => Mode::Comparable,
        }
    }
}

/// Align the sentences of two versions of a document.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Source document (`-` for standard input; gzip, xz and zstd files are decompressed,
    /// UTF-16 with a byte-order mark is decoded).
    pub src: PathBuf,
    /// Target document.
    pub tgt: PathBuf,
    /// Source language (ISO 639-1), or `auto`.
    #[arg(long, default_value = "auto")]
    pub src_lang: String,
    /// Target language (ISO 639-1), or `auto`.
    #[arg(long, default_value = "auto")]
    pub tgt_lang: String,
    /// Inputs are already split: one sentence per line; blank lines are skipped.
    #[arg(long)]
    pub presegmented: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Tsv)]
    pub format: FormatArg,
    /// Leave out pairs below this confidence (tsv, jsonl, tmx, moses).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub min_confidence: f64,
    /// Also write sentences left unaligned (tsv, jsonl).
    #[arg(long)]
    pub include_unaligned: bool,
    /// Write a header line naming the columns (tsv).
    #[arg(long)]
    pub header: bool,
    /// Write to this file instead of standard output (the prefix for moses).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Alignment mode.
    #[arg(long, value_enum, default_value_t = ModeArg::Parallel)]
    pub mode: ModeArg,
    /// Bead types searched in parallel mode, as SOURCE-TARGET sentence counts (e.g.
    /// `1-1,1-0,0-1` to forbid merges); 1-1 is required. Without 1-0 and 0-1, documents
    /// whose sentence counts the types cannot cover are an error (exit 2). Default:
    /// 1-1,1-0,0-1,1-2,2-1,2-2,1-3,3-1,1-4,4-1,2-3,3-2.
    #[arg(long, value_delimiter = ',')]
    pub bead_types: Vec<String>,
    /// Replace invalid UTF-8 instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Also write a self-contained HTML review report to this file.
    #[arg(long)]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub lexicon: super::LexiconArgs,
    /// Write the word translations learned from this pair (with those given by --lexicon
    /// and --dictionary) to this file, for --lexicon in later runs.
    #[arg(long, value_name = "FILE")]
    pub lexicon_out: Option<PathBuf>,
}

/// Reads, segments (unless pre-segmented) and labels one side.
pub fn load(path: &Path, lang: &str, presegmented: bool, lossy: bool) -> anyhow::Result<Document> {
    let text = read_text(
        path,
        ReadOptions {
            lossy,
            suggest_lossy: true,
        },
    )?;
    Ok(bitext::batch::prepare(text, lang, presegmented))
}

/// Parses `1-2` style bead types.
pub fn parse_bead_types(items: &[String]) -> Result<Vec<(usize, usize)>, UsageError> {
    items
        .iter()
        .map(|item| {
            let (a, b) = item
                .trim()
                .split_once('-')
                .ok_or_else(|| UsageError(format!("bad bead type {item:?}: expected e.g. 1-2")))?;
            let parse = |x: &str| {
                x.parse::<usize>()
                    .map_err(|_| UsageError(format!("bad bead type {item:?}: expected e.g. 1-2")))
            };
            Ok((parse(a)?, parse(b)?))
        })
        .collect()
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    super::check_min_confidence(args.min_confidence)?;
    if args.format == FormatArg::Moses && args.output.is_none() {
        return Err(UsageError("--format moses needs --output PREFIX".into()).into());
    }
    super::check_languages([args.src_lang.as_str(), args.tgt_lang.as_str()])?;
    if args.src.as_os_str() == "-" && args.tgt.as_os_str() == "-" {
        return Err(UsageError("only one side can be read from standard input".into()).into());
    }
    let mut inputs = vec![args.src.as_path(), args.tgt.as_path()];
    inputs.extend(args.lexicon.paths());
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
            && args.format != FormatArg::Moses
            && (report == output || super::same_file(report, output))
        {
            return Err(UsageError(format!(
                "--report and --output are the same file: {}",
                report.display()
            ))
            .into());
        }
    }
    if args.format != FormatArg::Moses {
        match &args.output {
            Some(output) => super::check_not_an_input(output, &inputs)?,
            // Before the work, not after it: the output would be lost.
            None if crate::stdout_was_closed() => return Err(super::StdoutClosed.into()),
            None => {}
        }
    }
    let bead_types = if args.bead_types.is_empty() {
        None
    } else {
        Some(parse_bead_types(&args.bead_types)?)
    };
    let src = load(&args.src, &args.src_lang, args.presegmented, args.lossy)?;
    let tgt = load(&args.tgt, &args.tgt_lang, args.presegmented, args.lossy)?;
    if args.format == FormatArg::Moses {
        // The file names depend on the languages, known only now; nothing is written yet.
        let prefix = args.output.as_deref().unwrap_or(Path::new("-"));
        for path in write::moses::paths(prefix, &src, &tgt) {
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
    for (doc, path, flag) in [
        (&src, &args.src, "--src-lang"),
        (&tgt, &args.tgt, "--tgt-lang"),
    ] {
        if doc.lang == "und" && matches!(args.format, FormatArg::Tmx | FormatArg::Moses) {
            crate::say!(
                "warning: could not tell the language of {}; the output says `und` (give {flag})",
                path.display()
            );
        }
        if doc.is_empty() {
            crate::say!(
                "warning: {} has no sentences; every sentence of the other side is unaligned",
                path.display()
            );
        }
    }
    let mode = Mode::from(args.mode);
    let mut builder = Aligner::builder().mode(mode);
    if let Some(types) = &bead_types {
        builder = builder.bead_types(types);
    }
    if let Some(table) = args.lexicon.load()? {
        builder = builder.lexicon(table);
    }
    let aligner = builder.build()?;
    // The report's plot needs the evidence the alignment weighed: get both in one pass.
    let (alignment, similarity) = if args.report.is_some() {
        aligner.align_with_similarity(&src, &tgt, 20_000)
    } else {
        (aligner.align(&src, &tgt), Vec::new())
    };
    if alignment.beads.is_empty() && !(src.is_empty() && tgt.is_empty()) {
        // Only a restricted --bead-types gets here: without 1-0 and 0-1 some sentence
        // counts cannot be covered (1-1 alone needs as many sentences on both sides).
        return Err(UsageError(format!(
            "no alignment with bead types {} covers the {} source and {} target sentences: \
             every sentence must be in one bead; add 1-0,0-1 to --bead-types to let \
             sentences go unaligned",
            args.bead_types.join(","),
            src.len(),
            tgt.len()
        ))
        .into());
    }
    if alignment.band_capped {
        crate::say!(
            "warning: {} and {}: where the alignment was uncertain, the search band was capped \
             to stay within linear time and memory; those passages may be aligned less well \
             than usual",
            args.src.display(),
            args.tgt.display()
        );
    }
    if mode == Mode::Parallel && alignment.looks_comparable {
        crate::say!(
            "warning: {} and {} do not look like translations of each other; \
             consider --mode comparable",
            args.src.display(),
            args.tgt.display()
        );
    }
    if let Some(path) = &args.lexicon_out {
        let mut table = bitext::align::Lexicon::learn(aligner.sample(&src, &tgt));
        if let Some(given) = aligner.lexicon() {
            table.extend(given);
        }
        let mut out = super::output(Some(path))?;
        out.write_all(table.write().as_bytes())
            .and_then(|()| out.flush())
            .map_err(|source| bitext::Error::Io {
                path: path.clone(),
                source,
            })?;
    }
    let options = WriteOptions {
        min_confidence: args.min_confidence,
        include_unaligned: args.include_unaligned,
        header: args.header,
    };
    if let Some(report) = &args.report {
        let mut out = super::output(Some(report))?;
        write::report::write(&mut out, &src, &tgt, &alignment, &similarity)
            .with_context(|| format!("writing {}", report.display()))?;
        out.flush()?;
    }
    if args.format == FormatArg::Moses {
        let prefix = args.output.as_deref().unwrap_or(Path::new("-"));
        write::moses::write(prefix, &src, &tgt, &alignment, &options)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = super::output(args.output.as_deref())?;
    match args.format {
        FormatArg::Tsv => {
            let replaced = write::tsv::write(&mut out, &src, &tgt, &alignment, &options)?;
            if replaced > 0 {
                eprintln!(
                    "bitext: note: replaced {replaced} tabs, line breaks and other line separators inside sentences with spaces"
                );
            }
        }
        FormatArg::Beads => write::beads::write(&mut out, &alignment)?,
        FormatArg::Jsonl => write::jsonl::write(&mut out, &src, &tgt, &alignment, &options)?,
        FormatArg::Tmx => {
            let dropped = write::tmx::write(&mut out, &src, &tgt, &alignment, &options)?;
            if dropped > 0 {
                eprintln!("bitext: warning: dropped {dropped} characters that XML 1.0 forbids");
            }
        }
        FormatArg::Moses => unreachable!("handled above"),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
