"""The optional romaniser: ``arabic-name-romanizer`` (MIT; its Wikidata-derived name index
and small ONNX model ship in the wheel, nothing is downloaded at run time).

Installed with the ``romanize`` extra (``pip install 'mt-glossary[romanize]'``); without
it ``load_romanizer`` gives None and ``mt glossary suggest`` proposes from its other sources.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

PACKAGE = "arabic_name_romanizer"
INSTALL = "pip install 'mt-glossary[romanize]'"


def romanizer_available() -> bool:
    return importlib.util.find_spec(PACKAGE) is not None


def load_romanizer() -> Callable[[str], str | None] | None:
    """A function from an Arabic name to its most likely Latin spelling, or None when the
    package is not installed."""
    if not romanizer_available():
        return None
    from arabic_name_romanizer import transliterate

    def romanize_name(arabic: str) -> str | None:
        found = transliterate(arabic, top_k=1)  # top_k=1 gives the string itself
        return found.strip() or None if isinstance(found, str) else None

    return romanize_name
