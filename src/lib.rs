//! bitext turns translations of the same document into a parallel corpus.
//!
//! The pipeline runs one way: [`read`] decodes input, [`segment`] splits it into
//! sentences (byte spans into the text, see [`doc::Document`]), [`align`] pairs the
//! sentences of two documents into beads with a calibrated confidence, and [`mod@write`]
//! prints them as TSV, vecalign beads, JSON Lines, TMX or Moses files. [`eval`] scores
//! alignments and segmentations against gold; [`batch`] runs many document pairs with rayon.
//!
//! ```
//! use bitext::{Aligner, Document, Segmenter};
//!
//! let seg = Segmenter::for_language("en");
//! let src = Document::segmented("Hello world. See you soon.".into(), &seg);
//! let seg = Segmenter::for_language("fr");
//! let tgt = Document::segmented("Bonjour le monde. À bientôt.".into(), &seg);
//! let alignment = Aligner::builder().build().unwrap().align(&src, &tgt);
//! assert_eq!(alignment.beads.len(), 2);
//! ```

pub mod align;
pub mod batch;
pub mod doc;
pub mod error;
pub mod eval;
pub mod features;
pub mod lang;
pub mod multi;
pub mod read;
pub mod segment;
pub mod write;

pub use align::{Aligner, AlignerBuilder, Alignment, Bead, Mode};
pub use doc::{Document, Sentence};
pub use error::{Error, Result};
pub use segment::Segmenter;
