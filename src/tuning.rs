//! What the development tools reach beyond the public API: the bead-score weights and the
//! features for `examples/tune.rs` and `examples/diagnose.rs`, the batch runner for
//! `benches/batch.rs`. Built only with the `tuning` feature and hidden from the docs: these
//! are the aligner's internals, and they change without notice.

pub use crate::align::confidence::UNBUILT_PRIOR;
pub use crate::align::evidence::Weights;
pub use crate::align::{DEFAULT_TEMPERATURE, features_of};
#[cfg(feature = "cli")]
pub use crate::batch::{BatchOptions, Job, Pair, ProgressEvent, run as run_batch};
