"""The data types passed between stages: frozen, hashable, offset-carrying."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """One sentence (or headline, caption, byline) of a document.

    ``start``/``end`` are character offsets into the decoded document text and
    ``text == document[start:end]``, with no surrounding whitespace.
    ``paragraph`` counts the document's non-empty lines, from 0.
    """

    doc: str
    index: int
    text: str
    start: int
    end: int
    paragraph: int = 0
