//! The stream mode: JSON Lines of document pairs in, JSON Lines of sentence pairs out.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, mpsc};

use super::*;
use crate::align::Aligner;
use crate::doc::DocumentOptions;
use crate::error::{Error, Result};
use crate::lang::Language;
use crate::write::WriteOptions;

/// Options of the stream mode.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Pairs below this confidence are left out.
    pub min_confidence: f64,
    /// How texts become documents: pre-segmented, or segmented with which profiles.
    pub documents: DocumentOptions,
    /// The source language of a line that names none.
    pub src_lang: Language,
    /// The target language of a line that names none.
    pub tgt_lang: Language,
    /// Replace invalid UTF-8 in a line with U+FFFD instead of rejecting the line.
    pub lossy: bool,
    /// Lines read ahead of the one being written, at most (see [`stream()`]).
    pub chunk_lines: usize,
    /// Bytes of input read ahead of the line being written, about (one more line is read
    /// when nothing is in hand).
    pub chunk_bytes: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            min_confidence: 0.0,
            documents: DocumentOptions::default(),
            src_lang: Language::Auto,
            tgt_lang: Language::Auto,
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
    let lang = |given: Option<String>, default: &Language| match given {
        None => Ok(default.clone()),
        Some(code) => code
            .parse::<Language>()
            .map_err(|_| format!("bad language code {code:?}")),
    };
    let (src_lang, tgt_lang) = match (
        lang(input.src_lang, &options.src_lang),
        lang(input.tgt_lang, &options.tgt_lang),
    ) {
        (Ok(src), Ok(tgt)) => (src, tgt),
        (Err(message), _) | (_, Err(message)) => return error(id, message),
    };
    let src = options.documents.document(input.src, &src_lang);
    let tgt = options.documents.document(input.tgt, &tgt_lang);
    // As in a batch: no pair can come of it, and `"pairs":[]` alone would look aligned.
    for (doc, side) in [(&src, "src"), (&tgt, "tgt")] {
        if doc.is_empty() {
            return error(id, format!("{side}: empty document (no sentences)"));
        }
    }
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
/// in input order, each as soon as it and every line before it are done.
///
/// A worker: a line is answered, and `output` flushed, without waiting for more input, so
/// a program can write one line and read its answer before it writes the next. A thread
/// reads the input and hands each line to `pool` (see [`thread_pool`]) as it arrives;
/// results wait in a reorder buffer until the lines before them are written. Reading
/// stays at most [`StreamOptions::chunk_lines`] lines and about
/// [`StreamOptions::chunk_bytes`] bytes ahead of writing (1024 lines, 16 MB by default),
/// so memory is bounded and, with enough lines in hand, every thread is busy. Each line is
/// aligned alone: nothing is learned across lines, so nothing waits for the end of the
/// input. Blank lines give an error line too, keeping input and output line for line.
///
/// After a write error the function returns once the reading thread notices: at the next
/// line or the end of the input.
pub fn stream<R: BufRead + Send, W: Write>(
    input: R,
    output: &mut W,
    aligner: &Aligner,
    options: &StreamOptions,
    pool: &rayon::ThreadPool,
) -> Result<StreamStats> {
    let window = Window {
        state: Mutex::new(InHand::default()),
        wake: Condvar::new(),
        max_lines: options.chunk_lines.max(1),
        max_bytes: options.chunk_bytes,
    };
    let (tx, rx) = mpsc::channel::<Answer>();
    std::thread::scope(|threads| {
        let reader = threads.spawn(|| read_lines(input, tx, &window, aligner, options, pool));
        let written = write_in_order(&rx, output, &window);
        if written.is_err() {
            window.stop();
        }
        drop(rx);
        // A panic in the reader (or in a line's task) is a bug: pass it on.
        let read = match reader.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let stats = written?;
        read?;
        Ok(stats)
    })
}

/// The answer to one line, from a task of the pool to the writing side.
struct Answer {
    /// The line's index (0-based).
    index: usize,
    /// The output line.
    line: String,
    /// The bytes it took in the input.
    bytes: usize,
}

/// What the reader has read and the writer not yet written.
#[derive(Default)]
struct InHand {
    lines: usize,
    bytes: usize,
    /// The writer failed: read no more.
    stop: bool,
}

/// The bound on how far reading runs ahead of writing.
struct Window {
    state: Mutex<InHand>,
    wake: Condvar,
    max_lines: usize,
    max_bytes: usize,
}

impl Window {
    fn lock(&self) -> std::sync::MutexGuard<'_, InHand> {
        // A poisoned lock means a panic elsewhere, which is passed on anyway.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for room for a line of `bytes` bytes (a line always fits when nothing is in
    /// hand) and takes it; false when the writer asked to stop.
    fn enter(&self, bytes: usize) -> bool {
        let mut state = self.lock();
        while !state.stop
            && state.lines > 0
            && (state.lines >= self.max_lines || state.bytes >= self.max_bytes)
        {
            state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        if !state.stop {
            state.lines += 1;
            state.bytes += bytes;
        }
        !state.stop
    }

    /// Gives back the room of a line written.
    fn leave(&self, bytes: usize) {
        let mut state = self.lock();
        state.lines -= 1;
        state.bytes -= bytes;
        self.wake.notify_all();
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.wake.notify_all();
    }
}

/// Reads lines and hands each to the pool, waiting while the window is full; returns when
/// the input ends (after every line's task) or the writer asked it to stop.
fn read_lines<R: BufRead>(
    mut input: R,
    tx: mpsc::Sender<Answer>,
    window: &Window,
    aligner: &Aligner,
    options: &StreamOptions,
    pool: &rayon::ThreadPool,
) -> Result<()> {
    pool.in_place_scope(|scope| {
        for index in 0.. {
            let mut line = Vec::new();
            let bytes = input
                .read_until(b'\n', &mut line)
                .map_err(|source| Error::Io {
                    path: PathBuf::from("<stdin>"),
                    source,
                })?;
            if bytes == 0 || !window.enter(bytes) {
                break;
            }
            if line.last() == Some(&b'\n') {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
            }
            let tx = tx.clone();
            scope.spawn(move |_| {
                let line = stream_line(&line, index + 1, aligner, options);
                // The writer is gone only after an error it reports itself.
                let _ = tx.send(Answer { index, line, bytes });
            });
        }
        Ok(())
    })
}

/// Writes the answers in input order as they come, flushing after each line, and gives
/// their room back to the reader.
fn write_in_order<W: Write>(
    rx: &mpsc::Receiver<Answer>,
    output: &mut W,
    window: &Window,
) -> Result<StreamStats> {
    let mut stats = StreamStats::default();
    let mut waiting: BTreeMap<usize, Answer> = BTreeMap::new();
    for answer in rx {
        waiting.insert(answer.index, answer);
        while let Some(answer) = waiting.remove(&(stats.lines as usize)) {
            // Cheap check instead of re-parsing: a successful line ends this way.
            if !answer.line.ends_with(",\"error\":null}") {
                stats.errors += 1;
            }
            output
                .write_all(answer.line.as_bytes())
                .and_then(|()| output.write_all(b"\n"))
                .and_then(|()| output.flush())
                .map_err(Error::Write)?;
            stats.lines += 1;
            window.leave(answer.bytes);
        }
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_window_of_one_line_still_answers_every_line_in_order() {
        let input: String = (0..12)
            .map(|i| format!("{{\"id\":{i},\"src\":\"A. B.\",\"tgt\":\"C. D.\"}}\n"))
            .collect();
        for (lines, bytes) in [(1, 1 << 20), (1024, 1)] {
            let options = StreamOptions {
                chunk_lines: lines,
                chunk_bytes: bytes,
                ..StreamOptions::default()
            };
            let mut out = Vec::new();
            let pool = thread_pool(2).unwrap();
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
                    lines: 12,
                    errors: 0
                }
            );
            let ids: Vec<u64> = String::from_utf8(out)
                .unwrap()
                .lines()
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                        .as_u64()
                        .unwrap()
                })
                .collect();
            assert_eq!(ids, (0..12).collect::<Vec<u64>>());
        }
    }

    #[test]
    fn stream_line_with_an_empty_side_is_an_error() {
        let aligner = Aligner::default();
        let opts = StreamOptions::default();
        for line in [
            br#"{"id":1,"src":"","tgt":"Un. Deux."}"#.as_slice(),
            br#"{"id":1,"src":"One. Two.","tgt":"  \n "}"#,
        ] {
            let out: serde_json::Value =
                serde_json::from_str(&stream_line(line, 2, &aligner, &opts)).unwrap();
            assert_eq!(out["id"], 1);
            let error = out["error"].as_str().unwrap();
            assert!(error.contains("empty document (no sentences)"), "{error}");
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
