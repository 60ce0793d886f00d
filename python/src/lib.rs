//! `bitext._bitext`: the Python extension module behind the `bitext` package.
//!
//! The classes and functions are documented for Python users in `bitext/_bitext.pyi`;
//! the docstrings here are what `help()` shows. Work on text runs with the interpreter
//! detached (the GIL released), so other Python threads keep running, and
//! `Aligner.align_many` spreads document pairs over a rayon pool of its own.

mod convert;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{
    PyFileNotFoundError, PyIndexError, PyOSError, PyRuntimeError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use convert::{AlignerConfig, Beads, Failure, Format, Options};

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> PyErr {
        match failure {
            Failure::Input(message) => PyValueError::new_err(message),
            Failure::Io {
                kind: std::io::ErrorKind::NotFound,
                message,
            } => PyFileNotFoundError::new_err(message),
            Failure::Io { message, .. } => PyOSError::new_err(message),
            Failure::Runtime(message) => PyRuntimeError::new_err(message),
        }
    }
}

/// Character (code point) offsets of byte offsets `bytes` into `text`; `bytes` ascending.
///
/// Python indexes a str by code point, the library by UTF-8 byte; one pass over the text
/// converts every offset.
fn char_offsets(text: &str, bytes: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut byte, mut chars) = (0, 0);
    let mut rest = text.chars();
    for target in bytes {
        while byte < target {
            match rest.next() {
                Some(c) => {
                    byte += c.len_utf8();
                    chars += 1;
                }
                None => break,
            }
        }
        out.push(chars);
    }
    out
}

/// One sentence of a text.
#[pyclass(module = "bitext", frozen, get_all, eq, hash)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Sentence {
    /// The sentence, as it stands in the text (`text[start:end]`).
    text: String,
    /// Offset of its first character in the text, in characters (code points).
    start: usize,
    /// Offset one past its last character, in characters.
    end: usize,
    /// 0-based index of its paragraph.
    paragraph: usize,
}

#[pymethods]
impl Sentence {
    fn __repr__(&self) -> String {
        format!(
            "Sentence(text={}, start={}, end={}, paragraph={})",
            py_repr(&self.text),
            self.start,
            self.end,
            self.paragraph
        )
    }
}

/// A Python-style repr of a string, for `__repr__`s.
fn py_repr(text: &str) -> String {
    Python::attach(|py| {
        PyString::new(py, text)
            .repr()
            .map_or_else(|_| format!("{text:?}"), |r| r.to_string())
    })
}

/// Split `text` into sentences.
///
/// Offsets count characters, as Python indexes a str: `text[s.start:s.end] == s.text`.
/// `lang` is an ISO 639 code (`"en"`, `"pt-BR"`) or `"auto"` to detect it.
#[pyfunction]
#[pyo3(signature = (text, lang = "auto"))]
fn segment(py: Python<'_>, text: String, lang: &str) -> PyResult<Vec<Sentence>> {
    convert::check_language(lang)?;
    Ok(py.detach(|| {
        let spans = convert::segment(&text, lang);
        let offsets = char_offsets(&text, spans.iter().flat_map(|s| [s.start, s.end]));
        spans
            .iter()
            .zip(offsets.chunks(2))
            .map(|(s, chars)| Sentence {
                text: text[s.start..s.end].to_owned(),
                start: chars[0],
                end: chars[1],
                paragraph: s.paragraph,
            })
            .collect()
    }))
}

/// One bead: consecutive source sentences aligned with consecutive target sentences.
#[pyclass(module = "bitext", frozen, get_all)]
struct Bead {
    /// Source sentence indices (empty when the target sentences are unaligned).
    src: Vec<usize>,
    /// Target sentence indices (empty when the source sentences are unaligned).
    tgt: Vec<usize>,
    /// The source sentences joined by a space (tabs and line breaks as spaces).
    src_text: String,
    /// The target sentences joined by a space.
    tgt_text: String,
    /// Probability in [0, 1] that the bead is right.
    confidence: f64,
    /// The parts of the bead's score, as log-likelihood ratios: `length`, `lexical`,
    /// `numbers`, `punctuation`.
    evidence: Py<PyDict>,
}

#[pymethods]
impl Bead {
    fn __repr__(&self) -> String {
        format!(
            "Bead(src={:?}, tgt={:?}, confidence={:.4})",
            self.src, self.tgt, self.confidence
        )
    }
}

/// An aligned document pair: what one `Aligner.align` produced.
struct Aligned {
    src: bitext::Document,
    tgt: bitext::Document,
    alignment: bitext::Alignment,
    /// The aligner's `min_confidence`: the default threshold of `pairs()` and the writers.
    min_confidence: f64,
}

impl Aligned {
    fn bead(&self, py: Python<'_>, index: usize) -> PyResult<Bead> {
        let bead = &self.alignment.beads[index];
        let evidence = PyDict::new(py);
        evidence.set_item("length", bead.evidence.length)?;
        evidence.set_item("lexical", bead.evidence.lexical)?;
        evidence.set_item("numbers", bead.evidence.numbers)?;
        evidence.set_item("punctuation", bead.evidence.punctuation)?;
        Ok(Bead {
            src: bead.src.clone().collect(),
            tgt: bead.tgt.clone().collect(),
            src_text: self.src.joined(bead.src.clone()),
            tgt_text: self.tgt.joined(bead.tgt.clone()),
            confidence: bead.confidence,
            evidence: evidence.unbind(),
        })
    }
}

/// The result of aligning two documents: a sequence of `Bead`s that covers every
/// sentence of both sides once, in source order.
#[pyclass(module = "bitext", frozen)]
struct Alignment {
    inner: Arc<Aligned>,
}

/// `threshold`, or the aligner's default when `None`, checked as `--min-confidence` is.
fn threshold(given: Option<f64>, default: f64) -> PyResult<f64> {
    let p = given.unwrap_or(default);
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(PyValueError::new_err("min_confidence must lie in [0, 1]"))
    }
}

impl Alignment {
    fn write(&self, py: Python<'_>, format: Format, options: Options) -> PyResult<String> {
        let inner = &self.inner;
        Ok(py
            .detach(|| convert::write(format, &inner.src, &inner.tgt, &inner.alignment, options))?)
    }
}

#[pymethods]
impl Alignment {
    fn __len__(&self) -> usize {
        self.inner.alignment.beads.len()
    }

    fn __getitem__(&self, py: Python<'_>, index: isize) -> PyResult<Bead> {
        let n = self.inner.alignment.beads.len();
        let i = if index < 0 { index + n as isize } else { index };
        if i < 0 || i as usize >= n {
            return Err(PyIndexError::new_err("bead index out of range"));
        }
        self.inner.bead(py, i as usize)
    }

    fn __iter__(&self) -> BeadIterator {
        BeadIterator {
            inner: self.inner.clone(),
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Alignment(beads={}, src_lang={}, tgt_lang={}, mode='{}')",
            self.inner.alignment.beads.len(),
            py_repr(&self.inner.src.lang),
            py_repr(&self.inner.tgt.lang),
            self.mode()
        )
    }

    /// The source language: the code given, or the one detected (`"und"` when unsure).
    #[getter]
    fn src_lang(&self) -> &str {
        &self.inner.src.lang
    }

    /// The target language.
    #[getter]
    fn tgt_lang(&self) -> &str {
        &self.inner.tgt.lang
    }

    /// `"parallel"` or `"comparable"`.
    #[getter]
    fn mode(&self) -> &'static str {
        match self.inner.alignment.mode {
            bitext::Mode::Parallel => "parallel",
            bitext::Mode::Comparable => "comparable",
        }
    }

    /// The source sentences the bead indices refer to.
    #[getter]
    fn src_sentences(&self) -> Vec<&str> {
        let doc = &self.inner.src;
        (0..doc.len()).map(|i| doc.sentence(i)).collect()
    }

    /// The target sentences the bead indices refer to.
    #[getter]
    fn tgt_sentences(&self) -> Vec<&str> {
        let doc = &self.inner.tgt;
        (0..doc.len()).map(|i| doc.sentence(i)).collect()
    }

    /// True when, in parallel mode, the documents look independently written rather
    /// than translated (the CLI then suggests `--mode comparable`).
    #[getter]
    fn looks_comparable(&self) -> bool {
        self.inner.alignment.looks_comparable
    }

    /// True when the search capped its band to stay in linear time and memory; uncertain
    /// passages may then be aligned less well than usual.
    #[getter]
    fn band_capped(&self) -> bool {
        self.inner.alignment.band_capped
    }

    /// The aligned pairs at or above `min_confidence` (the aligner's when None), as
    /// `(src_text, tgt_text, confidence)`; beads with an empty side are left out.
    #[pyo3(signature = (min_confidence = None))]
    fn pairs(&self, min_confidence: Option<f64>) -> PyResult<Vec<(String, String, f64)>> {
        let min = threshold(min_confidence, self.inner.min_confidence)?;
        let inner = &self.inner;
        Ok(inner
            .alignment
            .beads
            .iter()
            .filter(|b| b.is_pair() && b.confidence >= min)
            .map(|b| {
                (
                    inner.src.joined(b.src.clone()),
                    inner.tgt.joined(b.tgt.clone()),
                    b.confidence,
                )
            })
            .collect())
    }

    /// What `bitext align --format tsv` writes: `source<TAB>target<TAB>confidence` lines.
    #[pyo3(signature = (min_confidence = None, include_unaligned = false, header = false))]
    fn to_tsv(
        &self,
        py: Python<'_>,
        min_confidence: Option<f64>,
        include_unaligned: bool,
        header: bool,
    ) -> PyResult<String> {
        let options = Options {
            min_confidence: threshold(min_confidence, self.inner.min_confidence)?,
            include_unaligned,
            header,
        };
        self.write(py, Format::Tsv, options)
    }

    /// What `bitext align --format tmx` writes: a TMX 1.4b document.
    #[pyo3(signature = (min_confidence = None))]
    fn to_tmx(&self, py: Python<'_>, min_confidence: Option<f64>) -> PyResult<String> {
        let options = Options {
            min_confidence: threshold(min_confidence, self.inner.min_confidence)?,
            ..Options::default()
        };
        self.write(py, Format::Tmx, options)
    }

    /// What `bitext align --format jsonl` writes: one JSON object per bead.
    #[pyo3(signature = (min_confidence = None, include_unaligned = false))]
    fn to_jsonl(
        &self,
        py: Python<'_>,
        min_confidence: Option<f64>,
        include_unaligned: bool,
    ) -> PyResult<String> {
        let options = Options {
            min_confidence: threshold(min_confidence, self.inner.min_confidence)?,
            include_unaligned,
            header: false,
        };
        self.write(py, Format::Jsonl, options)
    }

    /// What `bitext align --format beads` writes: vecalign's `[i,j]:[k]:confidence`,
    /// every bead (no threshold).
    fn to_beads(&self, py: Python<'_>) -> PyResult<String> {
        self.write(py, Format::Beads, Options::default())
    }
}

/// Iterates over the beads of an `Alignment`.
#[pyclass(module = "bitext", frozen)]
struct BeadIterator {
    inner: Arc<Aligned>,
    next: std::sync::atomic::AtomicUsize,
}

#[pymethods]
impl BeadIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Bead>> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if i < self.inner.alignment.beads.len() {
            self.inner.bead(py, i).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// One side of a document pair: a text to segment, or sentences already split.
enum Side {
    Text(String),
    Sentences(Vec<String>),
}

impl Side {
    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Side> {
        if let Ok(text) = obj.cast::<PyString>() {
            return Ok(Side::Text(text.to_cow()?.into_owned()));
        }
        obj.extract::<Vec<String>>()
            .map(Side::Sentences)
            .map_err(|_| PyTypeError::new_err(format!("{name} must be a str or a list of str")))
    }

    fn document(self, lang: &str) -> bitext::Document {
        match self {
            Side::Text(text) => convert::document(text, lang),
            Side::Sentences(sentences) => convert::presegmented(&sentences, lang),
        }
    }
}

/// One document pair to align, with its languages checked.
struct Job {
    src: Side,
    tgt: Side,
    src_lang: String,
    tgt_lang: String,
}

impl Job {
    /// The two documents, segmented unless split already.
    fn documents(self) -> (bitext::Document, bitext::Document) {
        (
            self.src.document(&self.src_lang),
            self.tgt.document(&self.tgt_lang),
        )
    }
}

/// A Python `progress(done, total)` callback, called from the threads that align with the
/// GIL taken only for the call.
///
/// No lock is held during the call, which may release the GIL: a worker that finds the
/// callback busy leaves its report to the caller in progress, which calls again with the
/// newest count before it returns, so the calls never overlap, `done` never goes back and
/// the last call has the final count. The first exception the callback raises ends the
/// calls; the binding raises it when the work it reported on is handed back.
struct Reporter {
    callback: Py<PyAny>,
    state: Mutex<ReporterState>,
}

#[derive(Default)]
struct ReporterState {
    /// The `done` of the last call.
    last: Option<usize>,
    /// True while a thread is calling.
    busy: bool,
    error: Option<PyErr>,
}

impl Reporter {
    fn new(callback: Py<PyAny>) -> Reporter {
        Reporter {
            callback,
            state: Mutex::new(ReporterState::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ReporterState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Calls the callback with `done()` of `total`, unless that was reported already.
    fn report(&self, done: impl Fn() -> usize, total: usize) {
        loop {
            let count = {
                let mut state = self.state();
                let count = done();
                if state.busy || state.error.is_some() || state.last.is_some_and(|l| count <= l) {
                    return;
                }
                state.busy = true;
                state.last = Some(count);
                count
            };
            let result = Python::attach(|py| self.callback.call1(py, (count, total)).map(drop));
            let mut state = self.state();
            state.busy = false;
            if let Err(err) = result {
                state.error = Some(err);
                return;
            }
        }
    }

    /// The exception the callback raised, once.
    fn take_error(&self) -> Option<PyErr> {
        self.state().error.take()
    }
}

/// The progress of `align_many`: sentences aligned over every pair, reported as pairs go.
struct ManyProgress {
    reporter: Reporter,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl ManyProgress {
    /// `aligner`, reporting its progress on one pair as a share of the whole.
    fn aligner(self: &Arc<Self>, aligner: &bitext::Aligner) -> bitext::Aligner {
        let progress = self.clone();
        let last = AtomicUsize::new(0);
        aligner.with_progress(move |done, _| {
            let before = last.swap(done, Ordering::Relaxed);
            progress
                .done
                .fetch_add(done.saturating_sub(before), Ordering::Relaxed);
            progress.report();
        })
    }

    fn report(&self) {
        let total = self.total.load(Ordering::Relaxed);
        self.reporter
            .report(|| self.done.load(Ordering::Relaxed), total);
    }
}

/// The aligner and what the binding adds to it; shared by reference with the workers.
struct Core {
    aligner: bitext::Aligner,
    /// The bead types as given (`1-1,1-0`), for the message when they cover nothing.
    bead_types: Option<String>,
    min_confidence: f64,
}

impl Core {
    /// Segments (unless split already) and aligns one pair, as `bitext align` does.
    fn run(&self, job: Job) -> Result<Aligned, Failure> {
        let (src, tgt) = job.documents();
        self.align(&self.aligner, src, tgt)
    }

    /// Aligns one pair with `aligner`, this core's aligner or the same reporting progress.
    fn align(
        &self,
        aligner: &bitext::Aligner,
        src: bitext::Document,
        tgt: bitext::Document,
    ) -> Result<Aligned, Failure> {
        let alignment = aligner.align(&src, &tgt);
        if alignment.beads.is_empty() && !(src.is_empty() && tgt.is_empty()) {
            // Only restricted bead types get here: without 1-0 and 0-1 some sentence
            // counts cannot be covered.
            return Err(Failure::Input(format!(
                "no alignment with bead types {} covers the {} source and {} target sentences: \
                 every sentence must be in one bead; add 1-0,0-1 to bead_types to let \
                 sentences go unaligned",
                self.bead_types.as_deref().unwrap_or_default(),
                src.len(),
                tgt.len()
            )));
        }
        Ok(Aligned {
            src,
            tgt,
            alignment,
            min_confidence: self.min_confidence,
        })
    }
}

/// Parses bead types given as `"1-1,1-0"`, `["1-1", "1-0"]` or `[(1, 1), (1, 0)]`; the
/// CLI's message for a malformed one.
fn parse_bead_types(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(usize, usize)>> {
    let parse = |item: &str| -> PyResult<(usize, usize)> {
        let bad = || PyValueError::new_err(format!("bad bead type {item:?}: expected e.g. 1-2"));
        let (a, b) = item.trim().split_once('-').ok_or_else(bad)?;
        let number = |x: &str| x.parse::<usize>().map_err(|_| bad());
        Ok((number(a)?, number(b)?))
    };
    if let Ok(text) = obj.cast::<PyString>() {
        return text.to_cow()?.split(',').map(parse).collect();
    }
    let mut types = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        if let Ok(text) = item.cast::<PyString>() {
            types.push(parse(&text.to_cow()?)?);
        } else {
            types.push(item.extract::<(usize, usize)>().map_err(|_| {
                PyTypeError::new_err("a bead type is a pair of counts such as (1, 2) or \"1-2\"")
            })?);
        }
    }
    Ok(types)
}

/// Paths given as one path or a list of them.
fn paths(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    match obj {
        None => Ok(Vec::new()),
        Some(obj) => match obj.extract::<PathBuf>() {
            Ok(path) => Ok(vec![path]),
            Err(_) => obj.extract::<Vec<PathBuf>>(),
        },
    }
}

/// Aligns the sentences of translated documents.
///
/// An aligner is immutable and can be shared between threads.
#[pyclass(module = "bitext", frozen)]
struct Aligner {
    core: Arc<Core>,
    repr: String,
}

#[pymethods]
impl Aligner {
    #[new]
    #[pyo3(signature = (
        mode = "parallel",
        bead_types = None,
        min_confidence = 0.0,
        lexicon = None,
        dictionary = None,
        temperature = None,
    ))]
    fn new(
        py: Python<'_>,
        mode: &str,
        bead_types: Option<&Bound<'_, PyAny>>,
        min_confidence: f64,
        lexicon: Option<&Bound<'_, PyAny>>,
        dictionary: Option<&Bound<'_, PyAny>>,
        temperature: Option<f64>,
    ) -> PyResult<Aligner> {
        let mode = match mode {
            "parallel" => bitext::Mode::Parallel,
            "comparable" => bitext::Mode::Comparable,
            other => {
                return Err(PyValueError::new_err(format!(
                    "bad mode {other:?}: expected \"parallel\" or \"comparable\""
                )));
            }
        };
        let min_confidence = threshold(Some(min_confidence), 0.0)?;
        let bead_types = bead_types.map(parse_bead_types).transpose()?;
        let config = AlignerConfig {
            mode,
            bead_types: bead_types.clone(),
            temperature,
            lexicons: paths(lexicon)?,
            dictionaries: paths(dictionary)?,
        };
        let (aligner, warnings) = py.detach(|| convert::build_aligner(&config))?;
        for warning in warnings {
            user_warning(py, warning)?;
        }
        let bead_types = bead_types.map(|types| {
            let items: Vec<String> = types.iter().map(|(a, b)| format!("{a}-{b}")).collect();
            items.join(",")
        });
        let repr = format!(
            "Aligner(mode={}, bead_types={}, min_confidence={min_confidence:?})",
            py_repr(if mode == bitext::Mode::Parallel {
                "parallel"
            } else {
                "comparable"
            }),
            bead_types.as_deref().map_or_else(|| "None".into(), py_repr),
        );
        Ok(Aligner {
            core: Arc::new(Core {
                aligner,
                bead_types,
                min_confidence,
            }),
            repr,
        })
    }

    fn __repr__(&self) -> &str {
        &self.repr
    }

    /// Align `src` with `tgt`.
    ///
    /// Each side is a str, segmented into sentences for you, or a list of str taken as its
    /// sentences (as `bitext align --presegmented` takes lines). Languages are ISO 639
    /// codes or `"auto"`. `progress(done, total)`, when given, is called as the alignment
    /// goes on, in sentences of both sides, ending with `done == total`; an exception it
    /// raises ends the calls and is raised by `align` when the alignment is done.
    #[pyo3(signature = (src, tgt, src_lang = "auto", tgt_lang = "auto", progress = None))]
    fn align(
        &self,
        py: Python<'_>,
        src: &Bound<'_, PyAny>,
        tgt: &Bound<'_, PyAny>,
        src_lang: &str,
        tgt_lang: &str,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Alignment> {
        let job = job(src, tgt, src_lang, tgt_lang)?;
        let core = &self.core;
        let Some(callback) = progress else {
            let aligned = py.detach(|| core.run(job))?;
            return Ok(Alignment {
                inner: Arc::new(aligned),
            });
        };
        let reporter = Arc::new(Reporter::new(callback));
        let reporting = reporter.clone();
        let aligner = core
            .aligner
            .with_progress(move |done, total| reporting.report(|| done, total));
        let aligned = py.detach(|| {
            let (src, tgt) = job.documents();
            core.align(&aligner, src, tgt)
        });
        if let Some(err) = reporter.take_error() {
            return Err(err);
        }
        Ok(Alignment {
            inner: Arc::new(aligned?),
        })
    }

    /// Align many document pairs in parallel.
    ///
    /// `pairs` holds `(src, tgt)` or `(src, tgt, src_lang, tgt_lang)` tuples, each side a
    /// str or a list of str as in `align`. The pairs run on `jobs` threads (one per core
    /// when None; at most 4 per core) with the GIL released; the iterator yields their
    /// `Alignment`s in input order as they are ready, and raises a pair's error when it
    /// comes to that pair. `progress(done, total)`, when given, is called from the worker
    /// threads (one call at a time) in sentences over every pair, ending with
    /// `done == total`; an exception it raises ends the calls and is raised by the
    /// iterator's next step.
    #[pyo3(signature = (pairs, jobs = None, src_lang = "auto", tgt_lang = "auto", progress = None))]
    fn align_many(
        &self,
        pairs: &Bound<'_, PyAny>,
        jobs: Option<usize>,
        src_lang: &str,
        tgt_lang: &str,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<AlignmentIterator> {
        let mut work = Vec::new();
        for item in pairs.try_iter()? {
            let item = item?;
            let tuple = item.cast::<PyTuple>().map_err(|_| {
                PyTypeError::new_err(
                    "each pair is a tuple (src, tgt) or (src, tgt, src_lang, tgt_lang)",
                )
            })?;
            let job = match tuple.len() {
                2 => job(&tuple.get_item(0)?, &tuple.get_item(1)?, src_lang, tgt_lang)?,
                4 => job(
                    &tuple.get_item(0)?,
                    &tuple.get_item(1)?,
                    &tuple.get_item(2)?.extract::<String>()?,
                    &tuple.get_item(3)?.extract::<String>()?,
                )?,
                _ => {
                    return Err(PyTypeError::new_err(
                        "each pair is a tuple (src, tgt) or (src, tgt, src_lang, tgt_lang)",
                    ));
                }
            };
            work.push(job);
        }
        let jobs = match jobs {
            Some(0) => return Err(PyValueError::new_err("jobs must be at least 1")),
            Some(n) => Some(cap_jobs(pairs.py(), n)?),
            None => None,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.unwrap_or(0))
            .thread_name(|i| format!("bitext-{i}"))
            .build()
            .map_err(|err| PyRuntimeError::new_err(format!("cannot start threads: {err}")))?;
        let progress = progress.map(|callback| {
            Arc::new(ManyProgress {
                reporter: Reporter::new(callback),
                done: AtomicUsize::new(0),
                total: AtomicUsize::new(0),
            })
        });
        Ok(AlignmentIterator::start(
            self.core.clone(),
            pool,
            work,
            progress,
        ))
    }
}

/// Threads per core beyond which `jobs` is capped, as the CLI caps `--jobs`.
const MAX_JOBS_PER_CORE: usize = 4;

/// `jobs`, or fewer with the CLI's warning (as a `UserWarning`) when thousands of threads
/// would only thrash the machine.
fn cap_jobs(py: Python<'_>, jobs: usize) -> PyResult<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = MAX_JOBS_PER_CORE * cores;
    if jobs <= max {
        return Ok(jobs);
    }
    let message = format!(
        "jobs={jobs} is more than {MAX_JOBS_PER_CORE} threads for each of the {cores} cores; \
         using {max}"
    );
    user_warning(py, message)?;
    Ok(max)
}

/// Gives `message` as a `UserWarning` pointing at the caller's line.
fn user_warning(py: Python<'_>, message: String) -> PyResult<()> {
    let message = std::ffi::CString::new(message).unwrap_or_default();
    let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
    PyErr::warn(py, category.as_any(), &message, 2)
}

/// Extracts and checks one document pair.
fn job(
    src: &Bound<'_, PyAny>,
    tgt: &Bound<'_, PyAny>,
    src_lang: &str,
    tgt_lang: &str,
) -> PyResult<Job> {
    convert::check_language(src_lang)?;
    convert::check_language(tgt_lang)?;
    Ok(Job {
        src: Side::extract(src, "src")?,
        tgt: Side::extract(tgt, "tgt")?,
        src_lang: src_lang.to_owned(),
        tgt_lang: tgt_lang.to_owned(),
    })
}

/// What the workers of `align_many` hand back: the pair's position and its result.
type Done = (usize, Result<Aligned, Failure>);

/// The receiving end of `align_many`: results arrive in any order and leave in input
/// order.
struct Receiving {
    results: mpsc::Receiver<Done>,
    /// Results that came before their turn.
    waiting: BTreeMap<usize, Result<Aligned, Failure>>,
    next: usize,
}

/// Yields the `Alignment`s of `Aligner.align_many` in input order.
#[pyclass(module = "bitext", frozen)]
struct AlignmentIterator {
    // A mutex, not a RefCell: the iterator may be shared between Python threads, and it is
    // locked only while the interpreter is detached (see `__next__`).
    receiving: Mutex<Receiving>,
    total: usize,
    /// Set when the iterator is dropped: the workers skip the pairs not started yet.
    cancelled: Arc<AtomicBool>,
    progress: Option<Arc<ManyProgress>>,
}

impl AlignmentIterator {
    fn start(
        core: Arc<Core>,
        pool: rayon::ThreadPool,
        work: Vec<Job>,
        progress: Option<Arc<ManyProgress>>,
    ) -> AlignmentIterator {
        use rayon::prelude::*;
        let total = work.len();
        let (sender, results) = mpsc::channel();
        let cancelled = Arc::new(AtomicBool::new(false));
        let stop = cancelled.clone();
        let reporting = progress.clone();
        // The pool runs on a thread of its own so that the caller gets the iterator at once
        // and takes the first results while later pairs are still being aligned.
        std::thread::spawn(move || {
            pool.install(|| {
                let send = |sender: &mut mpsc::Sender<Done>, i, result| {
                    if sender.send((i, result)).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                };
                let Some(progress) = reporting else {
                    work.into_par_iter()
                        .enumerate()
                        .for_each_with(sender, |sender, (i, job)| {
                            if !stop.load(Ordering::Relaxed) {
                                send(sender, i, core.run(job));
                            }
                        });
                    return;
                };
                // Progress counts sentences over every pair, so every pair is segmented
                // before the first is aligned.
                let documents: Vec<_> = work.into_par_iter().map(Job::documents).collect();
                let sentences: usize = documents.iter().map(|(s, t)| s.len() + t.len()).sum();
                progress.total.store(sentences, Ordering::Relaxed);
                documents.into_par_iter().enumerate().for_each_with(
                    sender,
                    |sender, (i, (src, tgt))| {
                        if !stop.load(Ordering::Relaxed) {
                            let aligner = progress.aligner(&core.aligner);
                            send(sender, i, core.align(&aligner, src, tgt));
                        }
                    },
                );
            });
        });
        AlignmentIterator {
            receiving: Mutex::new(Receiving {
                results,
                waiting: BTreeMap::new(),
                next: 0,
            }),
            total,
            cancelled,
            progress,
        }
    }

    /// The next result in input order, waiting for it; `None` at the end.
    fn next_result(&self) -> Option<Result<Aligned, Failure>> {
        let mut receiving = match self.receiving.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let r = &mut *receiving;
        if r.next >= self.total {
            return None;
        }
        let wanted = r.next;
        r.next += 1;
        loop {
            if let Some(result) = r.waiting.remove(&wanted) {
                return Some(result);
            }
            match r.results.recv() {
                Ok((i, result)) if i == wanted => return Some(result),
                Ok((i, result)) => {
                    r.waiting.insert(i, result);
                }
                Err(_) => {
                    return Some(Err(Failure::Runtime(
                        "the alignment workers stopped before the end (a bug: please report it)"
                            .into(),
                    )));
                }
            }
        }
    }
}

impl Drop for AlignmentIterator {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

#[pymethods]
impl AlignmentIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Alignment>> {
        // Waiting happens detached, so the workers' progress never waits on the GIL and a
        // second Python thread on this iterator blocks on the mutex without holding it.
        let next = py.detach(|| self.next_result());
        if let Some(err) = self.progress.as_ref().and_then(|p| p.reporter.take_error()) {
            return Err(err);
        }
        match next {
            None => Ok(None),
            Some(result) => Ok(Some(Alignment {
                inner: Arc::new(result?),
            })),
        }
    }

    fn __length_hint__(&self) -> usize {
        let next = match self.receiving.lock() {
            Ok(guard) => guard.next,
            Err(poisoned) => poisoned.into_inner().next,
        };
        self.total - next
    }
}

/// One side of `evaluate`.
fn beads(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Beads> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(Beads::Text(text.to_cow()?.into_owned()));
    }
    if let Ok(alignment) = obj.cast::<Alignment>() {
        let beads = &alignment.get().inner.alignment.beads;
        return Ok(Beads::List(
            beads
                .iter()
                .map(|b| {
                    (
                        b.src.clone().collect(),
                        b.tgt.clone().collect(),
                        Some(b.confidence),
                    )
                })
                .collect(),
        ));
    }
    let mut list = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        let bead = if let Ok((src, tgt)) = item.extract::<(Vec<usize>, Vec<usize>)>() {
            (src, tgt, None)
        } else if let Ok((src, tgt, c)) = item.extract::<(Vec<usize>, Vec<usize>, f64)>() {
            (src, tgt, Some(c))
        } else if let Ok(bead) = item.cast::<Bead>() {
            let bead = bead.get();
            (bead.src.clone(), bead.tgt.clone(), Some(bead.confidence))
        } else {
            return Err(PyTypeError::new_err(format!(
                "{name}: a bead is (src indices, tgt indices) such as ([0], [0, 1])"
            )));
        };
        list.push(bead);
    }
    Ok(Beads::List(list))
}

/// Score `test` against `gold` as vecalign's scorer does: strict and lax precision,
/// recall and F1.
///
/// Each side is bead-format text (`[0,1]:[2]` lines, as `Alignment.to_beads()` writes),
/// a list of `(src indices, tgt indices)`, or an `Alignment`.
#[pyfunction]
fn evaluate<'py>(
    py: Python<'py>,
    gold: &Bound<'py, PyAny>,
    test: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let gold = beads(gold, "gold")?;
    let test = beads(test, "test")?;
    let scores = py.detach(|| convert::evaluate(gold, test))?;
    let out = PyDict::new(py);
    for (name, value) in scores {
        out.set_item(name, value)?;
    }
    Ok(out)
}

/// The extension module.
#[pymodule]
fn _bitext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(segment, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_class::<Sentence>()?;
    m.add_class::<Bead>()?;
    m.add_class::<Alignment>()?;
    m.add_class::<Aligner>()?;
    m.add_class::<AlignmentIterator>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::char_offsets;

    #[test]
    fn byte_offsets_become_character_offsets() {
        let text = "Olá. Até já. 日本語。";
        let bytes: Vec<usize> = [0, 5, 6, 15, 16, text.len()].to_vec();
        assert_eq!(char_offsets(text, bytes), [0, 4, 5, 12, 13, 17]);
    }
}
