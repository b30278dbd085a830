"""Review: a person checks the pairs in a local web page.

Takes a pairs JSON (``mt translate`` or ``mt align`` output) and gives the
same JSON with each pair approved, rejected or edited (saved atomically
under a lock as the reviewer goes, stale views refused), and the reviewed
pairs as TMX (``export_tmx``) or XLIFF 1.2 for a CAT tool (``export_xliff``,
read back by ``import_review``).

``actions`` holds the pure review actions (approve, reject, edit, split,
merge, undo), ``flags`` the per-pair warnings, ``view`` what the page shows,
``server`` the local HTTP server and ``export`` the TMX export.
"""

from __future__ import annotations

from .actions import (
    Action,
    ActionError,
    apply_action,
    approve,
    edit,
    merge,
    parse_action,
    reject,
    review_version,
    split,
    undo,
)
from .export import ExportSummary, export_tmx, select_for_export
from .flags import Flag, document_flags, pair_flags
from .server import ReviewServer
from .view import review_counts, state_payload
from .xliff import ImportSummary, export_xliff, import_review

__all__ = [
    "Action",
    "ActionError",
    "ExportSummary",
    "Flag",
    "ImportSummary",
    "ReviewServer",
    "apply_action",
    "approve",
    "document_flags",
    "edit",
    "export_tmx",
    "export_xliff",
    "import_review",
    "merge",
    "pair_flags",
    "parse_action",
    "reject",
    "review_counts",
    "review_version",
    "select_for_export",
    "split",
    "state_payload",
    "undo",
]
