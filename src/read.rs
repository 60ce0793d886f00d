//! Reading input: bytes to text, with a clear error on invalid UTF-8.
//!
//! The text is kept exactly as read (the segmenter works on byte spans into it),
//! except that a leading UTF-8 byte-order mark is skipped: it is not content.
//! Line endings are left alone; the segmenter treats CRLF and CR like LF.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// How to read input files.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    pub lossy: bool,
}

/// Reads a whole file (or standard input when `path` is `-`) as text.
pub fn read_text(path: &Path, options: ReadOptions) -> Result<String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
        buf
    } else {
        std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?
    };
    decode(bytes, path, options)
}

/// Decodes bytes as UTF-8, naming `path` and the byte offset of the first bad byte on error.
pub fn decode(bytes: Vec<u8>, path: &Path, options: ReadOptions) -> Result<String> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) if options.lossy => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        Err(err) => {
            return Err(Error::InvalidUtf8 {
                path: path.to_path_buf(),
                offset: err.utf8_error().valid_up_to(),
            });
        }
    };
    Ok(match text.strip_prefix(BOM) {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_offset() {
        let err = decode(
            b"abc\xffdef".to_vec(),
            Path::new("x.txt"),
            ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.txt: invalid UTF-8 at byte offset 3 (use --lossy to replace bad bytes)"
        );
        assert!(err.is_input_error());
    }

    #[test]
    fn lossy_replaces_and_bom_is_skipped() {
        let text = decode(
            b"\xef\xbb\xbfab\xffc".to_vec(),
            Path::new("x"),
            ReadOptions { lossy: true },
        )
        .unwrap();
        assert_eq!(text, "ab\u{fffd}c");
    }
}
