"""Plain machine translation for the stages that take it as a function:
``mt align --model`` gives the aligner the English of each Arabic sentence
(``mt.align.Translate``), with no glossary enforced."""

from __future__ import annotations

from collections.abc import Callable

from .backends import load_backend
from .engine import translate_texts


def model_translator(model: str, backend: str = "auto") -> Callable[[list[str]], list[str]]:
    """A function from Arabic texts to their English, from ``model``
    (``load_backend``): plain MT, no glossary enforcement."""
    engine = load_backend(model, backend)

    def translate(texts: list[str]) -> list[str]:
        return [t.target for t in translate_texts(engine, texts)]

    return translate
