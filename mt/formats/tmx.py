"""TMX 1.4b: one ``<tu>`` per pair, Arabic ``<tuv>`` then English.

The writer builds the tree with lxml, which does all escaping.  Our own
fields travel as ``x-`` properties (terms one per ``<prop type="x-term">``,
as JSON), so our TMX reads back into the same pairs; CAT tools ignore them.
The reader also takes TMX 1.1–1.4 from other tools: it keeps the Arabic and
English ``<tuv>`` of each unit (``xml:lang`` or ``lang``, any region
subtag) and the text of ``<seg>`` without inline codes.

A translation memory unit needs Arabic on one side and English on the
other: by default the writer leaves out pairs with an empty side (the 0-1
and 1-0 blocks of an alignment) and pairs whose Arabic side holds no Arabic
letters (an English caption copied untranslated), and says how many
(:class:`TmxSummary`); ``all_units=True`` keeps them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from lxml import etree

from ..errors import FormatError
from ..text import has_arabic, write_bytes_atomic
from ..types import HistoryItem, Pair, PairDocument, TermHit
from .common import check_xml_text, safe_xml_parser, stamp_meta
from .json_format import history_to_dict, term_to_dict

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG = "ar"
TARGET_LANG = "en"
O_TMF = "mt-glossary JSON"
_INLINE_CODES = {"bpt", "ept", "it", "ph", "ut"}  # native codes, not text


def _tmx_date(iso: str) -> str:
    """ISO 8601 → TMX's YYYYMMDDThhmmssZ."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _prop(parent, kind: str, value: str, where: str) -> None:
    prop = etree.SubElement(parent, "prop", type=kind)
    prop.text = check_xml_text(value, where)


def _tu(pair: Pair, doc: str, created: str) -> etree._Element:
    where = f"pair {pair.id}"
    tu = etree.Element("tu", tuid=f"{doc}:{pair.id}" if doc else pair.id, creationdate=created)
    # DTD order inside <tu>: (note | prop)*, then tuv+.
    _prop(tu, "x-document", doc, where)
    _prop(tu, "x-segment-id", pair.id, where)
    optional = {
        "x-source-start": pair.source_start,
        "x-source-end": pair.source_end,
        "x-confidence": pair.confidence,
        "x-type": pair.type,
        "x-original-source": pair.original_source,
        "x-original-target": pair.original_target,
    }
    if pair.source_ids:
        optional["x-source-ids"] = " ".join(map(str, pair.source_ids))
    if pair.target_ids:
        optional["x-target-ids"] = " ".join(map(str, pair.target_ids))
    if pair.status != "unreviewed":
        optional["x-status"] = pair.status
    for kind, value in optional.items():
        if value is not None:
            _prop(tu, kind, repr(value) if isinstance(value, float) else str(value), where)
    for term in pair.terms:
        _prop(tu, "x-term", json.dumps(term_to_dict(term), ensure_ascii=False), where)
    if pair.history:
        history = [history_to_dict(h) for h in pair.history]
        _prop(tu, "x-history", json.dumps(history, ensure_ascii=False), where)
    for lang, text, side in ((SOURCE_LANG, pair.source, "source"), (TARGET_LANG, pair.target, "target")):
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(XML_LANG, lang)
        seg = etree.SubElement(tuv, "seg")
        seg.text = check_xml_text(text, f"{where} {side}")
    return tu


EMPTY_SIDE = "empty side"
NO_ARABIC = "no Arabic"


def unit_problem(pair: Pair) -> str | None:
    """Why ``pair`` makes no translation memory unit: ``EMPTY_SIDE`` (a 0-1
    or 1-0 block), ``NO_ARABIC`` (the Arabic side has no Arabic letters: a
    copied English caption); ``None`` when it makes one."""
    if not pair.source.strip() or not pair.target.strip():
        return EMPTY_SIDE
    if not has_arabic(pair.source):
        return NO_ARABIC
    return None


@dataclass(frozen=True)
class TmxSummary:
    """What ``write_tmx`` wrote: units written, and pairs left out by reason."""

    written: int
    empty_side: int = 0
    no_arabic: int = 0

    @property
    def left_out(self) -> int:
        return self.empty_side + self.no_arabic

    def __add__(self, other: TmxSummary) -> TmxSummary:
        return TmxSummary(self.written + other.written, self.empty_side + other.empty_side, self.no_arabic + other.no_arabic)

    def reasons(self) -> list[str]:
        """``["1 with an empty side", "2 without Arabic text"]``, the zero counts left out."""
        return [f"{n} {what}" for n, what in ((self.empty_side, "with an empty side"), (self.no_arabic, "without Arabic text")) if n]

    def describe(self) -> str:
        """``"left out of the TMX: 1 with an empty side, 2 without Arabic text"``, or ``""``."""
        return f"left out of the TMX: {', '.join(self.reasons())}" if self.left_out else ""


def tmx_pairs(pairs, all_units: bool = False) -> tuple[tuple[Pair, ...], TmxSummary]:
    """The pairs that become TMX units (all of them with ``all_units``), and the summary."""
    problems = [None if all_units else unit_problem(p) for p in pairs]
    kept = tuple(p for p, problem in zip(pairs, problems) if problem is None)
    return kept, TmxSummary(len(kept), problems.count(EMPTY_SIDE), problems.count(NO_ARABIC))


def build_tmx(document: PairDocument) -> bytes:
    """The TMX 1.4b bytes of ``document``, every pair a unit."""
    meta = stamp_meta(document.meta)
    created = _tmx_date(str(meta["created"]))
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool=str(meta["tool"]),
        creationtoolversion=str(meta["tool_version"]),
        segtype="sentence",
        adminlang="en",
        srclang=SOURCE_LANG,
        datatype="plaintext",
        creationdate=created,
    )
    header.set("o-tmf", O_TMF)
    _prop(header, "x-meta", json.dumps(meta, ensure_ascii=False, sort_keys=True), "metadata")
    body = etree.SubElement(root, "body")
    doc = document.doc
    for pair in document.pairs:
        body.append(_tu(pair, doc, created))
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    )


def write_tmx(document: PairDocument, path: Path | str, *, all_units: bool = False) -> TmxSummary:
    """Write ``document`` as TMX 1.4b to ``path`` atomically, leaving out the
    pairs that make no translation memory unit unless ``all_units``."""
    pairs, summary = tmx_pairs(document.pairs, all_units)
    try:
        data = build_tmx(replace(document, pairs=pairs))
    except FormatError as err:
        raise FormatError(f"{path}: {err}") from None
    write_bytes_atomic(path, data)
    return summary


def _seg_text(seg) -> str:
    """Text of a ``<seg>`` without inline native codes (their tails are text)."""
    parts = [seg.text or ""]
    for child in seg:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag not in _INLINE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lang(tuv) -> str:
    return (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()


def _parse_pair(tu, index: int, name: str) -> Pair | None:
    sides: dict[str, str] = {}
    for tuv in tu.iterfind("tuv"):
        lang = _lang(tuv).split("-")[0].split("_")[0]
        seg = tuv.find("seg")
        if lang in (SOURCE_LANG, TARGET_LANG) and seg is not None and lang not in sides:
            sides[lang] = _seg_text(seg)
    if SOURCE_LANG not in sides or TARGET_LANG not in sides:
        return None
    props: dict[str, list[str]] = {}
    for prop in tu.iterfind("prop"):
        props.setdefault(prop.get("type", ""), []).append(prop.text or "")

    def one(kind: str) -> str | None:
        return props[kind][0] if kind in props else None

    def ints(kind: str) -> tuple[int, ...]:
        value = one(kind)
        return tuple(int(v) for v in value.split()) if value else ()

    try:
        start, end, confidence = one("x-source-start"), one("x-source-end"), one("x-confidence")
        terms = tuple(TermHit(**json.loads(t)) for t in props.get("x-term", []))
        history = tuple(HistoryItem(**h) for h in json.loads(one("x-history") or "[]"))
        return Pair(
            id=one("x-segment-id") or tu.get("tuid") or str(index),
            source=sides[SOURCE_LANG],
            target=sides[TARGET_LANG],
            source_start=int(start) if start is not None else None,
            source_end=int(end) if end is not None else None,
            terms=terms,
            source_ids=ints("x-source-ids"),
            target_ids=ints("x-target-ids"),
            confidence=float(confidence) if confidence is not None else None,
            type=one("x-type"),
            status=one("x-status") or "unreviewed",
            original_source=one("x-original-source"),
            original_target=one("x-original-target"),
            history=history,
        )
    except (ValueError, TypeError) as err:
        raise FormatError(f"{name}: translation unit {index} (line {tu.sourceline}): bad property value ({err})") from None


def read_tmx(path: Path | str) -> PairDocument:
    """Read the Arabic–English pairs of a TMX file (ours or another tool's)."""
    path = Path(path)
    parser = safe_xml_parser(huge_tree=True, remove_comments=True)
    try:
        tree = etree.parse(str(path), parser)
    except OSError:
        if not path.exists():
            raise FormatError(f"{path}: no such file") from None
        raise FormatError(f"{path}: cannot read") from None
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else "?"
        raise FormatError(f"{path}: not well-formed XML at line {line}: {err.msg}") from None
    root = tree.getroot()
    if root.tag != "tmx":
        raise FormatError(f"{path}: root element is <{root.tag}>, expected <tmx>")
    header, body = root.find("header"), root.find("body")
    if body is None:
        raise FormatError(f"{path}: no <body> element")
    meta: dict = {}
    if header is not None:
        raw = header.find("prop[@type='x-meta']")
        if raw is not None and raw.text:
            try:
                meta = json.loads(raw.text)
            except (ValueError, RecursionError):
                meta = {}
            if not isinstance(meta, dict):
                meta = {}
        if not meta:
            meta = {f"tmx_{k}": v for k, v in header.attrib.items()}
    meta.setdefault("doc", path.stem)
    meta.setdefault("source_file", str(path))
    pairs: list[Pair] = []
    seen: set[str] = set()
    skipped = 0
    for index, tu in enumerate(body.iterfind("tu")):
        pair = _parse_pair(tu, index, str(path))
        if pair is None:
            skipped += 1
            continue
        if pair.id in seen:
            pair = replace(pair, id=f"{pair.id}#{index}")
        seen.add(pair.id)
        pairs.append(pair)
    if not pairs and skipped:
        raise FormatError(f"{path}: none of its {skipped} translation units has both an Arabic and an English side")
    if skipped:
        meta["skipped_units"] = skipped
    return PairDocument(meta=meta, pairs=tuple(pairs))
