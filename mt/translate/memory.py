"""Translation memory: a SQLite file of segments already translated.

A segment is keyed by the model (backend, fingerprint, precision), the
decoding options, the glossary terms enforced in it and its normalised
source (``mt.text.normalize``), so a segment seen before under the same
conditions is never translated again: not on a rerun, not when it repeats in
an article.  Two spellings that normalise alike (with and without harakat,
Persian or Arabic kaf) share one translation: the first one translated.
Each batch is committed as soon as it is translated, so a run killed half
way loses at most the batch in flight.

A sentence whose terms must be forced waits, after its free pass, for a
constrained pass that decodes it on together with others (``engine._decode``).
Its free output waits in the ``drafts`` table meanwhile (``DraftStore``), so
a run stopped then reads it back instead of decoding it again; a draft is
deleted when its sentence is stored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import OutputError
from .backends import Hypothesis

_SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    statuses TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    key TEXT PRIMARY KEY,
    pieces TEXT NOT NULL,
    attention BLOB,
    log_probs BLOB,
    created TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Stored:
    """A remembered translation: the English text and the status of each
    enforced term, in the order of the segment's terms."""

    target: str
    statuses: tuple[str, ...]


def memory_key(identity: str, options: str, normalised_source: str, terms: Iterable[str]) -> str:
    payload = json.dumps([identity, options, normalised_source, list(terms)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationMemory:
    """A SQLite translation memory; ``path=None`` keeps it in memory only."""

    def __init__(self, path: Path | str | None):
        self.path = Path(path) if path is not None else None
        self.hits = 0
        self.misses = 0
        try:
            # One user at a time, but not always the thread that opened it (a Ray actor's).
            self._db = sqlite3.connect(str(self.path) if self.path else ":memory:", timeout=30, check_same_thread=False)
            if self.path:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self._db.commit()
        except sqlite3.DatabaseError as err:
            raise OutputError(f"{self.path}: cannot open the translation memory ({err})") from None
        self.drafts = DraftStore(self._db, self.path)

    def lookup(self, keys: Iterable[str]) -> dict[str, Stored]:
        """The remembered translations among ``keys``; counts hits and misses."""
        keys = list(dict.fromkeys(keys))
        found = _lookup(
            self._db, self.path, "segments", "target, statuses", keys,
            lambda target, statuses: Stored(target=target, statuses=tuple(json.loads(statuses))),
        )
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def store(self, items: Mapping[str, tuple[str, Stored]]) -> None:
        """Remember ``key → (source, translation)`` and commit at once."""
        now = _now()
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO segments (key, source, target, statuses, created) VALUES (?, ?, ?, ?, ?)",
                    [(k, src, t.target, json.dumps(list(t.statuses)), now) for k, (src, t) in items.items()],
                )
        except sqlite3.DatabaseError as err:
            raise OutputError(f"{self.path}: cannot write the translation memory ({err})") from None

    def __len__(self) -> int:
        try:
            return self._db.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise OutputError(f"{self.path}: cannot read the translation memory ({err})") from None

    def close(self) -> None:
        self._db.close()


def _lookup(db: sqlite3.Connection, path: Path | None, table: str, columns: str, keys: list[str], make) -> dict:
    """``key → make(*columns)`` for the rows of ``table`` whose key is among
    ``keys`` (500 a query); a row that cannot be read is one clear error."""
    out = {}
    try:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = db.execute(f"SELECT key, {columns} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            for key, *values in rows:
                out[key] = make(*values)
    except (sqlite3.DatabaseError, ValueError) as err:
        raise OutputError(f"{path}: cannot read the translation memory ({err})") from None
    return out


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def draft_key(identity: str, options: str, source: str) -> str:
    """A free output's key: the model, the decoding options and the exact
    source (not normalised: its attention has a row for each source piece)."""
    return memory_key(identity, options, source, ["<draft>"])


def _floats(rows) -> bytes | None:
    return None if rows is None else np.asarray(rows, dtype=np.float32).tobytes()


class DraftStore:
    """Free outputs waiting for their constrained pass, in the memory's file:
    the pieces, their attention and their log-probabilities (float32, as
    the backends give them)."""

    def __init__(self, db: sqlite3.Connection, path: Path | None):
        self._db, self.path = db, path

    def lookup(self, keys: Iterable[str]) -> dict[str, Hypothesis]:
        return _lookup(
            self._db, self.path, "drafts", "pieces, attention, log_probs", list(dict.fromkeys(keys)),
            lambda pieces, attention, log_probs: _hypothesis(json.loads(pieces), attention, log_probs),
        )

    def store(self, items: Mapping[str, Hypothesis]) -> None:
        """Keep the free outputs ``key → hypothesis`` until their sentences are stored."""
        now = _now()
        rows = [
            (k, json.dumps(list(h.pieces), ensure_ascii=False), _floats(h.attention), _floats(h.log_probs), now)
            for k, h in items.items()
        ]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO drafts (key, pieces, attention, log_probs, created) VALUES (?, ?, ?, ?, ?)", rows
                )
        except sqlite3.DatabaseError as err:
            raise OutputError(f"{self.path}: cannot write the translation memory ({err})") from None

    def forget(self, keys: Iterable[str]) -> None:
        """Drop the drafts of sentences that are done."""
        try:
            with self._db:
                self._db.executemany("DELETE FROM drafts WHERE key = ?", [(k,) for k in keys])
        except sqlite3.DatabaseError as err:
            raise OutputError(f"{self.path}: cannot write the translation memory ({err})") from None

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0]


def _hypothesis(pieces: list[str], attention: bytes | None, log_probs: bytes | None) -> Hypothesis:
    rows = None
    if attention is not None:
        flat = np.frombuffer(attention, dtype=np.float32)
        width = len(flat) // max(1, len(pieces))
        rows = tuple(tuple(float(x) for x in flat[t * width : (t + 1) * width]) for t in range(len(pieces)))
    probs = None if log_probs is None else tuple(float(x) for x in np.frombuffer(log_probs, dtype=np.float32))
    return Hypothesis(pieces=tuple(pieces), attention=rows, log_probs=probs)
