"""Throughput of Arabic normalisation and sentence segmentation (one core).

    python bench/segment_speed.py [--mb 4] [--repeat 3]

Input: the five seed articles repeated to about ``--mb`` megabytes of UTF-8.
Prints MB/s (megabytes of UTF-8 input per second) for segmentation alone,
normalisation alone, and both as the pipeline runs them (normalising each
segment).  The best of ``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mt.text import normalize_arabic, split_sentences

ROOT = Path(__file__).resolve().parent.parent


def best_time(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    copies = max(1, int(args.mb * 1e6 / len(seeds.encode("utf-8"))))
    text = "\n\n".join([seeds] * copies)
    mb = len(text.encode("utf-8")) / 1e6
    print(f"input: {mb:.2f} MB of UTF-8, {len(text):,} characters ({copies} copies of the seeds)")

    def segment_only():
        split_sentences(text)

    def normalise_only():
        normalize_arabic(text)

    def pipeline():
        for seg in split_sentences(text):
            normalize_arabic(seg.text)

    # One line of a megabyte, sentences one after another (no line breaks).
    line = " ".join(seeds.split())
    line = " ".join([line] * max(1, int(1e6 / len(line.encode("utf-8")))))
    line_mb = len(line.encode("utf-8")) / 1e6

    def one_long_line():
        split_sentences(line)

    for name, func, size in [
        ("segment", segment_only, mb),
        ("normalise", normalise_only, mb),
        ("segment+normalise", pipeline, mb),
        (f"segment {line_mb:.1f} MB line", one_long_line, line_mb),
    ]:
        seconds = best_time(func, args.repeat)
        print(f"{name:>22}: {size / seconds:6.2f} MB/s  ({seconds:.3f} s)")


if __name__ == "__main__":
    main()
