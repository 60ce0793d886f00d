//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path below `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Runs the `bitext` binary with `args`.
pub fn bitext(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(args)
        .output()
        .expect("run bitext")
}

/// Runs the `bitext` binary with `args`, feeding `stdin`.
pub fn bitext_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn bitext");
    // A child that rejects its arguments exits without reading its input: the write then
    // fails with a broken pipe, which is the child's answer, not the test's failure.
    let written = child.stdin.take().unwrap().write_all(stdin);
    if let Err(err) = written {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
    }
    child.wait_with_output().expect("wait for bitext")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that a run ended with exit code `code` and said `message` on standard error;
/// `case` names the run in the failure.
#[track_caller]
pub fn assert_ended(out: &Output, code: i32, message: &str, case: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{case}: {err}");
    assert!(err.contains(message), "{case}: no {message:?} in: {err}");
}

/// A fresh, empty folder under the system temp folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new folder whose name holds `name`, the process id and a counter.
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("bitext-test-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path in the folder.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// A path in the folder, as a string for command lines.
    pub fn str(&self, rel: &str) -> String {
        self.join(rel).to_str().unwrap().to_owned()
    }

    /// Copies seed `name` (e.g. `003.pt`) to `rel` in the folder.
    pub fn seed(&self, name: &str, rel: &str) -> String {
        std::fs::copy(fixture(&format!("seeds/{name}.txt")), self.join(rel)).unwrap();
        self.str(rel)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Names of the files in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// A made-up word of three consonant-vowel syllables, the consonants from `consonants`.
fn invented_word(mut k: usize, consonants: &[u8]) -> String {
    const VOWELS: &[u8] = b"aeiou";
    let mut out = String::new();
    for _ in 0..3 {
        out.push(char::from(consonants[k % consonants.len()]));
        k /= consonants.len();
        out.push(char::from(VOWELS[k % VOWELS.len()]));
        k /= VOWELS.len();
    }
    out
}

/// Word `k` of an invented source language. The two invented languages draw on consonants
/// that the spelling normalisation of the features never makes alike, so no source word
/// shares a key with a target word: only a lexicon links them.
pub fn source_word(k: usize) -> String {
    invented_word(k * 7 + 3, b"bdfglmnprt")
}

/// Word `k` of the invented target language that translates [`source_word`]`(k)`.
pub fn target_word(k: usize) -> String {
    invented_word(k * 11 + 5, b"jkvx")
}

/// `count` sentences of 5 to 12 word numbers below `vocabulary`, frequent words more often
/// than rare ones as in real text, drawn by a fixed generator from `seed`.
pub fn invented_sentences(count: usize, seed: u64, vocabulary: usize) -> Vec<Vec<usize>> {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as f64) / f64::from(1u32 << 31)
    };
    (0..count)
        .map(|_| {
            let len = 5 + (next() * 8.0) as usize;
            (0..len)
                .map(|_| ((next() * next()) * vocabulary as f64) as usize)
                .collect()
        })
        .collect()
}
