//! Integration tests: `align-many`, the four seed languages in one table.

use std::collections::HashMap;

use bitext::read::{ReadOptions, read_text};
use bitext::{Document, DocumentOptions, Language};
use quick_xml::events::Event;

use crate::util::{TempDir, bitext, fixture, root, stderr, stdout};

/// The seeds in the order of the example: the PT pivot, then ID, EN and FR.
const SEEDS: [&str; 4] = ["003.pt", "004.id", "002.en", "000.fr"];

fn seed_paths() -> Vec<String> {
    SEEDS
        .iter()
        .map(|s| {
            fixture(&format!("seeds/{s}.txt"))
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// `bitext align-many` on the four seeds, with `extra` arguments.
fn align_many(extra: &[&str]) -> std::process::Output {
    let paths = seed_paths();
    let mut args = vec!["align-many"];
    args.extend(paths.iter().map(String::as_str));
    args.extend_from_slice(extra);
    bitext(&args)
}

/// A seed read and segmented as the CLI does (`auto` language).
fn seed_doc(name: &str) -> Document {
    let text = read_text(
        &fixture(&format!("seeds/{name}.txt")),
        ReadOptions::default(),
    )
    .unwrap();
    DocumentOptions::new().document(text, &Language::Auto)
}

/// The TSV table as rows of fields, the header first.
fn tsv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Splits `cell` into sentences of `sentences` joined by single spaces, if it can.
fn split_cell<'a>(cell: &str, sentences: &[&'a str]) -> Option<Vec<&'a str>> {
    if cell.is_empty() {
        return Some(Vec::new());
    }
    for s in sentences {
        if let Some(rest) = cell.strip_prefix(s) {
            let rest = if rest.is_empty() {
                Some(rest)
            } else {
                rest.strip_prefix(' ')
            };
            if let Some(mut tail) = rest.and_then(|r| split_cell(r, sentences)) {
                tail.insert(0, s);
                return Some(tail);
            }
        }
    }
    None
}

#[test]
fn tsv_snapshot() {
    let out = align_many(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!("align_many_seeds_tsv", stdout(&out));
}

#[test]
fn every_sentence_of_every_document_is_in_the_tsv_once() {
    let out = align_many(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = tsv_rows(&stdout(&out));
    let header = &rows[0];
    assert_eq!(header[0], "pt");
    // The pivot's text column, then text and confidence for each other language.
    let text_columns = [0, 1, 3, 5];
    assert_eq!(header.len(), 7);
    for (name, &column) in SEEDS.iter().zip(&text_columns) {
        let doc = seed_doc(name);
        let sentences: Vec<String> = (0..doc.len())
            .map(|i| bitext::write::one_line(doc.sentence(i)))
            .collect();
        let refs: Vec<&str> = sentences.iter().map(String::as_str).collect();
        let mut expected: HashMap<&str, usize> = HashMap::new();
        for s in &refs {
            *expected.entry(s).or_default() += 1;
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for row in &rows[1..] {
            assert_eq!(row.len(), header.len(), "{row:?}");
            let parts = split_cell(&row[column], &refs)
                .unwrap_or_else(|| panic!("{name}: {:?} is not made of sentences", row[column]));
            for s in parts {
                *seen.entry(s).or_default() += 1;
            }
        }
        assert_eq!(seen, expected, "{name}");
    }
}

#[test]
fn jsonl_names_every_sentence_once() {
    let out = align_many(&["--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut seen: HashMap<String, Vec<u64>> = HashMap::new();
    for line in stdout(&out).lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        for (lang, cell) in row.as_object().unwrap() {
            let ids = cell["sentences"].as_array().unwrap();
            seen.entry(lang.clone())
                .or_default()
                .extend(ids.iter().map(|v| v.as_u64().unwrap()));
        }
    }
    for (name, lang) in SEEDS.iter().zip(["pt", "id", "en", "fr"]) {
        let mut ids = seen.remove(lang).unwrap_or_default();
        ids.sort_unstable();
        let all: Vec<u64> = (0..seed_doc(name).len() as u64).collect();
        assert_eq!(ids, all, "{lang}");
    }
}

#[test]
fn tmx_parses_and_has_units_with_more_than_two_languages() {
    let out = align_many(&["--format", "tmx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut tuvs_per_tu = Vec::new();
    let mut children: Vec<String> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                match (stack.last().map(String::as_str), name.as_str()) {
                    (None, "tmx") | (Some("tmx"), "header" | "body") => {}
                    (Some("body"), "tu") => children.clear(),
                    (Some("tu"), "prop") => children.push(name.clone()),
                    (Some("tu"), "tuv") => {
                        assert!(
                            e.attributes()
                                .any(|a| a.unwrap().key.as_ref() == "xml:lang"),
                            "tuv has xml:lang"
                        );
                        children.push(name.clone());
                    }
                    (Some("tuv"), "seg") => {}
                    (parent, child) => panic!("unexpected <{child}> in {parent:?}"),
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_owned();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                if name == "tu" {
                    let first_tuv = children.iter().position(|c| c == "tuv").unwrap();
                    assert!(
                        children[first_tuv..].iter().all(|c| c == "tuv"),
                        "props before tuvs: {children:?}"
                    );
                    tuvs_per_tu.push(children.len() - first_tuv);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Doubtful pairs with the comparable FR are no translation units.
    for line in text.lines().filter(|l| l.contains("x-confidence-fr")) {
        let value = line.split('>').nth(1).and_then(|v| v.split('<').next());
        assert!(value.unwrap().parse::<f64>().unwrap() >= 0.5, "{line}");
    }
    assert!(!tuvs_per_tu.is_empty());
    assert!(tuvs_per_tu.iter().all(|&n| n >= 2));
    assert!(
        tuvs_per_tu.iter().filter(|&&n| n > 2).count() >= 5,
        "{tuvs_per_tu:?}"
    );
}

#[test]
fn french_is_marked_comparable_with_few_confident_pairs() {
    let out = align_many(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("000.fr.txt does not look like a translation"));
    let rows = tsv_rows(&stdout(&out));
    assert_eq!(rows[0][5], "fr(comparable)");
    assert_eq!(rows[0][6], "fr.confidence");
    // ID and EN are translations: unmarked.
    assert_eq!(rows[0][1], "id");
    assert_eq!(rows[0][3], "en");
    let confident = |column: usize| {
        rows[1..]
            .iter()
            .filter(|r| r[column].parse::<f64>().is_ok_and(|x| x >= 0.8))
            .count()
    };
    assert!(confident(6) <= 2, "FR: {} confident pairs", confident(6));
    assert!(confident(2) >= 10, "ID: {} confident pairs", confident(2));
}

#[test]
fn report_has_a_column_per_language_and_no_network() {
    let dir = TempDir::new("align-many-report");
    let report = dir.str("table.html");
    let out = align_many(&["--report", &report, "-o", &dir.str("table.tsv")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
    assert!(!html.contains("<script"));
    for head in [
        "<th>pt (pivot)</th>",
        "<th>id</th>",
        "<th>en</th>",
        "<th>fr (comparable)</th>",
    ] {
        assert!(html.contains(head), "{head}");
    }
}

#[test]
fn output_onto_an_input_is_refused() {
    let dir = TempDir::new("align-many-clobber");
    let pt = dir.seed("003.pt", "pt.txt");
    let id = dir.seed("004.id", "id.txt");
    let before = std::fs::read(&id).unwrap();
    for flag in ["-o", "--report"] {
        let out = bitext(&["align-many", &pt, &id, flag, &id]);
        assert_eq!(out.status.code(), Some(2), "{flag}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("refusing to write") && err.contains("id.txt"),
            "{err}"
        );
        assert_eq!(std::fs::read(&id).unwrap(), before);
    }
}

#[test]
fn usage_errors_exit_2() {
    let paths = seed_paths();
    let out = bitext(&["align-many", &paths[0]]);
    assert_eq!(out.status.code(), Some(2), "one document: {}", stderr(&out));
    let out = bitext(&["align-many", &paths[0], &paths[1], "--langs", "pt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = bitext(&["align-many", &paths[0], "/nonexistent/x.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let dir = TempDir::new("align-many-empty");
    std::fs::write(dir.join("a.txt"), "").unwrap();
    std::fs::write(dir.join("b.txt"), "\n").unwrap();
    let out = bitext(&["align-many", &dir.str("a.txt"), &dir.str("b.txt")]);
    assert_ne!(
        out.status.code(),
        Some(0),
        "empty documents: {}",
        stderr(&out)
    );
}

#[test]
fn word_tables_are_read_and_never_overwritten() {
    let dir = TempDir::new("align-many-lexicon");
    let seeds = seed_paths();
    // A table learned from the pivot and one of the documents, as `align` writes it.
    let out = bitext(&[
        "align",
        &seeds[0],
        &seeds[1],
        "--lexicon-out",
        &dir.str("pt-id.lex"),
        "-o",
        &dir.str("pair.tsv"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let with_table = align_many(&["--lexicon", &dir.str("pt-id.lex")]);
    assert!(with_table.status.success(), "{}", stderr(&with_table));
    assert_eq!(
        tsv_rows(&stdout(&with_table))[0],
        tsv_rows(&stdout(&align_many(&[])))[0]
    );
    // A malformed table is an input error naming the file; an output over it is refused.
    std::fs::write(dir.join("bad.lex"), "no tab here\n").unwrap();
    let out = align_many(&["--lexicon", &dir.str("bad.lex")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.lex"), "{}", stderr(&out));
    let out = align_many(&[
        "--lexicon",
        &dir.str("pt-id.lex"),
        "-o",
        &dir.str("pt-id.lex"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("refusing"), "{}", stderr(&out));
}

/// The example table in `docs/align-many.md` is the aligner's output: its first rows, texts
/// shortened with `…`, and the confidences as printed. A change to the aligner that moves
/// them fails here, so that the page is written again rather than left stale.
#[test]
fn the_documented_example_is_what_the_command_prints() {
    let page = std::fs::read_to_string(root().join("docs/align-many.md")).unwrap();
    let documented: Vec<Vec<String>> = page
        .lines()
        .skip_while(|l| !l.starts_with("| pt | id | id.confidence"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect();
    assert!(
        documented.len() >= 5,
        "the page's example table was not found"
    );
    let out = align_many(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = tsv_rows(&stdout(&out));
    for (k, (doc_row, row)) in documented.iter().zip(&rows[1..]).enumerate() {
        assert_eq!(doc_row.len(), row.len(), "row {k}: {doc_row:?}");
        for (doc_cell, cell) in doc_row.iter().zip(row) {
            let shown = doc_cell.strip_suffix('…').unwrap_or(doc_cell);
            assert!(
                cell.starts_with(shown) && (shown.len() == cell.len()) != doc_cell.ends_with('…'),
                "row {k}: the page shows {doc_cell:?}, the command prints {cell:?}"
            );
        }
    }
}
