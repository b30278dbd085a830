"""The inputs of ``mt glossary suggest``: Arabic articles, each aligned
with its English translation when one is given, and pairs JSON files of
``mt translate`` or ``mt align``, read as the ``Source``s that
``mt.glossary.suggest_entries`` takes.  Reading them needs alignment, so it
lives here, above the glossary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import InputError
from ..formats import read_json
from ..glossary import Source, sources_from_pairs
from ..text import find_articles, has_arabic, read_text, split_sentences
from .documents import align_texts, alignment_pairs


def _english_key(path: Path) -> str:
    stem = path.stem
    return stem[:-3] if stem.endswith((".en", "_en", "-en")) else stem


def _arabic_key(doc: str) -> str:
    return doc[:-3] if doc.endswith((".ar", "_ar", "-ar")) else doc


def _input_files(paths: Iterable[Path | str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            jsons = sorted(p for p in path.iterdir() if p.suffix == ".json" and p.is_file())
            found.extend(jsons or find_articles([path]))
        else:
            found.extend(find_articles([path]))
    return found


def read_documents(
    paths: Iterable[Path | str],
    english: Iterable[Path | str] = (),
    *,
    encoding: str = "utf-8",
    glossary=None,
    on_document: Callable[[str], None] | None = None,
) -> list[list[Source]]:
    """The sources of each input: an Arabic article (``.txt``; aligned with its English from
    ``english`` when one is named for it, ``X.txt`` ↔ ``X.txt``/``X.en.txt``, or when there
    is one of each), or a pairs JSON of ``mt translate`` or ``mt align``."""
    files = _input_files(paths)
    english_files = find_articles(english) if english else []
    by_key = {_english_key(p): p for p in english_files}
    articles = [p for p in files if p.suffix != ".json"]
    if len(articles) == 1 and len(english_files) == 1:
        by_key = {_arabic_key(articles[0].stem): english_files[0]}
    used: set[Path] = set()
    documents = []
    for path in files:
        if path.suffix == ".json":
            document = read_json(path)
            kind = "mt" if document.meta.get("kind") == "translation" else "aligned"
            documents.append(sources_from_pairs(document.doc or path.stem, document.pairs, kind))
        else:
            text = read_text(path, encoding, hint=True)
            if not has_arabic(text):
                raise InputError(f"{path}: expected an Arabic article, found no Arabic letters")
            target = by_key.get(_arabic_key(path.stem))
            if target is None:
                documents.append([Source(path.stem, s.text, s.start) for s in split_sentences(text, path.stem)])
            else:
                used.add(target)
                aligned = align_texts(text, read_text(target, "utf-8", hint=True), doc=path.stem, glossary=glossary)
                documents.append(sources_from_pairs(path.stem, alignment_pairs(aligned), "aligned"))
        if on_document is not None:
            on_document(path.name)
    for path in english_files:
        if path not in used:
            raise InputError(f"{path}: no Arabic article named {_english_key(path)!r} among the inputs")
    return documents
