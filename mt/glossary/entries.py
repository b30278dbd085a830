"""The house entity glossary: entries, their checks, and the matching rules.

The glossary is a UTF-8 TSV file with the header ``ar en type variants note``:
one entry a line, ``type`` one of PER ORG LOC MISC, ``variants`` other Arabic
spellings separated by ``|``.  The canonical Arabic form ``ar`` is the entry id.
A glossary may add a sixth column, ``short``, the short form of a PER entry
(see :mod:`.shortforms`): empty for the default (the last word of each Arabic
form, the last English word), ``-`` for none, ``Bagheri`` for another English
short form, ``بن سلمان = bin Salman`` (Arabic forms ``|``-separated) for both.
A file without the column reads as before, and one is written without it
unless an entry has a short form of its own.

Matching (``Glossary.match``, in :mod:`.matching`) works on ``normalize_arabic`` text, so hamza on
alef, teh marbuta, alef maqsura, harakat, tatweel and Persian letters never
matter, and reports offsets into the original text:

* whole words only: the characters before and after a match are not letters
  or digits (``الأسدي``, ``حلبة``, ``الإيرانيين`` do not match);
* a term may carry the proclitics و ف ب ل ك and their combinations (وب ول وك
  فب فل فك); a term that begins with ال also matches after بال وال فال كال
  وبال … and, with the alef dropped, after لل ولل فلل (للأسد, وللحرس الثوري);
* multi-word terms match across any run of whitespace;
* variants match like the canonical form;
* the longest match wins and matches never overlap (بشار الأسد, not الأسد).

Span decision: a match covers the whole word *including* its proclitics, so
``text[start:end]`` is always a run of whole words (``للأسد``, ``وروسيا``).  The
proclitic letters are given separately in ``TermMatch.clitic`` and the term
proper starts at ``TermMatch.term_start``; for ``للأسد`` the clitic is ``ل``
and the term proper is ``لأسد`` (the article with its alef dropped).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError, InputError
from ..text import Normalized, decode_text, has_arabic, normalize_arabic, normalize_text, read_bytes

TYPES = ("PER", "ORG", "LOC", "MISC")
COLUMNS = ("ar", "en", "type", "variants", "note")
HEADER = "\t".join(COLUMNS)
SHORT_COLUMN = "short"  # the optional sixth column
ALL_COLUMNS = (*COLUMNS, SHORT_COLUMN)
SHORT_HEADER = "\t".join(ALL_COLUMNS)
VARIANT_SEPARATOR = "|"
DEFAULT_PATH = Path("glossary") / "entities.tsv"

# Problem kinds found by ``find_problems``; the first three make ``load`` fail.
MALFORMED, DUPLICATE, CONFLICT, REDUNDANT, SHADOWED = (
    "malformed", "duplicate", "conflict", "redundant", "shadowed"
)
FATAL_KINDS = frozenset({MALFORMED, DUPLICATE, CONFLICT})
NEAR_DUPLICATE = "near-duplicate"  # found by ``find_near_duplicates``, for ``check`` only
NEAR_DUPLICATE_RATIO = 0.85  # difflib similarity of two English forms, case folded

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # category Cc: tabs and line breaks included


@dataclass(frozen=True)
class Entry:
    """One glossary entry; ``line`` is where it was read (not part of equality)."""

    ar: str
    en: str
    type: str
    variants: tuple[str, ...] = ()
    note: str = ""
    line: int = field(default=0, compare=False)
    short: str = ""  # the ``short`` column as written (see :mod:`.shortforms`)

    @property
    def id(self) -> str:
        """The canonical Arabic form is the entry id."""
        return self.ar

    @property
    def forms(self) -> tuple[str, ...]:
        """The canonical form followed by the variants."""
        return (self.ar, *self.variants)


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in a text.

    ``start``/``end`` index the text given to ``match`` and cover the whole
    word(s) including proclitics; ``text == original[start:end]``; ``clitic``
    is the proclitic prefix of ``text`` (often empty).  A short form found by
    ``Glossary.match_document`` has ``via``, the id of the entry it stands
    for, and ``entry`` is that entry's short form (``.shortforms``).
    """

    start: int
    end: int
    text: str
    entry: Entry
    clitic: str = ""
    via: str | None = None

    @property
    def term_start(self) -> int:
        """Where the term proper begins, after the proclitics."""
        return self.start + len(self.clitic)


@dataclass(frozen=True)
class Problem:
    """Something wrong with an entry at ``line``; ``kind`` is MALFORMED, DUPLICATE, CONFLICT, REDUNDANT or SHADOWED."""

    line: int
    kind: str
    message: str
    entry: Entry | None = field(default=None, compare=False)
    other: Entry | None = field(default=None, compare=False)

    def format(self, path: Path | str) -> str:
        return f"{path}:{self.line}: {self.message}"


# ---- parsing and validation ------------------------------------------------------


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def fold_marks(norm: Normalized) -> Normalized:
    """Drop combining marks that survived normalisation, giving their span to the letter before.

    Without this a stray mark (say U+0301) would split a word in two.
    """
    if not any(map(_is_mark, set(norm.text))):
        return norm
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for ch, start, end in zip(norm.text, norm.starts, norm.ends):
        if _is_mark(ch) and text:
            ends[-1] = max(ends[-1], end)
        elif not _is_mark(ch):
            text.append(ch)
            starts.append(start)
            ends.append(end)
    return Normalized(original=norm.original, text="".join(text), starts=starts, ends=ends)


def form_key(form: str) -> str:
    """The matching key of an Arabic form: normalised as the matcher sees text, whitespace runs as one space."""
    return _SPACES.sub(" ", fold_marks(normalize_arabic(form)).text).strip()


def split_variants(field_text: str) -> tuple[str, ...]:
    """Split a ``|``-separated variants field; empty pieces are kept (and flagged)."""
    if not field_text.strip():
        return ()
    return tuple(piece.strip() for piece in field_text.split(VARIANT_SEPARATOR))


def _control_char(text: str) -> str | None:
    found = _CONTROL.search(text)
    return found.group() if found else None


def _form_problem(form: str, what: str) -> str | None:
    if not form:
        return f"expected a non-empty {what}, found an empty one"
    if not has_arabic(normalize_text(form)):
        return f"expected Arabic in {what}, found {form!r}"
    key = form_key(form)
    if not (key[:1].isalnum() and key[-1:].isalnum()):
        return f"{what} {form!r} can never match: it must begin and end with a letter or digit"
    return None


def validate_entry(entry: Entry) -> list[str]:
    """The problems of one entry's fields, as messages (empty when fine)."""
    problems = []
    for name, text in (("ar", entry.ar), ("en", entry.en), ("type", entry.type), ("note", entry.note)) + tuple(
        ("variant", v) for v in entry.variants
    ):
        bad = _control_char(text)
        if bad is not None:
            problems.append(f"expected no control characters in {name}, found {bad!r}")
        elif VARIANT_SEPARATOR in text and name in ("ar", "variant"):
            problems.append(f"expected no '|' inside an Arabic form, found {text!r}")
    problem = _form_problem(entry.ar, "ar")
    if problem:
        problems.append(problem)
    if not entry.en.strip():
        problems.append("expected a non-empty en, found an empty one")
    if entry.type not in TYPES:
        problems.append(f"expected type {', '.join(TYPES[:-1])} or {TYPES[-1]}, found {entry.type!r}")
    for variant in entry.variants:
        problem = _form_problem(variant, "variant")
        if problem:
            problems.append(problem)
    problems.extend(_short_problems(entry))
    return problems


SHORT_NONE = "-"  # the ``short`` of an entry that has no short form
SHORT_EQUALS = "="


def parse_short(spec: str) -> tuple[tuple[str, ...], str]:
    """The Arabic short forms and the English short form a ``short`` field
    gives (either may be empty: the default); ``ValueError`` when malformed.

    ``Bagheri`` gives the English only, ``باقري`` (or ``باقري|باقرى``) the
    Arabic only, ``بن سلمان = bin Salman`` both; ``-`` is no short form
    (``((), "")``, like an empty field: ask :func:`.shortforms.short_form`).
    """
    spec = spec.strip()
    if spec in ("", SHORT_NONE):
        return (), ""
    if SHORT_EQUALS in spec:
        arabic, _, english = (part.strip() for part in spec.partition(SHORT_EQUALS))
        if not english:
            raise ValueError(f"expected an English short form after '=' in short, found {spec!r}")
    elif has_arabic(normalize_text(spec)):
        arabic, english = spec, ""
    else:
        arabic, english = "", spec
    if has_arabic(normalize_text(english)) or SHORT_EQUALS in english:
        raise ValueError(f"expected 'ARABIC = English' or one of them in short, found {spec!r}")
    return split_variants(arabic), english


def _short_problems(entry: Entry) -> list[str]:
    """What is wrong with an entry's ``short`` field (see :func:`parse_short`)."""
    if not entry.short:
        return []
    if entry.type != "PER" and entry.short != SHORT_NONE:
        return [f"expected no short form on a {entry.type} entry (short forms are for PER), found {entry.short!r}"]
    bad = _control_char(entry.short)
    if bad is not None:
        return [f"expected no control characters in short, found {bad!r}"]
    try:
        forms, _ = parse_short(entry.short)
    except ValueError as err:
        return [str(err)]
    return [p for p in (_form_problem(form, "short form") for form in forms) if p]


def check_entry(entry: Entry, where: str | None = None) -> Entry:
    """Return ``entry`` if its fields are valid, else raise ``GlossaryError``
    with the first problem, after ``where`` (default: the entry's Arabic form)."""
    problems = validate_entry(entry)
    if problems:
        raise GlossaryError(f"{where if where is not None else repr(entry.ar or entry.en)}: {problems[0]}")
    return entry


def drop_redundant_variants(entry: Entry) -> tuple[Entry, list[str]]:
    """``entry`` without the variants that are an earlier form of it after
    normalisation (harmless: they would match nothing new), and a message
    for each one dropped."""
    own: dict[str, str] = {form_key(entry.ar): entry.ar}
    kept, dropped = [], []
    for variant in entry.variants:
        key = form_key(variant)
        if variant and key in own:
            dropped.append(f"variant {variant!r} is the same as {own[key]!r} after normalisation; dropped")
            continue
        own.setdefault(key, variant)
        kept.append(variant)
    if not dropped:
        return entry, []
    return dataclasses.replace(entry, variants=tuple(kept)), dropped


def parse_line(line: str, number: int, columns: tuple[str, ...] = COLUMNS) -> tuple[Entry | None, list[str]]:
    """Parse one glossary data line into an entry, or return its problems.

    With the ``short`` column (``columns`` is ``ALL_COLUMNS``) a line may
    leave it out (an editor that drops trailing tabs)."""
    fields = line.split("\t")
    if len(fields) == len(COLUMNS) and len(columns) > len(COLUMNS):
        fields.append("")
    if len(fields) != len(columns):
        return None, [f"expected {len(columns)} tab-separated fields ({', '.join(columns)}), found {len(fields)}"]
    ar, en, type_, variants, note, *rest = (f.strip() for f in fields)
    entry = Entry(
        ar=ar, en=en, type=type_, variants=split_variants(variants), note=note, line=number, short=rest[0] if rest else ""
    )
    problems = validate_entry(entry)
    return (None if problems else entry), problems


def parse_glossary(text: str) -> tuple[list[Entry], list[Problem]]:
    """Parse glossary TSV text; malformed lines become problems, not entries."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    entries: list[Entry] = []
    problems: list[Problem] = []
    header = lines[0].rstrip("\r") if lines else ""
    columns = ALL_COLUMNS if header == SHORT_HEADER else COLUMNS
    if header not in (HEADER, SHORT_HEADER):
        shown = header if header else "an empty first line"
        problems.append(Problem(1, MALFORMED, f"expected the header {HEADER!r} (and optionally 'short'), found {shown!r}"))
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        entry, messages = parse_line(line, number, columns)
        problems.extend(Problem(number, MALFORMED, message) for message in messages)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def format_glossary(entries: Iterable[Entry]) -> str:
    """The glossary TSV text of ``entries`` (header first, LF line ends); the
    ``short`` column only when an entry has a short form of its own."""
    entries = [check_entry(entry) for entry in entries]
    with_short = any(entry.short for entry in entries)
    out = [SHORT_HEADER if with_short else HEADER]
    for entry in entries:
        fields = (entry.ar, entry.en, entry.type, VARIANT_SEPARATOR.join(entry.variants), entry.note)
        out.append("\t".join(fields + ((entry.short,) if with_short else ())))  # no tabs or line breaks (validated)
    return "\n".join(out) + "\n"


def _line_of(entry: Entry) -> str:
    return f"line {entry.line}"


def _classify(entry: Entry, index: int, form: str, other: Entry, other_form: str, where: str) -> tuple[str, str]:
    """Kind and message for ``form`` of ``entry`` already owned by ``other``."""
    if index == 0 and other.ar == entry.ar:
        differs = f" with a different English form ({entry.en!r}, not {other.en!r})" if other.en != entry.en else ""
        return DUPLICATE, f"duplicate entry {entry.ar!r}{differs}, first at {where}"
    if other.en != entry.en:
        return CONFLICT, f"{form!r} means {entry.en!r} here but {other.en!r} in {other.ar!r} ({where})"
    if index == 0 and other_form == other.ar:
        return DUPLICATE, f"{entry.ar!r} duplicates {other.ar!r} ({where}) after normalisation"
    what = "ar" if index == 0 else "variant"
    return SHADOWED, f"{what} {form!r} is already a form of {other.ar!r} ({where})"


def find_problems(entries: Iterable[Entry], locate: Callable[[Entry], str] = _line_of) -> list[Problem]:
    """Duplicates, conflicts, redundant variants and shadowed entries, in file order.

    ``locate`` says where an earlier entry is, for the messages.
    """
    seen: dict[str, tuple[Entry, str]] = {}  # form key -> (first entry with it, that form)
    problems: list[Problem] = []
    for entry in entries:
        own: dict[str, str] = {}
        taken_by: list[Entry] = []
        serious = False
        for index, form in enumerate(entry.forms):
            key = form_key(form)
            if key in own:
                message = f"variant {form!r} is the same as {own[key]!r} after normalisation; remove it"
                problems.append(Problem(entry.line, REDUNDANT, message, entry))
                continue
            own[key] = form
            if key not in seen:
                continue
            other, other_form = seen[key]
            taken_by.append(other)
            kind, message = _classify(entry, index, form, other, other_form, locate(other))
            serious = serious or kind in FATAL_KINDS
            problems.append(Problem(entry.line, kind, message, entry, other))
        if len(own) > 1 and len(taken_by) == len(own) and not serious:
            first = taken_by[0]
            message = f"entry {entry.ar!r} never matches: all its forms belong to earlier entries ({first.ar!r}, {locate(first)})"
            problems.append(Problem(entry.line, SHADOWED, message, entry, first))
        for key, form in own.items():
            seen.setdefault(key, (entry, form))
    return problems


def read_glossary_file(path: Path) -> tuple[bytes, str]:
    """The bytes of a glossary file and their text; a missing or
    undecodable file raises ``GlossaryError`` worded alike for every
    command ("no such glossary file")."""
    data = read_bytes(path, GlossaryError, what="glossary file")
    try:
        return data, decode_text(data, str(path))
    except InputError as err:
        raise GlossaryError(str(err)) from None
