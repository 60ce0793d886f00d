//! One module per subcommand, each with its `Args` and a `run()`.

pub mod align;
pub mod batch;
pub mod eval;
pub mod eval_seg;
pub mod segment;
pub mod stream;

use std::io::Write;

/// A usage mistake found after argument parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Checks `--min-confidence`: a probability.
pub fn check_min_confidence(p: f64) -> Result<(), UsageError> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(UsageError("--min-confidence must lie in [0, 1]".into()))
    }
}

/// Checks `--lang`-style arguments: an ISO 639 code (with subtags) or `auto`.
pub fn check_languages<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<(), UsageError> {
    for code in codes {
        if !bitext::lang::is_valid_code(code) {
            return Err(UsageError(format!(
                "bad language code {code:?}: expected an ISO 639 code such as `en` or `pt-BR`, or `auto`"
            )));
        }
    }
    Ok(())
}

/// Standard output, buffered and locked; flush it before returning.
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

/// Opens `path` for writing, or standard output when `path` is `None` or `-`.
pub fn output(path: Option<&std::path::Path>) -> anyhow::Result<Box<dyn Write>> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let file = std::fs::File::create(p).map_err(|source| bitext::Error::Io {
                path: p.to_path_buf(),
                source,
            })?;
            Ok(Box::new(std::io::BufWriter::new(file)))
        }
        _ => Ok(Box::new(stdout())),
    }
}
