"""Arabic-aware matching of glossary terms (see :mod:`.entries` for the
rules): an index of every entry's forms by first word, tried at each word
start through the proclitics, longest match first.  ``match_document``
matches the segments of one document together, adding the short forms of
the people it has named (:mod:`.shortforms`)."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import GlossaryError
from ..text import Normalized, normalize_arabic
from .common import is_ambiguous
from .entries import (
    FATAL_KINDS,
    Entry,
    Problem,
    TermMatch,
    find_problems,
    fold_marks,
    form_key,
    format_glossary,
    parse_glossary,
    read_glossary_file,
)
from .shortforms import ShortForm, matchable_keys, short_form

log = logging.getLogger(__name__)

_ALEF, _LAM = "\u0627", "\u0644"
_ARTICLE = _ALEF + _LAM  # ال after normalisation
_WAW, _FEH, _BEH, _KAF = "\u0648", "\u0641", "\u0628", "\u0643"
# Proclitic sequences allowed before a term (normalised letters).
_CONJUNCTIONS = ("", _WAW, _FEH)
_CLITICS = frozenset(c + p for c in _CONJUNCTIONS for p in ("", _BEH, _LAM, _KAF))
_CLITICS_BEFORE_ARTICLE = frozenset(c + p for c in _CONJUNCTIONS for p in ("", _BEH, _KAF))
_CLITICS_BEFORE_DROPPED_ALEF = frozenset(c + _LAM for c in _CONJUNCTIONS)  # لل ولل فلل
_MAX_CLITIC = max(map(len, _CLITICS))

_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits


@dataclass(frozen=True)
class _Form:
    """One matchable form: its first word is the index key, ``tail`` matches the rest."""

    entry: Entry
    length: int
    tail: re.Pattern | None
    clitics: frozenset[str]


def _tail_pattern(rest: str) -> re.Pattern | None:
    """Compile the part of a form after its first word, with the closing word boundary."""
    if not rest:
        return None
    pieces = [r"\s+" if piece.isspace() else re.escape(piece) for piece in re.split(r"(\s+)", rest) if piece]
    return re.compile("".join(pieces) + r"(?![^\W_])")


def _build_index(entries: Iterable[Entry]) -> dict[str, tuple[_Form, ...]]:
    index: dict[str, list[_Form]] = {}
    taken: set[str] = set()
    for entry in entries:
        for form in entry.forms:
            key = form_key(form)
            if key in taken:
                continue  # an earlier entry owns this form (see find_problems)
            taken.add(key)
            first = _WORD.match(key)
            if first is None:
                continue
            word, tail = first.group(), _tail_pattern(key[first.end():])
            if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE):
                index.setdefault(word, []).append(_Form(entry, len(key), tail, _CLITICS_BEFORE_ARTICLE))
                index.setdefault(word[1:], []).append(_Form(entry, len(key) - 1, tail, _CLITICS_BEFORE_DROPPED_ALEF))
            else:
                index.setdefault(word, []).append(_Form(entry, len(key), tail, _CLITICS))
    return {word: tuple(sorted(forms, key=lambda f: -f.length)) for word, forms in index.items()}


_Candidate = tuple[int, int, int, Entry]  # start, end, clitic length, entry (normalised text)


def _candidates(text: str, index: dict[str, tuple[_Form, ...]]) -> Iterator[_Candidate]:
    """Yield every form that matches at a word start of the normalised ``text``."""
    for word_match in _WORD.finditer(text):
        start, word_end = word_match.span()
        word = word_match.group()
        for k in range(min(_MAX_CLITIC, len(word) - 1) + 1):
            clitic = word[:k]
            if clitic not in _CLITICS:
                break  # the clitic set is closed under prefixes
            for form in index.get(word[k:], ()):
                if clitic not in form.clitics:
                    continue
                if form.tail is None:
                    yield start, word_end, k, form.entry
                else:
                    tail = form.tail.match(text, word_end)
                    if tail is not None:
                        yield start, tail.end(), k, form.entry


def _select(candidates: Iterable[_Candidate], size: int) -> list[_Candidate]:
    """Keep the longest candidates that do not overlap (fewer clitics first), in text order."""
    taken = bytearray(size)
    chosen = []
    for cand in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        start, end = cand[0], cand[1]
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c[0])


def _short_index(entries: Sequence[Entry]) -> tuple[dict[str, tuple[_Form, ...]], dict[str, tuple[ShortForm, ...]]]:
    """The index of the entries' short forms (each a stand-in entry whose
    ``ar`` is the normalised surname) and the entries that share each one."""
    taken = {form_key(form) for entry in entries for form in entry.forms}
    owners: dict[str, list[ShortForm]] = {}
    for entry in entries:
        short = short_form(entry)
        if short is not None:
            for key in matchable_keys(short, taken):
                owners.setdefault(key, []).append(short)
    index = _build_index(Entry(ar=key, en="", type="PER") for key in owners)
    return index, {key: tuple(shorts) for key, shorts in owners.items()}


def _first_of(problems: list[Problem], where: Path | str) -> str:
    more = f" (and {len(problems) - 1} more; run 'mt glossary check')" if len(problems) > 1 else ""
    return problems[0].format(where) + more


def _term_match(norm: Normalized, cand: _Candidate) -> TermMatch:
    """A candidate on normalised text as a match on the original text."""
    start, end, clitic_len, entry = cand
    o_start, o_end = norm.to_original(start, end)
    term_start = norm.starts[start + clitic_len]
    text = norm.original
    return TermMatch(o_start, o_end, text[o_start:o_end], entry, text[o_start:term_start])


class Glossary:
    """An immutable, loaded glossary with a precompiled matcher."""

    __slots__ = ("_by_id", "_entries", "_index", "_path", "_sha256", "_short_index", "_short_owners")

    def __init__(self, entries: Iterable[Entry], path: Path | str | None = None, sha256: str | None = None):
        """Build from entries; duplicates and conflicts raise ``GlossaryError``."""
        self._entries = tuple(entries)
        self._path = Path(path) if path is not None else None
        where = self._path if self._path is not None else "glossary"
        problems = find_problems(self._entries)
        fatal = sorted((p for p in problems if p.kind in FATAL_KINDS), key=lambda p: p.line)
        if fatal:
            raise GlossaryError(_first_of(fatal, where))
        for problem in problems:
            log.warning("%s", problem.format(where))
        if sha256 is None:
            sha256 = hashlib.sha256(format_glossary(self._entries).encode("utf-8")).hexdigest()
        self._sha256 = sha256
        self._index = _build_index(self._entries)
        self._by_id = {entry.id: entry for entry in self._entries}
        self._short_index, self._short_owners = _short_index(self._entries)

    @classmethod
    def load(cls, path: Path | str) -> Glossary:
        """Read and check a glossary file; raise ``GlossaryError`` ``path:LINE: problem``."""
        path = Path(path)
        data, text = read_glossary_file(path)
        entries, problems = parse_glossary(text)
        if problems:
            raise GlossaryError(_first_of(problems, path))
        return cls(entries, path=path, sha256=hashlib.sha256(data).hexdigest())

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._entries

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def sha256(self) -> str:
        """Hex digest of the file bytes (of the TSV text when built from entries)."""
        return self._sha256

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __contains__(self, ar: object) -> bool:
        return ar in self._by_id

    def get(self, ar: str) -> Entry | None:
        """The entry whose id (canonical Arabic form) is ``ar``."""
        return self._by_id.get(ar)

    def is_ambiguous(self, ar: str) -> bool:
        """Whether a match of the entry ``ar`` may be a common word, not the name (ظريف
        "witty" → Zarif): its Arabic is in the built-in common-word list (:mod:`.common`)."""
        entry = self._by_id.get(ar)
        return entry is not None and is_ambiguous(entry)

    def match(self, text: str) -> list[TermMatch]:
        """Find glossary terms in ``text``: sorted by start, never overlapping."""
        norm = fold_marks(normalize_arabic(text))
        return [_term_match(norm, c) for c in _select(_candidates(norm.text, self._index), len(norm.text))]

    def match_document(self, texts: Sequence[str], *, short_forms: bool = True) -> list[list[TermMatch]]:
        """Find glossary terms in the segments of one document, in order: what
        ``match`` finds in each, and with ``short_forms`` a person's short form
        (``TermMatch.via`` names the entry) after the entry's full form has
        appeared, unless two entries that share it appear in the document."""
        norms = [fold_marks(normalize_arabic(text)) for text in texts]
        chosen = [_select(_candidates(norm.text, self._index), len(norm.text)) for norm in norms]
        found = [[_term_match(norm, c) for c in cands] for norm, cands in zip(norms, chosen)]
        if not short_forms or not self._short_owners:
            return found
        first: dict[str, tuple[int, int]] = {}  # entry id -> where it is first named (segment, offset)
        for number, matches in enumerate(found):
            for m in matches:
                first.setdefault(m.entry.id, (number, m.start))
        for number, (norm, cands) in enumerate(zip(norms, chosen)):
            taken = bytearray(len(norm.text))
            for start, end, _, _ in cands:
                taken[start:end] = b"\x01" * (end - start)
            shorts = []
            for start, end, clitic_len, stand_in in _candidates(norm.text, self._short_index):
                named = [s for s in self._short_owners[stand_in.ar] if s.owner.id in first]
                if len(named) != 1 or any(taken[start:end]):
                    continue
                if first[named[0].owner.id] < (number, norm.to_original(start, end)[0]):
                    shorts.append((start, end, clitic_len, named[0]))
            if shorts:
                extra = [
                    dataclasses.replace(_term_match(norm, (a, b, k, s.entry())), via=s.owner.id)
                    for a, b, k, s in _select(shorts, len(norm.text))
                ]
                found[number] = sorted(found[number] + extra, key=lambda m: m.start)
        return found

    def __repr__(self) -> str:
        return f"Glossary({len(self._entries)} entries, path={str(self._path)!r})"
