//! Batch runs over many document pairs, and the line-by-line stream mode.
//!
//! A batch starts from a list of [`Job`]s, read from a manifest with [`read_manifest`]
//! or made by pairing two folders with [`pair_dirs`]. [`run()`] aligns them with rayon on
//! a pool of [`BatchOptions::jobs`] threads, writes one output per pair and returns a
//! [`Summary`] that serialises to `summary.json`.
//!
//! Guarantees:
//! - **Determinism.** Every pair is aligned alone by one shared, immutable
//!   [`Aligner`](crate::Aligner), so each output is byte-identical whatever the thread count, and the
//!   summary lists pairs in manifest order.
//! - **Faults stay local.** A missing file, invalid UTF-8, an empty document or a
//!   malformed manifest line fails that pair only; its reason goes into the summary.
//! - **No truncated outputs.** Each output is written to a hidden temporary file in the
//!   output folder (`.<id>.<ext>.<pid>-<n>.tmp`, unique to the process and the file) and
//!   renamed into place, so an interrupted run leaves either a whole output or none;
//!   [`BatchOptions::resume`] skips pairs whose output exists (as a file). [`run()`]
//!   first removes the temporary files a killed run left for the outputs it is about to
//!   write, and no other file.
//! - **No output over an input.** [`check_outputs`] refuses, before anything is written,
//!   a batch whose outputs would replace one of its inputs or each other; [`OutDirLock`]
//!   keeps a second batch out of a folder that one is writing into.
//! - **Bounded memory.** A pair's files are read when its turn comes and dropped once
//!   its output is written: memory grows with the largest pair, not the batch. The
//!   learning pass reads every pair first; it keeps what it read for the alignment pass
//!   up to a fixed budget of text (256 MB), and the pairs beyond it are read again.
//!
//! The stream mode ([`stream::stream_line`], [`stream()`]) maps JSON Lines to JSON Lines, one
//! output line per input line in input order, so it runs under Spark's `RDD.pipe`,
//! Hadoop Streaming or GNU parallel. Input: `{"id", "src", "tgt", "src_lang"?,
//! "tgt_lang"?}` (texts, not paths; languages default to `auto`). Output:
//! `{"id", "pairs": [{"src", "tgt", "confidence", "src_ids", "tgt_ids"}], "error": null}`;
//! a bad line gives `"pairs": []` and an `error` string, and `id` is `null` when it
//! cannot be read.

mod learn;
mod lock;
mod manifest;
mod outputs;
mod run;
mod stream;
mod summary;
#[cfg(test)]
mod tests;

pub use learn::learn;
pub use lock::{LOCK_FILE, OutDirLock};
pub use manifest::{Job, Pair, pair_dirs, read_manifest};
pub use outputs::{SUMMARY, check_outputs, lexicon_path, lexicon_paths, writes_into_out_dir};
pub use run::{BatchOptions, ProgressEvent, report_path, run, thread_pool};
pub use stream::{StreamOptions, stream};
pub use summary::{PairSummary, Status, Summary, Totals};

use outputs::{output_name, remove_stale_temps, write_atomically};
use run::{load, resume_skips};
use summary::{describe, round3, round4};
