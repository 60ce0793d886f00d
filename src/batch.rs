//! Batch runs over many document pairs. (Placeholder: the runner is to be written.)

use crate::doc::Document;
use crate::segment::Segmenter;

/// Turns a text into a document: detects the language when `lang` is `auto`, then
/// segments it (or takes one sentence per line when `presegmented`).
pub fn prepare(text: String, lang: &str, presegmented: bool) -> Document {
    let lang = if lang == "auto" {
        crate::lang::detect(&text).unwrap_or("und")
    } else {
        lang
    };
    if presegmented {
        Document::presegmented(text, lang)
    } else {
        Document::segmented(text, &Segmenter::for_language(lang))
    }
}
