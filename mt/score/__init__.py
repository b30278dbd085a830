"""Scoring: a hypothesis against one or more references.

Takes the hypothesis and references as plain text (a line or an article a
file) or as pairs (``mt translate``/``mt align`` JSON, TMX), pairs them
(exactly, or by alignment when the counts differ: :mod:`.inputs`), and gives
an ``Evaluation``: sacrebleu's BLEU, chrF, chrF++ and TER with signatures,
sentence scores, a paired comparison of two systems (:mod:`.metrics`), and
glossary term accuracy (:mod:`.terms`).  :mod:`.report` prints it, as JSON,
as a CSV of segments, or as tables.
"""

from __future__ import annotations

from .inputs import ScoredSide, ScoringSet, build_scoring_set, load_segments
from .metrics import (
    METRICS,
    Comparison,
    Evaluation,
    MetricComparison,
    ScoreReport,
    SegmentScore,
    evaluate,
    paired_significance,
    score_corpus,
    sentence_scores,
)
from .report import (
    check_segments_path,
    evaluation_to_dict,
    print_evaluation,
    write_segments_csv,
)
from .terms import TermAccuracy, check_terms, find_source_terms, term_accuracy

__all__ = [
    "METRICS",
    "Comparison",
    "Evaluation",
    "MetricComparison",
    "ScoreReport",
    "ScoredSide",
    "ScoringSet",
    "SegmentScore",
    "TermAccuracy",
    "build_scoring_set",
    "check_segments_path",
    "check_terms",
    "evaluate",
    "evaluation_to_dict",
    "find_source_terms",
    "load_segments",
    "paired_significance",
    "print_evaluation",
    "score_corpus",
    "sentence_scores",
    "term_accuracy",
    "write_segments_csv",
]
