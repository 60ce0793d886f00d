//! OpenDocument texts (`.odt`): the paragraphs and headings of `content.xml`.
//!
//! Each `text:p` and `text:h` in the document body (`office:text`) is a paragraph, in
//! lists and table cells too; a paragraph in a frame's text box comes out as a paragraph
//! of its own, before the one that anchors it. Whitespace in the XML collapses to one
//! space, as ODF says; `text:s` is spaces, `text:tab` a tab, `text:line-break` a line
//! break. Left out: notes (`text:note`: footnotes and endnotes), comments
//! (`office:annotation`), the deleted text that tracked changes keep
//! (`text:tracked-changes`; inserted text is in the body and kept), index templates
//! (`text:*-source`), drawing titles and descriptions, and every other part of the
//! package: styles (with headers and footers), metadata.

use std::path::Path;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::xml::{Depth, XmlError, attribute, reference};
use super::{Paragraphs, ReadOptions, archive::Archive};
use crate::error::Result;

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
/// The part that holds the document body.
const CONTENT: &str = "content.xml";
/// The media types of word-processing documents (text, template, master document).
const TEXT_MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.text";
/// `text:s` repeats a space `text:c` times: a bound on what one element may add.
const MAX_SPACES: usize = 1000;

/// The text of the OpenDocument text `bytes`, read from `path`.
pub(super) fn extract(bytes: &[u8], path: &Path, options: ReadOptions) -> Result<String> {
    let mut archive = Archive::open(bytes, path, "an OpenDocument text")?;
    // A spreadsheet or a presentation has a content.xml too, with no text body.
    if let Some(mimetype) = archive.read("mimetype")? {
        let mimetype = String::from_utf8_lossy(&mimetype);
        let mimetype = mimetype.trim();
        if !mimetype.starts_with(TEXT_MEDIA_TYPE) {
            return Err(archive.error(format!(
                "not an OpenDocument text: its media type is {mimetype}"
            )));
        }
    }
    let xml = archive.read_required_text(CONTENT, options)?;
    parse(&xml).map_err(|e| e.in_part(path, CONTENT, &xml))
}

/// A paragraph being read, and whether it ends with collapsed whitespace.
#[derive(Default)]
struct Paragraph {
    text: String,
    at_space: bool,
}

impl Paragraph {
    /// Appends character data, collapsing whitespace runs to one space (none at the start).
    fn push_data(&mut self, data: &str) {
        for c in data.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.at_space && !self.text.is_empty() {
                    self.text.push(' ');
                }
                self.at_space = true;
            } else {
                self.text.push(c);
                self.at_space = false;
            }
        }
    }

    /// Appends characters that the document spells out (`text:s`, `text:tab`, ...).
    fn push_literal(&mut self, s: &str) {
        self.text.push_str(s);
        self.at_space = false;
    }
}

/// The paragraphs of a `content.xml`.
fn parse(xml: &str) -> std::result::Result<String, XmlError> {
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut out = Paragraphs::default();
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut body = 0usize;
    let mut skip = 0usize;
    // Open elements: the parser does not notice a document that ends inside one.
    let mut depth = Depth::default();
    loop {
        let pos = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok(read) => read,
            Err(e) => return Err(XmlError::malformed(reader.error_position(), e)),
        };
        let in_ns = |uri: &str| matches!(ns, ResolveResult::Bound(n) if n.0 == uri);
        depth.follow(&event, pos)?;
        match event {
            Event::Eof => break,
            Event::Start(_) if skip > 0 => skip += 1,
            Event::End(_) if skip > 0 => skip -= 1,
            _ if skip > 0 => {}
            Event::Start(e) if in_ns(OFFICE) && e.local_name().as_ref() == "text" => body += 1,
            Event::End(e) if in_ns(OFFICE) && e.local_name().as_ref() == "text" => {
                body = body.saturating_sub(1)
            }
            _ if body == 0 => {}
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if in_ns(TEXT) {
                    match name {
                        "p" | "h" => paragraphs.push(Paragraph::default()),
                        "note" | "tracked-changes" | "ruby-text" => skip = 1,
                        _ if name.ends_with("-source") => skip = 1,
                        _ => {}
                    }
                } else if (in_ns(OFFICE) && name == "annotation")
                    || (in_ns(SVG) && matches!(name, "title" | "desc"))
                {
                    skip = 1;
                }
            }
            Event::Empty(e) if in_ns(TEXT) => {
                let Some(p) = paragraphs.last_mut() else {
                    continue;
                };
                match e.local_name().as_ref() {
                    "s" => {
                        let count = attribute(&e, "c")
                            .and_then(|c| c.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(MAX_SPACES);
                        p.push_literal(&" ".repeat(count));
                    }
                    "tab" => p.push_literal("\t"),
                    "line-break" => p.push_literal("\n"),
                    _ => {}
                }
            }
            Event::End(e) if in_ns(TEXT) && matches!(e.local_name().as_ref(), "p" | "h") => {
                if let Some(p) = paragraphs.pop() {
                    out.push(&p.text);
                }
            }
            Event::Text(t) => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_data(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_data(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = reference(&r).map_err(|m| XmlError::new(pos, m))?;
                if let Some(p) = paragraphs.last_mut() {
                    p.push_data(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
    }
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3"><office:automatic-styles><text:p>style junk</text:p></office:automatic-styles><office:body><office:text>{inner}</office:text></office:body></office:document-content>"#
        )
    }

    #[test]
    fn headings_paragraphs_spaces_tabs_breaks() {
        let xml = content(
            r#"<text:h text:outline-level="1">The   <text:span>title</text:span></text:h>
<text:p>One<text:s text:c="2"/>two<text:tab/>three<text:line-break/>four &amp; five.</text:p>
<text:p/><text:list><text:list-item><text:p>Item.</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Cell.</text:p></table:table-cell></table:table-row></table:table>"#,
        );
        assert_eq!(
            parse(&xml).unwrap(),
            "The title\n\nOne  two\tthree\nfour & five.\n\nItem.\n\nCell.\n"
        );
    }

    #[test]
    fn notes_comments_and_deletions_are_left_out() {
        let xml = content(
            r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>Deleted.</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:p>Text<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A note.</text:p></text:note-body></text:note> here.<office:annotation><text:p>A comment.</text:p></office:annotation></text:p>
<text:p><draw:frame><draw:text-box><text:p>Boxed.</text:p></draw:text-box><svg:title>Alt</svg:title></draw:frame>Anchor.</text:p>"#,
        );
        assert_eq!(parse(&xml).unwrap(), "Text here.\n\nBoxed.\n\nAnchor.\n");
    }

    #[test]
    fn huge_space_counts_are_bounded() {
        let xml = content(r#"<text:p>a<text:s text:c="99999999999"/>b</text:p>"#);
        assert_eq!(parse(&xml).unwrap().len(), MAX_SPACES + 3);
    }

    #[test]
    fn broken_xml_is_an_error() {
        let xml = content("<text:p>open</text:h>");
        assert!(
            parse(&xml)
                .unwrap_err()
                .message
                .starts_with("malformed XML")
        );
    }
}
