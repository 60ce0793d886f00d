//! TMX 1.4b, the translation-memory exchange format that CAT tools (OmegaT, memoQ,
//! Trados) import.
//!
//! ```text
//! <?xml version="1.0" encoding="UTF-8"?>
//! <tmx version="1.4">
//!   <header creationtool="bitext" creationtoolversion="0.1.0" segtype="sentence"
//!     o-tmf="bitext" adminlang="en" srclang="pt" datatype="plaintext"/>
//!   <body>
//!     <tu>
//!       <prop type="x-confidence">0.970</prop>
//!       <prop type="x-src-sentences">0</prop>
//!       <prop type="x-tgt-sentences">0,1</prop>
//!       <tuv xml:lang="pt"><seg>…</seg></tuv>
//!       <tuv xml:lang="id"><seg>…</seg></tuv>
//!     </tu>
//!   </body>
//! </tmx>
//! ```
//!
//! One `tu` per selected pair (beads with an empty side are never written: a
//! translation unit with an empty segment only pollutes a memory). The `prop`s come
//! before the `tuv`s, as the DTD requires; sentence ids are 0-based and
//! comma-separated, as in the bead format. A side made of several sentences is one
//! `seg`, its sentences joined by a space. Text is escaped (`& < > " '`); characters
//! that XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE; U+FFFF) are
//! dropped and counted, because no XML parser accepts them even as character
//! references. There is no DOCTYPE: a validating reader (Java's default SAX parser,
//! for one) would try to open the DTD it names, and no one ships it beside the
//! file. The output has no creation date so that it is byte-identical from run
//! to run.

use std::io::{self, Write};

use quick_xml::escape::escape;
use quick_xml::events::Event;

use super::{Output, WriteOptions, Writer, Written};
use crate::align::Alignment;
use crate::doc::Document;
use crate::error::Result;

/// The TMX [`Writer`]: the header (with the first pair's source language) before the
/// first pair's units, the closing tags in `finish`.
pub(super) struct TmxWriter<'a> {
    out: Output<'a>,
    options: WriteOptions,
    started: bool,
    dropped: usize,
}

impl<'a> TmxWriter<'a> {
    pub(super) fn new(out: Output<'a>, options: WriteOptions) -> Self {
        TmxWriter {
            out,
            options,
            started: false,
            dropped: 0,
        }
    }
}

impl Writer for TmxWriter<'_> {
    fn write(&mut self, src: &Document, tgt: &Document, alignment: &Alignment) -> Result<()> {
        let header = !self.started;
        self.started = true;
        let options = &self.options;
        self.dropped += self
            .out
            .with(|out| write_units(out, src, tgt, alignment, options, header))?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Written> {
        if !self.started {
            self.out.with(|out| write_header(out, "und"))?;
        }
        self.out.with(|out| {
            writeln!(out, "  </body>")?;
            writeln!(out, "</tmx>")
        })?;
        let dropped = self.dropped;
        self.out.finish()?;
        Ok(Written {
            dropped_characters: dropped,
            ..Written::default()
        })
    }
}

fn write_header<W: Write + ?Sized>(out: &mut W, src_attr: &str) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    writeln!(
        out,
        r#"  <header creationtool="bitext" creationtoolversion="{}" segtype="sentence" o-tmf="bitext" adminlang="en" srclang="{src_attr}" datatype="plaintext"/>"#,
        env!("CARGO_PKG_VERSION"),
    )?;
    writeln!(out, "  <body>")
}

/// Writes the selected pairs of `alignment` as TMX units, after the header when `header`;
/// returns how many characters that XML 1.0 forbids were dropped.
fn write_units<W: Write + ?Sized>(
    out: &mut W,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
    header: bool,
) -> io::Result<usize> {
    let src_lang = lang_code(&src.lang);
    let tgt_lang = lang_code(&tgt.lang);
    let mut dropped = 0;
    let mut clean = |text: &str| {
        let (kept, n) = strip_forbidden(text);
        dropped += n;
        escape(kept).into_owned()
    };
    let src_attr = clean(&src_lang);
    let tgt_attr = clean(&tgt_lang);
    if header {
        write_header(out, &src_attr)?;
    }
    for bead in options.selected(alignment).filter(|b| b.is_pair()) {
        let src_text = clean(&src.joined(bead.src.clone()));
        let tgt_text = clean(&tgt.joined(bead.tgt.clone()));
        writeln!(out, "    <tu>")?;
        writeln!(
            out,
            r#"      <prop type="x-confidence">{:.3}</prop>"#,
            bead.confidence
        )?;
        writeln!(
            out,
            r#"      <prop type="x-src-sentences">{}</prop>"#,
            ids(bead.src.clone())
        )?;
        writeln!(
            out,
            r#"      <prop type="x-tgt-sentences">{}</prop>"#,
            ids(bead.tgt.clone())
        )?;
        writeln!(
            out,
            r#"      <tuv xml:lang="{src_attr}"><seg>{src_text}</seg></tuv>"#
        )?;
        writeln!(
            out,
            r#"      <tuv xml:lang="{tgt_attr}"><seg>{tgt_text}</seg></tuv>"#
        )?;
        writeln!(out, "    </tu>")?;
    }
    Ok(dropped)
}

/// A language code for `xml:lang`, in BCP 47: BCP 47 knows `und`, so an unknown language
/// keeps it; an empty code (never produced by the library, but a caller may build one)
/// becomes `und`; a POSIX-style `pt_BR` becomes `pt-BR` (BCP 47 separates subtags with
/// hyphens only).
fn lang_code(lang: &str) -> std::borrow::Cow<'_, str> {
    if lang.trim().is_empty() {
        "und".into()
    } else if lang.contains('_') {
        lang.replace('_', "-").into()
    } else {
        lang.into()
    }
}

/// `0,1,2` for the indices of `range`.
fn ids(range: std::ops::Range<usize>) -> String {
    range.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// True for a character XML 1.0 allows in a document (its `Char` production; Rust
/// strings cannot hold the surrogates it also excludes).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` without the characters XML 1.0 forbids, and how many were removed.
fn strip_forbidden(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let bad = text.chars().filter(|&c| !is_xml_char(c)).count();
    if bad == 0 {
        (text.into(), 0)
    } else {
        (text.chars().filter(|&c| is_xml_char(c)).collect(), bad)
    }
}

/// One translation unit read back from a TMX file.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The segment in the header's `srclang` (the first `tuv` when none matches).
    pub src: String,
    /// The other segment (the second `tuv`).
    pub tgt: String,
    /// The `x-confidence` property, when present.
    pub confidence: Option<f64>,
}

/// Where a TMX error is reported: the reader works on text, not a file.
const TMX_PATH: &str = "<tmx>";

/// Reads the translation units of a two-language TMX document, such as
/// [`Format::Tmx`](super::Format::Tmx) writes. Inside a `seg`, the text of `hi` is kept and the native codes of inline
/// markup (`bpt`, `ept`, `ph`, `it`, `ut`) are skipped, with any `sub` inside them: a
/// sub-flow (an image's alt text, say) is a text of its own, not part of the segment.
/// Fails on malformed XML and on a `tu` that does not have exactly two `tuv`s.
pub fn read(text: &str) -> crate::Result<Vec<Unit>> {
    let mut reader = quick_xml::Reader::from_str(text);
    let line_at = |pos: u64| {
        let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
        1 + text.as_bytes()[..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    let mut units = Vec::new();
    let mut srclang: Option<String> = None;
    // State of the `tu` being read: its confidence; `open` has its `tuv`s and says
    // where text goes.
    let mut confidence = None;
    let mut in_tu = false;
    let mut open = Open::default();
    loop {
        let event = reader.read_event().map_err(|e| {
            crate::Error::parse(
                TMX_PATH,
                line_at(reader.error_position()),
                format!("malformed XML: {e}"),
            )
        })?;
        // The line is counted only when an error needs it: counting it for every
        // event would make reading quadratic in the file size.
        let pos = reader.buffer_position();
        let here = || line_at(pos);
        let empty = matches!(event, Event::Empty(_));
        let bad_attr = |e: quick_xml::events::attributes::AttrError| {
            crate::Error::parse(TMX_PATH, here(), format!("malformed attribute: {e}"))
        };
        let bad_value =
            |e: quick_xml::Error| crate::Error::parse(TMX_PATH, here(), format!("bad value: {e}"));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "header" => {
                    for attr in e.attributes() {
                        let attr = attr.map_err(bad_attr)?;
                        if attr.key.as_ref() == "srclang" {
                            srclang = Some(
                                attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .map_err(bad_value)?
                                    .into_owned(),
                            );
                        }
                    }
                }
                "tu" => {
                    in_tu = true;
                    open.tuvs.clear();
                    confidence = None;
                }
                "tuv" if in_tu => {
                    let mut lang = String::new();
                    for attr in e.attributes() {
                        let attr = attr.map_err(bad_attr)?;
                        if attr.key.as_ref() == "xml:lang" || attr.key.as_ref() == "lang" {
                            lang = attr
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(bad_value)?
                                .into_owned();
                        }
                    }
                    open.tuvs.push((lang, String::new()));
                }
                "seg" if in_tu => open.in_seg = true,
                // Native codes (a tag of the original format), not translatable text.
                "bpt" | "ept" | "ph" | "it" | "ut" if !empty => open.code_depth += 1,
                "prop" if in_tu => {
                    open.prop_text.clear();
                    open.prop_type = None;
                    for attr in e.attributes() {
                        let attr = attr.map_err(bad_attr)?;
                        if attr.key.as_ref() == "type" {
                            open.prop_type = Some(
                                attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .map_err(bad_value)?
                                    .into_owned(),
                            );
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) => open.push_text(&t.xml10_content()),
            Event::CData(t) => open.push_text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(bad_value)? {
                    Some(c) => c,
                    None => match r.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => {
                            return Err(crate::Error::parse(
                                TMX_PATH,
                                here(),
                                format!("unknown entity &{other};"),
                            ));
                        }
                    },
                };
                open.push_text(c.encode_utf8(&mut [0; 4]));
            }
            Event::End(e) => match e.name().as_ref() {
                "seg" => open.in_seg = false,
                "prop" => {
                    if open.prop_type.as_deref() == Some("x-confidence") {
                        let prop_text = &open.prop_text;
                        let value = prop_text.trim().parse::<f64>().map_err(|_| {
                            crate::Error::parse(
                                TMX_PATH,
                                here(),
                                format!("x-confidence is not a number: {prop_text:?}"),
                            )
                        })?;
                        confidence = Some(value);
                    }
                    open.prop_type = None;
                }
                "tu" => {
                    in_tu = false;
                    let tuvs = &mut open.tuvs;
                    let count = tuvs.len();
                    let (Some(mut second), Some(mut first), None) =
                        (tuvs.pop(), tuvs.pop(), tuvs.pop())
                    else {
                        return Err(crate::Error::parse(
                            TMX_PATH,
                            here(),
                            format!("a tu has {count} tuv elements, expected 2"),
                        ));
                    };
                    // The source is the `tuv` in the header's srclang; with both sides
                    // in one language, document order decides.
                    if let Some(l) = srclang.as_deref() {
                        if second.0 == l && first.0 != l {
                            std::mem::swap(&mut first, &mut second);
                        }
                    }
                    units.push(Unit {
                        src: first.1,
                        tgt: second.1,
                        confidence,
                    });
                }
                "bpt" | "ept" | "ph" | "it" | "ut" => {
                    open.code_depth = open.code_depth.saturating_sub(1);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(units)
}

/// Where the reader puts the text it meets: the segment of the last `tuv` while a
/// `seg` is open outside native codes, else the value of an open `prop`, else nowhere.
#[derive(Debug, Default)]
struct Open {
    /// The `tuv`s of the current `tu`, as (language, segment text).
    tuvs: Vec<(String, String)>,
    /// Inside a `seg`.
    in_seg: bool,
    /// How many native-code elements (`bpt`, `ph`, ...) are open: their text is skipped.
    code_depth: usize,
    /// The `type` of the open `prop` (`None` outside one, and for one without a type,
    /// whose text is not kept).
    prop_type: Option<String>,
    /// The text of the open (or last) `prop`.
    prop_text: String,
}

impl Open {
    /// Appends `text` to the current segment or property value, whichever is open.
    fn push_text(&mut self, text: &str) {
        if self.in_seg && self.code_depth == 0 {
            if let Some((_, seg)) = self.tuvs.last_mut() {
                seg.push_str(text);
            }
        } else if self.prop_type.is_some() {
            self.prop_text.push_str(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_counted_and_dropped() {
        let (kept, n) = strip_forbidden("a\u{0}b\u{7}c\td\u{FFFE}e\u{1F600}");
        assert_eq!(kept, "abc\tde\u{1F600}");
        assert_eq!(n, 3);
    }

    #[test]
    fn reader_resolves_entities_and_swaps_by_srclang() {
        let text = r#"<tmx version="1.4"><header srclang="en"/><body>
            <tu><prop type="x-confidence">0.5</prop>
            <tuv xml:lang="fr"><seg>&lt;b&gt; &amp; &#233;</seg></tuv>
            <tuv xml:lang="en"><seg>a<ph>x</ph>b</seg></tuv></tu></body></tmx>"#;
        let units = read(text).unwrap();
        assert_eq!(
            units,
            [Unit {
                src: "ab".into(),
                tgt: "<b> & é".into(),
                confidence: Some(0.5)
            }]
        );
    }

    /// Text, CDATA and entities all land in the open segment or property; native codes
    /// and untyped properties keep none.
    #[test]
    fn reader_routes_every_kind_of_text() {
        let text = r#"<tmx><body><tu>
            <prop type="x-confidence"><![CDATA[0.]]>2&#53;</prop><prop>9</prop>
            <tuv xml:lang="en"><seg>a<![CDATA[<b>]]><hi>c&amp;</hi><bpt i="1">&lt;x&gt;</bpt>d</seg></tuv>
            <tuv xml:lang="fr"><seg><ph/>e<![CDATA[]]>&#x66;</seg></tuv></tu></body></tmx>"#;
        let units = read(text).unwrap();
        assert_eq!(
            units,
            [Unit {
                src: "a<b>c&d".into(),
                tgt: "ef".into(),
                confidence: Some(0.25)
            }]
        );
    }

    #[test]
    fn reader_rejects_a_tu_with_one_tuv() {
        let text = r#"<tmx><body><tu><tuv xml:lang="en"><seg>a</seg></tuv></tu></body></tmx>"#;
        let err = read(text).unwrap_err();
        assert!(err.to_string().contains("expected 2"), "{err}");
    }

    #[test]
    fn reader_reports_the_line_of_malformed_xml() {
        let err = read("<tmx>\n<body>\n<tu>\n</body>\n</tmx>").unwrap_err();
        assert!(
            err.to_string().starts_with("<tmx>:4: malformed XML"),
            "{err}"
        );
    }
}
