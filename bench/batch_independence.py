"""Does a sentence translate the same alone as in a batch?  Per compute type.

    python bench/batch_independence.py [--model real|trained] [--beam 4] [--transformers]

The Arabic segments of seeds 000–002, translated with the engine
(``translate_texts``, default options) all together, as ``mt translate``
batches them across articles, and each article's segments on their own; a
segment whose English differs between the two depends on its batch.  The
model is the random-weight one at the real opus-mt-ar-en shape (as
``bench/translate_speed.py`` builds it) or the trained test model; each
CTranslate2 copy (prepared int8 or float32) runs in each compute type
(``--transformers``: transformers float32 too).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from compute_types import CONFIGS, copies


def articles() -> list[list[str]]:
    from mt.text import has_arabic, split_sentences

    paths = sorted((ROOT / "seeds").glob("*.txt"))[:3]
    return [[s.text for s in split_sentences(p.read_text(encoding="utf-8")) if has_arabic(s.text)] for p in paths]


def differing(backend, docs, options) -> list[tuple[int, int]]:
    from mt.translate import translate_texts

    together = translate_texts(backend, [t for doc in docs for t in doc], options=options)
    out, k = [], 0
    for d, doc in enumerate(docs):
        alone = translate_texts(backend, doc, options=options)
        out += [(d, i) for i, a in enumerate(alone) if a.target != together[k + i].target]
        k += len(doc)
    return out


def main() -> None:
    from mt.translate import DecodeOptions, cpu_info, load_backend

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="real", choices=("real", "trained"))
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--transformers", action="store_true", help="transformers float32 too (slow at the real shape)")
    args = parser.parse_args()
    hf_path, ct_paths = copies(args.model)
    docs = articles()
    options = DecodeOptions(beam=args.beam)
    total = sum(len(d) for d in docs)
    print(f"{args.model} model, ISA {cpu_info().isa}, beam {args.beam}, {total} segments of seeds 000-002")
    runs = [("transformers float32", lambda: load_backend(str(hf_path), "transformers"))] if args.transformers else []
    for prepared, loaded in CONFIGS:
        runs.append((f"CTranslate2 prepared {prepared}, {loaded}", lambda p=prepared, c=loaded: load_backend(str(ct_paths[p]), "ctranslate2", compute_type=c)))
    for name, load in runs:
        found = differing(load(), docs, options)
        where = ", ".join(f"{d:03d}#{i}" for d, i in found) or "none"
        print(f"{name}: {len(found)} of {total} differ alone and batched ({where})", flush=True)


if __name__ == "__main__":
    main()
