//! Reading input: bytes to text, with a clear error on invalid UTF-8.
//!
//! Compressed input is decompressed transparently: gzip, xz and Zstandard are told by
//! their magic bytes (`1F 8B`, `FD 37 7A 58 5A 00`, `28 B5 2F FD`), not by the file name,
//! so a `.gz` renamed `.txt` or a compressed standard input is read as well.
//! Concatenated members and frames (pigz, bgzip, `cat a.gz b.gz`) are read to the end.
//!
//! Plain text is kept exactly as read (the segmenter works on byte spans into it),
//! except that a leading byte-order mark is skipped: it is not content. A UTF-16 file
//! (byte-order mark `FF FE` or `FE FF`) is decoded to UTF-8 first.
//! Line endings are left alone; the segmenter treats CRLF and CR like LF.
//!
//! Documents in other formats ([`InputFormat`]: Word `.docx`, OpenDocument `.odt`, HTML,
//! XLIFF, SubRip `.srt`) are reduced to their text, told by the file name unless a format
//! is given: one paragraph per paragraph, heading, list item, table cell, translation unit
//! or subtitle cue, with a blank line between paragraphs, which is how the segmenter and
//! the aligner see paragraph breaks in plain text. Byte offsets in the output then point
//! into that extracted text. `docs/input-formats.md` says what each format keeps and drops.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

mod archive;
mod docx;
mod html;
mod odt;
mod srt;
mod xliff;
mod xml;

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// How to read input files.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 (or UTF-16) with U+FFFD instead of failing.
    pub lossy: bool,
    /// The caller offers a `--lossy` flag: an invalid UTF-8 error suggests it. Commands
    /// without one (`eval`, manifests) leave it off, so no error names a flag they lack.
    pub suggest_lossy: bool,
}

/// A compression format told by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip (`1F 8B`).
    Gzip,
    /// xz (`FD 37 7A 58 5A 00`).
    Xz,
    /// Zstandard (`28 B5 2F FD`).
    Zstd,
}

impl Compression {
    /// The compression of data starting with `bytes`, if any.
    pub fn detect(bytes: &[u8]) -> Option<Compression> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Some(Compression::Xz)
        } else if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }
}

/// Reads a whole file (or standard input when `path` is `-`), decompressed when it is
/// gzip, xz or Zstandard.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().lock().read_to_end(&mut buf).map_err(io)?;
        buf
    } else {
        std::fs::read(path).map_err(io)?
    };
    decompress(bytes, path)
}

/// Decompresses `bytes` when they start with a gzip, xz or Zstandard magic number, and
/// returns them unchanged otherwise. Corrupt or truncated data is an input error that
/// names `path` and the format.
pub fn decompress(bytes: Vec<u8>, path: &Path) -> Result<Vec<u8>> {
    let Some(format) = Compression::detect(&bytes) else {
        return Ok(bytes);
    };
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(3));
    let result = match format {
        Compression::Gzip => flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_end(&mut out),
        Compression::Xz => {
            liblzma::read::XzDecoder::new_multi_decoder(&bytes[..]).read_to_end(&mut out)
        }
        Compression::Zstd => {
            zstd::stream::read::Decoder::new(&bytes[..]).and_then(|mut d| d.read_to_end(&mut out))
        }
    };
    match result {
        Ok(_) => Ok(out),
        Err(err) => Err(Error::Input {
            path: path.to_path_buf(),
            message: format!("corrupt or truncated {} data: {err}", format.name()),
        }),
    }
}

/// Reads a whole file (or standard input when `path` is `-`) as text, decompressing it
/// first when needed (see [`read_bytes`]); a document in another format than plain text
/// is told by its extension and reduced to its text (see [`InputFormat::Auto`]).
pub fn read_text(path: &Path, options: ReadOptions) -> Result<String> {
    read_text_as(path, options, InputFormat::Auto)
}

/// Reads a whole file (or standard input when `path` is `-`) in `format`, decompressing it
/// first when needed (see [`read_bytes`]), and returns its text (see [`extract`]).
pub fn read_text_as(path: &Path, options: ReadOptions, format: InputFormat) -> Result<String> {
    extract(read_bytes(path)?, path, options, format)
}

/// The text of a document in `format`, from its (decompressed) bytes: plain text decoded
/// as [`decode`] does, any other format reduced to paragraphs separated by a blank line.
/// `path` names the document in errors and, with [`InputFormat::Auto`], tells the format.
pub fn extract(
    bytes: Vec<u8>,
    path: &Path,
    options: ReadOptions,
    format: InputFormat,
) -> Result<String> {
    match format.resolve(path) {
        InputFormat::Auto | InputFormat::Text => decode(bytes, path, options),
        InputFormat::Docx => docx::extract(&bytes, path, options),
        InputFormat::Odt => odt::extract(&bytes, path, options),
        InputFormat::Html => Ok(html::extract(&decode(bytes, path, options)?)),
        InputFormat::Xliff(side) => xliff::extract(&decode(bytes, path, options)?, path, side),
        InputFormat::Srt => srt::extract(&decode(bytes, path, options)?, path),
    }
}

/// The format of an input document.
///
/// The names that [`FromStr`](std::str::FromStr) accepts and [`Display`](std::fmt::Display)
/// prints are [`InputFormat::NAMES`], for a command-line flag such as `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Told by the file's extension (after a compression suffix such as `.gz`, so
    /// `page.html.gz` is HTML): `.docx`, `.docm`, `.dotx` are Word, `.odt`, `.ott`
    /// OpenDocument, `.html`, `.htm`, `.xhtml` HTML, `.xlf`, `.xliff` XLIFF (the source
    /// side), `.srt` subtitles, anything else (and standard input) plain text.
    #[default]
    Auto,
    /// Plain text, kept as read.
    Text,
    /// A Word document (Office Open XML): its body's paragraphs.
    Docx,
    /// An OpenDocument text: its body's paragraphs and headings.
    Odt,
    /// HTML or XHTML: the visible text blocks.
    Html,
    /// XLIFF 1.2 or 2.x: one side of each translation unit.
    Xliff(XliffSide),
    /// SubRip subtitles: one paragraph per cue.
    Srt,
}

/// Which side of an XLIFF file's translation units to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum XliffSide {
    /// The `<source>` elements.
    #[default]
    Source,
    /// The `<target>` elements; a unit without one is left out.
    Target,
}

impl InputFormat {
    /// The names accepted by [`str::parse`], one for each choice: `auto`, `text`, `docx`,
    /// `odt`, `html`, `xliff` (the source side), `xliff-target` and `srt`.
    pub const NAMES: [&'static str; 8] = [
        "auto",
        "text",
        "docx",
        "odt",
        "html",
        "xliff",
        "xliff-target",
        "srt",
    ];

    /// The format of a file named `path`, by its extension (see [`InputFormat::Auto`]).
    pub fn from_path(path: &Path) -> InputFormat {
        let ext = |p: &Path| {
            p.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
        };
        let mut ext_name = ext(path);
        if let Some("gz" | "xz" | "zst" | "zstd") = ext_name.as_deref() {
            ext_name = path.file_stem().and_then(|stem| ext(Path::new(stem)));
        }
        match ext_name.as_deref() {
            Some("docx" | "docm" | "dotx" | "dotm") => InputFormat::Docx,
            Some("odt" | "ott") => InputFormat::Odt,
            Some("html" | "htm" | "xhtml") => InputFormat::Html,
            Some("xlf" | "xliff") => InputFormat::Xliff(XliffSide::Source),
            Some("srt") => InputFormat::Srt,
            _ => InputFormat::Text,
        }
    }

    /// This format, or for [`InputFormat::Auto`] the one `path` names.
    pub fn resolve(self, path: &Path) -> InputFormat {
        match self {
            InputFormat::Auto => InputFormat::from_path(path),
            format => format,
        }
    }

    /// The format's name, one of [`InputFormat::NAMES`].
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Text => "text",
            InputFormat::Docx => "docx",
            InputFormat::Odt => "odt",
            InputFormat::Html => "html",
            InputFormat::Xliff(XliffSide::Source) => "xliff",
            InputFormat::Xliff(XliffSide::Target) => "xliff-target",
            InputFormat::Srt => "srt",
        }
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An input format name that is none of [`InputFormat::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown input format `{0}` (expected one of: {names})", names = InputFormat::NAMES.join(", "))]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for InputFormat {
    type Err = UnknownFormat;

    /// Parses one of [`InputFormat::NAMES`], ignoring case; `txt`, `xlf`, `xliff-source`,
    /// `htm` and `xhtml` are accepted too.
    fn from_str(s: &str) -> std::result::Result<InputFormat, UnknownFormat> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "auto" => InputFormat::Auto,
            "text" | "txt" => InputFormat::Text,
            "docx" => InputFormat::Docx,
            "odt" => InputFormat::Odt,
            "html" | "htm" | "xhtml" => InputFormat::Html,
            "xliff" | "xlf" | "xliff-source" => InputFormat::Xliff(XliffSide::Source),
            "xliff-target" => InputFormat::Xliff(XliffSide::Target),
            "srt" => InputFormat::Srt,
            _ => return Err(UnknownFormat(s.to_owned())),
        })
    }
}

/// The text of a structured document being built: paragraphs separated by a blank line,
/// as the segmenter reads paragraph breaks in plain text, and a final newline.
#[derive(Debug, Default)]
struct Paragraphs {
    text: String,
}

impl Paragraphs {
    /// Adds a paragraph, trimmed; an empty one is left out, so that empty paragraphs in
    /// the document (spacing in a word processor) make no empty lines.
    fn push(&mut self, paragraph: &str) {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.text.push_str(paragraph);
    }

    /// Adds a unit (an XLIFF unit, a subtitle cue) that must stay one paragraph: a
    /// blank line inside it is reduced to a line break.
    fn push_unit(&mut self, unit: &str) {
        let mut kept = String::with_capacity(unit.len());
        for line in unit.trim().lines() {
            let line = line.trim_end();
            if line.trim_start().is_empty() {
                continue;
            }
            if !kept.is_empty() {
                kept.push('\n');
            }
            kept.push_str(line);
        }
        self.push(&kept);
    }

    fn finish(mut self) -> String {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text
    }
}

/// Decodes bytes as UTF-8 (or as UTF-32 or UTF-16 after their byte-order mark), naming
/// `path` and the byte offset of the first bad byte on error. Text that holds a NUL
/// character is refused: it is binary data (or an encoding without a byte-order mark),
/// and aligned it would only be garbage.
pub fn decode(bytes: Vec<u8>, path: &Path, options: ReadOptions) -> Result<String> {
    let text = decode_any(bytes, path, options)?;
    match memchr::memchr(0, text.as_bytes()) {
        None => Ok(text),
        Some(at) => Err(Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "a NUL character at byte offset {at} of the decoded text: this is binary \
                 data, not text (or text in an encoding without a byte-order mark; convert \
                 it to UTF-8)"
            ),
        }),
    }
}

fn decode_any(bytes: Vec<u8>, path: &Path, options: ReadOptions) -> Result<String> {
    // First: a UTF-32LE byte-order mark starts with the UTF-16LE one.
    if let Some(little) = utf32_bom(&bytes) {
        return decode_utf32(&bytes[4..], little, path, options);
    }
    if let Some(little) = utf16_bom(&bytes) {
        return decode_utf16(&bytes[2..], little, path, options);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) if options.lossy => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        Err(err) => {
            return Err(Error::InvalidUtf8 {
                path: path.to_path_buf(),
                offset: err.utf8_error().valid_up_to(),
                suggest_lossy: options.suggest_lossy,
            });
        }
    };
    Ok(match text.strip_prefix(BOM) {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// `Some(true)` for a UTF-16 little-endian byte-order mark, `Some(false)` for big-endian.
fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xff, 0xfe, ..] => Some(true),
        [0xfe, 0xff, ..] => Some(false),
        _ => None,
    }
}

/// `Some(true)` for a UTF-32 little-endian byte-order mark, `Some(false)` for big-endian.
fn utf32_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xff, 0xfe, 0, 0, ..] => Some(true),
        [0, 0, 0xfe, 0xff, ..] => Some(false),
        _ => None,
    }
}

/// Decodes UTF-32 `bytes` (after the byte-order mark, so offsets in errors add 4).
fn decode_utf32(bytes: &[u8], little: bool, path: &Path, options: ReadOptions) -> Result<String> {
    let mut text = String::with_capacity(bytes.len() / 4);
    for (k, unit) in bytes.chunks(4).enumerate() {
        // A short unit at the end is no character, nor is a surrogate or a value past U+10FFFF.
        let c = <[u8; 4]>::try_from(unit)
            .ok()
            .map(|b| {
                if little {
                    u32::from_le_bytes(b)
                } else {
                    u32::from_be_bytes(b)
                }
            })
            .and_then(char::from_u32);
        match c {
            Some(c) => text.push(c),
            None if options.lossy => text.push(char::REPLACEMENT_CHARACTER),
            None => {
                let endian = if little { "LE" } else { "BE" };
                return Err(Error::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "invalid UTF-32{endian} at byte offset {} (the file starts with a UTF-32 byte-order mark)",
                        4 + 4 * k
                    ),
                });
            }
        }
    }
    Ok(text)
}

/// Decodes UTF-16 `bytes` (after the byte-order mark, so offsets in errors add 2).
fn decode_utf16(bytes: &[u8], little: bool, path: &Path, options: ReadOptions) -> Result<String> {
    let units = bytes.chunks(2).map(|pair| match (pair, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd byte at the end: not a code unit; a lone surrogate makes it invalid.
        _ => 0xdc00,
    });
    let mut text = String::with_capacity(bytes.len());
    let mut offset = 2;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                offset += 2 * c.len_utf16();
                text.push(c);
            }
            Err(_) if options.lossy => {
                offset += 2;
                text.push(char::REPLACEMENT_CHARACTER);
            }
            Err(_) => {
                let endian = if little { "LE" } else { "BE" };
                return Err(Error::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "invalid UTF-16{endian} at byte offset {offset} (the file starts with a UTF-16 byte-order mark)"
                    ),
                });
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_by_extension() {
        for name in InputFormat::NAMES {
            let format: InputFormat = name.parse().unwrap();
            assert_eq!(format.to_string(), name);
        }
        assert_eq!("XLF".parse(), Ok(InputFormat::Xliff(XliffSide::Source)));
        let err = "pdf".parse::<InputFormat>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown input format `pdf` (expected one of: auto, text, docx, odt, html, xliff, xliff-target, srt)"
        );
        let by_path = |p: &str| InputFormat::from_path(Path::new(p));
        assert_eq!(by_path("a/Report.DOCX"), InputFormat::Docx);
        assert_eq!(by_path("a.odt"), InputFormat::Odt);
        assert_eq!(by_path("page.html.gz"), InputFormat::Html);
        assert_eq!(by_path("page.xhtml"), InputFormat::Html);
        assert_eq!(by_path("x.xliff"), InputFormat::Xliff(XliffSide::Source));
        assert_eq!(by_path("film.srt.zst"), InputFormat::Srt);
        assert_eq!(by_path("notes.txt.gz"), InputFormat::Text);
        assert_eq!(by_path("-"), InputFormat::Text);
        assert_eq!(by_path("README"), InputFormat::Text);
        assert_eq!(
            InputFormat::Srt.resolve(Path::new("a.txt")),
            InputFormat::Srt
        );
        assert_eq!(InputFormat::default(), InputFormat::Auto);
    }

    #[test]
    fn extract_dispatches_and_text_stays_as_read() {
        let text = b"<p>One.</p>\n".to_vec();
        let read = |p: &str, f| extract(text.clone(), Path::new(p), ReadOptions::default(), f);
        assert_eq!(read("a.txt", InputFormat::Auto).unwrap(), "<p>One.</p>\n");
        assert_eq!(read("a.html", InputFormat::Auto).unwrap(), "One.\n");
        assert_eq!(read("a.txt", InputFormat::Html).unwrap(), "One.\n");
        assert_eq!(read("a.html", InputFormat::Text).unwrap(), "<p>One.</p>\n");
        // Invalid UTF-8 in a structured format is reported as in plain text.
        let err = extract(
            b"<p>\xff</p>".to_vec(),
            Path::new("a.html"),
            ReadOptions::default(),
            InputFormat::Auto,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "a.html: invalid UTF-8 at byte offset 3");
    }

    #[test]
    fn structured_paragraphs_are_separated_by_blank_lines() {
        let mut p = Paragraphs::default();
        p.push("  One.  ");
        p.push(" \t ");
        p.push_unit("Two\n\n  \nlines.");
        assert_eq!(p.finish(), "One.\n\nTwo\nlines.\n");
        assert_eq!(Paragraphs::default().finish(), "");
    }

    #[test]
    fn truncated_xml_is_an_error() {
        let xml = "<xliff version=\"1.2\"><file><body><trans-unit id=\"1\"><source>Cut";
        let err = xliff::extract(xml, Path::new("t.xlf"), XliffSide::Source).unwrap_err();
        assert!(err.to_string().starts_with("t.xlf:1: "), "{err}");
    }

    proptest::proptest! {
        /// Whatever the bytes, each reader gives text or an input error, never a panic.
        #[test]
        fn any_input_gives_text_or_an_input_error(
            text in "(<[a-z:/]{0,6}( [a-z]+=\"[^\"]{0,4}\")?/?>|&[a-z#0-9]{0,5};?|[^<&]{0,8}|\n\n|00:00:01,000 --> 00:00:02,000){0,40}"
        ) {
            for name in InputFormat::NAMES {
                let format: InputFormat = name.parse().unwrap();
                match extract(text.clone().into_bytes(), Path::new("x"), ReadOptions::default(), format) {
                    // Plain text is kept as read; the others are built paragraph by paragraph.
                    Ok(out) => proptest::prop_assert!(
                        matches!(format, InputFormat::Auto | InputFormat::Text)
                            || !out.contains("\n\n\n")
                    ),
                    Err(err) => proptest::prop_assert!(err.is_input_error(), "{err}"),
                }
            }
        }
    }

    #[test]
    fn invalid_utf8_names_offset() {
        let err = decode(
            b"abc\xffdef".to_vec(),
            Path::new("x.txt"),
            ReadOptions {
                suggest_lossy: true,
                ..ReadOptions::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.txt: invalid UTF-8 at byte offset 3 (use --lossy to replace bad bytes)"
        );
        assert!(err.is_input_error());
        let err = decode(b"\xff".to_vec(), Path::new("x"), ReadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "x: invalid UTF-8 at byte offset 0");
    }

    #[test]
    fn lossy_replaces_and_bom_is_skipped() {
        let text = decode(
            b"\xef\xbb\xbfab\xffc".to_vec(),
            Path::new("x"),
            ReadOptions {
                lossy: true,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(text, "ab\u{fffd}c");
    }

    #[test]
    fn utf32_is_decoded_by_its_bom_before_utf16() {
        let le: Vec<u8> = [0xff, 0xfe, 0, 0]
            .into_iter()
            .chain("Olá 😀".chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0, 0, 0xfe, 0xff]
            .into_iter()
            .chain("Olá 😀".chars().flat_map(|c| u32::from(c).to_be_bytes()))
            .collect();
        for bytes in [le, be] {
            let text = decode(bytes, Path::new("x"), ReadOptions::default()).unwrap();
            assert_eq!(text, "Olá 😀");
        }
        let surrogate = vec![0xff, 0xfe, 0, 0, b'a', 0, 0, 0, 0x00, 0xd8, 0, 0];
        let err = decode(surrogate, Path::new("x"), ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x: invalid UTF-32LE at byte offset 8 (the file starts with a UTF-32 byte-order mark)"
        );
    }

    #[test]
    fn a_nul_character_is_binary_data_not_text() {
        for bytes in [
            vec![0; 1000],
            b"A.\0B.".to_vec(),
            vec![0xff, 0xfe, b'a', 0, 0, 0],
        ] {
            let err = decode(bytes, Path::new("x"), ReadOptions::default()).unwrap_err();
            assert!(err.is_input_error());
            assert!(err.to_string().contains("binary data"), "{err}");
        }
    }

    #[test]
    fn utf16_is_decoded_by_its_bom() {
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Olá 😀".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("Olá 😀".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            let text = decode(bytes, Path::new("x"), ReadOptions::default()).unwrap();
            assert_eq!(text, "Olá 😀");
        }
        let err = decode(
            vec![0xff, 0xfe, b'a', 0, 0x00, 0xdc],
            Path::new("x"),
            ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x: invalid UTF-16LE at byte offset 4 (the file starts with a UTF-16 byte-order mark)"
        );
    }

    #[test]
    fn compressed_bytes_are_told_by_magic() {
        use std::io::Write;
        let text = b"Hello. World.\n".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let xz = {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
            e.write_all(&text).unwrap();
            e.finish().unwrap()
        };
        let zst = zstd::encode_all(&text[..], 3).unwrap();
        for data in [gz.clone(), xz, zst] {
            assert!(Compression::detect(&data).is_some());
            assert_eq!(decompress(data, Path::new("x")).unwrap(), text);
        }
        // Two gzip members one after the other, as `cat a.gz b.gz` makes.
        let twice = [gz.clone(), gz.clone()].concat();
        assert_eq!(
            decompress(twice, Path::new("x")).unwrap().len(),
            2 * text.len()
        );
        let err = decompress(gz[..gz.len() / 2].to_vec(), Path::new("x.gz")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.gz: corrupt or truncated gzip data")
        );
        assert!(err.is_input_error());
        assert_eq!(decompress(text.clone(), Path::new("x")).unwrap(), text);
    }
}
