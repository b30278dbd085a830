"""What the review page shows, computed here so the page only displays it.

``state_payload`` turns a document into the JSON the page renders: each pair
as in the pairs JSON plus its flags and the spans of its glossary terms on
both sides (code-point offsets: ``[start, end, state, en, entry]``, where
the state is ``flags.term_state``, and a sixth item ``{"via": …, "ambiguous":
true}`` when the term is a short form or marked ambiguous), the counts, the
version and what undo would take back.
"""

from __future__ import annotations

from ..formats import pair_to_dict
from ..glossary import find_term
from ..text import folding_map
from ..types import Pair, PairDocument, TermHit
from .actions import last_undoable, review_version, term_places
from .flags import document_flags, term_state

Span = tuple  # (start, end, state, en, entry) and, for some terms, the extras of ``_extras``

# Metadata keys worth showing in the page header.
SHOWN_META = ("doc", "source_file", "kind", "model", "backend", "created")


def _no_overlap(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda span: span[:5]):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _extras(term: TermHit) -> tuple:
    """What the page shows beyond the state: the entry a short form stands for,
    and whether the term is ambiguous (``TermHit.ambiguous``, false when absent)."""
    extras = {}
    if getattr(term, "via", None):
        extras["via"] = term.via
    if getattr(term, "ambiguous", False) is True:
        extras["ambiguous"] = True
    return (extras,) if extras else ()


def source_spans(pair: Pair) -> list[Span]:
    """Where each term sits in the Arabic: by its article offsets, else its first unused occurrence."""
    spans: list[Span] = []
    for term, start in zip(pair.terms, term_places(pair)):
        if start is not None:
            spans.append((start, start + len(term.source), term_state(term, pair), term.en, term.entry, *_extras(term)))
    return _no_overlap(spans)


def target_spans(pair: Pair) -> list[Span]:
    """Where each term's English sits in the target (``mt.glossary.find_term``)."""
    spans: list[Span] = []
    for term in {t.en: t for t in reversed(pair.terms)}.values():
        state = term_state(term, pair)
        spans.extend((a, b, state, term.en, term.entry, *_extras(term)) for a, b in find_term(pair.target, term.en))
    return _no_overlap(spans)


def review_counts(document: PairDocument) -> dict[str, int]:
    """``approved``, ``rejected``, ``edited`` (either side, any status), ``left`` (unreviewed, unedited), ``total``."""
    pairs = document.pairs
    return {
        "total": len(pairs),
        "approved": sum(p.status == "approved" for p in pairs),
        "rejected": sum(p.status == "rejected" for p in pairs),
        "edited": sum(p.edited for p in pairs),
        "left": sum(p.status == "unreviewed" and not p.edited for p in pairs),
    }


def state_payload(document: PairDocument, file_name: str) -> dict:
    """The page's view of ``document`` (JSON-ready)."""
    flags = document_flags(document)
    pairs = []
    for pair in document.pairs:
        item = pair_to_dict(pair)
        item["edited"] = pair.edited
        item["flags"] = [{"code": f.code, "message": f.message} for f in flags[pair.id]]
        item["highlights"] = {"source": source_spans(pair), "target": target_spans(pair)}
        pairs.append(item)
    return {
        "file": file_name,
        "meta": {k: document.meta[k] for k in SHOWN_META if isinstance(document.meta.get(k), (str, int, float))},
        "version": review_version(document),
        "undo": last_undoable(document),
        "counts": review_counts(document),
        "pairs": pairs,
        # The search folds Arabic as the glossary matches it (mt.text.normalize_arabic).
        "fold": folding_map(),
    }
