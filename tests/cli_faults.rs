//! Regression tests for the faults a review of the command line found: outputs that
//! replaced inputs or each other, empty results reported as success, and unclear errors.
//! Every one of them failed before its fix.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::util::*;

/// Runs `bitext` with `args` in the folder `cwd`, standard input read from `stdin` there.
fn bitext_in(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let input = match stdin {
        Some(name) => Stdio::from(std::fs::File::open(cwd.join(name)).unwrap()),
        None => Stdio::null(),
    };
    Command::new(env!("CARGO_BIN_EXE_bitext"))
        .current_dir(cwd)
        .args(args)
        .stdin(input)
        .output()
        .expect("run bitext")
}

// ---- An input on standard input ----

#[cfg(unix)]
#[test]
fn no_output_replaces_the_file_on_standard_input() {
    let dir = TempDir::new("stdin-input");
    dir.seed("004.id", "b.id");
    let cases: [&[&str]; 4] = [
        &["align", "-", "b.id", "-o", "in.txt"],
        &["align", "-", "b.id", "--report", "in.txt"],
        &["align", "-", "b.id", "--lexicon-out", "in.txt"],
        &["align-many", "-", "b.id", "-o", "in.txt"],
    ];
    for args in cases {
        dir.seed("003.pt", "in.txt");
        let out = bitext_in(dir.path(), args, Some("in.txt"));
        assert_ended(&out, 2, "refusing to write", &format!("{args:?}"));
        assert_eq!(
            std::fs::read(dir.join("in.txt")).unwrap(),
            std::fs::read(fixture("seeds/003.pt.txt")).unwrap(),
            "{args:?}"
        );
    }
    // A manifest on standard input that is one of the batch's outputs.
    std::fs::create_dir(dir.join("d")).unwrap();
    dir.seed("003.pt", "a.pt");
    let manifest = "p1\ta.pt\tb.id\tpt\tid\n";
    std::fs::write(dir.join("d/p1.tsv"), manifest).unwrap();
    let out = bitext_in(
        dir.path(),
        &["batch", "-", "--out-dir", "d"],
        Some("d/p1.tsv"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("d/p1.tsv")).unwrap(),
        manifest
    );
    // A new file is still written.
    let out = bitext_in(
        dir.path(),
        &["align", "-", "b.id", "-o", "new.tsv"],
        Some("a.pt"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---- What batch --lexicon-out writes ----

#[test]
fn batch_lexicon_out_per_language_pair_never_replaces_an_input() {
    let dir = TempDir::new("lexicon-per-pair");
    dir.seed("003.pt", "lex.pt-id");
    dir.seed("004.id", "doc.id");
    dir.seed("002.en", "doc.en");
    let manifest = "a\tlex.pt-id\tdoc.id\tpt\tid\nb\tdoc.en\tlex.pt-id\ten\tpt\n";
    std::fs::write(dir.join("m.tsv"), manifest).unwrap();
    let args = ["batch", "m.tsv", "--out-dir", "out", "--lexicon-out", "lex"];
    let out = bitext_in(dir.path(), &args, None);
    assert_ended(&out, 2, "lex.pt-id", "");
    assert_eq!(
        std::fs::read(dir.join("lex.pt-id")).unwrap(),
        std::fs::read(fixture("seeds/003.pt.txt")).unwrap()
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn batch_lexicon_out_is_refused_over_another_output() {
    let dir = TempDir::new("lexicon-other-output");
    dir.seed("003.pt", "a.pt");
    dir.seed("004.id", "b.id");
    std::fs::write(dir.join("m.tsv"), "p1\ta.pt\tb.id\tpt\tid\n").unwrap();
    let cases: [&[&str]; 4] = [
        &["--out-dir", "o3", "--lexicon-out", "o3/p1.tsv"],
        &["--out-dir", "o4", "--lexicon-out", "o4/summary.json"],
        &[
            "--out-dir",
            "o5",
            "--report",
            "r5",
            "--lexicon-out",
            "r5/p1.html",
        ],
        &["--out-dir", "o6", "--lexicon-out", "./o6/../o6/p1.tsv"],
    ];
    for flags in cases {
        let mut args = vec!["batch", "m.tsv"];
        args.extend(flags);
        let out = bitext_in(dir.path(), &args, None);
        assert_ended(
            &out,
            2,
            "--lexicon-out is also another output",
            &format!("{flags:?}"),
        );
        assert!(!dir.join(flags[1]).exists(), "{flags:?}");
    }
    // Beside the outputs, under a name of its own, it is written.
    let args = [
        "batch",
        "m.tsv",
        "--out-dir",
        "o7",
        "--lexicon-out",
        "o7/lex",
        "-q",
    ];
    let out = bitext_in(dir.path(), &args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(listing(&dir.join("o7")), ["lex", "p1.tsv", "summary.json"]);
}

// ---- A failed run replaces nothing ----

#[test]
fn a_failed_align_replaces_no_report_or_lexicon() {
    let dir = TempDir::new("failed-run");
    dir.seed("003.pt", "pt.txt");
    dir.seed("004.id", "id.txt");
    let side = ["--report", "review.html", "--lexicon-out", "keep.lex"];
    let mut cases: Vec<Vec<&str>> = vec![
        vec!["-o", "nodir/out.tsv"],
        vec!["--format", "moses", "-o", "nodir/pre"],
        vec!["-o", "."],
    ];
    // A folder that exists but where no file can be made: only the write finds out.
    if cfg!(target_os = "linux") {
        cases.push(vec!["-o", "/proc/no-such-output.tsv"]);
    }
    for flags in cases {
        std::fs::write(dir.join("review.html"), "mine").unwrap();
        std::fs::write(dir.join("keep.lex"), "old").unwrap();
        let mut args = vec!["align", "pt.txt", "id.txt"];
        args.extend(&flags);
        args.extend(side);
        let out = bitext_in(dir.path(), &args, None);
        assert_ne!(out.status.code(), Some(0), "{flags:?}");
        assert_eq!(
            std::fs::read_to_string(dir.join("review.html")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("keep.lex")).unwrap(),
            "old"
        );
        assert_eq!(
            listing(dir.path()),
            ["id.txt", "keep.lex", "pt.txt", "review.html"],
            "{flags:?}: no temporary file is left"
        );
    }
    let out = bitext_in(
        dir.path(),
        &["align", "pt.txt", "id.txt", "-o", "nodir/out.tsv"],
        None,
    );
    assert_ended(&out, 2, "the folder nodir does not exist", "");
    let mut args = vec!["align", "pt.txt", "id.txt", "-o", "out.tsv"];
    args.extend(side);
    let out = bitext_in(dir.path(), &args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(
        std::fs::read_to_string(dir.join("review.html")).unwrap(),
        "mine"
    );
    assert_ne!(
        std::fs::read_to_string(dir.join("keep.lex")).unwrap(),
        "old"
    );
}

/// A reader that stops early (`| head`) ends the run with success: the report is written.
#[test]
fn a_report_is_written_when_standard_output_is_closed_early() {
    let dir = TempDir::new("report-broken-pipe");
    dir.seed("003.pt", "pt.txt");
    dir.seed("004.id", "id.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .current_dir(dir.path())
        .args(["align", "pt.txt", "id.txt", "--report", "r.html"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn bitext");
    // No reader at all: the first write fails with a broken pipe, unless it came first.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for bitext");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::metadata(dir.join("r.html")).unwrap().len() > 0);
}

// ---- An empty result is not success ----

#[test]
fn align_with_nothing_to_write_is_an_error() {
    let dir = TempDir::new("empty-result");
    dir.seed("003.pt", "pt.txt");
    dir.seed("004.id", "id.txt");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("blank.txt"), " \n\n\t\n").unwrap();
    // Sentences that end nowhere: one sentence, paired with nothing.
    std::fs::write(dir.join("long.txt"), "palavra ".repeat(50_000)).unwrap();
    let cases: [(&[&str], i32, &str); 6] = [
        (&["pt.txt", "empty.txt"], 2, "empty.txt has no sentences"),
        (&["blank.txt", "id.txt"], 2, "blank.txt has no sentences"),
        (
            &["pt.txt", "empty.txt", "--format", "tmx"],
            2,
            "empty.txt has no sentences",
        ),
        (
            &["blank.txt", "empty.txt"],
            2,
            "none of the documents has a sentence",
        ),
        (&["long.txt", "id.txt"], 1, "nothing was written"),
        (
            &["pt.txt", "id.txt", "--min-confidence", "1"],
            1,
            "below --min-confidence",
        ),
    ];
    for (flags, code, message) in cases {
        let mut args = vec!["align"];
        args.extend(flags);
        args.extend(["-o", "out.tsv"]);
        let out = bitext_in(dir.path(), &args, None);
        assert_ended(&out, code, message, &format!("{flags:?}"));
        assert!(
            !dir.join("out.tsv").exists(),
            "{flags:?}: an empty output is left"
        );
        // Nor on standard output.
        let out = bitext_in(dir.path(), &args[..args.len() - 2], None);
        assert_eq!(out.status.code(), Some(code), "{flags:?}");
        assert_eq!(stdout(&out), "", "{flags:?}");
    }
    // With the unaligned sentences asked for, or as beads, there is something to write.
    for flags in [&["--include-unaligned"][..], &["--format", "beads"]] {
        let mut args = vec!["align", "pt.txt", "empty.txt"];
        args.extend(flags);
        let out = bitext_in(dir.path(), &args, None);
        assert_eq!(out.status.code(), Some(0), "{flags:?}: {}", stderr(&out));
        assert!(!stdout(&out).is_empty());
    }
}

#[test]
fn a_stream_record_with_an_empty_side_gets_an_error() {
    let input = b"{\"id\":\"a\",\"src\":\"\",\"tgt\":\"Un. Deux.\"}\n\
                  {\"id\":\"b\",\"src\":\"One. Two.\",\"tgt\":\" \\n \"}\n";
    let out = bitext_stdin(&["stream"], input);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for line in stdout(&out).lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let error = record["error"].as_str().unwrap_or_default();
        assert!(error.contains("empty document (no sentences)"), "{line}");
    }
}

#[test]
fn a_batch_without_pairs_is_an_error() {
    let dir = TempDir::new("no-pairs");
    std::fs::write(dir.join("m.tsv"), "# nothing yet\n\n").unwrap();
    std::fs::create_dir(dir.join("src")).unwrap();
    std::fs::create_dir(dir.join("tgt")).unwrap();
    let cases: [&[&str]; 2] = [
        &["batch", "m.tsv", "--out-dir", "out"],
        &[
            "batch",
            "--src-dir",
            "src",
            "--tgt-dir",
            "tgt",
            "--out-dir",
            "out",
        ],
    ];
    for args in cases {
        let out = bitext_in(dir.path(), args, None);
        assert_ended(&out, 2, "no document pairs", &format!("{args:?}"));
        assert!(!dir.join("out").exists());
    }
}

#[test]
fn eval_seg_refuses_an_empty_segmentation() {
    let dir = TempDir::new("eval-seg-empty");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("one.txt"), "One.\n").unwrap();
    for args in [
        ["eval-seg", "--gold", "empty.txt", "empty.txt"],
        ["eval-seg", "--gold", "one.txt", "empty.txt"],
    ] {
        let out = bitext_in(dir.path(), &args, None);
        assert_ended(&out, 2, "empty.txt: no sentences", &format!("{args:?}"));
    }
}

// ---- What --resume skips ----

#[test]
fn resume_skips_only_a_file_that_a_run_did_not_fail() {
    let dir = TempDir::new("resume");
    dir.seed("003.pt", "a.pt");
    dir.seed("004.id", "b.id");
    std::fs::write(dir.join("m.tsv"), "p1\ta.pt\tb.id\n").unwrap();
    let resume = ["batch", "m.tsv", "--out-dir", "out", "--resume"];
    // A folder where the output goes is no output: the pair is tried, and fails.
    std::fs::create_dir_all(dir.join("out/p1.tsv")).unwrap();
    let out = bitext_in(dir.path(), &resume, None);
    assert_ended(&out, 1, "1 failed, 0 skipped", "");
    std::fs::remove_dir(dir.join("out/p1.tsv")).unwrap();
    let out = bitext_in(dir.path(), &resume, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The last run failed the pair; its output is an earlier run's, and is redone.
    std::fs::write(dir.join("a.pt"), "").unwrap();
    let out = bitext_in(dir.path(), &["batch", "m.tsv", "--out-dir", "out"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    dir.seed("002.en", "a.pt");
    let out = bitext_in(dir.path(), &resume, None);
    assert_ended(&out, 0, "1 aligned, 0 failed, 0 skipped", "");
    let output = std::fs::read_to_string(dir.join("out/p1.tsv")).unwrap();
    assert!(output.contains("The Minister"), "{output}");
}

// ---- Encodings and binary data ----

#[test]
fn utf32_is_decoded_and_binary_input_refused() {
    let dir = TempDir::new("utf32");
    let pt = std::fs::read_to_string(fixture("seeds/003.pt.txt")).unwrap();
    let le: Vec<u8> = [0xff, 0xfe, 0, 0]
        .into_iter()
        .chain(pt.chars().flat_map(|c| u32::from(c).to_le_bytes()))
        .collect();
    std::fs::write(dir.join("pt.txt"), le).unwrap();
    dir.seed("004.id", "id.txt");
    let utf32 = bitext_in(dir.path(), &["align", "pt.txt", "id.txt"], None);
    assert_eq!(utf32.status.code(), Some(0), "{}", stderr(&utf32));
    dir.seed("003.pt", "pt.txt");
    let utf8 = bitext_in(dir.path(), &["align", "pt.txt", "id.txt"], None);
    assert_eq!(stdout(&utf32), stdout(&utf8));
    std::fs::write(dir.join("zero.bin"), vec![0; 1000]).unwrap();
    let out = bitext_in(dir.path(), &["align", "zero.bin", "id.txt"], None);
    assert_ended(&out, 2, "zero.bin: a NUL character", "");
}

// ---- Golden-rule files ----

#[test]
fn eval_seg_golden_reports_a_malformed_first_line() {
    let dir = TempDir::new("golden-first");
    let text = "x\tnot json\t[\"A.\"]\ny\t\"One. Two.\"\t[\"One.\", \"Two.\"]\n";
    std::fs::write(dir.join("g.tsv"), text).unwrap();
    let out = bitext_in(dir.path(), &["eval-seg", "--golden", "g.tsv"], None);
    assert_ended(&out, 2, "g.tsv:1:", "");
    // The documented header is still skipped.
    let header = format!(
        "id\tinput\texpected\tnote\n{}",
        &text[text.find('y').unwrap()..]
    );
    std::fs::write(dir.join("g.tsv"), header).unwrap();
    let out = bitext_in(dir.path(), &["eval-seg", "--golden", "g.tsv"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1/1 passed"), "{}", stdout(&out));
}

// ---- The Moses prefix ----

#[test]
fn moses_refuses_a_folder_for_a_prefix_and_names_the_users_files() {
    let dir = TempDir::new("moses-prefix");
    dir.seed("003.pt", "pt.txt");
    dir.seed("004.id", "id.txt");
    std::fs::create_dir(dir.join("md")).unwrap();
    for prefix in ["md", "md/", "nodir/"] {
        let args = [
            "align", "pt.txt", "id.txt", "--format", "moses", "-o", prefix,
        ];
        let out = bitext_in(dir.path(), &args, None);
        assert_ended(&out, 2, "needs a file prefix", "");
        assert!(listing(&dir.join("md")).is_empty(), "{prefix}");
    }
    // A folder that is missing, and one that exists but in which no file can be made: the
    // error names the user's path, not a temporary file.
    let mut prefixes = vec![("nodir/pre", "nodir/pre")];
    if cfg!(target_os = "linux") {
        prefixes.push(("/proc/pre", "/proc/pre.pt"));
    }
    for (prefix, named) in prefixes {
        let args = [
            "align", "pt.txt", "id.txt", "--format", "moses", "-o", prefix,
        ];
        let out = bitext_in(dir.path(), &args, None);
        assert_ended(&out, 2, named, prefix);
        assert!(!stderr(&out).contains(".tmp"), "{}", stderr(&out));
    }
}

// ---- Word tables ----

#[test]
fn a_lexicon_strength_out_of_range_says_the_range() {
    let dir = TempDir::new("lexicon-strength");
    dir.seed("003.pt", "pt.txt");
    dir.seed("004.id", "id.txt");
    std::fs::write(dir.join("bad.lex"), "00ff\t00fe\t1.5\n").unwrap();
    std::fs::write(dir.join("tiny.lex"), "00ff\t00fe\t1e-300\n").unwrap();
    let out = bitext_in(
        dir.path(),
        &["align", "pt.txt", "id.txt", "--lexicon", "bad.lex"],
        None,
    );
    assert_ended(
        &out,
        2,
        "bad.lex: line 1: the strength 1.5 must lie in (0, 1]",
        "",
    );
    let out = bitext_in(
        dir.path(),
        &["align", "pt.txt", "id.txt", "--lexicon", "tiny.lex"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
