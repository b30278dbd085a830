"""Add to the glossary from the review page.

The reviewer selects an Arabic name in a pair (and, optionally, its English),
checks the type and English in a small form and saves: the entry goes into
the glossary through the same locked write as ``mt glossary add``
(``mt.glossary.add_entry``), refused with its message when it conflicts, and
the document's pairs get the new entry's terms (``add_new_terms``), so the
page highlights them at once.

Which glossary: ``mt review --glossary FILE``, else the one the JSON was
translated with (``meta.glossary.path``) when that file is there, else the
house glossary (``glossary/entities.tsv``) when it is there
(``review_glossary``); with none, adding is refused with how to give one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..glossary import DEFAULT_PATH, Entry, Glossary, find_term
from ..types import TERM_MISSING, TERM_PRODUCED, PairDocument, TermHit
from .actions import MAX_ID, InvalidRequest, bump_version, term_places

MAX_FORM = 200  # characters of a form in the add-to-glossary form
_KEYS = frozenset({"version", "ar", "en", "type", "id"})


@dataclass(frozen=True)
class Addition:
    """One add-to-glossary request: the entry's fields, the version the page saw, the pair it came from."""

    version: int
    ar: str
    en: str
    type: str
    pair_id: str | None = None


def parse_addition(body: Any) -> Addition:
    """Check a decoded request ``{"version": N, "ar": …, "en": …, "type": …, "id": …}`` (``id`` optional)."""
    if not isinstance(body, Mapping):
        raise InvalidRequest(f"expected a JSON object, found {type(body).__name__}")
    extra = sorted(set(body) - _KEYS)
    if extra:
        raise InvalidRequest(f"unexpected key {extra[0]!r} for adding to the glossary")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise InvalidRequest("'version' must be a non-negative integer (the version the page last saw)")
    fields = {}
    for key in ("ar", "en", "type"):
        value = body.get(key)
        if not isinstance(value, str) or len(value) > MAX_FORM:
            raise InvalidRequest(f"'{key}' must be a string of at most {MAX_FORM} characters")
        fields[key] = value
    pair_id = body.get("id")
    if pair_id is not None and (not isinstance(pair_id, str) or not 0 < len(pair_id) <= MAX_ID):
        raise InvalidRequest(f"'id' must be a pair id (a string of 1–{MAX_ID} characters)")
    return Addition(version=version, pair_id=pair_id, **fields)


def review_glossary(meta: Mapping, given: Path | str | None = None) -> Path | None:
    """The glossary the review page adds to (see the module docstring)."""
    if given is not None:
        return Path(given)
    recorded = meta.get("glossary")
    path = recorded.get("path") if isinstance(recorded, Mapping) else None
    if isinstance(path, str) and path and Path(path).is_file():
        return Path(path)
    return DEFAULT_PATH if DEFAULT_PATH.is_file() else None


def add_new_terms(document: PairDocument, glossary: Glossary, entry: Entry) -> tuple[PairDocument, int]:
    """``document`` with the terms of the new ``entry`` (its full form and, for
    a person, its short form after it) added to the pairs where the glossary,
    matched over the whole document, finds it and no term is there yet, its
    version counted up; and how many were added (``with_terms``)."""
    pairs, added = with_terms(document, glossary, entry)
    return bump_version(document, pairs), added


def with_terms(document: PairDocument, glossary: Glossary, entry: Entry | None = None) -> tuple[tuple, int]:
    """The pairs of ``document`` with the glossary's terms (``entry``'s
    alone, when given) where it finds them, matched over the whole document,
    and no term is there yet; and how many were added.  A new term is
    ``produced`` when its English is in the pair's English, else ``missing``
    (flagged for the reviewer).  The page shows every file so, a file of
    ``mt align`` (which records no terms) included."""
    pairs = document.pairs
    short_forms = document.meta.get("short_forms", True) is not False  # as mt translate matched this file
    found = glossary.match_document([pair.source for pair in pairs], short_forms=short_forms)
    added = 0
    new_pairs = []
    for pair, matches in zip(pairs, found):
        taken = [(place, place + len(term.source)) for term, place in zip(pair.terms, term_places(pair)) if place is not None]
        offset = pair.source_start or 0
        hits = []
        for m in matches:
            if entry is not None and entry.id not in (m.entry.id, m.via):
                continue
            if any(a < m.end and m.start < b for a, b in taken):
                continue
            taken.append((m.start, m.end))
            status = TERM_PRODUCED if find_term(pair.target, m.entry.en) else TERM_MISSING
            hits.append(TermHit(m.text, offset + m.start, offset + m.end, m.entry.en, m.entry.id, status, via=m.via))
        if hits:
            pair = dataclasses.replace(pair, terms=pair.terms + tuple(hits))
            added += len(hits)
        new_pairs.append(pair)
    return tuple(new_pairs), added
