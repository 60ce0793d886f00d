//! Alignment scoring. (Placeholder.)
