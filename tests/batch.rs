//! Integration tests: batch and stream.
//!
//! The aligner is being rewritten, so these tests check structure (statuses, counts that
//! must agree, ordering, files present or absent), never the exact pairs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::*;

const SEEDS: [&str; 5] = ["000.fr", "001.fr", "002.en", "003.pt", "004.id"];

fn seed(name: &str) -> PathBuf {
    fixture(&format!("seeds/{name}.txt"))
}

/// Copies the seeds into `dir/docs/` and writes a manifest `dir/manifest.tsv` pairing
/// every seed with every other (20 pairs), with paths relative to the manifest.
fn seed_manifest(dir: &TempDir) -> PathBuf {
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let mut manifest = String::from("# every ordered pair of seeds\n");
    for name in SEEDS {
        std::fs::copy(seed(name), dir.join(&format!("docs/{name}.txt"))).unwrap();
    }
    for a in SEEDS {
        for b in SEEDS {
            if a != b {
                let (la, lb) = (&a[4..], &b[4..]);
                manifest.push_str(&format!(
                    "{a}-{b}\tdocs/{a}.txt\tdocs/{b}.txt\t{la}\t{lb}\n"
                ));
            }
        }
    }
    let path = dir.join("manifest.tsv");
    std::fs::write(&path, manifest).unwrap();
    path
}

fn read_summary(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("summary.json is JSON")
}

fn pair<'a>(summary: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    summary["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no pair {id} in summary"))
}

fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    listing(dir)
        .into_iter()
        .filter(|n| n != "summary.json")
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// Runs `bitext batch MANIFEST --out-dir OUT_DIR` with `extra` arguments after them.
fn batch(manifest: &Path, out_dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "batch",
        manifest.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    bitext(&args)
}

#[test]
fn batch_over_the_seeds() {
    let dir = TempDir::new("seeds");
    let manifest = seed_manifest(&dir);
    let out = batch(
        &manifest,
        &dir.join("out"),
        &["--format", "jsonl", "--jobs", "2"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Not a terminal and not asked for: a one-line human summary, no progress bar.
    assert!(
        stderr(&out).contains("20 pairs: 20 aligned, 0 failed"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("ETA"), "{}", stderr(&out));
    // --quiet: nothing on standard error when every pair worked.
    let quiet = batch(&manifest, &dir.join("quiet"), &["--quiet"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stderr(&quiet), "");
    let summary = read_summary(&dir.join("out"));
    assert_eq!(summary["totals"]["pairs"], 20);
    assert_eq!(summary["totals"]["ok"], 20);
    let mut total_src = 0;
    for p in summary["pairs"].as_array().unwrap() {
        assert_eq!(p["status"], "ok");
        assert!(p["error"].is_null());
        let id = p["id"].as_str().unwrap();
        assert_eq!(p["output"], format!("{id}.jsonl"));
        // Every sentence stands in exactly one bead.
        let (mut src, mut tgt) = (0, 0);
        for (kind, n) in p["beads"].as_object().unwrap() {
            let (s, t) = kind.split_once('-').unwrap();
            let n = n.as_u64().unwrap();
            src += n * s.parse::<u64>().unwrap();
            tgt += n * t.parse::<u64>().unwrap();
        }
        assert!(src > 0);
        assert_eq!(src, p["src_sentences"].as_u64().unwrap(), "{id}");
        assert_eq!(tgt, p["tgt_sentences"].as_u64().unwrap(), "{id}");
        total_src += src;
        let share = p["unaligned_share"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&share));
        let conf = p["mean_confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&conf));
        // The output is JSON Lines whose records use sentence indices of the pair.
        let text = std::fs::read_to_string(dir.join(&format!("out/{id}.jsonl"))).unwrap();
        assert!(!text.is_empty());
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            for i in record["src"].as_array().unwrap() {
                assert!(i.as_u64().unwrap() < src);
            }
        }
    }
    assert_eq!(summary["totals"]["src_sentences"], total_src);
    assert_eq!(pair(&summary, "003.pt-004.id")["src_lang"], "pt");
    // 20 outputs and the summary, no temporary files.
    assert_eq!(listing(&dir.join("out")).len(), 21);
}

#[test]
fn bad_pairs_are_recorded_and_the_others_finish() {
    let dir = TempDir::new("faults");
    std::fs::write(dir.join("bad.txt"), b"Bonjour \xff le monde.\n").unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(dir.join("blank.txt"), b"\n  \n\n").unwrap();
    let (pt, id) = (seed("003.pt"), seed("004.id"));
    let (pt, id) = (pt.to_str().unwrap(), id.to_str().unwrap());
    let manifest = format!(
        "good1\t{pt}\t{id}\n\
         missing\tno-such-file.txt\t{id}\n\
         utf8\t{pt}\tbad.txt\n\
         empty\tempty.txt\t{id}\n\
         blank\t{pt}\tblank.txt\n\
         malformed\t{pt}\n\
         good2\t{id}\t{pt}\tid\tpt\n"
    );
    std::fs::write(dir.join("m.tsv"), manifest).unwrap();
    let out = batch(&dir.join("m.tsv"), &dir.join("out"), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("missing failed:"), "{err}");
    let summary = read_summary(&dir.join("out"));
    assert_eq!(summary["totals"]["ok"], 2);
    assert_eq!(summary["totals"]["failed"], 5);
    for (id, reason) in [
        ("missing", "no-such-file.txt"),
        ("utf8", "invalid UTF-8 at byte offset 8"),
        ("empty", "empty"),
        ("blank", "empty"),
        ("malformed", "m.tsv:6:"),
    ] {
        let p = pair(&summary, id);
        assert_eq!(p["status"], "failed", "{id}");
        let error = p["error"].as_str().unwrap();
        assert!(error.contains(reason), "{id}: {error}");
        assert!(p["output"].is_null());
    }
    // The summary keeps the OS cause of an I/O error, once.
    let cause = std::io::Error::from_raw_os_error(2).to_string();
    let error = pair(&summary, "missing")["error"].as_str().unwrap();
    assert!(
        error.ends_with(&format!("no-such-file.txt: {cause}")),
        "{error}"
    );
    assert_eq!(error.matches(&cause).count(), 1, "{error}");
    assert_eq!(
        listing(&dir.join("out")),
        ["good1.tsv", "good2.tsv", "summary.json"],
        "only complete outputs, no temporary files"
    );
}

#[test]
fn unreadable_manifest_exits_2() {
    let dir = TempDir::new("exit2");
    let out = batch(&dir.join("missing.tsv"), &dir.join("out"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.tsv"), "{}", stderr(&out));
    assert!(!dir.join("out/summary.json").exists());
}

#[test]
fn outputs_do_not_depend_on_the_thread_count() {
    let dir = TempDir::new("jobs");
    let manifest = seed_manifest(&dir);
    for format in ["tsv", "beads", "jsonl"] {
        let mut runs = Vec::new();
        for jobs in ["1", "2"] {
            let out_dir = dir.join(&format!("out-{format}-{jobs}"));
            let out = batch(&manifest, &out_dir, &["--format", format, "--jobs", jobs]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let mut summary = read_summary(&out_dir);
            // Timings differ from run to run; everything else must not.
            summary["totals"]["seconds"] = 0.into();
            summary["totals"]["sentences_per_second"] = 0.into();
            for p in summary["pairs"].as_array_mut().unwrap() {
                p["seconds"] = 0.into();
            }
            runs.push((contents(&out_dir), summary));
        }
        assert_eq!(runs[0].0.len(), 20);
        assert!(runs[0] == runs[1], "{format}: --jobs 1 and --jobs 2 differ");
    }
}

#[test]
fn resume_skips_existing_outputs() {
    let dir = TempDir::new("resume");
    let manifest = seed_manifest(&dir);
    let out_dir = dir.join("out");
    let args = [
        "batch",
        manifest.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
    ];
    assert_eq!(bitext(&args).status.code(), Some(0));
    let first = read_summary(&out_dir);
    let kept = out_dir.join("003.pt-004.id.tsv");
    let redone = out_dir.join("004.id-003.pt.tsv");
    let original = std::fs::read(&redone).unwrap();
    std::fs::write(&kept, "sentinel\n").unwrap();
    std::fs::remove_file(&redone).unwrap();

    let mut resumed = args.to_vec();
    resumed.push("--resume");
    let out = bitext(&resumed);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "sentinel\n");
    assert_eq!(std::fs::read(&redone).unwrap(), original);
    let summary = read_summary(&out_dir);
    assert_eq!(summary["totals"]["skipped"], 19);
    assert_eq!(summary["totals"]["ok"], 1);
    assert_eq!(pair(&summary, "004.id-003.pt")["status"], "ok");
    assert_eq!(pair(&summary, "003.pt-004.id")["status"], "skipped");
    // Skipped pairs keep their counts from the first run, so the totals still
    // describe the whole folder.
    for field in ["src_sentences", "tgt_sentences", "beads", "mean_confidence"] {
        assert_eq!(
            pair(&summary, "003.pt-004.id")[field],
            pair(&first, "003.pt-004.id")[field],
            "{field}"
        );
        if field != "mean_confidence" {
            assert_eq!(summary["totals"][field], first["totals"][field], "{field}");
        }
    }

    // Without --resume everything is redone.
    assert_eq!(bitext(&args).status.code(), Some(0));
    assert_ne!(std::fs::read_to_string(&kept).unwrap(), "sentinel\n");
}

/// A killed run can leave `.<id>.<ext>.tmp` behind; the next run removes those of the
/// outputs it writes, even for a pair that fails before writing, and nothing else.
#[test]
fn stale_temporaries_of_this_runs_outputs_are_removed() {
    let dir = TempDir::new("stale");
    let (pt, id) = (seed("003.pt"), seed("004.id"));
    let (pt, id) = (pt.to_str().unwrap(), id.to_str().unwrap());
    std::fs::write(
        dir.join("m.tsv"),
        format!("good\t{pt}\t{id}\ngone\tno-such-file.txt\t{id}\n"),
    )
    .unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    // `gone` fails before writing, so only the clean-up can remove its temporary file.
    std::fs::write(out_dir.join(".gone.tsv.tmp"), "half an output").unwrap();
    // Not the temporary name of an output of this run: another format, another file.
    for name in [".gone.jsonl.tmp", ".other.tmp", ".gone.tsv.tmp.1"] {
        std::fs::write(out_dir.join(name), name).unwrap();
    }
    let out = batch(&dir.join("m.tsv"), &out_dir, &["-q"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        listing(&out_dir),
        [
            ".gone.jsonl.tmp",
            ".gone.tsv.tmp.1",
            ".other.tmp",
            "good.tsv",
            "summary.json"
        ]
    );
    for name in [".gone.jsonl.tmp", ".other.tmp", ".gone.tsv.tmp.1"] {
        assert_eq!(std::fs::read_to_string(out_dir.join(name)).unwrap(), name);
    }
}

/// `--resume` leaves a skipped pair alone, its temporary file included.
#[test]
fn resume_keeps_the_temporary_file_of_a_skipped_pair() {
    let dir = TempDir::new("stale-resume");
    let (pt, id) = (seed("003.pt"), seed("004.id"));
    let (pt, id) = (pt.to_str().unwrap(), id.to_str().unwrap());
    std::fs::write(dir.join("m.tsv"), format!("kept\t{pt}\t{id}\n")).unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("kept.tsv"), "done\n").unwrap();
    std::fs::write(out_dir.join(".kept.tsv.tmp"), "stale").unwrap();
    let out = batch(&dir.join("m.tsv"), &out_dir, &["-q", "--resume"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(out_dir.join(".kept.tsv.tmp")).unwrap(),
        "stale"
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("kept.tsv")).unwrap(),
        "done\n"
    );
}

#[test]
fn folders_are_paired_by_file_name() {
    let dir = TempDir::new("dirs");
    for side in ["pt", "id"] {
        std::fs::create_dir_all(dir.join(side)).unwrap();
        std::fs::copy(
            seed(&format!("00{}.{side}", if side == "pt" { 3 } else { 4 })),
            dir.join(&format!("{side}/a.txt")),
        )
        .unwrap();
        std::fs::write(dir.join(&format!("{side}/.hidden")), "x").unwrap();
    }
    std::fs::copy(seed("003.pt"), dir.join("pt/b.txt")).unwrap();
    std::fs::copy(seed("004.id"), dir.join("id/b.txt")).unwrap();
    std::fs::copy(seed("003.pt"), dir.join("pt/only-here.txt")).unwrap();
    let out = bitext(&[
        "batch",
        "--src-dir",
        &dir.str("pt"),
        "--tgt-dir",
        &dir.str("id"),
        "--out-dir",
        &dir.str("out"),
        "--src-lang",
        "pt",
        "--tgt-lang",
        "id",
        "--format",
        "beads",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let summary = read_summary(&dir.join("out"));
    let ids: Vec<_> = summary["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["a", "b", "only-here"]);
    assert_eq!(pair(&summary, "a")["tgt_lang"], "id");
    assert_eq!(pair(&summary, "only-here")["status"], "failed");
    assert!(dir.join("out/a.beads").exists() && dir.join("out/b.beads").exists());
}

#[test]
fn manifest_and_folders_are_exclusive() {
    let dir = TempDir::new("usage");
    let out = bitext(&["batch", "--out-dir", &dir.str("out")]);
    assert_eq!(out.status.code(), Some(2));
    let out = bitext(&[
        "batch",
        "--src-dir",
        &dir.str("a"),
        "--out-dir",
        &dir.str("out"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

fn stream_input(n: usize) -> (String, Vec<String>) {
    let texts: Vec<String> = SEEDS
        .iter()
        .map(|s| std::fs::read_to_string(seed(s)).unwrap())
        .collect();
    let mut input = String::new();
    let mut ids = Vec::new();
    for i in 0..n {
        let id = format!("doc-{i}");
        // Sizes vary a lot so that workers finish out of order.
        let src: String = texts[i % 5].chars().take(50 + (i * 397) % 3000).collect();
        let tgt = &texts[(i + 1) % 5];
        let record = serde_json::json!({"id": id, "src": src, "tgt": tgt, "src_lang": "pt"});
        input.push_str(&record.to_string());
        input.push('\n');
        ids.push(id);
    }
    (input, ids)
}

#[test]
fn stream_preserves_input_order() {
    let (input, ids) = stream_input(60);
    let out = bitext_stdin(&["stream", "--jobs", "2"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<_> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids);
    for line in &lines {
        assert!(line["error"].is_null(), "{line}");
        let pairs = line["pairs"].as_array().unwrap();
        assert!(!pairs.is_empty());
        for p in pairs {
            assert!(p["src"].is_string() && p["tgt"].is_string());
            assert!(!p["src_ids"].as_array().unwrap().is_empty());
            assert!(!p["tgt_ids"].as_array().unwrap().is_empty());
            let c = p["confidence"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&c));
        }
    }
    // The same with one thread, byte for byte.
    let one = bitext_stdin(&["stream", "--jobs", "1"], input.as_bytes());
    assert_eq!(one.stdout, out.stdout);
}

#[test]
fn stream_bad_lines_give_errors_and_processing_goes_on() {
    let (good, _) = stream_input(3);
    let good: Vec<&str> = good.lines().collect();
    let input = format!(
        "{}\nnot json\n{}\n{{\"id\": \"x\", \"src\": \"only a source.\"}}\n\n\
         {{\"id\": \"y\", \"src\": \"a\", \"tgt\": 5}}\n{}\n",
        good[0], good[1], good[2]
    );
    let mut bytes = input.into_bytes();
    bytes.extend_from_slice(b"{\"id\": \"z\", \"src\": \"\xff\", \"tgt\": \"b\"}\n");
    let out = bitext_stdin(&["stream"], &bytes);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8, "one output line per input line");
    let ids: Vec<_> = lines.iter().map(|l| l["id"].clone()).collect();
    assert_eq!(
        ids,
        [
            "doc-0".into(),
            serde_json::Value::Null,
            "doc-1".into(),
            "x".into(),
            serde_json::Value::Null,
            "y".into(),
            "doc-2".into(),
            serde_json::Value::Null,
        ]
    );
    for (i, line) in lines.iter().enumerate() {
        let bad = [1, 3, 4, 5, 7].contains(&i);
        assert_eq!(line["error"].is_string(), bad, "line {}: {line}", i + 1);
        if bad {
            assert!(line["pairs"].as_array().unwrap().is_empty());
            let prefix = format!("line {}: ", i + 1);
            assert!(
                line["error"].as_str().unwrap().starts_with(&prefix),
                "{line}"
            );
        }
    }
}

#[test]
fn stream_min_confidence_filters_pairs() {
    let (input, _) = stream_input(4);
    let out = bitext_stdin(&["stream", "--min-confidence", "1"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    for line in stdout(&out).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for p in v["pairs"].as_array().unwrap() {
            assert!(p["confidence"].as_f64().unwrap() >= 1.0);
        }
    }
    let out = bitext_stdin(&["stream", "--min-confidence", "2"], input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stream_lossy_replaces_bad_bytes_instead_of_rejecting_the_line() {
    let input = b"{\"id\":1,\"src\":\"Ol\xe1 mundo.\",\"tgt\":\"Halo dunia.\"}\n";
    let strict = bitext_stdin(&["stream"], input);
    assert_eq!(strict.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_str(stdout(&strict).trim()).unwrap();
    assert!(
        line["error"].as_str().unwrap().contains("--lossy"),
        "{line}"
    );
    let lossy = bitext_stdin(&["stream", "--lossy"], input);
    let line: serde_json::Value = serde_json::from_str(stdout(&lossy).trim()).unwrap();
    assert!(line["error"].is_null(), "{line}");
    assert_eq!(line["pairs"][0]["src"], "Ol\u{fffd} mundo.");
}

/// Issue 14: `stream` is a worker. It answers a line while its standard input is still
/// open, so a program can write one line, read the answer, then write the next.
#[test]
fn stream_answers_each_line_before_the_input_ends() {
    use std::io::{BufRead, Write};
    use std::sync::mpsc;
    use std::time::Duration;

    let (input, ids) = stream_input(3);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["stream", "--jobs", "2"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn bitext stream");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    // Lines are read on a thread of their own, so that a missing answer fails the test
    // after a timeout instead of hanging it.
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.expect("read stdout")).is_err() {
                break;
            }
        }
    });
    let mut answers = Vec::new();
    for line in input.lines() {
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
        let answer = rx.recv_timeout(Duration::from_secs(120));
        let Ok(answer) = answer else {
            let _ = child.kill();
            panic!(
                "no answer to line {} with the input still open",
                answers.len() + 1
            );
        };
        answers.push(answer);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
    assert!(rx.try_recv().is_err(), "one answer per line");
    let got: Vec<String> = answers
        .iter()
        .map(|a| {
            let value: serde_json::Value = serde_json::from_str(a).unwrap();
            assert!(value["error"].is_null(), "{value}");
            value["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(got, ids);
}

/// Issue 14: `batch --report DIR` writes one review page per pair, as `align --report`.
#[test]
fn batch_report_writes_one_page_per_pair() {
    let dir = TempDir::new("batch-report");
    let manifest = seed_manifest(&dir);
    let out = dir.join("out");
    let pages = dir.join("pages");
    let run = batch(
        &manifest,
        &out,
        &["--report", pages.to_str().unwrap(), "--no-learn"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let names = listing(&pages);
    assert_eq!(names.len(), 20, "{names:?}");
    for name in &names {
        assert!(name.ends_with(".html"), "{name}");
        let page = std::fs::read_to_string(pages.join(name)).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"), "{name}");
    }
    // The same page as `align --report` writes for the pair.
    let single = dir.join("single.html");
    let align = bitext(&[
        "align",
        dir.join("docs/003.pt.txt").to_str().unwrap(),
        dir.join("docs/004.id.txt").to_str().unwrap(),
        "--src-lang",
        "pt",
        "--tgt-lang",
        "id",
        "--report",
        single.to_str().unwrap(),
        "-o",
        dir.join("single.tsv").to_str().unwrap(),
    ]);
    assert_eq!(align.status.code(), Some(0), "{}", stderr(&align));
    assert_eq!(
        std::fs::read(pages.join("003.pt-004.id.html")).unwrap(),
        std::fs::read(&single).unwrap()
    );
}

/// `batch --report` refuses, before anything is written, a page that would replace an
/// input.
#[test]
fn batch_report_never_replaces_an_input() {
    let dir = TempDir::new("batch-report-input");
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::copy(seed("003.pt"), dir.join("docs/a.html")).unwrap();
    std::fs::copy(seed("004.id"), dir.join("docs/b.txt")).unwrap();
    let manifest = dir.join("manifest.tsv");
    std::fs::write(&manifest, "a\tdocs/a.html\tdocs/b.txt\tpt\tid\n").unwrap();
    let before = std::fs::read(dir.join("docs/a.html")).unwrap();
    let run = batch(
        &manifest,
        &dir.join("out"),
        &["--report", dir.join("docs").to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("refusing to write"),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read(dir.join("docs/a.html")).unwrap(), before);
    assert!(!dir.join("out").exists());
}
