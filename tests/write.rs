//! Integration tests: write.
//!
//! The writers are tested on a hand-made alignment of the PT and ID seed articles, not
//! on the aligner's output, so that a change to the aligner never churns these
//! snapshots: the first paragraph of each seed split by hand into sentences (one ID
//! sentence split in two to make a 1-2 bead), plus a paragraph written for the test
//! with markup, quotes and a control character, and one unaligned sentence per side.

use std::io::BufRead;
use std::ops::Range;
use std::path::{Path, PathBuf};

use bitext::write::{self, Format, Sink, WriteOptions};
use bitext::{Alignment, Bead, Document, Evidence, Mode};
use quick_xml::events::Event;

use crate::util::{bitext, fixture, listing, stderr, stdout};

/// The first paragraph of a seed, split before each of `starts`.
fn first_paragraph(rel: &str, starts: &[&str]) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(rel)).expect("read seed");
    let para = text.split("\n\n").next().expect("a paragraph").trim();
    let mut cuts: Vec<usize> = starts
        .iter()
        .map(|s| para.find(s).unwrap_or_else(|| panic!("{s:?} not in {rel}")))
        .collect();
    cuts.push(para.len());
    cuts.windows(2)
        .map(|w| para[w[0]..w[1]].trim().to_owned())
        .collect()
}

const PT_EXTRA: &str = "Nota do editor: <script>alert(\"olá\")</script> & 'aspas'\u{7} fim.";
const ID_EXTRA: &str = "Catatan editor: <script>alert(\"halo\")</script> & 'kutipan'\u{7} selesai.";

/// The two documents (PT source, ID target) and the hand-made alignment.
fn seed_case() -> (Document, Document, Alignment) {
    let pt = first_paragraph(
        "seeds/003.pt.txt",
        &[
            "De acordo com a Cointelegraph",
            "O Ministério",
            "O Ministro",
            "Esta medida",
            "De acordo com o fundador",
        ],
    );
    let id = first_paragraph(
        "seeds/004.id.txt",
        &[
            "Menurut Cointelegraph",
            "Kementerian",
            "Menteri",
            "Langkah ini",
            "Menurut pendiri",
            "menggunakan Telegram setiap bulan",
        ],
    );
    assert_eq!((pt.len(), id.len()), (5, 6));
    let pt_text = format!("{}\n\n{PT_EXTRA}\nFonte: Cointelegraph.\n", pt.join("\n"));
    let id_text = format!(
        "{}\n\n{ID_EXTRA}\nCointelegraph menghubungi Telegram untuk memberikan komentar.\n",
        id.join("\n")
    );
    let src = Document::presegmented(pt_text, "pt");
    let tgt = Document::presegmented(id_text, "id");
    assert_eq!((src.len(), tgt.len()), (7, 8));
    let bead = |s: Range<usize>, t: Range<usize>, confidence: f64, lexical: f64| Bead {
        src: s,
        tgt: t,
        confidence,
        evidence: Evidence {
            length: 0.5,
            lexical,
            numbers: 0.0,
            punctuation: 0.25,
        },
    };
    let alignment = Alignment {
        beads: vec![
            bead(0..1, 0..1, 0.97, 2.5),
            bead(1..2, 1..2, 0.93, 1.75),
            bead(2..3, 2..3, 0.88, 1.5),
            bead(3..4, 3..4, 0.61, 0.5),
            bead(4..5, 4..6, 0.74, 1.25),
            bead(5..6, 6..7, 0.42, -0.5),
            bead(6..7, 7..7, 0.2, 0.0),
            bead(7..7, 7..8, 0.15, 0.0),
        ],
        mode: Mode::Parallel,
        looks_comparable: false,
        band_capped: false,
    };
    (src, tgt, alignment)
}

/// Similarity points for the report: strong on the path, a few weak ones off it.
fn seed_similarity() -> Vec<(usize, usize, f32)> {
    vec![
        (0, 0, 0.9),
        (1, 1, 0.8),
        (2, 2, 0.85),
        (3, 3, 0.4),
        (4, 4, 0.6),
        (4, 5, 0.5),
        (5, 6, 0.3),
        (0, 4, 0.2),
        (4, 0, 0.15),
        (6, 7, 0.05),
    ]
}

/// The pairs a filtered writer should write: joined texts and confidence.
fn expected_pairs(
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    min: f64,
) -> Vec<(String, String, f64)> {
    alignment
        .beads
        .iter()
        .filter(|b| b.is_pair() && b.confidence >= min)
        .map(|b| {
            (
                src.joined(b.src.clone()),
                tgt.joined(b.tgt.clone()),
                b.confidence,
            )
        })
        .collect()
}

/// Writes one pair in `format` through the writer interface; returns the count of
/// characters the format dropped (TMX) or replaced (TSV).
fn emit(
    format: Format,
    out: &mut Vec<u8>,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
) -> bitext::Result<usize> {
    let mut writer = format.writer(Sink::stream(out), options.clone())?;
    writer.write(src, tgt, alignment)?;
    let written = writer.finish()?;
    Ok(written.dropped_characters + written.replaced_separators)
}

/// Writes the Moses files of one pair at `prefix`.
fn write_moses(
    prefix: &Path,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    options: &WriteOptions,
) -> bitext::Result<()> {
    let mut writer = Format::Moses.writer(Sink::path(prefix), options.clone())?;
    writer.write(src, tgt, alignment)?;
    writer.finish().map(|_| ())
}

fn to_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("writers write UTF-8")
}

fn tsv(options: &WriteOptions) -> String {
    let (src, tgt, alignment) = seed_case();
    let mut out = Vec::new();
    emit(Format::Tsv, &mut out, &src, &tgt, &alignment, options).unwrap();
    to_string(out)
}

fn tmx(options: &WriteOptions) -> (String, usize) {
    let (src, tgt, alignment) = seed_case();
    let mut out = Vec::new();
    let dropped = emit(Format::Tmx, &mut out, &src, &tgt, &alignment, options).unwrap();
    (to_string(out), dropped)
}

fn report() -> String {
    let (src, tgt, alignment) = seed_case();
    let mut out = Vec::new();
    write::report::write(&mut out, &src, &tgt, &alignment, &seed_similarity()).unwrap();
    to_string(out)
}

/// A fresh empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bitext-write-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Parses TSV the way Moses and OPUS tools do: split on tabs, no quoting.
fn read_tsv(text: &str) -> Vec<(String, String, f64)> {
    text.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "three fields in {line:?}");
            let score = fields[2].parse().expect("a numeric score");
            (fields[0].to_owned(), fields[1].to_owned(), score)
        })
        .collect()
}

fn lines(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::io::BufReader::new(file)
        .lines()
        .collect::<Result<_, _>>()
        .unwrap()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn tsv_snapshot() {
    let options = WriteOptions {
        header: true,
        include_unaligned: true,
        ..WriteOptions::default()
    };
    insta::assert_snapshot!("tsv", tsv(&options));
}

#[test]
fn beads_snapshot() {
    let (src, tgt, alignment) = seed_case();
    let mut out = Vec::new();
    let options = WriteOptions::default();
    emit(Format::Beads, &mut out, &src, &tgt, &alignment, &options).unwrap();
    insta::assert_snapshot!("beads", to_string(out));
}

#[test]
fn jsonl_snapshot() {
    let (src, tgt, alignment) = seed_case();
    let options = WriteOptions {
        include_unaligned: true,
        ..WriteOptions::default()
    };
    let mut out = Vec::new();
    emit(Format::Jsonl, &mut out, &src, &tgt, &alignment, &options).unwrap();
    let text = to_string(out);
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is JSON");
    }
    insta::assert_snapshot!("jsonl", text);
}

#[test]
fn tmx_snapshot() {
    let (text, dropped) = tmx(&WriteOptions::default());
    // The BEL in each extra sentence.
    assert_eq!(dropped, 2);
    insta::assert_snapshot!("tmx", text);
}

#[test]
fn moses_snapshot() {
    let (src, tgt, alignment) = seed_case();
    let dir = scratch("moses-snapshot");
    let prefix = dir.join("corpus");
    write_moses(&prefix, &src, &tgt, &alignment, &WriteOptions::default()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // No temporary file left behind.
    assert_eq!(names, ["corpus.id", "corpus.pt", "corpus.scores"]);
    let mut shown = String::new();
    for name in ["corpus.pt", "corpus.id", "corpus.scores"] {
        let content = std::fs::read_to_string(dir.join(name)).unwrap();
        shown.push_str(&format!("==> {name} <==\n{content}"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    insta::assert_snapshot!("moses", shown);
}

#[test]
fn report_snapshot() {
    // The page's markup and data; the style and script (and so their CSP hashes) are
    // left out, or every change to the script would churn this snapshot.
    let html = report();
    let cut = |html: &str, open: &str, close: &str| {
        let start = html.rfind(open).expect("opens") + open.len();
        let end = start + html[start..].find(close).expect("closes");
        format!("{}…{}", &html[..start], &html[end..])
    };
    let html = cut(&html, "<style>", "</style>");
    let html = cut(&html, "<script>", "</script>");
    let html = cut(&html, "script-src 'sha256-", "'");
    let html = cut(&html, "style-src 'sha256-", "'");
    insta::assert_snapshot!("report", html);
}

// ---------------------------------------------------------------- TMX

#[test]
fn tmx_has_the_structure_cat_tools_expect() {
    let (text, _) = tmx(&WriteOptions::default());
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut header_attrs = Vec::new();
    let mut tus = 0;
    // Children of the current tu, in order, and segs per tuv.
    let mut tu_children: Vec<String> = Vec::new();
    let mut segs_in_tuv = 0;
    let mut tuv_langs = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                let attrs: Vec<(String, String)> = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (a.key.as_ref().to_owned(), a.value.into_owned())
                    })
                    .collect();
                match (stack.last().map(String::as_str), name.as_str()) {
                    (None, "tmx") => assert!(attrs.contains(&("version".into(), "1.4".into()))),
                    (Some("tmx"), "header") => header_attrs = attrs.clone(),
                    (Some("tmx"), "body") => {}
                    (Some("body"), "tu") => {
                        tus += 1;
                        tu_children.clear();
                    }
                    (Some("tu"), "prop") => {
                        assert!(attrs.iter().any(|(k, _)| k == "type"), "prop has a type");
                        tu_children.push(name.clone());
                    }
                    (Some("tu"), "tuv") => {
                        let lang = attrs
                            .iter()
                            .find(|(k, _)| k == "xml:lang")
                            .map(|(_, v)| v.clone())
                            .expect("tuv has xml:lang");
                        tuv_langs.push(lang);
                        tu_children.push(name.clone());
                        segs_in_tuv = 0;
                    }
                    (Some("tuv"), "seg") => segs_in_tuv += 1,
                    (parent, child) => panic!("unexpected <{child}> in {parent:?}"),
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_owned();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                match name.as_str() {
                    "tuv" => assert_eq!(segs_in_tuv, 1, "one seg per tuv"),
                    "tu" => assert_eq!(
                        tu_children,
                        ["prop", "prop", "prop", "tuv", "tuv"],
                        "props before the two tuvs"
                    ),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for key in [
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    ] {
        assert!(
            header_attrs.iter().any(|(k, _)| k == key),
            "header lacks {key}"
        );
    }
    assert!(header_attrs.contains(&("segtype".into(), "sentence".into())));
    assert!(header_attrs.contains(&("srclang".into(), "pt".into())));
    // Six pairs: the 1-0 and 0-1 beads are not translation units.
    assert_eq!(tus, 6);
    assert_eq!(tuv_langs.len(), 12);
    assert!(tuv_langs.chunks(2).all(|c| c == ["pt", "id"]));
    assert!(!text.contains("<script>"), "markup in text is escaped");
    assert!(
        text.contains(
            "&lt;script&gt;alert(&quot;olá&quot;)&lt;/script&gt; &amp; &apos;aspas&apos;"
        )
    );
}

#[test]
fn tmx_leaves_out_pairs_under_the_threshold() {
    let options = WriteOptions {
        min_confidence: 0.5,
        include_unaligned: true,
        ..WriteOptions::default()
    };
    let (text, dropped) = tmx(&options);
    let units = write::tmx::read(&text).unwrap();
    let confidences: Vec<f64> = units.iter().map(|u| u.confidence.unwrap()).collect();
    assert_eq!(confidences, [0.97, 0.93, 0.88, 0.61, 0.74]);
    // The sentences with a BEL are in the 0.42 pair, which is left out.
    assert_eq!(dropped, 0);
}

#[test]
fn tmx_round_trip_gives_the_same_pairs() {
    let (src, tgt, alignment) = seed_case();
    let (text, _) = tmx(&WriteOptions::default());
    let units = write::tmx::read(&text).unwrap();
    let expected = expected_pairs(&src, &tgt, &alignment, 0.0);
    assert_eq!(units.len(), expected.len());
    for (unit, (s, t, c)) in units.iter().zip(&expected) {
        // XML 1.0 cannot carry a BEL: the writer drops it, and only it.
        assert_eq!(unit.src, s.replace('\u{7}', ""));
        assert_eq!(unit.tgt, t.replace('\u{7}', ""));
        assert!((unit.confidence.unwrap() - c).abs() < 5e-4);
    }
    assert!(
        units
            .iter()
            .any(|u| u.src.contains("<script>alert(\"olá\")</script> & 'aspas'"))
    );
}

#[test]
fn tmx_with_an_unknown_language_uses_und() {
    let src = Document::presegmented("Hello.".into(), "und");
    let tgt = Document::presegmented("Bonjour.".into(), "und");
    let alignment = bitext::Aligner::builder()
        .build()
        .unwrap()
        .align(&src, &tgt);
    let mut out = Vec::new();
    let options = WriteOptions::default();
    emit(Format::Tmx, &mut out, &src, &tgt, &alignment, &options).unwrap();
    let text = to_string(out);
    assert!(text.contains(r#"srclang="und""#));
    assert_eq!(text.matches(r#"<tuv xml:lang="und">"#).count(), 2);
    let units = write::tmx::read(&text).unwrap();
    assert_eq!(
        (units[0].src.as_str(), units[0].tgt.as_str()),
        ("Hello.", "Bonjour.")
    );
}

// ---------------------------------------------------------------- TSV

#[test]
fn tsv_round_trip_gives_the_same_pairs() {
    let (src, tgt, alignment) = seed_case();
    let text = tsv(&WriteOptions::default());
    let read = read_tsv(&text);
    let expected = expected_pairs(&src, &tgt, &alignment, 0.0);
    assert_eq!(read.len(), expected.len());
    for ((s, t, c), (es, et, ec)) in read.iter().zip(&expected) {
        assert_eq!((s, t), (es, et));
        assert!((c - ec).abs() < 5e-4);
    }
}

// ---------------------------------------------------------------- Moses

#[test]
fn moses_files_are_line_aligned_and_filtered() {
    let (src, tgt, alignment) = seed_case();
    let dir = scratch("moses-aligned");
    let prefix = dir.join("c");
    let options = WriteOptions {
        min_confidence: 0.6,
        include_unaligned: true,
        ..WriteOptions::default()
    };
    write_moses(&prefix, &src, &tgt, &alignment, &options).unwrap();
    let (pt, id, scores) = (
        lines(&dir.join("c.pt")),
        lines(&dir.join("c.id")),
        lines(&dir.join("c.scores")),
    );
    let expected = expected_pairs(&src, &tgt, &alignment, 0.6);
    assert_eq!(pt.len(), expected.len());
    assert_eq!(id.len(), expected.len());
    assert_eq!(scores, ["0.970", "0.930", "0.880", "0.610", "0.740"]);
    for (k, (s, t, _)) in expected.iter().enumerate() {
        assert_eq!((&pt[k], &id[k]), (s, t));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn moses_with_one_language_on_both_sides_keeps_both_files() {
    let src = Document::presegmented("One.\nTwo.".into(), "en");
    let tgt = Document::presegmented("Uno.\nDos.".into(), "en");
    let alignment = bitext::Aligner::builder()
        .build()
        .unwrap()
        .align(&src, &tgt);
    let dir = scratch("moses-same-lang");
    let prefix = dir.join("c");
    write_moses(&prefix, &src, &tgt, &alignment, &WriteOptions::default()).unwrap();
    assert_eq!(lines(&dir.join("c.src.en")), ["One.", "Two."]);
    assert_eq!(lines(&dir.join("c.tgt.en")), ["Uno.", "Dos."]);
    assert_eq!(lines(&dir.join("c.scores")).len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn moses_into_a_missing_directory_fails_and_leaves_nothing() {
    let (src, tgt, alignment) = seed_case();
    let dir = scratch("moses-missing");
    let prefix = dir.join("no/such/dir/c");
    let err = write_moses(&prefix, &src, &tgt, &alignment, &WriteOptions::default()).unwrap_err();
    assert!(err.is_input_error(), "{err}");
    assert!(err.to_string().contains("no/such/dir"), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- report

#[test]
fn report_embeds_every_bead_in_bead_order() {
    let (src, tgt, alignment) = seed_case();
    let data = crate::report::data(&report());
    let beads = crate::report::beads(&data);
    assert_eq!(beads.len(), alignment.beads.len());
    for ((s, t, c), bead) in beads.iter().zip(&alignment.beads) {
        assert_eq!((s, t), (&bead.src, &bead.tgt));
        assert_eq!(format!("{c:.4}"), format!("{:.4}", bead.confidence));
    }
    assert_eq!(crate::report::sentences(&data, "src").len(), src.len());
    assert_eq!(crate::report::sentences(&data, "tgt").len(), tgt.len());
    // The paragraph written for the test starts a paragraph on both sides.
    assert_eq!(data["src"]["paragraphs"], serde_json::json!([5]));
    assert_eq!(data["tgt"]["paragraphs"], serde_json::json!([6]));
}

#[test]
fn report_escapes_document_text() {
    let html = report();
    // The data block and the page's own script, nothing else.
    assert_eq!(html.matches("<script").count(), 2);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains(
        r#"\u003cscript\u003ealert(\"olá\")\u003c/script\u003e \u0026 'aspas'\u0007 fim."#
    ));
    assert!(!html.contains('\u{7}'));
    let data = crate::report::data(&html);
    assert_eq!(crate::report::sentences(&data, "src")[5], PT_EXTRA);
}

#[test]
fn report_is_self_contained() {
    let html = report();
    // Nothing is fetched: no URL at all, no external resource attribute.
    assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("://"));
    for needle in [
        "<link", " src=", "@import", "url(", "<img", "<iframe", "href=",
    ] {
        assert!(!html.contains(needle), "found {needle}");
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn report_carries_the_similarity_and_the_summary() {
    let html = report();
    let data = crate::report::data(&html);
    let sim = data["similarity"].as_array().unwrap();
    assert_eq!(sim.len(), 3 * seed_similarity().len());
    assert_eq!(sim[..3], [0, 0, 90]);
    assert!(html.contains("8 beads: 6 pairs (3 high, 2 mid, 1 low confidence), 2 unaligned"));
    assert!(html.contains(r#"<canvas id="plot""#));
    assert!(html.contains(r#"<input type="number" id="threshold""#));
}

// ---------------------------------------------------------------- CLI

/// `bitext align` on the PT-ID seed articles, languages given, with `extra` arguments.
fn align_seed(extra: &[&str]) -> std::process::Output {
    let src = fixture("seeds/003.pt.txt");
    let tgt = fixture("seeds/004.id.txt");
    let mut args = vec![
        "align",
        src.to_str().unwrap(),
        tgt.to_str().unwrap(),
        "--src-lang",
        "pt",
        "--tgt-lang",
        "id",
    ];
    args.extend_from_slice(extra);
    bitext(&args)
}

/// The beads the CLI finds for the PT-ID seed, as `(pairs, all)` counts.
fn cli_bead_counts() -> (usize, usize) {
    let out = align_seed(&["--format", "beads"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let all = text.lines().count();
    let pairs = text.lines().filter(|l| !l.contains("[]")).count();
    (pairs, all)
}

#[test]
fn cli_writes_tmx() {
    let (pairs, _) = cli_bead_counts();
    let out = align_seed(&["--format", "tmx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(text.contains(r#"srclang="pt""#));
    let units = write::tmx::read(&text).unwrap();
    assert!(pairs > 0);
    assert_eq!(units.len(), pairs);
    for unit in &units {
        assert!(!unit.src.is_empty() && !unit.tgt.is_empty());
        assert!((0.0..=1.0).contains(&unit.confidence.unwrap()));
    }
}

#[test]
fn cli_writes_moses_files_and_a_report() {
    let (pairs, all) = cli_bead_counts();
    let dir = scratch("cli-moses");
    let prefix = dir.join("seed");
    let report = dir.join("seed.html");
    let out = align_seed(&[
        "--format",
        "moses",
        "--output",
        prefix.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "moses output goes to files");
    let pt = lines(&dir.join("seed.pt"));
    let id = lines(&dir.join("seed.id"));
    let scores = lines(&dir.join("seed.scores"));
    assert_eq!(pt.len(), pairs);
    assert_eq!(id.len(), pairs);
    assert_eq!(scores.len(), pairs);
    for s in &scores {
        let v: f64 = s.parse().expect("a score");
        assert!((0.0..=1.0).contains(&v));
    }
    let html = std::fs::read_to_string(&report).unwrap();
    assert_eq!(crate::report::beads(&crate::report::data(&html)).len(), all);
    assert!(html.trim_end().ends_with("</html>"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_moses_needs_an_output_prefix() {
    let out = bitext(&[
        "align",
        fixture("seeds/003.pt.txt").to_str().unwrap(),
        fixture("seeds/004.id.txt").to_str().unwrap(),
        "--format",
        "moses",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--output"));
}

// ---------------------------------------------------------------- properties

/// Two one-sentence-per-line documents aligned 1-1 (the extra lines of the longer
/// side left unaligned), for property tests on arbitrary text.
fn one_to_one(src_lines: &[String], tgt_lines: &[String]) -> (Document, Document, Alignment) {
    let src = Document::presegmented(src_lines.join("\n"), "xx");
    let tgt = Document::presegmented(tgt_lines.join("\n"), "yy");
    let (n, m) = (src.len(), tgt.len());
    let beads = (0..n.max(m))
        .map(|i| Bead {
            src: if i < n { i..i + 1 } else { n..n },
            tgt: if i < m { i..i + 1 } else { m..m },
            confidence: (i % 10) as f64 / 9.0,
            evidence: Evidence::default(),
        })
        .collect();
    let alignment = Alignment {
        beads,
        mode: Mode::Parallel,
        looks_comparable: false,
        band_capped: false,
    };
    (src, tgt, alignment)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the text (markup, quotes, controls, astral characters), TMX gives back
    /// every pair with exactly the characters XML 1.0 allows, and counts the others.
    #[test]
    fn tmx_round_trips_any_text(
        src_lines in proptest::collection::vec("[^\n\r]{0,30}", 0..6),
        tgt_lines in proptest::collection::vec("[^\n\r]{0,30}", 0..6),
    ) {
        let (src, tgt, alignment) = one_to_one(&src_lines, &tgt_lines);
        let mut out = Vec::new();
        let dropped =
            emit(Format::Tmx, &mut out, &src, &tgt, &alignment, &WriteOptions::default()).unwrap();
        let units = write::tmx::read(std::str::from_utf8(&out).unwrap()).unwrap();
        let expected = expected_pairs(&src, &tgt, &alignment, 0.0);
        proptest::prop_assert_eq!(units.len(), expected.len());
        let allowed = |s: &str| s.chars().filter(|&c| write::tmx::is_xml_char(c)).collect::<String>();
        let mut forbidden = 0;
        for (unit, (s, t, _)) in units.iter().zip(&expected) {
            proptest::prop_assert_eq!(&unit.src, &allowed(s));
            proptest::prop_assert_eq!(&unit.tgt, &allowed(t));
            forbidden += s.chars().chain(t.chars()).filter(|&c| !write::tmx::is_xml_char(c)).count();
        }
        proptest::prop_assert_eq!(dropped, forbidden);
    }

    /// Whatever the text, the report embeds every bead and sentence and no markup but its own.
    #[test]
    fn report_escapes_any_text(
        src_lines in proptest::collection::vec("[^\n\r]{0,30}|<script>[^\n\r]{0,5}", 0..6),
        tgt_lines in proptest::collection::vec("[^\n\r]{0,30}|</td></tr><tr class=\"bead x\">", 0..6),
    ) {
        let (src, tgt, alignment) = one_to_one(&src_lines, &tgt_lines);
        let mut out = Vec::new();
        write::report::write(&mut out, &src, &tgt, &alignment, &[]).unwrap();
        let html = String::from_utf8(out).unwrap();
        let data = crate::report::data(&html);
        proptest::prop_assert_eq!(crate::report::beads(&data).len(), alignment.beads.len());
        proptest::prop_assert_eq!(html.matches("<script").count(), 2);
        proptest::prop_assert_eq!(html.matches("</script>").count(), 2);
        let texts = crate::report::sentences(&data, "src");
        proptest::prop_assert_eq!(texts.len(), src.len());
        for (i, text) in texts.iter().enumerate() {
            proptest::prop_assert_eq!(text.as_str(), src.sentence(i));
        }
    }
}

#[test]
fn cli_warns_about_characters_dropped_from_tmx() {
    let dir = scratch("cli-bel");
    let (a, b) = (dir.join("a.txt"), dir.join("b.txt"));
    std::fs::write(&a, "Telegram\u{7} opens an office in Almaty.\n").unwrap();
    std::fs::write(&b, "Telegram\u{7} opens an office in Almaty.\n").unwrap();
    let out = bitext(&[
        "align",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--presegmented",
        "--src-lang",
        "en",
        "--tgt-lang",
        "en",
        "--format",
        "tmx",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("dropped 2 characters that XML 1.0 forbids"),
        "{}",
        stderr(&out)
    );
    let units = write::tmx::read(&stdout(&out)).unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].src, "Telegram opens an office in Almaty.");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- the writer interface

/// A one-file format on a path is written through a temporary file: nothing is there until
/// `finish`, and a writer dropped before it leaves nothing behind.
#[test]
fn a_file_appears_only_when_its_writer_finishes() {
    let (src, tgt, alignment) = seed_case();
    let dir = scratch("writer-path");
    let path = dir.join("out.tsv");
    let mut writer = Format::Tsv
        .writer(Sink::path(&path), WriteOptions::default())
        .unwrap();
    writer.write(&src, &tgt, &alignment).unwrap();
    assert!(!path.exists());
    writer.finish().unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        tsv(&WriteOptions::default())
    );
    let dropped = dir.join("dropped.tmx");
    let mut writer = Format::Tmx
        .writer(Sink::path(&dropped), WriteOptions::default())
        .unwrap();
    writer.write(&src, &tgt, &alignment).unwrap();
    drop(writer);
    assert_eq!(listing(&dir), ["out.tsv"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Several pairs in one TMX: one header (the first pair's source language), one body.
#[test]
fn tmx_of_two_pairs_has_one_header_and_both_units() {
    let (src, tgt, alignment) = seed_case();
    let mut out = Vec::new();
    let mut writer = Format::Tmx
        .writer(Sink::stream(&mut out), WriteOptions::default())
        .unwrap();
    writer.write(&src, &tgt, &alignment).unwrap();
    writer.write(&src, &tgt, &alignment).unwrap();
    let written = writer.finish().unwrap();
    assert_eq!(
        written.dropped_characters, 4,
        "the BEL of each extra sentence, twice"
    );
    let text = to_string(out);
    assert_eq!(text.matches("<header ").count(), 1);
    assert_eq!(text.matches("</tmx>").count(), 1);
    let one = write::tmx::read(&tmx(&WriteOptions::default()).0).unwrap();
    let two = write::tmx::read(&text).unwrap();
    assert_eq!(two.len(), 2 * one.len());
    assert_eq!(two[..one.len()], one[..]);
}

/// Moses writes three files: on a stream it is a configuration error, before any write.
#[test]
fn moses_needs_a_path() {
    let mut out = Vec::new();
    let err = Format::Moses
        .writer(Sink::stream(&mut out), WriteOptions::default())
        .err()
        .expect("refused");
    assert_eq!(err.kind(), bitext::ErrorKind::Config);
    assert!(Format::Moses.needs_path() && !Format::Tsv.needs_path());
}
