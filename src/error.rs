//! The one error type of the library.
//!
//! Every variant that comes from user input carries the path and, where it
//! helps, the line or byte offset, so the CLI can print an error a user can act on.
//! [`Error::kind`] sorts errors into what the user can fix in the input or the
//! configuration and what failed at run time; [`Error::is_input_error`] is the CLI's
//! exit code (2 for bad input or usage, 1 for a runtime failure).
//!
//! A variant that wraps another error exposes it as [`std::error::Error::source`] and
//! leaves it out of its own message, so a printer that walks the chain of causes shows
//! each cause once. [`Error::report`] is that printer for one error:
//! `no/such/file.txt: No such file or directory (os error 2)`.

use std::path::PathBuf;

/// A convenient alias for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written; the message names the path and the
    /// cause is the [`source`](std::error::Error::source).
    #[error("{path}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Input bytes are not valid UTF-8.
    #[error(
        "{path}: invalid UTF-8 at byte offset {offset}{}",
        if *suggest_lossy { " (use --lossy to replace bad bytes)" } else { "" }
    )]
    InvalidUtf8 {
        /// The file (or `<stdin>`).
        path: PathBuf,
        /// Byte offset of the first invalid byte (in the decompressed bytes when the
        /// file is compressed).
        offset: usize,
        /// The command has a `--lossy` flag, so the message suggests it.
        suggest_lossy: bool,
    },
    /// A structured input (gold file, manifest, JSON line) is malformed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file (or `<stdin>`).
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The input is well-formed but cannot be used (empty, inconsistent, ...).
    #[error("{path}: {message}")]
    Input {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Writing output failed; the cause is the [`source`](std::error::Error::source).
    #[error("write error")]
    Write(#[source] std::io::Error),
}

/// What kind of failure an [`Error`] is, for a caller that handles them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input cannot be used: a missing or unreadable file, invalid UTF-8, a malformed
    /// structured file, an empty or inconsistent document. Fix the input.
    Input,
    /// A configuration value is out of range (a bead type, a temperature, a language
    /// code). Fix the call or the arguments.
    Config,
    /// Reading or writing failed at run time (a full disk, a broken pipe, an I/O error
    /// that is not about the input named). Retrying may help.
    Io,
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound
                | std::io::ErrorKind::PermissionDenied
                | std::io::ErrorKind::IsADirectory
                | std::io::ErrorKind::InvalidInput => ErrorKind::Input,
                _ => ErrorKind::Io,
            },
            Error::InvalidUtf8 { .. } | Error::Parse { .. } | Error::Input { .. } => {
                ErrorKind::Input
            }
            Error::Config(_) => ErrorKind::Config,
            Error::Write(_) => ErrorKind::Io,
        }
    }

    /// True when the error comes from the user's input or arguments (exit code 2),
    /// false for runtime failures (exit code 1).
    pub fn is_input_error(&self) -> bool {
        matches!(self.kind(), ErrorKind::Input | ErrorKind::Config)
    }

    /// The message followed by its chain of causes, each after `: `, as a user
    /// should see it (`Display` alone gives only this error's own message).
    pub fn report(&self) -> impl std::fmt::Display + '_ {
        Report(self)
    }

    /// Builds a [`Error::Parse`] for `path` at 1-based `line`.
    pub fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Error {
        Error::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// Displays an error and its causes: see [`Error::report`].
struct Report<'a>(&'a Error);

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = std::error::Error::source(self.0);
        while let Some(err) = cause {
            write!(f, ": {err}")?;
            cause = err.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    fn not_found() -> Error {
        Error::Io {
            path: "no/such/file.txt".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        }
    }

    #[test]
    fn wrapped_causes_are_sources_not_part_of_the_message() {
        let err = not_found();
        assert_eq!(err.to_string(), "no/such/file.txt");
        assert!(err.source().is_some());
        let err = Error::Write(std::io::Error::from(std::io::ErrorKind::WriteZero));
        assert_eq!(err.to_string(), "write error");
        assert!(err.source().is_some());
    }

    #[test]
    fn kinds_sort_input_from_runtime_failures() {
        assert_eq!(not_found().kind(), ErrorKind::Input);
        assert!(not_found().is_input_error());
        let full = Error::Io {
            path: "out.tsv".into(),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        };
        assert_eq!(full.kind(), ErrorKind::Io);
        assert!(!full.is_input_error());
        assert_eq!(Error::Config("x".into()).kind(), ErrorKind::Config);
        assert_eq!(Error::parse("m", 1, "x").kind(), ErrorKind::Input);
    }

    #[test]
    fn report_prints_each_cause_once() {
        let cause = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
        assert_eq!(
            not_found().report().to_string(),
            format!("no/such/file.txt: {cause}")
        );
        let err = Error::parse("m.tsv", 3, "bad line");
        assert_eq!(err.report().to_string(), "m.tsv:3: bad line");
    }
}
