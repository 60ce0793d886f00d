//! Language detection. (Placeholder: replaced by the real detector.)

/// Guesses the ISO 639-1 code of `text`'s language, or `None` when unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    let _ = text;
    None
}
