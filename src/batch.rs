//! Batch runs over many document pairs, and the line-by-line stream mode.
//!
//! A batch starts from a list of [`Job`]s, read from a manifest with [`read_manifest`]
//! or made by pairing two folders with [`pair_dirs`]. [`run`] aligns them with rayon on
//! a pool of [`BatchOptions::jobs`] threads, writes one output per pair and returns a
//! [`Summary`] that serialises to `summary.json`.
//!
//! Guarantees:
//! - **Determinism.** Every pair is aligned alone by one shared, immutable
//!   [`Aligner`], so each output is byte-identical whatever the thread count, and the
//!   summary lists pairs in manifest order.
//! - **Faults stay local.** A missing file, invalid UTF-8, an empty document or a
//!   malformed manifest line fails that pair only; its reason goes into the summary.
//! - **No truncated outputs.** Each output is written to a hidden temporary file in the
//!   output folder (`.<id>.<ext>.<pid>-<n>.tmp`, unique to the process and the file) and
//!   renamed into place, so an interrupted run leaves either a whole output or none;
//!   [`BatchOptions::resume`] skips pairs whose output exists. [`run`] first removes the
//!   temporary files a killed run left for the outputs it is about to write, and no
//!   other file.
//! - **No output over an input.** [`check_outputs`] refuses, before anything is written,
//!   a batch whose outputs would replace one of its inputs or each other; [`OutDirLock`]
//!   keeps a second batch out of a folder that one is writing into.
//! - **Bounded memory.** A pair's files are read when its turn comes and dropped once
//!   its output is written: memory grows with the largest pair, not the batch.
//!
//! The stream mode ([`stream_line`], [`stream`]) maps JSON Lines to JSON Lines, one
//! output line per input line in input order, so it runs under Spark's `RDD.pipe`,
//! Hadoop Streaming or GNU parallel. Input: `{"id", "src", "tgt", "src_lang"?,
//! "tgt_lang"?}` (texts, not paths; languages default to `auto`). Output:
//! `{"id", "pairs": [{"src", "tgt", "confidence", "src_ids", "tgt_ids"}], "error": null}`;
//! a bad line gives `"pairs": []` and an `error` string, and `id` is `null` when it
//! cannot be read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::align::{Aligner, Alignment, BeadSample, Lexicon, Mode};
use crate::doc::Document;
use crate::error::{Error, Result};
use crate::read::{ReadOptions, read_text};
use crate::segment::Segmenter;
use crate::write::{self, Format, WriteOptions, temp_path};

/// Turns a text into a document: detects the language when `lang` is `auto`, then
/// segments it (or takes one sentence per line when `presegmented`).
pub fn prepare(text: String, lang: &str, presegmented: bool) -> Document {
    let lang = if lang == "auto" {
        crate::lang::detect(&text).unwrap_or("und")
    } else {
        lang
    };
    if presegmented {
        Document::presegmented(text, lang)
    } else {
        Document::segmented(text, &Segmenter::for_language(lang))
    }
}

/// One document pair to align.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The pair's name; outputs are called `<id>.<extension>`.
    pub id: String,
    /// The source document.
    pub src: PathBuf,
    /// The target document.
    pub tgt: PathBuf,
    /// Source language code, or `auto`.
    pub src_lang: String,
    /// Target language code, or `auto`.
    pub tgt_lang: String,
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
            .find(|f| !crate::lang::is_valid_code(f))
        {
            fail(format!("bad language code {bad:?}"))
        } else if !seen.insert(first.to_owned()) {
            fail(format!("duplicate id `{first}`"))
        } else {
            let lang = |i: usize| fields.get(i).map_or("auto", |f| f.trim()).to_owned();
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
    src_lang: &str,
    tgt_lang: &str,
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
                src_lang: src_lang.to_owned(),
                tgt_lang: tgt_lang.to_owned(),
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

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Output format.
    pub format: Format,
    /// Options passed to the writer.
    pub write: WriteOptions,
    /// Worker threads (0: one per core).
    pub jobs: usize,
    /// Skip pairs whose output already exists.
    pub resume: bool,
    /// Inputs hold one sentence per line.
    pub presegmented: bool,
    /// Replace invalid UTF-8 instead of failing the pair.
    pub lossy: bool,
    /// In parallel mode, learn one table of word translations from all the pairs of each
    /// language pair before aligning them (a first pass over the batch), as well as from
    /// each pair alone.
    pub learn: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            format: Format::Tsv,
            write: WriteOptions::default(),
            jobs: 0,
            resume: false,
            presegmented: false,
            lossy: false,
            learn: true,
        }
    }
}

/// What became of one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Aligned and written.
    Ok,
    /// Not aligned; see the error.
    Failed,
    /// Left alone because its output existed (`resume`).
    Skipped,
}

/// The summary record of one pair, as written in `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSummary {
    /// The pair's id.
    pub id: String,
    /// What became of it.
    pub status: Status,
    /// Source path (`null` for a malformed manifest line).
    pub src: Option<PathBuf>,
    /// Target path.
    pub tgt: Option<PathBuf>,
    /// The output's file name in the output folder (`null` when none was written).
    pub output: Option<String>,
    /// Source language used (after detection).
    pub src_lang: Option<String>,
    /// Target language used.
    pub tgt_lang: Option<String>,
    /// Source sentences.
    pub src_sentences: usize,
    /// Target sentences.
    pub tgt_sentences: usize,
    /// Beads by type, `"<source sentences>-<target sentences>"`: `{"1-1": 40, "1-0": 2}`.
    pub beads: BTreeMap<String, usize>,
    /// Mean confidence of the beads with both sides non-empty (`null` when there are none).
    pub mean_confidence: Option<f64>,
    /// Share of the sentences of both sides that stand in a bead with an empty other side.
    pub unaligned_share: Option<f64>,
    /// In parallel mode: the documents do not look like translations of each other.
    #[serde(default)]
    pub looks_comparable: bool,
    /// The search band was capped (see [`Alignment::band_capped`]).
    #[serde(default)]
    pub band_capped: bool,
    /// Time spent on this pair (reading, segmenting, aligning, writing).
    pub seconds: f64,
    /// Why the pair failed.
    pub error: Option<String>,
}

impl PairSummary {
    fn new(id: &str, status: Status) -> PairSummary {
        PairSummary {
            id: id.to_owned(),
            status,
            src: None,
            tgt: None,
            output: None,
            src_lang: None,
            tgt_lang: None,
            src_sentences: 0,
            tgt_sentences: 0,
            beads: BTreeMap::new(),
            mean_confidence: None,
            unaligned_share: None,
            looks_comparable: false,
            band_capped: false,
            seconds: 0.0,
            error: None,
        }
    }
}

/// Totals over a batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Jobs in the batch.
    pub pairs: usize,
    /// Pairs aligned and written.
    pub ok: usize,
    /// Pairs that failed.
    pub failed: usize,
    /// Pairs skipped because their output existed.
    pub skipped: usize,
    /// Source sentences over the aligned pairs (and the skipped ones with counts).
    pub src_sentences: usize,
    /// Target sentences over the aligned pairs (and the skipped ones with counts).
    pub tgt_sentences: usize,
    /// Beads by type over the aligned pairs (and the skipped ones with counts).
    pub beads: BTreeMap<String, usize>,
    /// Wall-clock time of the run.
    pub seconds: f64,
    /// Source and target sentences aligned in this run per second of wall-clock time.
    pub sentences_per_second: f64,
}

impl Totals {
    /// Totals over `pairs` for a run that took `seconds`. Sentence and bead counts
    /// include skipped pairs whose counts were carried over from an earlier run (see
    /// [`Summary::carry_over`]); sentences per second count only the pairs aligned now.
    fn of(pairs: &[PairSummary], seconds: f64) -> Totals {
        let mut totals = Totals {
            pairs: pairs.len(),
            seconds: round3(seconds),
            ..Totals::default()
        };
        let mut aligned_now = 0;
        for pair in pairs {
            match pair.status {
                Status::Ok => {
                    totals.ok += 1;
                    aligned_now += pair.src_sentences + pair.tgt_sentences;
                }
                Status::Failed => totals.failed += 1,
                Status::Skipped => totals.skipped += 1,
            }
            totals.src_sentences += pair.src_sentences;
            totals.tgt_sentences += pair.tgt_sentences;
            for (kind, n) in &pair.beads {
                *totals.beads.entry(kind.clone()).or_default() += n;
            }
        }
        if seconds > 0.0 {
            totals.sentences_per_second = (aligned_now as f64 / seconds).round();
        }
        totals
    }
}

/// The outcome of a batch: one record per job, in job order, and totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Per-pair records.
    pub pairs: Vec<PairSummary>,
    /// Totals.
    pub totals: Totals,
    /// The word translations learned from the batch, per (source, target) language pair
    /// (not part of `summary.json`: `batch --lexicon-out` writes them).
    #[serde(skip)]
    pub lexicons: Vec<((String, String), Lexicon)>,
}

impl Summary {
    /// True when at least one pair failed.
    pub fn any_failed(&self) -> bool {
        self.totals.failed > 0
    }

    /// Reads a summary written by [`Summary::write_json`].
    pub fn read_json(path: &Path) -> Result<Summary> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| Error::parse(path, e.line(), e.to_string()))
    }

    /// Fills the records of skipped pairs (`resume`) from `previous`, the summary of
    /// the run that wrote their outputs, so that the summary still describes every
    /// output in the folder. The status stays `skipped`; a record is carried over only
    /// when it is for the same id and files and had counts.
    pub fn carry_over(&mut self, previous: &Summary) {
        let earlier: std::collections::HashMap<&str, &PairSummary> = previous
            .pairs
            .iter()
            .filter(|p| p.status != Status::Failed && p.src_lang.is_some())
            .map(|p| (p.id.as_str(), p))
            .collect();
        for pair in &mut self.pairs {
            if pair.status != Status::Skipped {
                continue;
            }
            if let Some(old) = earlier.get(pair.id.as_str())
                && old.src == pair.src
                && old.tgt == pair.tgt
            {
                pair.src_lang.clone_from(&old.src_lang);
                pair.tgt_lang.clone_from(&old.tgt_lang);
                pair.src_sentences = old.src_sentences;
                pair.tgt_sentences = old.tgt_sentences;
                pair.beads.clone_from(&old.beads);
                pair.mean_confidence = old.mean_confidence;
                pair.unaligned_share = old.unaligned_share;
                pair.seconds = old.seconds;
            }
        }
        self.totals = Totals::of(&self.pairs, self.totals.seconds);
    }

    /// Writes the summary as pretty-printed JSON, atomically (temporary file, rename).
    pub fn write_json(&self, path: &Path) -> Result<()> {
        write_atomically(path, |out| {
            serde_json::to_writer_pretty(&mut *out, self).map_err(std::io::Error::from)?;
            out.write_all(b"\n")
        })
    }
}

/// Reported to the progress callback as pairs finish (from worker threads, in any order).
#[derive(Debug, Clone, Copy)]
pub struct ProgressEvent<'a> {
    /// Index of the job in the batch.
    pub index: usize,
    /// The job's id.
    pub id: &'a str,
    /// What became of it.
    pub status: Status,
    /// Source plus target sentences of the pair.
    pub sentences: usize,
}

/// Builds a thread pool of `jobs` threads (0: one per core).
pub fn thread_pool(jobs: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("bitext-{i}"))
        .build()
        .map_err(|e| Error::Config(format!("cannot start {jobs} worker threads: {e}")))
}

/// Aligns every job and writes `<id>.<extension>` into `out_dir`.
///
/// With `out_dir` `None` the outputs are formatted and dropped (for benchmarks; the
/// Moses format, which writes files itself, is then skipped). `progress` is called
/// once per job as it finishes. Before aligning, it refuses outputs that would replace
/// an input or each other (see [`check_outputs`]) and removes the stale temporary files
/// of the outputs it is about to write, which a killed run may have left; a caller that
/// may share the folder with another process should hold its [`OutDirLock`]. The outcome
/// of each pair is in the returned summary; an error is returned only when the outputs
/// are refused, the output folder cannot be created or the thread pool cannot start.
/// The summary is not written: see [`Summary::write_json`].
pub fn run(
    jobs: &[Job],
    out_dir: Option<&Path>,
    aligner: &Aligner,
    options: &BatchOptions,
    progress: &(dyn Fn(ProgressEvent<'_>) + Sync),
) -> Result<Summary> {
    let started = Instant::now();
    if let Some(dir) = out_dir {
        check_outputs(jobs, dir, options.format, &[])?;
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        remove_stale_temps(jobs, dir, options);
    }
    let pool = thread_pool(options.jobs)?;
    let tables = if options.learn && aligner.mode() == Mode::Parallel {
        pool.install(|| learn(jobs, out_dir, aligner, options))
    } else {
        Vec::new()
    };
    let aligners: Vec<((String, String), Aligner)> = tables
        .iter()
        .map(|(langs, table)| (langs.clone(), aligner.with_lexicon(table)))
        .collect();
    let pairs: Vec<PairSummary> = pool.install(|| {
        jobs.par_iter()
            .enumerate()
            // One job per task: pairs vary widely in size, so rayon's splitting should
            // balance them one by one rather than in fixed blocks.
            .with_max_len(1)
            .map(|(index, job)| {
                let summary = run_job(job, out_dir, aligner, &aligners, options);
                progress(ProgressEvent {
                    index,
                    id: &job.id,
                    status: summary.status,
                    sentences: summary.src_sentences + summary.tgt_sentences,
                });
                summary
            })
            .collect()
    });
    let totals = Totals::of(&pairs, started.elapsed().as_secs_f64());
    Ok(Summary {
        pairs,
        totals,
        lexicons: tables,
    })
}

/// Pairs whose first passes are gathered at once: enough to keep every thread busy, few
/// enough that their samples do not pile up before they are added in order.
const LEARN_CHUNK: usize = 256;

/// The learning pass over a batch: the first pass of every pair that will be aligned, its
/// confident beads added up per language pair in the manifest's order (so the tables do
/// not depend on the thread count), and one table learned for each language pair. Pairs
/// that cannot be read are left to the alignment pass, which reports them.
pub fn learn(
    jobs: &[Job],
    out_dir: Option<&Path>,
    aligner: &Aligner,
    options: &BatchOptions,
) -> Vec<((String, String), Lexicon)> {
    let pairs: Vec<&Pair> = jobs
        .iter()
        .filter_map(|job| job.pair.as_ref().ok())
        .filter(|pair| {
            out_dir.is_none_or(|dir| {
                !resume_skips(dir, &output_name(&pair.id, options.format), options)
            })
        })
        .collect();
    let mut samples: Vec<((String, String), BeadSample)> = Vec::new();
    for chunk in pairs.chunks(LEARN_CHUNK) {
        let found: Vec<Option<((String, String), BeadSample)>> = chunk
            .par_iter()
            .with_max_len(1)
            .map(|pair| {
                let src = load(&pair.src, &pair.src_lang, options).ok()?;
                let tgt = load(&pair.tgt, &pair.tgt_lang, options).ok()?;
                let sample = aligner.sample(&src, &tgt);
                Some(((src.lang, tgt.lang), sample))
            })
            .collect();
        for (langs, sample) in found.into_iter().flatten() {
            match samples.iter_mut().find(|(l, _)| *l == langs) {
                Some((_, all)) => all.extend(sample),
                None => samples.push((langs, sample)),
            }
        }
    }
    samples
        .into_iter()
        .map(|(langs, sample)| (langs, Lexicon::learn(sample)))
        .filter(|(_, table)| !table.is_empty())
        .collect()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// Runs one job and records what happened; never panics on user data.
fn run_job(
    job: &Job,
    out_dir: Option<&Path>,
    aligner: &Aligner,
    aligners: &[((String, String), Aligner)],
    options: &BatchOptions,
) -> PairSummary {
    let started = Instant::now();
    let pair = match &job.pair {
        Ok(pair) => pair,
        Err(reason) => {
            let mut summary = PairSummary::new(&job.id, Status::Failed);
            summary.error = Some(reason.clone());
            return summary;
        }
    };
    let output = output_name(&pair.id, options.format);
    let mut summary = PairSummary::new(&pair.id, Status::Ok);
    summary.src = Some(pair.src.clone());
    summary.tgt = Some(pair.tgt.clone());
    if let Some(dir) = out_dir
        && resume_skips(dir, &output, options)
    {
        summary.status = Status::Skipped;
        summary.output = Some(output);
        return summary;
    }
    match align_pair(pair, out_dir, aligner, aligners, options, &mut summary) {
        Ok(()) => {
            if out_dir.is_some() {
                summary.output = Some(output);
            }
        }
        Err(err) => {
            summary.status = Status::Failed;
            summary.error = Some(err.report().to_string());
        }
    }
    summary.seconds = round3(started.elapsed().as_secs_f64());
    summary
}

/// True when `resume` leaves the pair whose output is `dir/output` alone.
fn resume_skips(dir: &Path, output: &str, options: &BatchOptions) -> bool {
    options.resume && dir.join(output).exists()
}

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
fn remove_stale_temps(jobs: &[Job], dir: &Path, options: &BatchOptions) {
    let mut names = HashSet::new();
    for pair in jobs.iter().filter_map(|job| job.pair.as_ref().ok()) {
        let output = output_name(&pair.id, options.format);
        if !resume_skips(dir, &output, options) {
            names.insert(if options.format == Format::Moses {
                pair.id.clone()
            } else {
                output
            });
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
        let ours = if options.format == Format::Moses {
            moses_owner(target, &names).is_some()
        } else {
            names.contains(target)
        };
        if ours {
            // Best effort: a file that cannot be removed does no harm, since no writer
            // will ever pick its name again.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The id among `ids` whose Moses output `name` could be: `<id>.scores`, `<id>.<lang>`,
/// `<id>.src.<lang>` or `<id>.tgt.<lang>`.
fn moses_owner<'a>(name: &str, ids: &'a HashSet<String>) -> Option<&'a str> {
    name.match_indices('.').find_map(|(at, _)| {
        let (id, rest) = (&name[..at], &name[at + 1..]);
        let rest = rest
            .strip_prefix("src.")
            .or_else(|| rest.strip_prefix("tgt."))
            .unwrap_or(rest);
        let fits = rest == "scores" || (!rest.is_empty() && !rest.contains('.'));
        if fits {
            ids.get(id).map(String::as_str)
        } else {
            None
        }
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
    if format == Format::Moses {
        let ids: HashSet<&str> = pairs.iter().map(|p| p.id.as_str()).collect();
        for pair in &pairs {
            for infix in ["src", "tgt"] {
                if let Some(base) = pair.id.strip_suffix(&format!(".{infix}"))
                    && ids.contains(base)
                {
                    return Err(Error::Input {
                        path: PathBuf::from(&pair.id),
                        message: format!(
                            "the ids `{base}` and `{}` can write the same Moses file \
                             (`{base}.{infix}.<language>`); rename one of them",
                            pair.id
                        ),
                    });
                }
            }
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

/// The name of the summary a batch writes into its output folder.
pub const SUMMARY: &str = "summary.json";

/// True when the pair may write a file called `name` into the output folder.
///
/// For Moses output the names depend on the languages. A language given as `auto` is
/// known only once detected: with `exact`, the pair's document is read and its language
/// detected as the run will do (so only the file the run would really write counts);
/// without, any language could come out (a cheap first filter).
fn writes(pair: &Pair, format: Format, name: &str, exact: bool) -> bool {
    if format != Format::Moses {
        return name == output_name(&pair.id, format);
    }
    let Some(rest) = name
        .strip_prefix(pair.id.as_str())
        .and_then(|r| r.strip_prefix('.'))
    else {
        return false;
    };
    if rest == "scores" {
        return true;
    }
    if !exact {
        let lang = rest
            .strip_prefix("src.")
            .or_else(|| rest.strip_prefix("tgt."))
            .unwrap_or(rest);
        return !lang.is_empty() && !lang.contains('.');
    }
    let (Some(src), Some(tgt)) = (
        resolved_lang(&pair.src, &pair.src_lang),
        resolved_lang(&pair.tgt, &pair.tgt_lang),
    ) else {
        // A document that cannot be read fails its pair: nothing is written.
        return false;
    };
    // As write::moses::paths names them.
    if src == tgt {
        rest.strip_prefix("src.")
            .or_else(|| rest.strip_prefix("tgt."))
            == Some(src.as_str())
    } else {
        rest == src || rest == tgt
    }
}

/// `lang`, or when it is `auto` the language [`prepare`] will detect in `path`.
fn resolved_lang(path: &Path, lang: &str) -> Option<String> {
    if lang != "auto" {
        return Some(lang.to_owned());
    }
    let options = ReadOptions {
        lossy: true,
        ..ReadOptions::default()
    };
    let text = read_text(path, options).ok()?;
    Some(crate::lang::detect(&text).unwrap_or("und").to_owned())
}

/// The lock that keeps a second batch out of an output folder while one runs.
///
/// It is an advisory lock (`flock`) on `.bitext.lock` in the folder, which the kernel
/// releases when the process ends in any way, `kill -9` included, so a crashed run never
/// leaves the folder locked; the file is removed when the lock is dropped. Elsewhere than
/// on Unix there is no lock.
#[derive(Debug)]
pub struct OutDirLock {
    #[cfg_attr(not(unix), allow(dead_code))]
    file: Option<std::fs::File>,
    path: PathBuf,
}

/// The lock file's name in the output folder.
pub const LOCK_FILE: &str = ".bitext.lock";

impl OutDirLock {
    /// Locks `dir` (which must exist), or fails with an input error when another
    /// process holds it.
    pub fn acquire(dir: &Path) -> Result<OutDirLock> {
        let path = dir.join(LOCK_FILE);
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        #[cfg(unix)]
        {
            use std::io::{Read, Seek};
            use std::os::unix::fs::MetadataExt;
            use std::os::unix::io::AsRawFd;
            // A holder removes the file before it unlocks it, so a file locked here may
            // be one already removed: then open the new one and try again.
            for _ in 0..100 {
                let mut file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)
                    .map_err(io)?;
                // SAFETY: flock on a descriptor this function owns; no memory is shared.
                let locked =
                    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
                if !locked {
                    let err = std::io::Error::last_os_error();
                    if err.kind() != std::io::ErrorKind::WouldBlock {
                        return Err(io(err));
                    }
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    let who = if holder.is_empty() || !holder.bytes().all(|b| b.is_ascii_digit()) {
                        "another bitext batch".to_owned()
                    } else {
                        format!("another bitext batch (process {holder})")
                    };
                    return Err(Error::Input {
                        path: dir.to_path_buf(),
                        message: format!(
                            "{who} is writing into this folder (it holds {LOCK_FILE}); wait \
                             for it to finish or choose another --out-dir"
                        ),
                    });
                }
                let held = file.metadata().map_err(io)?;
                let current = std::fs::metadata(&path);
                if current.is_ok_and(|m| m.dev() == held.dev() && m.ino() == held.ino()) {
                    // Best effort: the process id only makes the refusal message clearer.
                    let _ = file.set_len(0);
                    let _ = file.rewind();
                    let _ = write!(file, "{}", std::process::id());
                    let _ = file.flush();
                    return Ok(OutDirLock {
                        file: Some(file),
                        path,
                    });
                }
            }
            Err(io(std::io::Error::other("the lock file keeps changing")))
        }
        #[cfg(not(unix))]
        {
            let _ = io;
            Ok(OutDirLock { file: None, path })
        }
    }
}

impl Drop for OutDirLock {
    fn drop(&mut self) {
        // Remove, then unlock (by closing): a process waiting on the removed file sees it
        // is gone and opens a new one.
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
        self.file = None;
    }
}

/// The file name of a pair's output; for Moses, the scores file, which the Moses
/// writer renames into place last and so marks a complete output.
fn output_name(id: &str, format: Format) -> String {
    match format {
        Format::Moses => format!("{id}.scores"),
        _ => format!("{id}.{}", format.extension()),
    }
}

fn load(path: &Path, lang: &str, options: &BatchOptions) -> Result<Document> {
    let text = read_text(
        path,
        ReadOptions {
            lossy: options.lossy,
            suggest_lossy: true,
        },
    )?;
    let doc = prepare(text, lang, options.presegmented);
    if doc.is_empty() {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: "empty document (no sentences)".into(),
        });
    }
    Ok(doc)
}

fn align_pair(
    pair: &Pair,
    out_dir: Option<&Path>,
    aligner: &Aligner,
    aligners: &[((String, String), Aligner)],
    options: &BatchOptions,
    summary: &mut PairSummary,
) -> Result<()> {
    let src = load(&pair.src, &pair.src_lang, options)?;
    let tgt = load(&pair.tgt, &pair.tgt_lang, options)?;
    // The aligner that knows the table learned from this pair's language pair, if any.
    let aligner = aligners
        .iter()
        .find(|((s, t), _)| *s == src.lang && *t == tgt.lang)
        .map_or(aligner, |(_, learned)| learned);
    let alignment = aligner.align(&src, &tgt);
    summary.src_lang = Some(src.lang.clone());
    summary.tgt_lang = Some(tgt.lang.clone());
    summary.src_sentences = src.len();
    summary.tgt_sentences = tgt.len();
    describe(&alignment, summary);
    match (options.format, out_dir) {
        (Format::Moses, None) => Ok(()),
        // The Moses writer writes its three files through temporary names itself and
        // renames the scores file last, which is why `<id>.scores` marks a done pair.
        (Format::Moses, Some(dir)) => {
            write::moses::write(&dir.join(&pair.id), &src, &tgt, &alignment, &options.write)
        }
        (format, Some(dir)) => {
            let path = dir.join(output_name(&pair.id, format));
            write_atomically(&path, |out| {
                write_format(out, format, &src, &tgt, &alignment, &options.write)
            })
        }
        (format, None) => {
            let mut sink = Vec::new();
            write_format(&mut sink, format, &src, &tgt, &alignment, &options.write)
                .map_err(Error::Write)
        }
    }
}

/// Bead counts by type, mean confidence and share unaligned.
fn describe(alignment: &Alignment, summary: &mut PairSummary) {
    let mut confidence = 0.0;
    let mut pairs = 0usize;
    let mut unaligned = 0usize;
    let mut sentences = 0usize;
    for bead in &alignment.beads {
        let kind = format!("{}-{}", bead.src.len(), bead.tgt.len());
        *summary.beads.entry(kind).or_default() += 1;
        sentences += bead.src.len() + bead.tgt.len();
        if bead.is_pair() {
            confidence += bead.confidence;
            pairs += 1;
        } else {
            unaligned += bead.src.len() + bead.tgt.len();
        }
    }
    summary.mean_confidence = (pairs > 0).then(|| round4(confidence / pairs as f64));
    summary.unaligned_share = (sentences > 0).then(|| round4(unaligned as f64 / sentences as f64));
    summary.looks_comparable = alignment.mode == Mode::Parallel && alignment.looks_comparable;
    summary.band_capped = alignment.band_capped;
}

fn write_format<W: Write>(
    out: &mut W,
    format: Format,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
) -> std::io::Result<()> {
    match format {
        Format::Tsv => write::tsv::write(out, src, tgt, alignment, options).map(|_| ()),
        Format::Beads => write::beads::write(out, alignment),
        Format::Jsonl => write::jsonl::write(out, src, tgt, alignment, options),
        Format::Tmx => write::tmx::write(out, src, tgt, alignment, options).map(|_| ()),
        Format::Moses => Err(std::io::Error::other(
            "Moses output is written by its own writer",
        )),
    }
}

/// Writes `path` through a hidden temporary file in the same folder, renamed into place
/// when complete; the temporary file is removed on failure.
fn write_atomically(
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

/// Options of the stream mode.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Pairs below this confidence are left out.
    pub min_confidence: f64,
    /// Texts hold one sentence per line.
    pub presegmented: bool,
    /// Replace invalid UTF-8 in a line with U+FFFD instead of rejecting the line.
    pub lossy: bool,
    /// Lines held in memory at once, at most (see [`stream`]).
    pub chunk_lines: usize,
    /// Bytes of input held in memory at once, about (a chunk ends at the line that
    /// crosses it).
    pub chunk_bytes: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            min_confidence: 0.0,
            presegmented: false,
            lossy: false,
            chunk_lines: 1024,
            chunk_bytes: 16 << 20,
        }
    }
}

#[derive(Deserialize)]
struct StreamInput<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    src: String,
    tgt: String,
    #[serde(default)]
    src_lang: Option<String>,
    #[serde(default)]
    tgt_lang: Option<String>,
}

/// The id alone, to keep it in the error line of a record that is otherwise bad.
#[derive(Deserialize)]
struct StreamId<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
}

#[derive(Serialize)]
struct StreamOutput<'a> {
    id: &'a RawValue,
    pairs: Vec<StreamPair>,
    error: Option<String>,
}

#[derive(Serialize)]
struct StreamPair {
    src: String,
    tgt: String,
    confidence: f64,
    src_ids: Vec<usize>,
    tgt_ids: Vec<usize>,
}

/// Maps one input line (without its line ending) to one output line (without one).
///
/// `line_number` (1-based) is used in error messages. The id is echoed exactly as given,
/// as its JSON text (any JSON value: a number beyond 64 bits or `1.50` comes back
/// unchanged); when the line is not a JSON object with an `id`, it is `null`. A line that
/// is valid JSON but not an object (an array, say) is an error.
pub fn stream_line(
    line: &[u8],
    line_number: usize,
    aligner: &Aligner,
    options: &StreamOptions,
) -> String {
    let null = RawValue::NULL;
    let error = |id: &RawValue, message: String| {
        to_line(&StreamOutput {
            id,
            pairs: Vec::new(),
            error: Some(format!("line {line_number}: {message}")),
        })
    };
    let text = match std::str::from_utf8(line) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) if options.lossy => String::from_utf8_lossy(line),
        Err(e) => {
            return error(
                null,
                format!(
                    "invalid UTF-8 at byte offset {} of the line (use --lossy to replace bad bytes)",
                    e.valid_up_to()
                ),
            );
        }
    };
    if text.trim().is_empty() {
        return error(null, "empty line".into());
    }
    let value: &RawValue = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => return error(null, format!("invalid JSON: {e}")),
    };
    // serde would read a struct from an array too, field by field in order.
    if !value.get().starts_with('{') {
        let kind = match value.get().as_bytes().first() {
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            _ => "a number",
        };
        return error(
            null,
            format!("bad record: expected a JSON object, found {kind}"),
        );
    }
    let input: StreamInput<'_> = match serde_json::from_str(value.get()) {
        Ok(input) => input,
        Err(e) => {
            let id = serde_json::from_str::<StreamId<'_>>(value.get())
                .ok()
                .and_then(|r| r.id)
                .unwrap_or(null);
            return error(id, format!("bad record: {e}"));
        }
    };
    let id = input.id.unwrap_or(null);
    let src_lang = input.src_lang.as_deref().unwrap_or("auto");
    let tgt_lang = input.tgt_lang.as_deref().unwrap_or("auto");
    if let Some(bad) = [src_lang, tgt_lang]
        .into_iter()
        .find(|c| !crate::lang::is_valid_code(c))
    {
        return error(id, format!("bad language code {bad:?}"));
    }
    let src = prepare(input.src, src_lang, options.presegmented);
    let tgt = prepare(input.tgt, tgt_lang, options.presegmented);
    let alignment = aligner.align(&src, &tgt);
    let write = WriteOptions {
        min_confidence: options.min_confidence,
        include_unaligned: false,
        header: false,
    };
    let pairs = write
        .selected(&alignment)
        .map(|bead| StreamPair {
            src: src.joined(bead.src.clone()),
            tgt: tgt.joined(bead.tgt.clone()),
            confidence: round4(bead.confidence),
            src_ids: bead.src.clone().collect(),
            tgt_ids: bead.tgt.clone().collect(),
        })
        .collect();
    to_line(&StreamOutput {
        id,
        pairs,
        error: None,
    })
}

fn to_line(output: &StreamOutput<'_>) -> String {
    // Serialising plain strings, numbers and JSON values cannot fail; keep a valid
    // line even so.
    serde_json::to_string(output).unwrap_or_else(|e| {
        format!(
            "{{\"id\":null,\"pairs\":[],\"error\":{}}}",
            serde_json::Value::String(e.to_string())
        )
    })
}

/// Counts from a stream run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamStats {
    /// Lines read.
    pub lines: u64,
    /// Lines that produced an error.
    pub errors: u64,
}

/// Reads JSON Lines from `input` and writes one result line per input line to `output`,
/// in input order.
///
/// Lines are read in chunks ([`StreamOptions::chunk_lines`] lines or about
/// [`StreamOptions::chunk_bytes`] bytes: 1024 lines, 16 MB by default), each chunk is processed in parallel on `pool` (see [`thread_pool`]), and its
/// results are written in order before the next chunk is read, so memory stays bounded
/// by a chunk. Blank lines give an error line too, keeping input and output line for line.
pub fn stream<R: BufRead, W: Write>(
    mut input: R,
    output: &mut W,
    aligner: &Aligner,
    options: &StreamOptions,
    pool: &rayon::ThreadPool,
) -> Result<StreamStats> {
    let mut stats = StreamStats::default();
    let errors = AtomicU64::new(0);
    let mut eof = false;
    while !eof {
        let mut chunk: Vec<Vec<u8>> = Vec::new();
        let mut bytes = 0;
        while chunk.len() < options.chunk_lines.max(1) && bytes < options.chunk_bytes {
            let mut line = Vec::new();
            let n = input
                .read_until(b'\n', &mut line)
                .map_err(|source| Error::Io {
                    path: PathBuf::from("<stdin>"),
                    source,
                })?;
            if n == 0 {
                eof = true;
                break;
            }
            if line.last() == Some(&b'\n') {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
            }
            bytes += n;
            chunk.push(line);
        }
        let first = stats.lines as usize + 1;
        let results: Vec<String> = pool.install(|| {
            chunk
                .par_iter()
                .enumerate()
                .with_max_len(1)
                .map(|(i, line)| {
                    let out = stream_line(line, first + i, aligner, options);
                    // Cheap check instead of re-parsing: a successful line ends this way.
                    if !out.ends_with(",\"error\":null}") {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    out
                })
                .collect()
        });
        stats.lines += chunk.len() as u64;
        drop(chunk);
        for line in results {
            output
                .write_all(line.as_bytes())
                .and_then(|()| output.write_all(b"\n"))
                .map_err(Error::Write)?;
        }
        // A consumer downstream (Spark, parallel) sees each chunk as soon as it is done.
        output.flush().map_err(Error::Write)?;
    }
    stats.errors = errors.load(Ordering::Relaxed);
    Ok(stats)
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
        assert_eq!(a.src_lang, "auto");
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

    #[test]
    fn temporary_names_are_recognised_old_and_new() {
        assert_eq!(temp_target(".a.tsv.123-4.tmp"), Some("a.tsv"));
        assert_eq!(temp_target(".a.tsv.tmp"), Some("a.tsv"));
        assert_eq!(temp_target(".a.tsv.tmp.1"), None);
        assert_eq!(temp_target("a.tsv.1-2.tmp"), None);
        // A dotted id whose last part only looks like a tag.
        assert_eq!(temp_target(".v1.2-x.tsv.tmp"), Some("v1.2-x.tsv"));
        let name = write::temp_path(Path::new("d/x.tsv"));
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
            assert!(moses_owner(name, &ids).is_some(), "{name}");
        }
        for name in ["doc", "doc.txt.gz", "other.pt", "a.scores"] {
            assert!(moses_owner(name, &ids).is_none(), "{name}");
        }
        let pair = |src_lang: &str, tgt_lang: &str| Pair {
            id: "doc".into(),
            src: "s".into(),
            tgt: "t".into(),
            src_lang: src_lang.into(),
            tgt_lang: tgt_lang.into(),
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

    #[test]
    fn describe_counts_bead_types() {
        let doc = Document::presegmented("a\nb\nc\n".into(), "en");
        let other = Document::presegmented("x\ny\n".into(), "fr");
        let alignment = Aligner::default().align(&doc, &other);
        let mut summary = PairSummary::new("p", Status::Ok);
        describe(&alignment, &mut summary);
        let total: usize = summary
            .beads
            .iter()
            .map(|(kind, n)| {
                let (s, t) = kind.split_once('-').unwrap();
                n * (s.parse::<usize>().unwrap() + t.parse::<usize>().unwrap())
            })
            .sum();
        assert_eq!(total, 5, "every sentence counted once: {:?}", summary.beads);
    }

    #[test]
    fn stream_keeps_order_across_chunks() {
        let mut input = String::new();
        for i in 0..23 {
            if i % 5 == 3 {
                input.push_str("{oops\n");
            } else {
                input.push_str(&format!(
                    "{{\"id\":{i},\"src\":\"{}\",\"tgt\":\"B. C.\"}}\n",
                    "A sentence. ".repeat(1 + (i * 7) % 11)
                ));
            }
        }
        let options = StreamOptions {
            chunk_lines: 4,
            ..StreamOptions::default()
        };
        let pool = thread_pool(2).unwrap();
        let mut out = Vec::new();
        let stats = stream(
            input.as_bytes(),
            &mut out,
            &Aligner::default(),
            &options,
            &pool,
        )
        .unwrap();
        assert_eq!(
            stats,
            StreamStats {
                lines: 23,
                errors: 4
            }
        );
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 23);
        for (i, line) in lines.iter().enumerate() {
            if i % 5 == 3 {
                assert!(line["id"].is_null());
                let expected = format!("line {}: invalid JSON", i + 1);
                assert!(line["error"].as_str().unwrap().starts_with(&expected));
            } else {
                assert_eq!(line["id"], i, "{line}");
                assert!(line["error"].is_null());
            }
        }
    }

    #[test]
    fn stream_line_errors_keep_the_id() {
        let aligner = Aligner::default();
        let opts = StreamOptions::default();
        let out: serde_json::Value =
            serde_json::from_str(&stream_line(br#"{"id":7,"src":"a"}"#, 3, &aligner, &opts))
                .unwrap();
        assert_eq!(out["id"], 7);
        assert!(out["error"].as_str().unwrap().starts_with("line 3: "));
        let out: serde_json::Value =
            serde_json::from_str(&stream_line(b"\xff{", 1, &aligner, &opts)).unwrap();
        assert!(out["id"].is_null());
        assert!(out["error"].as_str().unwrap().contains("UTF-8"));
    }
}
