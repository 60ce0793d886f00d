//! What the XML-based readers (Word, OpenDocument, XLIFF) share: references, positions,
//! errors.

use std::path::Path;

use quick_xml::events::{BytesRef, Event};

use crate::error::Error;

/// Something wrong at a byte position of an XML text, before it is known which file
/// (or which part of a package) the text came from.
#[derive(Debug)]
pub(super) struct XmlError {
    /// Byte offset into the XML text.
    pub pos: u64,
    /// What is wrong.
    pub message: String,
}

impl XmlError {
    /// An error at `pos`.
    pub fn new(pos: u64, message: impl Into<String>) -> XmlError {
        XmlError {
            pos,
            message: message.into(),
        }
    }

    /// The parser's own error, at the position where it stopped.
    pub fn malformed(pos: u64, err: quick_xml::Error) -> XmlError {
        XmlError::new(pos, format!("malformed XML: {err}"))
    }

    /// The document ends at `pos` inside an element.
    pub fn truncated(pos: u64) -> XmlError {
        XmlError::new(
            pos,
            "malformed XML: the document ends before its elements are closed (a truncated file?)",
        )
    }

    /// As an error in `path`, an XML file of its own (`path:line: message (column c)`).
    pub fn in_file(self, path: &Path, xml: &str) -> Error {
        let (line, column) = line_col(xml, self.pos);
        Error::parse(path, line, format!("{} (column {column})", self.message))
    }

    /// As an error in `part`, an XML file inside the package `path`.
    pub fn in_part(self, path: &Path, part: &str, xml: &str) -> Error {
        let (line, column) = line_col(xml, self.pos);
        Error::Input {
            path: path.to_path_buf(),
            message: format!("{part}, line {line}, column {column}: {}", self.message),
        }
    }
}

/// The 1-based line and column (in characters) of byte `pos` in `text`.
pub(super) fn line_col(text: &str, pos: u64) -> (usize, usize) {
    let mut pos = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text[..pos];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        1 + before.bytes().filter(|&b| b == b'\n').count(),
        1 + before[line_start..].chars().count(),
    )
}

/// The character that a reference in text stands for: a character reference or one of
/// the five entities XML predefines. Documents that declare entities of their own in a
/// DTD are not supported: their references are errors.
pub(super) fn reference(r: &BytesRef<'_>) -> Result<char, String> {
    if let Some(c) = r
        .resolve_char_ref()
        .map_err(|e| format!("bad character reference &{};: {e}", r.as_ref()))?
    {
        return Ok(c);
    }
    match r.as_ref() {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!("unknown entity &{other};")),
    }
}

/// The value of the attribute `local` (whatever its prefix) of `element`, if it has one.
pub(super) fn attribute(
    element: &quick_xml::events::BytesStart<'_>,
    local: &str,
) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 4), (2, 2));
        // After the two-byte é: column counts characters.
        assert_eq!(line_col(text, 7), (2, 4));
        // Inside a character and past the end: clamped.
        assert_eq!(line_col(text, 6), (2, 3));
        assert_eq!(line_col(text, 99), (3, 2));
    }

    #[test]
    fn references_resolve() {
        assert_eq!(reference(&BytesRef::new("amp")), Ok('&'));
        assert_eq!(reference(&BytesRef::new("#xE9")), Ok('é'));
        assert_eq!(reference(&BytesRef::new("#233")), Ok('é'));
        assert!(reference(&BytesRef::new("nbsp")).is_err());
        assert!(reference(&BytesRef::new("#xZZ")).is_err());
    }
}

/// How many elements are open where a reader is. quick-xml reports the end of a file cut
/// inside an element as a plain end of file, so each reader follows the depth to tell a
/// truncated document from a whole one.
#[derive(Debug, Default)]
pub(super) struct Depth(usize);

impl Depth {
    /// Follows one event read at byte `pos`: an end of file inside an open element is an
    /// error.
    pub(super) fn follow(&mut self, event: &Event<'_>, pos: u64) -> Result<(), XmlError> {
        match event {
            Event::Start(_) => self.0 += 1,
            Event::End(_) => self.0 = self.0.saturating_sub(1),
            Event::Eof if self.0 > 0 => return Err(XmlError::truncated(pos)),
            _ => {}
        }
        Ok(())
    }
}
