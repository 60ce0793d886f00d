//! One table for several translations of a document, each aligned to a pivot.
//!
//! [`Table::new`] takes the pivot document and, for every other document, its
//! alignment to the pivot (the pivot as the source side). The rows follow the pivot:
//!
//! - a *pivot row* is the smallest run of pivot sentences that no bead of any alignment
//!   cuts across, so each language's bead lies inside one row (usually one pivot
//!   sentence; two when one translator merged them);
//! - in each pivot row, a language's cell holds the sentences its beads pair with that
//!   row's pivot sentences, and the lowest confidence of those beads (a cell is as
//!   doubtful as its weakest bead);
//! - a sentence of another language that is paired with nothing gets a row of its own,
//!   after the pivot row its nearest earlier paired sentence went to (before the first
//!   row when there is none), so that nothing is dropped and it stays near its
//!   context.
//!
//! Every sentence of every document is therefore in exactly one cell. A column whose
//! alignment was made in [`Mode::Comparable`] is marked *comparable*: its pairs are
//! matches between independently written texts, not translations.
//!
//! Writers: [`Table::write_tsv`], [`Table::write_jsonl`], [`Table::write_tmx`] and
//! [`Table::write_report`] (a read-only HTML page); `docs/align-many.md` shows them.

use std::io::{self, Write};

use crate::align::{Alignment, Mode};
use crate::doc::Document;
use crate::write::{is_separator, one_line, report, tmx};

/// Confidence below which a comparable column's cell stays out of the TMX: a pair
/// between independently written texts is seldom a translation, and only a confident
/// one is worth a translation memory's slot (the report's `mid` band starts here too).
pub const COMPARABLE_TMX_MIN: f64 = 0.5;

/// One language of the table.
#[derive(Debug, Clone)]
pub struct Column<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The column's name: the document's language code, with `#2`, `#3`… added when
    /// an earlier column has the same code.
    pub name: String,
    /// True when this document was aligned to the pivot in comparable mode.
    pub comparable: bool,
}

/// The sentences of one language in one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Sentence indices in the column's document, ascending.
    pub sentences: Vec<usize>,
    /// The lowest confidence of the beads that paired these sentences with the row's
    /// pivot sentences; `None` in the pivot's column and for sentences paired with
    /// nothing.
    pub confidence: Option<f64>,
}

/// One row: a cell per column, `None` where a language has nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Cells in column order; the pivot's is first.
    pub cells: Vec<Option<Cell>>,
}

/// The multilingual table; see the module documentation for how rows are made.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// The pivot first, then the other documents in the order given.
    pub columns: Vec<Column<'a>>,
    /// The rows, in pivot order.
    pub rows: Vec<Row>,
}

impl<'a> Table<'a> {
    /// Builds the table from the pivot and each other document with its alignment to
    /// the pivot (pivot = source side). Beads that name sentences beyond a document's
    /// end are ignored rather than trusted.
    pub fn new(pivot: &'a Document, others: &[(&'a Document, &Alignment)]) -> Table<'a> {
        let columns = names(
            std::iter::once((pivot, false))
                .chain(others.iter().map(|(d, a)| (*d, a.mode == Mode::Comparable))),
        );
        let n = pivot.len();
        let width = columns.len();
        // A pivot row may end at k unless some bead's pivot side spans k.
        let mut cut = vec![true; n + 1];
        for (_, alignment) in others {
            for bead in &alignment.beads {
                let inside = bead.src.start + 1..bead.src.end.min(n + 1);
                if !inside.is_empty() {
                    cut[inside].fill(false);
                }
            }
        }
        let mut rows: Vec<Row> = Vec::new();
        let mut row_of = vec![0; n];
        for (i, row) in row_of.iter_mut().enumerate() {
            if i == 0 || cut[i] {
                let mut cells = vec![None; width];
                cells[0] = Some(Cell {
                    sentences: Vec::new(),
                    confidence: None,
                });
                rows.push(Row { cells });
            }
            let last = rows.len() - 1;
            *row = last;
            if let Some(cell) = rows[last].cells[0].as_mut() {
                cell.sentences.push(i);
            }
        }
        // (anchor, column, sentence): anchor 0 is before the first row, r + 1 after row r.
        let mut extras: Vec<(usize, usize, usize)> = Vec::new();
        for (c, (doc, alignment)) in others.iter().enumerate() {
            let c = c + 1;
            let m = doc.len();
            let mut placed: Vec<Option<usize>> = vec![None; m];
            for bead in alignment.beads.iter().filter(|b| b.is_pair()) {
                if bead.src.start >= n {
                    continue;
                }
                let r = row_of[bead.src.start];
                let cell = rows[r].cells[c].get_or_insert(Cell {
                    sentences: Vec::new(),
                    confidence: Some(bead.confidence),
                });
                for j in bead.tgt.clone().filter(|&j| j < m) {
                    if placed[j].is_none() {
                        placed[j] = Some(r);
                        cell.sentences.push(j);
                    }
                }
                cell.confidence = cell.confidence.map(|x| x.min(bead.confidence));
            }
            let mut anchor = 0;
            for (j, row) in placed.iter().enumerate() {
                match row {
                    Some(r) => anchor = r + 1,
                    None => extras.push((anchor, c, j)),
                }
            }
        }
        for row in &mut rows {
            for cell in row.cells.iter_mut().flatten() {
                cell.sentences.sort_unstable();
            }
            // A pair bead whose target sentences were all beyond the document's end.
            for cell in row.cells.iter_mut() {
                if cell.as_ref().is_some_and(|c| c.sentences.is_empty()) {
                    *cell = None;
                }
            }
        }
        extras.sort_unstable();
        let mut table = Vec::with_capacity(rows.len() + extras.len());
        let mut extras = extras.into_iter().peekable();
        let mut flush = |table: &mut Vec<Row>, upto: usize| {
            while let Some((_, c, j)) = extras.next_if(|e| e.0 <= upto) {
                let mut cells = vec![None; width];
                cells[c] = Some(Cell {
                    sentences: vec![j],
                    confidence: None,
                });
                table.push(Row { cells });
            }
        };
        flush(&mut table, 0);
        for (r, row) in rows.into_iter().enumerate() {
            table.push(row);
            flush(&mut table, r + 1);
        }
        flush(&mut table, usize::MAX);
        Table {
            columns,
            rows: table,
        }
    }

    /// The text of a cell: its sentences joined by a space.
    pub fn text(&self, column: usize, cell: &Cell) -> String {
        let doc = self.columns[column].doc;
        cell.sentences
            .iter()
            .map(|&i| doc.sentence(i))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when some row pairs sentences of two or more languages.
    pub fn has_pairs(&self) -> bool {
        self.rows
            .iter()
            .any(|row| row.cells.iter().flatten().count() >= 2)
    }

    /// Writes TSV: a header line, then one line a row. The pivot has one column (its
    /// text); every other language has two, its text and `NAME.confidence`; a
    /// comparable language's text column is headed `NAME(comparable)`. Empty cells and
    /// the confidence of unpaired sentences are empty fields; confidences have three
    /// decimals. Returns the number of tabs, line breaks and other separators inside
    /// sentences that became spaces.
    pub fn write_tsv<W: Write>(&self, out: &mut W) -> io::Result<usize> {
        let mut header = Vec::new();
        for (c, column) in self.columns.iter().enumerate() {
            let mark = if column.comparable {
                "(comparable)"
            } else {
                ""
            };
            header.push(format!("{}{mark}", one_line(&column.name)));
            if c > 0 {
                header.push(format!("{}.confidence", one_line(&column.name)));
            }
        }
        writeln!(out, "{}", header.join("\t"))?;
        let mut replaced = 0;
        for row in &self.rows {
            let mut fields = Vec::with_capacity(header.len());
            for (c, cell) in row.cells.iter().enumerate() {
                let (text, confidence) = match cell {
                    Some(cell) => {
                        let text = self.text(c, cell);
                        replaced += text.chars().filter(|&ch| is_separator(ch)).count();
                        (one_line(&text), confidence(cell.confidence))
                    }
                    None => (String::new(), String::new()),
                };
                fields.push(text);
                if c > 0 {
                    fields.push(confidence);
                }
            }
            writeln!(out, "{}", fields.join("\t"))?;
        }
        Ok(replaced)
    }

    /// Writes JSON Lines, one object a row, keyed by column name in column order; each
    /// language with something in the row has `sentences` (0-based indices), `text`,
    /// and, outside the pivot, `confidence` (`null` for sentences paired with nothing)
    /// and `comparable`.
    pub fn write_jsonl<W: Write>(&self, out: &mut W) -> io::Result<()> {
        for row in &self.rows {
            let mut line = String::from("{");
            for (c, cell) in row.cells.iter().enumerate() {
                let Some(cell) = cell else { continue };
                if line.len() > 1 {
                    line.push(',');
                }
                let column = &self.columns[c];
                line.push_str(&json_string(&column.name));
                line.push_str(":{\"sentences\":");
                line.push_str(&serde_json::to_string(&cell.sentences).map_err(io::Error::other)?);
                line.push_str(",\"text\":");
                line.push_str(&json_string(&self.text(c, cell)));
                if c > 0 {
                    line.push_str(",\"confidence\":");
                    match cell.confidence {
                        Some(x) => line.push_str(&format!("{x:.3}")),
                        None => line.push_str("null"),
                    }
                    line.push_str(&format!(",\"comparable\":{}", column.comparable));
                }
                line.push('}');
            }
            line.push('}');
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    /// Writes TMX 1.4b with one `tu` for each row that has text in two languages or
    /// more, holding a `tuv` for each such language (a row with one language is no
    /// translation unit). A comparable column's cell below [`COMPARABLE_TMX_MIN`]
    /// confidence is left out: CAT tools ignore `prop`s and would take it for a
    /// translation. Before the `tuv`s, as the DTD requires, each other language
    /// has a `prop` `x-confidence-NAME` (when paired) and `x-sentences-NAME`, and a
    /// `tu` with a comparable language has `x-comparable` naming it. The header's
    /// `srclang` is the pivot's. Returns how many characters XML 1.0 forbids were
    /// dropped (as the TMX writer, `write::Format::Tmx`, does).
    pub fn write_tmx<W: Write>(&self, out: &mut W) -> io::Result<usize> {
        let mut dropped = 0;
        let mut clean = |text: &str| {
            let kept: String = text.chars().filter(|&c| tmx::is_xml_char(c)).collect();
            dropped += text.chars().count() - kept.chars().count();
            quick_xml::escape::escape(kept.as_str()).into_owned()
        };
        let langs: Vec<String> = self
            .columns
            .iter()
            .map(|c| clean(&xml_lang(&c.doc.lang)))
            .collect();
        let names: Vec<String> = self.columns.iter().map(|c| clean(&c.name)).collect();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<tmx version="1.4">"#)?;
        writeln!(
            out,
            r#"  <header creationtool="bitext" creationtoolversion="{}" segtype="sentence" o-tmf="bitext" adminlang="en" srclang="{}" datatype="plaintext"/>"#,
            env!("CARGO_PKG_VERSION"),
            langs[0]
        )?;
        writeln!(out, "  <body>")?;
        for row in &self.rows {
            let cells: Vec<Option<&Cell>> = row
                .cells
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    cell.as_ref().filter(|cell| {
                        !self.columns[c].comparable
                            || cell.confidence.is_some_and(|x| x >= COMPARABLE_TMX_MIN)
                    })
                })
                .collect();
            if cells.iter().flatten().count() < 2 {
                continue;
            }
            writeln!(out, "    <tu>")?;
            for (c, cell) in cells.iter().enumerate().skip(1) {
                let Some(cell) = cell else { continue };
                if let Some(x) = cell.confidence {
                    writeln!(
                        out,
                        r#"      <prop type="x-confidence-{}">{x:.3}</prop>"#,
                        names[c]
                    )?;
                }
                let ids: Vec<String> = cell.sentences.iter().map(|i| i.to_string()).collect();
                writeln!(
                    out,
                    r#"      <prop type="x-sentences-{}">{}</prop>"#,
                    names[c],
                    ids.join(",")
                )?;
                if self.columns[c].comparable {
                    writeln!(
                        out,
                        r#"      <prop type="x-comparable">{}</prop>"#,
                        names[c]
                    )?;
                }
            }
            for (c, cell) in cells.iter().enumerate() {
                let Some(cell) = cell else { continue };
                let text = clean(&self.text(c, cell));
                writeln!(
                    out,
                    r#"      <tuv xml:lang="{}"><seg>{text}</seg></tuv>"#,
                    langs[c]
                )?;
            }
            writeln!(out, "    </tu>")?;
        }
        writeln!(out, "  </body>")?;
        writeln!(out, "</tmx>")?;
        Ok(dropped)
    }

    /// Writes a self-contained, read-only HTML page: one column per language, each
    /// cell's text with its confidence, comparable columns marked in their heading and
    /// in a note above the table. Text is escaped; a Content-Security-Policy forbids
    /// every load (only the inline style applies), and the page has no script.
    pub fn write_report<W: Write>(&self, out: &mut W) -> io::Result<()> {
        let mut page = String::new();
        page.push_str("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n");
        page.push_str(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n",
        );
        let names: Vec<String> = self
            .columns
            .iter()
            .map(|c| report::escape(&c.name))
            .collect();
        page.push_str(&format!(
            "<title>bitext align-many: {}</title>\n",
            names.join(", ")
        ));
        page.push_str(
            "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;\
             width:100%}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top;\
             text-align:left}th{background:#eee;position:sticky;top:0}.c{display:block;\
             font-size:.8em;color:#555}.high{background:#eef8ee}.mid{background:#fff8e0}\
             .low{background:#fde8e8}.none{background:#f4f4f4}.pivot{background:#fff}\
             .note{color:#a33}</style>\n</head>\n<body>\n",
        );
        page.push_str(&format!(
            "<h1>{} sentences aligned to {}</h1>\n<p>{} rows. Confidence: green at least \
             0.8, yellow at least 0.5, red below; grey: paired with no sentence of the \
             pivot.</p>\n",
            names[1..].join(", "),
            names[0],
            self.rows.len()
        ));
        for (c, column) in self.columns.iter().enumerate() {
            if column.comparable {
                page.push_str(&format!(
                    "<p class=\"note\">{}: written independently of {}, not a translation of \
                     it; aligned in comparable mode, so its pairs are only similar sentences.</p>\n",
                    names[c], names[0]
                ));
            }
        }
        page.push_str("<table>\n<thead><tr>");
        for (c, column) in self.columns.iter().enumerate() {
            let mark = if column.comparable {
                " (comparable)"
            } else if c == 0 {
                " (pivot)"
            } else {
                ""
            };
            page.push_str(&format!("<th>{}{mark}</th>", names[c]));
        }
        page.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            page.push_str("<tr>");
            for (c, cell) in row.cells.iter().enumerate() {
                let Some(cell) = cell else {
                    page.push_str("<td></td>");
                    continue;
                };
                let class = match cell.confidence {
                    _ if c == 0 => "pivot",
                    None => "none",
                    Some(x) if x >= 0.8 => "high",
                    Some(x) if x >= 0.5 => "mid",
                    Some(_) => "low",
                };
                page.push_str(&format!(
                    "<td class=\"{class}\">{}",
                    report::escape(&self.text(c, cell))
                ));
                if let Some(x) = cell.confidence {
                    page.push_str(&format!("<span class=\"c\">{x:.3}</span>"));
                }
                page.push_str("</td>");
            }
            page.push_str("</tr>\n");
        }
        page.push_str("</tbody>\n</table>\n</body>\n</html>\n");
        out.write_all(page.as_bytes())
    }
}

/// Column names: the language code, made unique by `#2`, `#3`… in order.
fn names<'a>(docs: impl Iterator<Item = (&'a Document, bool)>) -> Vec<Column<'a>> {
    let mut columns: Vec<Column<'a>> = Vec::new();
    for (doc, comparable) in docs {
        let base = if doc.lang.trim().is_empty() {
            "und"
        } else {
            doc.lang.as_str()
        };
        let mut name = base.to_string();
        let mut k = 1;
        while columns.iter().any(|c| c.name == name) {
            k += 1;
            name = format!("{base}#{k}");
        }
        columns.push(Column {
            doc,
            name,
            comparable,
        });
    }
    columns
}

/// A language code for `xml:lang` in BCP 47, as the TMX writer makes it.
fn xml_lang(lang: &str) -> String {
    if lang.trim().is_empty() {
        "und".into()
    } else {
        lang.replace('_', "-")
    }
}

fn confidence(x: Option<f64>) -> String {
    x.map(|x| format!("{x:.3}")).unwrap_or_default()
}

fn json_string(text: &str) -> String {
    // Serialising a &str cannot fail; the fallback keeps the line valid JSON anyway.
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{Bead, Evidence};

    fn doc(lang: &str, sentences: &[&str]) -> Document {
        Document::presegmented(sentences.join("\n"), lang)
    }

    fn bead(src: std::ops::Range<usize>, tgt: std::ops::Range<usize>, confidence: f64) -> Bead {
        Bead {
            src,
            tgt,
            confidence,
            evidence: Evidence::default(),
        }
    }

    fn alignment(beads: Vec<Bead>, mode: Mode) -> Alignment {
        Alignment {
            beads,
            mode,
            looks_comparable: false,
            band_capped: false,
        }
    }

    #[test]
    fn rows_follow_the_pivot_and_keep_every_sentence() {
        let pt = doc("pt", &["A.", "B.", "C."]);
        let id = doc("id", &["a.", "x.", "b.", "c."]);
        let en = doc("en", &["ab.", "c."]);
        let id_al = alignment(
            vec![
                bead(0..1, 0..1, 0.9),
                bead(1..1, 1..2, 0.0),
                bead(1..2, 2..3, 0.8),
                bead(2..3, 3..4, 0.7),
            ],
            Mode::Parallel,
        );
        let en_al = alignment(
            vec![bead(0..2, 0..1, 0.6), bead(2..3, 1..2, 0.95)],
            Mode::Parallel,
        );
        let table = Table::new(&pt, &[(&id, &id_al), (&en, &en_al)]);
        let cols: Vec<_> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cols, ["pt", "id", "en"]);
        // Rows: pt 0-1 (EN merged them), the unpaired ID "x." after it, pt 2.
        assert_eq!(table.rows.len(), 3);
        let first = &table.rows[0].cells;
        assert_eq!(first[0].as_ref().unwrap().sentences, [0, 1]);
        assert_eq!(first[1].as_ref().unwrap().sentences, [0, 2]);
        assert_eq!(first[1].as_ref().unwrap().confidence, Some(0.8));
        assert_eq!(first[2].as_ref().unwrap().confidence, Some(0.6));
        let extra = &table.rows[1].cells;
        assert_eq!(extra[1].as_ref().unwrap().sentences, [1]);
        assert!(extra[0].is_none() && extra[2].is_none());
        for (c, len) in [(0, 3), (1, 4), (2, 2)] {
            let mut seen: Vec<usize> = table
                .rows
                .iter()
                .filter_map(|r| r.cells[c].as_ref())
                .flat_map(|cell| cell.sentences.clone())
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..len).collect::<Vec<_>>());
        }
    }

    #[test]
    fn comparable_columns_are_marked_and_unpaired_sentences_kept() {
        let pt = doc("pt", &["A.", "B."]);
        let fr = doc("fr", &["z.", "b."]);
        let fr_al = alignment(
            vec![
                bead(0..1, 0..0, 0.0),
                bead(1..2, 1..2, 0.3),
                bead(2..2, 0..1, 0.0),
            ],
            Mode::Comparable,
        );
        let table = Table::new(&pt, &[(&fr, &fr_al)]);
        assert!(table.columns[1].comparable);
        // The only pair is a doubtful comparable one: no translation unit.
        let mut xml = Vec::new();
        table.write_tmx(&mut xml).unwrap();
        assert!(!String::from_utf8(xml).unwrap().contains("<tu>"));
        // "z." precedes every paired French sentence: it opens the table.
        assert_eq!(table.rows[0].cells[1].as_ref().unwrap().sentences, [0]);
        let mut tsv = Vec::new();
        table.write_tsv(&mut tsv).unwrap();
        let tsv = String::from_utf8(tsv).unwrap();
        assert_eq!(
            tsv,
            "pt\tfr(comparable)\tfr.confidence\n\tz.\t\nA.\t\t\nB.\tb.\t0.300\n"
        );
    }

    #[test]
    fn writers_escape_and_name_duplicate_languages() {
        let pt = doc("pt", &["<a> & \"b\"\u{1}"]);
        let fr = doc("fr", &["un\tdeux"]);
        let fr2 = doc("fr", &["trois"]);
        let al = alignment(vec![bead(0..1, 0..1, 0.9)], Mode::Parallel);
        let table = Table::new(&pt, &[(&fr, &al), (&fr2, &al)]);
        assert_eq!(table.columns[2].name, "fr#2");
        let mut tsv = Vec::new();
        assert_eq!(table.write_tsv(&mut tsv).unwrap(), 1);
        let mut xml = Vec::new();
        assert_eq!(table.write_tmx(&mut xml).unwrap(), 1);
        let xml = String::from_utf8(xml).unwrap();
        assert!(xml.contains("&lt;a&gt; &amp; &quot;b&quot;</seg>"), "{xml}");
        assert_eq!(xml.matches("<tuv ").count(), 3);
        let mut html = Vec::new();
        table.write_report(&mut html).unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("&lt;a&gt;") && !html.contains("<a>"));
        assert!(!html.contains("<script"));
        let mut jsonl = Vec::new();
        table.write_jsonl(&mut jsonl).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&jsonl).unwrap();
        assert_eq!(value["fr#2"]["text"], "trois");
        assert_eq!(value["pt"]["sentences"][0], 0);
    }
}
