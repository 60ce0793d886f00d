//! Every call from the binding into bitext beyond `Aligner`, `Alignment`, `Bead`,
//! `Document`, `Sentence` and `Mode`: language codes, document preparation, lexicon files,
//! the output writers and the evaluation. The library's internal modules are being
//! reshaped; keeping them behind this one file means the binding adapts here alone.
//!
//! Nothing here knows about Python: failures come back as [`Failure`], which `lib.rs`
//! maps to exceptions.

use std::path::{Path, PathBuf};

use bitext::eval::align::{BeadFile, GoldBead};
use bitext::write::WriteOptions;
use bitext::{Aligner, Alignment, Document, DocumentOptions, Language, Mode, Sentence};

/// Why a call failed, sorted the way Python sorts exceptions.
#[derive(Debug)]
pub enum Failure {
    /// The input or the configuration cannot be used (`ValueError`).
    Input(String),
    /// A file could not be read (`OSError`, `FileNotFoundError` when it is missing).
    Io {
        /// The kind of the underlying I/O error.
        kind: std::io::ErrorKind,
        /// The message the CLI prints.
        message: String,
    },
    /// Anything else (`RuntimeError`).
    Runtime(String),
}

impl From<bitext::Error> for Failure {
    fn from(err: bitext::Error) -> Failure {
        // `report()` is the message with its causes, as `bitext` prints it after `bitext: `.
        let message = err.report().to_string();
        match &err {
            bitext::Error::Io { source, .. } => Failure::Io {
                kind: source.kind(),
                message,
            },
            _ if err.is_input_error() => Failure::Input(message),
            _ => Failure::Runtime(message),
        }
    }
}

/// Checks a language argument as the CLI's `check_languages` does, with its message.
pub fn check_language(code: &str) -> Result<(), Failure> {
    // The library's error says "invalid configuration: " first; the CLI reports a bad
    // flag without it, and Python users get the CLI's message.
    code.parse::<Language>().map(drop).map_err(|_| {
        Failure::Input(format!(
            "bad language code {code:?}: expected an ISO 639 code such as `en` or `pt-BR`, or `auto`"
        ))
    })
}

/// `code`, or the language detected in `text` when it is `auto` (`und` when unsure), as
/// `bitext segment` resolves it.
fn resolve_language(code: &str, text: &str) -> String {
    language(code).resolve(text).to_owned()
}

/// `code` as a [`Language`]; a code that is not valid (the callers check first) is used as
/// given, as the CLI's `auto` handling does.
fn language(code: &str) -> Language {
    code.parse()
        .unwrap_or_else(|_| Language::Tag(code.to_owned()))
}

/// Segments `text` as `bitext segment` does: its sentences as byte spans.
pub fn segment(text: &str, lang: &str) -> Vec<Sentence> {
    bitext::Segmenter::for_language(&resolve_language(lang, text)).segment(text)
}

/// A document to align from a whole text, segmented as `bitext align` segments it.
pub fn document(text: String, lang: &str) -> Document {
    DocumentOptions::new().document(text, &language(lang))
}

/// A document from sentences given one by one: the text `bitext align --presegmented`
/// would read from a file of these lines, so languages detected and the writers' byte
/// spans are the same. Unlike a file, a sentence may be empty or hold a line break and
/// still be one sentence, so that bead indices are indices into the caller's list.
pub fn presegmented(sentences: &[String], lang: &str) -> Document {
    let mut text = String::with_capacity(sentences.iter().map(|s| s.len() + 1).sum());
    let mut spans = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        let start = text.len();
        text.push_str(sentence);
        spans.push(Sentence {
            start,
            end: text.len(),
            paragraph: 0,
        });
        text.push('\n');
    }
    let lang = resolve_language(lang, &text);
    Document {
        text,
        sentences: spans,
        lang,
    }
}

/// The options of `bitext::AlignerBuilder`, as the binding takes them.
#[derive(Debug, Clone, Default)]
pub struct AlignerConfig {
    /// Parallel or comparable.
    pub mode: Mode,
    /// Bead types; `None` for the library's default.
    pub bead_types: Option<Vec<(usize, usize)>>,
    /// Calibration temperature; `None` for the library's default.
    pub temperature: Option<f64>,
    /// Word-translation tables written by `--lexicon-out`.
    pub lexicons: Vec<PathBuf>,
    /// Bilingual dictionaries in hunalign's format.
    pub dictionaries: Vec<PathBuf>,
}

/// Builds the aligner, reading the lexicon files as the CLI's `--lexicon` and
/// `--dictionary` do (compressed files too), with the CLI's messages: errors, and the
/// warnings to give as `UserWarning`s.
pub fn build_aligner(config: &AlignerConfig) -> Result<(Aligner, Vec<String>), Failure> {
    let mut warnings = Vec::new();
    let mut builder = Aligner::builder().mode(config.mode);
    if let Some(types) = &config.bead_types {
        builder = builder.bead_types(types);
    }
    if let Some(t) = config.temperature {
        builder = builder.temperature(t);
    }
    if !config.lexicons.is_empty() || !config.dictionaries.is_empty() {
        use bitext::Lexicon;
        let mut all = Lexicon::default();
        let files = (config.lexicons.iter().map(|p| (p, false)))
            .chain(config.dictionaries.iter().map(|p| (p, true)));
        for (path, is_dictionary) in files {
            let text = read_file(path)?;
            let table = if is_dictionary {
                Lexicon::from_dictionary(&text)
            } else {
                Lexicon::parse(&text)
            }
            .map_err(|message| Failure::Input(format!("{}: {message}", path.display())))?;
            if table.dated_word_model() {
                warnings.push(dated_table_warning(path));
            }
            all.extend(&table);
        }
        builder = builder.lexicon(all);
    }
    Ok((builder.build()?, warnings))
}

/// What the CLI says of a table whose word model is of an earlier format.
fn dated_table_warning(path: &Path) -> String {
    format!(
        "{}: the table's word model was written by an earlier bitext (format 1); comparable \
         mode's confidences are calibrated for a table of format {}: learn it again with \
         lexicon_out",
        path.display(),
        bitext::TABLE_FORMAT
    )
}

fn read_file(path: &Path) -> Result<String, Failure> {
    Ok(bitext::read::read_text(
        path,
        bitext::read::ReadOptions::default(),
    )?)
}

/// The text formats the binding writes (Moses writes files, not one text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `bitext align --format tsv`.
    Tsv,
    /// `--format tmx`.
    Tmx,
    /// `--format jsonl`.
    Jsonl,
    /// `--format beads`.
    Beads,
}

/// The writer options of `bitext align`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `--min-confidence`.
    pub min_confidence: f64,
    /// `--include-unaligned`.
    pub include_unaligned: bool,
    /// `--header`.
    pub header: bool,
}

/// What `bitext align --format FORMAT` writes on standard output for this alignment.
pub fn write(
    format: Format,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: Options,
) -> Result<String, Failure> {
    let options = WriteOptions {
        min_confidence: options.min_confidence,
        include_unaligned: options.include_unaligned,
        header: options.header,
    };
    let format = match format {
        Format::Tsv => bitext::write::Format::Tsv,
        Format::Tmx => bitext::write::Format::Tmx,
        Format::Jsonl => bitext::write::Format::Jsonl,
        Format::Beads => bitext::write::Format::Beads,
    };
    // The counts of replaced and dropped characters are notes on the CLI's stderr; a
    // caller here has the texts and can count them.
    format
        .render(src, tgt, alignment, options)
        .map_err(|err| Failure::Runtime(format!("write error: {err}")))
}

/// One side of an alignment to score: bead-format text, or beads already in hand.
#[derive(Debug, Clone)]
pub enum Beads {
    /// The text of a bead file (`[0,1]:[2]` or `[0]:[]:0.97` per line).
    Text(String),
    /// `(source indices, target indices, confidence)` per bead.
    List(Vec<(Vec<usize>, Vec<usize>, Option<f64>)>),
}

/// vecalign's strict and lax precision, recall and F1 of `test` against `gold`, with the
/// checks of `bitext eval` (no beads, malformed lines, indices beyond the other side);
/// messages name the sides `gold` and `test` where the CLI names the files.
pub fn evaluate(gold: Beads, test: Beads) -> Result<[(&'static str, f64); 6], Failure> {
    let gold = bead_file(gold, "gold")?;
    let test = bead_file(test, "test")?;
    gold.check_against(&test)?;
    let s = bitext::eval::align::count(&gold.beads, &test.beads).scores();
    Ok([
        ("precision_strict", s.precision_strict),
        ("recall_strict", s.recall_strict),
        ("f1_strict", s.f1_strict),
        ("precision_lax", s.precision_lax),
        ("recall_lax", s.recall_lax),
        ("f1_lax", s.f1_lax),
    ])
}

fn bead_file(beads: Beads, name: &str) -> Result<BeadFile, Failure> {
    let path = Path::new(name);
    match beads {
        Beads::Text(text) => Ok(BeadFile::parse(&text, path)?),
        Beads::List(list) => {
            if list.is_empty() {
                // The message `bitext eval` gives an empty file.
                return Err(Failure::Input(format!(
                    "{name}: no beads: the list is empty (expected items such as ([0], [0, 1]))"
                )));
            }
            let mut beads = Vec::with_capacity(list.len());
            for (i, (src, tgt, confidence)) in list.into_iter().enumerate() {
                if let Some(c) = confidence
                    && !(0.0..=1.0).contains(&c)
                {
                    return Err(Failure::Input(format!(
                        "{name}[{i}]: confidence outside [0, 1]: {c}"
                    )));
                }
                beads.push(GoldBead {
                    src,
                    tgt,
                    confidence,
                });
            }
            Ok(BeadFile {
                path: path.to_path_buf(),
                // Messages name a bead by its 1-based line; here that is its position + 1.
                lines: (1..=beads.len()).collect(),
                beads,
            })
        }
    }
}
