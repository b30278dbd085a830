"""One spelling for an unknown name throughout an article (``--consistent-names``).

A name the glossary lacks is spelt as the model likes, often differently
from one sentence to the next.  Here a name that ``mt glossary suggest``
would propose (``suggest_entries``) and that occurs in two or more segments
of an article gets the spelling the model wrote at its first mention, found
through the word links of that segment (``mt.translate.links``: the English
words whose attention peaks on the name), and that spelling is enforced at
every later mention like a glossary term.  These names are reported apart
from the glossary's terms (``Pair.names``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..glossary import Glossary, Source, suggest_entries
from ..types import TERM_PRODUCED, WordLink
from .engine import DecodeOptions, TermRequest, Translation, translate_texts

# The entry id of a name's requests: never an Arabic glossary id.
NAME_PREFIX = "name:"
_EDGE_PUNCTUATION = ".,;:!?\"'()[]«»“”"


@dataclass(frozen=True)
class NameMention:
    """A mention of a recurring unknown name: segment index, character span
    in that segment, the text there and the name (its Arabic form)."""

    segment: int
    start: int
    end: int
    source: str
    name: str


def name_mentions(
    texts: Sequence[str],
    glossary: Glossary | None = None,
    terms: Sequence[Sequence[TermRequest]] | None = None,
    common=None,
) -> list[list[NameMention]]:
    """Each segment's mentions of the names (``suggest_entries`` candidates)
    that occur in two or more of ``texts``, the segments of one article.

    Names and glossary terms are matched together, and a mention that
    overlaps one of ``terms`` (each segment's requests, short forms
    included) is left out, so a name never overlaps a term; mentions are
    found through clitics as terms are."""
    # Only candidates that something marks as a name (a title, a head such as
    # مدينة, a given name, a nisba), or a word of one (a surname after the
    # full name): recurring alone, a verb or a common noun would qualify too.
    proposed = suggest_entries([[Source(doc="", text=t) for t in texts]], glossary, common)
    cued_words = {w for c in proposed if c.cues for w in c.ar.split()}
    candidates = [c for c in proposed if c.cues or c.ar in cued_words]
    if not candidates:
        return [[] for _ in texts]
    names = {c.ar for c in candidates}
    known = list(glossary.entries) if glossary is not None else []
    together = Glossary([*known, *(c.entry() for c in candidates if c.ar not in {e.id for e in known})])
    terms = terms if terms is not None else [() for _ in texts]
    found = [
        [
            NameMention(i, m.start, m.end, m.text, m.entry.id)
            for m in matches
            if m.entry.id in names and not any(t.start < m.end and m.start < t.end for t in terms[i])
        ]
        for i, matches in enumerate(together.match_document(texts, short_forms=False))
    ]
    segments: dict[str, set[int]] = {}
    for mentions in found:
        for m in mentions:
            segments.setdefault(m.name, set()).add(m.segment)
    recurring = {name for name, where in segments.items() if len(where) >= 2}
    return [[m for m in mentions if m.name in recurring] for mentions in found]


def linked_spelling(target: str, links: Sequence[WordLink], start: int, end: int, max_words: int = 3) -> str | None:
    """The English the model wrote for the source span ``[start, end)``: the
    words linked to it, from the first on while they are adjacent (at most
    ``max_words``), without the punctuation around them."""
    words = sorted((k.en_start, k.en_end) for k in links if k.ar_start < end and start < k.ar_end)
    if not words:
        return None
    a, b = words[0]
    for x, y in words[1:max_words]:
        if target[b:x].strip():
            break
        b = y
    spelling = target[a:b].strip(_EDGE_PUNCTUATION + " ")
    return spelling or None


def _first_mentions(mentions: Sequence[Sequence[NameMention]]) -> dict[str, NameMention]:
    """Each name's first mention: by segment, then by place in it."""
    first: dict[str, NameMention] = {}
    for segment in mentions:
        for m in sorted(segment, key=lambda m: m.start):
            first.setdefault(m.name, m)
    return first


def first_spellings(mentions: Sequence[Sequence[NameMention]], targets: Sequence[str],
                    links: Sequence[Sequence[WordLink]]) -> dict[str, str]:
    """Each name's spelling at its first mention (see ``linked_spelling``);
    a name whose first mention has no linked English gets none."""
    spellings: dict[str, str] = {}
    for name, m in _first_mentions(mentions).items():
        # A name's English has about as many words as its Arabic.
        spelling = linked_spelling(targets[m.segment], links[m.segment], m.start, m.end, len(m.source.split()) + 1)
        if spelling:
            spellings[name] = spelling
    return spellings


def name_requests(mentions: Sequence[Sequence[NameMention]], spellings: dict[str, str]) -> dict[int, list[TermRequest]]:
    """The segments to translate again, each with the requests that enforce
    its names' spellings: those that hold a later mention of a name (their
    first mentions are enforced with them, so a name first written there
    keeps its spelling)."""
    first = _first_mentions(mentions)
    again: dict[int, list[TermRequest]] = {}
    for segment in mentions:
        spelt = [m for m in segment if m.name in spellings]
        if any(first[m.name] != m for m in spelt):
            again[spelt[0].segment] = [
                TermRequest(m.start, m.end, m.source, spellings[m.name], NAME_PREFIX + m.name) for m in spelt
            ]
    return again


@dataclass(frozen=True)
class NameHit:
    """A mention of a recurring name with the spelling it was given and what
    became of it (a term status); offsets into its segment."""

    mention: NameMention
    en: str
    status: str


def consistent_names(
    backend,
    texts: Sequence[str],
    terms: Sequence[Sequence[TermRequest]],
    results: Sequence[Translation],
    *,
    glossary: Glossary | None = None,
    options: DecodeOptions = DecodeOptions(),
    memory=None,
    links: bool = False,
    on_pass=None,
) -> tuple[list[Translation], list[tuple[NameHit, ...]]]:
    """The translations of one article's ``texts`` (``results``, with their
    word links) with each recurring unknown name spelt as at its first
    mention, and each text's name hits.

    The texts that hold a later mention are translated again with their
    terms and their names' spellings enforced (``translate_texts``, so a
    spelling is placed by attention like a glossary term); the others are
    kept as they are.  ``links``: whether the returned translations keep
    their word links."""
    mentions = name_mentions(texts, glossary, terms)
    spellings = first_spellings(mentions, [r.target for r in results], [r.links for r in results])
    again = name_requests(mentions, spellings)
    out = list(results)
    hits: list[tuple[NameHit, ...]] = []
    name_status: dict[int, dict[tuple[int, int], str]] = {}
    if again:
        order = sorted(again)
        redone = translate_texts(
            backend,
            [texts[i] for i in order],
            [[*terms[i], *again[i]] for i in order],
            options=options,
            memory=memory,
            links=links,
            on_pass=on_pass,
        )
        for i, result in zip(order, redone):
            out[i] = replace(result, statuses=result.statuses[: len(terms[i])])
            name_status[i] = {(r.start, r.end): s for r, s in zip(again[i], result.statuses[len(terms[i]) :])}
    for i, segment in enumerate(mentions):
        hits.append(tuple(
            NameHit(m, spellings[m.name], name_status.get(i, {}).get((m.start, m.end), TERM_PRODUCED))
            for m in segment
            if m.name in spellings
        ))
    if not links:
        out = [replace(r, links=()) for r in out]
    return out, hits
