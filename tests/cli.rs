//! Integration tests: cli.

use crate::util::*;

#[test]
fn missing_file_is_an_input_error() {
    let out = bitext(&["align", "no/such/file.txt", "also/missing.txt"]);
    assert_eq!(out.status.code(), Some(2));
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
