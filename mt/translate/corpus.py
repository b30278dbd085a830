"""Corpus runs: the segments of many articles translated together.

``translate_files`` takes the articles that are not up to date in windows of
about ``WINDOW_SEGMENTS`` segments (so memory stays bounded whatever the size
of the corpus), hands each window's segments to the engine at once, so its
length-sorted batches span articles, and writes each article's JSON and TMX
as soon as its last segment is done.  A sentence's translation does not
depend on its batch, so the outputs are those of translating the articles
one by one (``window_segments=1``), stats included: an article's memory hits
are the sentences the memory held before it, or that an article before it in
the input translated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..text import Article, ensure_dir
from .articles import (
    ArticleJob,
    ArticleReport,
    Progress,
    RunReports,
    RunSettings,
    article_document,
    lock_output,
    plan_articles,
    prepare_article,
    with_consistent_names,
    write_outputs,
)
from .engine import EngineStats, Translation, translate_texts
from .memory import Stored, TranslationMemory

# Segments handed to the engine at once: enough for full batches in every
# length bucket, few enough that a window's texts and translations stay small.
WINDOW_SEGMENTS = 2000


def translate_files(
    articles: Sequence[Article],
    out_dir: Path | str,
    settings: RunSettings,
    *,
    memory: TranslationMemory | None = None,
    force: bool = False,
    progress: Progress | None = None,
    window_segments: int = WINDOW_SEGMENTS,
) -> list[ArticleReport]:
    """Translate each article into ``out_dir/<doc>.json`` and ``.tmx``; give
    one report per article, in input order.

    Only articles whose outputs are up to date (same text, same settings:
    ``out_of_date``) are skipped, and none with ``force``; the others are
    redone, their unchanged sentences from the translation memory.  Their
    segments go to the engine ``window_segments`` at a time (``1``: article
    by article).  Each output is written atomically, JSON first, as soon as
    its article is done, so an interrupted run leaves only whole files and a
    rerun resumes where it stopped.  A second run into ``out_dir`` is refused
    while this one holds its lock.
    """
    out = ensure_dir(out_dir)
    settings = replace(settings, force=force)
    progress = progress or Progress()
    reports = RunReports(progress)
    with lock_output(out):
        planned = plan_articles(articles, out, settings, force)
        for window in iter_windows(planned, settings, window_segments, reports.record):
            progress.start_window([job.article.doc for job in window], sum(len(job.segments) for job in window))
            translate_window(window, out, settings, memory=memory, progress=progress, on_report=reports.record)
    return reports.in_order(articles)


def iter_windows(
    planned: Iterable[tuple[Article, str | None] | ArticleReport],
    settings: RunSettings,
    window_segments: int,
    on_skipped,
) -> Iterator[list[ArticleJob]]:
    """The articles to translate (``plan_articles``), segmented, in windows
    of at least one article and about ``window_segments`` segments; skipped
    articles' reports go to ``on_skipped`` as they are met."""
    window: list[ArticleJob] = []
    size = 0
    for item in planned:
        if isinstance(item, ArticleReport):
            on_skipped(item)
            continue
        article, why = item
        job = prepare_article(article, settings, redone=why)
        if window and size + len(job.segments) > window_segments:
            yield window
            window, size = [], 0
        window.append(job)
        size += len(job.segments)
    if window:
        yield window


class _SeenMemory:
    """A translation memory that remembers which keys it was found to hold."""

    def __init__(self, memory):
        self.memory = memory
        self.found: set[str] = set()

    @property
    def hits(self) -> int:
        return self.memory.hits

    @property
    def misses(self) -> int:
        return self.memory.misses

    @property
    def drafts(self):
        """The memory's free outputs waiting for their forced-term pass (``memory.DraftStore``), if it keeps them."""
        return getattr(self.memory, "drafts", None)

    def lookup(self, keys: Iterable[str]) -> dict[str, Stored]:
        found = self.memory.lookup(keys)
        self.found.update(found)
        return found

    def store(self, items: Mapping[str, tuple[str, Stored]]) -> None:
        self.memory.store(items)


def translate_window(
    jobs: Sequence[ArticleJob],
    out: Path,
    settings: RunSettings,
    *,
    memory=None,
    progress: Progress | None = None,
    on_report=None,
) -> list[ArticleReport]:
    """Translate the segments of ``jobs`` in one engine call and write each
    article as soon as its last segment is done; give the reports in the
    order the articles were done (each also handed to ``on_report``).

    ``memory``: a ``TranslationMemory`` or anything with its ``lookup``,
    ``store``, ``hits`` and ``misses`` (``ray_engine`` passes a remote one).
    Each article's stats are those it gets translated alone after the
    articles before it in ``jobs``: a sentence it shares with one of them is
    a memory hit (with a memory), and the second passes counted are those of
    its own new sentences.
    """
    progress = progress or Progress()
    on_report = on_report or progress.end_article
    seen = _SeenMemory(memory) if memory is not None else None
    stats = EngineStats()
    owner: list[tuple[int, int]] = []  # text → (job, position among its texts)
    texts, terms = [], []
    for j, job in enumerate(jobs):
        owner += [(j, pos) for pos in range(len(job.to_translate))]
        texts += job.texts
        terms += job.terms
    results: list[list[Translation | None]] = [[None] * len(job.to_translate) for job in jobs]
    keys: list[list[tuple[str, ...]]] = [[] for _ in jobs]
    left = [len(job.to_translate) for job in jobs]
    first_holder: dict[str, int] = {}  # key → the first job with a text done that holds it
    ready: list[int] = []
    reports: list[ArticleReport] = []

    def finish(j: int) -> None:
        job = jobs[j]
        distinct = list(dict.fromkeys(k for text_keys in keys[j] for k in text_keys))
        if seen is None:
            new, hits, misses = distinct, 0, 0
        else:
            new = [k for k in distinct if k not in seen.found and first_holder[k] >= j]
            hits, misses = len(distinct) - len(new), len(new)
        engine = {
            "memory_hits": hits,
            "memory_misses": misses,
            "split_segments": sum(len(text_keys) > 1 for text_keys in keys[j]),
            "constrained_second_pass": sum(k in stats.second_pass_keys for k in new),
        }
        translations, names = with_consistent_names(job, settings, results[j], seen, progress.passed)
        document = article_document(job, settings, translations, engine, names)
        tmx, review = write_outputs(out, document, settings.all_units, force=settings.force)
        report = ArticleReport(
            doc=job.article.doc, segments=len(job.segments), redone=job.redone, stats=document.meta["stats"], tmx=tmx,
            review=review,
        )
        reports.append(report)
        on_report(report)

    def flush() -> None:
        # Texts done together are all recorded before any article is written,
        # so an article sees the keys of the articles before it.
        done = sorted(ready)
        ready.clear()
        for j in done:
            finish(j)

    def on_text(index: int, translation: Translation, text_keys: tuple[str, ...]) -> None:
        j, pos = owner[index]
        results[j][pos] = translation
        keys[j].append(text_keys)
        for key in text_keys:
            first_holder[key] = min(first_holder.get(key, j), j)
        left[j] -= 1
        if left[j] == 0:
            ready.append(j)

    def on_done(n: int) -> None:
        flush()
        progress.advance(n)

    for j, job in enumerate(jobs):
        copied = len(job.segments) - len(job.to_translate)
        if copied:
            progress.advance(copied)
        if not job.to_translate:
            ready.append(j)
    flush()
    translate_texts(
        settings.backend,
        texts,
        terms,
        options=settings.options,
        memory=seen,
        on_done=on_done,
        stats=stats,
        on_pass=progress.passed,
        on_text=on_text,
        links=settings.decode_links,
    )
    flush()
    return reports
