"""Our JSON format of pairs (documented in docs/formats.md).

One object per article: metadata at the top level, then ``"pairs"``, a list
in source order.  ``write_json`` → ``read_json`` gives back equal objects.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import FormatError
from ..text import read_text, write_text_atomic
from ..types import (
    REVIEW_STATUSES,
    TERM_STATUSES,
    HistoryItem,
    Pair,
    PairDocument,
    TermHit,
    WordLink,
)
from .common import stamp_meta

FORMAT_ID = "mt-pairs"
_SURROGATE = re.compile("[\ud800-\udfff]")
FORMAT_VERSION = 1


def term_to_dict(term: TermHit) -> dict:
    out = {
        "source": term.source,
        "start": term.start,
        "end": term.end,
        "en": term.en,
        "entry": term.entry,
        "status": term.status,
    }
    if term.via is not None:
        out["via"] = term.via  # a short form: the entry it stands for
    if term.ambiguous:  # only when true: files without ambiguous terms stay as they were
        out["ambiguous"] = True
    return out


def history_to_dict(item: HistoryItem) -> dict:
    return {"action": item.action, "at": item.at, "before": item.before, "after": item.after}


# The top-level key of a pairs JSON that ``mt review`` keeps its record in
# (``mt.review.actions``): ``{"version": N, "undo": [...]}``.
REVIEW_KEY = "review"


def review_version(document: PairDocument) -> int:
    """How many review actions have been saved into ``document``."""
    review = document.meta.get(REVIEW_KEY)
    version = review.get("version", 0) if isinstance(review, dict) else 0
    return version if isinstance(version, int) and not isinstance(version, bool) and version >= 0 else 0


def pair_to_dict(pair: Pair) -> dict:
    return {
        "id": pair.id,
        "source": pair.source,
        "target": pair.target,
        "source_start": pair.source_start,
        "source_end": pair.source_end,
        "terms": [term_to_dict(t) for t in pair.terms],
        "source_ids": list(pair.source_ids),
        "target_ids": list(pair.target_ids),
        "confidence": pair.confidence,
        "type": pair.type,
        "status": pair.status,
        "original_source": pair.original_source,
        "original_target": pair.original_target,
        "history": [history_to_dict(h) for h in pair.history],
        **({"links": [[k.en_start, k.en_end, k.ar_start, k.ar_end] for k in pair.links]} if pair.links else {}),
        **({"names": [term_to_dict(t) for t in pair.names]} if pair.names else {}),
        **({"rerun_target": pair.rerun_target} if pair.rerun_target is not None else {}),
    }


def document_to_dict(document: PairDocument) -> dict:
    meta = stamp_meta(document.meta)
    meta.pop("pairs", None)
    return {"format": FORMAT_ID, "format_version": FORMAT_VERSION, **meta, "pairs": [pair_to_dict(p) for p in document.pairs]}


def dumps_document(document: PairDocument) -> str:
    return json.dumps(document_to_dict(document), ensure_ascii=False, indent=1) + "\n"


def write_json(document: PairDocument, path: Path | str) -> None:
    """Write ``document`` to ``path`` atomically."""
    try:
        text = dumps_document(document)
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise FormatError(f"{path}: text holds an unpaired surrogate U+{ord(err.object[err.start]):04X}, which UTF-8 cannot encode") from None
    write_text_atomic(path, text)


class _Reader:
    """Validating conversion of parsed JSON into pairs, with located errors."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, message: str) -> None:
        raise FormatError(f"{self.name}: {where}: {message}")

    def get(self, obj: dict, key: str, kind, where: str, *, optional: bool = False, default: Any = None):
        if key not in obj:
            if optional:
                return default
            self.fail(where, f"missing key {key!r}")
        value = obj[key]
        if value is None and optional:
            return default
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.fail(where, f"expected {names} for {key!r}, found {type(value).__name__}")
        if isinstance(value, str):
            surrogate = _SURROGATE.search(value)
            if surrogate:
                self.fail(where, f"{key!r} holds an unpaired surrogate U+{ord(surrogate.group(0)):04X}, which is not text")
        return value

    def ints(self, obj: dict, key: str, where: str) -> tuple[int, ...]:
        values = self.get(obj, key, list, where, optional=True, default=[])
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            self.fail(where, f"expected a list of integers for {key!r}")
        return tuple(values)

    def term(self, obj: Any, where: str) -> TermHit:
        if not isinstance(obj, dict):
            self.fail(where, "expected an object")
        status = self.get(obj, "status", str, where, optional=True, default="produced")
        if status not in TERM_STATUSES:
            self.fail(where, f"unknown term status {status!r}, expected one of {', '.join(TERM_STATUSES)}")
        return TermHit(
            source=self.get(obj, "source", str, where),
            start=self.get(obj, "start", int, where),
            end=self.get(obj, "end", int, where),
            en=self.get(obj, "en", str, where),
            entry=self.get(obj, "entry", str, where, optional=True, default=""),
            status=status,
            via=self.get(obj, "via", str, where, optional=True),
            ambiguous=self.get(obj, "ambiguous", bool, where, optional=True, default=False),
        )

    def links(self, obj: dict, where: str) -> tuple[WordLink, ...]:
        values = self.get(obj, "links", list, where, optional=True, default=[])
        for link in values:
            if not (isinstance(link, list) and len(link) == 4 and all(isinstance(v, int) and not isinstance(v, bool) for v in link)):
                self.fail(where, "expected 'links' to hold [en_start, en_end, ar_start, ar_end] lists of integers")
        return tuple(WordLink(*link) for link in values)

    def history(self, obj: Any, where: str) -> HistoryItem:
        if not isinstance(obj, dict):
            self.fail(where, "expected an object")
        return HistoryItem(
            action=self.get(obj, "action", str, where),
            at=self.get(obj, "at", str, where),
            before=self.get(obj, "before", str, where, optional=True),
            after=self.get(obj, "after", str, where, optional=True),
        )

    def pair(self, obj: Any, index: int) -> Pair:
        where = f"pair {index}"
        if not isinstance(obj, dict):
            self.fail(where, f"expected an object, found {type(obj).__name__}")
        pair_id = self.get(obj, "id", (str, int), where)
        status = self.get(obj, "status", str, where, optional=True, default="unreviewed")
        if status not in REVIEW_STATUSES:
            self.fail(where, f"unknown status {status!r}, expected one of {', '.join(REVIEW_STATUSES)}")
        confidence = self.get(obj, "confidence", (int, float), where, optional=True)
        return Pair(
            id=str(pair_id),
            source=self.get(obj, "source", str, where),
            target=self.get(obj, "target", str, where),
            source_start=self.get(obj, "source_start", int, where, optional=True),
            source_end=self.get(obj, "source_end", int, where, optional=True),
            terms=tuple(
                self.term(t, f"{where}, term {k}")
                for k, t in enumerate(self.get(obj, "terms", list, where, optional=True, default=[]))
            ),
            source_ids=self.ints(obj, "source_ids", where),
            target_ids=self.ints(obj, "target_ids", where),
            confidence=None if confidence is None else float(confidence),
            type=self.get(obj, "type", str, where, optional=True),
            status=status,
            original_source=self.get(obj, "original_source", str, where, optional=True),
            original_target=self.get(obj, "original_target", str, where, optional=True),
            history=tuple(
                self.history(h, f"{where}, history {k}")
                for k, h in enumerate(self.get(obj, "history", list, where, optional=True, default=[]))
            ),
            links=self.links(obj, where),
            names=tuple(
                self.term(t, f"{where}, name {k}")
                for k, t in enumerate(self.get(obj, "names", list, where, optional=True, default=[]))
            ),
            rerun_target=self.get(obj, "rerun_target", str, where, optional=True),
        )

    def document(self, data: Any) -> PairDocument:
        if not isinstance(data, dict):
            raise FormatError(f"{self.name}: expected a JSON object of pairs, found {type(data).__name__}")
        if data.get("format", FORMAT_ID) != FORMAT_ID:
            raise FormatError(f"{self.name}: format {data.get('format')!r} is not {FORMAT_ID!r}")
        version = data.get("format_version", FORMAT_VERSION)
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise FormatError(f"{self.name}: format version {version!r} is newer than this tool reads ({FORMAT_VERSION})")
        pairs = self.get(data, "pairs", list, "top level")
        result = tuple(self.pair(p, k) for k, p in enumerate(pairs))
        ids = [p.id for p in result]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise FormatError(f"{self.name}: pair id {dup!r} appears more than once")
        meta = {k: v for k, v in data.items() if k not in ("format", "format_version", "pairs")}
        return PairDocument(meta=meta, pairs=result)


def loads_document(text: str, name: str = "<string>") -> PairDocument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FormatError(f"{name}: not valid JSON at line {err.lineno} column {err.colno}: {err.msg}") from None
    except (ValueError, RecursionError) as err:  # a 5,000-digit number, nesting 100,000 deep
        raise FormatError(f"{name}: not a JSON file this tool reads ({type(err).__name__}: {str(err)[:80]})") from None
    return _Reader(name).document(data)


def read_json(path: Path | str) -> PairDocument:
    """Read pairs written by ``write_json`` (or by a script in the same shape)."""
    return loads_document(read_text(path), str(path))
