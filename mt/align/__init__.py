"""Alignment: pair an Arabic article with an existing English translation.

Takes the two texts (or their ``Segment`` lists) and gives ``Alignment``
blocks (1-0 … 2-2, 1-3, 3-1, each with a confidence) from a dynamic
programme over length and bridge features (:mod:`.dp`, :mod:`.features`),
and the ``Pair``/``PairDocument`` that ``mt align`` writes
(:mod:`.documents`).  Machine translation of the Arabic, a feature when it
is given, comes in as a ``Translate`` function (``mt.translate.model_translator``
makes one from a model): alignment knows nothing of models.  Also the inputs
of ``mt glossary suggest``, articles aligned with their English
(``read_documents``, :mod:`.inputs`).
"""

from __future__ import annotations

from .documents import (
    UNRELATED_GAP,
    AlignedDocument,
    Relatedness,
    align_files,
    align_segmented,
    align_texts,
    alignment_document,
    alignment_pairs,
    alignment_summary,
    check_output_path,
    relatedness,
)
from .dp import MOVES, Alignment, AlignOptions, align_segments, confidence
from .features import Lexicon, Translate
from .inputs import read_documents

__all__ = [
    "MOVES",
    "UNRELATED_GAP",
    "Relatedness",
    "AlignOptions",
    "AlignedDocument",
    "Alignment",
    "Lexicon",
    "Translate",
    "align_files",
    "align_segmented",
    "align_segments",
    "align_texts",
    "alignment_document",
    "alignment_pairs",
    "alignment_summary",
    "check_output_path",
    "confidence",
    "read_documents",
    "relatedness",
]
