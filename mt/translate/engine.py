"""The translation engine: sentences in, English out, terms enforced.

``translate_texts`` takes sentences and the glossary terms matched in each,
and gives their translations with each term's status.  It looks sentences up
in the translation memory, splits long ones, decodes in length-sorted
batches, and enforces the terms in two passes (:mod:`.enforce`).  Article
runs are in :mod:`.articles`.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace

from ..text import normalize_text
from ..types import WordLink
from .backends import Backend
from .batching import is_full, make_batches
from .links import word_links
from .enforce import (
    INSERTED,
    REPLACED,
    Constraint,
    Plan,
    boundary_piece,
    final_statuses,
    make_constraint,
    own_rendering,
    plan_segment,
    rejoin_point,
    writes_again,
    writes_terms_again,
)
from .memory import Stored, TranslationMemory, draft_key, memory_key
from .vocab import EOS, Encoded

log = logging.getLogger(__name__)

# Sentences are given output limits by length buckets of this many pieces.
LENGTH_BUCKET = 16
# How many of the model's likeliest next pieces are considered for the piece
# after a forced term (see ``_free_pass``).
BOUNDARY_CANDIDATES = 8
# What ``translate_texts(on_pass=…)`` reports a decoding call as.
FREE_PASS, FORCED_PASS, LINKS_PASS = "free", "forced", "links"
# A splice that only replaces the model's own rendering of names is kept
# without decoding on when the free output's pieces after the last term lose
# at most this much log-probability in total (nats) once the terms are in:
# e^-1, i.e. the rest of the sentence stays at least ~37 % as likely as the
# model found it.  A name spelt another way leaves the words after it as
# likely as before; a change that breaks the sentence (a wrong case ending,
# a word that now repeats the name) costs far more.
SPLICE_MARGIN = 1.0
# A piece more likely than this (log-probability of one half) is the one
# greedy search writes: no other piece can be as likely.
CERTAIN = math.log(0.5)

# How the decoder goes on after a prefix that forces terms:
# - "rejoin": greedy, and only until it writes again what the free output
#   wrote after the last term (``enforce.rejoin_point``); the free output's
#   rest follows, as the model wrote it;
# - "greedy": greedy to the end of the sentence;
# - "beam": beam search (``DecodeOptions.beam``) to the end of the sentence.
CONTINUATIONS = ("rejoin", "greedy", "beam")

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
    # How a sentence goes on after its forced terms (``CONTINUATIONS``).
    continuation: str = "rejoin"

    def __post_init__(self):
        if self.continuation not in CONTINUATIONS:
            raise ValueError(f"continuation must be one of {', '.join(CONTINUATIONS)}, not {self.continuation!r}")

    @property
    def greedy_continuation(self) -> bool:
        """Whether decoding on after forced terms is greedy (``rejoin``,
        ``greedy``): each sentence then stops on its own (``_stop``)."""
        return self.continuation != "beam"

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
    text, the English form to enforce, the entry id and the proclitics the
    text there begins with (وروسيا: و)."""

    start: int
    end: int
    source: str
    en: str
    entry: str
    clitic: str = ""

    @classmethod
    def from_match(cls, match) -> TermRequest:
        """The request for a glossary ``TermMatch``."""
        return cls(match.start, match.end, match.text, match.entry.en, match.entry.id, match.clitic)


@dataclass(frozen=True)
class Translation:
    target: str
    statuses: tuple[str, ...] = ()  # one per TermRequest, in order
    links: tuple[WordLink, ...] = ()  # with ``links=True``; offsets into the text and the target


@dataclass(frozen=True)
class _Part:
    """A text, or a piece of a long one, as the engine translates it, with
    its source pieces and their character spans."""

    text: str
    terms: tuple[TermRequest, ...]
    encoded: Encoded
    key: str = ""
    draft: str = ""  # the key of its free output while it waits (``memory.DraftStore``)


@dataclass
class EngineStats:
    memory_hits: int = 0
    memory_misses: int = 0
    split_segments: int = 0
    second_pass: int = 0
    translated: int = 0
    output_pieces: int = 0
    replaced: int = 0  # forced terms placed in place of the model's rendering
    inserted: int = 0  # forced terms placed between words
    splices_kept: int = 0  # sentences whose replacements the scoring pass accepted: no second decode
    rejoined: int = 0  # continuations that found the free output again ("rejoin")
    continuations_known: int = 0  # continuations the scoring pass already told ("rejoin"): not decoded
    splices_restored: int = 0  # continuations that wrote a replaced word or a term again: the splice stands instead
    second_pass_keys: set = field(default_factory=set)  # memory keys of the parts counted in second_pass


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
            replace(t, start=t.start - a - lead, end=t.end - a - lead)
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
    resume: int = 0  # with ``prefix``: where the free output ``pieces`` went on after its last term
    # With ``prefix``: the spliced output (the free output with every term
    # in) to fall back on, and, when every forced term replaced the model's
    # rendering, the words of that rendering the last term replaced
    # (``enforce.own_rendering``; ``_constrained_pass``).
    spliced: tuple[str, ...] = ()
    rendering: tuple[str, ...] = ()

    @property
    def terms_end(self) -> int:
        """The prefix's length up to the end of its last term: the prefix
        that is decoded on from ends with the piece chosen after it."""
        return len(self.prefix) - 1


def _free_outputs(backend: Backend, parts: Sequence[_Part], constraints, options: DecodeOptions, store) -> tuple[list, set]:
    """The free pass's outputs, and the draft keys read back: a sentence
    with terms whose free output a stopped run left in ``store``
    (``memory.DraftStore``) is not decoded again."""
    stored = store.lookup(p.draft for p, c in zip(parts, constraints) if c) if store is not None else {}
    todo = [i for i, p in enumerate(parts) if p.draft not in stored]
    out = [stored.get(p.draft) for p in parts]
    decoded = backend.translate(
        [parts[i].encoded.pieces for i in todo],
        beam=options.beam,
        max_length=options.max_length(len(parts[0].encoded.pieces)),
        min_length=options.fixed_length or 0,
        return_attention=any(constraints[i] for i in todo),
    )
    for i, hyp in zip(todo, decoded):
        out[i] = hyp
    return out, set(stored)


def _free_pass(
    backend: Backend, parts: Sequence[_Part], options: DecodeOptions, stats: EngineStats, store=None
) -> list[_Draft]:
    """Translate one batch (sentences with the same output limit) freely and
    plan the enforcement of each sentence's terms (``mt.translate.enforce``).

    A sentence whose terms the model did not all write gets the prefix that
    forces them, ending with the first free piece: it must not glue onto the
    last forced word ("Russia" + "n"), so it is chosen here among the model's
    likeliest next pieces.  The constrained pass that decodes on from there
    runs later, pooled with other batches' sentences (``_pool_key``).  A
    sentence whose forced terms all replace the model's own rendering skips
    it when the scoring pass keeps the splice (``_keeps_likelihood``); with
    ``rejoin``, a sentence whose continuation that pass already tells is not
    decoded on either (``_known_continuation``).  The free output of a
    sentence that waits for its constrained pass is kept in ``store`` until
    it is done (``_free_outputs``).
    """
    vocab = backend.vocab
    constraints = [
        tuple(make_constraint(vocab, t.en, part.encoded.spans, t.start, t.end, t.clitic) for t in part.terms) for part in parts
    ]
    first, read_back = _free_outputs(backend, parts, constraints, options, store)
    drafts = _planned(backend, parts, constraints, first, options, stats)
    if store is not None:
        waiting = {p.draft: h for p, d, h in zip(parts, drafts, first) if d.prefix is not None and p.draft not in read_back}
        if waiting:
            store.store(waiting)
    return drafts


def _planned(backend: Backend, parts, constraints, first, options: DecodeOptions, stats: EngineStats) -> list[_Draft]:
    """The drafts of a free pass's outputs ``first``: each sentence's plan
    (``enforce.plan_segment``), kept splices, and for the others the prefix
    to decode on from (``_free_pass``)."""
    vocab = backend.vocab
    sources = [part.encoded.pieces for part in parts]
    max_length = options.max_length(len(sources[0]))
    drafts, plans = [], []
    for part, cons, hyp in zip(parts, constraints, first):
        plan = plan_segment(hyp.pieces, hyp.attention, cons, len(part.encoded.pieces) + 1, vocab)
        stats.replaced += plan.placements.count(REPLACED)
        stats.inserted += plan.placements.count(INSERTED)
        drafts.append(_Draft(part, cons, plan.statuses, hyp.pieces, plan.prefix, resume=plan.resume))
        plans.append(plan)
    rejoin = options.continuation == "rejoin"
    scores = _score_splices(backend, sources, first, plans)
    for i, (free_scores, spliced_scores) in scores.items():
        if _keeps_likelihood(plans[i], free_scores, spliced_scores):
            drafts[i] = replace(drafts[i], pieces=plans[i].spliced, prefix=None)
            stats.splices_kept += 1
    again = [i for i, d in enumerate(drafts) if d.prefix is not None]
    if not again:
        return drafts
    candidates = backend.next_pieces([sources[i] for i in again], [drafts[i].prefix for i in again], k=BOUNDARY_CANDIDATES)
    # A fixed length holds </s> back: the sentence cannot end with the term.
    held = (EOS,) if options.fixed_length else ()
    for i, options_i in zip(again, candidates):
        prefix = drafts[i].prefix
        piece = boundary_piece(options_i, vocab, (*plans[i].replaced, *held))
        if piece == EOS:  # the sentence ends with the term
            drafts[i] = replace(drafts[i], pieces=prefix, prefix=None)
            continue
        known = _known_continuation(plans[i], first[i].pieces, piece, scores[i][1], options) if rejoin and i in scores else None
        if known is not None:
            drafts[i] = replace(drafts[i], pieces=known, prefix=None)
            stats.continuations_known += 1
            continue
        forced = (*prefix, piece)
        room = len(forced) + (0 if options.fixed_length else options.length_extra)
        # The sentence's own limit, raised (in steps of a bucket) when its
        # forced terms need more room: a function of this sentence alone.
        limit = max_length + _bucket_up(max(0, room - max_length))
        if not options.fixed_length:
            limit = min(limit, _continuation_bound(len(forced), len(first[i].pieces) - plans[i].resume, options))
        # For ``_constrained_pass``: the splice to fall back on.
        rendering = own_rendering(plans[i].replaced, first[i].pieces) if plans[i].replaces_only else ()
        drafts[i] = replace(drafts[i], prefix=forced, limit=limit, spliced=plans[i].spliced, rendering=rendering)
        stats.second_pass += 1
        stats.second_pass_keys.add(parts[i].key)
    return drafts


def _continuation_bound(forced: int, rest: int, options: DecodeOptions) -> int:
    """The output limit of a sentence decoded on from ``forced`` pieces,
    when the free output wrote ``rest`` pieces after its last term: the
    continuation writes at most about twice that, plus ``length_extra``, as
    a sentence's limit is about twice its source (``DecodeOptions``).  A
    decoder that loops after a forced name, instead of ending the sentence
    as the free output did, stops there; rounded up to a bucket, so that
    beam continuations still pool (``_pool_key``)."""
    return _bucket_up(forced + int(options.length_ratio * (rest + 1)) + options.length_extra)


def _score_splices(backend: Backend, sources, free: Sequence, plans: Sequence[Plan]) -> dict[int, tuple]:
    """One teacher-forced scoring pass over the free and spliced outputs of
    the sentences whose forced terms all replace the model's rendering
    (``_keeps_likelihood``, then ``_known_continuation``); a free output
    whose log-probabilities came with its attention (``Hypothesis.log_probs``)
    is not scored again.  Sentence index → (free output's scores, spliced
    output's scores).

    Sentences with an inserted term are not scored: their continuation could
    be read from the same pass, but with a model that does not write the
    names (random weights) nearly every sentence is one, and the pass would
    cost a third of the free pass for almost nothing (docs/benchmarks.md)."""
    spliced = [i for i, plan in enumerate(plans) if plan.prefix is not None and plan.replaces_only]
    if not spliced:
        return {}
    unread = [i for i in spliced if free[i].log_probs is None]
    scores = backend.score(
        [sources[i] for i in unread + spliced],
        [free[i].pieces for i in unread] + [plans[i].spliced for i in spliced],
    )
    free_scores = {i: free[i].log_probs for i in spliced} | dict(zip(unread, scores))
    return {i: (free_scores[i], scores[len(unread) + k]) for k, i in enumerate(spliced)}


def _keeps_likelihood(plan: Plan, free_scores: Sequence[float], spliced_scores: Sequence[float]) -> bool:
    """Whether a splice that only replaces the model's own rendering stands
    as it is: the free pieces after the last term, ``</s>`` included, keep
    their likelihood (``SPLICE_MARGIN``)."""
    before = sum(free_scores[len(free_scores) - plan.free_tail - 1 :])
    after = sum(spliced_scores[len(spliced_scores) - plan.tail - 1 :])
    return before - after <= SPLICE_MARGIN


def _known_continuation(plan: Plan, free: Sequence[str], boundary: str, spliced_scores: Sequence[float], options: DecodeOptions):
    """The sentence that decoding on (``rejoin``) would give, when the
    scoring pass already says what it is; ``None`` when it does not.

    The continuation's first piece is the boundary piece.  When that is the
    spliced output's next piece, the scoring pass has the likelihood of the
    piece after it on the same history; above one half (``CERTAIN``), greedy
    search writes it.  If it is ``</s>``, the sentence ends there; if the two
    pieces rejoin the free output (``rejoin_point``), the free output's rest
    follows.  Either way nothing is left to decode, and the result is the
    one decoding would give."""
    n = len(plan.prefix)
    if n >= len(plan.spliced) or plan.spliced[n] != boundary or spliced_scores[n + 1] <= CERTAIN:
        return None
    if n + 1 == len(plan.spliced):  # </s>, which a fixed length holds back
        return None if options.fixed_length else (*plan.prefix, boundary)
    after = plan.spliced[n + 1]
    j = rejoin_point((boundary, after), free, plan.resume)
    return None if j is None else (*plan.prefix, boundary, after, *free[j + 1 :])


def _constrained_pass(backend: Backend, drafts: Sequence[_Draft], options: DecodeOptions, stats: EngineStats) -> list[_Draft]:
    """Decode on from the forced prefixes of ``drafts``, as
    ``options.continuation`` says (``CONTINUATIONS``).

    A continuation that writes again a word of the name's rendering that
    the last term replaced (``enforce.writes_again``) had not taken the name
    as written, and one that writes a term more often than the sentence asks
    and than the free output had it (``enforce.writes_terms_again``: a free
    output that stopped before a name, the term inserted, then the name
    reached again when decoding on) had not taken the term as placed; either
    way the splice stands in its place (``_gives_way``).

    Beam search decodes the batch to one output limit, so its drafts share
    one (``_pool_key``).  Greedy search stops each sentence on its own
    (``_stop``): at its own limit, and with ``rejoin`` where it finds the free
    output again, so drafts of any limit decode together."""
    rejoin = options.continuation == "rejoin"
    greedy = options.greedy_continuation
    limits = {d.limit for d in drafts}
    if not greedy and len(limits) > 1:
        raise ValueError("a beam-search continuation decodes drafts of one output limit")
    decoded = backend.translate(
        [d.part.encoded.pieces for d in drafts],
        beam=1 if greedy else options.beam,
        max_length=max(limits),
        min_length=options.fixed_length or 0,
        prefixes=[d.prefix for d in drafts],
        until=[_stop(d, rejoin) for d in drafts] if greedy else None,
    )
    out = []
    for d, h in zip(drafts, decoded):
        pieces = h.pieces
        j = rejoin_point(pieces[d.terms_end :], d.pieces, d.resume) if rejoin else None
        if j is not None:
            pieces = (*pieces, *d.pieces[j + 1 :])
        if _gives_way(backend.vocab, d, h.pieces, pieces):
            # The splice stands instead: the free output with the terms in
            # place, no duplicate.
            out.append(replace(d, pieces=d.spliced, prefix=None))
            stats.splices_restored += 1
            continue
        stats.rejoined += j is not None
        out.append(replace(d, pieces=pieces, prefix=None))
    return out


def _gives_way(vocab, draft: _Draft, decoded: Sequence[str], final: Sequence[str]) -> bool:
    """Whether a continuation gives way to the splice: what the decoder
    wrote after the terms (``decoded``) writes again a word of the rendering
    the last term replaced ("coronavirus" for "fayrws as and Rona", then
    "Rona" again), or the sentence it makes (``final``, the free output's
    rest included) writes a term more often than asked and than the free
    output had it."""
    if writes_again(decoded[draft.terms_end :], draft.rendering):
        return True
    if not draft.constraints:
        return False
    target, free = vocab.decode_target(final), vocab.decode_target(draft.pieces)
    return writes_terms_again(target, free, draft.constraints)


def _pool_key(draft: _Draft, options: DecodeOptions) -> int:
    """Drafts with the same key decode on in one batch: beam search needs one
    output limit per batch; greedy search stops each sentence at its own."""
    return 0 if options.greedy_continuation else draft.limit


def _stop(draft: _Draft, rejoin: bool):
    """The stop of a greedy continuation: at the draft's own output limit,
    and with ``rejoin``, once past the forced prefix, where ``rejoin_point``
    finds the free output again."""
    forced = len(draft.prefix)

    def stop(pieces: tuple[str, ...]) -> bool:
        if len(pieces) >= draft.limit:
            return True
        return rejoin and len(pieces) > forced and rejoin_point(pieces[draft.terms_end :], draft.pieces, draft.resume) is not None

    return stop


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
    on_pass: Callable[[str, int], None] | None = None,
    store=None,
) -> Iterator[list[_Draft]]:
    """Decode ``parts``, yielding drafts as they finish; the free outputs of
    those that wait are kept in ``store`` (``_free_pass``).

    Free passes run in length-sorted batches that never mix output limits
    (see ``DecodeOptions.max_length``).  Sentences that need a constrained
    pass wait (``_pool_key``) until they fill a batch across free-pass
    batches: a batch's sentences rarely all need one, and small batches
    decode slowly.  A greedy continuation holds one hypothesis per sentence
    where the free pass holds ``beam``, so its batches take ``beam`` times as
    many sentences in the same memory.  What still waits at the end runs
    last.
    """
    scale = max(1, options.beam) if options.greedy_continuation else 1
    constrained_budget = (max_batch_pieces * scale, max_batch_sentences * scale)

    def batches(group: Sequence[_Part], budget=(max_batch_pieces, max_batch_sentences)) -> list[list[int]]:
        return make_batches([len(p.encoded.pieces) for p in group], *budget)

    queued: dict[int, list[_Draft]] = {}

    def constrained(key: int, *, flush: bool) -> Iterator[list[_Draft]]:
        group = queued.pop(key)
        chunks = [[group[i] for i in chunk] for chunk in batches([d.part for d in group], constrained_budget)]
        if not flush and not is_full([len(d.part.encoded.pieces) for d in chunks[-1]], *constrained_budget):
            queued[key] = chunks.pop()
        for chunk in chunks:
            finished = _constrained_pass(backend, chunk, options, stats)
            if on_pass:
                on_pass(FORCED_PASS, len(chunk))
            yield finished

    by_limit: dict[int, list[_Part]] = {}
    for part in parts:
        by_limit.setdefault(options.max_length(len(part.encoded.pieces)), []).append(part)
    for limit in sorted(by_limit, reverse=True):
        group = by_limit[limit]
        for batch in batches(group):
            drafts = _free_pass(backend, [group[i] for i in batch], options, stats, store)
            if on_pass:
                on_pass(FREE_PASS, len(batch))
            finished = [d for d in drafts if d.prefix is None]
            if finished:
                yield finished
            for d in drafts:
                if d.prefix is not None:
                    queued.setdefault(_pool_key(d, options), []).append(d)
            for key in sorted(queued, reverse=True):
                yield from constrained(key, flush=False)
    for key in sorted(queued, reverse=True):
        yield from constrained(key, flush=True)


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
    on_pass: Callable[[str, int], None] | None = None,
    on_text: Callable[[int, Translation, tuple[str, ...]], None] | None = None,
    links: bool = False,
) -> list[Translation]:
    """Translate ``texts`` (sentences) with their glossary terms enforced.

    Texts already in ``memory`` are not translated again; the others are
    translated in batches (``_decode``) and committed to memory as they
    finish.  A memory with ``drafts`` (``TranslationMemory``) also keeps the
    free output of each text that waits for its forced-term pass, so a run
    stopped then does not decode it again.
    ``on_done(n)`` is called as texts finish (for progress bars), and
    ``on_pass(kind, n)`` after each decoding call with the number of
    sentences (or parts) it decoded, ``kind`` being ``FREE_PASS`` or
    ``FORCED_PASS``: a text waiting for its forced-term pass is not done, so
    this is what moves while those passes run.  ``on_text(index, translation,
    keys)`` is called as each text is done, with the memory keys of its parts.
    ``links=True`` adds each translation's word links (``mt.translate.links``)
    from one teacher-forced pass over the final English (``LINKS_PASS``, over
    the texts done together), memory hits included; a text translated in
    parts gets none.
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
            mine.append(replace(part, key=key, draft=draft_key(backend.identity, options.key(), part.text)))
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

    def result(index: int) -> Translation:
        mine = parts_of[index]
        target = " ".join(done[p.key].target for p in mine).strip()
        return Translation(target=target, statuses=tuple(s for p in mine for s in done[p.key].statuses))

    linked: dict[int, Translation] = {}

    def finish(indices: Sequence[int]) -> None:
        results = {i: result(i) for i in indices}
        if links:
            results = _with_links(backend, parts_of, results, max_batch_pieces, max_batch_sentences, on_pass)
            linked.update(results)
        if on_text:
            for index in indices:
                on_text(index, results[index], tuple(p.key for p in parts_of[index]))

    finish([i for i, n in enumerate(pending) if n == 0])
    if on_done and pending.count(0):
        on_done(pending.count(0))

    store = getattr(memory, "drafts", None)
    for drafts in _decode(backend, todo, options, stats, max_batch_pieces, max_batch_sentences, on_pass, store):
        new = {d.part.key: _finish(vocab, d, stats) for d in drafts}
        done.update(new)
        if memory is not None:
            memory.store({d.part.key: (d.part.text, new[d.part.key]) for d in drafts})
        if store is not None:
            store.forget(d.part.draft for d in drafts if d.constraints)
        finished = []
        for key in new:
            for index in waiting.pop(key, ()):
                pending[index] -= 1
                if pending[index] == 0:
                    finished.append(index)
        finish(finished)
        if on_done and finished:
            on_done(len(finished))

    return [linked[index] if links else result(index) for index in range(len(texts))]


def _with_links(
    backend: Backend,
    parts_of: Sequence[Sequence[_Part]],
    translations: dict[int, Translation],
    max_batch_pieces: int,
    max_batch_sentences: int,
    on_pass: Callable[[str, int], None] | None,
) -> dict[int, Translation]:
    """``translations`` (by text index) with their word links, from
    ``Backend.attend`` over the final English in length-sorted batches."""
    vocab = backend.vocab
    todo = [i for i, t in translations.items() if len(parts_of[i]) == 1 and t.target]
    targets = {i: vocab.encode_target(translations[i].target) for i in todo}
    lengths = [len(parts_of[i][0].encoded.pieces) + len(targets[i]) for i in todo]
    out = dict(translations)
    for batch in make_batches(lengths, max_batch_pieces, max_batch_sentences):
        members = [todo[k] for k in batch]
        attention = backend.attend([parts_of[i][0].encoded.pieces for i in members], [targets[i] for i in members])
        for i, rows in zip(members, attention):
            part = parts_of[i][0]
            found = word_links(part.text, part.encoded.spans, out[i].target, targets[i], rows)
            out[i] = replace(out[i], links=found)
        if on_pass:
            on_pass(LINKS_PASS, len(members))
    return out
