"""Review actions: pure functions from a ``PairDocument`` to a new one.

``approve``, ``reject``, ``edit``, ``split`` and ``merge`` each replace a run
of pairs by new ones and record it; ``undo`` puts the last run back.

The record lives in the document's top-level ``review`` metadata::

    "review": {"version": 7, "undo": [{"action": "split", "at": "…Z",
               "ids": ["3.1", "3.2"], "pairs": [{…pair 3 as in the JSON…}]}]}

``version`` counts the actions saved so far (a client sends back the version
it saw, so two tabs cannot overwrite each other's work); each undo entry names
the ids the action produced and holds the pairs it replaced, exactly as they
were.  At most ``UNDO_LIMIT`` entries are kept.

Each pair also gets a line in its own ``history``: ``approve``/``reject``
(``before``/``after`` = the status), ``edit_source``/``edit_target`` (the
text), ``split`` (``before`` = the parent id, ``after`` = the new id) and
``merge`` (``before`` = ``"A + B"``, ``after`` = the new id).  Undo restores
the earlier pairs, history included.

Editing keeps the machine text in ``original_source``/``original_target``;
editing a side back to that text clears it again.  A split of an edited
pair gives the first part the whole machine text of each side and the
second ``""``.  Approving, rejecting or
editing the English of a pair clears its ``rerun_target`` (the new machine
English a rerun of ``mt translate`` left beside it): it has been looked at.  Split and merge give
``unreviewed`` pairs with fresh ids and no alignment ``confidence``/``type``,
since a reviewer made them.  A split of ``3`` gives ``3.1``/``3.2``; a merge
gives the first id's first ``+``-component, ``+``, and the second id's last
one (``3`` and ``4`` → ``3+4``, ``3+4`` and ``5`` → ``3+5``, ``2.1`` and
``2.2`` → ``2.1+2.2``), so merging again and again does not make ids grow;
when that id is taken a ``#2``, ``#3`` … suffix makes it unique.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..errors import FormatError, InputError
from ..formats import REVIEW_KEY, check_xml_text, loads_document, pair_to_dict, review_version, utc_now
from ..glossary import check_statuses
from ..types import HistoryItem, Pair, PairDocument, TermHit

UNDO_LIMIT = 50
HISTORY_LIMIT = 50
MAX_TEXT = 100_000  # characters of one edited side
MAX_ID = 200
SIDES = ("source", "target")
ACTIONS = ("approve", "reject", "edit", "split", "merge", "undo")


class ActionError(InputError):
    """An action that cannot be applied to this document (nothing to undo, no next pair …)."""


class InvalidRequest(ActionError):
    """A request that is not a well-formed action."""


class UnknownPair(ActionError):
    """A request naming a pair id the document does not have."""


class StaleVersion(ActionError):
    """A request made against an older version of the document."""


@dataclass(frozen=True)
class Action:
    """One parsed request: ``kind`` is one of ``ACTIONS``."""

    kind: str
    version: int
    pair_id: str | None = None
    source: str | None = None
    target: str | None = None
    source_offset: int | None = None
    target_offset: int | None = None


# ---- the review metadata ------------------------------------------------------


def _review_meta(document: PairDocument) -> dict:
    value = document.meta.get(REVIEW_KEY)
    return value if isinstance(value, dict) else {}


def undo_entries(document: PairDocument) -> list[dict]:
    """The undo stack, oldest first (malformed entries are dropped)."""
    entries = _review_meta(document).get("undo", [])
    if not isinstance(entries, list):
        return []
    return [
        e
        for e in entries
        if isinstance(e, dict)
        and isinstance(e.get("ids"), list)
        and isinstance(e.get("pairs"), list)
        and isinstance(e.get("action"), str)
    ]


def last_undoable(document: PairDocument) -> str | None:
    """The name of the action ``undo`` would take back, or ``None``."""
    entries = undo_entries(document)
    return entries[-1]["action"] if entries else None


def _with_review(document: PairDocument, pairs: tuple[Pair, ...], undo: list[dict]) -> PairDocument:
    review = {**_review_meta(document), "version": review_version(document) + 1, "undo": undo[-UNDO_LIMIT:]}
    return PairDocument(meta={**document.meta, REVIEW_KEY: review}, pairs=pairs)


def bump_version(document: PairDocument, pairs: tuple[Pair, ...]) -> PairDocument:
    """``document`` with ``pairs`` and its version counted up, and nothing for
    undo to take back (terms added with a new glossary entry)."""
    return _with_review(document, pairs, undo_entries(document))


def _commit(document: PairDocument, action: str, at: str, index: int, count: int, new: tuple[Pair, ...]) -> PairDocument:
    """Replace ``count`` pairs at ``index`` by ``new`` and push an undo entry."""
    old = document.pairs[index : index + count]
    entry = {"action": action, "at": at, "ids": [p.id for p in new], "pairs": [pair_to_dict(p) for p in old]}
    pairs = document.pairs[:index] + new + document.pairs[index + count :]
    return _with_review(document, pairs, [*undo_entries(document), entry])


# ---- helpers ------------------------------------------------------------------


def _now(at: str | None) -> str:
    return at or utc_now().isoformat().replace("+00:00", "Z")


def _find(document: PairDocument, pair_id: str) -> int:
    for index, pair in enumerate(document.pairs):
        if pair.id == pair_id:
            return index
    raise UnknownPair(f"no pair with id {pair_id!r} in this document; reload the page")


def _log(history: tuple[HistoryItem, ...], *items: HistoryItem) -> tuple[HistoryItem, ...]:
    return (history + items)[-HISTORY_LIMIT:]


def _join(*texts: str) -> str:
    return " ".join(t for t in texts if t)


def _cut(text: str, offset: int) -> tuple[tuple[str, int], tuple[str, int]]:
    """Split ``text`` at ``offset``; each part stripped, with its leading-space count."""
    parts = []
    for start, piece in ((0, text[:offset]), (offset, text[offset:])):
        lead = len(piece) - len(piece.lstrip())
        parts.append((piece.strip(), start + lead))
    return parts[0], parts[1]


def _fresh_split_ids(pair_id: str, taken: set[str]) -> tuple[str, str]:
    k = 1
    while f"{pair_id}.{k}" in taken or f"{pair_id}.{k + 1}" in taken:
        k += 1
    return f"{pair_id}.{k}", f"{pair_id}.{k + 1}"


def _merged_id(first: str, second: str, taken: set[str]) -> str:
    """The compact id of ``first`` merged with ``second`` (see the module doc), unique among ``taken``."""
    head = first.split("+")[0] or first
    tail = second.split("+")[-1] or second
    return _fresh_id(f"{head}+{tail}", taken)


def _fresh_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    k = 2
    while f"{base}#{k}" in taken:
        k += 1
    return f"{base}#{k}"


def _offsets_exact(pair: Pair) -> bool:
    """Whether ``source`` is exactly the article text between the pair's offsets."""
    return (
        pair.source_start is not None
        and pair.source_end is not None
        and pair.original_source is None
        and pair.source_end - pair.source_start == len(pair.source)
    )


# ---- the actions --------------------------------------------------------------


def _set_status(document: PairDocument, pair_id: str, status: str, action: str, at: str | None) -> PairDocument:
    index = _find(document, pair_id)
    pair = document.pairs[index]
    if pair.status == status and pair.rerun_target is None:
        return document
    at = _now(at)
    # Approving (or rejecting) again after a rerun: the reviewer has looked
    # at the new machine English beside it, which is the machine English now.
    new = replace(
        _rerun_seen(pair), status=status, history=_log(pair.history, HistoryItem(action, at, pair.status, status))
    )
    return _commit(document, action, at, index, 1, (new,))


def _rerun_seen(pair: Pair) -> Pair:
    """``pair`` once a reviewer has looked at the machine English a rerun
    left beside it (``rerun_target``): that is its machine English now, so
    the next rerun that writes it again flags nothing."""
    if pair.rerun_target is None:
        return pair
    machine = pair.rerun_target
    return replace(pair, rerun_target=None, original_target=None if machine == pair.target else machine)


def approve(document: PairDocument, pair_id: str, *, at: str | None = None) -> PairDocument:
    """Mark a pair approved (no change if it already is)."""
    return _set_status(document, pair_id, "approved", "approve", at)


def reject(document: PairDocument, pair_id: str, *, at: str | None = None) -> PairDocument:
    """Mark a pair rejected (no change if it already is)."""
    return _set_status(document, pair_id, "rejected", "reject", at)


def edit(
    document: PairDocument, pair_id: str, *, source: str | None = None, target: str | None = None, at: str | None = None
) -> PairDocument:
    """Replace the Arabic and/or English text of a pair, keeping the machine text.

    Texts are stripped; an unchanged side is left alone, and a side edited back
    to its machine text is no longer counted as edited.
    """
    if source is None and target is None:
        raise InvalidRequest("edit needs 'source' or 'target'")
    index = _find(document, pair_id)
    pair = document.pairs[index]
    if target is not None and target.strip() != pair.target:
        pair = _rerun_seen(pair)
    at = _now(at)
    changes: dict[str, Any] = {}
    items: list[HistoryItem] = []
    for side, text in zip(SIDES, (source, target)):
        current = getattr(pair, side)
        if text is None or text.strip() == current:
            continue
        text = text.strip()
        if not text:
            raise InvalidRequest(f"an edit cannot empty the {'Arabic' if side == 'source' else 'English'} side; reject the pair instead")
        original = getattr(pair, f"original_{side}")
        if original is None:
            original = current
        elif text == original:
            original = None
        changes[side] = text
        changes[f"original_{side}"] = original
        items.append(HistoryItem(f"edit_{side}", at, current, text))
    if not changes:
        return document
    if "target" in changes:
        changes["terms"] = recheck_terms(pair.terms, changes["target"])
        changes["links"] = ()  # word links point into the English the model wrote
    new = replace(pair, **changes, history=_log(pair.history, *items))
    return _commit(document, "edit", at, index, 1, (new,))


def recheck_terms(terms: tuple[TermHit, ...], target: str) -> tuple[TermHit, ...]:
    """The terms' statuses against an edited English ``target``: a term no
    longer there is ``missing``; one a reviewer wrote in counts as
    ``produced``; the others keep theirs."""
    statuses = check_statuses(target, [t.en for t in terms], [t.status for t in terms], found_is_produced=True)
    return tuple(term if term.status == status else replace(term, status=status) for term, status in zip(terms, statuses))


def split(
    document: PairDocument, pair_id: str, source_offset: int, target_offset: int, *, at: str | None = None
) -> PairDocument:
    """Split a pair in two at a character offset in each side.

    Both new pairs must keep some text.  Terms go with the part holding them
    whole, offsets unchanged; a term the split point cuts through (or that
    is no longer in the source) is in neither part and is dropped.  Article
    offsets are carried over when the source is the unedited article text
    (each part's span is then exactly its stripped text), otherwise they
    become ``null``.
    """
    index = _find(document, pair_id)
    pair = document.pairs[index]
    for side, offset in zip(SIDES, (source_offset, target_offset)):
        size = len(getattr(pair, side))
        if not 0 <= offset <= size:
            raise ActionError(f"split point {offset} is outside the {side} text of pair {pair_id!r} (0–{size})")
    (s1, s1_at), (s2, s2_at) = _cut(pair.source, source_offset)
    (t1, _), (t2, _) = _cut(pair.target, target_offset)
    if not (s1 or t1) or not (s2 or t2):
        raise ActionError(f"splitting pair {pair_id!r} there leaves an empty pair; put the cursor inside the text")
    at = _now(at)
    id1, id2 = _fresh_split_ids(pair.id, {p.id for p in document.pairs})
    first_terms, second_terms = _share_terms(pair, source_offset)

    def offsets(text: str, local: int) -> tuple[int | None, int | None]:
        if not text or not _offsets_exact(pair):
            return None, None
        start = pair.source_start + local
        return start, start + len(text)

    common = {"status": "unreviewed", "confidence": None, "type": None}
    # Once a side is edited, the machine texts cannot be cut where the
    # reviewer cuts (the Arabic and the English no longer match word for
    # word): the first part keeps both whole, the second none ("").  A merge
    # of the two then gives them back once, and a rerun lines them up.
    firsts, seconds = {}, {}
    if pair.edited:
        for side in SIDES:
            original = getattr(pair, f"original_{side}")
            firsts[f"original_{side}"] = getattr(pair, side) if original is None else original
            seconds[f"original_{side}"] = ""
    parts = []
    for new_id, s, s_at, t, terms, more in (
        (id1, s1, s1_at, t1, first_terms, firsts),
        (id2, s2, s2_at, t2, second_terms, seconds),
    ):
        start, end = offsets(s, s_at)
        parts.append(
            replace(
                pair,
                **more,
                id=new_id,
                source=s,
                target=t,
                source_start=start,
                source_end=end,
                terms=terms,
                links=(),
                history=_log(pair.history, HistoryItem("split", at, pair.id, new_id)),
                **common,
            )
        )
    return _commit(document, "split", at, index, 1, tuple(parts))


def term_places(pair: Pair) -> list[int | None]:
    """Where each of the pair's terms starts in its source text, or ``None`` when it is not there.

    A term sits at its article offset when the text there is the term;
    otherwise at the first occurrence of its text not already given to
    another term (as the page highlights it).
    """
    places: list[int | None] = []
    used: set[int] = set()
    for term in pair.terms:
        width = len(term.source)
        place = -1
        if width and pair.source_start is not None:
            local = term.start - pair.source_start
            if local >= 0 and local not in used and pair.source[local : local + width] == term.source:
                place = local
        if place < 0 and width:
            place = pair.source.find(term.source)
            while place in used:
                place = pair.source.find(term.source, place + 1)
        if place >= 0:
            used.add(place)
        places.append(place if place >= 0 else None)
    return places


def _share_terms(pair: Pair, source_offset: int) -> tuple[tuple, tuple]:
    """The pair's terms that lie whole in the first and in the second part of a split.

    A term that straddles ``source_offset``, or that cannot be found in the
    source, is in neither.
    """
    first, second = [], []
    for term, place in zip(pair.terms, term_places(pair)):
        if place is None:
            continue
        if place + len(term.source) <= source_offset:
            first.append(term)
        elif place >= source_offset:
            second.append(term)
    return tuple(first), tuple(second)


def merge(document: PairDocument, pair_id: str, *, at: str | None = None) -> PairDocument:
    """Merge a pair with the next one: texts joined with a space, terms and ids combined.

    The article span runs from the first start to the last end when both
    pairs have one, and is ``null`` otherwise.
    """
    index = _find(document, pair_id)
    if index + 1 >= len(document.pairs):
        raise ActionError(f"pair {pair_id!r} is the last pair; there is no next pair to merge it with")
    a, b = document.pairs[index], document.pairs[index + 1]
    at = _now(at)
    new_id = _merged_id(a.id, b.id, {p.id for p in document.pairs})
    texts: dict[str, Any] = {}
    for side in SIDES:
        current = _join(getattr(a, side), getattr(b, side))
        texts[side] = current
        originals = [getattr(p, f"original_{side}") for p in (a, b)]
        original = None
        if any(o is not None for o in originals):
            original = _join(*(o if o is not None else getattr(p, side) for o, p in zip(originals, (a, b))))
        texts[f"original_{side}"] = None if original == current else original
    # A span only when both pairs have one: one pair's span alone would not
    # cover the merged source.
    start = end = None
    if None not in (a.source_start, a.source_end, b.source_start, b.source_end):
        start = min(int(a.source_start or 0), int(b.source_start or 0))
        end = max(int(a.source_end or 0), int(b.source_end or 0))
    merged = Pair(
        id=new_id,
        **texts,
        source_start=start,
        source_end=end,
        terms=a.terms + b.terms,
        source_ids=tuple(sorted(set(a.source_ids + b.source_ids))),
        target_ids=tuple(sorted(set(a.target_ids + b.target_ids))),
        status="unreviewed",
        history=_log(a.history + b.history, HistoryItem("merge", at, f"{a.id} + {b.id}", new_id)),
    )
    return _commit(document, "merge", at, index, 2, (merged,))


def undo(document: PairDocument) -> PairDocument:
    """Take back the last action: the pairs it made give way to the pairs it replaced."""
    entries = undo_entries(document)
    if not entries:
        raise ActionError("nothing to undo")
    entry = entries[-1]
    ids = [str(i) for i in entry["ids"]]
    current = [p.id for p in document.pairs]
    index = current.index(ids[0]) if ids and ids[0] in current else -1
    if index < 0 or current[index : index + len(ids)] != ids:
        raise ActionError(f"cannot undo {entry['action']}: pairs {', '.join(ids)} have changed since")
    try:
        restored = loads_document(json.dumps({"pairs": entry["pairs"]}), "undo record").pairs
    except FormatError as err:
        raise ActionError(f"cannot undo {entry['action']}: {err}") from None
    others = set(current) - set(ids)
    clash = next((p.id for p in restored if p.id in others), None)
    if clash is not None:
        raise ActionError(f"cannot undo {entry['action']}: pair id {clash!r} is in use again")
    pairs = document.pairs[:index] + restored + document.pairs[index + len(ids) :]
    return _with_review(document, pairs, entries[:-1])


# ---- requests -----------------------------------------------------------------

_KEYS = {
    "approve": {"id"},
    "reject": {"id"},
    "edit": {"id", "source", "target"},
    "split": {"id", "source_offset", "target_offset"},
    "merge": {"id"},
    "undo": set(),
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_action(body: Any) -> Action:
    """Check a decoded JSON request strictly and return it as an ``Action``.

    Shape: ``{"action": …, "version": N, "id": …}`` plus ``source``/``target``
    (edit) or ``source_offset``/``target_offset`` (split); anything else raises
    ``InvalidRequest``.
    """
    if not isinstance(body, Mapping):
        raise InvalidRequest(f"expected a JSON object, found {type(body).__name__}")
    kind = body.get("action")
    if kind not in _KEYS:
        raise InvalidRequest(f"unknown action {kind!r}, expected one of {', '.join(ACTIONS)}")
    allowed = _KEYS[kind] | {"action", "version"}
    extra = sorted(set(body) - allowed)
    if extra:
        raise InvalidRequest(f"unexpected key {extra[0]!r} for {kind}")
    version = body.get("version")
    if not _is_int(version) or version < 0:
        raise InvalidRequest("'version' must be a non-negative integer (the version the page last saw)")
    fields: dict[str, Any] = {}
    if "id" in _KEYS[kind]:
        pair_id = body.get("id")
        if not isinstance(pair_id, str) or not 0 < len(pair_id) <= MAX_ID:
            raise InvalidRequest(f"'id' must be a pair id (a string of 1–{MAX_ID} characters)")
        fields["pair_id"] = pair_id
    if kind == "edit":
        for side in SIDES:
            text = body.get(side)
            if text is None:
                continue
            if not isinstance(text, str) or len(text) > MAX_TEXT:
                raise InvalidRequest(f"'{side}' must be a string of at most {MAX_TEXT} characters")
            try:
                check_xml_text(text, f"the new {side} text")
            except FormatError as err:
                raise InvalidRequest(str(err)) from None
            fields[side] = text
        if not fields.keys() & set(SIDES):
            raise InvalidRequest("edit needs 'source' or 'target'")
    if kind == "split":
        for key in ("source_offset", "target_offset"):
            value = body.get(key)
            if not _is_int(value) or value < 0:
                raise InvalidRequest(f"'{key}' must be a non-negative integer")
            fields[key] = value
    return Action(kind=kind, version=version, **fields)


def apply_action(document: PairDocument, action: Action, *, at: str | None = None) -> PairDocument:
    """Apply ``action`` if it was made against the current version.

    Returns ``document`` itself when the action changes nothing (approving an
    approved pair, an edit to the same text).
    """
    current = review_version(document)
    if action.version != current:
        raise StaleVersion(f"the file has changed since the page loaded it (version {current}, not {action.version}); reload")
    if action.kind == "undo":
        return undo(document)
    pair_id = str(action.pair_id)
    if action.kind == "approve":
        return approve(document, pair_id, at=at)
    if action.kind == "reject":
        return reject(document, pair_id, at=at)
    if action.kind == "edit":
        return edit(document, pair_id, source=action.source, target=action.target, at=at)
    if action.kind == "split":
        return split(document, pair_id, int(action.source_offset or 0), int(action.target_offset or 0), at=at)
    return merge(document, pair_id, at=at)
