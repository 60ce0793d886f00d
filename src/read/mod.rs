//! Reading input: bytes to text, with a clear error on invalid UTF-8.
//!
//! Compressed input is decompressed transparently: gzip, xz and Zstandard are told by
//! their magic bytes (`1F 8B`, `FD 37 7A 58 5A 00`, `28 B5 2F FD`), not by the file name,
//! so a `.gz` renamed `.txt` or a compressed standard input is read as well.
//! Concatenated members and frames (pigz, bgzip, `cat a.gz b.gz`) are read to the end.
//!
//! The text is kept exactly as read (the segmenter works on byte spans into it),
//! except that a leading byte-order mark is skipped: it is not content. A UTF-16 file
//! (byte-order mark `FF FE` or `FE FF`) is decoded to UTF-8 first.
//! Line endings are left alone; the segmenter treats CRLF and CR like LF.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

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
/// first when needed (see [`read_bytes`]).
pub fn read_text(path: &Path, options: ReadOptions) -> Result<String> {
    decode(read_bytes(path)?, path, options)
}

/// Decodes bytes as UTF-8 (or as UTF-16 after a UTF-16 byte-order mark), naming `path`
/// and the byte offset of the first bad byte on error.
pub fn decode(bytes: Vec<u8>, path: &Path, options: ReadOptions) -> Result<String> {
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
