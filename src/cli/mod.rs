//! The `bitext` command, behind the `cli` feature: flags parsed with clap into the
//! library's configuration, one module per subcommand with its `Args` and a `run()`, and
//! errors mapped to exit codes. It lives in the library, as ripgrep's core does beside its
//! thin `main.rs`, so that the batch runner, the stream worker and the other pieces only the
//! command uses stay private to the crate; [`main`] is its one public item.
//!
//! Exit codes: 0 success, 1 runtime failure, 2 usage or input error. A broken pipe on
//! standard output ends the program quietly with 0; a standard output that was closed
//! before the start is an error (exit 1). Messages escape the control characters of the
//! file names and manifest fields they quote.

/// Prints a line to standard error prefixed with `bitext: `, escaping control characters
/// (see [`escape`]).
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("bitext: {}", $crate::cli::escape(&format!($($arg)*)))
    };
}
pub(crate) use say;

mod align;
mod align_many;
mod batch;
mod eval;
mod eval_seg;
mod options;
mod segment;
mod stream;

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand};

/// `--quiet`: set once from the command line, before the subcommand runs.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Sets `--quiet` for the whole run.
pub(crate) fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// True under `--quiet`: no progress bar, notes or summary on standard error.
pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A progress bar on standard error counting `unit`s, or `None` under `--quiet` or when
/// standard error is not a terminal (a log file gets no bar).
pub(crate) fn progress_bar(total: usize, unit: &str) -> Option<indicatif::ProgressBar> {
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
pub(crate) fn tell_written(written: &crate::write::Written) {
    let replaced = written.replaced_separators;
    if replaced > 0 && !quiet() {
        crate::cli::say!(
            "note: replaced {replaced} tabs, line breaks and other line separators inside sentences with spaces"
        );
    }
    let dropped = written.dropped_characters;
    if dropped > 0 {
        crate::cli::say!("warning: dropped {dropped} characters that XML 1.0 forbids");
    }
}

/// A usage mistake found after argument parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct UsageError(pub String);

/// Standard output was closed when `bitext` started (`bitext align a b >&-`): exit 1.
#[derive(Debug, thiserror::Error)]
#[error(
    "standard output is closed, so the output would be lost (write it to a file with \
     `> FILE`, or discard it with `> /dev/null`)"
)]
pub(crate) struct StdoutClosed;

/// Standard output, buffered and locked; flush it before returning. An error when
/// standard output was closed at start (the runtime would otherwise write to
/// /dev/null and report success).
pub(crate) fn stdout() -> Result<std::io::BufWriter<std::io::StdoutLock<'static>>, StdoutClosed> {
    if crate::cli::stdout_was_closed() {
        return Err(StdoutClosed);
    }
    Ok(std::io::BufWriter::with_capacity(
        1 << 16,
        std::io::stdout().lock(),
    ))
}

/// Opens `path` for writing, or standard output when `path` is `None` or `-`.
pub(crate) fn output(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let file = std::fs::File::create(p).map_err(|source| crate::Error::Io {
                path: p.to_path_buf(),
                source,
            })?;
            Ok(Box::new(std::io::BufWriter::new(file)))
        }
        _ => Ok(Box::new(stdout()?)),
    }
}

/// Refuses (exit 2), before any work, an output file whose folder does not exist or that
/// is a folder: found only when it is written, it would fail the run after its other
/// outputs were written. `-` (standard output) is skipped.
pub(crate) fn check_destination(path: &Path) -> Result<(), UsageError> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    if path.is_dir() {
        return Err(UsageError(format!(
            "{} is a folder: give a file name",
            path.display()
        )));
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(UsageError(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            folder.display()
        )));
    }
    Ok(())
}

/// Outputs written beside the main one (`--report`, `--lexicon-out`): each to a temporary
/// file beside its place, renamed into place by [`Staged::commit`] once the main output
/// is complete, so that a run that fails replaces none of them. Dropped before that, it
/// removes its temporary files.
#[derive(Default)]
pub(crate) struct Staged(Vec<(std::path::PathBuf, std::path::PathBuf)>);

/// True when `output` (`-o`) is standard output. The side outputs are then placed before
/// it is written: a stream has no folder to miss, and a reader that stops early
/// (`| head`) ends the run with success, which should leave them complete.
pub(crate) fn to_stdout(output: Option<&Path>) -> bool {
    output.is_none_or(|p| p.as_os_str() == "-")
}

impl Staged {
    /// Writes what `fill` writes to a temporary file beside `path`.
    pub(crate) fn write(
        &mut self,
        path: &Path,
        fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    ) -> Result<(), crate::Error> {
        let io = |source| crate::Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = crate::write::temp_path(path);
        let file = std::fs::File::create(&tmp).map_err(io)?;
        self.0.push((path.to_path_buf(), tmp));
        let mut out = std::io::BufWriter::new(file);
        fill(&mut out).map_err(io)?;
        out.into_inner().map_err(|e| io(e.into_error()))?;
        Ok(())
    }

    /// Renames every file written so far into place.
    pub(crate) fn commit(&mut self) -> Result<(), crate::Error> {
        while !self.0.is_empty() {
            let (path, tmp) = self.0.remove(0);
            if let Err(source) = std::fs::rename(&tmp, &path) {
                let _ = std::fs::remove_file(&tmp);
                return Err(crate::Error::Io { path, source });
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (_, tmp) in &self.0 {
            // Best effort: the error that stopped the run matters more.
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Refuses (exit 2) to write `output` when it is the same file as one of `inputs`:
/// the same path after resolving `.`, `..` and symbolic links or, where both exist,
/// the same device and inode (a hard link). An input `-` is the file standard input
/// reads, if it is one ([`stdin_file`]); an output `-` (standard output) is skipped.
pub(crate) fn check_not_an_input(output: &Path, inputs: &[&Path]) -> Result<(), UsageError> {
    if output.as_os_str() == "-" {
        return Ok(());
    }
    for input in inputs {
        let (input, shown) = if input.as_os_str() == "-" {
            // `bitext align - b -o a < a` would truncate `a` while it is being read.
            match stdin_file() {
                Some(file) => (Cow::Owned(file), "standard input"),
                None => continue,
            }
        } else {
            (Cow::Borrowed(*input), "")
        };
        if same_file(output, &input) {
            let shown = if shown.is_empty() {
                input.display().to_string()
            } else {
                format!("{shown} ({})", input.display())
            };
            return Err(UsageError(format!(
                "refusing to write {} over the input {shown}: they are the same file",
                output.display(),
            )));
        }
    }
    Ok(())
}

/// The file standard input reads, when it is a regular file (`< FILE`), so that no output
/// replaces it; `None` for a pipe or a terminal, which no output can replace.
pub(crate) fn stdin_file() -> Option<std::path::PathBuf> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        // A duplicate of the descriptor, so that dropping the `File` leaves fd 0 open.
        let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
        let stdin = std::fs::File::from(fd).metadata().ok()?;
        if !stdin.is_file() {
            return None;
        }
        // /dev/stdin resolves to the file's path on Linux; where it does not, the path
        // still stats as the file, which is what `same_file` compares.
        let path = std::fs::canonicalize("/dev/stdin").ok()?;
        let named = std::fs::metadata(&path).ok()?;
        (named.dev() == stdin.dev() && named.ino() == stdin.ino()).then_some(path)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// True when `a` and `b` name the same existing file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
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
pub(crate) fn jobs(requested: Option<usize>) -> Result<usize, UsageError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    check_jobs(requested, cores)
}

/// Threads per core beyond which `--jobs` is capped.
pub(crate) const MAX_JOBS_PER_CORE: usize = 4;

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
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
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

/// Turn translations of the same document into a parallel corpus.
#[derive(Debug, Parser)]
#[command(name = "bitext", version, about, propagate_version = true)]
struct Cli {
    /// No progress bar, notes or summary on standard error (warnings and errors are still
    /// printed).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Segment(segment::Args),
    EvalSeg(eval_seg::Args),
    Align(align::Args),
    AlignMany(align_many::Args),
    Eval(eval::Args),
    Batch(batch::Args),
    Stream(stream::Args),
}

/// True when standard output was closed when the program started (`bitext … >&-`).
///
/// The Rust runtime reopens a closed standard stream on /dev/null before `main` runs,
/// so every write would vanish and the program report success. The check therefore
/// runs earlier, from the ELF initialiser array, on Linux; elsewhere it says `false`.
pub(crate) fn stdout_was_closed() -> bool {
    closed_stdout::CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

mod closed_stdout {
    use std::sync::atomic::AtomicBool;

    pub(super) static CLOSED: AtomicBool = AtomicBool::new(false);

    #[cfg(target_os = "linux")]
    extern "C" fn check() {
        // SAFETY: F_GETFD only reads the descriptor's flags; it touches no memory.
        let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1;
        CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
    }

    #[cfg(target_os = "linux")]
    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHECK: extern "C" fn() = check;
}

/// Runs the `bitext` command on the process's arguments: the whole of `src/main.rs`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A usage error quotes the arguments: escape them, as every other message does
        // (clap would pass an escape sequence through to a terminal).
        Err(err) if err.use_stderr() => {
            let text = err.render().to_string();
            for line in text.lines() {
                eprintln!("{}", escape(line));
            }
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
        Err(err) => err.exit(),
    };
    set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Segment(args) => segment::run(args),
        Command::EvalSeg(args) => eval_seg::run(args),
        Command::Align(args) => align::run(args),
        Command::AlignMany(args) => align_many::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Stream(args) => stream::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => report(&err),
    }
}

/// Prints `err` and picks the exit code: 0 for a broken pipe, 2 for bad input, 1 otherwise.
fn report(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return ExitCode::SUCCESS;
        }
    }
    // `{:#}` is the message and each cause after `: `; library errors keep their cause
    // out of their own message, so each is printed once.
    say!("{err:#}");
    let input = err.chain().any(|cause| {
        cause
            .downcast_ref::<crate::Error>()
            .is_some_and(|e| e.is_input_error())
            || cause.downcast_ref::<UsageError>().is_some()
    });
    if input {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
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
