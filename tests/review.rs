//! Regression tests for the defects a review of the command line found: outputs that
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
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("refusing to write"),
            "{args:?}: {}",
            stderr(&out)
        );
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
