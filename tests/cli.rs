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
