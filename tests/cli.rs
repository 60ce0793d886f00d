//! Integration tests: cli.

use crate::util::*;

#[test]
fn missing_file_is_an_input_error() {
    let out = bitext(&["align", "no/such/file.txt", "also/missing.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).matches("os error").count(),
        1,
        "the cause is printed once: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("no/such/file.txt"),
        "{}",
        stderr(&out)
    );
}

/// The OS cause of an I/O error used to appear twice (in the library message and again
/// as its source); the line is now the path, then the cause once.
#[test]
fn missing_file_prints_its_os_cause_once() {
    // Error 2 is "file not found" on Unix and Windows alike; its text is the platform's.
    let cause = std::io::Error::from_raw_os_error(2).to_string();
    for args in [
        &["align", "no/such/file.txt", "also/missing.txt"][..],
        &["segment", "no/such/file.txt"][..],
        &["eval", "no/such/file.txt", "also/missing.txt"][..],
    ] {
        let out = bitext(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&out),
            format!("bitext: no/such/file.txt: {cause}\n"),
            "{args:?}"
        );
    }
}

/// A write error keeps its prefix and prints its cause once, with exit code 1.
#[cfg(target_os = "linux")]
#[test]
fn write_error_prints_its_cause_once() {
    // /dev/full fails every write with ENOSPC (error 28).
    let full = std::fs::File::create("/dev/full").expect("open /dev/full");
    let input = fixture("seeds/003.pt.txt");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["segment", input.to_str().unwrap()])
        .stdout(full)
        .output()
        .expect("run bitext");
    let cause = std::io::Error::from_raw_os_error(28).to_string();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out), format!("bitext: write error: {cause}\n"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = bitext(&["align", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The help texts are part of the interface: a snapshot makes every change to them visible.
#[test]
fn help_texts() {
    for command in [
        "", "segment", "eval-seg", "align", "eval", "batch", "stream",
    ] {
        let args: Vec<&str> = if command.is_empty() {
            vec!["--help"]
        } else {
            vec![command, "--help"]
        };
        let out = bitext(&args);
        assert_eq!(out.status.code(), Some(0), "{command} --help");
        let name = if command.is_empty() { "main" } else { command };
        insta::assert_snapshot!(format!("help_{name}"), stdout(&out));
    }
}

#[test]
fn version_is_printed() {
    let out = bitext(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("bitext "), "{}", stdout(&out));
}

/// Issue 13: `align` takes the segmenter's `--abbreviations` (and `--profile`), for one
/// language with `LANG=FILE`.
#[test]
fn align_takes_abbreviations_for_one_language() {
    let dir = TempDir::new("align-abbreviations");
    let src = dir.join("src.txt");
    let tgt = dir.join("tgt.txt");
    // `velt` is no word the segmenter knows: a made-up unit.
    std::fs::write(&src, "It weighs velt. Ten kilos. It is heavy.\n").unwrap();
    std::fs::write(&tgt, "Pesa velt. diez kilos. Es pesado.\n").unwrap();
    let list = dir.join("abbr.txt");
    std::fs::write(&list, "# mine\nvelt\n").unwrap();
    let src_sentences = |extra: &[&str]| {
        let mut args = vec![
            "align",
            src.to_str().unwrap(),
            tgt.to_str().unwrap(),
            "--src-lang",
            "en",
            "--tgt-lang",
            "es",
            "--format",
            "beads",
        ];
        args.extend_from_slice(extra);
        let out = bitext(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| {
                l.split(':')
                    .next()
                    .unwrap()
                    .matches(|c: char| c.is_ascii_digit())
                    .count()
            })
            .sum::<usize>()
    };
    assert_eq!(src_sentences(&[]), 3);
    let for_en = format!("en={}", list.display());
    assert_eq!(src_sentences(&["--abbreviations", &for_en]), 2);
    let for_fr = format!("fr={}", list.display());
    assert_eq!(src_sentences(&["--abbreviations", &for_fr]), 3);
}

/// The README's quick start shows the first lines the first command prints: they are what
/// it prints, so that a change to the aligner that moves them fails here rather than
/// leaving the page stale.
#[test]
fn the_quick_start_shows_what_the_command_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown: Vec<&str> = readme
        .split("## Quick start")
        .nth(1)
        .expect("a quick start section")
        .split("```text\n")
        .nth(1)
        .expect("a sample of the output")
        .split("\n```")
        .next()
        .unwrap()
        .lines()
        .collect();
    assert!(!shown.is_empty());
    let out = bitext(&[
        "align",
        fixture("seeds/003.pt.txt").to_str().unwrap(),
        fixture("seeds/004.id.txt").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    let first: Vec<&str> = printed.lines().take(shown.len()).collect();
    assert_eq!(shown, first);
}
