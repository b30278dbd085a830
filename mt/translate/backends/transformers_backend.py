"""MarianMT through transformers (PyTorch)."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from ...errors import ModelError
from ..models import ModelSource, quiet_transformers
from ..vocab import UNK, MarianVocabulary
from . import BackendBase, Hypothesis, first_stop

# Greedy search from a prefix goes on one sentence at a time for at most
# this many pieces before the sentences still going on decode on together
# (``TransformersBackend._continue``).  On the trained test model, 21 of the
# 24 continuations after forced terms stop within 6 pieces; the others run
# 11 to 20 (docs/benchmarks.md).
ALONE_PIECES = 8


def _prefix_forcer(prefixes: list[list[int]], beam: int):
    """A ``LogitsProcessor`` that forces each sentence's prefix ids."""
    import torch
    from transformers import LogitsProcessor

    class PrefixForcer(LogitsProcessor):
        def __call__(self, input_ids, scores):
            step = input_ids.shape[1] - 1  # pieces generated so far
            for row in range(scores.shape[0]):
                prefix = prefixes[row // beam]
                if step < len(prefix):
                    forced = prefix[step]
                    keep = scores[row, forced].clone()
                    scores[row] = -torch.inf
                    scores[row, forced] = keep
            return scores

    return PrefixForcer()


def _stopper(until, backend):
    """A ``StoppingCriteria`` for per-sentence stops in greedy search (one
    row per sentence): a row whose ``until`` answers ``True`` is done, and
    generate pads it from there on.  Each call reads only the pieces written
    since the last one, and asks no more of a row once it is done."""
    from transformers import StoppingCriteria

    vocab, pad = backend.vocab, backend.pad_id

    class Stopper(StoppingCriteria):
        def __init__(self):
            self.read = 1  # the decoder start token is no piece
            self.pieces = [[] for _ in until]
            self.done = [False] * len(until)

        def __call__(self, input_ids, scores, **kwargs):
            new = input_ids[:, self.read :].tolist()
            self.read = input_ids.shape[1]
            for row, tokens in enumerate(new):
                for token in tokens:
                    if self.done[row]:
                        break
                    if token == vocab.eos_id or token == pad:
                        self.done[row] = True
                        break
                    self.pieces[row].append(vocab.id_to_piece.get(token, UNK))
                    self.done[row] = bool(until[row](tuple(self.pieces[row])))
            return backend.torch.tensor(self.done, dtype=backend.torch.bool, device=input_ids.device)

    return Stopper()


class TransformersBackend(BackendBase):
    """``MarianMTModel.generate`` on pieces from ``MarianVocabulary``.

    Forced prefixes are a ``LogitsProcessor`` over the whole batch; greedy
    search from a prefix first reads it in one pass, a sentence at a time
    (``_continue``).  Cross-attention comes from one teacher-forced forward
    pass over the chosen output (last decoder layer, mean over heads), so
    beam search needs no per-beam bookkeeping of attention; the same pass
    gives the output's log-probabilities (``Hypothesis.log_probs``).
    """

    name = "transformers"

    def __init__(self, source: ModelSource, *, compute_type: str | None = None):
        import torch
        from transformers import GenerationConfig, MarianMTModel

        if compute_type not in (None, "auto", "float32", "default"):
            raise ModelError(f"the transformers backend runs in float32, not {compute_type}")
        self.torch = torch
        self.vocab = MarianVocabulary(source.path)
        quiet_transformers()
        try:
            self.model = MarianMTModel.from_pretrained(source.path).eval()
        except Exception as err:  # torch, safetensors and config validation raise many types
            first_line = str(err).strip().splitlines()[0][:160] if str(err).strip() else ""
            raise ModelError(
                f"{source.spec}: cannot load the MarianMT checkpoint ({type(err).__name__}: {first_line})"
            ) from None
        config = self.model.config
        self.start_id = config.decoder_start_token_id
        self.pad_id = config.pad_token_id
        self.compute_type = "float32"
        self.compute_reason = "the transformers backend runs in float32"
        self.cpu_isa = torch.backends.cpu.get_cpu_capability()  # torch's kernels: "AVX2", "AVX512", …
        self.identity = f"transformers:{source.fingerprint}:float32:{self.cpu_isa}"
        # A clean generation config replaces the checkpoint's, so nothing is
        # merged in: both backends stop at the length limit without forcing
        # </s>, never write <pad>, and search without sampling.
        self.generation = GenerationConfig(
            decoder_start_token_id=self.start_id,
            eos_token_id=self.vocab.eos_id,
            pad_token_id=self.pad_id,
            bad_words_ids=[[self.pad_id]],
            do_sample=False,
            num_return_sequences=1,
        )
        self.model.generation_config = self.generation

    def _encode(self, sources: Sequence[Sequence[str]]):
        torch = self.torch
        rows = [self.vocab.to_ids(s) + [self.vocab.eos_id] for s in sources]
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
        return ids, mask

    def _decoder_inputs(self, outputs: Sequence[Sequence[str]]):
        """``[start, *pieces]`` per row, right-padded, and each row's length."""
        torch = self.torch
        width = max(len(o) for o in outputs) + 1
        ids = torch.full((len(outputs), width), self.pad_id, dtype=torch.long)
        for i, out in enumerate(outputs):
            ids[i, 0] = self.start_id
            if out:
                ids[i, 1 : len(out) + 1] = torch.tensor(self.vocab.to_ids(out))
        return ids

    def _config(self, beam: int, max_length: int, min_length: int):
        """Lengths count the decoder start token too."""
        config = copy.deepcopy(self.generation)
        config.num_beams = beam
        config.max_length = 1 + max(1, max_length)
        config.min_length = 1 + min_length if min_length > 0 else 0
        return config

    def _strip(self, row) -> tuple[str, ...]:
        pieces = []
        for token in row.tolist()[1:]:  # drop the decoder start token
            if token == self.vocab.eos_id or token == self.pad_id:
                break
            pieces.append(self.vocab.id_to_piece.get(token, UNK))
        return tuple(pieces)

    def _translate(self, sources, *, beam, max_length, min_length, prefixes, return_attention, until) -> list[Hypothesis]:
        if prefixes and beam == 1 and not return_attention:
            return self._continue(sources, prefixes, max_length, min_length, until)
        return self._generate(sources, beam, max_length, min_length, prefixes, return_attention, until)

    def _continue(self, sources, prefixes, max_length, min_length, until) -> list[Hypothesis]:
        """Greedy search on from each prefix, in two steps.

        Each sentence first goes on alone for at most ``ALONE_PIECES``
        pieces, its prefix given as ``decoder_input_ids``, which the decoder
        reads in one pass.  The sentences that have not stopped by then
        (``</s>``, their stop, the length limit) go on together, what they
        wrote so far forced step by step as one batch (``_generate``).

        Forced step by step, a prefix costs one decoding step per piece for
        the whole batch, up to its longest prefix; read in one pass, a
        sentence's prefix costs one forward pass.  But a sentence decoded on
        alone for many pieces costs a step per piece that a batch would
        share.  After a forced name, a continuation that rejoins the free
        output mostly does so within a few pieces; one that does not may run
        to the end of the sentence, and those are what the batch is for
        (docs/benchmarks.md).  So sentences go on alone only while no more
        of those that did went on past ``ALONE_PIECES`` than ended: a model
        whose continuations run on (random weights, which never write the
        free output again) pays for one sentence alone, not for all.
        Greedy search writes the same pieces either way, so the output does
        not depend on which sentences go on alone."""
        out: list[Hypothesis | None] = [None] * len(sources)
        rest: list[tuple[int, tuple[str, ...]]] = []
        ended = went_on = 0  # sentences that ended alone, and that did not
        for i, (source, prefix) in enumerate(zip(sources, prefixes)):
            prefix = tuple(prefix or ())
            cap = min(max_length, len(prefix) + ALONE_PIECES)
            if went_on > ended or len(prefix) >= cap:
                rest.append((i, prefix))
                continue
            pieces, stopped = self._alone(source, prefix, cap, min_length, until[i] if until else None)
            if stopped or len(pieces) < cap or cap == max_length:
                out[i] = Hypothesis(pieces=pieces)
                ended += 1
            else:
                rest.append((i, pieces))
                went_on += 1
        if rest:
            members = [i for i, _ in rest]
            done = self._generate(
                [sources[i] for i in members],
                1,
                max_length,
                min_length,
                [pieces for _, pieces in rest],
                False,
                [until[i] for i in members] if until else None,
            )
            for i, hypothesis in zip(members, done):
                out[i] = hypothesis
        return out

    def _alone(self, source, prefix, cap, min_length, stop) -> tuple[tuple[str, ...], bool]:
        """Greedy search on from ``prefix`` for one sentence, to at most
        ``cap`` pieces in all: its pieces, and whether ``stop`` stopped it."""
        ids, mask = self._encode([source])
        kwargs = {}
        stopper = None
        if stop is not None:
            stopper = _stopper([stop], self)
            kwargs["stopping_criteria"] = [stopper]
        with self.torch.inference_mode():
            generated = self.model.generate(
                input_ids=ids,
                attention_mask=mask,
                decoder_input_ids=self._decoder_inputs([prefix]),
                generation_config=self._config(1, cap, min(min_length, cap)),
                **kwargs,
            )
        pieces = self._strip(generated[0])
        if stopper is None:
            return pieces, False
        # The stop is first asked once a piece is written after the prefix,
        # about the prefix's pieces too: one that stops inside the prefix
        # has that piece written all the same.
        return first_stop(pieces, stop), stopper.done[0]

    def _generate(self, sources, beam, max_length, min_length, prefixes, return_attention, until) -> list[Hypothesis]:
        """One ``generate`` call over the batch; prefixes are forced step by step."""
        ids, mask = self._encode(sources)
        kwargs = {}
        if prefixes:
            forced = [self.vocab.to_ids(p or ()) for p in prefixes]
            kwargs["logits_processor"] = [_prefix_forcer(forced, beam)]
        if until:
            kwargs["stopping_criteria"] = [_stopper(until, self)]
        with self.torch.inference_mode():
            generated = self.model.generate(
                input_ids=ids, attention_mask=mask, generation_config=self._config(beam, max_length, min_length), **kwargs
            )
            outputs = [self._strip(row) for row in generated]
            attention, log_probs = self._attention(ids, mask, outputs) if return_attention else ([None] * len(outputs),) * 2
        return [Hypothesis(pieces=p, attention=a, log_probs=lp) for p, a, lp in zip(outputs, attention, log_probs)]

    def score(self, sources, targets) -> list[tuple[float, ...]]:
        """One forward pass over ``[start, *target]``: the log-probability of
        each target piece and of the ``</s>`` after it."""
        if not sources:
            return []
        torch = self.torch
        ids, mask = self._encode(sources)
        decoder_ids = self._decoder_inputs(targets)
        with torch.inference_mode():
            logits = self.model(input_ids=ids, attention_mask=mask, decoder_input_ids=decoder_ids).logits
            return self._target_log_probs(logits, targets)

    def _target_log_probs(self, logits, targets) -> list[tuple[float, ...]]:
        """From the decoder's logits over ``[start, *target]``: the
        log-probability of each target piece, then of ``</s>``."""
        torch = self.torch
        out = []
        for i, target in enumerate(targets):
            wanted = torch.tensor([*self.vocab.to_ids(target), self.vocab.eos_id], device=logits.device)
            # One sentence at a time, over its own positions only: the whole
            # batch's log-softmax is another tensor the size of the logits.
            logprobs = torch.log_softmax(logits[i, : len(wanted)].float(), dim=-1)
            out.append(tuple(logprobs.gather(1, wanted[:, None]).squeeze(1).tolist()))
        return out

    def next_pieces(self, sources, prefixes, k: int) -> list[list[str]]:
        if not sources:
            return []
        ids, mask = self._encode(sources)
        decoder_ids = self._decoder_inputs(prefixes)
        with self.torch.inference_mode():
            logits = self.model(input_ids=ids, attention_mask=mask, decoder_input_ids=decoder_ids).logits
        out = []
        for i, prefix in enumerate(prefixes):
            row = logits[i, len(prefix)].clone()
            row[self.pad_id] = -self.torch.inf
            out.append(self.vocab.to_pieces(row.topk(k).indices.tolist()))
        return out

    def attend(self, sources, targets) -> list[tuple[tuple[float, ...], ...]]:
        if not sources:
            return []
        ids, mask = self._encode(sources)
        with self.torch.inference_mode():
            return self._attention(ids, mask, [tuple(t) for t in targets])[0]

    def _attention(self, ids, mask, outputs):
        """Cross-attention of each output piece on the source pieces, and,
        from the same pass, the log-probability of each piece and of the
        ``</s>`` after it (``Hypothesis.log_probs``)."""
        if not any(outputs):
            return [() for _ in outputs], [None] * len(outputs)
        decoder_ids = self._decoder_inputs(outputs)
        # sdpa attention cannot return weights: switch to eager for this pass.
        self.model.set_attn_implementation("eager")
        try:
            result = self.model(input_ids=ids, attention_mask=mask, decoder_input_ids=decoder_ids, output_attentions=True)
        finally:
            self.model.set_attn_implementation("sdpa")
        cross = result.cross_attentions[-1].mean(dim=1)  # [batch, target, source]
        rows = []
        for i, out in enumerate(outputs):
            n_src = int(mask[i].sum())
            rows.append(tuple(tuple(r) for r in cross[i, : len(out), :n_src].tolist()))
        return rows, self._target_log_probs(result.logits, outputs)
