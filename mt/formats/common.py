"""Pieces shared by the format modules."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from lxml import etree

from .. import TOOL_NAME, __version__
from ..errors import FormatError

# Characters that XML 1.0 cannot hold, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def utc_stamp() -> str:
    """The current UTC time as ISO 8601 with a ``Z``: 2026-11-28T10:00:00Z."""
    return utc_now().isoformat().replace("+00:00", "Z")


def safe_xml_parser(**options) -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entities and never
    touches the network (TMX and TBX from anywhere are read with it)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, **options)


def stamp_meta(meta: dict) -> dict:
    """Fill in the tool name, version and creation time if absent."""
    out = dict(meta)
    out.setdefault("tool", TOOL_NAME)
    out.setdefault("tool_version", __version__)
    out.setdefault("created", utc_stamp())
    return out


def check_xml_text(text: str, where: str) -> str:
    """Return ``text`` or raise ``FormatError`` if XML 1.0 cannot hold it."""
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise FormatError(
            f"{where} contains U+{ord(bad.group(0)):04X} at offset {bad.start()}, "
            "a control character that XML 1.0 cannot hold; remove it or write JSON instead"
        )
    return text
