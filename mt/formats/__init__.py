"""Formats: a ``PairDocument`` written as our JSON or as TMX 1.4b, and read back.

``write_pairs``/``read_pairs`` pick the format from the file suffix
(``.json`` or ``.tmx``); the format modules can be used directly too.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from ..types import PairDocument
from .common import check_xml_text, safe_xml_parser, utc_now
from .json_format import REVIEW_KEY, loads_document, pair_to_dict, read_json, review_version, write_json
from .tmx import TmxSummary, read_tmx, tmx_pairs, unit_problem, write_tmx

__all__ = [
    "FORMATS",
    "REVIEW_KEY",
    "TmxSummary",
    "check_xml_text",
    "loads_document",
    "pair_to_dict",
    "read_json",
    "read_pairs",
    "read_tmx",
    "review_version",
    "safe_xml_parser",
    "tmx_pairs",
    "unit_problem",
    "utc_now",
    "write_json",
    "write_pairs",
    "write_tmx",
]

FORMATS = {".json": (read_json, write_json), ".tmx": (read_tmx, write_tmx)}


def _codec(path: Path):
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise FormatError(f"{path}: unknown pair format {path.suffix or '(no suffix)'!r}, expected .json or .tmx") from None


def read_pairs(path: Path | str) -> PairDocument:
    """Read a ``.json`` or ``.tmx`` file of pairs."""
    path = Path(path)
    return _codec(path)[0](path)


def write_pairs(document: PairDocument, path: Path | str, *, all_units: bool = False) -> TmxSummary | None:
    """Write ``document`` as ``.json`` (every pair) or ``.tmx`` (atomically);
    a TMX leaves out pairs that make no unit unless ``all_units``, and its
    ``TmxSummary`` is returned."""
    path = Path(path)
    reader, writer = _codec(path)
    if writer is write_tmx:
        return write_tmx(document, path, all_units=all_units)
    writer(document, path)
    return None
