//! The flags several subcommands share, each defined once and resolved once into the
//! library's configuration: [`PipelineArgs`] (`align`, `batch`, `stream`),
//! [`OutputArgs`] (`align`, `batch`), [`SegmenterArgs`] (those and `segment`).

use std::path::{Path, PathBuf};

use crate::write::{Format, WriteOptions};
use crate::{AlignerBuilder, DocumentOptions, Language, Lexicon, Mode};
use clap::ValueEnum;

use super::UsageError;

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

/// Output formats of `align` and `batch`.
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
    /// Moses line-aligned files PREFIX.<src lang>, PREFIX.<tgt lang>, PREFIX.scores.
    Moses,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Beads => Format::Beads,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Tmx => Format::Tmx,
            FormatArg::Moses => Format::Moses,
        }
    }
}

/// How documents are read, segmented and aligned: the flags of `align`, `batch` and
/// `stream`.
#[derive(Debug, Clone, clap::Args)]
pub struct PipelineArgs {
    /// Source language (ISO 639-1), or `auto`.
    #[arg(long, default_value = "auto")]
    pub src_lang: String,
    /// Target language (ISO 639-1), or `auto`.
    #[arg(long, default_value = "auto")]
    pub tgt_lang: String,
    /// Inputs are already split: one sentence per line; blank lines are skipped.
    #[arg(long)]
    pub presegmented: bool,
    /// Alignment mode.
    #[arg(long, value_enum, default_value_t = ModeArg::Parallel)]
    pub mode: ModeArg,
    /// Bead types searched in parallel mode, as SOURCE-TARGET sentence counts (e.g.
    /// `1-1,1-0,0-1` to forbid merges); 1-1 is required. Without 1-0 and 0-1, documents
    /// whose sentence counts the types cannot cover are an error (exit 2). Default:
    /// 1-1,1-0,0-1,1-2,2-1,2-2,1-3,3-1,1-4,4-1,2-3,3-2.
    #[arg(long, value_delimiter = ',')]
    pub bead_types: Vec<String>,
    /// Leave out pairs below this confidence (tsv, jsonl, tmx, moses, stream).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub min_confidence: f64,
    /// Replace invalid UTF-8 instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Input format of every document: auto (by extension), text, docx, odt, html, xliff
    /// (the units' sources), xliff-target (their targets) or srt. `align` given one XLIFF
    /// file as both inputs aligns its sources with its targets.
    #[arg(long, default_value = "auto", value_name = "FORMAT")]
    pub input_format: crate::read::InputFormat,
    #[command(flatten)]
    pub segmenter: SegmenterArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// [`PipelineArgs`] checked and resolved.
#[derive(Debug)]
pub struct Pipeline {
    /// The source language.
    pub src_lang: Language,
    /// The target language.
    pub tgt_lang: Language,
    /// How texts become documents.
    pub documents: DocumentOptions,
    /// The aligner's configuration (a caller may add a progress callback).
    pub aligner: AlignerBuilder,
    /// The mode.
    pub mode: Mode,
    /// Pairs below this confidence are left out.
    pub min_confidence: f64,
    /// Replace invalid UTF-8.
    pub lossy: bool,
    /// The documents' format.
    pub input_format: crate::read::InputFormat,
}

impl PipelineArgs {
    /// Checks the flags and reads the files they name (profiles, abbreviations,
    /// word tables): a bad value or file is a usage or input error (exit 2).
    pub fn resolve(&self) -> anyhow::Result<Pipeline> {
        check_min_confidence(self.min_confidence)?;
        let src_lang = language(&self.src_lang)?;
        let tgt_lang = language(&self.tgt_lang)?;
        let mode = Mode::from(self.mode);
        let mut aligner = crate::Aligner::builder().mode(mode);
        if !self.bead_types.is_empty() {
            aligner = aligner.bead_types(&parse_bead_types(&self.bead_types)?);
        }
        if let Some(table) = self.lexicon.load()? {
            aligner = aligner.lexicon(table);
        }
        let documents = self.segmenter.load()?.presegmented(self.presegmented);
        Ok(Pipeline {
            src_lang,
            tgt_lang,
            documents,
            aligner,
            mode,
            min_confidence: self.min_confidence,
            lossy: self.lossy,
            input_format: self.input_format,
        })
    }

    /// The files the flags name, as inputs that no output may replace.
    pub fn inputs(&self) -> impl Iterator<Item = &Path> {
        self.lexicon.paths().chain(self.segmenter.paths())
    }
}

/// What `align` and `batch` write.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Tsv)]
    pub format: FormatArg,
    /// Also write sentences left unaligned (tsv, jsonl).
    #[arg(long)]
    pub include_unaligned: bool,
}

impl OutputArgs {
    /// The format.
    pub fn format(&self) -> Format {
        self.format.into()
    }

    /// The writer's options, with `min_confidence` from the pipeline.
    pub fn write_options(&self, min_confidence: f64, header: bool) -> WriteOptions {
        WriteOptions {
            min_confidence,
            include_unaligned: self.include_unaligned,
            header,
        }
    }
}

/// A segmentation profile and extra abbreviations: the flags of `segment`, `align`,
/// `batch` and `stream`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SegmenterArgs {
    /// Segment with this profile file (the format of data/lang/*.txt) instead of the
    /// built-in profile of the language; `LANG=FILE` for documents in LANG only. May be
    /// repeated.
    #[arg(long, value_name = "[LANG=]FILE")]
    pub profile: Vec<PathBuf>,
    /// Extra abbreviations, one per line without the final full stop (`#` starts a
    /// comment); a full stop after one ends a sentence only before a sentence-starting
    /// word. `LANG=FILE` for documents in LANG only. May be repeated.
    #[arg(long, value_name = "[LANG=]FILE")]
    pub abbreviations: Vec<PathBuf>,
}

impl SegmenterArgs {
    /// Reads the profiles and abbreviation lists: a malformed profile is an input error
    /// naming the file and the line.
    pub fn load(&self) -> Result<DocumentOptions, crate::Error> {
        let mut options = DocumentOptions::new();
        for arg in &self.profile {
            let (lang, path) = split_lang(arg);
            let source = crate::read::read_text(path, crate::read::ReadOptions::default())?;
            options = options
                .profile(lang, &source)
                .map_err(|e| crate::Error::Parse {
                    path: path.to_path_buf(),
                    line: e.line,
                    message: e.message,
                })?;
        }
        for arg in &self.abbreviations {
            let (lang, path) = split_lang(arg);
            let list = crate::read::read_text(path, crate::read::ReadOptions::default())?;
            let words = list
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'));
            options = options.abbreviations(lang, words);
        }
        Ok(options)
    }

    /// The files named.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.profile
            .iter()
            .chain(&self.abbreviations)
            .map(|arg| split_lang(arg).1)
    }
}

/// `LANG=FILE` as the language and the file; anything else (a file whose name holds a
/// `=` after something that is no language tag) as a file for every language.
fn split_lang(arg: &Path) -> (Option<&str>, &Path) {
    if let Some((lang, file)) = arg.to_str().and_then(|s| s.split_once('='))
        && lang != "auto"
        && crate::lang::is_valid_code(lang)
        && !file.is_empty()
    {
        return (Some(lang), Path::new(file));
    }
    (None, arg)
}

/// Word translations given to the aligner, shared by `align`, `batch` and `stream`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LexiconArgs {
    /// Word translations learned earlier (a table written by --lexicon-out), used beside
    /// what each document pair teaches; may be repeated.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Vec<PathBuf>,
    /// A bilingual dictionary in hunalign's format, one entry a line: `target words @
    /// source words`; may be repeated.
    #[arg(long, value_name = "FILE")]
    pub dictionary: Vec<PathBuf>,
}

impl LexiconArgs {
    /// The files named, as inputs that no output may replace.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.lexicon
            .iter()
            .chain(&self.dictionary)
            .map(|p| p.as_path())
    }

    /// Reads every table and dictionary into one lexicon; `None` when none is given. A
    /// malformed file is an input error (exit 2) naming the file and the line.
    pub fn load(&self) -> anyhow::Result<Option<Lexicon>> {
        if self.lexicon.is_empty() && self.dictionary.is_empty() {
            return Ok(None);
        }
        let mut all = Lexicon::default();
        let files = self
            .lexicon
            .iter()
            .map(|p| (p, false))
            .chain(self.dictionary.iter().map(|p| (p, true)));
        for (path, is_dictionary) in files {
            let text = crate::read::read_text(path, crate::read::ReadOptions::default())?;
            let table = if is_dictionary {
                Lexicon::from_dictionary(&text)
            } else {
                Lexicon::parse(&text)
            }
            .map_err(|message| UsageError(format!("{}: {message}", path.display())))?;
            if table.dated_word_model() {
                crate::cli::say!(
                    "warning: {}: the table's word model was written by an earlier bitext \
                     (format 1); comparable mode's confidences are calibrated for a table of \
                     format {}: learn it again with --lexicon-out",
                    path.display(),
                    crate::TABLE_FORMAT
                );
            }
            all.extend(&table);
        }
        Ok(Some(all))
    }
}

/// Checks `--min-confidence`: a probability.
pub fn check_min_confidence(p: f64) -> Result<(), UsageError> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(UsageError("--min-confidence must lie in [0, 1]".into()))
    }
}

/// A `--lang`-style argument: an ISO 639 code (with subtags) or `auto`.
pub fn language(code: &str) -> Result<Language, UsageError> {
    code.parse().map_err(|_| {
        UsageError(format!(
            "bad language code {code:?}: expected an ISO 639 code such as `en` or `pt-BR`, or `auto`"
        ))
    })
}

/// Parses `1-2` style bead types.
pub fn parse_bead_types(items: &[String]) -> Result<Vec<(usize, usize)>, UsageError> {
    items
        .iter()
        .map(|item| {
            let bad = || UsageError(format!("bad bead type {item:?}: expected e.g. 1-2"));
            let (a, b) = item.trim().split_once('-').ok_or_else(bad)?;
            let parse = |x: &str| x.parse::<usize>().map_err(|_| bad());
            Ok((parse(a)?, parse(b)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_arguments_name_a_language_or_not() {
        assert_eq!(
            split_lang(Path::new("nl=my.txt")),
            (Some("nl"), Path::new("my.txt"))
        );
        assert_eq!(split_lang(Path::new("my.txt")), (None, Path::new("my.txt")));
        assert_eq!(
            split_lang(Path::new("dir/a=b.txt")),
            (None, Path::new("dir/a=b.txt"))
        );
        assert_eq!(split_lang(Path::new("auto=x")), (None, Path::new("auto=x")));
    }

    #[test]
    fn bead_types_parse() {
        assert_eq!(
            parse_bead_types(&["1-1".into(), " 2-0".into()]).unwrap(),
            [(1, 1), (2, 0)]
        );
        assert!(parse_bead_types(&["1".into()]).is_err());
        assert!(parse_bead_types(&["a-1".into()]).is_err());
    }
}
