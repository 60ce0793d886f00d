//! The alignment pass over a batch: one pair per rayon task, each written alone.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::*;
use crate::align::{Aligner, Mode};
use crate::doc::{Document, DocumentOptions};
use crate::error::{Error, Result};
use crate::lang::Language;
use crate::read::{InputFormat, ReadOptions, read_text_as};
use crate::write::{self, Format, Sink, WriteOptions};

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Output format.
    pub format: Format,
    /// Options passed to the writer.
    pub write: WriteOptions,
    /// Worker threads (0: one per core).
    pub jobs: usize,
    /// Skip pairs whose output already exists as a file, except those in `redo`.
    pub resume: bool,
    /// The ids that `resume` aligns again even when their output exists: those the
    /// previous run's summary records as failed (the output is an older run's).
    pub redo: std::collections::HashSet<String>,
    /// How texts become documents: pre-segmented, or segmented with which profiles.
    pub documents: DocumentOptions,
    /// Replace invalid UTF-8 instead of failing the pair.
    pub lossy: bool,
    /// In parallel mode, learn one table of word translations from all the pairs of each
    /// language pair before aligning them (a first pass over the batch), as well as from
    /// each pair alone, and, for a language pair of two pairs or more, the word models that
    /// weigh each of them ([`crate::align::evidence::model::CorpusModel`]).
    pub learn: bool,
    /// With `learn`, also learn each table's word model
    /// ([`Aligner::sample_with_words`]): for tables that are written out.
    pub word_model: bool,
    /// Also write a review page `<id>.html` for each pair into this folder (see
    /// [`write::report`]).
    pub report: Option<PathBuf>,
    /// The documents' format ([`InputFormat::Auto`]: by extension).
    pub input_format: InputFormat,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            format: Format::Tsv,
            write: WriteOptions::default(),
            jobs: 0,
            resume: false,
            redo: Default::default(),
            documents: DocumentOptions::default(),
            lossy: false,
            learn: true,
            word_model: false,
            report: None,
            input_format: InputFormat::Auto,
        }
    }
}

/// Reported to the progress callback as pairs finish (from worker threads, in any order).
#[derive(Debug, Clone, Copy)]
pub struct ProgressEvent {
    /// Index of the job in the batch.
    pub index: usize,
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
    progress: &(dyn Fn(ProgressEvent) + Sync),
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
    let (tables, mut models, kept) = if options.learn && aligner.mode() == Mode::Parallel {
        pool.install(|| learn(jobs, out_dir, aligner, options))
    } else {
        (Vec::new(), Vec::new(), jobs.iter().map(|_| None).collect())
    };
    // One aligner per language pair that learned something: its table, its word models.
    let mut aligners: Vec<((String, String), Aligner)> = Vec::new();
    for (langs, table) in &tables {
        let model = models
            .iter()
            .position(|(l, _)| l == langs)
            .map(|k| models.remove(k).1);
        aligners.push((langs.clone(), aligner.with_corpus(Some(table), model)));
    }
    for (langs, model) in models {
        aligners.push((langs, aligner.with_corpus(None, Some(model))));
    }
    let pairs: Vec<PairSummary> = pool.install(|| {
        jobs.par_iter()
            .zip(kept)
            .enumerate()
            // One job per task: pairs vary widely in size, so rayon's splitting should
            // balance them one by one rather than in fixed blocks.
            .with_max_len(1)
            .map(|(index, (job, kept))| {
                let summary = run_job(job, kept, out_dir, aligner, &aligners, options);
                progress(ProgressEvent {
                    index,
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

/// Runs one job, on the documents the learning pass `kept` when it kept them, and records
/// what happened; never panics on user data.
fn run_job(
    job: &Job,
    kept: learn::Kept,
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
        && resume_skips(dir, &pair.id, options)
    {
        summary.status = Status::Skipped;
        summary.output = Some(output);
        return summary;
    }
    match align_pair(
        pair,
        kept,
        out_dir,
        aligner,
        aligners,
        options,
        &mut summary,
    ) {
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

/// True when `resume` leaves the pair `id` alone: its output in `dir` is a file (a
/// folder or other thing of that name is no output), and the previous run did not fail it.
pub(super) fn resume_skips(dir: &Path, id: &str, options: &BatchOptions) -> bool {
    options.resume
        && !options.redo.contains(id)
        && dir.join(output_name(id, options.format)).is_file()
}

pub(super) fn load(path: &Path, lang: &Language, options: &BatchOptions) -> Result<Document> {
    let text = read_text_as(
        path,
        ReadOptions {
            lossy: options.lossy,
            suggest_lossy: true,
        },
        options.input_format,
    )?;
    let doc = options.documents.document(text, lang);
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
    kept: learn::Kept,
    out_dir: Option<&Path>,
    aligner: &Aligner,
    aligners: &[((String, String), Aligner)],
    options: &BatchOptions,
    summary: &mut PairSummary,
) -> Result<()> {
    let (src, tgt) = match kept {
        Some(documents) => documents,
        None => (
            load(&pair.src, &pair.src_lang, options)?,
            load(&pair.tgt, &pair.tgt_lang, options)?,
        ),
    };
    // The aligner that knows the table learned from this pair's language pair, if any.
    let aligner = aligners
        .iter()
        .find(|((s, t), _)| *s == src.lang && *t == tgt.lang)
        .map_or(aligner, |(_, learned)| learned);
    // The report's plot needs the evidence the alignment weighed: get both in one pass.
    let (alignment, similarity) = if options.report.is_some() {
        aligner.align_with_similarity(&src, &tgt, REPORT_POINTS)
    } else {
        (aligner.align(&src, &tgt), Vec::new())
    };
    summary.src_lang = Some(src.lang.clone());
    summary.tgt_lang = Some(tgt.lang.clone());
    summary.src_sentences = src.len();
    summary.tgt_sentences = tgt.len();
    describe(&alignment, summary);
    if let Some(dir) = &options.report {
        write_atomically(&report_path(dir, &pair.id), |out| {
            write::report::write(out, &src, &tgt, &alignment, &similarity)
        })?;
    }
    let format = options.format;
    let sink = match out_dir {
        Some(dir) => Sink::Path(format.target(dir, &pair.id)),
        // Benchmarks: format and drop, for the formats that can write to a stream.
        None if format.needs_path() => return Ok(()),
        None => Sink::stream(std::io::sink()),
    };
    // Written last: the output's presence marks a pair as done (`resume`).
    let mut writer = format.writer(sink, options.write.clone())?;
    writer.write(&src, &tgt, &alignment)?;
    writer.finish().map(|_| ())
}

/// Points of the similarity plot in a review page, as `align --report` draws it.
const REPORT_POINTS: usize = 20_000;

/// The review page of pair `id` in folder `dir`.
pub fn report_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.html"))
}
