//! XLIFF 1.2 and 2.x: one side of each translation unit.
//!
//! A unit (`trans-unit` in 1.2, `unit` in 2.x) is a paragraph: its `source` (or
//! `target`) in 1.2, the `source` (or `target`) of each of its `segment`s in 2.x, joined
//! by a space. Inline elements that mark up text (`g`, `mrk`, `pc`) give their text;
//! placeholders for the original format's codes (`x`, `bx`, `ex`, `ph`, `sc`, `ec`, ...)
//! give nothing, and the native code inside 1.2's `ph`, `bpt`, `ept` and `it` is left out.
//! `cp` gives the character it stands for. Left out too: `alt-trans` and match modules
//! (their sources and targets are suggestions, not the document), `ignorable`, notes. A
//! unit without a target, when targets are read, is left out.

use std::path::Path;

use quick_xml::events::Event;

use super::xml::{Depth, XmlError, attribute, reference};
use super::{Paragraphs, XliffSide};
use crate::error::Result;

/// Inline elements whose content is native code of the original format, not text.
const CODES: &[&str] = &["bpt", "ept", "it", "ph"];

/// The text of one side of the XLIFF document `xml`, read from `path`.
pub(super) fn extract(xml: &str, path: &Path, side: XliffSide) -> Result<String> {
    parse(xml, side).map_err(|e| e.in_file(path, xml))
}

/// The unit being read: the text of its side, if it has that side.
#[derive(Default)]
struct Unit {
    text: Option<String>,
}

fn parse(xml: &str, side: XliffSide) -> std::result::Result<String, XmlError> {
    let wanted = match side {
        XliffSide::Source => "source",
        XliffSide::Target => "target",
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Paragraphs::default();
    // Local names of the open elements.
    let mut open: Vec<String> = Vec::new();
    let mut unit: Option<Unit> = None;
    // Depth of the open elements below the `source` or `target` being read (1 inside it
    // and outside any inline element).
    let mut reading = 0usize;
    // Depth inside a native code element within it.
    let mut code = 0usize;
    let mut seen_root = false;
    // Open elements: the parser does not notice a document that ends inside one.
    let mut depth = Depth::default();
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| XmlError::malformed(reader.error_position(), e))?;
        depth.follow(&event, pos)?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_owned();
                if !seen_root {
                    check_root(e, &name, pos)?;
                    seen_root = true;
                }
                if reading > 0 {
                    if code > 0 || CODES.contains(&name.as_str()) {
                        code += usize::from(!empty);
                    } else if name == "cp" {
                        push_cp(&mut unit, e, pos)?;
                    }
                    reading += usize::from(!empty);
                } else {
                    let parent = open.last().map(String::as_str);
                    match name.as_str() {
                        "trans-unit" | "unit" => unit = Some(Unit::default()),
                        n if n == wanted
                            && matches!(parent, Some("trans-unit" | "segment"))
                            && !empty =>
                        {
                            if let Some(unit) = &mut unit {
                                let text = unit.text.get_or_insert_with(String::new);
                                if !text.is_empty() {
                                    text.push(' ');
                                }
                            }
                            reading = 1;
                        }
                        _ => {}
                    }
                }
                if !empty {
                    open.push(name);
                }
            }
            Event::End(e) => {
                open.pop();
                if reading > 0 {
                    reading -= 1;
                    code = code.saturating_sub(1);
                } else if matches!(e.local_name().as_ref(), "trans-unit" | "unit") {
                    if let Some(Unit { text: Some(text) }) = unit.take() {
                        out.push_unit(&text);
                    }
                }
            }
            Event::Text(t) if reading > 0 && code == 0 => push(&mut unit, &t.xml10_content()),
            Event::CData(t) if reading > 0 && code == 0 => push(&mut unit, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = reference(&r).map_err(|m| XmlError::new(pos, m))?;
                if reading > 0 && code == 0 {
                    push(&mut unit, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(XmlError::new(0, "not an XLIFF document: no root element"));
    }
    Ok(out.finish())
}

/// Checks that the root element is an XLIFF 1.x or 2.x `xliff`.
fn check_root(
    root: &quick_xml::events::BytesStart<'_>,
    name: &str,
    pos: u64,
) -> std::result::Result<(), XmlError> {
    if name != "xliff" {
        return Err(XmlError::new(
            pos,
            format!("not an XLIFF document: the root element is <{name}>, not <xliff>"),
        ));
    }
    match attribute(root, "version") {
        Some(v) if !(v.starts_with("1.") || v.starts_with("2.")) => Err(XmlError::new(
            pos,
            format!("unsupported XLIFF version {v} (1.2 and 2.x are read)"),
        )),
        _ => Ok(()),
    }
}

fn push(unit: &mut Option<Unit>, text: &str) {
    if let Some(Unit { text: Some(t) }) = unit {
        t.push_str(text);
    }
}

/// Appends the character of a 2.x `<cp hex="..."/>`.
fn push_cp(
    unit: &mut Option<Unit>,
    cp: &quick_xml::events::BytesStart<'_>,
    pos: u64,
) -> std::result::Result<(), XmlError> {
    let hex = attribute(cp, "hex").unwrap_or_default();
    let c = u32::from_str_radix(hex.trim(), 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| XmlError::new(pos, format!("bad <cp hex=\"{hex}\">")))?;
    push(unit, c.encode_utf8(&mut [0; 4]));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const V12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a.html" source-language="en" target-language="fr" datatype="html">
    <body>
      <group id="g1">
        <trans-unit id="1"><source>Hello <g id="1">world</g>.</source><target>Bonjour <g id="1">le monde</g>.</target>
          <alt-trans><source>Hello world.</source><target>Salut.</target></alt-trans></trans-unit>
      </group>
      <trans-unit id="2"><source>Line<x id="2"/> <ph id="3">&lt;br/&gt;</ph>two &amp; <bpt id="4">&lt;b&gt;</bpt>bold<ept id="4">&lt;/b&gt;</ept></source></trans-unit>
      <trans-unit id="3"><source>Untranslated.</source></trans-unit>
    </body>
  </file>
</xliff>"#;

    const V20: &str = r##"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" version="2.0" srcLang="en" trgLang="fr">
  <file id="f1">
    <unit id="u1">
      <mtc:matches><mtc:match ref="#s1"><source>Old.</source><target>Vieux.</target></mtc:match></mtc:matches>
      <segment id="s1"><source>First <pc id="1">sentence</pc>.</source><target>Première <pc id="1">phrase</pc>.</target></segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2"><source>Second<ph id="2"/>one<cp hex="2026"/></source><target>Deuxième.</target></segment>
    </unit>
    <unit id="u2"><segment><source>Alone.</source></segment></unit>
  </file>
</xliff>"##;

    #[test]
    fn version_1_2_sources_and_targets() {
        assert_eq!(
            parse(V12, XliffSide::Source).unwrap(),
            "Hello world.\n\nLine two & bold\n\nUntranslated.\n"
        );
        assert_eq!(
            parse(V12, XliffSide::Target).unwrap(),
            "Bonjour le monde.\n"
        );
    }

    #[test]
    fn version_2_units_join_their_segments() {
        assert_eq!(
            parse(V20, XliffSide::Source).unwrap(),
            "First sentence. Secondone…\n\nAlone.\n"
        );
        assert_eq!(
            parse(V20, XliffSide::Target).unwrap(),
            "Première phrase. Deuxième.\n"
        );
    }

    #[test]
    fn not_xliff_or_broken_is_an_error_with_a_line() {
        let err = extract("<html/>", Path::new("a.xlf"), XliffSide::Source).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.xlf:1: not an XLIFF document: the root element is <html>, not <xliff> (column 1)"
        );
        assert!(err.is_input_error());
        let broken = "<xliff version=\"1.2\">\n<file><body>\n<trans-unit id=\"1\"><source>Open</target></trans-unit>";
        let err = extract(broken, Path::new("b.xlf"), XliffSide::Source).unwrap_err();
        assert!(
            err.to_string().starts_with("b.xlf:3: malformed XML"),
            "{err}"
        );
        let err = extract(
            "<xliff version=\"3.0\"/>",
            Path::new("c.xlf"),
            XliffSide::Source,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("unsupported XLIFF version 3.0"),
            "{err}"
        );
        let err = extract("", Path::new("d.xlf"), XliffSide::Source).unwrap_err();
        assert!(err.to_string().contains("no root element"), "{err}");
    }
}
