"""Type stubs of the extension module ``bitext._bitext``; ``bitext`` re-exports it all."""

import os
from typing import Callable, Iterable, Iterator, Literal, Sequence, Union, final

_Side = Union[str, Sequence[str]]
_Path = Union[str, "os.PathLike[str]"]
_Progress = Callable[[int, int], object]
_BeadSides = Union[tuple[Sequence[int], Sequence[int]], tuple[Sequence[int], Sequence[int], float]]

__version__: str
__all__ = [
    "segment",
    "evaluate",
    "Sentence",
    "Bead",
    "Alignment",
    "Aligner",
    "AlignmentIterator",
    "__version__",
]

@final
class Sentence:
    """One sentence of a text: ``text[s.start:s.end] == s.text``."""

    @property
    def text(self) -> str:
        """The sentence, as it stands in the text."""
    @property
    def start(self) -> int:
        """Offset of its first character in the text, in characters (not bytes)."""
    @property
    def end(self) -> int:
        """Offset one past its last character, in characters."""
    @property
    def paragraph(self) -> int:
        """0-based index of its paragraph (paragraphs are separated by blank lines)."""

def segment(text: str, lang: str = "auto") -> list[Sentence]:
    """Split ``text`` into sentences.

    ``lang`` is an ISO 639 code (``"en"``, ``"pt-BR"``) or ``"auto"`` to detect the
    language. Raises ``ValueError`` for a malformed language code.
    """

@final
class Bead:
    """Consecutive source sentences aligned with consecutive target sentences.

    One side may be empty: a sentence the other document does not have.
    """

    @property
    def src(self) -> list[int]:
        """Source sentence indices (empty when the target sentences are unaligned)."""
    @property
    def tgt(self) -> list[int]:
        """Target sentence indices (empty when the source sentences are unaligned)."""
    @property
    def src_text(self) -> str:
        """The source sentences joined by a space (tabs and line breaks as spaces)."""
    @property
    def tgt_text(self) -> str:
        """The target sentences joined by a space."""
    @property
    def confidence(self) -> float:
        """Calibrated probability in [0, 1] that the bead is right."""
    @property
    def evidence(self) -> dict[str, float]:
        """The parts of the bead's score as log-likelihood ratios (positive favours the
        bead): ``length``, ``lexical``, ``numbers``, ``punctuation``."""

@final
class Alignment:
    """The result of ``Aligner.align``: a sequence of ``Bead`` that covers every sentence
    of both documents exactly once, in source order.

    ``len(alignment)``, ``alignment[i]`` and ``for bead in alignment`` work as on a list.
    The writers produce exactly what ``bitext align --format ...`` writes for the same
    input; their ``min_confidence`` defaults to the aligner's.
    """

    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> Bead: ...
    def __iter__(self) -> Iterator[Bead]: ...
    @property
    def src_lang(self) -> str:
        """The source language: the code given, or the one detected (``"und"`` when unsure)."""
    @property
    def tgt_lang(self) -> str:
        """The target language."""
    @property
    def mode(self) -> Literal["parallel", "comparable"]:
        """The mode of the aligner that made it."""
    @property
    def src_sentences(self) -> list[str]:
        """The source sentences that bead indices refer to."""
    @property
    def tgt_sentences(self) -> list[str]:
        """The target sentences that bead indices refer to."""
    @property
    def looks_comparable(self) -> bool:
        """In parallel mode, True when the documents look independently written rather than
        translated: consider ``Aligner(mode="comparable")``."""
    @property
    def band_capped(self) -> bool:
        """True when the search capped its band to stay in linear time and memory; uncertain
        passages may then be aligned less well than usual."""
    def pairs(self, min_confidence: float | None = None) -> list[tuple[str, str, float]]:
        """The aligned pairs ``(src_text, tgt_text, confidence)`` at or above
        ``min_confidence``; beads with an empty side are left out."""
    def to_tsv(
        self,
        min_confidence: float | None = None,
        include_unaligned: bool = False,
        header: bool = False,
    ) -> str:
        """``source<TAB>target<TAB>confidence`` lines, as ``bitext align --format tsv``."""
    def to_tmx(self, min_confidence: float | None = None) -> str:
        """A TMX 1.4b document, as ``bitext align --format tmx``."""
    def to_jsonl(
        self, min_confidence: float | None = None, include_unaligned: bool = False
    ) -> str:
        """One JSON object per bead (texts, byte spans, confidence, evidence), as
        ``bitext align --format jsonl``."""
    def to_beads(self) -> str:
        """vecalign's ``[i,j]:[k]:confidence`` lines, every bead, as
        ``bitext align --format beads``."""

@final
class AlignmentIterator(Iterator[Alignment]):
    """The results of ``Aligner.align_many``, in input order, each as soon as it is ready."""

    def __iter__(self) -> "AlignmentIterator": ...
    def __next__(self) -> Alignment: ...
    def __length_hint__(self) -> int: ...

@final
class Aligner:
    """Aligns the sentences of translated documents.

    ``mode``: ``"parallel"`` for translations of each other (a monotone alignment) or
    ``"comparable"`` for independently written documents (few pairs, crossings allowed).
    ``bead_types``: the bead types searched in parallel mode, as ``"1-1,1-0,0-1"``,
    ``["1-1", "1-0"]`` or ``[(1, 1), (1, 0)]``; 1-1 is required, each side 0 to 4
    (default: 1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4, 4-1, 2-3, 3-2).
    ``min_confidence``: the default threshold of ``Alignment.pairs`` and the writers.
    ``lexicon``: word-translation tables written by ``bitext align --lexicon-out``;
    ``dictionary``: bilingual dictionaries in hunalign's format (``target @ source``
    lines); each one path or a list. ``temperature``: the calibration temperature
    (positive; the default is the calibrated one).

    Raises ``ValueError`` for a configuration the CLI refuses, with its message. An
    aligner is immutable and can be shared between threads.
    """

    def __new__(
        cls,
        mode: Literal["parallel", "comparable"] = "parallel",
        bead_types: str | Iterable[str | tuple[int, int]] | None = None,
        min_confidence: float = 0.0,
        lexicon: _Path | Sequence[_Path] | None = None,
        dictionary: _Path | Sequence[_Path] | None = None,
        temperature: float | None = None,
    ) -> "Aligner": ...
    def align(
        self,
        src: _Side,
        tgt: _Side,
        src_lang: str = "auto",
        tgt_lang: str = "auto",
        progress: _Progress | None = None,
    ) -> Alignment:
        """Align ``src`` with ``tgt``.

        Each side is a str, segmented for you, or a list of str taken as its sentences
        (as ``bitext align --presegmented`` takes the lines of a file; here an item is
        one sentence even when empty or when it holds a line break). Languages are ISO
        639 codes or ``"auto"``. The GIL is released while it works.

        ``progress(done, total)``, when given, is called as the alignment goes on (every
        few thousand sentences of a long document), counted in sentences of both sides:
        ``done`` never goes back and the last call has ``done == total``. It runs with the
        GIL held, so keep it short. An exception it raises ends the calls and is raised by
        ``align`` once the alignment is done (the alignment is not cut short).
        """
    def align_many(
        self,
        pairs: Iterable[tuple[_Side, _Side] | tuple[_Side, _Side, str, str]],
        jobs: int | None = None,
        src_lang: str = "auto",
        tgt_lang: str = "auto",
        progress: _Progress | None = None,
    ) -> AlignmentIterator:
        """Align many document pairs in parallel, on ``jobs`` threads (one per core when
        None; more than 4 per core are capped with a ``UserWarning``), with the GIL
        released.

        ``pairs`` holds ``(src, tgt)`` tuples, or ``(src, tgt, src_lang, tgt_lang)`` to
        override the languages. Yields each ``Alignment`` in input order as soon as it
        and those before it are done; a pair that fails raises its error when its turn
        comes. The input is read (and checked) before the call returns.

        ``progress(done, total)``, when given, is called from the worker threads, one call
        at a time, counted in sentences over every pair (every pair is segmented before
        the first is aligned, to know the total): ``done`` never goes back and the last
        call has ``done == total``. An exception it raises ends the calls and is raised by
        the iterator's next step.
        """

def evaluate(
    gold: str | Alignment | Iterable[_BeadSides | Bead],
    test: str | Alignment | Iterable[_BeadSides | Bead],
) -> dict[str, float]:
    """Score ``test`` against ``gold`` as vecalign's scorer does.

    Each side is bead-format text (``[0,1]:[2]`` lines, as ``Alignment.to_beads()``
    writes), a list of ``(src indices, tgt indices)`` or an ``Alignment``. Returns
    ``precision_strict``, ``recall_strict``, ``f1_strict``, ``precision_lax``,
    ``recall_lax`` and ``f1_lax``. Strict: the identical bead is in the gold; lax: the
    bead shares a (source, target) sentence pair with a gold bead. Raises ``ValueError``
    for malformed or empty input, or indices beyond the sentences the other side covers.
    """
