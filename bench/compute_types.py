"""How far each CTranslate2 compute type is from transformers float32, on this CPU.

    python bench/compute_types.py [--model trained,real] [--limit N]
    CT2_FORCE_CPU_ISA=AVX2 python bench/compute_types.py   # as an AVX2 machine runs it

For the trained test model (``tests/data/trained-model``) and a random-weight
model at the real opus-mt-ar-en shape (``../shared/data/opus-mt-ar-en``), on
the Arabic segments of the seeds, each CTranslate2 configuration (a copy
prepared in int8 loaded as int8 or float32, a copy prepared in float32) is
compared with transformers float32:

* score gap: the log-probability of each piece of transformers' greedy
  output, teacher-forced on both backends (max and mean, in nats);
* identical: the share of segments whose beam-4 output is piece for piece
  transformers' beam-4 output;
* seconds: beam-4 translation of all segments (one run after a warm-up;
  absolute times here are noisy, compare rows of one run).

The ISA is the one CTranslate2 uses (``mt.translate.cpu_info``).  The real
shape's outputs are cut at 64 pieces (random weights stop at random lengths).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from translate_speed import build_models, seed_segments

CACHE = ROOT / ".bench-models"
CONFIGS = (("int8", "int8"), ("int8", "float32"), ("float32", "float32"))  # (prepared in, loaded as)


def copies(name: str) -> tuple[Path, dict[str, Path]]:
    """The transformers checkpoint and its CTranslate2 copies by precision."""
    from mt.translate import prepare_model, starts_from_pad

    if name == "real":
        hf, int8 = build_models()
    else:
        hf, int8 = ROOT / "tests" / "data" / "trained-model", CACHE / "trained-ct2-int8"
    CACHE.mkdir(exist_ok=True)
    out = {"int8": int8, "float32": CACHE / f"{name}-ct2-float32"}
    for precision, path in out.items():
        if not ((path / "model.bin").is_file() and starts_from_pad(path)):
            prepare_model(str(hf), path, quantization=precision, force=True)
    return hf, out


def measure(name: str, limit: int | None) -> None:
    from mt.translate import DecodeOptions, cpu_info, load_backend

    hf_path, ct_paths = copies(name)
    hf = load_backend(str(hf_path), "transformers")
    texts = seed_segments()[:limit]
    sources = [hf.vocab.encode_source(t).pieces for t in texts]
    if name == "real":
        lengths = [64] * len(sources)
    else:
        lengths = [DecodeOptions().max_length(len(s)) for s in sources]

    def beam4(backend):
        out = []
        for length in sorted(set(lengths)):
            batch = [i for i, n in enumerate(lengths) if n == length]
            hyps = backend.translate([sources[i] for i in batch], beam=4, max_length=length)
            out += list(zip(batch, (h.pieces for h in hyps)))
        return [pieces for _, pieces in sorted(out)]

    greedy = [h.pieces for h in hf.translate(sources, beam=1, max_length=64)]
    reference = hf.score(sources, greedy)
    start = time.perf_counter()
    hf_beam = beam4(hf)
    hf_time = time.perf_counter() - start
    cpu = cpu_info()
    isa = f"{cpu.isa}{' (forced)' if cpu.forced else ''}{', VNNI' if cpu.vnni else ''}"
    print(f"| {name} | {isa} | transformers float32 | 0 | 0 | 100 % | {hf_time:.1f} |", flush=True)
    for prepared, loaded in CONFIGS:
        ct = load_backend(str(ct_paths[prepared]), "ctranslate2", compute_type=loaded)
        gaps = [abs(a - b) for x, y in zip(reference, ct.score(sources, greedy)) for a, b in zip(x, y)]
        beam4(ct)  # warm-up
        start = time.perf_counter()
        ct_beam = beam4(ct)
        seconds = time.perf_counter() - start
        same = sum(a == b for a, b in zip(hf_beam, ct_beam)) / len(sources)
        print(
            f"| {name} | {isa} | CTranslate2, prepared {prepared}, computes {ct.compute_type} | "
            f"{max(gaps):.3g} | {sum(gaps) / len(gaps):.3g} | {100 * same:.0f} % | {seconds:.1f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="trained,real", help="trained, real or both (comma-separated)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N seed segments")
    args = parser.parse_args()
    print("| model | ISA | backend, precision | max gap (nats) | mean gap | identical beam-4 outputs | beam-4 seconds |")
    print("|---|---|---|---|---|---|---|")
    for name in args.model.split(","):
        measure(name, args.limit)


if __name__ == "__main__":
    main()
