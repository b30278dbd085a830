"""Translation speed and memory at the real opus-mt-ar-en shape.

    python bench/translate_speed.py [--length 64] [--repeat 2] [--glossary [--continuation rejoin,greedy,beam]] [--links]

A MarianMT with random weights is built from ``../shared/data/opus-mt-ar-en``
(the real config and tokenizer: 76.8M parameters, 62,834 pieces) and
converted to CTranslate2 int8.  Input: the Arabic segments of the seed
articles.  Random weights would stop at random lengths, so every output is
fixed at ``--length`` pieces (minimum = maximum; with the glossary, longer
where the forced terms need more room); figures are output pieces per second, sentences per second and peak resident memory.  Each
configuration runs in a fresh process (so peak RSS is its own), all in one
invocation; the best of ``--repeat`` timed runs is kept, after one warm-up.

With ``--glossary``, each backend also runs with the house glossary enforced
(``glossary/entities.tsv``), and the cost of enforcement is printed.  With
random weights the model never writes a term itself, so every segment with a
match takes the constrained second pass: the worst case.  ``--continuation``
runs the glossary configuration once per way of decoding on after the forced
terms (``mt.translate.engine.CONTINUATIONS``).

With ``--links``, each backend also runs with word links
(``translate_texts(links=True)``: one more pass that reads the attention of
each English output), and the cost of that pass is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CONFIG = ROOT.parent / "shared" / "data" / "opus-mt-ar-en"
CACHE = ROOT / ".bench-models"

CONFIGS = [
    {"name": "transformers fp32 beam 4", "backend": "transformers", "beam": 4},
    {"name": "ctranslate2 int8 beam 4", "backend": "ctranslate2", "beam": 4},
    {"name": "transformers fp32 greedy", "backend": "transformers", "beam": 1},
    {"name": "ctranslate2 int8 greedy", "backend": "ctranslate2", "beam": 1},
]


def build_models() -> tuple[Path, Path]:
    """The random-weight model and its int8 conversion, built once and cached."""
    from mt.dev.models import build_random_model
    from mt.translate import prepare_model, starts_from_pad

    hf, ct2 = CACHE / "opus-random", CACHE / "opus-random-ct2-int8"
    if not (hf / "config.json").is_file():
        if not CONFIG.is_dir():
            sys.exit(f"{CONFIG} is absent: the benchmark needs ../shared beside the project")
        build_random_model(CONFIG, hf)
    if not ((ct2 / "model.bin").is_file() and starts_from_pad(ct2)):  # an older conversion is made again
        prepare_model(str(hf), ct2, quantization="int8", force=True)
    return hf, ct2


def seed_segments() -> list[str]:
    from mt.text import has_arabic, split_sentences

    texts = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        texts += [s.text for s in split_sentences(path.read_text(encoding="utf-8")) if has_arabic(s.text)]
    return texts


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM, reset at exec, unlike
    ru_maxrss, which a child inherits from the parent that built the models)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(spec: dict) -> dict:
    """Run one configuration in this process and return its figures."""
    from mt.glossary import Glossary
    from mt.translate import (
        DecodeOptions,
        EngineStats,
        TermRequest,
        load_backend,
        translate_texts,
    )

    backend = load_backend(spec["model"], spec["backend"])
    texts = seed_segments()
    terms = None
    if spec.get("glossary"):
        glossary = Glossary.load(ROOT / "glossary" / "entities.tsv")
        terms = [
            [TermRequest.from_match(m) for m in glossary.match(t)] for t in texts
        ]
    options = DecodeOptions(beam=spec["beam"], fixed_length=spec["length"], continuation=spec.get("continuation", "rejoin"))
    translate_texts(backend, texts[:8], None if terms is None else terms[:8], options=options)  # warm-up
    best, stats = None, None
    for _ in range(spec["repeat"]):
        stats = EngineStats()
        start = time.perf_counter()
        results = translate_texts(
            backend, texts, terms, options=options, stats=stats, links=spec.get("links", False),
            max_batch_pieces=spec.get("batch_pieces", 1000), max_batch_sentences=spec.get("batch_sentences", 32),
        )
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    forced = sum(s == "forced" for r in results for s in r.statuses)
    missing = sum(s == "missing" for r in results for s in r.statuses)
    return {
        "name": spec["name"],
        "sentences": len(texts),
        "output_pieces": stats.output_pieces,
        "seconds": best,
        "pieces_per_s": stats.output_pieces / best,
        "sentences_per_s": len(texts) / best,
        "peak_rss_mb": peak_rss_mb(),
        "second_pass": stats.second_pass,
        "terms_forced": forced,
        "terms_missing": missing,
    }


def run_isolated(spec: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", json.dumps(spec)], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        sys.exit(f"{spec['name']} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=64, help="output pieces per sentence (fixed)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--glossary", action="store_true", help="also measure glossary enforcement")
    parser.add_argument("--only", choices=["transformers", "ctranslate2"], help="one backend only")
    parser.add_argument(
        "--continuation", default="rejoin",
        help="with --glossary: comma-separated ways of decoding on after forced terms, a run each (rejoin, greedy, beam)",
    )
    parser.add_argument("--links", action="store_true", help="also measure the word links' attention pass")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return

    hf, ct2 = build_models()
    specs = [dict(c) for c in CONFIGS if not args.only or c["backend"] == args.only]
    if args.glossary or args.links:
        specs = [s for s in specs if s["beam"] == 4]
        bases = list(specs)
        if args.glossary:
            specs += [
                {**s, "name": f"{s['name']} + glossary, {c}", "glossary": True, "continuation": c}
                for s in bases
                for c in args.continuation.split(",")
            ]
        if args.links:
            specs += [{**s, "name": f"{s['name']} + links", "links": True} for s in bases]
    for spec in specs:
        spec.update(model=str(hf if spec["backend"] == "transformers" else ct2), length=args.length, repeat=args.repeat)

    results = []
    print(f"{'configuration':<48} {'pieces/s':>9} {'sent/s':>7} {'seconds':>8} {'peak RSS':>9}  notes")
    for spec in specs:
        r = run_isolated(spec)
        results.append(r)
        notes = f"{r['second_pass']} second passes, {r['terms_forced']} terms forced, {r['terms_missing']} missing" if spec.get("glossary") else ""
        print(
            f"{r['name']:<48} {r['pieces_per_s']:9.1f} {r['sentences_per_s']:7.2f} {r['seconds']:8.2f} "
            f"{r['peak_rss_mb']:7.0f} MB  {notes}"
        )
    by_name = {r["name"]: r for r in results}
    print(f"\n{results[0]['sentences']} sentences, {args.length} output pieces each (fixed)")
    base = by_name.get("transformers fp32 beam 4")
    for r in results:
        if base and r is not base and " + " not in r["name"]:
            print(f"{r['name']}: {r['pieces_per_s'] / base['pieces_per_s']:.2f}x transformers fp32 beam 4")
    for r in results:
        if " + " in r["name"]:
            plain = by_name[r["name"].split(" + ")[0]]
            time_cost = r["seconds"] / plain["seconds"] - 1
            rate_cost = 1 - r["pieces_per_s"] / plain["pieces_per_s"]
            print(
                f"{r['name']}: {time_cost:+.0%} time, {rate_cost:.0%} fewer pieces/s "
                f"({r['pieces_per_s']:.1f} vs {plain['pieces_per_s']:.1f})"
            )


if __name__ == "__main__":
    main()
