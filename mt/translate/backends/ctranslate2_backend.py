"""MarianMT converted to CTranslate2, in the precision ``auto`` picks for this CPU (:mod:`..precision`); needs no torch."""

from __future__ import annotations

import logging

import numpy as np

from ...errors import ModelError
from ..convert import starts_from_pad
from ..models import ModelSource
from ..precision import COMPUTE_TYPES, cpu_info, forced_isa_problem, resolve_compute_type
from ..vocab import EOS, PAD, MarianVocabulary
from . import BackendBase, Hypothesis, first_stop

log = logging.getLogger(__name__)

# ``next_pieces`` of a model that starts from a zero embedding reads the
# logits of every step: at most about this many numbers a batch (256 MB).
STEPWISE_LOGITS = 1 << 26


class CTranslate2Backend(BackendBase):
    """``ctranslate2.Translator.translate_batch`` on SentencePiece pieces.

    Forced prefixes use CTranslate2's ``target_prefix``.  Beam search forces
    them step by step, batched.  Greedy search from a prefix
    (``_continue_each``), ``next_pieces`` and ``attend`` use
    ``return_alternatives``,
    which runs the prefix through the decoder in one call, for a model whose
    decoder starts from its ``<pad>`` embedding (``mt model prepare``); one
    that starts from a zero embedding (CTranslate2's own converter, or
    ``mt model prepare`` before it kept ``<pad>``) would read that prefix
    blank there (``convert._pad_start_loader``), so its prefix is forced
    step by step instead.
    """

    name = "ctranslate2"

    def __init__(self, source: ModelSource, *, compute_type: str | None = None):
        import ctranslate2

        if compute_type is not None and compute_type not in COMPUTE_TYPES:
            raise ModelError(f"unknown compute type {compute_type!r}, expected one of {', '.join(COMPUTE_TYPES)}")
        self.vocab = MarianVocabulary(source.path)
        cpu = cpu_info()
        problem = forced_isa_problem(cpu)
        if problem:
            raise ModelError(problem)
        chosen, self.compute_reason = resolve_compute_type(compute_type, cpu)
        try:
            self.translator = ctranslate2.Translator(str(source.path), device="cpu", compute_type=chosen)
        except (RuntimeError, ValueError, OSError) as err:
            raise ModelError(f"{source.spec}: cannot load the CTranslate2 model ({err})") from None
        # What CTranslate2 computes in, "default" resolved (int8 weights: "int8_float32").
        self.compute_type = self.translator.compute_type
        self.cpu_isa = cpu.label
        self.pad_start = starts_from_pad(source.path)
        if not self.pad_start:
            log.warning(
                "%s starts its decoder from a zero embedding (not made by this version of mt model prepare): "
                "enforcement reads the piece after each term step by step, more slowly; prepare it again",
                source.spec,
            )
        self.identity = f"ctranslate2:{source.fingerprint}:{self.compute_type}:{self.cpu_isa}"

    def _translate(self, sources, *, beam, max_length, min_length, prefixes, return_attention, until) -> list[Hypothesis]:
        if prefixes and beam == 1 and not min_length and self.pad_start and not return_attention:
            return self._continue_each(sources, prefixes, max_length, until)
        return self._decode_batch(sources, beam, max_length, min_length, prefixes, return_attention, until)

    def _decode_batch(self, sources, beam, max_length, min_length, prefixes, return_attention, until) -> list[Hypothesis]:
        """One ``translate_batch`` call; prefixes are forced step by step."""
        extra = {"callback": _stopper(until, len(sources))} if until else {}
        try:
            results = self._run(
                [[*s, EOS] for s in sources],
                target_prefix=[list(p) if p else None for p in prefixes] if prefixes else None,
                beam_size=beam,
                max_decoding_length=max_length,
                min_decoding_length=min_length,
                return_attention=return_attention,
                **extra,
            )
        finally:
            if until:
                self._release_callback()
        return [self._hypothesis(r) for r in results]

    def _continue_each(self, sources, prefixes, max_length, until) -> list[Hypothesis]:
        """Greedy search on from each prefix, one sentence a call.
        ``return_alternatives`` reads the prefix in one forward pass and
        writes the likeliest piece after it; greedy search goes on from
        there.  Forced step by step instead, a prefix costs a decoding step
        per piece, for the whole batch, until its longest prefix is read
        (docs/benchmarks.md, "… a prefix read in one pass").  CTranslate2
        decodes the sentences of such a batch one by one anyway, and its
        callback does not say which sentence a step is of, so each is a call
        of its own.

        The alternatives step never writes the end token, so the end token
        is made ``<pad>``, which is never written (as in ``next_pieces``):
        ``</s>`` is written at its own likelihood, and the output ends at
        the first one.  The same makes a minimum length unenforceable, so a
        batch with one is decoded step by step instead.  The callback does
        not see the piece the alternatives step writes, so ``until`` is
        asked with ``UNSEEN`` in its place, and a stop may come a piece late
        (or, when that piece is ``</s>``, only at the next ``</s>``, the
        stop or the length limit); the output is cut where ``until`` first
        stops it on the pieces written (``first_stop``), as decoding step
        by step would cut it."""
        out = []
        try:
            for i, (source, prefix) in enumerate(zip(sources, prefixes)):
                prefix = tuple(prefix or ())
                stop = until[i] if until else _never
                (result,) = self._run(
                    [[*source, EOS]],
                    target_prefix=[list(prefix)] if prefix else None,
                    beam_size=1,
                    num_hypotheses=1,
                    return_alternatives=True,
                    max_decoding_length=max_length,
                    end_token=PAD,
                    callback=_unseen_stopper(prefix, stop),
                )
                pieces = tuple(result.hypotheses[0])
                if EOS in pieces:
                    pieces = pieces[: pieces.index(EOS)]
                out.append(Hypothesis(pieces=first_stop(pieces, stop)))
        finally:
            self._release_callback()
        return out

    def _release_callback(self) -> None:
        """CTranslate2's worker keeps its last job, Python callback included,
        until the next one; a callback still held when Python exits aborts
        the process ("terminate called without an active exception").  A
        one-step job without a callback lets it go."""
        self._run([[EOS]], beam_size=1, max_decoding_length=1)

    def _run(self, sources, **options):
        try:
            return self.translator.translate_batch(sources, **options)
        except (RuntimeError, ValueError) as err:
            raise ModelError(f"CTranslate2 could not translate a batch ({err})") from None

    def next_pieces(self, sources, prefixes, k: int) -> list[list[str]]:
        """Alternatives at the first position after the prefix: the prefix
        goes through the decoder in one call and one step is expanded.
        Decoding stops right there only when the batch's prefixes have the
        same length, so sentences are grouped by prefix length.  That step
        never offers the end token (its minimum length is one), so the end
        token is made ``<pad>``, which is never written, and ``</s>`` is
        offered as any piece is, at its own likelihood."""
        if not self.pad_start:
            return self._next_pieces_stepwise(sources, prefixes, k)
        out: list[list[str]] = [[] for _ in sources]
        groups: dict[int, list[int]] = {}
        for i, prefix in enumerate(prefixes):
            groups.setdefault(len(prefix), []).append(i)
        for length, members in groups.items():
            results = self._run(
                [[*sources[i], EOS] for i in members],
                target_prefix=[list(prefixes[i]) for i in members],
                max_decoding_length=length + 1,
                return_alternatives=True,
                num_hypotheses=k,
                beam_size=k,
                end_token=PAD,
            )
            for i, result in zip(members, results):
                out[i] = [h[length] if len(h) > length else EOS for h in result.hypotheses]
        return out

    def _next_pieces_stepwise(self, sources, prefixes, k: int) -> list[list[str]]:
        """``next_pieces`` for a model that starts from a zero embedding: the
        prefixes forced step by step (greedy, batched), and the ``k`` best
        pieces read from the logits of the step after each.  Those logits
        come for every step, so batches are kept to about
        ``STEPWISE_LOGITS`` numbers."""
        out: list[list[str]] = [[] for _ in sources]
        order = sorted(range(len(sources)), key=lambda i: len(prefixes[i]))
        width = len(self.vocab.piece_to_id)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * (len(prefixes[order[end]]) + 1) * width <= STEPWISE_LOGITS:
                end += 1
            members = order[start:end]
            results = self._run(
                [[*sources[i], EOS] for i in members],
                target_prefix=[list(prefixes[i]) or None for i in members],
                beam_size=1,
                max_decoding_length=len(prefixes[members[-1]]) + 1,
                return_logits_vocab=True,
            )
            for i, result in zip(members, results):
                logits = np.asarray(result.logits[0][len(prefixes[i])], dtype=np.float32).ravel()
                best = np.argsort(-logits, kind="stable")[:k]
                out[i] = self.vocab.to_pieces([int(t) for t in best])
            start = end
        return out

    def score(self, sources, targets) -> list[tuple[float, ...]]:
        """``score_batch``: one teacher-forced pass; CTranslate2 appends ``</s>``."""
        if not sources:
            return []
        try:
            results = self.translator.score_batch([[*s, EOS] for s in sources], [list(t) for t in targets])
        except (RuntimeError, ValueError) as err:
            raise ModelError(f"CTranslate2 could not score a batch ({err})") from None
        return [tuple(r.log_probs) for r in results]

    def attend(self, sources, targets) -> list[tuple[tuple[float, ...], ...]]:
        """The cross-attention of each target.  For a model whose decoder
        starts from ``<pad>``, a sentence a call: the decoder reads the
        target in one pass (``return_alternatives``) and writes one piece
        after it, which is dropped; forced step by step in one batch, every
        step would also compute the logits over the whole vocabulary
        (docs/benchmarks.md, "Word links read in one pass").  For one that
        starts from a zero embedding, which would read the target blank
        there, the targets are forced as whole prefixes, greedy, in one batch
        (a shorter one going on a little past its prefix, which is cut
        off)."""
        members = [i for i, target in enumerate(targets) if target]
        out: list[tuple[tuple[float, ...], ...]] = [() for _ in sources]
        if not members:
            return out
        if self.pad_start:
            results = [
                self._run(
                    [[*sources[i], EOS]],
                    target_prefix=[list(targets[i])],
                    beam_size=1,
                    num_hypotheses=1,
                    return_alternatives=True,
                    max_decoding_length=len(targets[i]) + 1,
                    end_token=PAD,
                    return_attention=True,
                )[0]
                for i in members
            ]
        else:
            results = self._run(
                [[*sources[i], EOS] for i in members],
                target_prefix=[list(targets[i]) for i in members],
                beam_size=1,
                max_decoding_length=max(len(targets[i]) for i in members),
                return_attention=True,
            )
        for i, result in zip(members, results):
            out[i] = _attention_rows(result, len(targets[i]))
        return out

    @staticmethod
    def _hypothesis(result) -> Hypothesis:
        pieces = tuple(p for p in result.hypotheses[0] if p != EOS)
        attention = _attention_rows(result, len(pieces)) if result.attention else None
        return Hypothesis(pieces=pieces, attention=attention)


def _stopper(until, n: int):
    """CTranslate2's greedy ``callback`` for per-sentence stops: it is called
    for every piece of every sentence, forced prefix included, and a sentence
    whose callback answers ``True`` stops there, that piece kept."""
    pieces: list[list[str]] = [[] for _ in range(n)]

    def callback(step) -> bool:
        mine = pieces[step.batch_id]
        if step.token == EOS:
            return True
        mine.append(step.token)
        return bool(until[step.batch_id](tuple(mine)))

    return callback


# What ``_continue_each`` hands ``until`` for the piece its callback does not
# see: no piece is the empty string.
UNSEEN = ""


def _never(pieces: tuple[str, ...]) -> bool:
    return False


def _unseen_stopper(prefix: tuple[str, ...], stop):
    """The callback of one ``_continue_each`` call: it sees the pieces after
    the one written after the prefix."""
    seen: list[str] = []

    def callback(step) -> bool:
        if step.token == EOS:
            return True
        seen.append(step.token)
        return bool(stop((*prefix, UNSEEN, *seen)))

    return callback


def _attention_rows(result, n: int) -> tuple[tuple[float, ...], ...]:
    """The attention rows of the first ``n`` pieces of a result's best
    hypothesis, each checked (``_checked_row``)."""
    return tuple(_checked_row(row) for row in result.attention[0][:n])


def _checked_row(row) -> tuple[float, ...]:
    """An attention row as returned; a row that does not sum to 1 is replaced
    by a flat one.  CTranslate2 4.x returns the first step of beam search
    wrong for some sentences of a batch (the step runs before the beams are
    expanded), sometimes as such a row; flat means "no information".  A
    wrong first row that sums to 1 passes (docs/benchmarks.md, "Word links
    read in one pass")."""
    total = sum(row)
    if abs(total - 1.0) > 0.01 or not row:
        return tuple([1.0 / max(1, len(row))] * len(row))
    return tuple(row)
