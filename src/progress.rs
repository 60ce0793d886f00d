//! The progress callback of a long alignment, so that a caller can show where it is.

use std::sync::Arc;

/// A callback told `(done, total)`, counted in sentences of both documents; called from
/// the thread that aligns.
#[derive(Clone)]
pub(crate) struct Progress(Arc<dyn Fn(usize, usize) + Send + Sync>);

impl Progress {
    pub(crate) fn new(f: impl Fn(usize, usize) + Send + Sync + 'static) -> Progress {
        Progress(Arc::new(f))
    }

    /// Reports `done` of `total`.
    pub(crate) fn report(&self, done: usize, total: usize) {
        (self.0)(done.min(total), total);
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}
