"""Term accuracy: does an English text use the glossary's spelling of each term?

The definition follows the exact-match accuracy of the WMT 2021 shared task on
machine translation using terminologies (Alam et al., 2021; the task's
``evaluate_term_wmt.py``): every occurrence of a glossary term in the source
is one trial, and it counts as correct when the term's canonical English form
occurs in the English text at a position not already claimed by an earlier
trial, so a term that occurs twice in the source must appear twice.

The task matched space-delimited tokens of tokenised text, with a lemmatised
retry; our texts are detokenised and we use no lemmatiser, so a term is found
as :func:`mt.glossary.find_term` finds it, the one definition that
enforcement and review use too:

* a match must start and end at a word boundary: the characters either side
  of it must not be letters, digits or ``_``.  "Assad's" and "al-Assad"
  therefore contain "Assad" (as the task's tokenised or lemmatised text did),
  but "Assadist" does not;
* any run of whitespace in the English text matches a space of the term;
* matching ignores case unless ``case_sensitive`` is asked for (the task's
  lemmatised retry was lenient in the same way; a headline in capitals
  keeps its names); case-sensitive matching still accepts a capitalised
  first letter at the start of a segment ("Kremlin" for "kremlin").

Nothing else is normalised: "Asad" is a miss for "Assad".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..glossary import find_term


class _Entry(Protocol):
    en: str


class _Match(Protocol):
    text: str
    entry: _Entry


class GlossaryLike(Protocol):
    """What term accuracy needs of ``mt.glossary.Glossary``."""

    def match(self, text: str) -> Sequence[_Match]: ...


@dataclass(frozen=True)
class SourceTerm:
    """A glossary term found in a source segment: Arabic as written, canonical English."""

    source: str
    en: str


@dataclass(frozen=True)
class TermMiss:
    """A source term whose canonical English is absent from segment ``segment``."""

    segment: str
    source: str
    en: str


@dataclass(frozen=True)
class TermAccuracy:
    """Of ``total`` source term occurrences, ``correct`` were found; the rest are ``misses``."""

    total: int
    correct: int
    misses: tuple[TermMiss, ...] = ()

    @property
    def accuracy(self) -> float | None:
        """The fraction correct, or ``None`` when the source holds no term."""
        return self.correct / self.total if self.total else None


def find_source_terms(sources: Sequence[str], glossary: GlossaryLike) -> tuple[tuple[SourceTerm, ...], ...]:
    """The glossary terms of each source segment, in source order."""
    return tuple(
        tuple(SourceTerm(source=m.text, en=m.entry.en) for m in glossary.match(text)) for text in sources
    )


def _segment_hits(terms: Sequence[SourceTerm], text: str, case_sensitive: bool) -> list[bool]:
    """For each term occurrence, whether it is found at a position not yet
    claimed by an earlier occurrence (WMT21: a term twice in the source must
    be there twice)."""
    claimed: set[int] = set()
    hits = []
    for term in terms:
        start = next(
            (s for s, _ in find_term(text, term.en, case_sensitive=case_sensitive) if s not in claimed), None
        )
        if start is not None:
            claimed.add(start)
        hits.append(start is not None)
    return hits


def check_terms(
    source_terms: Sequence[Sequence[SourceTerm]],
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    case_sensitive: bool = False,
) -> TermAccuracy:
    """Term accuracy of English ``texts`` given the terms of their sources."""
    if len(source_terms) != len(texts):
        raise ValueError(f"{len(source_terms)} source segments but {len(texts)} English segments")
    ids = [str(i) for i in range(len(texts))] if ids is None else ids
    total = correct = 0
    misses: list[TermMiss] = []
    for seg_id, terms, text in zip(ids, source_terms, texts):
        for term, hit in zip(terms, _segment_hits(terms, text, case_sensitive)):
            total += 1
            if hit:
                correct += 1
            else:
                misses.append(TermMiss(segment=seg_id, source=term.source, en=term.en))
    return TermAccuracy(total=total, correct=correct, misses=tuple(misses))


def term_accuracy(
    sources: Sequence[str],
    hyps: Sequence[str],
    glossary: GlossaryLike,
    ids: Sequence[str] | None = None,
    *,
    case_sensitive: bool = False,
) -> TermAccuracy:
    """Match ``glossary`` in the Arabic ``sources`` and check each term in ``hyps``."""
    return check_terms(find_source_terms(sources, glossary), hyps, ids, case_sensitive=case_sensitive)
