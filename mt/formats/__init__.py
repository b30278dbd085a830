"""Reading and writing pairs: our JSON, and TMX 1.4b.

``write_pairs``/``read_pairs`` pick the format from the file suffix
(``.json`` or ``.tmx``); the format modules can be used directly too.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from ..types import PairDocument
from .json_format import read_json, write_json
from .tmx import read_tmx, write_tmx

__all__ = ["read_json", "write_json", "read_tmx", "write_tmx", "read_pairs", "write_pairs", "FORMATS"]

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
