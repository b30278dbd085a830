"""Reviewed work kept when ``mt translate`` writes an article again.

A pairs JSON that a reviewer worked on (``mt review``) holds approvals,
rejections, edits, merges, splits and their history.  A rerun (a glossary
entry added, another beam …) makes new machine pairs; ``carry_review`` puts
the reviewed ones back wherever their Arabic is unchanged:

* the old and the new pairs are lined up by their machine Arabic (spaces
  aside): runs of old and new pairs that cover the same Arabic, from one
  shared pair boundary to the next, are one block (1–1, or a merge over
  several new pairs, or a split of one);
* a block with a reviewed pair (a status, an edit, a history) keeps the old
  pairs; when the new machine English of the block differs from the one
  they were reviewed on, it goes into each pair's ``rerun_target`` for a
  look, the reviewed English staying; a 1–1 or merged block takes the new
  glossary terms, their statuses checked on the reviewed English;
* every other block takes the new pairs;
* a reviewed pair whose Arabic is no longer in the article is dropped, and
  counted (the caller keeps a copy of the old file).

The review metadata's version is counted up (a review page that still shows
the old file is told to reload), and its undo stack is emptied: it holds
pairs of the old run.
"""

from __future__ import annotations

import bisect
import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from ..errors import MTError
from ..formats import REVIEW_KEY, read_json, review_version, utc_now, write_json
from ..glossary import check_statuses
from ..text import held_lock, write_bytes_atomic
from ..types import Pair, PairDocument

log = logging.getLogger(__name__)

# How long a rerun waits for ``mt review`` to finish saving the same file.
LOCK_TIMEOUT = 30.0


@dataclass(frozen=True)
class Carried:
    """What a rerun did with an article's reviewed pairs."""

    kept: int = 0  # reviewed pairs kept
    to_look: int = 0  # of them, with a new machine English beside (``rerun_target``)
    dropped: int = 0  # reviewed pairs whose Arabic is gone (in the old file's copy only)

    def __add__(self, other: Carried) -> Carried:
        return Carried(self.kept + other.kept, self.to_look + other.to_look, self.dropped + other.dropped)

    def __bool__(self) -> bool:
        return bool(self.kept or self.dropped)

    def describe(self) -> str:
        """"reviewed pairs: 3 kept (1 with new machine English to look at), 0 dropped"."""
        look = f" ({self.to_look} with new machine English to look at)" if self.to_look else ""
        return f"reviewed pairs: {self.kept} kept{look}, {self.dropped} dropped"


def reviewed(pair: Pair) -> bool:
    """Whether a reviewer did anything to ``pair``."""
    return pair.status != "unreviewed" or pair.edited or bool(pair.history) or pair.rerun_target is not None


def reviewed_count(document: PairDocument) -> int:
    return sum(reviewed(p) for p in document.pairs)


def _machine_texts(pairs: Sequence[Pair], side: str) -> list[str]:
    """Each pair's machine text of ``side`` (``original_…`` once edited),
    without spaces: a split may cut inside a word, a merge joins with one."""
    texts = (getattr(p, side) if getattr(p, f"original_{side}") is None else getattr(p, f"original_{side}") for p in pairs)
    return ["".join(text.split()) for text in texts]


def _machine(pairs: Sequence[Pair]) -> str:
    """The machine English of a run of pairs."""
    return "".join(_machine_texts(pairs, "target"))


def blocks(old: Sequence[Pair], new: Sequence[Pair]) -> list[tuple[range, range]]:
    """Runs of ``old`` and ``new`` pairs that cover the same Arabic.  Pairs
    whose machine Arabic is the same are lined up one to one first (a
    sequence match over the pairs, a pair without Arabic of its own going
    with the one before it); between those, runs go from one pair boundary
    both sides share to the next, inside a stretch of Arabic the two have in
    common (merges, splits)."""
    a, b = _machine_texts(old, "source"), _machine_texts(new, "source")
    groups_a, groups_b = _groups(a), _groups(b)
    keys_a = ["".join(a[g.start : g.stop]) for g in groups_a]
    keys_b = ["".join(b[g.start : g.stop]) for g in groups_b]
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [(groups_a[i1 + k], groups_b[j1 + k]) for k in range(i2 - i1)]
        elif i1 < i2 and j1 < j2:
            start_a, start_b = groups_a[i1].start, groups_b[j1].start
            out += [
                (range(start_a + r.start, start_a + r.stop), range(start_b + q.start, start_b + q.stop))
                for r, q in _char_blocks(a[start_a : groups_a[i2 - 1].stop], b[start_b : groups_b[j2 - 1].stop])
            ]
    return out


def _groups(texts: Sequence[str]) -> list[range]:
    """Each pair with Arabic and the pairs without any right after it."""
    starts = [k for k, text in enumerate(texts) if text or k == 0]
    return [range(s, e) for s, e in zip(starts, [*starts[1:], len(texts)])]


def _char_blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[range, range]]:
    """``blocks`` within a stretch where the pairs differ: by characters."""
    ends_a, ends_b = list(itertools.accumulate(map(len, a))), list(itertools.accumulate(map(len, b)))
    text_a, text_b = "".join(a), "".join(b)
    if not text_a or not text_b:
        return []
    matching = SequenceMatcher(None, text_a, text_b, autojunk=False).get_matching_blocks()
    bounds_a, bounds_b = {0, *ends_a}, {0, *ends_b}

    def run(ends: list[int], p: int, q: int) -> range:
        # the pairs that end in (p, q]: a pair without Arabic goes with the one before it
        return range(bisect.bisect_right(ends, p) if p else 0, bisect.bisect_right(ends, q))

    out = []
    for i, j, size in matching:
        shared = [d for d in range(size + 1) if i + d in bounds_a and j + d in bounds_b]
        for d0, d1 in itertools.pairwise(shared):
            out.append((run(ends_a, i + d0, i + d1), run(ends_b, j + d0, j + d1)))
    return out


def _kept(old_run: Sequence[Pair], new_run: Sequence[Pair], same_article: bool) -> list[Pair]:
    """The reviewed pairs of a block, brought up to the new run: offsets
    into the article as it is now, terms (1–1 or merged) and, where the
    machine English changed, the new one beside (or none, where a rerun
    wrote again the English reviewed)."""
    changed = _machine(old_run) != _machine(new_run)
    new_english = " ".join(p.target for p in new_run)
    one = len(old_run) == 1
    # Offsets into an article that changed: moved as the run's first pair
    # moved, where that pair is the article's text there; else unknown.
    first, located = old_run[0], None
    if not same_article and first.original_source is None and first.source == new_run[0].source:
        if first.source_start is not None and new_run[0].source_start is not None:
            located = new_run[0].source_start - first.source_start
    out = []
    for pair in old_run:
        update: dict = {"rerun_target": new_english if changed else None}
        if not same_article and located is None:
            update.update(source_start=None, source_end=None)
        elif located:
            update["source_start"] = None if pair.source_start is None else pair.source_start + located
            update["source_end"] = None if pair.source_end is None else pair.source_end + located
            update["terms"] = tuple(replace(t, start=t.start + located, end=t.end + located) for t in pair.terms)
        if one:
            terms = tuple(t for p in new_run for t in p.terms)
            statuses = check_statuses(pair.target, [t.en for t in terms], [t.status for t in terms], found_is_produced=True)
            update["terms"] = tuple(replace(t, status=s) for t, s in zip(terms, statuses))
        out.append(replace(pair, **update))
    return out


def _unique_ids(pairs: Sequence[Pair]) -> tuple[Pair, ...]:
    """The pairs with ids made unique: a reviewed pair keeps its id (scores
    and CAT tools match pairs by it), a new pair whose id it took gets
    ``#2``, ``#3`` …"""
    seen = {p.id for p in pairs if reviewed(p)}
    out = []
    for pair in pairs:
        if reviewed(pair):
            out.append(pair)
            continue
        pair_id, n = pair.id, 1
        while pair_id in seen:
            n += 1
            pair_id = f"{pair.id}#{n}"
        seen.add(pair_id)
        out.append(pair if pair_id == pair.id else replace(pair, id=pair_id))
    return tuple(out)


def carry_review(old: PairDocument, new: PairDocument) -> tuple[PairDocument, Carried]:
    """``new`` with the reviewed pairs of ``old`` put back where their Arabic
    is unchanged (see the module docstring), and what became of them."""
    total = reviewed_count(old)
    if not total and REVIEW_KEY not in old.meta:
        return new, Carried()
    same_article = old.meta.get("source_sha256") is not None and old.meta.get("source_sha256") == new.meta.get("source_sha256")
    pairs: list[Pair] = []
    kept = to_look = 0
    taken = 0  # new pairs placed so far
    for old_range, new_range in blocks(old.pairs, new.pairs):
        pairs += new.pairs[taken : new_range.start]  # new pairs of Arabic the old file did not have
        old_run, new_run = old.pairs[old_range.start : old_range.stop], new.pairs[new_range.start : new_range.stop]
        if any(reviewed(p) for p in old_run):
            run = _kept(old_run, new_run, same_article)
            kept += sum(reviewed(p) for p in old_run)
            to_look += sum(p.rerun_target is not None for p in run)
            pairs += run
        else:
            pairs += new_run
        taken = new_range.stop
    pairs += new.pairs[taken:]
    meta = {**new.meta, REVIEW_KEY: _next_review(old)}
    return PairDocument(meta=meta, pairs=_unique_ids(pairs)), Carried(kept, to_look, total - kept)


def _next_review(old: PairDocument) -> dict:
    """The review record of a file written over ``old``: its version counted
    up, so a page that still shows ``old`` is refused its next save, and no
    undo (it would put back pairs of the old run)."""
    return {"version": review_version(old) + 1, "undo": []}


def backup_path(json_path: Path) -> Path:
    """Where the old file is copied before reviewed pairs leave it: beside
    it, stamped (and counted, within one second), never a ``*.json`` that a
    glob of outputs would pick up."""
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    path, n = json_path.with_name(f"{json_path.name}.{stamp}.bak"), 1
    while path.exists():
        n += 1
        path = json_path.with_name(f"{json_path.name}.{stamp}-{n}.bak")
    return path


def _keep_copy(json_path: Path, why: str) -> None:
    copy = backup_path(json_path)
    write_bytes_atomic(copy, json_path.read_bytes())
    log.warning("%s: %s; the old file is kept as %s", json_path, why, copy)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def write_keeping_review(document: PairDocument, json_path: Path, *, force: bool = False) -> tuple[PairDocument, Carried]:
    """Write ``document`` to ``json_path`` (atomically), the reviewed pairs
    of the file already there carried over (``carry_review``), under the
    file's lock that ``mt review`` takes too.  With ``force``, the new
    pairs only.  Whenever reviewed pairs are left out (``force``, Arabic
    gone, a file that cannot be read), the old file is copied beside first
    and a warning names how many.  Gives the document written."""
    with held_lock(
        f"{json_path.resolve()}.lock",
        timeout=LOCK_TIMEOUT,
        busy=f"{json_path}: mt review is saving it ({json_path}.lock held {LOCK_TIMEOUT:.0f} s); run again when it is done",
    ):
        carried = Carried()
        if json_path.is_file():
            try:
                old = read_json(json_path)
            except MTError as err:
                _keep_copy(json_path, f"cannot be read, so any review in it is not carried over ({err})")
                old = None
            if old is not None and force:
                carried = Carried(dropped=reviewed_count(old))
                if carried.dropped:
                    _keep_copy(json_path, f"--force drops {_plural(carried.dropped, 'reviewed pair')}")
                if REVIEW_KEY in old.meta:
                    document = PairDocument(meta={**document.meta, REVIEW_KEY: _next_review(old)}, pairs=document.pairs)
            elif old is not None:
                document, carried = carry_review(old, document)
                if carried.dropped:
                    _keep_copy(json_path, f"{_plural(carried.dropped, 'reviewed pair')} no longer match the article's Arabic")
        write_json(document, json_path)
    return document, carried
