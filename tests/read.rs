//! Input formats: Word, OpenDocument, HTML, XLIFF and SubRip documents read by the
//! library and by `segment`, `align` and `batch` (fixtures: `tests/fixtures/formats/`,
//! the .docx and .odt made by `scripts/make-format-fixtures.py`).

use std::path::{Path, PathBuf};

use bitext::read::{InputFormat, ReadOptions, XliffSide, read_text, read_text_as};

use crate::util::{TempDir, bitext, fixture, stderr, stdout};

fn format_fixture(name: &str) -> PathBuf {
    fixture(&format!("formats/{name}"))
}

fn text_of(name: &str) -> String {
    read_text(&format_fixture(name), ReadOptions::default()).unwrap()
}

/// The well-formed fixtures, as (file, a sentence its text must hold).
const GOOD: &[(&str, &str)] = &[
    (
        "market.en.docx",
        "My daughter likes to choose the apples herself.",
    ),
    (
        "market.fr.docx",
        "Ma fille aime choisir les pommes elle-même.",
    ),
    (
        "market.en.odt",
        "My daughter likes to choose the apples herself.",
    ),
    (
        "market.fr.odt",
        "Ma fille aime choisir les pommes elle-même.",
    ),
    (
        "market.en.html",
        "My daughter likes to choose the apples herself.",
    ),
    (
        "market.fr.html",
        "Ma fille aime choisir les pommes elle-même.",
    ),
    ("soup.htm", "Second bold and italic mis-nested text."),
    ("market.xlf", "My daughter chooses the apples herself."),
    (
        "market.xliff",
        "The market opens at seven and closes at one.",
    ),
    (
        "cooking.en.srt",
        "First, chop two onions and one clove of garlic.",
    ),
    (
        "cooking.fr.srt",
        "D'abord, hachez deux oignons et une gousse d'ail.",
    ),
];

/// Text that must never come out of a fixture: markup, scripts, notes, deletions,
/// suggestions, timings.
const NEVER: &[&str] = &[
    "<",
    "&amp;",
    "&gt;",
    "w:",
    "text:",
    "SCRIPT TEXT",
    "Written by a script",
    "Template text",
    "Hidden section",
    "font-family",
    "Town news",
    "closed in January",
    "fermé en janvier",
    "formerly",
    "autrefois",
    "Header text",
    "Sunday",
    "dimanche",
    "apple.png",
    "-->",
    "00:00",
    "{\\an8}",
];

#[test]
fn each_format_gives_its_text_and_no_markup() {
    for (name, sentence) in GOOD {
        let text = text_of(name);
        assert!(text.contains(sentence), "{name}: {text}");
        for never in NEVER {
            assert!(!text.contains(never), "{name} holds {never:?}: {text}");
        }
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{name}");
        assert!(!text.contains("\n\n\n"), "{name}");
    }
}

#[test]
fn word_document_text() {
    let expected = "A Saturday at the market\n\n\
        Every Saturday morning, the square in front of the town hall fills with stalls. \
        Farmers from the nearby villages sell vegetables, cheese and fresh bread. \
        The market opens at seven and closes at one.\n\n\
        We usually arrive early, before the crowd. My daughter likes to choose the apples herself. \
        She always asks the seller which ones are the sweetest.\n\n\
        What we buy\n\nTwo loaves of bread.\n\nA kilo of tomatoes.\n\nGoat cheese from the Martin farm.\n\n\
        Opening hours\n\nSaturday, 7:00 to 13:00\n\n\
        On the way home, we stop at the café on the corner. \
        The owner knows our order by heart: one coffee, one hot chocolate and a croissant to share.\n";
    assert_eq!(text_of("market.en.docx"), expected);
    // The OpenDocument file holds the same story: the same text comes out.
    assert_eq!(text_of("market.en.odt"), expected);
}

#[test]
fn html_blocks_and_line_breaks() {
    let text = text_of("market.en.html");
    let paragraphs: Vec<&str> = text.trim_end().split("\n\n").collect();
    assert_eq!(paragraphs[0], "Home > News");
    assert_eq!(paragraphs[1], "A Saturday at the market");
    assert!(paragraphs.contains(&"Opening hours"));
    assert!(paragraphs.contains(&"Saturday, 7:00 to 13:00"));
    assert_eq!(
        paragraphs.last(),
        Some(&"Town hall, 1 Main Street\nOpen Monday to Friday")
    );
    // Entities are decoded: a no-break space stays one.
    assert!(text_of("market.fr.html").contains("de 7\u{a0}h à 13\u{a0}h"));
}

#[test]
fn xliff_sides_and_versions() {
    let path = format_fixture("market.xlf");
    let target = read_text_as(
        &path,
        ReadOptions::default(),
        InputFormat::Xliff(XliffSide::Target),
    )
    .unwrap();
    assert_eq!(
        target,
        "Un samedi au marché\n\n\
         Chaque samedi matin, la place devant la mairie se remplit d'étals. \
         Le marché ouvre à sept heures et ferme à treize heures.\n\n\
         Nous arrivons d'habitude tôt. Ma fille choisit les pommes elle-même.\n\n\
         Fromage de chèvre & pain frais.\n"
    );
    // Five units on the source side, the untranslated one included.
    assert_eq!(text_of("market.xlf").split("\n\n").count(), 5);
    let v2 = read_text_as(
        &format_fixture("market.xliff"),
        ReadOptions::default(),
        "xliff-target".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(
        v2,
        "Un samedi au marché\n\n\
         Chaque samedi matin, la place devant la mairie se remplit d'étals. \
         Le marché ouvre à sept heures et ferme à treize heures.\n\n\
         Fromage de chèvre\u{a0}& pain frais.\n"
    );
}

#[test]
fn subtitles_one_paragraph_per_cue() {
    let en = text_of("cooking.en.srt");
    let fr = text_of("cooking.fr.srt");
    assert_eq!(en.split("\n\n").count(), 6);
    assert_eq!(fr.split("\n\n").count(), 6);
    assert!(en.starts_with("Today we are making a simple tomato soup.\n\n"));
    // The French file has a byte-order mark and CRLF line ends.
    assert!(fr.starts_with("Aujourd'hui, nous préparons une simple soupe de tomates.\n\n"));
    assert!(!fr.contains('\r'));
}

#[test]
fn an_explicit_format_overrides_the_extension() {
    let dir = TempDir::new("explicit-format");
    let copy = dir.join("page.txt");
    std::fs::copy(format_fixture("market.en.html"), &copy).unwrap();
    let as_text = read_text(&copy, ReadOptions::default()).unwrap();
    assert!(as_text.contains("<script>"));
    let as_html = read_text_as(&copy, ReadOptions::default(), InputFormat::Html).unwrap();
    assert_eq!(as_html, text_of("market.en.html"));
}

#[test]
fn compressed_documents_are_told_by_the_inner_extension() {
    use std::io::Write;
    let dir = TempDir::new("compressed-format");
    for name in ["market.en.docx", "market.en.html"] {
        let bytes = std::fs::read(format_fixture(name)).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&bytes).unwrap();
        let path = dir.join(&format!("{name}.gz"));
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        assert_eq!(
            read_text(&path, ReadOptions::default()).unwrap(),
            text_of(name),
            "{name}"
        );
    }
}

#[test]
fn segment_reads_each_format() {
    for (name, sentence) in GOOD {
        let path = format_fixture(name);
        let out = bitext(&["segment", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let lines = stdout(&out);
        assert!(lines.lines().any(|l| l == *sentence), "{name}: {lines}");
        assert!(
            !lines.contains('<') && !lines.contains("-->"),
            "{name}: {lines}"
        );
    }
}

#[test]
fn jsonl_offsets_point_into_the_extracted_text() {
    for name in ["market.fr.docx", "market.en.html", "cooking.fr.srt"] {
        let path = format_fixture(name);
        let text = text_of(name);
        let out = bitext(&["segment", "--format", "jsonl", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let mut n = 0;
        for line in stdout(&out).lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let start = v["start"].as_u64().unwrap() as usize;
            let end = v["end"].as_u64().unwrap() as usize;
            let sentence = v["text"].as_str().unwrap();
            let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(words(&text[start..end]), words(sentence), "{name}");
            n += 1;
        }
        assert!(n >= 6, "{name}: {n} sentences");
    }
}

/// Runs `bitext align SRC TGT` and returns its TSV lines as (source, target).
fn align(src: &Path, tgt: &Path) -> Vec<(String, String)> {
    let out = bitext(&["align", src.to_str().unwrap(), tgt.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            assert_eq!(fields.len(), 3, "{l}");
            (fields[0].to_owned(), fields[1].to_owned())
        })
        .collect()
}

#[test]
fn align_two_word_documents() {
    let pairs = align(
        &format_fixture("market.en.docx"),
        &format_fixture("market.fr.docx"),
    );
    let expected = [
        ("A Saturday at the market", "Un samedi au marché"),
        (
            "Every Saturday morning, the square in front of the town hall fills with stalls.",
            "Chaque samedi matin, la place devant la mairie se remplit d'étals.",
        ),
        (
            "The market opens at seven and closes at one.",
            "Le marché ouvre à sept heures et ferme à treize heures.",
        ),
        (
            "We usually arrive early, before the crowd.",
            "Nous arrivons d'habitude tôt, avant la foule.",
        ),
        ("What we buy", "Ce que nous achetons"),
        ("Two loaves of bread.", "Deux pains."),
        ("A kilo of tomatoes.", "Un kilo de tomates."),
        ("Opening hours", "Horaires"),
        ("Saturday, 7:00 to 13:00", "Samedi, de 7 h à 13 h"),
    ];
    for (src, tgt) in expected {
        assert!(
            pairs.iter().any(|(s, t)| s == src && t == tgt),
            "missing {src} ↔ {tgt} in {pairs:#?}"
        );
    }
    // One sentence for one sentence throughout: the paragraphs lead the way.
    assert_eq!(pairs.len(), 15, "{pairs:#?}");
}

#[test]
fn align_across_formats_and_subtitles() {
    let pairs = align(
        &format_fixture("market.en.odt"),
        &format_fixture("market.fr.html"),
    );
    assert!(
        pairs
            .iter()
            .any(|(s, t)| s == "Goat cheese from the Martin farm."
                && t == "Du fromage de chèvre de la ferme Martin.")
    );
    let pairs = align(
        &format_fixture("cooking.en.srt"),
        &format_fixture("cooking.fr.srt"),
    );
    assert_eq!(pairs.len(), 6, "{pairs:#?}");
    assert_eq!(
        pairs[5],
        ("Enjoy your meal!".into(), "Bon appétit !".into())
    );
}

#[test]
fn batch_reads_documents_from_a_manifest() {
    let dir = TempDir::new("batch-formats");
    let manifest = dir.join("pairs.tsv");
    let f = |n: &str| format_fixture(n).to_str().unwrap().to_owned();
    std::fs::write(
        &manifest,
        format!(
            "docx\t{}\t{}\ten\tfr\nsrt\t{}\t{}\ten\tfr\n",
            f("market.en.docx"),
            f("market.fr.docx"),
            f("cooking.en.srt"),
            f("cooking.fr.srt")
        ),
    )
    .unwrap();
    let out = bitext(&[
        "batch",
        manifest.to_str().unwrap(),
        "--out-dir",
        &dir.str("out"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docx = std::fs::read_to_string(dir.join("out/docx.tsv")).unwrap();
    assert_eq!(docx.lines().count(), 15, "{docx}");
    assert!(docx.starts_with("A Saturday at the market\tUn samedi au marché\t"));
    let srt = std::fs::read_to_string(dir.join("out/srt.tsv")).unwrap();
    assert!(!srt.contains("-->") && !srt.contains("<i>"), "{srt}");
}

#[test]
fn malformed_documents_exit_2_naming_the_file() {
    let cases = [
        ("not-a-zip.docx", "not a Word document: not a zip archive"),
        (
            "no-document.docx",
            "not a Word document: it has no word/document.xml",
        ),
        ("broken-xml.docx", "word/document.xml, line 2, column"),
        (
            "bomb.docx",
            "word/document.xml uncompresses to more than 256 MiB: refused",
        ),
        ("broken-xml.odt", "content.xml, line 2, column"),
        (
            "spreadsheet.odt",
            "not an OpenDocument text: its media type is application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("broken.xlf", "broken.xlf:6: malformed XML"),
        (
            "not-xliff.xlf",
            "not-xliff.xlf:2: not an XLIFF document: the root element is <tmx>",
        ),
        (
            "bad-timing.srt",
            "bad-timing.srt:6: malformed subtitle timing line `00:00:04,500 -> 00:00:07,800`",
        ),
        ("latin1.html", "latin1.html: invalid UTF-8 at byte offset 3"),
    ];
    let good = format_fixture("market.fr.docx");
    for (name, message) in cases {
        let path = format_fixture(name);
        let path = path.to_str().unwrap();
        for args in [
            vec!["segment", path],
            vec!["align", path, good.to_str().unwrap()],
        ] {
            let out = bitext(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains(path), "{name}: {err}");
            assert!(err.contains(message), "{name}: {err}");
            assert!(stdout(&out).is_empty(), "{name}");
        }
    }
}

#[test]
fn lossy_applies_to_documents_too() {
    let path = format_fixture("latin1.html");
    let out = bitext(&["segment", "--lossy", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Caf\u{fffd} in Latin-1, not UTF-8.\n");
}

#[test]
fn one_xliff_file_given_twice_aligns_its_sources_with_its_targets() {
    let xliff = format_fixture("market.xlf");
    let pairs = align(&xliff, &xliff);
    assert!(pairs.len() >= 5, "{pairs:?}");
    assert!(pairs.iter().all(|(s, t)| s != t), "{pairs:?}");
    assert!(
        pairs
            .iter()
            .any(|(s, t)| s.contains("market") && t.contains("marché"))
    );
}

#[test]
fn input_format_flag_reads_a_file_whatever_its_name() {
    let dir = TempDir::new("input-format-flag");
    for (name, lang) in [("market.en.html", "en"), ("market.fr.html", "fr")] {
        std::fs::copy(format_fixture(name), dir.join(&format!("{lang}.page"))).unwrap();
    }
    let run = |format: &str| {
        bitext(&[
            "align",
            "--input-format",
            format,
            &dir.str("en.page"),
            &dir.str("fr.page"),
        ])
    };
    let as_html = run("html");
    assert!(as_html.status.success(), "{}", stderr(&as_html));
    assert!(!stdout(&as_html).contains('<'), "{}", stdout(&as_html));
    let as_text = run("text");
    assert!(as_text.status.success(), "{}", stderr(&as_text));
    assert!(stdout(&as_text).contains('<'));
    let unknown = run("pdf");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("xliff-target"),
        "{}",
        stderr(&unknown)
    );
}
