//! Regression tests for the defects a hostile test found (issue 12), each named after
//! what it guards. Every one of them failed before its fix.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use crate::util::*;

fn seed(name: &str) -> String {
    fixture(&format!("seeds/{name}.txt"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Runs `bitext` with `args` in the folder `cwd`.
fn bitext_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bitext"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run bitext")
}

// ---- 1. Output over an input ----

#[test]
fn align_refuses_an_output_that_is_an_input() {
    let dir = TempDir::new("over-input");
    let pt = dir.seed("003.pt", "a.pt");
    let id = dir.seed("004.id", "b.id");
    let original = std::fs::read(&pt).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&pt, dir.join("link.tsv")).unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["align", "a.pt", "b.id", "-o", "a.pt"],
        vec!["align", "a.pt", "b.id", "-o", "./a.pt"],
        vec!["align", "a.pt", "b.id", "--output", "x/../a.pt"],
        #[cfg(unix)]
        vec!["align", "a.pt", "b.id", "-o", "link.tsv"],
        vec!["align", "a.pt", "b.id", "--report", "b.id"],
        vec!["align", "a.pt", "b.id", "--format", "moses", "-o", "a"],
    ];
    std::fs::create_dir_all(dir.join("x")).unwrap();
    for args in cases {
        let out = bitext_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("refusing to write"), "{args:?}: {err}");
        assert!(err.contains("the input"), "{args:?}: {err}");
        assert_eq!(std::fs::read(&pt).unwrap(), original, "{args:?}");
        assert_eq!(
            std::fs::read(&id).unwrap(),
            std::fs::read(seed("004.id")).unwrap(),
            "{args:?}"
        );
    }
    // A new file still works.
    let out = bitext_in(dir.path(), &["align", "a.pt", "b.id", "-o", "new.tsv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---- 2. Batch writing over its own inputs ----

#[test]
fn batch_refuses_to_write_over_its_manifest() {
    let dir = TempDir::new("batch-manifest");
    dir.seed("003.pt", "003.pt.txt");
    dir.seed("004.id", "004.id.txt");
    let manifest = "pairs\t003.pt.txt\t004.id.txt\n";
    std::fs::write(dir.join("pairs.tsv"), manifest).unwrap();
    let out = bitext_in(dir.path(), &["batch", "pairs.tsv", "--out-dir", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("pairs.tsv"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("pairs.tsv")).unwrap(),
        manifest
    );
    assert_eq!(
        listing(dir.path()),
        ["003.pt.txt", "004.id.txt", "pairs.tsv"]
    );
}

#[test]
fn batch_refuses_moses_output_over_an_input() {
    let dir = TempDir::new("batch-moses-input");
    dir.seed("003.pt", "doc.pt");
    dir.seed("004.id", "doc.id");
    // With detected languages, and with the languages given.
    for manifest in ["doc\tdoc.pt\tdoc.id\n", "doc\tdoc.pt\tdoc.id\tpt\tid\n"] {
        std::fs::write(dir.join("m.tsv"), manifest).unwrap();
        let out = bitext_in(
            dir.path(),
            &["batch", "m.tsv", "--out-dir", ".", "--format", "moses"],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("doc.pt"), "{}", stderr(&out));
        assert_eq!(
            std::fs::read(dir.join("doc.pt")).unwrap(),
            std::fs::read(seed("003.pt")).unwrap()
        );
    }
    assert_eq!(listing(dir.path()), ["doc.id", "doc.pt", "m.tsv"]);
    // Into another folder, the same manifest runs.
    let out = bitext_in(
        dir.path(),
        &[
            "batch",
            "m.tsv",
            "--out-dir",
            "out",
            "--format",
            "moses",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        listing(&dir.join("out")),
        ["doc.id", "doc.pt", "doc.scores", "summary.json"]
    );
}

/// The refusal is exact: with detected languages, an input whose name only looks like a
/// Moses output (`doc.txt` for the id `doc`) does not stop the batch.
#[test]
fn batch_moses_beside_its_inputs_runs_when_no_name_clashes() {
    let dir = TempDir::new("batch-moses-beside");
    dir.seed("003.pt", "doc.txt");
    dir.seed("004.id", "doc.tgt");
    std::fs::write(dir.join("m.tsv"), "doc\tdoc.txt\tdoc.tgt\n").unwrap();
    let out = bitext_in(
        dir.path(),
        &[
            "batch",
            "m.tsv",
            "--out-dir",
            ".",
            "--format",
            "moses",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.join("doc.txt")).unwrap(),
        std::fs::read(seed("003.pt")).unwrap()
    );
    assert_eq!(
        listing(dir.path()),
        [
            "doc.id",
            "doc.pt",
            "doc.scores",
            "doc.tgt",
            "doc.txt",
            "m.tsv",
            "summary.json"
        ]
    );
}

/// An input reached through a symbolic link, or through a linked folder, is still the
/// file in the output folder that an output would replace.
#[cfg(unix)]
#[test]
fn batch_refuses_an_input_that_links_into_the_output_folder() {
    let dir = TempDir::new("batch-links");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    dir.seed("003.pt", "out/p.tsv");
    dir.seed("004.id", "id.txt");
    std::os::unix::fs::symlink(dir.join("out/p.tsv"), dir.join("src.txt")).unwrap();
    std::os::unix::fs::symlink(dir.join("out"), dir.join("linked")).unwrap();
    for src in ["src.txt", "linked/p.tsv"] {
        std::fs::write(dir.join("m.tsv"), format!("p\t{src}\tid.txt\n")).unwrap();
        let out = bitext_in(dir.path(), &["batch", "m.tsv", "--out-dir", "out", "-q"]);
        assert_eq!(out.status.code(), Some(2), "{src}: {}", stderr(&out));
        assert_eq!(
            std::fs::read(dir.join("out/p.tsv")).unwrap(),
            std::fs::read(seed("003.pt")).unwrap()
        );
    }
}

// ---- 3. Two ids, one file name ----

#[test]
fn batch_refuses_moses_ids_whose_file_names_collide() {
    let dir = TempDir::new("collide");
    let en = seed("002.en");
    let fr = seed("000.fr");
    std::fs::write(
        dir.join("m.tsv"),
        format!("doc\t{en}\t{en}\ten\ten\ndoc.src\t{en}\t{fr}\ten\tfr\n"),
    )
    .unwrap();
    for jobs in ["1", "2"] {
        let out = bitext_in(
            dir.path(),
            &[
                "batch",
                "m.tsv",
                "--out-dir",
                "out",
                "--format",
                "moses",
                "--jobs",
                jobs,
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("`doc`") && err.contains("`doc.src`"), "{err}");
        assert!(!dir.join("out/doc.src.en").exists());
    }
    // Other formats name outputs `<id>.<ext>`: distinct ids never collide.
    let out = bitext_in(dir.path(), &["batch", "m.tsv", "--out-dir", "out", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---- 4. Two batches into one folder ----

#[test]
fn batch_temporary_names_are_unique_per_process_and_file() {
    let path = Path::new("out/x.tsv");
    let a = bitext::write::temp_path(path);
    let b = bitext::write::temp_path(path);
    assert_ne!(a, b);
    let name = a.file_name().unwrap().to_str().unwrap().to_owned();
    assert!(
        name.starts_with(&format!(".x.tsv.{}-", std::process::id())),
        "{name}"
    );
    assert!(name.ends_with(".tmp"), "{name}");
}

#[cfg(unix)]
#[test]
fn batch_refuses_a_folder_that_another_batch_holds() {
    let dir = TempDir::new("locked");
    let (pt, id) = (seed("003.pt"), seed("004.id"));
    std::fs::write(dir.join("m.tsv"), format!("p\t{pt}\t{id}\n")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    // Hold the folder's lock as a running batch does: an exclusive flock on its lock
    // file, which names the holder's process.
    let lock = std::fs::File::create(dir.join("out/.bitext.lock")).unwrap();
    // SAFETY: flock only takes a lock on a descriptor that `lock` keeps open.
    let held = unsafe {
        libc::flock(
            std::os::unix::io::AsRawFd::as_raw_fd(&lock),
            libc::LOCK_EX | libc::LOCK_NB,
        )
    };
    assert_eq!(held, 0, "{}", std::io::Error::last_os_error());
    std::io::Write::write_all(&mut &lock, std::process::id().to_string().as_bytes()).unwrap();
    let out = bitext_in(dir.path(), &["batch", "m.tsv", "--out-dir", "out", "-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("another bitext batch"), "{err}");
    assert!(err.contains(&std::process::id().to_string()), "{err}");
    assert!(!dir.join("out/p.tsv").exists());
    drop(lock);
    let out = bitext_in(dir.path(), &["batch", "m.tsv", "--out-dir", "out", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The lock file goes with the run.
    assert_eq!(listing(&dir.join("out")), ["p.tsv", "summary.json"]);
}

/// A run killed with `kill -9` leaves its lock file, but not its lock: the next run,
/// `--resume` included, goes ahead and removes the stale temporary files.
#[cfg(unix)]
#[test]
fn batch_runs_after_a_killed_run_left_its_lock_file() {
    let dir = TempDir::new("killed");
    let (pt, id) = (seed("003.pt"), seed("004.id"));
    std::fs::write(dir.join("m.tsv"), format!("p\t{pt}\t{id}\nq\t{id}\t{pt}\n")).unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join(".bitext.lock"), "999999").unwrap();
    std::fs::write(out_dir.join("q.tsv"), "done\n").unwrap();
    std::fs::write(out_dir.join(".p.tsv.4242-7.tmp"), "half").unwrap();
    std::fs::write(out_dir.join(".p.tsv.tmp"), "half, older version").unwrap();
    let out = bitext_in(
        dir.path(),
        &["batch", "m.tsv", "--out-dir", "out", "-q", "--resume"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(listing(&out_dir), ["p.tsv", "q.tsv", "summary.json"]);
    assert_eq!(
        std::fs::read_to_string(out_dir.join("q.tsv")).unwrap(),
        "done\n"
    );
}

/// Two batches started together on one folder: one runs, the other is refused or runs
/// after it; never do both write at once, and every output is whole.
#[cfg(unix)]
#[test]
fn two_batches_into_one_folder_never_mix_their_outputs() {
    let dir = TempDir::new("two-batches");
    let mut manifest = String::new();
    for i in 0..8 {
        manifest.push_str(&format!("p{i}\t{}\t{}\n", seed("003.pt"), seed("004.id")));
    }
    std::fs::write(dir.join("m.tsv"), manifest).unwrap();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_bitext"))
            .current_dir(dir.path())
            .args(["batch", "m.tsv", "--out-dir", "out", "-q", "--jobs", "1"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let codes = [a.status.code(), b.status.code()];
    assert!(codes.contains(&Some(0)), "{codes:?}");
    for out in [&a, &b] {
        if out.status.code() != Some(0) {
            assert_eq!(out.status.code(), Some(2));
            assert!(
                stderr(out).contains("another bitext batch"),
                "{}",
                stderr(out)
            );
        }
    }
    let alone = TempDir::new("one-batch");
    std::fs::copy(dir.join("m.tsv"), alone.join("m.tsv")).unwrap();
    let out = bitext_in(alone.path(), &["batch", "m.tsv", "--out-dir", "out", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    let expected = std::fs::read(alone.join("out/p0.tsv")).unwrap();
    for i in 0..8 {
        assert_eq!(
            std::fs::read(dir.join(&format!("out/p{i}.tsv"))).unwrap(),
            expected
        );
    }
    assert!(
        listing(&dir.join("out"))
            .iter()
            .all(|n| !n.starts_with('.'))
    );
}

// ---- 5. An impossible alignment reported as success ----

#[test]
fn bead_types_that_cannot_cover_the_documents_are_an_error() {
    let (en, pt) = (seed("002.en"), seed("003.pt"));
    for types in ["1-1", "1-1,2-1"] {
        for format in ["tsv", "beads", "jsonl", "tmx"] {
            let out = bitext(&["align", "--bead-types", types, "--format", format, &en, &pt]);
            assert_eq!(out.status.code(), Some(2), "{types} {format}");
            assert!(out.stdout.is_empty(), "{types} {format}: {}", stdout(&out));
            let err = stderr(&out);
            assert!(err.contains("no alignment with bead types"), "{err}");
            assert!(err.contains("1-0,0-1"), "{err}");
        }
    }
    // Equal counts can be covered by 1-1 alone.
    let out = bitext(&["align", "--bead-types", "1-1", &en, &en]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!out.stdout.is_empty());
}

// ---- 6. Output to a closed standard output ----

#[cfg(target_os = "linux")]
#[test]
fn closed_stdout_is_an_error_not_a_silent_success() {
    let dir = TempDir::new("closed-stdout");
    let bin = env!("CARGO_BIN_EXE_bitext");
    let run = |script: &str| {
        Command::new("sh")
            .current_dir(dir.path())
            .args(["-c", script, "sh", bin, &seed("003.pt"), &seed("004.id")])
            .output()
            .unwrap()
    };
    for script in [
        r#"exec "$1" align "$2" "$3" >&-"#,
        r#"exec "$1" segment "$2" >&-"#,
        r#"exec "$1" align --format tmx "$2" "$3" >&-"#,
    ] {
        let out = run(script);
        assert_eq!(out.status.code(), Some(1), "{script}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("standard output is closed"),
            "{}",
            stderr(&out)
        );
    }
    // With -o, standard output is not needed.
    let out = run(r#"exec "$1" align "$2" "$3" -o out.tsv >&-"#);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::metadata(dir.join("out.tsv")).unwrap().len() > 0);
}

// ---- 7. Compressed input ----

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

#[test]
fn compressed_input_is_read_transparently() {
    let dir = TempDir::new("compressed");
    let pt = std::fs::read(seed("003.pt")).unwrap();
    let id = std::fs::read(seed("004.id")).unwrap();
    let plain_align = bitext(&["align", &seed("003.pt"), &seed("004.id")]);
    let plain_segment = bitext(&["segment", &seed("003.pt")]);
    assert_eq!(plain_align.status.code(), Some(0));
    type Compress = fn(&[u8]) -> Vec<u8>;
    // By magic bytes: the `.txt` names say nothing.
    for (name, compress) in [
        ("gz", gzip as Compress),
        ("xz", xz as Compress),
        ("zst", zstd as Compress),
    ] {
        let src = dir.join(&format!("pt.{name}"));
        let tgt = dir.join(&format!("id-{name}.txt"));
        std::fs::write(&src, compress(&pt)).unwrap();
        std::fs::write(&tgt, compress(&id)).unwrap();
        let (src, tgt) = (src.to_str().unwrap(), tgt.to_str().unwrap());
        let out = bitext(&["align", src, tgt]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(out.stdout, plain_align.stdout, "{name}");
        let out = bitext(&["segment", src]);
        assert_eq!(out.stdout, plain_segment.stdout, "{name}");
        let out = bitext_stdin(&["segment", "-"], &compress(&pt));
        assert_eq!(out.stdout, plain_segment.stdout, "{name} on standard input");

        // A compressed manifest naming compressed documents.
        let manifest = dir.join(&format!("m-{name}.tsv"));
        std::fs::write(&manifest, compress(format!("p\t{src}\t{tgt}\n").as_bytes())).unwrap();
        let out_dir = dir.join(&format!("out-{name}"));
        let out = bitext(&[
            "batch",
            manifest.to_str().unwrap(),
            "--out-dir",
            out_dir.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(
            std::fs::read(out_dir.join("p.tsv")).unwrap(),
            plain_align.stdout
        );

        // Bead files for eval.
        let beads = b"[0]:[0]:0.9\n[1]:[1]:0.8\n";
        let gold = dir.join(&format!("gold-{name}"));
        std::fs::write(&gold, compress(beads)).unwrap();
        let gold = gold.to_str().unwrap();
        let out = bitext(&["eval", "--json", gold, gold]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
    }
    // A truncated file is an input error that names the format, not invalid UTF-8.
    let broken = dir.join("broken.gz");
    let gz = gzip(&pt);
    std::fs::write(&broken, &gz[..gz.len() / 2]).unwrap();
    let out = bitext(&["segment", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gzip"), "{}", stderr(&out));
}

#[test]
fn utf16_input_is_decoded_not_called_invalid_utf8() {
    let dir = TempDir::new("utf16");
    let text = std::fs::read_to_string(seed("003.pt")).unwrap();
    let le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let plain = bitext(&["segment", &seed("003.pt")]);
    for (name, bytes) in [("le", le), ("be", be)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = bitext(&["segment", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(out.stdout, plain.stdout, "{name}");
    }
}

// ---- Limits and clear errors ----

#[test]
fn jobs_beyond_four_per_core_are_capped_with_a_warning() {
    let line = br#"{"id":1,"src":"One. Two.","tgt":"Un. Deux."}"#;
    let out = bitext_stdin(&["stream", "--jobs", "100000000"], line);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: --jobs 100000000"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn control_characters_from_manifests_are_escaped_in_messages() {
    let dir = TempDir::new("escape");
    std::fs::write(
        dir.join("m.tsv"),
        "a\u{1b}]0;TITLE\u{7}\tno\u{1b}[2Jsuch.txt\tother.txt\nb\tmissing\u{1b}[31m.txt\tx.txt\n",
    )
    .unwrap();
    let out = bitext_in(dir.path(), &["batch", "m.tsv", "--out-dir", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}[31m"), "{err}");
    // And in a top-level error quoting a file name.
    let out = bitext_in(dir.path(), &["segment", "no\u{1b}]0;T\u{7}.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
}

#[test]
fn batch_out_dir_that_is_a_file_is_a_usage_error() {
    let dir = TempDir::new("out-file");
    let (pt, id) = (seed("003.pt"), seed("004.id"));
    std::fs::write(dir.join("m.tsv"), format!("p\t{pt}\t{id}\n")).unwrap();
    std::fs::write(dir.join("file"), "not a folder").unwrap();
    let mut targets = vec!["file", "file/below"];
    if Path::new("/dev/full").exists() {
        targets.push("/dev/full");
    }
    for target in targets {
        let out = bitext_in(dir.path(), &["batch", "m.tsv", "--out-dir", target]);
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
    }
}

#[cfg(unix)]
#[test]
fn batch_src_dir_follows_symlinks_to_files() {
    let dir = TempDir::new("symlinks");
    for side in ["src", "tgt"] {
        std::fs::create_dir_all(dir.join(side)).unwrap();
    }
    std::os::unix::fs::symlink(seed("003.pt"), dir.join("src/doc.txt")).unwrap();
    std::os::unix::fs::symlink(seed("004.id"), dir.join("tgt/doc.txt")).unwrap();
    let out = bitext_in(
        dir.path(),
        &[
            "batch",
            "--src-dir",
            "src",
            "--tgt-dir",
            "tgt",
            "--out-dir",
            "out",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.join("out/doc.tsv").exists());
}

#[test]
fn eval_validates_gold_and_test_with_line_numbers() {
    let dir = TempDir::new("eval");
    let write = |name: &str, text: &[u8]| {
        std::fs::write(dir.join(name), text).unwrap();
        dir.str(name)
    };
    let test = write("test", b"[0]:[0]:0.9\n[1]:[1]:0.8\n[2]:[]:0.1\n");
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "far",
            b"[0]:[0]\n[5000]:[1]\n",
            "far:2: source sentence 5000",
        ),
        ("empty", b"", "no beads"),
        ("high", b"[0]:[0]:5\n", "high:1: confidence outside [0, 1]"),
        ("low", b"[0]:[0]:-3\n", "low:1: confidence outside [0, 1]"),
        (
            "latin1",
            b"[0]:[0]\n\xe9\n",
            "invalid UTF-8 at byte offset 8",
        ),
    ];
    for (name, gold, expected) in cases {
        let gold = write(name, gold);
        let out = bitext(&["eval", &gold, &test]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(!err.contains("--lossy"), "eval has no --lossy: {err}");
    }
    // The other way round: a test index beyond what the gold covers.
    let gold = write("gold", b"[0]:[0]\n[1]:[1]\n[2]:[]\n");
    let far = write("far-test", b"[0]:[0]\n[1]:[7]\n[2]:[]\n");
    let out = bitext(&["eval", &gold, &far]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("far-test:2: target sentence 7"),
        "{}",
        stderr(&out)
    );
    let out = bitext(&["eval", &gold, &test]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn eval_seg_golden_detects_its_header_and_fails_on_a_failed_case() {
    let dir = TempDir::new("golden");
    let cases = "a\t\"Mr. Smith left. He came back.\"\t[\"Mr. Smith left.\", \"He came back.\"]\n\
                 b\t\"One. Two.\"\t[\"One.\", \"Two.\"]\n";
    std::fs::write(dir.join("no-header.tsv"), cases).unwrap();
    let out = bitext(&[
        "eval-seg",
        "--golden",
        &dir.str("no-header.tsv"),
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The first case is a case, not a header.
    assert!(
        stdout(&out).contains("golden rules: 2/2 passed"),
        "{}",
        stdout(&out)
    );
    let failing = format!("id\tinput\texpected\tnote\n{cases}c\t\"One. Two.\"\t[\"One. Two.\"]\n");
    std::fs::write(dir.join("failing.tsv"), failing).unwrap();
    let out = bitext(&[
        "eval-seg",
        "--golden",
        &dir.str("failing.tsv"),
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("golden rules: 2/3 passed"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn stream_echoes_ids_exactly_and_rejects_non_objects() {
    let input = concat!(
        r#"{"id": 18446744073709551617, "src": "One. Two.", "tgt": "Un. Deux."}"#,
        "\n",
        r#"{"id": 1.50, "src": "One.", "tgt": "Un."}"#,
        "\n",
        r#"[7, "One.", "Un."]"#,
        "\n",
        r#"{"id": 123456789012345678901234567890, "src": "One."}"#,
        "\n",
    );
    let out = bitext_stdin(&["stream"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[0].starts_with(r#"{"id":18446744073709551617,"#),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(r#""error":null}"#), "{}", lines[0]);
    assert!(lines[1].starts_with(r#"{"id":1.50,"#), "{}", lines[1]);
    assert!(
        lines[2].starts_with(
            r#"{"id":null,"pairs":[],"error":"line 3: bad record: expected a JSON object"#
        ),
        "{}",
        lines[2]
    );
    assert!(
        lines[3]
            .starts_with(r#"{"id":123456789012345678901234567890,"pairs":[],"error":"line 4: "#),
        "{}",
        lines[3]
    );
}

#[test]
fn tsv_replaces_every_line_separator_and_counts_it() {
    let dir = TempDir::new("separators");
    let src = "a\u{0B}b\u{0C}c\nd\u{1C}e\u{1D}f\u{1E}g\nh\u{85}i\u{2028}j\u{2029}k\n";
    let tgt = "A B C\nD E F G\nH I J K\n";
    std::fs::write(dir.join("src"), src).unwrap();
    std::fs::write(dir.join("tgt"), tgt).unwrap();
    let out = bitext(&[
        "align",
        "--presegmented",
        "--bead-types",
        "1-1",
        &dir.str("src"),
        &dir.str("tgt"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Python's str.splitlines() splits on every one of them.
    let separators = [
        '\n', '\r', '\u{0B}', '\u{0C}', '\u{1C}', '\u{1D}', '\u{1E}', '\u{85}', '\u{2028}',
        '\u{2029}',
    ];
    assert_eq!(
        text.matches(|c| separators.contains(&c)).count(),
        3,
        "{text:?}"
    );
    assert!(text.starts_with("a b c\tA B C\t"), "{text:?}");
    assert!(stderr(&out).contains("replaced 8 "), "{}", stderr(&out));
}

#[test]
fn tmx_writes_bcp47_language_tags() {
    let out = bitext(&[
        "align",
        "--format",
        "tmx",
        "--src-lang",
        "pt_BR",
        "--tgt-lang",
        "id",
        &seed("003.pt"),
        &seed("004.id"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(r#"srclang="pt-BR""#), "{text}");
    assert!(text.contains(r#"xml:lang="pt-BR""#));
    assert!(!text.contains("pt_BR"));
}

#[test]
fn negative_min_confidence_gets_the_range_message() {
    for args in [
        &["align", "x", "y"][..],
        &["batch", "x", "--out-dir", "o"][..],
        &["stream"][..],
    ] {
        let command = args[0];
        let mut args = args.to_vec();
        args.extend(["--min-confidence", "-1"]);
        let out = bitext(&args);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            stderr(&out).contains("--min-confidence must lie in [0, 1]"),
            "{command}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn batch_help_does_not_mention_an_output_flag_it_lacks() {
    let out = bitext(&["batch", "--help"]);
    assert!(!stdout(&out).contains("--output"), "{}", stdout(&out));
}

/// On a terminal, clap's usage errors passed an escape sequence in an argument through
/// (`error: invalid value 'x<ESC>]0;TITLE<BEL>'` retitled the terminal). `script` gives
/// the command a terminal.
#[cfg(target_os = "linux")]
#[test]
fn usage_errors_on_a_terminal_escape_control_characters() {
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script to give bitext a terminal");
        return;
    }
    let out = Command::new("/usr/bin/script")
        .args([
            "-qec",
            r#""$BITEXT" align --format "$(printf 'x\033]0;TITLE\007')" a b"#,
            "/dev/null",
        ])
        .env("BITEXT", env!("CARGO_BIN_EXE_bitext"))
        .env("SHELL", "/bin/sh")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("invalid value"), "{text:?}");
    assert!(!text.contains("\u{1b}]0;"), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
}

// ---- Bounded time and memory, whatever the content ----

#[test]
fn a_capped_band_is_reported_on_stderr_and_in_the_alignment() {
    let dir = TempDir::new("capped");
    let lines = "a\n".repeat(12_000);
    std::fs::write(dir.join("same.txt"), &lines).unwrap();
    let doc = bitext::Document::presegmented(lines, "en");
    assert!(bitext::Aligner::default().align(&doc, &doc).band_capped);
    let path = dir.str("same.txt");
    let out = bitext(&[
        "align",
        "--presegmented",
        &path,
        &path,
        "-o",
        &dir.str("out.tsv"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("band was capped"), "{}", stderr(&out));
    // A real translation is not capped and says nothing of it.
    let out = bitext(&[
        "align",
        fixture("seeds/003.pt.txt").to_str().unwrap(),
        fixture("seeds/004.id.txt").to_str().unwrap(),
    ]);
    assert!(!stderr(&out).contains("capped"), "{}", stderr(&out));
}
