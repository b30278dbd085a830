"""``mt export``: the reviewed pairs of a pairs JSON file as TMX.

Edits are already in the pairs (the machine text stays in the
``x-original-*`` properties); rejected pairs are always left out, and with
``approved_only`` so are the pairs nobody approved.  Pairs that make no
translation memory unit (an empty side, an Arabic side without Arabic
letters) are left out unless ``all_units`` (:func:`mt.formats.unit_problem`).
The review bookkeeping (the undo record) is not exported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError, OutputError
from ..formats import TmxSummary, read_json, tmx_pairs, write_tmx
from ..types import PairDocument
from .actions import REVIEW_KEY


@dataclass(frozen=True)
class ExportSummary:
    """How many pairs were written and how many were left out, and why."""

    written: int
    rejected: int
    unapproved: int
    tmx: TmxSummary | None = None
    """The pairs left out of the TMX as no unit (``None`` before writing)."""

    def describe(self) -> str:
        """``1 rejected, 0 not approved[, 2 with an empty side, 1 without Arabic text]``."""
        parts = [f"{self.rejected} rejected", f"{self.unapproved} not approved"]
        if self.tmx is not None:
            parts += self.tmx.reasons()
        return ", ".join(parts)


def select_for_export(document: PairDocument, *, approved_only: bool = False) -> tuple[PairDocument, ExportSummary]:
    """The pairs to export (no rejected ones; only approved ones if asked) and a summary."""
    rejected = sum(p.status == "rejected" for p in document.pairs)
    kept = tuple(
        p for p in document.pairs if p.status == "approved" or (not approved_only and p.status != "rejected")
    )
    unapproved = len(document.pairs) - rejected - len(kept)
    meta = {k: v for k, v in document.meta.items() if k != REVIEW_KEY}
    return PairDocument(meta=meta, pairs=kept), ExportSummary(len(kept), rejected, unapproved)


def export_tmx(
    source: Path | str, out: Path | str, *, approved_only: bool = False, all_units: bool = False
) -> ExportSummary:
    """Read the pairs JSON ``source`` and write its reviewed pairs to ``out`` as TMX."""
    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve():
        raise OutputError(f"{out}: is the input file; give another name for the TMX")
    document, summary = select_for_export(read_json(source), approved_only=approved_only)
    units, tmx = tmx_pairs(document.pairs, all_units)
    if document.pairs and not units:
        raise InputError(
            f"{source}: no pairs to export: {', '.join(tmx.reasons())} make no translation unit; --all-units keeps them"
        )
    if not document.pairs:
        which = "approved " if approved_only else ""
        raise InputError(
            f"{source}: no {which}pairs to export ({summary.rejected} rejected, {summary.unapproved} not approved); "
            "review them with mt review" + (" or drop --approved-only" if approved_only else "")
        )
    write_tmx(replace(document, pairs=units), out, all_units=True)  # units chosen above
    return replace(summary, written=tmx.written, tmx=tmx)
