//! Integration tests: write.
