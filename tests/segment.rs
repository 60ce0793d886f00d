//! Integration tests: segment.
//!
//! Every file in `tests/fixtures/seg/` holds cases in the sentencex manner: the input, a
//! `---` line, the expected sentences one per line, a `===` line. A blank line among the
//! expected sentences marks a paragraph break, which is checked too. Lines starting with `#`
//! before the first case are comments (sources, licences). The language is the file name up
//! to the first `-` or `.` (`fr-seed-000.txt` is French). A case whose separator reads
//! `--- known failure: REASON` is a third-party case the segmenter knowingly decides
//! otherwise (a rule that would serve only that case); it is run but not required to pass.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bitext::Segmenter;
use proptest::prelude::*;

use crate::util::*;

struct Case {
    file: String,
    line: usize,
    input: String,
    /// Expected sentences, whitespace-normalised; `None` marks a paragraph break.
    expected: Vec<Option<String>>,
    /// Marked `--- known failure: ...`.
    known_failure: bool,
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).expect("read fixture");
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut cases = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while lines.peek().is_some_and(|(_, l)| l.starts_with('#')) {
        lines.next();
    }
    loop {
        let mut input = Vec::new();
        let mut start = 0;
        let mut found = false;
        let mut known_failure = false;
        for (no, line) in lines.by_ref() {
            if input.is_empty() && line.trim().is_empty() {
                continue;
            }
            if input.is_empty() {
                start = no + 1;
            }
            if line == "---" || line.starts_with("--- known failure:") {
                found = true;
                known_failure = line != "---";
                break;
            }
            input.push(line);
        }
        if !found {
            assert!(
                input.iter().all(|l| l.trim().is_empty()),
                "{file}:{start}: case without a --- line"
            );
            break;
        }
        let mut expected = Vec::new();
        let mut closed = false;
        for (_, line) in lines.by_ref() {
            if line == "===" {
                closed = true;
                break;
            }
            expected.push(if line.trim().is_empty() {
                None
            } else {
                Some(normalise(line))
            });
        }
        assert!(closed, "{file}:{start}: case without a === line");
        while expected.last().is_some_and(Option::is_none) {
            expected.pop();
        }
        cases.push(Case {
            file: file.clone(),
            line: start,
            input: input.join("\n"),
            expected,
            known_failure,
        });
    }
    cases
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture("seg"))
        .expect("tests/fixtures/seg")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn lang_of(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    name.split(['-', '.']).next().unwrap().to_owned()
}

/// The segmentation of `input` in the fixture notation.
fn render(seg: &Segmenter, input: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut para = None;
    for s in seg.segment(input) {
        if para.is_some_and(|p| p != s.paragraph) {
            out.push(None);
        }
        para = Some(s.paragraph);
        out.push(Some(normalise(&input[s.start..s.end])));
    }
    out
}

#[test]
fn fixtures_segment_as_expected() {
    let mut failures = Vec::new();
    let mut count = 0;
    for path in fixture_files() {
        let lang = lang_of(&path);
        let seg = Segmenter::for_language(&lang);
        for case in parse_cases(&path) {
            count += 1;
            let got = render(&seg, &case.input);
            if got != case.expected && !case.known_failure {
                let show = |v: &[Option<String>]| {
                    v.iter()
                        .map(|s| s.as_deref().unwrap_or(""))
                        .collect::<Vec<_>>()
                        .join("\n    ")
                };
                failures.push(format!(
                    "{}:{} ({lang})\n  expected:\n    {}\n  got:\n    {}",
                    case.file,
                    case.line,
                    show(&case.expected),
                    show(&got)
                ));
            }
        }
    }
    assert!(count >= 100, "only {count} fixture cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_profile_language_has_fixtures() {
    let langs: Vec<String> = fixture_files().iter().map(|p| lang_of(p)).collect();
    for lang in bitext::LANGUAGES {
        assert!(
            langs.iter().any(|l| l == lang),
            "no fixture file for {lang}"
        );
    }
}

/// Checks the span invariants: in order, non-empty, trimmed, and the text between spans
/// (and around them) is whitespace only.
fn assert_lossless(text: &str, seg: &Segmenter) {
    let sentences = seg.segment(text);
    let mut prev_end = 0;
    let mut prev_para = 0;
    for s in &sentences {
        assert!(s.start >= prev_end && s.start < s.end, "{sentences:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(text[prev_end..s.start].chars().all(char::is_whitespace));
        let body = &text[s.start..s.end];
        assert_eq!(body.trim(), body, "span not trimmed: {body:?}");
        assert!(s.paragraph == prev_para || s.paragraph == prev_para + 1);
        prev_end = s.end;
        prev_para = s.paragraph;
    }
    assert!(text[prev_end..].chars().all(char::is_whitespace));
    if let Some(first) = sentences.first() {
        assert_eq!(first.paragraph, 0);
    } else {
        assert!(text.trim().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn segmentation_is_lossless_on_any_unicode(text in "\\PC*", lang in "(en|fr|pt|id|de|es|it|nl|ru|zh|ja|ko|el|pl|xx)") {
        assert_lossless(&text, &Segmenter::for_language(&lang));
    }

    #[test]
    fn segmentation_is_lossless_on_punctuation_heavy_text(
        text in "([A-Za-zÀ-ÿ0-9]{1,6}|[А-яё]{1,6}|[ \\t\\n\\r.!?…:;,\"'«»“”()\\[\\]•*=_—-]|\u{a0}|\u{202f}|\u{b}|\u{85}|\u{2028}|:\\)|Mr\\.|U\\.S\\.|т\\. д\\.|1\\.|a\\)){0,60}",
        lang in "(en|fr|pt|id|de|es|it|nl|ru|zh|ja|ko|el|pl|xx)",
    ) {
        assert_lossless(&text, &Segmenter::for_language(&lang));
    }
}

#[test]
fn crlf_and_cr_segment_like_lf() {
    let lf = "Breaking news\nThe minister spoke. He left.\n\nSecond paragraph here.";
    let seg = Segmenter::for_language("en");
    let expected = render(&seg, lf);
    for eol in ["\r\n", "\r"] {
        let text = lf.replace('\n', eol);
        assert_eq!(render(&seg, &text), expected, "line ending {eol:?}");
        assert_lossless(&text, &seg);
    }
}

#[test]
fn long_line_without_punctuation_is_one_segment() {
    let text = "word ".repeat(200_000);
    let sentences = Segmenter::for_language("en").segment(&text);
    assert_eq!(sentences.len(), 1);
    assert_eq!(sentences[0].end, text.trim_end().len());
}

#[test]
fn long_wrapped_paragraph_without_punctuation_is_linear() {
    // 20 000 hard-wrapped lines and no full stop: each line break looks at its own line only
    // (a rescan of the pending sentence would make this quadratic and hang the test).
    let line = "the quick brown fox jumps over the lazy dog and keeps on running far\n";
    let text = line.repeat(20_000);
    let sentences = Segmenter::for_language("en").segment(&text);
    assert_eq!(sentences.len(), 1);
    assert_lossless(&text, &Segmenter::for_language("fr"));
}

#[test]
fn custom_abbreviations_from_the_builder() {
    let text = "The order came from Brig. Jones at dawn. It was obeyed.";
    let plain = Segmenter::for_language("en");
    let custom = Segmenter::builder("en").titles(["Brig"]).build();
    assert_eq!(plain.segment(text).len(), 3);
    assert_eq!(custom.segment(text).len(), 2);
    let text = "The office moved to bldg. Seven floors were rented.";
    let custom = Segmenter::builder("en").abbreviations(["bldg"]).build();
    assert_eq!(plain.segment(text).len(), 2);
    assert_eq!(custom.segment(text).len(), 1);
    assert_eq!(custom.language(), "en");
}

// ---- command line ----

/// A file under the target directory, unique per test.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("segment-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn cli_text_output_puts_a_blank_line_between_paragraphs() {
    let path = temp_file(
        "paras.txt",
        b"Telegram opens an office\nThe company said so. It will\nhire staff.\n\nNext paragraph.\n",
    );
    let out = bitext(&["segment", "--lang", "en", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Telegram opens an office\nThe company said so.\nIt will hire staff.\n\nNext paragraph.\n"
    );
}

#[test]
fn cli_jsonl_has_text_offsets_and_paragraph() {
    let input = "Hello there. Bye!\n\nNew paragraph.";
    let out = bitext_stdin(
        &["segment", "--lang", "en", "--format", "jsonl"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    for r in &records {
        let (start, end) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
        assert_eq!(r["text"], input[start as usize..end as usize]);
    }
    assert_eq!(records[1]["text"], "Bye!");
    assert_eq!(records[1]["paragraph"], 0);
    assert_eq!(records[2]["paragraph"], 1);
}

#[test]
fn cli_invalid_utf8_names_file_and_offset() {
    let path = temp_file("bad.txt", b"Good text. \xff more");
    let out = bitext(&["segment", "--lang", "en", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.txt") && err.contains("byte offset 11"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn cli_lossy_replaces_bad_bytes() {
    let path = temp_file("lossy.txt", b"Good text. Bad \xff byte.");
    let out = bitext(&["segment", "--lang", "en", "--lossy", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Good text.\nBad \u{fffd} byte.\n");
}

#[test]
fn cli_skips_a_bom_and_handles_crlf() {
    let out = bitext_stdin(
        &["segment", "--lang", "en", "--format", "jsonl"],
        b"\xef\xbb\xbfFirst one.\r\nSecond one.\r\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["text"], "First one.");
    assert_eq!(first["start"], 0);
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn cli_empty_file_gives_no_output() {
    let path = temp_file("empty.txt", b"");
    for format in ["text", "jsonl"] {
        let out = bitext(&["segment", "--format", format, path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn cli_missing_file_and_bad_flag_exit_2() {
    let out = bitext(&["segment", "no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no/such/file.txt"));
    let out = bitext(&["segment", "--format", "xml", "-"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_profile_and_abbreviation_files() {
    let text = temp_file("kapt.txt", "Kapt. Haddock kwam. De zee was ruw.".as_bytes());
    let text = text.to_str().unwrap();
    let out = bitext(&["segment", "--lang", "xx", text]);
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
    // A profile file of one's own: "Kapt" is a title there.
    let profile = temp_file(
        "xx-profile.txt",
        b"# Source: test\n@titles\nKapt\n@starters\nde\n",
    );
    let out = bitext(&[
        "segment",
        "--lang",
        "xx",
        "--profile",
        profile.to_str().unwrap(),
        text,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Kapt. Haddock kwam.\nDe zee was ruw.\n");
    // An extra abbreviation list: "Kapt" before a name that is no starter goes on.
    let list = temp_file("abbr.txt", b"# mine\nKapt\n");
    let out = bitext(&[
        "segment",
        "--lang",
        "xx",
        "--abbreviations",
        list.to_str().unwrap(),
        text,
    ]);
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    // A mistake in a profile names the file and the line; exit code 2.
    let bad = temp_file(
        "bad-profile.txt",
        b"# Source: test\n@titles\nKapt\n@nonsense\n",
    );
    let out = bitext(&["segment", "--profile", bad.to_str().unwrap(), text]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad-profile.txt:4"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn cli_auto_detects_the_language() {
    let cases = [
        // French titles: "M." must not end a sentence once the text is recognised as French.
        (
            "M. Dupont est arrivé à Paris. Il a dit que la situation était grave.",
            "M. Dupont est arrivé à Paris.\nIl a dit que la situation était grave.\n",
        ),
        // "Проф." ends a sentence in the generic profile, not once the text is seen as Russian.
        (
            "Проф. Иванов приехал в Москву в 2024 г. Потом он сказал, что это не так.",
            "Проф. Иванов приехал в Москву в 2024 г.\nПотом он сказал, что это не так.\n",
        ),
        // Chinese and Japanese are told by their script; 「はい。」と goes on in Japanese.
        (
            "今天天气很好。我们去公园吧！",
            "今天天气很好。\n我们去公园吧！\n",
        ),
        (
            "「はい。」と彼は答えた。それから帰った。",
            "「はい。」と彼は答えた。\nそれから帰った。\n",
        ),
    ];
    for (input, expected) in cases {
        let out = bitext_stdin(&["segment"], input.as_bytes());
        assert_eq!(stdout(&out), expected);
    }
}

#[test]
fn cli_broken_pipe_exits_quietly() {
    let big = "This is a sentence. ".repeat(200_000);
    let path = temp_file("big.txt", big.as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["segment", "--lang", "en", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 20];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn cli_eval_seg_scores_a_prediction() {
    let gold = temp_file("gold.txt", b"A b.\nC d.\nE f.\n");
    let pred = temp_file("pred.txt", b"A b. C d.\nE f.\n");
    let out = bitext(&[
        "eval-seg",
        "--gold",
        gold.to_str().unwrap(),
        "--json",
        pred.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["true_positives"], 1);
    assert_eq!(v["false_negatives"], 1);
    assert_eq!(v["precision"], 1.0);
}

#[test]
fn cli_eval_seg_segments_raw_text_and_reports_bad_gold() {
    let gold = temp_file("gold2.txt", b"Hello there.\nBye now.\n");
    let raw = temp_file("raw2.txt", b"Hello there. Bye now.\n");
    let out = bitext(&[
        "eval-seg",
        "--gold",
        gold.to_str().unwrap(),
        "--text",
        raw.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("F1 1.0000"), "{}", stdout(&out));
    let other = temp_file("raw3.txt", b"Hello there. Bye later.\n");
    let out = bitext(&[
        "eval-seg",
        "--gold",
        gold.to_str().unwrap(),
        other.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("raw3.txt:1:"), "{}", stderr(&out));
}

#[test]
fn cli_eval_seg_runs_golden_rules() {
    let golden = temp_file(
        "golden.tsv",
        "id\tinput\texpected\tnote\nx-1\t\"Mr. Smith left. He came back.\"\t[\"Mr. Smith left.\", \"He came back.\"]\ttitle\nx-2\t\"One. Two.\"\t[\"One. Two.\"]\twrong on purpose\n".as_bytes(),
    );
    let out = bitext(&[
        "eval-seg",
        "--golden",
        golden.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    // A failed case fails the run (it used to exit 0).
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("golden rules: 1/2 passed"), "{text}");
    assert!(text.contains("FAIL x-2"), "{text}");
}

#[test]
fn cli_reads_standard_input_with_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["segment", "--lang", "de", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Am 3. Oktober war Feiertag. Das ist z. B. gut.".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Am 3. Oktober war Feiertag.\nDas ist z. B. gut.\n"
    );
}
