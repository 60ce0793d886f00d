//! JSON Lines: one object per bead.
//!
//! `{"src": [0], "tgt": [0, 1], "src_text": "...", "tgt_text": "...",
//!   "src_span": [start, end], "tgt_span": [start, end], "confidence": 0.97,
//!   "evidence": {"length": .., "lexical": .., "numbers": .., "punctuation": ..}}`
//! Spans are byte offsets into the input as decoded (`null` for an empty side): the bytes
//! of the file, except that a leading UTF-8 BOM is not counted and, with `--lossy`, each
//! replaced byte sequence counts as the 3 bytes of U+FFFD.

use std::io::{self, Write};

use serde::Serialize;

use super::{Output, WriteOptions, Writer, Written};
use crate::align::{Alignment, Evidence};
use crate::doc::Document;
use crate::error::Result;

#[derive(Serialize)]
struct Record<'a> {
    src: Vec<usize>,
    tgt: Vec<usize>,
    src_text: String,
    tgt_text: String,
    src_span: Option<(usize, usize)>,
    tgt_span: Option<(usize, usize)>,
    confidence: f64,
    evidence: &'a Evidence,
}

fn span(doc: &Document, range: &std::ops::Range<usize>) -> Option<(usize, usize)> {
    if range.is_empty() {
        None
    } else {
        Some((
            doc.sentences[range.start].start,
            doc.sentences[range.end - 1].end,
        ))
    }
}

/// The JSON Lines [`Writer`].
pub(super) struct JsonlWriter<'a> {
    out: Output<'a>,
    options: WriteOptions,
}

impl<'a> JsonlWriter<'a> {
    pub(super) fn new(out: Output<'a>, options: WriteOptions) -> Self {
        JsonlWriter { out, options }
    }
}

impl Writer for JsonlWriter<'_> {
    fn write(&mut self, src: &Document, tgt: &Document, alignment: &Alignment) -> Result<()> {
        let options = &self.options;
        self.out
            .with(|out| write(out, src, tgt, alignment, options))
    }

    fn finish(self: Box<Self>) -> Result<Written> {
        self.out.finish()?;
        Ok(Written::default())
    }
}

/// Writes the selected beads of `alignment` as JSON Lines.
fn write<W: Write + ?Sized>(
    out: &mut W,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
) -> io::Result<()> {
    for bead in options.selected(alignment) {
        let record = Record {
            src: bead.src.clone().collect(),
            tgt: bead.tgt.clone().collect(),
            src_text: src.joined(bead.src.clone()),
            tgt_text: tgt.joined(bead.tgt.clone()),
            src_span: span(src, &bead.src),
            tgt_span: span(tgt, &bead.tgt),
            confidence: (bead.confidence * 10000.0).round() / 10000.0,
            evidence: &bead.evidence,
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
