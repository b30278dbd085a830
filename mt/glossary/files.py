"""Glossary maintenance: locked edits, import and export (TSV, CSV, TBX-Basic).

Every change is a read-modify-write of the glossary file under a file lock
(``PATH.lock``) ending in an atomic rename, so concurrent ``mt glossary add``
runs all land and a reader never sees half a file.

Import files have a header naming their columns: ``ar``, ``en`` and ``type``
are required, ``variants`` (``|``-separated), ``note`` and ``short`` (a
person's short form, see :mod:`.shortforms`) are optional.  CSV
may be separated by commas or semicolons (as Excel saves it in many locales);
exported CSV starts with a UTF-8 BOM so that Excel shows the Arabic.  A
variant that is its entry's Arabic after normalisation is dropped with a
warning.  TBX is
TBX-Basic (``martif``/``termEntry``/``langSet``/``tig`` or ``ntig``/``term``;
TBX v3 ``conceptEntry``/``langSec``/``termSec`` is read too): one ``termEntry``
an entry, the Arabic term marked ``preferredTerm-admn-sts`` (or the first) is
``ar``, the other Arabic terms are variants, the entity type is in
``<descrip type="subjectField">`` and the note in ``<note>``; a short form
given in ``short`` is a term with ``<termNote type="termType">shortForm</termNote>``
in each language (``-``, no short form, is not carried).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import FormatError, GlossaryError
from ..formats import safe_xml_parser
from ..text import held_lock, read_bytes, read_text, write_bytes_atomic, write_text_atomic
from .entries import (
    ALL_COLUMNS,
    COLUMNS,
    SHORT_COLUMN,
    SHORT_NONE,
    TYPES,
    VARIANT_SEPARATOR,
    Entry,
    check_entry,
    drop_redundant_variants,
    find_problems,
    form_key,
    format_glossary,
    parse_short,
    split_variants,
)
from .matching import Glossary

FORMATS = ("tsv", "csv", "tbx")
LOCK_TIMEOUT = 60.0  # seconds to wait for another writer
REQUIRED_COLUMNS = ("ar", "en", "type")

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TBX_DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"
_TYPE_NAMES = {
    "PERSON": "PER", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "LOCATION": "LOC", "PLACE": "LOC", "GPE": "LOC", "MISCELLANEOUS": "MISC",
} | {t: t for t in TYPES}


# ---- small helpers -----------------------------------------------------------------


def check_type(value: str) -> str:
    """Return the entity type code for ``value`` (case-insensitive) or raise ``GlossaryError``."""
    code = _TYPE_NAMES.get(value.strip().upper())
    if code is None:
        raise GlossaryError(f"expected type {', '.join(TYPES[:-1])} or {TYPES[-1]}, found {value!r}")
    return code


def new_entry(
    ar: str, en: str, type: str, variants: str | Iterable[str] = (), note: str = "", *, glossary: Path | str | None = None,
    short: str = "",
) -> Entry:
    """Build a checked entry from user input (fields stripped, type code
    checked); an error starts ``GLOSSARY: cannot add 'AR':`` when the
    ``glossary`` it is meant for is given."""
    where = f"{glossary}: cannot add {ar.strip()!r}" if glossary is not None else None
    if isinstance(variants, str):
        variants = split_variants(variants)
    try:
        code = check_type(type)
    except GlossaryError as err:
        raise GlossaryError(f"{where}: {err}" if where else str(err)) from None
    entry = Entry(
        ar=ar.strip(), en=en.strip(), type=code, variants=tuple(v.strip() for v in variants), note=note.strip(), short=short.strip()
    )
    return check_entry(entry, where)


def guess_format(path: Path | str, fmt: str | None = None) -> str:
    """The file format: ``fmt`` when given, otherwise from the suffix."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise FormatError(f"expected format csv, tsv or tbx, found {fmt!r}")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise FormatError(f"{path}: cannot tell the format from the suffix {Path(path).suffix!r}; use --format csv, tsv or tbx")


@contextlib.contextmanager
def locked(path: Path | str) -> Iterator[Path]:
    """Hold the glossary's lock file (``PATH.lock``) for a read-modify-write.

    Yields the glossary's real path: a symlinked glossary is locked, read and
    rewritten where it really is, so the link stays a link and every name of
    the file shares one lock.
    """
    real = Path(os.path.realpath(path))
    if not real.parent.is_dir():
        raise GlossaryError(f"{real.parent}: directory does not exist")
    lock_path = f"{real}.lock"
    busy = f"{path}: locked by another process for {LOCK_TIMEOUT:.0f} s ({lock_path}); try again"
    with held_lock(lock_path, timeout=LOCK_TIMEOUT, busy=busy, error=GlossaryError):
        yield real


def _load_entries(path: Path, *, missing_ok: bool) -> list[Entry]:
    """The glossary's entries; none when it is missing (``missing_ok``) or
    an empty file (a glossary about to be filled)."""
    if missing_ok and not path.exists():
        return []
    if missing_ok and path.is_file() and not path.read_bytes().lstrip(b"\xef\xbb\xbf").strip():
        return []
    return list(Glossary.load(path).entries)


def _write_glossary(path: Path, entries: Iterable[Entry]) -> None:
    """Replace the glossary atomically; it keeps its permissions, and its BOM
    and CR LF line ends when it has them (a file kept in a Windows editor)."""
    text = format_glossary(entries)
    try:
        old = path.read_bytes()
    except OSError:
        old = b""
    if b"\r\n" in old:
        text = text.replace("\n", "\r\n")
    if old.startswith(codecs.BOM_UTF8):
        text = "\ufeff" + text
    write_text_atomic(path, text)


def _new_problems(entries: list[Entry], new: Entry) -> list[str]:
    """Messages of the problems that ``new`` brings into ``entries``."""
    return [p.message for p in find_problems(entries) if p.entry is new or p.other is new]


# ---- add and remove ----------------------------------------------------------------


class EntryExists(GlossaryError):
    """``add_entry`` refused an entry whose Arabic the glossary has (``old``)."""

    def __init__(self, path: Path, old: Entry):
        super().__init__(f"{path}:{old.line}: {old.ar!r} is already in the glossary ({old.en!r}); use --replace to overwrite it")
        self.path, self.old = path, old


def add_entry(path: Path | str, entry: Entry, *, replace: bool = False) -> Entry | None:
    """Add ``entry`` to the glossary file (created if missing); return the entry it replaced.

    An entry with the same Arabic form (after normalisation) is refused unless
    ``replace``; so is an entry that would conflict with or duplicate another.
    """
    path = Path(path)
    check_entry(entry)
    with locked(path) as real:
        entries = _load_entries(real, missing_ok=True)
        key = form_key(entry.ar)
        index = next((i for i, e in enumerate(entries) if form_key(e.ar) == key), None)
        old = entries[index] if index is not None else None
        if old is not None and not replace:
            raise EntryExists(path, old)
        if old is not None:
            entry = dataclasses.replace(entry, line=old.line)
            entries[index] = entry
        else:
            entry = dataclasses.replace(entry, line=len(entries) + 2)
            entries.append(entry)
        problems = _new_problems(entries, entry)
        if problems:
            raise GlossaryError(f"{path}: cannot add {entry.ar!r}: {problems[0]}")
        _write_glossary(real, entries)
    return old


def remove_entry(path: Path | str, ar: str) -> Entry:
    """Remove the entry whose Arabic form is ``ar`` (after normalisation); return it."""
    path = Path(path)
    key = form_key(ar)
    with locked(path) as real:
        entries = _load_entries(real, missing_ok=False)
        found = next((e for e in entries if form_key(e.ar) == key), None)
        if found is None:
            owner = next((e for e in entries if key in map(form_key, e.variants)), None)
            hint = f" ({ar.strip()!r} is a variant of {owner.ar!r}, line {owner.line})" if owner else ""
            raise GlossaryError(f"{path}: no entry {ar.strip()!r}{hint}")
        _write_glossary(real, [e for e in entries if e is not found])
    return found


# ---- reading import files ----------------------------------------------------------


@dataclass(frozen=True)
class EntryFile:
    """Entries read from an import file; ``has_notes``/``has_variants`` are
    False when it has no such column; ``warnings`` are ``file:line: …`` lines
    about what was dropped."""

    path: Path
    entries: tuple[Entry, ...]
    has_notes: bool = True
    has_variants: bool = True
    warnings: tuple[str, ...] = ()
    has_shorts: bool = True


def _tsv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            yield number, line.split("\t")


def _csv_delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas, else ``,``."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _csv_rows(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text), strict=True)
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, row
            start = reader.line_num + 1
    except csv.Error as err:
        raise FormatError(f"{path}:{reader.line_num}: expected well-formed CSV, found {err}") from None


def _entries_from_rows(path: Path, rows: Iterator[tuple[int, list[str]]]) -> EntryFile:
    """Turn header-led rows into checked entries (``path:line`` in every error)."""
    first = next(rows, None)
    if first is None:
        raise FormatError(f"{path}: expected a header line ({', '.join(REQUIRED_COLUMNS)}), found no rows")
    line, header = first
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [n for n in names if n not in ALL_COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        raise FormatError(
            f"{path}:{line}: expected a header with columns {', '.join(REQUIRED_COLUMNS)} (variants, note and short optional), "
            f"found {', '.join(header)}"
        )
    entries, warnings = [], []
    for number, row in rows:
        if len(row) != len(names):
            raise FormatError(f"{path}:{number}: expected {len(names)} fields ({', '.join(names)}), found {len(row)}")
        values = {name: value.strip() for name, value in zip(names, row)}
        entry = Entry(
            ar=values["ar"], en=values["en"], type=values["type"].upper(),
            variants=split_variants(values.get("variants", "")), note=values.get("note", ""), line=number,
            short=values.get(SHORT_COLUMN, ""),
        )
        entries.append(_checked_import(entry, f"{path}:{number}", warnings))
    return EntryFile(
        path=path, entries=tuple(entries), has_notes="note" in names, has_variants="variants" in names,
        warnings=tuple(warnings), has_shorts=SHORT_COLUMN in names,
    )


def _checked_import(entry: Entry, where: str, warnings: list[str]) -> Entry:
    """``entry`` checked, its redundant variants dropped with a warning each."""
    entry, dropped = drop_redundant_variants(entry)
    warnings.extend(f"{where}: {message}" for message in dropped)
    return check_entry(entry, where)


def _localname(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if _localname(child) in names]


def _descendants(element: etree._Element, *names: str) -> list[etree._Element]:
    return [el for el in element.iter() if _localname(el) in names]


_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _text(element: etree._Element) -> str:
    """Element text with XML whitespace collapsed (other spaces, such as a
    no-break space inside a name, are kept)."""
    return _XML_SPACE.sub(" ", "".join(element.itertext())).strip(" ")


_SHORT_FORM = "shortForm"  # the TBX termType of a short form


def _tbx_terms(lang_set: etree._Element) -> tuple[list[str], list[str]]:
    """The terms of a language set, the preferred one first, and its short forms."""
    terms, shorts = [], []
    for group in _children(lang_set, "tig", "ntig", "termSec"):
        term = next(iter(_descendants(group, "term")), None)
        if term is None or not _text(term):
            continue
        notes = _descendants(group, "termNote")
        if any(n.get("type") == "termType" and _text(n) == _SHORT_FORM for n in notes):
            shorts.append(_text(term))
            continue
        status = [_text(n) for n in notes if n.get("type") == "administrativeStatus"]
        terms.append((0 if any(s.startswith("preferred") for s in status) else 1, _text(term)))
    return [text for _, text in sorted(terms, key=lambda t: t[0])], shorts


def _tbx_entry(path: Path, concept: etree._Element, warnings: list[str]) -> Entry:
    line = concept.sourceline or 0
    terms: dict[str, list[str]] = {"ar": [], "en": []}
    shorts: dict[str, list[str]] = {"ar": [], "en": []}
    for lang_set in _children(concept, "langSet", "langSec"):
        lang = (lang_set.get(_XML_LANG) or "").split("-")[0].lower()
        if lang in terms:
            found, short = _tbx_terms(lang_set)
            terms[lang].extend(found)
            shorts[lang].extend(short)
    if not terms["ar"] or not terms["en"]:
        raise FormatError(f"{path}:{line}: expected an Arabic and an English term in the entry, found {len(terms['ar'])} and {len(terms['en'])}")
    kinds = [_text(d) for d in _descendants(concept, "descrip") if d.get("type") == "subjectField"]
    if not kinds:
        raise FormatError(f'{path}:{line}: expected the entity type in <descrip type="subjectField">, found none')
    try:
        type_code = check_type(kinds[0])
    except GlossaryError as err:
        raise GlossaryError(f"{path}:{line}: {err}") from None
    note = "; ".join(_text(n) for n in _children(concept, "note") if _text(n))
    short = " = ".join(part for part in (VARIANT_SEPARATOR.join(shorts["ar"]), shorts["en"][0] if shorts["en"] else "") if part)
    entry = Entry(
        ar=terms["ar"][0], en=terms["en"][0], type=type_code, variants=tuple(terms["ar"][1:]), note=note, line=line,
        short=short,
    )
    return _checked_import(entry, f"{path}:{line}", warnings)


def _read_tbx(path: Path) -> EntryFile:
    data = read_bytes(path)
    try:
        root = etree.fromstring(data, safe_xml_parser(huge_tree=False))
    except etree.XMLSyntaxError as err:
        raise FormatError(f"{path}:{err.lineno}: expected well-formed XML (TBX), found: {err.msg}") from None
    if _localname(root) not in ("martif", "tbx"):
        raise FormatError(f"{path}:{root.sourceline}: expected a TBX root element <martif> or <tbx>, found <{_localname(root)}>")
    concepts = _descendants(root, "termEntry", "conceptEntry")
    if not concepts:
        raise FormatError(f"{path}: expected at least one <termEntry>, found none")
    warnings: list[str] = []
    entries = tuple(_tbx_entry(path, c, warnings) for c in concepts)
    return EntryFile(path=path, entries=entries, warnings=tuple(warnings))


def read_entries(path: Path | str, fmt: str | None = None) -> EntryFile:
    """Read the entries of an import file (CSV, TSV or TBX-Basic)."""
    path = Path(path)
    fmt = guess_format(path, fmt)
    if fmt == "tbx":
        return _read_tbx(path)
    text = read_text(path)
    rows = _csv_rows(text, path) if fmt == "csv" else _tsv_rows(text)
    return _entries_from_rows(path, rows)


# ---- writing export files ----------------------------------------------------------


def _csv_text(entries: Iterable[Entry]) -> str:
    """CSV of ``entries``; the ``short`` column only when an entry has one of its own."""
    entries = list(entries)
    with_short = any(e.short for e in entries)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ALL_COLUMNS if with_short else COLUMNS)
    for e in entries:
        writer.writerow((e.ar, e.en, e.type, "|".join(e.variants), e.note) + ((e.short,) if with_short else ()))
    return out.getvalue()


def _tig(lang_set: etree._Element, term: str, preferred: bool, short: bool = False) -> None:
    tig = etree.SubElement(lang_set, "tig")
    etree.SubElement(tig, "term").text = term
    if short:
        etree.SubElement(tig, "termNote", type="termType").text = _SHORT_FORM
    etree.SubElement(tig, "termNote", type="partOfSpeech").text = "properNoun"
    etree.SubElement(tig, "termNote", type="administrativeStatus").text = _PREFERRED if preferred else _ADMITTED


def _tbx_bytes(entries: Iterable[Entry]) -> bytes:
    """TBX-Basic (v2, ``martif``) bytes for ``entries``."""
    root = etree.Element("martif", type="TBX-Basic")
    root.set(_XML_LANG, "en")
    header = etree.SubElement(root, "martifHeader")
    source = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(source, "p").text = "mt house entity glossary (Arabic-English)"
    etree.SubElement(etree.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(entries, start=1):
        concept = etree.SubElement(body, "termEntry", id=f"e{number}")
        etree.SubElement(concept, "descrip", type="subjectField").text = entry.type
        if entry.note:
            etree.SubElement(concept, "note").text = entry.note
        arabic = etree.SubElement(concept, "langSet")
        arabic.set(_XML_LANG, "ar")
        short_ar, short_en = parse_short(entry.short) if entry.short != SHORT_NONE else ((), "")
        for index, form in enumerate(entry.forms):
            _tig(arabic, form, preferred=index == 0)
        for form in short_ar:
            _tig(arabic, form, preferred=False, short=True)
        english = etree.SubElement(concept, "langSet")
        english.set(_XML_LANG, "en")
        _tig(english, entry.en, preferred=True)
        if short_en:
            _tig(english, short_en, preferred=False, short=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=_TBX_DOCTYPE)


def write_entries(path: Path | str, entries: Iterable[Entry], fmt: str | None = None, *, bom: bool = True) -> None:
    """Write ``entries`` to ``path`` as CSV, TSV or TBX-Basic, atomically; CSV
    starts with a UTF-8 BOM (Excel needs it to read UTF-8) unless not ``bom``."""
    path = Path(path)
    fmt = guess_format(path, fmt)
    entries = [check_entry(entry) for entry in entries]
    if fmt == "tbx":
        write_bytes_atomic(path, _tbx_bytes(entries))
    elif fmt == "csv":
        write_text_atomic(path, ("\ufeff" if bom else "") + _csv_text(entries))
    else:
        write_text_atomic(path, format_glossary(entries))


def export_glossary(path: Path | str, dest: Path | str, fmt: str | None = None, *, bom: bool = True) -> int:
    """Write the glossary at ``path`` to ``dest``; return the number of entries."""
    glossary = Glossary.load(path)
    write_entries(dest, glossary.entries, fmt, bom=bom)
    return len(glossary)


# ---- import (merge) ----------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    """What an import did (or would do): the merged entries and the conflicts."""

    entries: tuple[Entry, ...]
    added: tuple[Entry, ...] = ()
    replaced: tuple[Entry, ...] = ()
    unchanged: tuple[Entry, ...] = ()
    conflicts: tuple[str, ...] = ()
    written: bool = False
    updated: tuple[Entry, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.conflicts)} conflicts"
        )


_MERGED_FIELDS = ("type", "variants", "note", "short")


def _shown(entry: Entry, name: str) -> str:
    return VARIANT_SEPARATOR.join(entry.variants) if name == "variants" else getattr(entry, name)


def _differing_fields(entry: Entry, old: Entry) -> list[str]:
    return [name for name in _MERGED_FIELDS if getattr(entry, name) != getattr(old, name)]


def _updated(entry: Entry, old: Entry) -> Entry:
    """``old`` with what ``entry`` adds: its variants joined to the old ones,
    its type, and its note where it has one."""
    variants = old.variants + tuple(v for v in entry.variants if form_key(v) not in {form_key(f) for f in old.forms})
    return dataclasses.replace(old, type=entry.type, variants=variants, note=entry.note or old.note, short=entry.short or old.short)


def merge_entries(
    existing: Iterable[Entry],
    incoming: EntryFile,
    *,
    replace: bool = False,
    update: bool = False,
    glossary_name: str = "glossary",
) -> MergeResult:
    """Merge ``incoming`` into ``existing`` (pure); conflicts are ``file:line: …`` lines.

    A row with the Arabic and English of an existing entry but another type,
    variants or note is merged into it with ``update`` (:func:`_updated`),
    replaces it with ``replace``, and is otherwise a conflict naming the
    fields that differ."""
    result = list(existing)
    position = {form_key(e.ar): i for i, e in enumerate(result)}
    firsts: dict[str, Entry] = {}
    added, replaced, updated, unchanged, conflicts, new_ids = [], [], [], [], [], set()
    source = incoming.path
    for entry in incoming.entries:
        key = form_key(entry.ar)
        if key in firsts:
            conflicts.append(f"{source}:{entry.line}: duplicate entry {entry.ar!r}, first at line {firsts[key].line}")
            continue
        firsts[key] = entry
        if key not in position:
            position[key] = len(result)
            result.append(entry)
            added.append(entry)
            new_ids.add(id(entry))
            continue
        old = result[position[key]]
        if not incoming.has_notes:
            entry = dataclasses.replace(entry, note=old.note)
        if not incoming.has_variants:
            entry = dataclasses.replace(entry, variants=old.variants)
        if not incoming.has_shorts:
            entry = dataclasses.replace(entry, short=old.short)
        same_english = entry.ar == old.ar and entry.en == old.en
        merged = _updated(entry, old) if update and same_english else None
        if entry == old or merged == old:
            unchanged.append(entry)
        elif replace:
            result[position[key]] = entry
            replaced.append(entry)
            new_ids.add(id(entry))
        elif merged is not None:
            result[position[key]] = merged
            updated.append(merged)
            new_ids.add(id(merged))
        elif same_english:
            fields = _differing_fields(entry, old)
            shown = [f"{name} ({_shown(entry, name)!r}, not {_shown(old, name)!r})" for name in fields]
            what = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
            conflicts.append(
                f"{source}:{entry.line}: {entry.ar!r} → {entry.en!r} differs from {glossary_name} line {old.line}"
                f" in its {what}; use --update to merge or --replace to overwrite"
            )
        else:
            conflicts.append(
                f"{source}:{entry.line}: {entry.ar!r} → {entry.en!r} conflicts with {old.ar!r} → {old.en!r}"
                f" ({glossary_name} line {old.line}); use --replace to overwrite"
            )

    def locate(e: Entry) -> str:
        return f"{source.name} line {e.line}" if id(e) in new_ids else f"{glossary_name} line {e.line}"

    for problem in find_problems(result, locate):
        if id(problem.entry) in new_ids:
            conflicts.append(f"{source}:{problem.entry.line}: {problem.message}")
        elif problem.other is not None and id(problem.other) in new_ids:
            conflicts.append(f"{glossary_name}:{problem.entry.line}: {problem.message}")
    return MergeResult(
        tuple(result), tuple(added), tuple(replaced), tuple(unchanged), tuple(conflicts),
        updated=tuple(updated), warnings=incoming.warnings,
    )


def import_entries(
    path: Path | str, source: Path | str, *, fmt: str | None = None, replace: bool = False, update: bool = False
) -> MergeResult:
    """Merge the entries of ``source`` into the glossary at ``path``.

    Nothing is written when there are conflicts (``result.written`` is False);
    the glossary is created when it does not exist.
    """
    path = Path(path)
    incoming = read_entries(source, fmt)
    with locked(path) as real:
        existing = _load_entries(real, missing_ok=True)
        result = merge_entries(existing, incoming, replace=replace, update=update, glossary_name=str(path))
        nothing_new = not (result.added or result.replaced or result.updated) and real.exists() and bool(existing)
        if result.conflicts or nothing_new:
            return result
        _write_glossary(real, result.entries)
    return dataclasses.replace(result, written=True)
