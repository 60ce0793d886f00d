//! Segmentation scoring. (Placeholder.)
