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
from functools import lru_cache


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
