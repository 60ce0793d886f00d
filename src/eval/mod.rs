//! Scoring against gold: alignments ([`align`]) and segmentations ([`seg`]).

pub mod align;
pub mod seg;
