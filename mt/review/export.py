"""``mt export``: the reviewed pairs of a pairs JSON file as TMX.

Edits are already in the pairs (the machine text stays in the
``x-original-*`` properties); rejected pairs are always left out, and with
``approved_only`` so are the pairs nobody approved.  The review bookkeeping
(the undo record) is not exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, OutputError
from ..formats import read_json, write_tmx
from ..types import PairDocument
from .actions import REVIEW_KEY


@dataclass(frozen=True)
class ExportSummary:
    """How many pairs were written and how many were left out, and why."""

    written: int
    rejected: int
    unapproved: int


def select_for_export(document: PairDocument, *, approved_only: bool = False) -> tuple[PairDocument, ExportSummary]:
    """The pairs to export (no rejected ones; only approved ones if asked) and a summary."""
    rejected = sum(p.status == "rejected" for p in document.pairs)
    kept = tuple(
        p for p in document.pairs if p.status == "approved" or (not approved_only and p.status != "rejected")
    )
    unapproved = len(document.pairs) - rejected - len(kept)
    meta = {k: v for k, v in document.meta.items() if k != REVIEW_KEY}
    return PairDocument(meta=meta, pairs=kept), ExportSummary(len(kept), rejected, unapproved)


def export_tmx(source: Path | str, out: Path | str, *, approved_only: bool = False) -> ExportSummary:
    """Read the pairs JSON ``source`` and write its reviewed pairs to ``out`` as TMX."""
    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve():
        raise OutputError(f"{out}: is the input file; give another name for the TMX")
    document, summary = select_for_export(read_json(source), approved_only=approved_only)
    if not document.pairs:
        which = "approved " if approved_only else ""
        raise InputError(
            f"{source}: no {which}pairs to export ({summary.rejected} rejected, {summary.unapproved} not approved); "
            "review them with mt review" + (" or drop --approved-only" if approved_only else "")
        )
    write_tmx(document, out)
    return summary
