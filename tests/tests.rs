//! The integration tests: one binary, one module per area.

mod align;
mod align_many;
mod batch;
mod cli;
mod cli_faults;
mod comparable;
mod eval;
mod lexicon;
mod read;
mod regression;
mod report;
mod segment;
mod util;
mod write;
