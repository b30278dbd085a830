"""Word links: which Arabic word each English word of a translation attends to.

One teacher-forced pass over the final English (``Backend.attend``) gives the
decoder's cross-attention of each target piece on the source pieces.  A word's
pieces pool their attention, and the source piece with the most of it (the
source's ``</s>`` aside) names the Arabic word, widened to the whitespace
around it.  These links are what ``mt glossary suggest`` reads to propose the
English the model wrote for a name, and what ``--consistent-names`` uses to
find a name's first spelling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import WordLink
from .vocab import WORD_START

_WORD = re.compile(r"\S+")


def word_links(
    source: str,
    source_spans: Sequence[tuple[int, int]],
    target: str,
    target_pieces: Sequence[str],
    attention: Sequence[Sequence[float]],
) -> tuple[WordLink, ...]:
    """The links of ``target`` (whose pieces are ``target_pieces``) to the
    words of ``source`` (whose pieces span ``source_spans``), from
    ``attention[t][s]``; offsets are into ``target`` and ``source``.

    Target words are the runs of pieces that begin with a word start; each is
    found in ``target`` in order, and a word the text does not spell as its
    pieces do (a normalised character) is left without a link.
    """
    if not attention or not source_spans:
        return ()
    words: list[list[int]] = []
    for t, piece in enumerate(target_pieces[: len(attention)]):
        if piece.startswith(WORD_START) or not words:
            words.append([])
        words[-1].append(t)
    source_words = [(m.start(), m.end()) for m in _WORD.finditer(source)]
    links = []
    at = 0
    for word in words:
        text = "".join(target_pieces[t] for t in word).replace(WORD_START, " ").strip()
        if not text:
            continue
        found = target.find(text, at)
        if found < 0:
            continue
        at = found + len(text)
        mass = [sum(attention[t][s] for t in word) for s in range(len(source_spans))]
        best = max(range(len(mass)), key=mass.__getitem__)
        # The word holding the piece, or (a piece that is only the space
        # before a word) the word after it.
        around = next(((x, y) for x, y in source_words if y > source_spans[best][0]), None)
        if around is not None:
            links.append(WordLink(found, at, *around))
    return tuple(links)
