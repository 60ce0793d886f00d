//! The one error type of the library.
//!
//! Every variant that comes from user input carries the path and, where it
//! helps, the line or byte offset, so the CLI can print an error a user can act on.
//! [`Error::is_input_error`] tells the CLI which exit code to use (2 for bad
//! input or usage, 1 for a runtime failure).

use std::path::PathBuf;

/// A convenient alias for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Input bytes are not valid UTF-8.
    #[error("{path}: invalid UTF-8 at byte offset {offset} (use --lossy to replace bad bytes)")]
    InvalidUtf8 {
        /// The file (or `<stdin>`).
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
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
    /// Writing output failed.
    #[error("write error: {0}")]
    Write(#[source] std::io::Error),
}

impl Error {
    /// True when the error comes from the user's input or arguments (exit code 2),
    /// false for runtime failures (exit code 1).
    pub fn is_input_error(&self) -> bool {
        match self {
            Error::Io { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::PermissionDenied
                    | std::io::ErrorKind::IsADirectory
                    | std::io::ErrorKind::InvalidInput
            ),
            Error::InvalidUtf8 { .. }
            | Error::Parse { .. }
            | Error::Input { .. }
            | Error::Config(_) => true,
            Error::Write(_) => false,
        }
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
