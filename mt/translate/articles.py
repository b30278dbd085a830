"""Article runs: segment an article, match its terms, translate it with the
engine, and write its JSON and TMX into an output directory (atomically per
article, skipping only articles whose outputs are up to date)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..errors import InputError, MTError
from ..formats import TmxSummary, read_json, write_json, write_tmx
from ..text import (
    Article,
    ensure_dir,
    fold_digits,
    has_arabic,
    held_lock,
    read_articles,
    remove_stale_temporaries,
    split_sentences,
)
from ..types import (
    TERM_FORCED,
    TERM_MISSING,
    TERM_PRODUCED,
    Pair,
    PairDocument,
    Segment,
    TermHit,
)
from .backends import Backend
from .engine import (
    DecodeOptions,
    EngineStats,
    TermRequest,
    Translation,
    translate_texts,
)
from .memory import TranslationMemory


@dataclass(frozen=True)
class RunSettings:
    """Everything about a translation run that ends up in its outputs."""

    model: str
    backend: Backend
    options: DecodeOptions = DecodeOptions()
    glossary: object | None = None  # mt.glossary.Glossary
    all_units: bool = False  # keep in the TMX the pairs that make no unit (mt.formats.unit_problem)
    links: bool = False  # write each pair's word links (mt.translate.links) into the JSON
    short_forms: bool = True  # a person's surname after the full name is a term (Glossary.match_document)

    def glossary_meta(self) -> dict | None:
        g = self.glossary
        if g is None:
            return None
        return {"path": str(g.path) if g.path else None, "sha256": g.sha256, "entries": len(g)}

    def signature(self) -> str:
        parts = [f"mt-glossary {__version__}", f"model={self.model}", f"backend={self.backend.identity}", self.options.key()]
        if self.glossary is not None:
            parts.append(f"glossary={self.glossary.sha256[:16]}")
            if not self.short_forms:
                parts.append("short_forms=off")
        return "|".join(parts)

    def changes_from(self, meta: dict) -> list[str]:
        """What differs between these settings and those recorded in an
        output's ``meta``: ``model``, ``backend``, a decoding option's name,
        ``glossary``, or ``tool version`` when nothing else explains a
        different signature; empty when the signatures agree."""
        changed = [] if bool(meta.get("tmx_all_units")) == self.all_units else ["--all-units"]
        if bool(meta.get("links")) != self.links:
            changed.append("--links")
        if self.glossary is not None and bool(meta.get("short_forms", True)) != self.short_forms:
            changed.append("--no-short-forms")
        if meta.get("signature") == self.signature():
            return changed
        if meta.get("model") != self.model:
            changed.append("model")
        if meta.get("backend_identity") != self.backend.identity:
            changed.append("backend")
        old_options = meta.get("options") or {}
        changed += [name for name, value in sorted(asdict(self.options).items()) if old_options.get(name) != value]
        old_glossary = (meta.get("glossary") or {}).get("sha256")
        if old_glossary != (self.glossary.sha256 if self.glossary is not None else None):
            changed.append("glossary")
        return changed or ["tool version"]


# Why an article is translated although it has outputs (ArticleReport.redone).
NEW = None
FORCED = "--force"


@dataclass(frozen=True)
class ArticleReport:
    """One article of a run: ``skipped`` when its outputs were up to date;
    otherwise ``redone`` says why outputs that existed were replaced
    (``None``: the article had none)."""

    doc: str
    segments: int = 0
    skipped: bool = False
    redone: str | None = None
    stats: dict = field(default_factory=dict)
    tmx: TmxSummary | None = None  # what the TMX left out


def match_terms(glossary, text: str) -> list[TermRequest]:
    if glossary is None:
        return []
    return [TermRequest(m.start, m.end, m.text, m.entry.en, m.entry.id) for m in glossary.match(text)]


def match_document_terms(glossary, texts: Sequence[str], short_forms: bool = True) -> list[list[tuple[TermRequest, str | None]]]:
    """Each text's term requests with the ``via`` of each (a short form's entry), the texts matched as one document."""
    if glossary is None:
        return [[] for _ in texts]
    return [
        [(TermRequest(m.start, m.end, m.text, m.entry.en, m.entry.id), m.via) for m in matches]
        for matches in glossary.match_document(texts, short_forms=short_forms)
    ]


def translate_article(
    article: Article,
    settings: RunSettings,
    memory: TranslationMemory | None = None,
    on_done: Callable[[int], None] | None = None,
    segments: Sequence[Segment] | None = None,
    on_pass: Callable[[str, int], None] | None = None,
) -> PairDocument:
    """Segment (unless ``segments`` are given), match terms, translate;
    return the article's pairs.

    A segment without Arabic letters (an English caption, a date in
    Arabic-Indic digits) is not translated: it is kept, its digits in ASCII.
    """
    if segments is None:
        segments = split_sentences(article.text, article.doc)
    matched = match_document_terms(settings.glossary, [seg.text for seg in segments], settings.short_forms)
    requests = [[request for request, _ in terms] for terms in matched]
    to_translate = [i for i, seg in enumerate(segments) if has_arabic(seg.text)]
    stats = EngineStats()
    results = translate_texts(
        settings.backend,
        [segments[i].text for i in to_translate],
        [requests[i] for i in to_translate],
        options=settings.options,
        memory=memory,
        on_done=on_done,
        stats=stats,
        on_pass=on_pass,
        links=settings.links,
    )
    by_index: dict[int, Translation] = dict(zip(to_translate, results))
    copied = len(segments) - len(to_translate)
    if on_done and copied:
        on_done(copied)
    pairs = []
    counts = {TERM_PRODUCED: 0, TERM_FORCED: 0, TERM_MISSING: 0}
    for i, seg in enumerate(segments):
        result = by_index.get(i) or Translation(target=fold_digits(seg.text), statuses=(TERM_PRODUCED,) * len(requests[i]))
        hits = tuple(
            TermHit(source=t.source, start=seg.start + t.start, end=seg.start + t.end, en=t.en, entry=t.entry, status=status,
                    via=via, ambiguous=settings.glossary.is_ambiguous(t.entry))
            for (t, via), status in zip(matched[i], result.statuses)
        )
        for hit in hits:
            counts[hit.status] += 1
        links = tuple(replace(k, ar_start=seg.start + k.ar_start, ar_end=seg.start + k.ar_end) for k in result.links)
        pairs.append(
            Pair(
                id=str(seg.index),
                source=seg.text,
                target=result.target,
                source_start=seg.start,
                source_end=seg.end,
                terms=hits,
                links=links,
            )
        )
    meta = {
        "doc": article.doc,
        "source_file": str(article.path),
        "source_sha256": _sha256(article.text),
        "kind": "translation",
        "model": settings.model,
        "backend": settings.backend.name,
        "backend_identity": settings.backend.identity,
        "options": asdict(settings.options),
        "glossary": settings.glossary_meta(),
        "signature": settings.signature(),
        "tmx_all_units": settings.all_units,
        "links": settings.links,
        "short_forms": settings.short_forms,
        "stats": {
            "segments": len(segments),
            "copied_untranslated": copied,
            "memory_hits": stats.memory_hits,
            "memory_misses": stats.memory_misses,
            "split_segments": stats.split_segments,
            "constrained_second_pass": stats.second_pass,
            "terms": counts,
        },
    }
    return PairDocument(meta=meta, pairs=tuple(pairs))


def output_paths(out_dir: Path, doc: str) -> tuple[Path, Path]:
    return out_dir / f"{doc}.json", out_dir / f"{doc}.tmx"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def out_of_date(out_dir: Path, article: Article, settings: RunSettings) -> tuple[bool, str | None]:
    """``(False, None)`` when the article's JSON and TMX exist and were made
    from this very text with these settings; otherwise ``(True, why)``, where
    ``why`` is ``None`` for an article without outputs, or says what changed:
    ``article changed``, ``glossary changed``, ``beam, glossary changed``,
    ``output incomplete``, ``output unreadable``."""
    json_path, tmx_path = output_paths(out_dir, article.doc)
    present = [p.is_file() for p in (json_path, tmx_path)]
    if not any(present):
        return True, NEW
    if not all(present):
        return True, "output incomplete"
    try:
        meta = read_json(json_path).meta
    except MTError:
        return True, "output unreadable"
    if meta.get("source_sha256") != _sha256(article.text):
        return True, "article changed"
    changed = settings.changes_from(meta)
    if changed:
        return True, f"{', '.join(changed)} changed"
    return False, None


class Progress:
    """Progress hooks for ``translate_files``; the default does nothing."""

    def start_article(self, doc: str, segments: int) -> None: ...

    def advance(self, segments: int) -> None: ...

    def passed(self, kind: str, sentences: int) -> None:
        """A decoding call ended (``FREE_PASS`` or ``FORCED_PASS``, and how many
        sentences it decoded): what moves while forced-term passes run."""

    def end_article(self, report: ArticleReport) -> None: ...


def load_articles(
    inputs: Sequence[Path | str], encoding: str = "utf-8", on_error: Callable[[InputError], None] | None = None
) -> list[Article]:
    """Read every input article up front, so a bad input fails the run before
    anything is written (with ``on_error``, ``mt translate --skip-bad``, it
    is handed the error and left out instead); two inputs with the same name
    are refused."""
    articles = list(read_articles(inputs, encoding, on_error))
    seen: dict[str, Path] = {}
    for article in articles:
        if article.doc in seen:
            raise InputError(
                f"{article.path}: has the same name as {seen[article.doc]}; their outputs would overwrite each other"
            )
        seen[article.doc] = article.path
    return articles


def translate_files(
    articles: Sequence[Article],
    out_dir: Path | str,
    settings: RunSettings,
    *,
    memory: TranslationMemory | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> list[ArticleReport]:
    """Translate each article into ``out_dir/<doc>.json`` and ``.tmx``.

    Only articles whose outputs are up to date (same text, same settings:
    :func:`out_of_date`) are skipped, and none with ``force``; the others
    are redone, their unchanged sentences from the translation memory.  Each
    output is written atomically, JSON first, so an interrupted run leaves
    only whole files and a rerun resumes where it stopped.
    """
    out = ensure_dir(out_dir)
    progress = progress or Progress()
    with lock_output(out):
        return _translate_into(out, articles, settings, memory=memory, force=force, progress=progress)


LOCK_NAME = ".mt-translate.lock"


@contextlib.contextmanager
def lock_output(out: Path):
    """Hold ``out/.mt-translate.lock`` for the run: a second run into the same
    directory is refused at once (``OutputError``) rather than racing it."""
    busy = f"{out}: another mt translate is writing into it ({out / LOCK_NAME}); wait for it to finish or use another --out"
    with held_lock(out / LOCK_NAME, timeout=0, busy=busy):
        yield


def _translate_into(out, articles, settings, *, memory, force, progress) -> list[ArticleReport]:
    reports = []
    for article in articles:
        stale, why = out_of_date(out, article, settings)
        if force and not stale:
            stale, why = True, FORCED
        if not stale:
            report = ArticleReport(doc=article.doc, skipped=True)
            progress.end_article(report)
            reports.append(report)
            continue
        segments = split_sentences(article.text, article.doc)
        progress.start_article(article.doc, len(segments))
        document = translate_article(
            article, settings, memory, on_done=progress.advance, segments=segments, on_pass=progress.passed
        )
        json_path, tmx_path = output_paths(out, article.doc)
        for path in (json_path, tmx_path):
            remove_stale_temporaries(path)  # left by a run killed while writing
        write_json(document, json_path)
        tmx = write_tmx(document, tmx_path, all_units=settings.all_units)
        report = ArticleReport(doc=article.doc, segments=len(segments), redone=why, stats=document.meta["stats"], tmx=tmx)
        progress.end_article(report)
        reports.append(report)
    return reports
