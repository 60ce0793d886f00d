//! Tests of the batch runner as a library (moved from the integration tests when the
//! module became private to the crate); the command's behaviour is tested in `tests/`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::Aligner;

/// A folder of its own under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("bitext-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every ordered pair of the seed articles, with paths relative to the manifest.
fn seed_manifest(dir: &TempDir) -> PathBuf {
    const SEEDS: [&str; 5] = ["000.fr", "001.fr", "002.en", "003.pt", "004.id"];
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let mut manifest = String::new();
    for name in SEEDS {
        std::fs::copy(
            fixtures.join(format!("{name}.txt")),
            dir.join(&format!("docs/{name}.txt")),
        )
        .unwrap();
    }
    for a in SEEDS {
        for b in SEEDS.iter().filter(|&&b| b != a) {
            let (la, lb) = (&a[4..], &b[4..]);
            manifest.push_str(&format!(
                "{a}-{b}\tdocs/{a}.txt\tdocs/{b}.txt\t{la}\t{lb}\n"
            ));
        }
    }
    let path = dir.join("manifest.tsv");
    std::fs::write(&path, manifest).unwrap();
    path
}

#[test]
fn manifest_paths_are_relative_to_its_folder() {
    let dir = TempDir::new("manifest");
    let path = dir.join("m.tsv");
    std::fs::write(
        &path,
        "# id\tsrc\ttgt\n\nx\ta/s.txt\t/abs/t.txt\nonly two\tfields\ny\ts\tt\ten\n",
    )
    .unwrap();
    let jobs = read_manifest(&path).unwrap();
    assert_eq!(jobs.len(), 3);
    let x = jobs[0].pair.as_ref().unwrap();
    assert_eq!(x.src, dir.join("a/s.txt"));
    assert_eq!(x.tgt, Path::new("/abs/t.txt"));
    assert_eq!((x.src_lang.as_str(), x.tgt_lang.as_str()), ("auto", "auto"));
    // Malformed lines are kept as failed jobs that name the file and the line.
    let err = jobs[1].pair.as_ref().unwrap_err();
    assert!(err.contains("m.tsv:4:"), "{err}");
    assert_eq!(jobs[1].id, "only two");
    let err = jobs[2].pair.as_ref().unwrap_err();
    assert!(err.contains("m.tsv:5:"), "{err}");
}

#[test]
fn unreadable_manifest_is_an_error() {
    let dir = TempDir::new("nomanifest");
    assert!(read_manifest(&dir.join("missing.tsv")).is_err());
    std::fs::write(dir.join("bad.tsv"), b"a\t\xff\tb\n").unwrap();
    let err = read_manifest(&dir.join("bad.tsv")).unwrap_err();
    assert!(err.is_input_error());
}

#[test]
fn library_runner_reports_progress_once_per_pair() {
    let dir = TempDir::new("progress");
    let manifest = seed_manifest(&dir);
    let jobs = read_manifest(&manifest).unwrap();
    let done = AtomicUsize::new(0);
    let sentences = AtomicUsize::new(0);
    let options = BatchOptions {
        jobs: 2,
        ..BatchOptions::default()
    };
    let summary = run(
        &jobs,
        None,
        &Aligner::default(),
        &options,
        &|event: ProgressEvent| {
            assert!(event.index < jobs.len());
            done.fetch_add(1, Ordering::Relaxed);
            sentences.fetch_add(event.sentences, Ordering::Relaxed);
        },
    )
    .unwrap();
    assert_eq!(done.into_inner(), 20);
    let t = &summary.totals;
    assert_eq!(sentences.into_inner(), t.src_sentences + t.tgt_sentences);
    assert!(summary.pairs.iter().all(|p| p.status == Status::Ok));
    // Without an output folder nothing is written and no output is named.
    assert!(summary.pairs.iter().all(|p| p.output.is_none()));
    let mut listing: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    listing.sort();
    assert_eq!(listing, ["docs", "manifest.tsv"]);
}
