//! One module per subcommand, each with its `Args` and a `run()`.

pub mod align;
pub mod align_many;
pub mod batch;
pub mod eval;
pub mod eval_seg;
pub mod options;
pub mod segment;
pub mod stream;

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// `--quiet`: set once from the command line, before the subcommand runs.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Sets `--quiet` for the whole run.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// True under `--quiet`: no progress bar, notes or summary on standard error.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A progress bar on standard error counting `unit`s, or `None` under `--quiet` or when
/// standard error is not a terminal (a log file gets no bar).
pub fn progress_bar(total: usize, unit: &str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet() || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    let template = format!("{{bar:30}} {{pos}}/{{len}} {unit}  {{msg}}  {{elapsed}}, ETA {{eta}}");
    let style = indicatif::ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    // The aligner reports between its passes: keep the clock moving in between.
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    Some(bar)
}

/// Tells the user what a writer changed to keep its format valid.
pub fn tell_written(written: &bitext::write::Written) {
    let replaced = written.replaced_separators;
    if replaced > 0 && !quiet() {
        crate::say!(
            "note: replaced {replaced} tabs, line breaks and other line separators inside sentences with spaces"
        );
    }
    let dropped = written.dropped_characters;
    if dropped > 0 {
        crate::say!("warning: dropped {dropped} characters that XML 1.0 forbids");
    }
}

/// A usage mistake found after argument parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Standard output was closed when `bitext` started (`bitext align a b >&-`): exit 1.
#[derive(Debug, thiserror::Error)]
#[error(
    "standard output is closed, so the output would be lost (write it to a file with \
     `> FILE`, or discard it with `> /dev/null`)"
)]
pub struct StdoutClosed;

/// Standard output, buffered and locked; flush it before returning. An error when
/// standard output was closed at start (the runtime would otherwise write to
/// /dev/null and report success).
pub fn stdout() -> Result<std::io::BufWriter<std::io::StdoutLock<'static>>, StdoutClosed> {
    if crate::stdout_was_closed() {
        return Err(StdoutClosed);
    }
    Ok(std::io::BufWriter::with_capacity(
        1 << 16,
        std::io::stdout().lock(),
    ))
}

/// Opens `path` for writing, or standard output when `path` is `None` or `-`.
pub fn output(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let file = std::fs::File::create(p).map_err(|source| bitext::Error::Io {
                path: p.to_path_buf(),
                source,
            })?;
            Ok(Box::new(std::io::BufWriter::new(file)))
        }
        _ => Ok(Box::new(stdout()?)),
    }
}

/// Refuses (exit 2) to write `output` when it is the same file as one of `inputs`:
/// the same path after resolving `.`, `..` and symbolic links or, where both exist,
/// the same device and inode (a hard link). `-` (standard input or output) is skipped.
pub fn check_not_an_input(output: &Path, inputs: &[&Path]) -> Result<(), UsageError> {
    if output.as_os_str() == "-" {
        return Ok(());
    }
    for input in inputs.iter().filter(|p| p.as_os_str() != "-") {
        if same_file(output, input) {
            return Err(UsageError(format!(
                "refusing to write {} over the input {}: they are the same file",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// True when `a` and `b` name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Worker threads for `--jobs`: 0 (one per core) when not given; 0 is a usage error,
/// and more than [`MAX_JOBS_PER_CORE`] threads per core are capped with a warning
/// (thousands of threads would only thrash the machine).
pub fn jobs(requested: Option<usize>) -> Result<usize, UsageError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    check_jobs(requested, cores)
}

/// Threads per core beyond which `--jobs` is capped.
pub const MAX_JOBS_PER_CORE: usize = 4;

fn check_jobs(requested: Option<usize>, cores: usize) -> Result<usize, UsageError> {
    match requested {
        None => Ok(0),
        Some(0) => Err(UsageError("--jobs must be at least 1".into())),
        Some(n) => {
            let max = MAX_JOBS_PER_CORE * cores;
            if n > max {
                eprintln!(
                    "bitext: warning: --jobs {n} is more than {MAX_JOBS_PER_CORE} threads for each of \
                     the {cores} cores; using {max}"
                );
                Ok(max)
            } else {
                Ok(n)
            }
        }
    }
}

/// `text` with its control characters escaped (`\u{1b}` for ESC, `\n`, `\t`), and the
/// Unicode bidirectional controls too, so that a file name or manifest field quoted in a
/// message cannot move the cursor, retitle the terminal or reorder what is shown.
pub fn escape(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Prints a line to standard error prefixed with `bitext: `, escaping control characters
/// (see [`escape`]).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("bitext: {}", $crate::cmd::escape(&format!($($arg)*)))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_quotes_control_characters() {
        assert_eq!(escape("plain é"), "plain é");
        assert_eq!(escape("a\u{1b}]0;T\u{7}\tb\n"), "a\\u{1b}]0;T\\u{7}\\tb\\n");
        assert_eq!(escape("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn jobs_are_capped() {
        assert_eq!(check_jobs(None, 2).unwrap(), 0);
        assert!(check_jobs(Some(0), 2).is_err());
        assert_eq!(check_jobs(Some(3), 2).unwrap(), 3);
        assert_eq!(check_jobs(Some(100_000_000), 2).unwrap(), 8);
    }
}
