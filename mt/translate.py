"""Translating articles: segment, match terms, translate with the terms
enforced, write JSON and TMX.

``translate_texts`` is the engine (memory, long-segment splitting, batching,
two-pass enforcement); ``translate_article`` makes the pairs of one article;
``translate_files`` runs a batch of articles into an output directory,
atomically per article, skipping articles already done.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import __version__
from .backends import Backend
from .batching import make_batches
from .enforce import Constraint, boundary_piece, final_statuses, make_constraint, plan_segment
from .errors import InputError
from .formats import read_json, write_json, write_tmx
from .memory import Stored, TranslationMemory, memory_key
from .normalize import fold_digits, has_arabic, normalize_text
from .segment import split_sentences
from .textio import Article, ensure_dir, read_articles, remove_stale_temporaries
from .types import TERM_FORCED, TERM_MISSING, TERM_PRODUCED, Pair, PairDocument, Segment, TermHit
from .vocab import EOS, Encoded

log = logging.getLogger(__name__)

# Sentences are given output limits by length buckets of this many pieces.
LENGTH_BUCKET = 16
# How many of the model's likeliest next pieces are considered for the piece
# after a forced term (see ``_free_pass``).
BOUNDARY_CANDIDATES = 8

_SPLIT_AFTER = re.compile(r"[،,;؛:]\s+|\s+")


def _bucket_up(pieces: int) -> int:
    """``pieces`` rounded up to a multiple of ``LENGTH_BUCKET``."""
    return -(-pieces // LENGTH_BUCKET) * LENGTH_BUCKET


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding options; everything here is part of the memory key."""

    beam: int = 4
    max_input_pieces: int = 200  # longer segments are translated in parts
    length_ratio: float = 2.0  # output pieces ≤ ratio × source pieces + extra
    length_extra: int = 10
    max_output_pieces: int = 500
    fixed_length: int | None = None  # benchmarks: exactly this many output pieces

    def key(self) -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(asdict(self).items()))

    def max_length(self, source_pieces: int) -> int:
        """The output limit of a sentence of ``source_pieces`` pieces.

        It depends on the sentence alone (its length rounded up to a multiple
        of ``LENGTH_BUCKET``), never on the other sentences of its batch, so a
        sentence translates the same whatever it is batched with.
        """
        if self.fixed_length:
            return self.fixed_length
        bucket = _bucket_up(max(1, source_pieces))
        return min(self.max_output_pieces, int(self.length_ratio * bucket) + self.length_extra)


@dataclass(frozen=True)
class TermRequest:
    """A glossary term found in a text to translate: character span in that
    text, the English form to enforce and the entry id."""

    start: int
    end: int
    source: str
    en: str
    entry: str


@dataclass(frozen=True)
class Translation:
    target: str
    statuses: tuple[str, ...] = ()  # one per TermRequest, in order


@dataclass(frozen=True)
class _Part:
    """A text, or a piece of a long one, as the engine translates it, with
    its source pieces and their character spans."""

    text: str
    terms: tuple[TermRequest, ...]
    encoded: Encoded
    key: str = ""


@dataclass
class EngineStats:
    memory_hits: int = 0
    memory_misses: int = 0
    split_segments: int = 0
    second_pass: int = 0
    translated: int = 0
    output_pieces: int = 0


def _cut_points(text: str, encoded: Encoded, terms: Sequence[TermRequest], limit: int) -> list[int]:
    """Character offsets where ``text`` is cut into parts of at most about
    ``limit`` pieces: after a comma-like mark or at a space, never inside a
    term; one enormous word is cut at a piece boundary.  Linear in length."""
    starts = [a for a, _ in encoded.spans]
    terms_sorted = sorted((t.start, t.end) for t in terms)
    term_starts = [a for a, _ in terms_sorted]

    def inside_term(c: int) -> bool:
        k = bisect.bisect_right(term_starts, c - 1) - 1
        return k >= 0 and terms_sorted[k][0] < c < terms_sorted[k][1]

    cuts = [m.end() for m in _SPLIT_AFTER.finditer(text) if not inside_term(m.end())]
    ends = [b for _, b in encoded.spans]
    points: list[int] = []
    pos, first = 0, 0  # where the current part begins: character, piece
    while len(ends) - first > limit:
        # A cut before the end of piece ``first + limit`` keeps the part
        # within the limit: take the last such cut, or, inside one enormous
        # word, the piece boundary itself.
        k = bisect.bisect_left(cuts, ends[first + limit]) - 1
        cut = cuts[k] if k >= 0 and cuts[k] > pos else starts[first + limit]
        points.append(cut)
        pos, first = cut, bisect.bisect_right(ends, cut)
    return points


def _parts_of(text: str, terms: Sequence[TermRequest], vocab, options: DecodeOptions, stats: EngineStats) -> list[_Part]:
    encoded = vocab.encode_source(text)
    if len(encoded.pieces) <= options.max_input_pieces:
        return [_Part(text, tuple(terms), encoded)]
    points = _cut_points(text, encoded, terms, options.max_input_pieces)
    stats.split_segments += 1
    spans = [(a, b) for a, b in zip([0, *points], [*points, len(text)]) if text[a:b].strip()]
    log.warning(
        "a segment of %d characters is longer than %d pieces; translating it in %d parts",
        len(text), options.max_input_pieces, len(spans),
    )
    parts = []
    for a, b in spans:
        lead = len(text[a:b]) - len(text[a:b].lstrip())
        piece = text[a:b].strip()
        inside = tuple(
            TermRequest(t.start - a - lead, t.end - a - lead, t.source, t.en, t.entry)
            for t in terms
            if a <= t.start < b
        )
        parts.append(_Part(piece, inside, vocab.encode_source(piece)))
    return parts


@dataclass(frozen=True)
class _Draft:
    """A part after its free pass: the constraints and planned term statuses,
    its output pieces so far and, while terms remain to be forced, the prefix
    to decode on from and that decoding's output limit."""

    part: _Part
    constraints: tuple[Constraint, ...]
    planned: tuple[str, ...]
    pieces: tuple[str, ...]
    prefix: tuple[str, ...] | None = None
    limit: int | None = None  # set with ``prefix``


def _free_pass(backend: Backend, parts: Sequence[_Part], options: DecodeOptions, stats: EngineStats) -> list[_Draft]:
    """Translate one batch (sentences with the same output limit) freely and
    plan the enforcement of each sentence's terms (``mt.enforce``).

    A sentence whose terms the model did not all write gets the prefix that
    forces them, ending with the first free piece: it must not glue onto the
    last forced word ("Russia" + "n"), so it is chosen here among the model's
    likeliest next pieces.  The constrained pass that decodes on from there
    runs later, pooled with other batches' sentences of the same limit.
    """
    vocab = backend.vocab
    sources = [part.encoded.pieces for part in parts]
    constraints = [
        tuple(make_constraint(vocab, t.en, part.encoded.spans, t.start, t.end) for t in part.terms) for part in parts
    ]
    max_length = options.max_length(len(sources[0]))
    first = backend.translate(
        sources,
        beam=options.beam,
        max_length=max_length,
        min_length=options.fixed_length or 0,
        return_attention=any(constraints),
    )
    drafts = []
    for part, cons, hyp in zip(parts, constraints, first):
        plan = plan_segment(hyp.pieces, hyp.attention, cons, len(part.encoded.pieces) + 1)
        drafts.append(_Draft(part, cons, plan.statuses, hyp.pieces, plan.prefix))
    again = [i for i, d in enumerate(drafts) if d.prefix is not None]
    if not again:
        return drafts
    stats.second_pass += len(again)
    candidates = backend.next_pieces([sources[i] for i in again], [drafts[i].prefix for i in again], k=BOUNDARY_CANDIDATES)
    for i, options_i in zip(again, candidates):
        prefix = drafts[i].prefix
        piece = boundary_piece(options_i, vocab)
        if piece == EOS:  # the sentence ends with the term
            drafts[i] = replace(drafts[i], pieces=prefix, prefix=None)
            continue
        forced = (*prefix, piece)
        room = len(forced) + (0 if options.fixed_length else options.length_extra)
        # The sentence's own limit, raised (in steps of a bucket) when its
        # forced terms need more room: a function of this sentence alone.
        limit = max_length + _bucket_up(max(0, room - max_length))
        drafts[i] = replace(drafts[i], prefix=forced, limit=limit)
    return drafts


def _constrained_pass(backend: Backend, drafts: Sequence[_Draft], options: DecodeOptions) -> list[_Draft]:
    """Decode on from the forced prefixes of ``drafts`` (all of one limit)."""
    (limit,) = {d.limit for d in drafts}
    decoded = backend.translate(
        [d.part.encoded.pieces for d in drafts],
        beam=options.beam,
        max_length=limit,
        min_length=options.fixed_length or 0,
        prefixes=[d.prefix for d in drafts],
    )
    return [replace(d, pieces=h.pieces, prefix=None) for d, h in zip(drafts, decoded)]


def _finish(vocab, draft: _Draft, stats: EngineStats) -> Stored:
    """The English of a finished draft, its terms checked in the text."""
    target = vocab.decode_target(draft.pieces)
    statuses = final_statuses(target, draft.constraints, draft.planned) if draft.constraints else ()
    stats.output_pieces += len(draft.pieces)
    stats.translated += 1
    return Stored(target=target, statuses=statuses)


def _decode(
    backend: Backend,
    parts: Sequence[_Part],
    options: DecodeOptions,
    stats: EngineStats,
    max_batch_pieces: int,
    max_batch_sentences: int,
) -> Iterator[list[_Draft]]:
    """Decode ``parts``, yielding drafts as they finish.

    Free passes run in length-sorted batches that never mix output limits
    (see ``DecodeOptions.max_length``).  Sentences that need a constrained
    pass wait, by output limit, until they fill a batch across free-pass
    batches: a batch's sentences rarely all need one, and small batches
    decode slowly.  What still waits at the end runs last.
    """

    def batches(group: Sequence[_Part]) -> list[list[int]]:
        return make_batches([len(p.encoded.pieces) for p in group], max_batch_pieces, max_batch_sentences)

    def is_full(group: Sequence[_Part]) -> bool:
        longest = max(len(p.encoded.pieces) for p in group)
        return len(group) >= max_batch_sentences or longest * (len(group) + 1) > max_batch_pieces

    queued: dict[int, list[_Draft]] = {}

    def constrained(limit: int, *, flush: bool) -> Iterator[list[_Draft]]:
        group = queued.pop(limit)
        chunks = [[group[i] for i in chunk] for chunk in batches([d.part for d in group])]
        if not flush and not is_full([d.part for d in chunks[-1]]):
            queued[limit] = chunks.pop()
        for chunk in chunks:
            yield _constrained_pass(backend, chunk, options)

    by_limit: dict[int, list[_Part]] = {}
    for part in parts:
        by_limit.setdefault(options.max_length(len(part.encoded.pieces)), []).append(part)
    for limit in sorted(by_limit, reverse=True):
        group = by_limit[limit]
        for batch in batches(group):
            drafts = _free_pass(backend, [group[i] for i in batch], options, stats)
            finished = [d for d in drafts if d.prefix is None]
            if finished:
                yield finished
            for d in drafts:
                if d.prefix is not None:
                    queued.setdefault(d.limit, []).append(d)
            for waiting_limit in sorted(queued, reverse=True):
                yield from constrained(waiting_limit, flush=False)
    for waiting_limit in sorted(queued, reverse=True):
        yield from constrained(waiting_limit, flush=True)


def translate_texts(
    backend: Backend,
    texts: Sequence[str],
    terms: Sequence[Sequence[TermRequest]] | None = None,
    *,
    options: DecodeOptions = DecodeOptions(),
    memory: TranslationMemory | None = None,
    max_batch_pieces: int = 1000,
    max_batch_sentences: int = 32,
    on_done: Callable[[int], None] | None = None,
    stats: EngineStats | None = None,
) -> list[Translation]:
    """Translate ``texts`` (sentences) with their glossary terms enforced.

    Texts already in ``memory`` are not translated again; the others are
    translated in batches (``_decode``) and committed to memory as they
    finish.
    ``on_done(n)`` is called as texts finish (for progress bars).
    """
    stats = stats if stats is not None else EngineStats()
    terms = terms if terms is not None else [()] * len(texts)
    vocab = backend.vocab
    parts_of: list[list[_Part]] = []
    for text, text_terms in zip(texts, terms):
        mine = []
        for part in _parts_of(text, text_terms, vocab, options, stats):
            key = memory_key(
                backend.identity, options.key(), normalize_text(part.text), [f"{t.entry}\t{t.en}" for t in part.terms]
            )
            mine.append(replace(part, key=key))
        parts_of.append(mine)
    parts = [p for mine in parts_of for p in mine]

    done: dict[str, Stored] = {}
    if memory is not None:
        before_hits, before_misses = memory.hits, memory.misses
        done.update(memory.lookup(p.key for p in parts))
        stats.memory_hits += memory.hits - before_hits
        stats.memory_misses += memory.misses - before_misses
    todo = list({p.key: p for p in parts if p.key not in done}.values())

    # Which texts wait for which keys, so finished texts are reported at once.
    waiting: dict[str, set[int]] = {}
    pending = [0] * len(texts)
    for index, mine in enumerate(parts_of):
        for key in {p.key for p in mine if p.key not in done}:
            waiting.setdefault(key, set()).add(index)
            pending[index] += 1
    if on_done and pending.count(0):
        on_done(pending.count(0))

    for drafts in _decode(backend, todo, options, stats, max_batch_pieces, max_batch_sentences):
        new = {d.part.key: _finish(vocab, d, stats) for d in drafts}
        done.update(new)
        if memory is not None:
            memory.store({d.part.key: (d.part.text, new[d.part.key]) for d in drafts})
        finished = 0
        for key in new:
            for index in waiting.pop(key, ()):
                pending[index] -= 1
                finished += pending[index] == 0
        if on_done and finished:
            on_done(finished)

    translations = []
    for mine in parts_of:
        target = " ".join(done[p.key].target for p in mine).strip()
        statuses = tuple(s for p in mine for s in done[p.key].statuses)
        translations.append(Translation(target=target, statuses=statuses))
    return translations


# ---- articles ----------------------------------------------------------------


@dataclass(frozen=True)
class RunSettings:
    """Everything about a translation run that ends up in its outputs."""

    model: str
    backend: Backend
    options: DecodeOptions = DecodeOptions()
    glossary: object | None = None  # mt.glossary.Glossary

    def glossary_meta(self) -> dict | None:
        g = self.glossary
        if g is None:
            return None
        return {"path": str(g.path) if g.path else None, "sha256": g.sha256, "entries": len(g)}

    def signature(self) -> str:
        parts = [f"mt-glossary {__version__}", f"model={self.model}", f"backend={self.backend.identity}", self.options.key()]
        if self.glossary is not None:
            parts.append(f"glossary={self.glossary.sha256[:16]}")
        return "|".join(parts)


@dataclass
class ArticleReport:
    doc: str
    segments: int = 0
    skipped: bool = False
    stats: dict = field(default_factory=dict)


def match_terms(glossary, text: str) -> list[TermRequest]:
    if glossary is None:
        return []
    return [TermRequest(m.start, m.end, m.text, m.entry.en, m.entry.id) for m in glossary.match(text)]


def translate_article(
    article: Article,
    settings: RunSettings,
    memory: TranslationMemory | None = None,
    on_done: Callable[[int], None] | None = None,
    segments: Sequence[Segment] | None = None,
) -> PairDocument:
    """Segment (unless ``segments`` are given), match terms, translate;
    return the article's pairs.

    A segment without Arabic letters (an English caption, a date in
    Arabic-Indic digits) is not translated: it is kept, its digits in ASCII.
    """
    if segments is None:
        segments = split_sentences(article.text, article.doc)
    requests = [match_terms(settings.glossary, seg.text) for seg in segments]
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
            TermHit(source=t.source, start=seg.start + t.start, end=seg.start + t.end, en=t.en, entry=t.entry, status=status)
            for t, status in zip(requests[i], result.statuses)
        )
        for hit in hits:
            counts[hit.status] += 1
        pairs.append(
            Pair(id=str(seg.index), source=seg.text, target=result.target, source_start=seg.start, source_end=seg.end, terms=hits)
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


def is_done(out_dir: Path, doc: str) -> bool:
    return all(p.is_file() for p in output_paths(out_dir, doc))


class Progress:
    """Progress hooks for ``translate_files``; the default does nothing."""

    def start_article(self, doc: str, segments: int) -> None: ...

    def advance(self, segments: int) -> None: ...

    def end_article(self, report: ArticleReport) -> None: ...


def load_articles(inputs: Sequence[Path | str], encoding: str = "utf-8") -> list[Article]:
    """Read every input article up front, so a bad input fails the run before
    anything is written; two inputs with the same name are refused."""
    articles = list(read_articles(inputs, encoding))
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

    Articles whose two outputs exist are skipped unless ``force``; each
    output is written atomically, JSON first, so an interrupted run leaves
    only whole files and a rerun resumes where it stopped.
    """
    out = ensure_dir(out_dir)
    progress = progress or Progress()
    reports = []
    for article in articles:
        if not force and is_done(out, article.doc):
            report = ArticleReport(doc=article.doc, skipped=True)
            try:
                meta = read_json(output_paths(out, article.doc)[0]).meta
                if meta.get("source_sha256") != _sha256(article.text):
                    log.warning("%s: output exists but was made from another version of the article; --force to redo it", article.doc)
                elif meta.get("signature") != settings.signature():
                    log.warning("%s: output exists but was made with other settings; --force to redo it", article.doc)
            except Exception:  # an unreadable old output is redone only with --force, as documented
                log.warning("%s: output exists but cannot be read; --force to redo it", article.doc)
            progress.end_article(report)
            reports.append(report)
            continue
        segments = split_sentences(article.text, article.doc)
        progress.start_article(article.doc, len(segments))
        document = translate_article(article, settings, memory, on_done=progress.advance, segments=segments)
        json_path, tmx_path = output_paths(out, article.doc)
        for path in (json_path, tmx_path):
            remove_stale_temporaries(path)  # left by a run killed while writing
        write_json(document, json_path)
        write_tmx(document, tmx_path)
        report = ArticleReport(doc=article.doc, segments=len(segments), stats=document.meta["stats"])
        progress.end_article(report)
        reports.append(report)
    return reports
