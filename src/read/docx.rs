//! Word documents (`.docx`, Office Open XML): the paragraphs of the main document part.
//!
//! Each `w:p` is a paragraph (headings, list items and table cells are paragraphs in
//! Word too); a paragraph inside a text box comes out as a paragraph of its own, before
//! the one that anchors it. In a paragraph, `w:t` is text, `w:tab` a tab, `w:br` and `w:cr`
//! line breaks, `w:noBreakHyphen` a hyphen. Left out: deleted and moved-away tracked
//! changes (`w:del`, `w:moveFrom`; insertions are kept, as the document reads once they are
//! accepted), hidden text (`w:vanish`), field codes (`w:instrText`: their results are
//! kept), the fallback copy of drawing content (`mc:Fallback`), and every other part of
//! the package: headers, footers, footnotes, endnotes and comments.

use std::path::Path;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::xml::{Depth, XmlError, attribute, reference};
use super::{Paragraphs, ReadOptions, archive::Archive};
use crate::error::Result;

/// WordprocessingML, as Word writes it (transitional) and in its strict variant.
const W: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// Markup compatibility: `mc:AlternateContent` holds a `mc:Choice` and a `mc:Fallback`
/// with the same text.
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// Where a package's relationships say its main document part is.
const RELS: &str = "_rels/.rels";
/// The main part's name when the relationships do not say.
const DEFAULT_MAIN: &str = "word/document.xml";

/// The text of the Word document `bytes`, read from `path`.
pub(super) fn extract(bytes: &[u8], path: &Path, options: ReadOptions) -> Result<String> {
    let mut archive = Archive::open(bytes, path, "a Word document")?;
    let main = main_part(&mut archive, options)?;
    let xml = archive.read_required_text(&main, options)?;
    parse(&xml).map_err(|e| e.in_part(path, &main, &xml))
}

/// The name of the main document part: the target of the package relationship of type
/// `officeDocument` (Word itself always writes `word/document.xml`, other tools need not).
fn main_part(archive: &mut Archive<'_>, options: ReadOptions) -> Result<String> {
    if let Some(rels) = archive.read(RELS)? {
        let rels = super::decode(rels, Path::new(RELS), options)?;
        let mut reader = quick_xml::Reader::from_str(&rels);
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                    let is_main =
                        attribute(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"));
                    if let (true, Some(target)) = (is_main, attribute(&e, "Target")) {
                        let target = target.trim_start_matches('/').to_owned();
                        if archive.has(&target) {
                            return Ok(target);
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    Ok(DEFAULT_MAIN.to_owned())
}

/// The paragraphs of a main document part.
fn parse(xml: &str) -> std::result::Result<String, XmlError> {
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut out = Paragraphs::default();
    // The paragraphs being read, innermost last: a text box's paragraphs sit inside
    // the run of another paragraph.
    let mut paragraphs: Vec<String> = Vec::new();
    // For each open run, whether its text is hidden.
    let mut runs: Vec<bool> = Vec::new();
    // Depth inside an element whose content is left out (a deletion, ...).
    let mut skip = 0usize;
    let mut in_text = false;
    let mut in_run_properties = false;
    // Open elements: the parser does not notice a document that ends inside one.
    let mut depth = Depth::default();
    loop {
        let pos = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok(read) => read,
            Err(e) => return Err(XmlError::malformed(reader.error_position(), e)),
        };
        let word = matches!(ns, ResolveResult::Bound(n) if W.contains(&n.0));
        let compat = matches!(ns, ResolveResult::Bound(n) if n.0 == MC);
        depth.follow(&event, pos)?;
        match event {
            Event::Eof => break,
            Event::Start(_) if skip > 0 => skip += 1,
            Event::End(_) if skip > 0 => skip -= 1,
            _ if skip > 0 => {}
            Event::Start(e) => match e.local_name().as_ref() {
                // Properties hold no text, but their revisions (`w:rPrChange`) hold
                // properties of their own, which would end `in_run_properties` early.
                "del" | "moveFrom" | "pPr" | "sdtPr" | "instrText" | "rPrChange" if word => {
                    skip = 1
                }
                "Fallback" if compat => skip = 1,
                "p" if word => paragraphs.push(String::new()),
                "r" if word => runs.push(false),
                "rPr" if word && !runs.is_empty() => in_run_properties = true,
                "t" if word => in_text = true,
                "vanish" if word && in_run_properties => hide(&mut runs, &e),
                _ => {}
            },
            Event::Empty(e) if word => {
                let name = e.local_name();
                let in_run = !runs.is_empty() && !in_run_properties;
                let hidden = runs.last().copied().unwrap_or(false);
                let c = match name.as_ref() {
                    "vanish" if in_run_properties => {
                        hide(&mut runs, &e);
                        None
                    }
                    "tab" | "ptab" if in_run => Some('\t'),
                    "br" | "cr" if in_run => Some('\n'),
                    "noBreakHyphen" if in_run => Some('-'),
                    _ => None,
                };
                if let (Some(c), Some(p), false) = (c, paragraphs.last_mut(), hidden) {
                    p.push(c);
                }
            }
            Event::End(e) if word => match e.local_name().as_ref() {
                "p" => {
                    if let Some(p) = paragraphs.pop() {
                        out.push(&p);
                    }
                }
                "r" => {
                    runs.pop();
                }
                "rPr" => in_run_properties = false,
                "t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => push_text(&mut paragraphs, &runs, &t.xml10_content()),
            Event::CData(t) if in_text => push_text(&mut paragraphs, &runs, &t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let c = reference(&r).map_err(|m| XmlError::new(pos, m))?;
                push_text(&mut paragraphs, &runs, c.encode_utf8(&mut [0; 4]));
            }
            _ => {}
        }
    }
    Ok(out.finish())
}

/// Marks the innermost run hidden unless `w:vanish` is switched off (`w:val="0"`).
fn hide(runs: &mut [bool], vanish: &quick_xml::events::BytesStart<'_>) {
    let off = attribute(vanish, "val").is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"));
    if let Some(hidden) = runs.last_mut() {
        *hidden = !off;
    }
}

/// Appends text of the innermost run to the innermost paragraph, unless it is hidden.
fn push_text(paragraphs: &mut [String], runs: &[bool], text: &str) {
    if runs.last().copied().unwrap_or(false) {
        return;
    }
    if let Some(p) = paragraphs.last_mut() {
        p.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{inner}<w:sectPr/></w:body></w:document>"#
        )
    }

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let xml = body(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Title</w:t></w:r></w:p>
<w:p/><w:p><w:r><w:t xml:space="preserve">One </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>bold</w:t></w:r><w:r><w:tab/><w:t>&amp; tab.</w:t><w:br/><w:t>Next line.</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            parse(&xml).unwrap(),
            "Title\n\nOne bold\t& tab.\nNext line.\n"
        );
    }

    #[test]
    fn deletions_hidden_text_and_fallbacks_are_left_out() {
        let xml = body(
            r#"<w:p><w:r><w:t xml:space="preserve">Keep </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>gone </w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>added</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>.</w:t></w:r></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:r><w:t>Anchor.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>In the box.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>In the box.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        );
        assert_eq!(
            parse(&xml).unwrap(),
            "Keep added.\n\n3\n\nIn the box.\n\nAnchor.\n"
        );
    }

    #[test]
    fn other_namespaces_and_prefixes() {
        // The prefix is the document's choice; the namespace is what counts.
        let xml = r#"<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main" xmlns:m="urn:other"><x:body><x:p><x:r><x:t>Strict.</x:t></x:r><m:r><m:t>not Word</m:t></m:r></x:p></x:body></x:document>"#;
        assert_eq!(parse(xml).unwrap(), "Strict.\n");
    }

    #[test]
    fn broken_xml_has_a_position() {
        let xml = body("<w:p><w:r><w:t>Open</w:r></w:p>");
        let err = parse(&xml).unwrap_err();
        assert!(err.message.starts_with("malformed XML"), "{}", err.message);
        let err = err.in_part(Path::new("a.docx"), "word/document.xml", &xml);
        assert!(
            err.to_string()
                .starts_with("a.docx: word/document.xml, line 2, column "),
            "{err}"
        );
        assert!(err.is_input_error());
    }
}
