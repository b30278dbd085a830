"""Article runs: segment an article, match its terms, translate it with the
engine, and write its JSON and TMX into an output directory (atomically per
article, skipping only articles whose outputs are up to date).  Scheduling
the segments of many articles together is in :mod:`.corpus`."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..errors import InputError, MTError
from ..formats import TmxSummary, read_json, write_tmx
from ..text import (
    Article,
    fold_digits,
    has_arabic,
    held_lock,
    read_articles,
    remove_stale_temporaries,
    split_sentences,
    warn_skipped,
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
from .names import NameHit, consistent_names
from .reviewed import Carried, write_keeping_review


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
    consistent_names: bool = False  # one spelling for each recurring unknown name (mt.translate.names)
    # --force: every article starts afresh, reviewed pairs dropped (after a
    # copy of the old file: ``reviewed.write_keeping_review``); not an
    # output setting, so not in the signature.
    force: bool = False

    @property
    def decode_links(self) -> bool:
        """Whether the engine computes word links: for the JSON, or to find
        the first spelling of recurring names."""
        return self.links or self.consistent_names

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
        if self.consistent_names:
            parts.append("consistent_names=on")
        return "|".join(parts)

    def changes_from(self, meta: dict) -> list[str]:
        """What differs between these settings and those recorded in an
        output's ``meta``: ``model``, ``compute type`` or ``CPU ISA`` (the
        backend's precision, or the instruction set it ran on: int8 gives
        other numbers on AVX2 than on AVX-512), ``backend``, a decoding option's name,
        ``glossary``, or ``tool version`` when nothing else explains a
        different signature; empty when the signatures agree."""
        changed = [] if bool(meta.get("tmx_all_units")) == self.all_units else ["--all-units"]
        if bool(meta.get("links")) != self.links:
            changed.append("--links")
        if bool(meta.get("consistent_names")) != self.consistent_names:
            changed.append("--consistent-names")
        if self.glossary is not None and bool(meta.get("short_forms", True)) != self.short_forms:
            changed.append("--no-short-forms")
        if meta.get("signature") == self.signature():
            return changed
        if meta.get("model") != self.model:
            changed.append("model")
        precision = [
            label
            for key, label in (("compute_type", "compute type"), ("cpu_isa", "CPU ISA"))
            if key in meta and meta[key] != getattr(self.backend, key)
        ]
        changed += precision
        if meta.get("backend_identity") != self.backend.identity and not precision:
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
    review: Carried = Carried()  # what became of the reviewed pairs of the JSON it replaced


def match_document_terms(glossary, texts: Sequence[str], short_forms: bool = True) -> list[list[tuple[TermRequest, str | None]]]:
    """Each text's term requests with the ``via`` of each (a short form's entry), the texts matched as one document."""
    if glossary is None:
        return [[] for _ in texts]
    return [
        [(TermRequest.from_match(m), m.via) for m in matches]
        for matches in glossary.match_document(texts, short_forms=short_forms)
    ]


@dataclass(frozen=True)
class ArticleJob:
    """An article ready for the engine: its segments, the terms matched in
    each, which segments are translated (those with Arabic letters), and why
    it is translated although it has outputs (``ArticleReport.redone``)."""

    article: Article
    segments: tuple[Segment, ...]
    requests: tuple[tuple[TermRequest, ...], ...]
    to_translate: tuple[int, ...]
    redone: str | None = None
    vias: tuple[tuple[str | None, ...], ...] = ()  # per request: the entry a short form stands for

    @property
    def texts(self) -> list[str]:
        return [self.segments[i].text for i in self.to_translate]

    @property
    def terms(self) -> list[tuple[TermRequest, ...]]:
        return [self.requests[i] for i in self.to_translate]


def prepare_article(
    article: Article, settings: RunSettings, segments: Sequence[Segment] | None = None, redone: str | None = None
) -> ArticleJob:
    """Segment (unless ``segments`` are given) and match terms."""
    if segments is None:
        segments = split_sentences(article.text, article.doc)
    matched = match_document_terms(settings.glossary, [seg.text for seg in segments], settings.short_forms)
    requests = tuple(tuple(request for request, _ in terms) for terms in matched)
    vias = tuple(tuple(via for _, via in terms) for terms in matched)
    to_translate = tuple(i for i, seg in enumerate(segments) if has_arabic(seg.text))
    return ArticleJob(article, tuple(segments), requests, to_translate, redone, vias)


def with_consistent_names(
    job: ArticleJob, settings: RunSettings, results: Sequence[Translation], memory=None, on_pass=None
) -> tuple[Sequence[Translation], Sequence[tuple[NameHit, ...]] | None]:
    """``results`` with one spelling for each recurring unknown name
    (``mt.translate.names``) when the settings ask for it, and each
    translated segment's name hits (``None`` when they do not)."""
    if not settings.consistent_names:
        return results, None
    return consistent_names(
        settings.backend, job.texts, job.terms, results, glossary=settings.glossary, options=settings.options,
        memory=memory, links=settings.links, on_pass=on_pass,
    )


def article_document(
    job: ArticleJob,
    settings: RunSettings,
    results: Sequence[Translation],
    engine: dict,
    names: Sequence[tuple[NameHit, ...]] | None = None,
) -> PairDocument:
    """The pairs of ``job`` from the translations of its segments to translate
    (``results``, in the order of ``job.to_translate``, and ``names``, their
    name hits, from ``with_consistent_names``); ``engine`` gives the
    ``memory_hits``, ``memory_misses``, ``split_segments`` and
    ``constrained_second_pass`` of its stats.

    A segment without Arabic letters (an English caption, a date in
    Arabic-Indic digits) is not translated: it is kept, its digits in ASCII.
    """
    article, segments, requests = job.article, job.segments, job.requests
    by_index: dict[int, Translation] = dict(zip(job.to_translate, results))
    names_of: dict[int, tuple[NameHit, ...]] = dict(zip(job.to_translate, names or ()))
    pairs = []
    counts = {TERM_PRODUCED: 0, TERM_FORCED: 0, TERM_MISSING: 0}
    for i, seg in enumerate(segments):
        result = by_index.get(i) or Translation(target=fold_digits(seg.text), statuses=(TERM_PRODUCED,) * len(requests[i]))
        hits = tuple(
            TermHit(source=t.source, start=seg.start + t.start, end=seg.start + t.end, en=t.en, entry=t.entry, status=status,
                    via=via, ambiguous=settings.glossary.is_ambiguous(t.entry))
            for t, via, status in zip(requests[i], job.vias[i], result.statuses)
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
                links=links if settings.links else (),
                names=tuple(
                    TermHit(source=h.mention.source, start=seg.start + h.mention.start, end=seg.start + h.mention.end,
                            en=h.en, entry=h.mention.name, status=h.status)
                    for h in names_of.get(i, ())
                ),
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
        "compute_type": settings.backend.compute_type,
        "cpu_isa": settings.backend.cpu_isa,
        "options": asdict(settings.options),
        "glossary": settings.glossary_meta(),
        "signature": settings.signature(),
        "tmx_all_units": settings.all_units,
        "links": settings.links,
        "short_forms": settings.short_forms,
        "consistent_names": settings.consistent_names,
        "stats": {
            "segments": len(segments),
            "copied_untranslated": len(segments) - len(job.to_translate),
            "memory_hits": engine["memory_hits"],
            "memory_misses": engine["memory_misses"],
            "split_segments": engine["split_segments"],
            "constrained_second_pass": engine["constrained_second_pass"],
            "terms": counts,
        },
    }
    return PairDocument(meta=meta, pairs=tuple(pairs))


def translate_article(
    article: Article,
    settings: RunSettings,
    memory: TranslationMemory | None = None,
    on_done: Callable[[int], None] | None = None,
    segments: Sequence[Segment] | None = None,
    on_pass: Callable[[str, int], None] | None = None,
) -> PairDocument:
    """Segment (unless ``segments`` are given), match terms, translate;
    return the article's pairs.  (``translate_files`` schedules the segments
    of many articles together, with the same outputs.)"""
    job = prepare_article(article, settings, segments)
    stats = EngineStats()
    results = translate_texts(
        settings.backend,
        job.texts,
        job.terms,
        options=settings.options,
        memory=memory,
        on_done=on_done,
        stats=stats,
        on_pass=on_pass,
        links=settings.decode_links,
    )
    results, names = with_consistent_names(job, settings, results, memory, on_pass)
    copied = len(job.segments) - len(job.to_translate)
    if on_done and copied:
        on_done(copied)
    engine = {
        "memory_hits": stats.memory_hits,
        "memory_misses": stats.memory_misses,
        "split_segments": stats.split_segments,
        "constrained_second_pass": stats.second_pass,
    }
    return article_document(job, settings, results, engine, names)


def write_outputs(out: Path, document: PairDocument, all_units: bool = False, *, force: bool = False) -> tuple[TmxSummary, Carried]:
    """Write ``document`` as ``out/<doc>.json`` then ``.tmx``, each atomically,
    the reviewed pairs of a JSON already there kept (unless ``force``:
    ``reviewed.write_keeping_review``); give what the TMX left out and what
    became of the reviewed pairs."""
    json_path, tmx_path = output_paths(out, document.doc)
    for path in (json_path, tmx_path):
        remove_stale_temporaries(path)  # left by a run killed while writing
    written, carried = write_keeping_review(document, json_path, force=force)
    return write_tmx(written, tmx_path, all_units=all_units), carried


class RunReports:
    """The reports of a run, each shown by ``progress`` as it comes
    (``record``), given back in the order of the input (``in_order``)."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.by_doc: dict[str, ArticleReport] = {}

    def record(self, report: ArticleReport) -> None:
        self.by_doc[report.doc] = report
        self.progress.end_article(report)

    def in_order(self, articles: Sequence[Article]) -> list[ArticleReport]:
        return [self.by_doc[article.doc] for article in articles]


def output_paths(out_dir: Path, doc: str) -> tuple[Path, Path]:
    return out_dir / f"{doc}.json", out_dir / f"{doc}.tmx"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def out_of_date(out_dir: Path, article: Article, settings: RunSettings) -> tuple[bool, str | None]:
    """``(False, None)`` when the article's JSON and TMX exist and were made
    from this very text with these settings; otherwise ``(True, why)``, where
    ``why`` is ``None`` for an article without outputs, or says what changed:
    ``article changed``, ``glossary changed``, ``beam, glossary changed``,
    ``output incomplete``, ``output unreadable``.  A glossary change that
    leaves the article's matches as they were (an entry found in other
    articles only) is no change to it: its English would be the same."""
    json_path, tmx_path = output_paths(out_dir, article.doc)
    present = [p.is_file() for p in (json_path, tmx_path)]
    if not any(present):
        return True, NEW
    if not all(present):
        return True, "output incomplete"
    try:
        document = read_json(json_path)
    except MTError:
        return True, "output unreadable"
    if document.meta.get("source_sha256") != _sha256(article.text):
        return True, "article changed"
    changed = settings.changes_from(document.meta)
    if (
        "glossary" in changed
        and not settings.consistent_names  # its names depend on every entry (names.py)
        and _term_matches(document) == _term_matches(prepare_article(article, settings), settings)
    ):
        changed.remove("glossary")  # its English would be the same
        if not changed and _without_glossary(document.meta.get("signature")) != _without_glossary(settings.signature()):
            changed.append("tool version")
    if changed:
        return True, f"{', '.join(changed)} changed"
    return False, None


def _without_glossary(signature: str | None) -> str:
    """A run's signature (``RunSettings.signature``) less its glossary hash."""
    return "|".join(part for part in (signature or "").split("|") if not part.startswith("glossary="))


def _term_matches(made: PairDocument | ArticleJob, settings: RunSettings | None = None) -> list[tuple]:
    """The glossary matches of an article as its pairs record them (a
    document) or as this glossary finds them (a job): article offsets,
    English, entry, short form's entry and ambiguity, in order."""
    if isinstance(made, PairDocument):
        return sorted((t.start, t.end, t.en, t.entry, t.via, t.ambiguous) for p in made.pairs for t in p.terms)
    glossary = settings.glossary
    return sorted(
        (seg.start + t.start, seg.start + t.end, t.en, t.entry, via, glossary.is_ambiguous(t.entry))
        for seg, requests, vias in zip(made.segments, made.requests, made.vias)
        for t, via in zip(requests, vias)
    )


class Progress:
    """Progress hooks for ``translate_files``; the default does nothing."""

    def start_window(self, docs: Sequence[str], segments: int) -> None:
        """Articles whose segments are translated together start (one, in
        the per-article loop), with this many segments in all."""

    def advance(self, segments: int) -> None: ...

    def passed(self, kind: str, sentences: int) -> None:
        """A decoding call ended (``FREE_PASS`` or ``FORCED_PASS``, and how many
        sentences it decoded): what moves while forced-term passes run."""

    def end_article(self, report: ArticleReport) -> None: ...


def load_articles(
    inputs: Sequence[Path | str],
    encoding: str = "utf-8",
    on_error: Callable[[InputError], None] | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> list[Article]:
    """Read every input article up front, so a bad input fails the run before
    anything is written (with ``on_error``, ``mt translate --skip-bad``, it
    is handed the error and left out instead); two inputs with the same name
    are refused.  A file with no Arabic letters (an English text) is no
    Arabic article: like an empty file in a directory, it is handed to
    ``on_skip`` (by default a warning) and left out."""
    skip = on_skip or warn_skipped
    articles = []
    for article in read_articles(inputs, encoding, on_error, on_skip=skip):
        if has_arabic(article.text):
            articles.append(article)
        else:
            skip(f"{article.path}: no Arabic letters, not an Arabic article")
    seen: dict[str, Path] = {}
    for article in articles:
        if article.doc in seen:
            raise InputError(
                f"{article.path}: has the same name as {seen[article.doc]}; their outputs would overwrite each other"
            )
        seen[article.doc] = article.path
    return articles


def plan_articles(
    articles: Iterable[Article], out: Path, settings: RunSettings, force: bool
) -> Iterator[tuple[Article, str | None] | ArticleReport]:
    """Resume: a skipped ``ArticleReport`` for each article whose outputs are
    up to date (none with ``force``), and ``(article, redone)`` for each
    other, ``redone`` saying why outputs that existed are replaced."""
    for article in articles:
        stale, why = out_of_date(out, article, settings)
        if force and not stale:
            stale, why = True, FORCED
        yield (article, why) if stale else ArticleReport(doc=article.doc, skipped=True)


LOCK_NAME = ".mt-translate.lock"


@contextlib.contextmanager
def lock_output(out: Path):
    """Hold ``out/.mt-translate.lock`` for the run: a second run into the same
    directory is refused at once (``OutputError``) rather than racing it."""
    busy = f"{out}: another mt translate is writing into it ({out / LOCK_NAME}); wait for it to finish or use another --out"
    with held_lock(out / LOCK_NAME, timeout=0, busy=busy):
        yield
