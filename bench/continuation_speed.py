"""Ways of decoding on after forced terms, timed on the engine's own batches.

    python bench/continuation_speed.py [--repeat 2] [--length 64]
    python bench/continuation_speed.py --trained [--repeat 3]

The engine translates the seed segments with the house glossary once
(CTranslate2 int8, beam 4), and every batch it hands to the constrained pass
is recorded: the forced prefixes, each sentence's output limit, pooled across
free-pass batches as in ``mt translate`` with ``--continuation beam`` (one
output limit per batch; the engine pools greedy continuations across limits,
in larger batches).  Each way of decoding on then runs over exactly those
batches, best of ``--repeat``:

* ``beam``: a hard ``target_prefix``, beam search to the end of the sentence
  (CTranslate2 forces the prefix one step at a time, at full beam cost);
* ``greedy``: the same prefix, greedy to the end;
* ``rejoin``: greedy, each sentence stopped as soon as it writes again two
  pieces the free output wrote after the last term
  (``mt.translate.enforce.rejoin_point``), the free output's rest kept;
* ``rejoin-stepwise``: the same with the prefix forced step by step in one
  batch (CTranslate2's way before ``_continue_each``; still its way under a
  fixed length, and for a copy that starts from a zero embedding);
* ``rejoin-each``: ``rejoin`` with each sentence read in one pass and decoded
  on alone (``CTranslate2Backend._continue_each``), under a fixed length too;
* ``alternatives``: ``return_alternatives``, which reads the prefix in one
  forward pass, then decodes each sentence on from there (beam 4);
* ``alternatives-rejoin``: the same with greedy search, each sentence
  stopped where it rejoins the free output, as ``rejoin`` stops it.

Default model: random weights at the real opus-mt-ar-en shape
(``bench/translate_speed.py``), every output fixed at ``--length`` pieces as
there; random weights never write what they wrote before, so ``rejoin``
never stops early there.  ``--trained``: the trained test model
(``tests/data/trained-model``), outputs as the model ends them, where
continuations do rejoin.  Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from mt.translate import DecodeOptions, EngineStats, load_backend, prepare_model, translate_texts  # noqa: E402
from mt.translate import engine  # noqa: E402
from mt.translate.vocab import EOS  # noqa: E402


def record_batches(backend, texts, requests, options) -> list[list]:
    """The drafts of every constrained-pass batch of one engine run."""
    from enforce_quality import watching

    recorded = []
    with watching("_constrained_pass", lambda done, backend, drafts, *_: recorded.append(list(drafts))):
        translate_texts(backend, texts, requests, options=options)
    return recorded


def by_engine(continuation: str, stepwise: bool = False):
    """The engine's constrained pass.  ``stepwise``: with the prefix forced
    step by step in one batch, CTranslate2's way for a copy that starts from
    a zero embedding, instead of read in one pass a sentence at a time
    (``CTranslate2Backend._continue_each``, greedy without a fixed length)."""

    def run(backend, batches, options):
        stats = EngineStats()
        pieces = 0
        pad_start = backend.pad_start
        backend.pad_start = pad_start and not stepwise
        try:
            for drafts in batches:
                done = engine._constrained_pass(backend, drafts, replace(options, continuation=continuation), stats)
                pieces += sum(len(d.pieces) for d in done)
        finally:
            backend.pad_start = pad_start
        return pieces, stats.rejoined

    return run


def by_each(backend, batches, options):
    """``rejoin`` with the fixed length lifted, so that CTranslate2 reads each
    prefix in one pass and decodes each sentence on alone
    (``CTranslate2Backend._continue_each``), where under a fixed length it
    forces the prefix step by step (the alternatives step cannot hold
    ``</s>`` back): the cost of that way at this shape."""
    return by_engine("rejoin")(backend, batches, replace(options, fixed_length=None))


def by_alternatives(backend, batches, options):
    """``return_alternatives``: the prefix in one forward pass, then one
    hypothesis decoded on per sentence."""
    pieces = 0
    for drafts in batches:
        results = backend.translator.translate_batch(
            [[*d.part.encoded.pieces, EOS] for d in drafts],
            target_prefix=[list(d.prefix) for d in drafts],
            beam_size=options.beam,
            num_hypotheses=1,
            return_alternatives=True,
            max_decoding_length=drafts[0].limit,
            min_decoding_length=options.fixed_length or 0,
        )
        pieces += sum(len(r.hypotheses[0]) for r in results)
    return pieces, 0


def by_alternatives_rejoin(backend, batches, options):
    """``return_alternatives`` with greedy search, one call a batch: the
    encoder runs on the batch, then each sentence reads its prefix in one
    forward pass and is decoded on alone, stopped where it rejoins the free
    output (``engine._stop``) through the callback.  The callback sees the
    pieces after the first free one only, so it stops one piece late at
    worst, and the rejoin point is found after the fact as the engine finds
    it.  CTranslate2 4.8.5 does not decode the sentences in batch order,
    and its callback does not say which sentence a step is of, so the
    counting in ``_rejoin_callback`` can give a sentence another's stop: a
    timing of the way, not its output.  ``rejoin-each`` (one sentence a
    call, as the engine does) is the exact form."""
    from mt.translate.enforce import rejoin_point

    pieces = rejoined = 0
    for drafts in batches:
        callback = _rejoin_callback(drafts)
        results = backend.translator.translate_batch(
            [[*d.part.encoded.pieces, EOS] for d in drafts],
            target_prefix=[list(d.prefix) for d in drafts],
            beam_size=1,
            num_hypotheses=1,
            return_alternatives=True,
            max_decoding_length=max(d.limit for d in drafts),
            min_decoding_length=options.fixed_length or 0,
            callback=callback,
        )
        for d, result in zip(drafts, results):
            out = tuple(p for p in result.hypotheses[0] if p != EOS)
            j = rejoin_point(out[d.terms_end :], d.pieces, d.resume)
            if j is not None:
                out = (*out, *d.pieces[j + 1 :])
                rejoined += 1
            pieces += len(out)
    backend._release_callback()
    return pieces, rejoined


def _rejoin_callback(drafts):
    """The callback of ``by_alternatives_rejoin``: alternatives decode the
    sentences one after another, each as batch 0, so a sentence is found by
    counting those that stopped; ``"?"`` stands for the first free piece,
    which the callback never sees."""
    seen = [[] for _ in drafts]
    stops = [engine._stop(d, True) for d in drafts]
    current = 0

    def callback(step):
        nonlocal current
        seen[current].append(step.token)
        stop = bool(stops[current]((*drafts[current].prefix, "?", *seen[current])))
        if stop or step.is_last:
            current += 1
        return stop

    return callback


METHODS = {
    "beam": by_engine("beam"),
    "greedy": by_engine("greedy"),
    "rejoin": by_engine("rejoin"),
    "rejoin-stepwise": by_engine("rejoin", stepwise=True),
    "rejoin-each": by_each,
    "alternatives": by_alternatives,
    "alternatives-rejoin": by_alternatives_rejoin,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--length", type=int, default=64, help="output pieces per sentence (fixed), random weights only")
    parser.add_argument("--trained", action="store_true", help="the trained test model instead of random weights")
    parser.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated, of {', '.join(METHODS)}")
    args = parser.parse_args()

    from enforce_quality import seed_sentences
    from mt.glossary import Glossary

    texts, requests = seed_sentences(Glossary.load(ROOT / "glossary" / "entities.tsv"))
    with tempfile.TemporaryDirectory() as tmp:
        if args.trained:
            model = prepare_model(str(ROOT / "tests" / "data" / "trained-model"), Path(tmp) / "ct2")
            options = DecodeOptions(beam=4)
            label = "trained test model"
        else:
            from translate_speed import build_models

            _, model = build_models()
            options = DecodeOptions(beam=4, fixed_length=args.length)
            label = f"random weights at the opus-mt-ar-en shape, {args.length} output pieces"
        backend = load_backend(str(model), "ctranslate2")
        batches = record_batches(backend, texts, requests, replace(options, continuation="beam"))
        sentences = sum(len(b) for b in batches)
        prefix = sum(len(d.prefix) for b in batches for d in b)
        rows = []
        for name in args.methods.split(","):
            best = None
            for _ in range(args.repeat):
                start = time.perf_counter()
                pieces, rejoined = METHODS[name](backend, batches, options)
                elapsed = time.perf_counter() - start
                best = elapsed if best is None else min(best, elapsed)
            rows.append((name, best, pieces, rejoined))
    sizes = sorted(len(b) for b in batches)
    print(f"{label}; CTranslate2 int8 beam 4; {sentences} sentences to decode on in {len(batches)} batches "
          f"of {sizes[0]}–{sizes[-1]} (the engine's pooled batches for beam), {prefix / sentences:.1f} forced pieces each on average; "
          f"best of {args.repeat}")
    print("| way of decoding on | time | per sentence | vs beam | output pieces | rejoined |")
    print("|---|---|---|---|---|---|")
    base = next((r[1] for r in rows if r[0] == "beam"), rows[0][1])
    for name, seconds, pieces, rejoined in rows:
        print(f"| {name} | {seconds:.2f} s | {1000 * seconds / sentences:.0f} ms | {seconds / base:.2f}× | {pieces} | "
              f"{rejoined if 'rejoin' in name else ''} |")


if __name__ == "__main__":
    main()
