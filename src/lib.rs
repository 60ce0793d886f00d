//! bitext turns translations of the same document into a parallel corpus: it splits each
//! version into sentences, pairs the sentences across languages and writes the pairs with
//! a calibrated confidence.
//!
//! The pipeline runs one way, one type per stage:
//!
//! - [`Segmenter`] (configured with [`SegmenterBuilder`]) splits a text into
//!   [`Sentence`]s, byte spans into the text; a [`Document`] is a text with its sentences
//!   and its language. [`DocumentOptions`] makes documents the way the `bitext` command
//!   does: the [`Language`] given or detected, a custom profile or abbreviations, or
//!   pre-segmented input.
//! - [`Aligner`] (configured with [`AlignerBuilder`]: [`Mode`], bead types, word
//!   translations, a progress callback) pairs the sentences of two documents into an
//!   [`Alignment`]: [`Bead`]s that cover every sentence once, each with a confidence in
//!   [0, 1] and the [`Evidence`] that scored it.
//! - [`mod@write`] prints alignments as TSV, vecalign beads, JSON Lines, TMX or Moses
//!   files, every format behind one [`write::Writer`] chosen by [`write::Format`].
//! - [`eval`] scores alignments and segmentations against gold, as vecalign's scorer does.
//! - [`read`] decodes files (compressed, UTF-16) the way the command does.
//!
//! Errors are one [`Error`] type whose [`Error::kind`] tells bad input from a runtime
//! failure. The [`Aligner`] and [`Segmenter`] are immutable, `Send` and `Sync`: share one
//! across threads.
//!
//! ```
//! use bitext::write::{Format, Sink, WriteOptions};
//! use bitext::{Aligner, Document, Mode, Segmenter};
//!
//! let src = Document::segmented(
//!     "The cat sleeps. It is 3 p.m. and the sun is out.".into(),
//!     &Segmenter::for_language("en"),
//! );
//! let tgt = Document::segmented(
//!     "Le chat dort. Il est 15 h et il fait soleil.".into(),
//!     &Segmenter::for_language("fr"),
//! );
//! let aligner = Aligner::builder().mode(Mode::Parallel).build()?;
//! let alignment = aligner.align(&src, &tgt);
//! assert_eq!(alignment.beads.len(), 2);
//! for bead in &alignment.beads {
//!     assert!((0.0..=1.0).contains(&bead.confidence));
//! }
//!
//! // Any format, through the one writer interface.
//! let mut out = Vec::new();
//! let mut writer = Format::Tsv.writer(Sink::stream(&mut out), WriteOptions::default())?;
//! writer.write(&src, &tgt, &alignment)?;
//! writer.finish()?;
//! let tsv = String::from_utf8(out).unwrap();
//! assert!(tsv.starts_with("The cat sleeps.\tLe chat dort.\t"));
//! # Ok::<(), bitext::Error>(())
//! ```
//!
//! With `default-features = false` the crate builds without the command's dependencies
//! (clap, indicatif, anyhow).

// The pipeline's stages that are not the public API: the aligner's search and evidence,
// the features, language detection, and the batch runner that only the command uses.
mod align;
#[cfg(feature = "cli")]
mod batch;
mod features;
mod lang;

// The `bitext` command (`src/main.rs` is only its entry point): hidden, not an API. The
// flags' doc comments are clap's `--help` text, plain text rather than Markdown.
#[cfg(feature = "cli")]
#[doc(hidden)]
#[allow(rustdoc::invalid_html_tags)]
pub mod cli;
// The internals the development tools (`examples/tune.rs`, `examples/diagnose.rs`) and the
// benches reach: hidden, not an API, and built only with the `tuning` feature.
#[cfg(feature = "tuning")]
#[doc(hidden)]
pub mod tuning;

mod doc;
mod error;
pub mod eval;
pub mod multi;
mod progress;
pub mod read;
#[cfg(test)]
mod regression;
mod segment;
pub mod write;

pub use align::{
    Aligner, AlignerBuilder, Alignment, Bead, BeadSample, Evidence, Lexicon, Mode, TABLE_FORMAT,
};
pub use doc::{Document, DocumentOptions, Sentence};
pub use error::{Error, ErrorKind, Result};
pub use lang::Language;
pub use segment::{LANGUAGES, ProfileError, Segmenter, SegmenterBuilder};
