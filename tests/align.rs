//! Integration tests: align.
