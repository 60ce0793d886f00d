//! `bitext segment [--lang CODE] [--profile FILE] [--abbreviations FILE] [--format text|jsonl]
//! [--lossy] [FILE|-]`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::Error;
use crate::read::{ReadOptions, read_text_as};
use clap::ValueEnum;

use super::options::SegmenterArgs;
use serde::Serialize;

/// Output formats of `segment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One sentence per line, an empty line between paragraphs; line breaks inside a
    /// sentence become spaces.
    Text,
    /// One JSON object per sentence: text, start, end (byte offsets into the decoded text:
    /// a leading UTF-8 BOM is not counted, and with --lossy a replaced byte sequence counts
    /// as the 3 bytes of U+FFFD), paragraph (0-based).
    Jsonl,
}

/// Split a document into sentences.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input file (`-` or nothing for standard input; gzip, xz and zstd files are
    /// decompressed, UTF-16 with a byte-order mark is decoded).
    #[arg(default_value = "-")]
    pub input: PathBuf,
    /// Language (ISO 639). A language with a profile of its own (data/lang/CODE.txt) uses
    /// its rules, any other code the generic Unicode profile; `auto` detects the language.
    #[arg(long, default_value = "auto")]
    pub lang: String,
    #[command(flatten)]
    pub segmenter: SegmenterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Replace invalid UTF-8 instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Input format: auto (by extension), text, docx, odt, html, xliff, xliff-target or srt.
    #[arg(long, default_value = "auto", value_name = "FORMAT")]
    pub input_format: crate::read::InputFormat,
}

#[derive(Serialize)]
struct Record<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    paragraph: usize,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let lang = super::options::language(&args.lang)?;
    let documents = args.segmenter.load()?;
    let text = read_text_as(
        &args.input,
        ReadOptions {
            lossy: args.lossy,
            suggest_lossy: true,
        },
        args.input_format,
    )?;
    let segmenter = documents.segmenter(lang.resolve(&text));
    let sentences = segmenter.segment(&text);
    let mut out = super::stdout()?;
    let mut last_para = None;
    for s in &sentences {
        let body = &text[s.start..s.end];
        match args.format {
            FormatArg::Text => {
                if last_para.is_some_and(|p| p != s.paragraph) {
                    out.write_all(b"\n").map_err(Error::Write)?;
                }
                write_one_line(&mut out, body).map_err(Error::Write)?;
            }
            FormatArg::Jsonl => {
                let record = Record {
                    text: body,
                    start: s.start,
                    end: s.end,
                    paragraph: s.paragraph,
                };
                serde_json::to_writer(&mut out, &record).map_err(|e| Error::Write(e.into()))?;
                out.write_all(b"\n").map_err(Error::Write)?;
            }
        }
        last_para = Some(s.paragraph);
    }
    out.flush().map_err(Error::Write)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a sentence on one line: CR and LF inside it become spaces.
fn write_one_line<W: Write>(out: &mut W, body: &str) -> std::io::Result<()> {
    let mut rest = body.as_bytes();
    while let Some(at) = memchr::memchr2(b'\n', b'\r', rest) {
        out.write_all(&rest[..at])?;
        // A CRLF pair becomes one space.
        let skip = if rest[at] == b'\r' && rest.get(at + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        out.write_all(b" ")?;
        rest = &rest[at + skip..];
    }
    out.write_all(rest)?;
    out.write_all(b"\n")
}
