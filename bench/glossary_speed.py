"""Speed of glossary matching (normalisation included) on news text.

    python bench/glossary_speed.py [--mb 1] [--repeat 3]

Input: the segments of the five seed articles, repeated to about ``--mb``
megabytes of UTF-8, matched one segment at a time against the house glossary
(``glossary/entities.tsv``), as ``mt translate`` does.  Prints MB/s, segments
per second and matches per second; the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mt.glossary import Glossary  # noqa: E402
from mt.text import split_sentences  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    glossary = Glossary.load(ROOT / "glossary" / "entities.tsv")
    load = time.perf_counter() - start
    segments = [s.text for p in sorted((ROOT / "seeds").glob("*.txt")) for s in split_sentences(p.read_text(encoding="utf-8"))]
    size = sum(len(s.encode("utf-8")) for s in segments)
    copies = max(1, int(args.mb * 1e6 / size))
    texts = segments * copies
    mb = size * copies / 1e6
    best, matches = None, 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        matches = sum(len(glossary.match(t)) for t in texts)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"glossary: {len(glossary)} entries, loaded in {load * 1000:.1f} ms")
    print(f"input: {mb:.2f} MB, {len(texts):,} segments ({copies} copies of the seeds)")
    print(f"{mb / best:.2f} MB/s, {len(texts) / best:,.0f} segments/s, {matches / best:,.0f} matches/s ({matches:,} matches, {best:.2f} s)")


if __name__ == "__main__":
    main()
