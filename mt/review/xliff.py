"""XLIFF 1.2 round trip with CAT tools (Trados, memoQ, OmegaT).

``export_xliff`` writes the reviewed pairs of a pairs JSON as XLIFF 1.2
through translate-toolkit's XLIFF classes: one ``<trans-unit>`` per pair
(its id the pair id; rejected pairs left out), ``approved="yes"`` with
state ``final`` for approved pairs, and each
glossary term as a ``<note from="mt-term">``; the other pairs are
``needs-review-translation``, not approved.  The review version of the JSON
is recorded in the ``<file>``'s header (``<note from="mt-review-version">``).

``import_review`` applies what a CAT tool changed back into the JSON: a unit
whose target differs is an edit of the pair's English, an approved unit
approves the pair.  It runs under the JSON's lock (``FILE.json.lock``, as the
review page), and refuses an XLIFF exported from another version of the JSON
(a stale view), as the page does.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from translate.storage import xliff

from ..errors import FormatError, InputError, OutputError
from ..formats import read_json, write_json
from ..text import held_lock, read_bytes, write_bytes_atomic
from .actions import approve, edit, review_version
from .export import select_for_export

LOCK_TIMEOUT = 10.0
VERSION_NOTE = "mt-review-version"
TERM_NOTE = "mt-term"


XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"


class Xliff12Unit(xliff.xliffunit):
    """translate-toolkit's XLIFF unit, in the 1.2 namespace."""

    namespace = XLIFF_12


class Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF store, declared for version 1.2."""

    UnitClass = Xliff12Unit
    namespace = XLIFF_12
    XMLskeleton = """<?xml version="1.0" ?>
<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>
<file original='NoName' source-language='ar' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""


@dataclass(frozen=True)
class ImportSummary:
    """What ``import_review`` changed: pairs edited, pairs approved, units without a pair."""

    edited: int
    approved: int
    unknown: int


def export_xliff(source: Path | str, out: Path | str, *, approved_only: bool = False) -> int:
    """Write the reviewed pairs of the JSON ``source`` to ``out`` as XLIFF 1.2; return the unit count."""
    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve():
        raise OutputError(f"{out}: is the input file; give another name for the XLIFF")
    original = read_json(source)
    document, _ = select_for_export(original, approved_only=approved_only)
    if not document.pairs:
        raise InputError(f"{source}: no pairs to export")
    store = Xliff12File(sourcelanguage="ar", targetlanguage="en")
    store.setfilename(store.getfilenode("NoName"), source.name)
    header = store.getheadernode(store.getfilenode(source.name), createifmissing=True)
    note = header.makeelement(store.namespaced("note"), {"from": VERSION_NOTE})
    note.text = str(review_version(original))
    header.append(note)
    for pair in document.pairs:
        unit = store.addsourceunit(pair.source, filename=source.name)
        unit.setid(pair.id)
        unit.target = pair.target
        approved = pair.status == "approved"
        unit.markapproved(approved)  # setting a target marks it approved in translate-toolkit
        unit.set_state_n(xliff.xliffunit.statemap["final" if approved else "needs-review-translation"])
        for term in pair.terms:
            unit.addnote(f"{term.source} → {term.en} ({term.status})", origin=TERM_NOTE)
    write_bytes_atomic(out, bytes(store))
    return len(document.pairs)


def _read_xliff(path: Path) -> xliff.xlifffile:
    data = read_bytes(path)
    try:
        return xliff.xlifffile.parsestring(data)
    except Exception as err:  # lxml and translate-toolkit raise several kinds
        raise FormatError(f"{path}: not an XLIFF file this tool reads ({type(err).__name__}: {str(err)[:80]})") from None


def _exported_version(store: xliff.xlifffile, path: Path) -> int:
    for note in store.document.getroot().iter(store.namespaced("note")):
        if note.get("from") == VERSION_NOTE and (note.text or "").strip().isdigit():
            return int(note.text)
    raise FormatError(f"{path}: no {VERSION_NOTE} note; export the XLIFF with mt export --xliff")


@contextlib.contextmanager
def _locked(path: Path):
    busy = f"{path}: locked by another process for {LOCK_TIMEOUT:.0f} s ({path}.lock); try again"
    with held_lock(f"{path}.lock", timeout=LOCK_TIMEOUT, busy=busy):
        yield


def import_review(xlf: Path | str, target: Path | str) -> ImportSummary:
    """Apply the edits and approvals of the XLIFF ``xlf`` to the pairs JSON ``target``."""
    xlf, target = Path(xlf), Path(target)
    store = _read_xliff(xlf)
    exported = _exported_version(store, xlf)
    real = Path(target).resolve()
    with _locked(real):
        document = read_json(real)
        current = review_version(document)
        if exported != current:
            raise InputError(
                f"{target}: has changed since {xlf} was exported from it (version {current}, not {exported}); "
                "export it again and redo the edits there"
            )
        ids = {p.id: p for p in document.pairs}
        edited = approved = unknown = 0
        for unit in store.getunits():
            pair = ids.get(unit.xmlelement.get("id"))  # getid() prefixes the file name
            if pair is None:
                unknown += 1
                continue
            new_target = unit.target or ""
            if new_target.strip() and new_target != pair.target:
                document = edit(document, pair.id, target=new_target)
                edited += 1
            if unit.isapproved() and next(p for p in document.pairs if p.id == pair.id).status != "approved":
                document = approve(document, pair.id)
                approved += 1
        if edited or approved:
            write_json(document, real)
    return ImportSummary(edited, approved, unknown)
