"""Scoring a stage against gold data: segment boundaries, sentence alignments."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
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


# ---- sentence alignment (strict and lax P/R/F1 as in vecalign's score.py) ----

_FINAL_PUNCT = ".!?\u061f\u2026"
_FINAL_CLOSERS = "\"'\u00bb\u201d\u2019)]"


def running_text(lines: Iterable[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join line-aligned corpus lines (NTREX) as an article has them: a space
    after a line ending in sentence-final punctuation (and any closing quotes
    or brackets), a line break after one that does not (a headline).

    Returns the text and the ``(start, end)`` span of each (stripped) line.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in lines:
        line = line.strip()
        spans.append((pos, pos + len(line)))
        bare = line.rstrip(_FINAL_CLOSERS)
        sep = " " if bare and bare[-1] in _FINAL_PUNCT else "\n"
        parts += [line, sep]
        pos += len(line) + len(sep)
    return "".join(parts), spans


def line_alignment_gold(
    src_segments: Sequence[tuple[int, int]],
    tgt_segments: Sequence[tuple[int, int]],
    src_lines: Sequence[tuple[int, int] | None],
    tgt_lines: Sequence[tuple[int, int] | None],
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Gold sentence alignment of two segmented texts whose lines correspond
    (line k of one side translates line k of the other).

    Arguments are ``(start, end)`` spans: of the segments and of the lines of
    each side, in text order; a line span is ``None`` where that side lacks
    the line (a deletion).  The segments of line k on both sides form one gold
    block (a line holding two sentences gives a 2-1 block); lines that a
    segment runs across are merged into one block; segments whose line has
    no counterpart are 1-0 or 0-1 blocks, one a segment.
    """
    if len(src_lines) != len(tgt_lines):
        raise ValueError(f"{len(src_lines)} source lines but {len(tgt_lines)} target lines")
    parent = list(range(len(src_lines)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def lines_of(segments, lines) -> list[list[int]]:
        present = [(span[0], k) for k, span in enumerate(lines) if span is not None]
        starts = [a for a, _ in present]
        out = []
        for start, end in segments:
            first = max(0, bisect.bisect_right(starts, start) - 1)
            last = max(first, bisect.bisect_left(starts, end) - 1)
            out.append([present[x][1] for x in range(first, last + 1)] if present else [0])
        return out

    src_of = lines_of(src_segments, src_lines)
    tgt_of = lines_of(tgt_segments, tgt_lines)
    for touched in src_of + tgt_of:
        for line in touched[1:]:
            parent[find(line)] = find(touched[0])
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for side, segs in ((0, src_of), (1, tgt_of)):
        for index, touched in enumerate(segs):
            groups.setdefault(find(touched[0]), ([], []))[side].append(index)
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for _, (src, tgt) in sorted(groups.items()):
        if src and tgt:
            gold.append((tuple(src), tuple(tgt)))
        else:
            gold += [((i,), ()) for i in src] + [((), (j,)) for j in tgt]
    return gold


def _blocks(alignment: Iterable) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """``(src, tgt)`` index tuples of each block; anything iterable as two
    index sequences works (``mt.align.Alignment``, tuples, lists)."""
    out = set()
    for src, tgt in alignment:
        src, tgt = tuple(src), tuple(tgt)
        if src or tgt:
            out.add((src, tgt))
    return out


def _alignment_counts(gold: set, test: set) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of the ``test`` blocks.

    A test block is a strict hit when ``gold`` holds it; a lax hit when one
    of its source sentences is aligned in ``gold`` to one of its target
    sentences.
    """
    gold_targets: dict[int, set[int]] = {}
    for src, tgt in gold:
        for s in src:
            gold_targets.setdefault(s, set()).update(tgt)
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for src, tgt in test:
        if (src, tgt) in gold:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        linked = set()
        for s in src:
            linked |= gold_targets.get(s, set())
        if linked & set(tgt):
            lax_hit += 1
        else:
            lax_miss += 1
    return strict_hit, strict_miss, lax_hit, lax_miss


@dataclass(frozen=True)
class AlignmentScore:
    """Strict and lax precision/recall counts of a sentence alignment.

    Defined as in vecalign's ``score.py`` (after Sennrich & Volk 2011):
    precision counts every predicted block, insertions and deletions too;
    recall counts the gold blocks with both sides non-empty against the
    predicted blocks with both sides non-empty.  Counts add up over
    documents (``+``), so totals are computed on the pooled counts.
    """

    p_strict: tuple[int, int] = (0, 0)  # (hits, misses) of predicted blocks
    p_lax: tuple[int, int] = (0, 0)
    r_strict: tuple[int, int] = (0, 0)  # (hits, misses) of gold blocks
    r_lax: tuple[int, int] = (0, 0)

    def __add__(self, other: AlignmentScore) -> AlignmentScore:
        def add(x, y):
            return (x[0] + y[0], x[1] + y[1])

        return AlignmentScore(
            add(self.p_strict, other.p_strict),
            add(self.p_lax, other.p_lax),
            add(self.r_strict, other.r_strict),
            add(self.r_lax, other.r_lax),
        )

    @staticmethod
    def _ratio(counts: tuple[int, int]) -> float:
        hits, misses = counts
        return hits / (hits + misses) if hits + misses else 0.0

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def precision_strict(self) -> float:
        return self._ratio(self.p_strict)

    @property
    def recall_strict(self) -> float:
        return self._ratio(self.r_strict)

    @property
    def f1_strict(self) -> float:
        return self._f1(self.precision_strict, self.recall_strict)

    @property
    def precision_lax(self) -> float:
        return self._ratio(self.p_lax)

    @property
    def recall_lax(self) -> float:
        return self._ratio(self.r_lax)

    @property
    def f1_lax(self) -> float:
        return self._f1(self.precision_lax, self.recall_lax)


def score_alignment(gold: Iterable, test: Iterable) -> AlignmentScore:
    """Strict and lax counts of ``test`` against ``gold`` (see ``AlignmentScore``)."""
    gold_set, test_set = _blocks(gold), _blocks(test)
    ps, pm, ls, lm = _alignment_counts(gold_set, test_set)
    gold_both = {(s, t) for s, t in gold_set if s and t}
    test_both = {(s, t) for s, t in test_set if s and t}
    rs, rm, rls, rlm = _alignment_counts(test_both, gold_both)
    return AlignmentScore((ps, pm), (ls, lm), (rs, rm), (rls, rlm))
