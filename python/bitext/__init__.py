"""Sentence segmentation and sentence alignment of translated documents.

>>> import bitext
>>> aligner = bitext.Aligner()
>>> alignment = aligner.align("Hello world. See you soon.", "Bonjour le monde. À bientôt.")
>>> [(b.src, b.tgt) for b in alignment]
[([0], [0]), ([1], [1])]

The work is done in Rust (the ``bitext`` crate); long calls release the GIL.
"""

from ._bitext import (
    Aligner,
    Alignment,
    AlignmentIterator,
    Bead,
    Sentence,
    __version__,
    evaluate,
    segment,
)

__all__ = [
    "Aligner",
    "Alignment",
    "AlignmentIterator",
    "Bead",
    "Sentence",
    "__version__",
    "evaluate",
    "segment",
]
