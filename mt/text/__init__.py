"""Text: the first stage, and the safe file handling every stage shares.

Takes article files (UTF-8, or a legacy encoding when asked) and gives their
decoded text (``read_articles``, ``read_text``), Arabic normalised for
matching with an offset map back to the original (``normalize_arabic``),
and sentence segments with offsets (``split_sentences`` → ``Segment``) by
rules kept as data (``SEGMENTATION_RULES``), which ``write_srx`` writes as
SRX 2.0 or as OmegaT's ``segmentation.conf`` for CAT tools.
Outputs of every stage are written here too, atomically
(``write_text_atomic``, ``atomic_writer``).
"""

from __future__ import annotations

from .files import (
    Article,
    atomic_writer,
    check_article_text,
    check_encoding,
    check_output_dir,
    decode_text,
    ensure_dir,
    find_articles,
    find_mojibake,
    held_lock,
    read_articles,
    read_bytes,
    read_text,
    remove_stale_temporaries,
    warn_skipped,
    write_bytes_atomic,
    write_text_atomic,
)
from .normalize import (
    ARABIC_LETTER,
    Normalized,
    fold_digits,
    folding_map,
    has_arabic,
    normalize_arabic,
    normalize_text,
)
from .segment import SEGMENTATION_RULES, SegmentationRule, find_breaks, split_lines, split_sentences
from .srx import omegat_segmentation, read_srx_rules, srx_document, write_srx

__all__ = [
    "ARABIC_LETTER",
    "SEGMENTATION_RULES",
    "Article",
    "Normalized",
    "SegmentationRule",
    "atomic_writer",
    "check_article_text",
    "check_encoding",
    "check_output_dir",
    "decode_text",
    "ensure_dir",
    "find_articles",
    "find_breaks",
    "find_mojibake",
    "fold_digits",
    "folding_map",
    "has_arabic",
    "held_lock",
    "normalize_arabic",
    "normalize_text",
    "omegat_segmentation",
    "read_articles",
    "read_bytes",
    "read_srx_rules",
    "read_text",
    "remove_stale_temporaries",
    "warn_skipped",
    "split_lines",
    "split_sentences",
    "srx_document",
    "write_bytes_atomic",
    "write_srx",
    "write_text_atomic",
]
