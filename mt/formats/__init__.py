"""Formats: a ``PairDocument`` written as our JSON or as TMX 1.4b, and read back.

``write_pairs``/``read_pairs`` pick the format from the file suffix
(``.json`` or ``.tmx``); the format modules can be used directly too.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from ..types import PairDocument
from .common import check_xml_text, safe_xml_parser, utc_now
from .json_format import loads_document, pair_to_dict, read_json, write_json
from .tmx import read_tmx, write_tmx

__all__ = [
    "FORMATS",
    "check_xml_text",
    "loads_document",
    "pair_to_dict",
    "read_json",
    "read_pairs",
    "read_tmx",
    "safe_xml_parser",
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


def write_pairs(document: PairDocument, path: Path | str) -> None:
    """Write ``document`` as ``.json`` or ``.tmx`` (atomically)."""
    path = Path(path)
    _codec(path)[1](document, path)
