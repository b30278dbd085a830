"""Scoring a stage against gold data: segment boundaries, sentence alignments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts they come from."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def compare_sets(predicted: Iterable, gold: Iterable) -> PRF:
    """Count true positives, false positives and false negatives of two sets."""
    pred, ref = set(predicted), set(gold)
    return PRF(tp=len(pred & ref), fp=len(pred - ref), fn=len(ref - pred))
