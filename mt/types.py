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


# Status of a glossary term in a translated segment.
TERM_PRODUCED = "produced"  # the model wrote the canonical English form by itself
TERM_FORCED = "forced"  # the decoder was steered to write it
TERM_MISSING = "missing"  # not in the output (see docs/formats.md for when)
TERM_STATUSES = (TERM_PRODUCED, TERM_FORCED, TERM_MISSING)

# Review status of a pair.
REVIEW_STATUSES = ("unreviewed", "approved", "rejected")


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a source segment, and what became of it.

    ``start``/``end`` are offsets into the article text (the same frame as a
    pair's ``source_start``); ``entry`` is the glossary entry id.  A short
    form (a surname after the full name) has ``via``, the id of the entry
    it stands for, and ``entry`` is the short form's Arabic.  ``ambiguous``:
    the entry's Arabic is also a common word (ظريف "witty" → Zarif), so the
    match may be the word and needs a look.
    """

    source: str
    start: int
    end: int
    en: str
    entry: str
    status: str = TERM_PRODUCED
    via: str | None = None
    ambiguous: bool = False


@dataclass(frozen=True)
class WordLink:
    """An English word of a pair's target and the Arabic word its decoder
    cross-attention peaks on: ``en_start``/``en_end`` are offsets into the
    pair's target, ``ar_start``/``ar_end`` into the article text (the frame of
    ``source_start`` and of a term's ``start``)."""

    en_start: int
    en_end: int
    ar_start: int
    ar_end: int


@dataclass(frozen=True)
class HistoryItem:
    """One review action on a pair: what was done, when, and the text before it."""

    action: str
    at: str
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Pair:
    """A source segment (or several) with its English side.

    ``id`` is unique within its document and is how pairs of two files are
    matched (scoring).  Translation pairs carry offsets into the article;
    alignment pairs carry the segment indices of each side (``source_ids``,
    ``target_ids``), a ``confidence`` and a ``type`` such as ``"2-1"``.
    Review keeps the machine output in ``original_source``/``original_target``
    once a side is edited (the second part of a split edited side keeps
    ``""``: the machine text went to the first), and a short ``history``; a
    rerun that would change a reviewed pair's English leaves it and puts the
    new machine English in ``rerun_target``.
    """

    id: str
    source: str
    target: str
    source_start: int | None = None
    source_end: int | None = None
    terms: tuple[TermHit, ...] = ()
    source_ids: tuple[int, ...] = ()
    target_ids: tuple[int, ...] = ()
    confidence: float | None = None
    type: str | None = None
    status: str = "unreviewed"
    original_source: str | None = None
    original_target: str | None = None
    history: tuple[HistoryItem, ...] = ()
    links: tuple[WordLink, ...] = ()  # translation runs with --links; dropped when the English is edited
    names: tuple[TermHit, ...] = ()  # --consistent-names: recurring unknown names, ``entry`` their Arabic form
    # A rerun of ``mt translate`` whose machine English differs from the one
    # this reviewed pair was reviewed on: the new English, kept beside the
    # reviewed one for a look (``mt.translate.reviewed``); cleared by review.
    rerun_target: str | None = None

    @property
    def edited(self) -> bool:
        return self.original_target is not None or self.original_source is not None


@dataclass(frozen=True)
class PairDocument:
    """The pairs of one article with the metadata of the run that made them.

    ``meta`` holds at least ``doc`` and ``source_file``; translation runs add
    ``model``, ``backend``, ``options``, ``glossary`` and ``signature``;
    ``tool``/``tool_version``/``created`` are filled in when written.
    """

    meta: dict
    pairs: tuple[Pair, ...]

    @property
    def doc(self) -> str:
        return str(self.meta.get("doc", ""))
