"""Warnings a reviewer should look at, computed per pair.

* ``missing-term``: a glossary term's English is not in the target (found
  by ``mt.glossary.find_term``: the house spelling, case-sensitive but
  with a capital first letter allowed at the start, whole words, any run of
  spaces), or the translator marked it ``missing`` and the target has not
  been edited since;
* ``length-ratio``: the pair's length ratio is far from the document's
  median: ``|r − median| > LENGTH_RATIO_THRESHOLD`` with
  ``r = log((en + 5) / (ar + 5))`` over non-space characters (the 5 damps
  short headlines); the threshold ``log 2`` means more than twice or less than
  half the usual ratio; a pair whose Arabic side has no Arabic letters (an
  English caption copied as it is) has no ratio and is never flagged;
* ``arabic-in-english``: Arabic letters (``mt.text.ARABIC_LETTER``) left
  in the English; Arabic-Indic digits and Arabic punctuation alone are not
  flagged;
* ``empty-side``: an empty Arabic or English side;
* ``number-mismatch``: a number (ASCII or Arabic-Indic digits, ``٫`` and
  ``.`` decimal points, thousands separators ignored) on one side that is
  not on the other;
* ``low-confidence``: an alignment confidence below ``LOW_CONFIDENCE``;
* ``rerun-changed``: a rerun of ``mt translate`` wrote other machine English
  for this reviewed pair (``Pair.rerun_target``), kept beside the reviewed
  one: approving, rejecting or editing the pair clears it.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass

from ..glossary import find_term
from ..text import ARABIC_LETTER, fold_digits, has_arabic
from ..types import TERM_MISSING, Pair, PairDocument, TermHit

MISSING_TERM = "missing-term"
LENGTH_RATIO = "length-ratio"
ARABIC_IN_ENGLISH = "arabic-in-english"
EMPTY_SIDE = "empty-side"
LOW_CONFIDENCE_FLAG = "low-confidence"
NUMBER_MISMATCH = "number-mismatch"
RERUN_CHANGED = "rerun-changed"
FLAG_CODES = (MISSING_TERM, LENGTH_RATIO, ARABIC_IN_ENGLISH, EMPTY_SIDE, LOW_CONFIDENCE_FLAG, NUMBER_MISMATCH, RERUN_CHANGED)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")

LENGTH_RATIO_THRESHOLD = math.log(2)
LENGTH_SMOOTHING = 5
LOW_CONFIDENCE = 0.5
TERM_ADDED = "added"  # a term the translator missed and a reviewer wrote in


@dataclass(frozen=True)
class Flag:
    """One warning on a pair: a code from ``FLAG_CODES`` and a sentence for the reviewer."""

    code: str
    message: str


def term_missing(term: TermHit, pair: Pair) -> bool:
    """Whether ``term`` should be in the pair's English and is not."""
    if not find_term(pair.target, term.en):
        return True
    return term.status == TERM_MISSING and pair.original_target is None


def term_state(term: TermHit, pair: Pair) -> str:
    """``missing`` when flagged so, ``added`` when a reviewer wrote in a term
    the machine English lacks, else the term's status."""
    if term_missing(term, pair):
        return TERM_MISSING
    if term.status == TERM_MISSING or (pair.original_target is not None and not find_term(pair.original_target, term.en)):
        return TERM_ADDED
    return term.status


def numbers(text: str) -> list[str]:
    """The numbers in ``text`` in ASCII digits, in order, once each:
    Arabic-Indic digits folded, ``٫`` read as a decimal point, thousands
    separators (``,`` ``٬``) dropped."""
    folded = fold_digits(text).replace("\u066b", ".").replace("\u066c", ",")
    found = []
    for match in _NUMBER.finditer(folded):
        number = match.group(0)
        if _THOUSANDS.fullmatch(number):
            number = number.replace(",", "")
        number = number.rstrip(".,")
        if number not in found:
            found.append(number)
    return found


def length_log_ratio(pair: Pair) -> float | None:
    """``log((en + 5) / (ar + 5))`` over non-space characters, or ``None``
    for an empty side or an Arabic side without Arabic letters (copied)."""
    if not has_arabic(pair.source):
        return None
    ar = sum(not c.isspace() for c in pair.source)
    en = sum(not c.isspace() for c in pair.target)
    if not ar or not en:
        return None
    return math.log((en + LENGTH_SMOOTHING) / (ar + LENGTH_SMOOTHING))


def median_log_ratio(pairs: tuple[Pair, ...] | list[Pair]) -> float | None:
    """The median length ratio of the pairs with both sides, or ``None``."""
    ratios = [r for r in map(length_log_ratio, pairs) if r is not None]
    return statistics.median(ratios) if ratios else None


def pair_flags(pair: Pair, median: float | None) -> tuple[Flag, ...]:
    """The flags of one pair, given its document's median length ratio."""
    flags: list[Flag] = []
    missing = []
    for term in pair.terms:
        if term.en not in missing and term_missing(term, pair):
            missing.append(term.en)
    if missing:
        flags.append(Flag(MISSING_TERM, "glossary term missing from the English: " + ", ".join(missing)))
    empty = [name for name, text in (("Arabic", pair.source), ("English", pair.target)) if not text.strip()]
    if empty:
        flags.append(Flag(EMPTY_SIDE, " and ".join(empty) + " side empty"))
    ratio = length_log_ratio(pair)
    if ratio is not None and median is not None and abs(ratio - median) > LENGTH_RATIO_THRESHOLD:
        factor = math.exp(ratio - median)
        if factor > 1:
            message = f"English {factor:.1f}× longer than usual for this Arabic"
        else:
            message = f"English {1 / factor:.1f}× shorter than usual for this Arabic"
        flags.append(Flag(LENGTH_RATIO, message))
    arabic = [word for word in pair.target.split() if ARABIC_LETTER.search(word)]
    if arabic:
        flags.append(Flag(ARABIC_IN_ENGLISH, "Arabic script in the English: " + " ".join(arabic[:3])))
    if pair.source.strip() and pair.target.strip() and has_arabic(pair.source):
        ar, en = numbers(pair.source), numbers(pair.target)
        for side, mine, other in (("Arabic", ar, en), ("English", en, ar)):
            lost = [n for n in mine if n not in other]
            if lost:
                where = "English" if side == "Arabic" else "Arabic"
                flags.append(Flag(NUMBER_MISMATCH, f"number in the {side} missing from the {where}: {', '.join(lost)}"))
    if pair.confidence is not None and pair.confidence < LOW_CONFIDENCE:
        flags.append(Flag(LOW_CONFIDENCE_FLAG, f"low alignment confidence ({pair.confidence:.2f})"))
    if pair.rerun_target is not None:
        flags.append(Flag(RERUN_CHANGED, f"a rerun's machine English differs: {pair.rerun_target}"))
    return tuple(flags)


def document_flags(document: PairDocument) -> dict[str, tuple[Flag, ...]]:
    """Flags of every pair, by pair id."""
    median = median_log_ratio(document.pairs)
    return {pair.id: pair_flags(pair, median) for pair in document.pairs}
