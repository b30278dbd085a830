"""Finding a glossary term's English form in English text.

One definition serves enforcement, scoring and review: the form's words, in
order, separated by any run of whitespace, not inside a longer word (the
character before is not a letter, digit or underscore, nor the one after);
so "Assad's", "Assad-led" and "al-Assad" hold "Assad", "Assadist" does not.
Case-sensitive search (the house spelling) still accepts a capitalised first
letter at the start of the text ("Kremlin" opening a sentence for "kremlin").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..types import TERM_MISSING, TERM_PRODUCED

_WORD_CHAR = re.compile(r"\w")


def joins_word(text: str) -> bool:
    """Whether ``text``, written right after a term, would extend its last
    word, so the term would no longer be found (a letter, digit or _)."""
    return bool(_WORD_CHAR.match(text))


@lru_cache(maxsize=4096)
def term_pattern(en: str, case_sensitive: bool = True) -> re.Pattern[str]:
    """The regular expression that finds ``en`` as whole words."""
    body = r"\s+".join(re.escape(word) for word in en.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", 0 if case_sensitive else re.IGNORECASE)


def find_term(text: str, en: str, *, case_sensitive: bool = True) -> list[tuple[int, int]]:
    """Character spans of ``en`` in ``text`` (see the module docstring)."""
    if not en.split():
        return []
    spans = [m.span() for m in term_pattern(en, case_sensitive).finditer(text)]
    capital = en[:1].upper() + en[1:]
    if case_sensitive and capital != en:
        opening = term_pattern(capital, True).match(text)
        if opening:
            spans.insert(0, opening.span())
    return spans


def find_terms(text: str, forms: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Character spans of each English form in ``text`` (``find_term``:
    whole words, house spelling), longest forms first, never overlapping, so
    "Assad" inside "Bashar al-Assad" is not counted again."""
    taken: list[tuple[int, int]] = []
    found: dict[str, list[tuple[int, int]]] = {}
    for form in sorted(set(forms), key=len, reverse=True):
        spans = [(a, b) for a, b in find_term(text, form) if not any(x < b and a < y for x, y in taken)]
        found[form] = spans
        taken.extend(spans)
    return found


def check_statuses(text: str, forms: Sequence[str], statuses: Sequence[str], *, found_is_produced: bool = False) -> tuple[str, ...]:
    """Each term's status (English form ``forms[k]``, status ``statuses[k]``)
    checked against ``text``, occurrences counted (``find_terms``): a term
    not there becomes ``missing``, one there keeps its status.  A ``missing``
    term stays so, unless ``found_is_produced`` (a reviewer's edit: a term
    written in counts as ``produced``)."""
    available = {form: len(spans) for form, spans in find_terms(text, forms).items()}
    result = []
    for form, status in zip(forms, statuses):
        if status == TERM_MISSING and not found_is_produced:
            result.append(TERM_MISSING)
        elif available.get(form, 0) > 0:
            available[form] -= 1
            result.append(TERM_PRODUCED if status == TERM_MISSING else status)
        else:
            result.append(TERM_MISSING)
    return tuple(result)
