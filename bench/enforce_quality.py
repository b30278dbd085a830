"""Glossary enforcement on a model whose attention is real: the trained test model.

On the seed articles and the house glossary, for each backend, in one run:

* time with the glossary over the same sentences without it (best of
  ``--repeat`` interleaved runs, and the ratio of the two medians: the
  machine's speed drifts by a fifth between runs);
* the mix of terms: produced by the model, replaced in place of the model's
  own rendering, inserted; and missing (never expected);
* the share of segments with a match that take a second decode, how many
  splices the scoring pass kept without one, and how many continuations
  gave way to the splice because they wrote a replaced word again;
* duplicates: a term written more often than its source holds it, and more
  often than the free output already wrote it (a model that loops writes
  a name again by itself; those repeats are counted apart), or the model's
  own rendering of the name (``render_word`` of the training task) left
  beside the forced term;
* collateral change: the word edit distance between the free output and the
  enforced output outside the terms (in the free output: outside the words
  the splice replaced, the model's own renderings of the names), as a share
  of the free output's words outside them: over the sentences with a forced
  term, and over those whose forced terms all replaced the model's own
  rendering (in place).

    python bench/enforce_quality.py [--model tests/data/trained-model] [--repeat 3] [--repeat-transformers 1]
        [--beam 4] [--continuation rejoin,greedy,beam] [--backends ctranslate2,transformers]

Each continuation (``DecodeOptions.continuation``) is a row, against the
same run without a glossary; the runs are interleaved, best of each.

The CTranslate2 copy (int8) is made with ``mt model prepare`` into a temporary
directory.  Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from mt.glossary import Glossary, find_term, find_terms  # noqa: E402
from mt.translate import CONTINUATIONS, DecodeOptions, EngineStats, TermRequest, load_backend, prepare_model, translate_texts  # noqa: E402

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def seed_sentences(glossary: Glossary) -> tuple[list[str], list[list[TermRequest]]]:
    from translate_speed import seed_segments

    texts = seed_segments()
    return texts, [[TermRequest.from_match(m) for m in glossary.match(text)] for text in texts]


def _edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def _within(match: re.Match, spans: list[tuple[int, int]]) -> bool:
    return any(a < match.end() and match.start() < b for a, b in spans)


def _outside(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The words of ``text`` outside ``spans``."""
    return [m.group() for m in _WORD.finditer(text) if not _within(m, spans)]


def run(backend, texts, requests, options):
    """One timed run: seconds, results, stats."""
    stats = EngineStats()
    start = time.perf_counter()
    results = translate_texts(backend, texts, requests, options=options, stats=stats)
    return time.perf_counter() - start, results, stats


@contextmanager
def watching(name: str, record):
    """Within the block, every call of ``mt.translate.engine.<name>`` is
    followed by ``record(result, *args)``."""
    from mt.translate import engine

    original = getattr(engine, name)

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        record(result, *args)
        return result

    setattr(engine, name, spy)
    try:
        yield
    finally:
        setattr(engine, name, original)


def placements(backend, texts, requests, options) -> dict[str, tuple[tuple[str, ...], frozenset[int]]]:
    """How each segment's forced terms were placed (``Plan.placements``) and
    which words of the free English the splice replaced (the model's own
    renderings of the names), by the segment's free English: one more run,
    with the planner watched."""
    seen = {}

    def record(plan, pieces, *_):
        free = backend.vocab.decode_target(pieces)
        words = _WORD.findall(free)
        spliced = _WORD.findall(backend.vocab.decode_target(plan.spliced)) if plan.spliced else words
        replaced = {
            i
            for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, words, spliced, autojunk=False).get_opcodes()
            if tag in ("replace", "delete")
            for i in range(i1, i2)
        }
        seen[free] = (plan.placements, frozenset(replaced))

    with watching("plan_segment", record):
        translate_texts(backend, texts, requests, options=options)
    return seen


def interleaved(backend, texts, requests, beam: int, continuations: list[str], repeat: int) -> dict:
    """``repeat`` rounds of: the run without a glossary, then one run per
    continuation; the best time of each, so that a machine whose speed drifts
    during the runs weighs on all of them alike."""
    options = {c: DecodeOptions(beam=beam, continuation=c) for c in continuations}
    best: dict = {}
    times: dict = {}  # every run's seconds, by name
    for _ in range(repeat):
        for name, reqs, opts in [(None, [[] for _ in texts], DecodeOptions(beam=beam))] + [
            (c, requests, options[c]) for c in continuations
        ]:
            seconds, results, stats = run(backend, texts, reqs, opts)
            times.setdefault(name, []).append(seconds)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, results, stats)
    return best, times


def measure(texts, requests, free_run, forced_run, placed) -> dict:
    free_s, free, _ = free_run
    glossary_s, forced, stats = forced_run
    terms = [t for r in requests for t in r]
    statuses = [s for f in forced for s in f.statuses]
    produced = statuses.count("produced")
    duplicates = leftover = model_repeats = 0
    changed_repl = outside_repl = in_place = 0
    changed_forced = outside_forced = 0
    for text, reqs, f, e in zip(texts, requests, free, forced):
        if not reqs:
            continue
        forms = [t.en for t in reqs]
        found = find_terms(e.target, forms)
        before = find_terms(f.target, forms)
        for form in set(forms):
            duplicates += max(0, len(found[form]) - max(forms.count(form), len(before[form])))
            model_repeats += max(0, min(len(found[form]), len(before[form])) - forms.count(form))
        for t, status in zip(reqs, e.statuses):
            name = _render(t.source.split()[-1])[-1]  # the model's own rendering of the name
            if status == "forced" and not find_term(t.en, name) and find_term(e.target, name):
                leftover += 1
        term_spans = [span for spans in found.values() for span in spans]
        how, replaced = placed.get(f.target, ((), frozenset()))
        # Outside the terms on both sides: a term the model wrote itself is
        # in the free output as it is in the enforced one.
        free_spans = [span for spans in find_terms(f.target, forms).values() for span in spans]
        a = [m.group() for i, m in enumerate(_WORD.finditer(f.target)) if i not in replaced and not _within(m, free_spans)]
        b = _outside(e.target, term_spans)
        d = _edit_distance(a, b)
        if "forced" in e.statuses:
            changed_forced += d
            outside_forced += max(1, len(a))
        if how and set(how) == {"replaced"}:  # every forced term in place
            changed_repl += d
            outside_repl += max(1, len(a))
            in_place += 1
    with_terms = sum(1 for r in requests if r)
    return {
        "free_s": free_s,
        "glossary_s": glossary_s,
        "overhead": glossary_s / free_s - 1,
        "rejoined": stats.rejoined,
        "continuations_known": stats.continuations_known,
        "splices_restored": stats.splices_restored,
        "terms": len(terms),
        "produced": produced,
        "replaced": stats.replaced,
        "inserted": stats.inserted,
        "missing": statuses.count("missing"),
        "segments_with_terms": with_terms,
        "second_decode": stats.second_pass,
        "splices_kept": stats.splices_kept,
        "duplicates": duplicates,
        "model_repeats": model_repeats,
        "rendering_left": leftover,
        "collateral_forced_segments": changed_forced / max(1, outside_forced),
        "collateral_in_place": changed_repl / max(1, outside_repl),
        "in_place_segments": in_place,
    }


def _render(word: str) -> list[str]:
    """The English words the trained model was taught for ``word``."""
    from train_test_model import render_word, task_names

    if not _NAMES:
        _NAMES.update(task_names())
    return render_word(word, _NAMES)


_NAMES: dict[str, str] = {}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "tests" / "data" / "trained-model")
    parser.add_argument("--glossary", type=Path, default=ROOT / "glossary" / "entities.tsv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument(
        "--continuation", default="rejoin",
        help=f"comma-separated ways of decoding on after forced terms, a row each ({', '.join(CONTINUATIONS)})",
    )
    parser.add_argument("--backends", default="ctranslate2,transformers", help="comma-separated backends")
    parser.add_argument("--repeat-transformers", type=int, default=1, help="--repeat for transformers, whose runs are long")
    args = parser.parse_args(argv)

    glossary = Glossary.load(args.glossary)
    texts, requests = seed_sentences(glossary)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ct2 = prepare_model(str(args.model), Path(tmp) / "ct2")
        chosen = args.backends.split(",")
        for label, name, path in (("ctranslate2 int8", "ctranslate2", ct2), ("transformers fp32", "transformers", args.model)):
            if name not in chosen:
                continue
            backend = load_backend(str(path), name)
            repeat = args.repeat if name == "ctranslate2" else args.repeat_transformers
            continuations = args.continuation.split(",")
            best, times = interleaved(backend, texts, requests, args.beam, continuations, repeat)
            placed = placements(backend, texts, requests, DecodeOptions(beam=args.beam))
            for continuation in continuations:
                row = measure(texts, requests, best[None], best[continuation], placed)
                row["median_overhead"] = statistics.median(times[continuation]) / statistics.median(times[None]) - 1
                rows.append((f"{label}, {continuation}", row))
    print(
        f"trained test model ({args.model}), {len(texts)} seed segments, beam {args.beam}, "
        f"best of {args.repeat} (transformers: {args.repeat_transformers})"
    )
    head = (
        "| backend, continuation | no glossary s | glossary s | overhead | overhead, medians | terms | produced | replaced | inserted | missing "
        "| 2nd decode / segs with terms | splices kept | continuations read from scores | rejoined | splices restored | duplicates | rendering left | collateral (forced segs) | in-place segs | collateral (in place) |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for label, r in rows:
        t = r["terms"]
        print(
            f"| {label} | {r['free_s']:.2f} | {r['glossary_s']:.2f} | {r['overhead']:+.0%} | {r['median_overhead']:+.0%} | {t} "
            f"| {r['produced'] / t:.0%} | {r['replaced'] / t:.0%} | {r['inserted'] / t:.0%} | {r['missing']} "
            f"| {r['second_decode']}/{r['segments_with_terms']} | {r['splices_kept']} | {r['continuations_known']} | {r['rejoined']} | {r['splices_restored']} | {r['duplicates']} "
            f"| {r['rendering_left']} | {r['collateral_forced_segments']:.1%} | {r['in_place_segments']} | {r['collateral_in_place']:.1%} |"
        )
    repeats = ", ".join(f"{label} {r['model_repeats']}" for label, r in rows)
    print(f"\nterms written more often than the source holds them, as the free output already did (not duplicates): {repeats}")


if __name__ == "__main__":
    main()
